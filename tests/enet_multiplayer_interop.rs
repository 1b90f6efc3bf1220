//! ENetMultiplayerPeer against the stock C ENet library (libenet 1.3.x) playing a Godot 4
//! ENetMultiplayerPeer on the wire (tests/enet_c/godot_mp.c, built with the system C compiler and run
//! as a child process on loopback). Needs libenet's headers and library (`libenet-dev`).

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use packetpeer::enet::multiplayer::ENetMultiplayerPeer;
use packetpeer::multiplayer::{ConnectionStatus, MultiplayerEvent, MultiplayerPeer, TransferMode};
use packetpeer::peer::PacketPeer;

const LIMIT: Duration = Duration::from_secs(10);

fn godot_mp() -> &'static PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("enet_c_godot_mp");
        let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/enet_c/godot_mp.c");
        let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
        let status = Command::new(cc)
            .args(["-O2", "-Wall", "-o"])
            .arg(&out)
            .arg(&src)
            .arg("-lenet")
            .status()
            .expect("a C compiler (cc) is needed for the ENet interop tests");
        assert!(
            status.success(),
            "building tests/enet_c/godot_mp.c failed (is libenet-dev installed?)"
        );
        out
    })
}

/// Kills the child if the test fails before it exits.
struct Kid(Child);
impl Drop for Kid {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn take(p: &mut ENetMultiplayerPeer) -> Option<(Vec<u8>, i32, i32, TransferMode)> {
    if p.get_available_packet_count() == 0 {
        return None;
    }
    let meta = (
        p.get_packet_peer(),
        p.get_packet_channel(),
        p.get_packet_mode().unwrap(),
    );
    Some((p.get_packet().unwrap().to_vec(), meta.0, meta.1, meta.2))
}

/// Our server, a libenet "Godot client" with ID 4242.
#[test]
fn libenet_godot_client_talks_to_our_server() {
    let mut s = ENetMultiplayerPeer::new();
    s.set_bind_ip("127.0.0.1").unwrap();
    s.create_server(0, 8, 0, 0, 0).unwrap();
    let port = s.get_host().unwrap().lock().unwrap().get_local_port();
    let mut kid = Kid(Command::new(godot_mp())
        .args(["client", &port.to_string(), "4242", "8000"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap());
    let mut got = Vec::new();
    let start = Instant::now();
    while got.len() < 4 && start.elapsed() < LIMIT {
        let _ = s.poll();
        while let Some(g) = take(&mut s) {
            got.push(g);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(s.pop_event(), Some(MultiplayerEvent::PeerConnected(4242)));
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        vec![
            (b"ch3".to_vec(), 4242, 3, TransferMode::Reliable),
            (b"ord".to_vec(), 4242, 0, TransferMode::UnreliableOrdered),
            (b"rel".to_vec(), 4242, 0, TransferMode::Reliable),
            (b"uns".to_vec(), 4242, 0, TransferMode::Unreliable),
        ]
    );
    // Broadcasts: reliable on channel 0, unreliable on channel 1. Unreliable may be lost, so
    // repeat it until the client is satisfied and leaves.
    s.set_target_peer(0).unwrap();
    s.put_packet(b"bcast-r").unwrap();
    s.set_transfer_mode(TransferMode::Unreliable).unwrap();
    let start = Instant::now();
    let mut left = false;
    while !left && start.elapsed() < LIMIT {
        if s.get_connection_status() == Ok(ConnectionStatus::Connected) && !s.peer_ids().is_empty()
        {
            s.put_packet(b"bcast-u").unwrap();
        }
        for _ in 0..20 {
            let _ = s.poll();
            if let Some(MultiplayerEvent::PeerDisconnected(4242)) = s.pop_event() {
                left = true;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    assert!(left, "the C client disconnected gracefully");
    let status = kid.0.wait().unwrap();
    let mut out = String::new();
    kid.0
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(status.success(), "C client failed; stdout:\n{out}");
    assert!(out.contains("GOT 0 1 bcast-r"), "{out}");
    assert!(out.contains("GOT 1 2 bcast-u"), "{out}");
}

/// A libenet "Godot server"; our client connects, sends every mode and reads the echoes.
#[test]
fn our_client_talks_to_a_libenet_godot_server() {
    let mut kid = Kid(Command::new(godot_mp())
        .args(["server", "8000"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap());
    // Lines arrive while we keep polling (the C side needs our acknowledgements to go on).
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let stdout = kid.0.stdout.take().unwrap();
    std::thread::spawn(move || {
        for l in BufReader::new(stdout).lines() {
            let Ok(l) = l else { break };
            if tx.send(l).is_err() {
                break;
            }
        }
    });
    let line = rx.recv_timeout(LIMIT).unwrap();
    let port: i32 = line.trim().strip_prefix("PORT ").unwrap().parse().unwrap();
    let mut c = ENetMultiplayerPeer::new();
    c.create_client("127.0.0.1", port, 3, 0, 0, 0).unwrap();
    let id = c.get_unique_id().unwrap();
    let start = Instant::now();
    while c.get_connection_status() != Ok(ConnectionStatus::Connected) && start.elapsed() < LIMIT {
        let _ = c.poll();
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(c.pop_event(), Some(MultiplayerEvent::PeerConnected(1)));
    let mut lines = Vec::new();
    let next_line = |c: &mut ENetMultiplayerPeer| {
        let start = Instant::now();
        while start.elapsed() < LIMIT {
            let _ = c.poll();
            if let Ok(l) = rx.recv_timeout(Duration::from_millis(2)) {
                return l;
            }
        }
        panic!("no line from the C server");
    };
    assert_eq!(
        next_line(&mut c),
        format!("CONNECT {id} 5"),
        "connect data = ID, 3 + 2 channels"
    );
    let modes = [
        TransferMode::Reliable,
        TransferMode::UnreliableOrdered,
        TransferMode::Unreliable,
    ];
    let mut want = Vec::new();
    for ch in [0, 2] {
        for m in modes {
            let msg = format!("m{}c{ch}", m as i32).into_bytes();
            c.set_transfer_mode(m).unwrap();
            c.set_transfer_channel(ch).unwrap();
            c.put_packet(&msg).unwrap();
            want.push((msg, 1, ch, m));
        }
    }
    let mut got = Vec::new();
    let start = Instant::now();
    while got.len() < want.len() && start.elapsed() < LIMIT {
        let _ = c.poll();
        while let Some(g) = take(&mut c) {
            got.push(g);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    got.sort_by(|a, b| a.0.cmp(&b.0));
    want.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(got, want);
    // What libenet saw: channel and flags per mode.
    let mut seen = Vec::new();
    for _ in 0..want.len() {
        lines.push(next_line(&mut c));
    }
    seen.extend(lines);
    seen.sort();
    let mut expect = vec![
        "RECV 0 1 m2c0", // RELIABLE: channel 0, flag 1
        "RECV 1 8 m1c0", // UNRELIABLE_ORDERED: channel 1, flag 8 as received (plain unreliable)
        "RECV 1 2 m0c0", // UNRELIABLE: channel 1, unsequenced
        "RECV 3 1 m2c2", // user channel 2 = ENet channel 3
        "RECV 3 8 m1c2",
        "RECV 3 2 m0c2",
    ];
    expect.sort();
    // libenet reports a plain SEND_UNRELIABLE with flags 0; accept 0 or 8 for ordered packets.
    let seen: Vec<String> = seen
        .into_iter()
        .map(|s| {
            s.replace("RECV 1 0 ", "RECV 1 8 ")
                .replace("RECV 3 0 ", "RECV 3 8 ")
        })
        .collect();
    let mut seen = seen;
    seen.sort();
    assert_eq!(seen, expect);
    c.disconnect_peer(1, false).unwrap();
    let start = Instant::now();
    while c.get_connection_status() != Ok(ConnectionStatus::Disconnected) && start.elapsed() < LIMIT
    {
        let _ = c.poll();
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(c.pop_event(), Some(MultiplayerEvent::PeerDisconnected(1)));
    assert!(kid.0.wait().unwrap().success());
}
