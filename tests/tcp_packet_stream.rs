//! PacketPeerStream over StreamPeerTCP on loopback: bulk traffic, every size, a Python peer, and
//! hostile / truncated frames.
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use packetpeer::sync::{shared, Shared};
use std::time::{Duration, Instant};

use packetpeer::net::tcp::{PollType, StreamPeerTcp, TcpStatus};
use packetpeer::net::tcp_server::TcpServer;
use packetpeer::peer::{PacketPeer, PacketPeerStream, StreamPeer};
use packetpeer::Error;

type Pps = PacketPeerStream<StreamPeerTcp>;

/// Bound on every wait: generous, as a loaded 2-core machine can stall a test for seconds; only a
/// failing test ever waits that long.
const LIMIT: Duration = Duration::from_secs(30);

fn connect(host: &str, port: i32) -> Shared<StreamPeerTcp> {
    let mut s = StreamPeerTcp::new();
    s.connect_to_host(host, port).unwrap();
    let end = Instant::now() + LIMIT;
    while s.get_status() == TcpStatus::Connecting {
        s.poll().unwrap();
        assert!(Instant::now() < end);
        let _ = s.wait(PollType::Out, 10);
    }
    assert_eq!(s.get_status(), TcpStatus::Connected);
    shared(s)
}

fn pps(s: &Shared<StreamPeerTcp>) -> Pps {
    let mut p = Pps::new();
    p.set_stream_peer(Some(s.clone()));
    p
}

fn pair(host: &str) -> (Shared<StreamPeerTcp>, Shared<StreamPeerTcp>) {
    let mut srv = TcpServer::new();
    srv.listen(0, host).unwrap();
    let c = connect(host, srv.get_local_port() as i32);
    let end = Instant::now() + LIMIT;
    let a = loop {
        if let Some(a) = srv.take_connection() {
            break a;
        }
        assert!(Instant::now() < end);
        std::thread::sleep(Duration::from_millis(2));
    };
    (c, shared(a))
}

fn recv(p: &mut Pps, s: &Shared<StreamPeerTcp>) -> Vec<u8> {
    let end = Instant::now() + LIMIT;
    loop {
        match p.get_packet() {
            Ok(d) => return d.to_vec(),
            Err(Error::Unavailable) => {
                assert!(Instant::now() < end, "no packet");
                let _ = s.lock().unwrap().wait(PollType::In, 10);
            }
            Err(e) => panic!("{e}"),
        }
    }
}

#[test]
fn thousands_of_packets_each_way_and_every_size() {
    for host in ["127.0.0.1", "::1"] {
        let (c, a) = pair(host);
        let (mut pc, mut pa) = (pps(&c), pps(&a));
        for round in 0..20u32 {
            for i in 0..100u32 {
                let n = round * 100 + i;
                pc.put_packet(&vec![n as u8; (n % 700) as usize + 1])
                    .unwrap();
                pa.put_packet(&vec![!n as u8; (n % 500) as usize + 1])
                    .unwrap();
            }
            for i in 0..100u32 {
                let n = round * 100 + i;
                assert_eq!(recv(&mut pa, &a), vec![n as u8; (n % 700) as usize + 1]);
                assert_eq!(recv(&mut pc, &c), vec![!n as u8; (n % 500) as usize + 1]);
            }
        }
        let mut sizes: Vec<usize> = (1..=600).collect();
        sizes.extend((601..65532).step_by(1531));
        sizes.push(65532);
        for n in sizes {
            let d: Vec<u8> = (0..n).map(|k| (k * 13 + n) as u8).collect();
            pc.put_packet(&d).unwrap();
            assert_eq!(recv(&mut pa, &a), d, "size {n}");
        }
        assert_eq!(
            pc.put_packet(&vec![0u8; 65533]),
            Err(Error::InvalidParameter)
        );
    }
}

#[test]
fn coalesced_frames_arrive_after_flush() {
    let (c, a) = pair("127.0.0.1");
    c.lock().unwrap().set_write_coalescing(true);
    let (mut pc, mut pa) = (pps(&c), pps(&a));
    for i in 0..500u32 {
        pc.put_packet(&i.to_le_bytes()).unwrap();
    }
    assert_eq!(pa.get_available_packet_count(), 0);
    c.lock().unwrap().flush().unwrap();
    for i in 0..500u32 {
        assert_eq!(recv(&mut pa, &a), i.to_le_bytes());
    }
}

/// Starts the Python peer and reads the port it prints. Any failure (no python3, the script dies
/// or prints no port) fails the test with the reason: CI installs python3 (scripts/deps.sh).
fn spawn(args: &[&str]) -> (Child, i32) {
    let path = format!("{}/tests/python/tcp_framed.py", env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new("python3")
        .arg(&path)
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start python3 {path}: {e} (scripts/deps.sh installs it)")
        });
    let mut line = String::new();
    let read = BufReader::new(child.stdout.take().expect("piped stdout")).read_line(&mut line);
    match (read, line.trim().parse()) {
        (Ok(_), Ok(port)) => (child, port),
        (read, _) => {
            let _ = child.kill();
            let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
            panic!("tcp_framed.py printed {line:?} instead of a port ({read:?}, exit: {status})");
        }
    }
}

fn reap(mut child: Child) {
    let end = Instant::now() + LIMIT;
    while child.try_wait().ok().flatten().is_none() {
        if Instant::now() > end {
            let _ = child.kill();
            panic!("python peer hung");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn python_echo_through_packet_peer_stream() {
    let (child, port) = spawn(&["127.0.0.1", "echo"]);
    let s = connect("127.0.0.1", port);
    let mut p = pps(&s);
    for i in 0..1000u32 {
        let d: Vec<u8> = (0..(i * 97) % 3000 + 1).map(|k| (k + i) as u8).collect();
        p.put_packet(&d).unwrap();
        assert_eq!(recv(&mut p, &s), d);
    }
    s.lock().unwrap().disconnect_from_host();
    reap(child);
}

/// Hostile and truncated frames from Python: announced lengths near 2^31, "negative" as i32,
/// 0xFFFFFFFF, and a frame cut by the peer closing. Packets before the bad frame still arrive.
#[test]
fn hostile_and_truncated_frames() {
    let good = "03000000616263"; // "abc"
    for (bad, expect) in [
        ("ffffffff", Error::OutOfMemory),
        ("00000080", Error::OutOfMemory), // 2^31 (negative as i32)
        ("ffffff7f", Error::OutOfMemory), // 2^31 - 1
        ("fdff0000", Error::OutOfMemory), // 65533: one above the input limit
        ("0a000000010203", Error::Unavailable), // truncated: 10 announced, 3 sent, then close
    ] {
        let hex = format!("{good}{bad}");
        let (child, port) = spawn(&["127.0.0.1", "raw", &hex]);
        let s = connect("127.0.0.1", port);
        let mut p = pps(&s);
        assert_eq!(recv(&mut p, &s), b"abc");
        // Ask again until the answer is decided: an error other than UNAVAILABLE, or the peer's
        // close seen by a read (everything sent before it has been read then).
        let end = Instant::now() + LIMIT;
        let mut last = p.get_packet().map(|d| d.to_vec());
        while last == Err(Error::Unavailable) && s.lock().unwrap().get_status() != TcpStatus::None {
            assert!(
                Instant::now() < end,
                "frame {bad}: neither decided nor closed"
            );
            let _ = s.lock().unwrap().wait(PollType::In, 10);
            last = p.get_packet().map(|d| d.to_vec());
        }
        if last == Err(Error::Unavailable) {
            last = p.get_packet().map(|d| d.to_vec());
        }
        assert_eq!(last, Err(expect), "frame {bad}");
        assert_eq!(p.get_available_packet_count(), 0);
        s.lock().unwrap().disconnect_from_host();
        reap(child);
    }
}

#[test]
fn put_packet_reports_eof_while_frames_are_still_buffered() {
    let (c, a) = pair("127.0.0.1");
    let mut pc = pps(&c);
    let mut pa = pps(&a);
    // Both frames in one write, so that the read which finds "one" finds "two" too.
    c.lock().unwrap().set_write_coalescing(true);
    pc.put_packet(b"one").unwrap();
    pc.put_packet(b"two").unwrap();
    c.lock().unwrap().flush().unwrap();
    c.lock().unwrap().disconnect_from_host();
    assert_eq!(recv(&mut pa, &a), b"one");
    // Wait for the FIN before writing: a write that reaches the closed socket first draws an RST,
    // and the next read then reports the reset (FAILED) instead of the orderly close.
    wait_readable(&a);
    // "two" is buffered (one read took both frames), so get_packet returns it without reading; the
    // engine's put_packet pull still reads, sees the close and reports it.
    let end = Instant::now() + LIMIT;
    let err = loop {
        match pa.put_packet(b"x") {
            Ok(()) => {
                assert!(Instant::now() < end, "close never seen");
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(e) => break e,
        }
    };
    assert_eq!(err, Error::FileEof);
    assert_eq!(a.lock().unwrap().get_status(), TcpStatus::None);
    assert_eq!(pa.get_packet().unwrap(), b"two");
    assert_eq!(pa.get_packet().err(), Some(Error::Unavailable));
    assert_eq!(pa.put_packet(b"x"), Err(Error::Failed));
}

/// Waits until the socket has bytes (or a close) to read, as the OS sees it.
fn wait_readable(s: &Shared<StreamPeerTcp>) {
    let end = Instant::now() + LIMIT;
    while s.lock().unwrap().wait(PollType::In, 10).is_err() {
        assert!(Instant::now() < end, "never readable");
    }
}

#[test]
fn reads_after_empty_reads_still_see_data_and_close_on_any_thread() {
    // After a read finds nothing, the next reads first ask a cheap readiness probe. It must never
    // hide data or a close: the results are those of a real read every time.
    let (c, a) = pair("127.0.0.1");
    let mut pc = pps(&c);
    let mut pa = pps(&a);
    assert_eq!(pa.get_packet().err(), Some(Error::Unavailable));
    assert_eq!(pa.get_packet().err(), Some(Error::Unavailable));
    pc.put_packet(b"one").unwrap();
    wait_readable(&a);
    // put_packet's pull moves the frame from the socket into the ring, as the engine's does.
    pa.put_packet(b"back").unwrap();
    assert_eq!(a.lock().unwrap().get_available_bytes(), 0);
    assert_eq!(pa.get_available_packet_count(), 1);
    assert_eq!(pa.get_packet().unwrap(), b"one");
    assert_eq!(recv(&mut pc, &c), b"back");
    assert_eq!(pa.get_packet().err(), Some(Error::Unavailable));
    // The same socket used from another thread (its own probe set).
    pc.put_packet(b"two").unwrap();
    wait_readable(&a);
    let mut pa = std::thread::spawn(move || {
        assert_eq!(pa.get_packet().unwrap(), b"two");
        assert_eq!(pa.get_packet().err(), Some(Error::Unavailable));
        assert_eq!(pa.get_packet().err(), Some(Error::Unavailable));
        pa
    })
    .join()
    .unwrap();
    // Back on this thread: a close is seen by the next put_packet.
    c.lock().unwrap().disconnect_from_host();
    wait_readable(&a);
    assert_eq!(pa.put_packet(b"x"), Err(Error::FileEof));
    assert_eq!(a.lock().unwrap().get_status(), TcpStatus::None);
}

/// Within a burst of writes the pull of `put_packet` may be skipped (`StreamPeerTcp`'s module docs):
/// bytes that arrive meanwhile are still returned by the very next `get_packet`, which never skips.
#[test]
fn bytes_arriving_during_a_burst_of_puts_reach_the_next_get_packet() {
    let (c, a) = pair("127.0.0.1");
    let mut pc = pps(&c);
    let mut pa = pps(&a);
    assert_eq!(pa.get_packet().err(), Some(Error::Unavailable));
    pc.put_packet(b"one").unwrap();
    // Loopback delivers at once; the sleep only makes sure, without looking at `a`.
    std::thread::sleep(Duration::from_millis(50));
    for _ in 0..5 {
        pa.put_packet(b"x").unwrap();
    }
    assert_eq!(pa.get_packet().unwrap(), b"one");
    for _ in 0..5 {
        assert_eq!(recv(&mut pc, &c), b"x");
    }
}

/// Looking at the input (`get_available_bytes`, `wait`, `poll`) ends a burst: the next `put_packet`
/// pulls, as the engine's does.
#[test]
fn looking_at_the_input_makes_the_next_put_packet_pull() {
    let (c, a) = pair("127.0.0.1");
    let mut pc = pps(&c);
    let mut pa = pps(&a);
    assert_eq!(pa.get_packet().err(), Some(Error::Unavailable));
    pc.put_packet(b"one").unwrap();
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(a.lock().unwrap().get_available_bytes(), 7);
    pa.put_packet(b"x").unwrap();
    assert_eq!(a.lock().unwrap().get_available_bytes(), 0);
    assert_eq!(pa.get_available_packet_count(), 1);
    pc.put_packet(b"two").unwrap();
    std::thread::sleep(Duration::from_millis(50));
    a.lock().unwrap().poll().unwrap();
    pa.put_packet(b"y").unwrap();
    assert_eq!(a.lock().unwrap().get_available_bytes(), 0);
    assert_eq!(pa.get_packet().unwrap(), b"one");
    assert_eq!(pa.get_packet().unwrap(), b"two");
}

/// A close that arrives during a burst of puts is reported within the burst bound: by the first
/// pull that asks the OS (FILE_EOF) or by a write the closed socket answered with a reset (FAILED).
#[test]
fn a_close_during_a_burst_of_puts_is_reported_within_the_bound() {
    let (c, a) = pair("127.0.0.1");
    let mut pa = pps(&a);
    assert_eq!(pa.get_packet().err(), Some(Error::Unavailable));
    c.lock().unwrap().disconnect_from_host();
    std::thread::sleep(Duration::from_millis(50));
    let bound = packetpeer::net::tcp::WRITE_BURST_SKIPPED_READS as usize + 1;
    let mut err = None;
    for _ in 0..=bound {
        if let Err(e) = pa.put_packet(b"x") {
            err = Some(e);
            break;
        }
    }
    let err = err.expect("close not reported within the burst bound");
    assert!(matches!(err, Error::FileEof | Error::Failed), "{err:?}");
    assert_eq!(a.lock().unwrap().get_status(), TcpStatus::None);
}
