//! Interop with the stock C ENet library (libenet, 1.3.x): a small C peer (tests/enet_c/peer.c) is built
//! with the system C compiler and run as a child process on loopback. Needs libenet's headers and
//! library (`libenet-dev` on Debian/Ubuntu).

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use packetpeer::enet::host::{
    PACKET_FLAG_RELIABLE, PACKET_FLAG_UNRELIABLE_FRAGMENT, PACKET_FLAG_UNSEQUENCED,
};
use packetpeer::enet::{Event, Host, HostConfig, PeerState, UdpTransport};

const LO: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// Bound on each test and on the C peer's lifetime: generous, as a loaded 2-core machine can slow
/// the bulk transfers below down several times; only a failing test ever waits that long.
const LIMIT: Duration = Duration::from_secs(120);

/// ENet timeout (minimum = maximum, ms without any acknowledgement) given to every connection except
/// in the timeout tests, as the C peer does (`GENEROUS_TIMEOUT_MS` in tests/enet_c/peer.c). The bulk
/// transfers overflow the loopback socket buffers whenever a peer is descheduled; on a loaded machine
/// ENet's backed-off resends can then go unanswered for longer than ENet's default 5 s minimum, which
/// is not what these tests are about.
const GENEROUS_TIMEOUT_MS: u32 = 60_000;

fn c_peer() -> &'static PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("enet_c_peer");
        // Built under a name of its own, then renamed: another test process building it at the same
        // time (or running the previous build) would otherwise meet a half-written file ("text file
        // busy").
        let tmp = out.with_extension(format!("tmp{}", std::process::id()));
        let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/enet_c/peer.c");
        let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
        let status = Command::new(cc)
            .args(["-O2", "-Wall", "-o"])
            .arg(&tmp)
            .arg(&src)
            .arg("-lenet")
            .status()
            .expect("a C compiler (cc) is needed for the ENet interop tests");
        assert!(
            status.success(),
            "building tests/enet_c/peer.c failed (is libenet-dev installed?)"
        );
        std::fs::rename(&tmp, &out).expect("move the C peer into place");
        out
    })
}

struct CPeer {
    child: Child,
    _stdout: Option<BufReader<ChildStdout>>,
}

impl CPeer {
    fn spawn(args: &[String]) -> CPeer {
        let child = Command::new(c_peer())
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("run the C peer");
        CPeer {
            child,
            _stdout: None,
        }
    }
    /// Starts the C server and reads its port.
    fn server(
        timeout_ms: u32,
        disconnects: u32,
        expect_data: u32,
        peer_timeout: u32,
        compress: u32,
    ) -> (CPeer, u16) {
        let mut p = CPeer::spawn(&[
            "server".into(),
            timeout_ms.to_string(),
            disconnects.to_string(),
            expect_data.to_string(),
            peer_timeout.to_string(),
            compress.to_string(),
        ]);
        let mut r = BufReader::new(p.child.stdout.take().unwrap());
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .expect("PORT line")
            .parse()
            .unwrap();
        p._stdout = Some(r);
        (p, port)
    }
    /// Waits (bounded) for the exit code.
    fn wait(mut self, limit: Duration) -> i32 {
        let start = Instant::now();
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                return st.code().unwrap_or(-1);
            }
            if start.elapsed() > limit {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("C peer did not finish in {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for CPeer {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn pattern(len: usize, seed: usize) -> Vec<u8> {
    (0..len)
        .map(|i| ((i.wrapping_mul(131) + seed * 7) ^ (i >> 9)) as u8)
        .collect()
}

struct Side {
    host: Host,
    io: UdpTransport,
}

impl Side {
    fn new(peers: usize) -> Side {
        Side {
            host: Host::new(HostConfig {
                peer_count: peers,
                ..HostConfig::default()
            }),
            io: UdpTransport::bind(Some(LO), 0).unwrap(),
        }
    }
    fn port(&self) -> u16 {
        self.io.local_addr().unwrap().port()
    }
    fn next(&mut self, deadline: Instant) -> Event {
        loop {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for an event: {:?} states {:?} received {}",
                self.host.anomalies,
                (0..self.host.peer_count())
                    .map(|i| self.host.peer(i).unwrap().state())
                    .collect::<Vec<_>>(),
                self.host.total_received_packets
            );
            if let Some(ev) = self.host.service(2, &mut self.io).unwrap() {
                return ev;
            }
        }
    }
    /// Like `next`, but gives up with `None` at `until` (which comes before `deadline`).
    fn next_until(&mut self, deadline: Instant, until: Instant) -> Option<Event> {
        while Instant::now() < until {
            assert!(Instant::now() < deadline, "timed out waiting for an event");
            if let Some(ev) = self.host.service(2, &mut self.io).unwrap() {
                return Some(ev);
            }
        }
        None
    }
}

fn echo(side: &mut Side, peer: usize, channel: u8, data: &[u8], flags: u32) {
    side.host.send(peer, channel, data, flags).unwrap();
}

fn c_range_coder(how: &str, input: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut child = Command::new(c_peer())
        .args(["rc", how])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    out.stdout
}

#[test]
fn range_coder_is_bit_exact_with_c() {
    use packetpeer::enet::range_coder::{compress, decompress};
    let mut inputs: Vec<Vec<u8>> = vec![
        b"a".to_vec(),
        b"hello hello hello hello, range coder".to_vec(),
        vec![0u8; 5000],
        (0..20000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect(),
        b"ENet packets repeat themselves. "
            .iter()
            .cycle()
            .take(60000)
            .copied()
            .collect(),
    ];
    let mut x = 1u32;
    for len in [1usize, 2, 3, 17, 300, 1400, 4096, 9000] {
        inputs.push(
            (0..len)
                .map(|i| {
                    x = x.wrapping_mul(1103515245).wrapping_add(12345);
                    if i % 3 == 0 {
                        (x >> 24) as u8
                    } else {
                        b'A' + (x >> 29) as u8
                    }
                })
                .collect(),
        );
    }
    for input in &inputs {
        let mut ours = Vec::new();
        compress(input, &mut ours, usize::MAX).unwrap();
        let theirs = c_range_coder("c", input);
        assert_eq!(
            ours,
            theirs,
            "compressed bytes differ for a {}-byte input",
            input.len()
        );
        let mut back = Vec::new();
        decompress(&theirs, &mut back, 1 << 20).unwrap();
        assert_eq!(&back, input);
        assert_eq!(&c_range_coder("d", &ours), input);
    }
}

#[test]
fn rust_client_to_c_server() {
    // 70,000 > 65,536: the reliable sequence numbers wrap around in both directions.
    rust_client_to_c_server_with(0, 70_000);
}

#[test]
fn rust_client_to_c_server_range_coder() {
    rust_client_to_c_server_with(1, 2_000);
}

#[test]
fn c_client_to_rust_server_range_coder() {
    c_client_to_rust_server_with(1, 2_000);
}

#[test]
fn rust_client_to_c_server_crc32() {
    rust_client_to_c_server_with(2, 500);
}

#[test]
fn c_client_to_rust_server_crc32() {
    c_client_to_rust_server_with(2, 500);
}

fn side_for(compress: u32, peers: usize) -> Side {
    Side {
        host: Host::new(HostConfig {
            peer_count: peers,
            checksum: compress == 2,
            ..HostConfig::default()
        }),
        io: UdpTransport::bind(Some(LO), 0).unwrap(),
    }
}

fn rust_client_to_c_server_with(compress: u32, n: usize) {
    let (c, port) = CPeer::server(LIMIT.as_millis() as u32, 1, 55, 0, compress);
    let mut me = side_for(compress, 1);
    if compress == 1 {
        me.host
            .set_compressor(Some(Box::new(packetpeer::enet::range_coder::RangeCoder)));
    }
    let deadline = Instant::now() + LIMIT;
    let p = me.host.connect(SocketAddr::new(LO, port), 8, 1234).unwrap();
    me.host
        .set_timeout(p, 0, GENEROUS_TIMEOUT_MS, GENEROUS_TIMEOUT_MS);
    assert_eq!(me.next(deadline), Event::Connect { peer: p, data: 0 });
    match me.next(deadline) {
        Event::Receive {
            channel: 0, packet, ..
        } => assert_eq!(packet.data, b"data=1234"),
        e => panic!("{e:?}"),
    }
    for i in 0..n {
        me.host
            .send(p, 0, format!("m{i}").as_bytes(), PACKET_FLAG_RELIABLE)
            .unwrap();
    }
    let (b64, b1m) = (pattern(65536, 1), pattern(1 << 20, 2));
    me.host.send(p, 1, &b64, PACKET_FLAG_RELIABLE).unwrap();
    me.host.send(p, 2, &b1m, PACKET_FLAG_RELIABLE).unwrap();
    let (mut next, mut g64, mut g1m) = (0, false, false);
    while !(next == n && g64 && g1m) {
        match me.next(deadline) {
            Event::Receive {
                channel: 0, packet, ..
            } => {
                assert_eq!(packet.data, format!("m{next}").as_bytes());
                assert_eq!(packet.flags, PACKET_FLAG_RELIABLE);
                next += 1;
            }
            Event::Receive {
                channel: 1, packet, ..
            } => {
                assert_eq!(packet.data, b64);
                g64 = true;
            }
            Event::Receive {
                channel: 2, packet, ..
            } => {
                assert_eq!(packet.data, b1m);
                g1m = true;
            }
            e => panic!("{e:?}"),
        }
    }
    // Unreliable data may be dropped on either side (ENet's packet throttle sheds unreliable
    // packets after the bulk transfer above raised the round-trip time; a busy machine can also
    // overflow a socket buffer), so what has not come back yet is sent again every 100 ms, as the C
    // client does in the other direction.
    let uf = pattern(65536, 5);
    let (mut gu, mut gr, mut guf) = (false, false, false);
    let mut resend_at = Instant::now();
    while !(gu && gr && guf) {
        if Instant::now() >= resend_at {
            if !gu {
                me.host.send(p, 3, b"u", PACKET_FLAG_UNSEQUENCED).unwrap();
            }
            if !gr {
                me.host.send(p, 4, b"r", 0).unwrap();
            }
            if !guf {
                me.host
                    .send(p, 5, &uf, PACKET_FLAG_UNRELIABLE_FRAGMENT)
                    .unwrap();
            }
            resend_at = Instant::now() + Duration::from_millis(100);
        }
        let Some(ev) = me.next_until(deadline, resend_at) else {
            continue;
        };
        match ev {
            Event::Receive {
                channel: 3, packet, ..
            } => {
                assert_eq!(
                    (packet.data.as_slice(), packet.flags),
                    (&b"u"[..], PACKET_FLAG_UNSEQUENCED)
                );
                gu = true;
            }
            Event::Receive {
                channel: 4, packet, ..
            } => {
                assert_eq!((packet.data.as_slice(), packet.flags), (&b"r"[..], 0));
                gr = true;
            }
            Event::Receive {
                channel: 5, packet, ..
            } => {
                assert_eq!(packet.data, uf);
                assert_eq!(packet.flags, PACKET_FLAG_UNRELIABLE_FRAGMENT);
                guf = true;
            }
            e => panic!("{e:?}"),
        }
    }
    me.host.disconnect(p, 55, &mut me.io);
    loop {
        match me.next(deadline) {
            Event::Receive { channel: 3..=5, .. } => {} // late duplicates of the resent unreliable data
            e => {
                assert_eq!(e, Event::Disconnect { peer: p, data: 0 });
                break;
            }
        }
    }
    assert_eq!(c.wait(LIMIT), 0);
}

#[test]
fn c_client_to_rust_server() {
    // 70,000 > 65,536: the reliable sequence numbers wrap around in both directions.
    c_client_to_rust_server_with(0, 70_000);
}

fn c_client_to_rust_server_with(compress: u32, n: usize) {
    let mut me = side_for(compress, 8);
    if compress == 1 {
        me.host
            .set_compressor(Some(Box::new(packetpeer::enet::range_coder::RangeCoder)));
    }
    let c = CPeer::spawn(&[
        "client".into(),
        me.port().to_string(),
        "4321".into(),
        n.to_string(),
        LIMIT.as_millis().to_string(),
        compress.to_string(),
        "full".into(),
    ]);
    let deadline = Instant::now() + LIMIT;
    let p = match me.next(deadline) {
        Event::Connect { peer, data } => {
            assert_eq!(data, 4321);
            peer
        }
        e => panic!("{e:?}"),
    };
    me.host
        .set_timeout(p, 0, GENEROUS_TIMEOUT_MS, GENEROUS_TIMEOUT_MS);
    assert_eq!(me.host.peer(p).unwrap().channel_count(), 8);
    loop {
        match me.next(deadline) {
            Event::Receive {
                peer,
                channel,
                packet,
            } => {
                assert_eq!(peer, p);
                echo(&mut me, peer, channel, &packet.data, packet.flags);
            }
            Event::Disconnect { peer, data } => {
                assert_eq!((peer, data), (p, 77));
                break;
            }
            e => panic!("{e:?}"),
        }
    }
    assert_eq!(c.wait(LIMIT), 0);
}

#[test]
fn c_peer_times_out_on_rust_server() {
    let mut me = Side::new(2);
    let c = CPeer::spawn(&[
        "client".into(),
        me.port().to_string(),
        "1".into(),
        "0".into(),
        LIMIT.as_millis().to_string(),
        "0".into(),
        "vanish".into(),
    ]);
    let deadline = Instant::now() + LIMIT;
    let p = match me.next(deadline) {
        Event::Connect { peer, .. } => peer,
        e => panic!("{e:?}"),
    };
    me.host.set_timeout(p, 4, 200, 400);
    assert_eq!(c.wait(LIMIT), 0);
    let t = Instant::now();
    assert_eq!(me.next(deadline), Event::Disconnect { peer: p, data: 0 });
    // About 1 s (a ping after 500 ms of silence, unanswered for 400 ms); ENet's default timeout could
    // not end the connection before 5 s. Anything below that shows the 200/400 ms setting at work,
    // with room for a loaded machine.
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    assert_eq!(me.host.peer(p).unwrap().state(), PeerState::Disconnected);
}

#[test]
fn rust_peer_times_out_on_c_server() {
    // the C server times its peer out after 200..400 ms and expects disconnect data 0
    let (c, port) = CPeer::server(LIMIT.as_millis() as u32, 1, 0, 200, 0);
    let mut me = Side::new(1);
    let deadline = Instant::now() + LIMIT;
    let p = me.host.connect(SocketAddr::new(LO, port), 2, 0).unwrap();
    assert_eq!(me.next(deadline), Event::Connect { peer: p, data: 0 });
    assert!(matches!(me.next(deadline), Event::Receive { .. }));
    me.host.peer_reset(p);
    assert_eq!(c.wait(LIMIT), 0);
}

#[test]
fn hundred_c_peers_on_rust_server() {
    let mut me = Side::new(128);
    let c = CPeer::spawn(&[
        "multi".into(),
        me.port().to_string(),
        "100".into(),
        LIMIT.as_millis().to_string(),
    ]);
    let deadline = Instant::now() + LIMIT;
    let (mut connects, mut gone) = (0, 0);
    while gone < 100 {
        match me.next(deadline) {
            Event::Connect { peer, .. } => {
                me.host
                    .set_timeout(peer, 0, GENEROUS_TIMEOUT_MS, GENEROUS_TIMEOUT_MS);
                connects += 1
            }
            Event::Receive {
                peer,
                channel,
                packet,
            } => echo(&mut me, peer, channel, &packet.data, packet.flags),
            Event::Disconnect { data, .. } => {
                assert_eq!(data, 5);
                gone += 1;
            }
        }
    }
    assert_eq!(connects, 100);
    assert_eq!(c.wait(LIMIT), 0);
}

#[test]
fn hundred_rust_peers_on_c_server() {
    let (c, port) = CPeer::server(LIMIT.as_millis() as u32, 100, 9, 0, 0);
    let mut me = Side::new(100);
    let deadline = Instant::now() + LIMIT;
    for i in 0..100u32 {
        let p = me.host.connect(SocketAddr::new(LO, port), 2, i).unwrap();
        me.host
            .set_timeout(p, 0, GENEROUS_TIMEOUT_MS, GENEROUS_TIMEOUT_MS);
    }
    let (mut connects, mut echoes, mut gone) = (0, 0, 0);
    while gone < 100 {
        match me.next(deadline) {
            Event::Connect { .. } => connects += 1,
            Event::Receive { peer, packet, .. } => {
                if packet.data.starts_with(b"data=") {
                    assert_eq!(packet.data, format!("data={peer}").as_bytes());
                    me.host
                        .send(
                            peer,
                            1,
                            format!("hello {peer}").as_bytes(),
                            PACKET_FLAG_RELIABLE,
                        )
                        .unwrap();
                } else {
                    assert_eq!(packet.data, format!("hello {peer}").as_bytes());
                    echoes += 1;
                    me.host.disconnect(peer, 9, &mut me.io);
                }
            }
            Event::Disconnect { .. } => gone += 1,
        }
    }
    assert_eq!((connects, echoes), (100, 100));
    assert_eq!(c.wait(LIMIT), 0);
}
