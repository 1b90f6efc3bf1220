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

/// Bound on every wait: generous, as a loaded 2-core machine can stall a test for seconds; only a
/// failing test ever waits that long.
const LIMIT: Duration = Duration::from_secs(30);

fn godot_mp() -> &'static PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("enet_c_godot_mp");
        // Built under a name of its own, then renamed: another test process building it at the same
        // time would otherwise meet a half-written file ("text file busy").
        let tmp = out.with_extension(format!("tmp{}", std::process::id()));
        let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/enet_c/godot_mp.c");
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
            "building tests/enet_c/godot_mp.c failed (is libenet-dev installed?)"
        );
        std::fs::rename(&tmp, &out).expect("move the C peer into place");
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
        .args([
            "client",
            &port.to_string(),
            "4242",
            &LIMIT.as_millis().to_string(),
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap());
    // The client sends its unreliable packets again (as "uns<k>" / "ord<k>", k counting the copies)
    // until it hears from us, as they may be dropped; each copy arrives at most once.
    let mut got = Vec::new();
    let has = |got: &[(Vec<u8>, i32, i32, TransferMode)], prefix: &[u8]| {
        got.iter().any(|g| g.0.starts_with(prefix))
    };
    let start = Instant::now();
    while !(has(&got, b"rel") && has(&got, b"ch3") && has(&got, b"uns") && has(&got, b"ord"))
        && start.elapsed() < LIMIT
    {
        let _ = s.poll();
        while let Some(g) = take(&mut s) {
            got.push(g);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(s.pop_event(), Some(MultiplayerEvent::PeerConnected(4242)));
    got.sort_by(|a, b| a.0.cmp(&b.0));
    let mut unreliable = 0;
    for (i, g) in got.iter().enumerate() {
        assert!(i == 0 || got[i - 1].0 != g.0, "{:?} delivered twice", g.0);
        let text = String::from_utf8_lossy(&g.0).into_owned();
        let want = match text.as_str() {
            "ch3" => (3, TransferMode::Reliable),
            "rel" => (0, TransferMode::Reliable),
            t if t.starts_with("ord") && t[3..].parse::<u32>().is_ok() => {
                unreliable += 1;
                (0, TransferMode::UnreliableOrdered)
            }
            t if t.starts_with("uns") && t[3..].parse::<u32>().is_ok() => {
                unreliable += 1;
                (0, TransferMode::Unreliable)
            }
            t => panic!("unexpected packet {t:?}"),
        };
        assert_eq!((g.1, g.2, g.3), (4242, want.0, want.1), "{text}");
    }
    assert!(unreliable >= 2);
    assert!(has(&got, b"rel") && has(&got, b"ch3") && has(&got, b"uns") && has(&got, b"ord"));
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
        .args(["server", &LIMIT.as_millis().to_string()])
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
    // (message, channel, mode, what libenet reports: "RECV <ENet channel> <flags>").
    // RELIABLE: channel 0, flag 1. UNRELIABLE_ORDERED: channel 1, flag 8 as sent (libenet reports a
    // plain SEND_UNRELIABLE with flags 0; both accepted). UNRELIABLE: channel 1, unsequenced (2).
    // User channel 2 is ENet channel 3.
    let mut want: Vec<(String, i32, TransferMode, Vec<String>)> = Vec::new();
    for ch in [0, 2] {
        for m in modes {
            let enet_ch = match (ch, m) {
                (0, TransferMode::Reliable) => 0,
                (0, _) => 1,
                _ => ch + 1,
            };
            let flags: &[u32] = match m {
                TransferMode::Reliable => &[1],
                TransferMode::UnreliableOrdered => &[8, 0],
                TransferMode::Unreliable => &[2],
            };
            let recv = flags
                .iter()
                .map(|f| format!("RECV {enet_ch} {f}"))
                .collect();
            want.push((format!("m{}c{ch}", m as i32), ch, m, recv));
        }
    }
    // Unreliable packets may be dropped either way (ENet's throttle, a full socket buffer): what has
    // not come back yet goes again every 200 ms, each copy tagged "#<k>" so that every copy can be
    // checked to arrive at most once.
    let mut copies = vec![0u32; want.len()];
    let mut echoed = vec![false; want.len()];
    let mut seen = vec![false; want.len()];
    let mut got: Vec<Vec<u8>> = Vec::new();
    let mut resend_at = Instant::now();
    let start = Instant::now();
    while !(echoed.iter().all(|e| *e) && seen.iter().all(|e| *e)) {
        assert!(
            start.elapsed() < LIMIT,
            "echoed {echoed:?}, reported {seen:?}"
        );
        if Instant::now() >= resend_at {
            for (i, (msg, ch, m, _)) in want.iter().enumerate() {
                if echoed[i] || (*m == TransferMode::Reliable && copies[i] > 0) {
                    continue;
                }
                c.set_transfer_mode(*m).unwrap();
                c.set_transfer_channel(*ch).unwrap();
                c.put_packet(format!("{msg}#{}", copies[i]).as_bytes())
                    .unwrap();
                copies[i] += 1;
            }
            resend_at = Instant::now() + Duration::from_millis(200);
        }
        let _ = c.poll();
        while let Some((data, from, ch, mode)) = take(&mut c) {
            let text = String::from_utf8_lossy(&data).into_owned();
            assert!(!got.contains(&data), "{text:?} delivered twice");
            let i = want
                .iter()
                .position(|w| text.split('#').next() == Some(w.0.as_str()))
                .unwrap_or_else(|| panic!("unexpected echo {text:?}"));
            assert_eq!((from, ch, mode), (1, want[i].1, want[i].2), "{text}");
            echoed[i] = true;
            got.push(data);
        }
        // What libenet saw: channel and flags per mode.
        while let Ok(l) = rx.try_recv() {
            let (head, text) = l.rsplit_once(' ').unwrap_or_else(|| panic!("{l:?}"));
            let i = want
                .iter()
                .position(|w| text.split('#').next() == Some(w.0.as_str()))
                .unwrap_or_else(|| panic!("unexpected line {l:?}"));
            assert!(
                want[i].3.iter().any(|r| r == head),
                "{l:?}, expected {:?}",
                want[i].3
            );
            seen[i] = true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
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
