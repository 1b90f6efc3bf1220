//! An independent peer: Python's own socket module drives the other end (tests/python/*.py).
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use packetpeer::net::tcp::{StreamPeerTcp, TcpStatus};
use packetpeer::net::udp::PacketPeerUdp;
use packetpeer::peer::{PacketPeer, StreamPeer};

/// Bound on every wait: generous, as a loaded 2-core machine can stall a test (and the Python peer)
/// for seconds; only a failing test ever waits that long.
const LIMIT: Duration = Duration::from_secs(30);

/// Starts a script and reads the port it prints. Any failure to get there (no python3, the script
/// dies or prints no port within LIMIT) fails the test with the reason: CI installs python3
/// (scripts/deps.sh), so a missing interpreter is a broken setup, not a reason to pass.
fn spawn(script: &str, args: &[&str]) -> (Child, i32) {
    let path = format!("{}/tests/python/{script}", env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new("python3")
        .arg(&path)
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start python3 {path}: {e} (scripts/deps.sh installs it)")
        });
    let stdout = child.stdout.take().expect("piped stdout");
    // read_line blocks; a reader thread lets a script that hangs before printing fail the test in
    // LIMIT instead of hanging it.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let r = BufReader::new(stdout).read_line(&mut line).map(|_| line);
        let _ = tx.send(r);
    });
    let line = match rx.recv_timeout(LIMIT) {
        Ok(Ok(line)) => line,
        Ok(Err(e)) => {
            let _ = child.kill();
            panic!("reading the port from {script}: {e}");
        }
        Err(_) => {
            let _ = child.kill();
            panic!("{script} printed no port within {LIMIT:?}");
        }
    };
    match line.trim().parse() {
        Ok(port) => (child, port),
        Err(_) => {
            let _ = child.kill();
            let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
            panic!("{script} printed {line:?} instead of a port (exit: {status})");
        }
    }
}

fn finish(mut child: Child) {
    let end = Instant::now() + LIMIT;
    loop {
        if let Ok(Some(st)) = child.try_wait() {
            assert!(st.success(), "python peer failed: {st}");
            return;
        }
        if Instant::now() > end {
            let _ = child.kill();
            panic!("python peer did not finish");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn udp_echo_through_python() {
    for host in ["127.0.0.1", "::1"] {
        let n = 500;
        let (child, port) = spawn("udp_echo.py", &[host, &n.to_string()]);
        let mut p = PacketPeerUdp::new();
        p.bind(0, host, 1 << 20).unwrap();
        p.set_dest_address(host, port).unwrap();
        for i in 0..n {
            let data: Vec<u8> = (0..(i * 37) % 2000).map(|k| (k ^ i) as u8).collect();
            p.put_packet(&data).unwrap();
            let end = Instant::now() + LIMIT;
            while p.get_available_packet_count() < 1 {
                assert!(Instant::now() < end, "echo {i} lost");
                let _ = p.wait_timeout(50);
            }
            assert_eq!(p.get_packet().unwrap(), &data[..]);
            assert_eq!(p.get_packet_port() as i32, port);
        }
        finish(child);
    }
}

fn connect(host: &str, port: i32) -> StreamPeerTcp {
    let mut s = StreamPeerTcp::new();
    s.connect_to_host(host, port).unwrap();
    let end = Instant::now() + LIMIT;
    while s.get_status() == TcpStatus::Connecting {
        s.poll().unwrap();
        assert!(Instant::now() < end);
        let _ = s.wait(packetpeer::net::tcp::PollType::Out, 10);
    }
    assert_eq!(s.get_status(), TcpStatus::Connected);
    s
}

#[test]
fn tcp_framed_echo_through_python() {
    for host in ["127.0.0.1", "::1"] {
        let (child, port) = spawn("tcp_framed.py", &[host, "echo"]);
        let mut s = connect(host, port);
        for i in 0..300u32 {
            let body: Vec<u8> = (0..(i * 211) % 5000).map(|k| (k * 3 + i) as u8).collect();
            let mut frame = (body.len() as u32).to_le_bytes().to_vec();
            frame.extend_from_slice(&body);
            s.put_data(&frame).unwrap();
            let mut back = vec![0u8; frame.len()];
            s.get_data(&mut back).unwrap();
            assert_eq!(back, frame);
        }
        s.disconnect_from_host();
        finish(child);
    }
}

#[test]
fn tcp_peer_closing_mid_frame() {
    // Python sends half a frame (announces 100 bytes, sends 10) and closes.
    let (child, port) = spawn(
        "tcp_framed.py",
        &["127.0.0.1", "raw", "640000000102030405060708090a"],
    );
    let mut s = connect("127.0.0.1", port);
    let mut hdr = [0u8; 4];
    s.get_data(&mut hdr).unwrap();
    assert_eq!(u32::from_le_bytes(hdr), 100);
    let mut body = [0u8; 100];
    assert_eq!(s.get_data(&mut body), Err(packetpeer::Error::FileEof));
    assert_eq!(s.get_status(), TcpStatus::None);
    finish(child);
}
