//! ENetMultiplayerPeer's Godot 3 mode against the real Godot 3 engine (Debian's `godot3-server`,
//! headless Godot 3.2.3, running tests/engine3/enet_peer.gd: a NetworkedMultiplayerENet used
//! directly, driven by "!send" / "!close" command packets and printing what it sees). Loopback,
//! bounded waits, every engine process killed by its PID at the end. IPv4 only: Debian's
//! godot3-server links the system ("vanilla") ENet, with which 3.2.3 refuses IPv6 ("Connecting to
//! an IPv6 server isn't supported when using vanilla ENet"; `set_bind_ip("::1")` fails with
//! ERR_INVALID_PARAMETER); tests/enet_multiplayer_godot3.rs covers ::1 among our own peers.
//!
//! * A Godot 3 server with two of our clients: ids, peer_connected on every side (our clients learn
//!   each other from the engine's SYSMSG_ADD_PEER), reliable, unreliable and ordered packets both
//!   ways with their modes, client-to-client packets relayed by the engine, a client's broadcast,
//!   all-but-one and all-but-the-server, the server's broadcast, all-but and one-peer sends, a
//!   client leaving (SYSMSG_REMOVE_PEER), the server closing.
//! * Our server with two Godot 3 clients: the same from the other side, our server relaying
//!   between the engine's clients, and the flags the engine uses per transfer mode as our server
//!   reads them.
//! * Compression: our server and a Godot 3 client with each of RANGE_CODER, FASTLZ, ZLIB and ZSTD
//!   exchange a compressible packet both ways.
//! * A translating relay: a Godot 3 client's dictionary (its `put_var`) reaches a Godot 4 peer of
//!   ours as the right Godot 4 bytes (written out by the golden vectors' layout), and the same value
//!   sent back by our Godot 4 peer reaches the game, which finds it equal to its own.

mod engine3;

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use packetpeer::enet::multiplayer::ENetMultiplayerPeer;
use packetpeer::multiplayer::{ConnectionStatus, MultiplayerEvent, MultiplayerPeer, TransferMode};
use packetpeer::peer::PacketPeer;

use engine3::Godot3;

const LIMIT: Duration = Duration::from_secs(40);

/// (text, from, mode)
type Got = (String, i32, TransferMode);

/// One of our peers and everything it received so far.
struct Ours {
    p: ENetMultiplayerPeer,
    got: Vec<Got>,
    ev: Vec<MultiplayerEvent>,
}

impl Ours {
    fn new(p: ENetMultiplayerPeer) -> Ours {
        Ours {
            p,
            got: Vec::new(),
            ev: Vec::new(),
        }
    }
    fn pump(&mut self) {
        let _ = self.p.poll();
        while self.p.get_available_packet_count() > 0 {
            let from = self.p.get_packet_peer();
            let mode = self.p.get_packet_mode().unwrap();
            let data = self.p.get_packet().unwrap();
            self.got
                .push((String::from_utf8_lossy(data).into_owned(), from, mode));
        }
        while let Some(e) = self.p.pop_event() {
            self.ev.push(e);
        }
    }
    fn has(&self, text: &str, from: i32) -> Option<TransferMode> {
        self.got
            .iter()
            .find(|g| g.0 == text && g.1 == from)
            .map(|g| g.2)
    }
    fn has_text(&self, text: &str) -> bool {
        self.got.iter().any(|g| g.0 == text)
    }
    /// Sends `text` to `target` with `mode`.
    fn send(&mut self, target: i32, mode: TransferMode, text: &str) {
        self.p.set_target_peer(target).unwrap();
        self.p.set_transfer_mode(mode).unwrap();
        self.p.put_packet(text.as_bytes()).unwrap();
    }
}

fn g3_peer() -> ENetMultiplayerPeer {
    let mut p = ENetMultiplayerPeer::new();
    p.set_godot3_compat(true).unwrap();
    p
}

/// Polls our peers and reads the engines' output until `done` holds; panics with every engine's
/// transcript after LIMIT.
fn until(
    what: &str,
    engines: &mut [&mut Godot3],
    ours: &mut [&mut Ours],
    mut done: impl FnMut(&[&mut Godot3], &mut [&mut Ours]) -> bool,
) {
    let start = Instant::now();
    loop {
        for o in ours.iter_mut() {
            o.pump();
        }
        for e in engines.iter_mut() {
            e.drain();
        }
        if done(engines, ours) {
            return;
        }
        if start.elapsed() > LIMIT {
            let logs: Vec<String> = engines.iter_mut().map(|e| e.transcript()).collect();
            let seen: Vec<(&Vec<Got>, &Vec<MultiplayerEvent>)> =
                ours.iter().map(|o| (&o.got, &o.ev)).collect();
            panic!(
                "timed out waiting for {what}\nours: {seen:#?}\nengines:\n{}",
                logs.join("\n-----\n")
            );
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Pumps for `ms` more milliseconds (to catch a delivery that must not happen).
fn settle(engines: &mut [&mut Godot3], ours: &mut [&mut Ours], ms: u64) {
    let end = Instant::now() + Duration::from_millis(ms);
    while Instant::now() < end {
        for o in ours.iter_mut() {
            o.pump();
        }
        for e in engines.iter_mut() {
            e.drain();
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn line(e: &Godot3, l: &str) -> bool {
    e.log.iter().any(|x| x == l)
}

/// The value after `prefix` on the first line that starts with it.
fn field(e: &Godot3, prefix: &str) -> Option<i32> {
    e.log
        .iter()
        .find_map(|l| l.strip_prefix(prefix))
        .and_then(|v| v.trim().parse().ok())
}

fn free_udp_port() -> u16 {
    let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    s.local_addr().unwrap().port()
}

#[test]
fn godot3_server_with_two_of_our_clients() {
    let port = free_udp_port();
    let mut eng = Godot3::start("enet_peer.gd", &["server".into(), port.to_string()]);
    assert!(
        eng.wait_line("READY", LIMIT).is_some(),
        "engine server did not start:\n{}",
        eng.transcript()
    );
    let mut a = Ours::new(g3_peer());
    let mut b = Ours::new(g3_peer());
    a.p.create_client("127.0.0.1", port as i32, 0, 0, 0, 0)
        .unwrap();
    until("client a", &mut [&mut eng], &mut [&mut a], |_, o| {
        o[0].p.get_connection_status() == Ok(ConnectionStatus::Connected)
    });
    b.p.create_client("127.0.0.1", port as i32, 0, 0, 0, 0)
        .unwrap();
    let (ia, ib) = (a.p.get_unique_id().unwrap(), b.p.get_unique_id().unwrap());
    let (ca, cb) = (
        format!("EVENT connected {ia}"),
        format!("EVENT connected {ib}"),
    );
    until(
        "both connected, each learning the other",
        &mut [&mut eng],
        &mut [&mut a, &mut b],
        |e, o| {
            line(e[0], &ca)
                && line(e[0], &cb)
                && o[0].ev.contains(&MultiplayerEvent::PeerConnected(ib))
                && o[1].ev.contains(&MultiplayerEvent::PeerConnected(ia))
        },
    );
    assert_eq!(a.ev[0], MultiplayerEvent::PeerConnected(1));
    assert_eq!(
        b.ev[..2],
        [
            MultiplayerEvent::PeerConnected(1),
            MultiplayerEvent::PeerConnected(ia)
        ]
    );

    // a -> the server, each mode (unreliable ones resent until seen: the network may lose them).
    a.send(1, TransferMode::Reliable, "a-rel");
    for (mode, text) in [
        (TransferMode::Unreliable, "a-unrel"),
        (TransferMode::UnreliableOrdered, "a-ord"),
    ] {
        let want = format!("RECV {ia} {text}");
        let mut last = Instant::now() - Duration::from_secs(1);
        until(text, &mut [&mut eng], &mut [&mut a, &mut b], |e, o| {
            if !line(e[0], &want) && last.elapsed() > Duration::from_millis(300) {
                o[0].p.set_target_peer(1).unwrap();
                o[0].p.set_transfer_mode(mode).unwrap();
                o[0].p.put_packet(text.as_bytes()).unwrap();
                last = Instant::now();
            }
            line(e[0], &want)
        });
        a.got.clear();
    }
    let want = format!("RECV {ia} a-rel");
    until("a-rel", &mut [&mut eng], &mut [&mut a, &mut b], |e, _| {
        line(e[0], &want)
    });
    // The ENet channels the engine saw: RELIABLE on 1, both unreliable modes on 2.
    let chans = ["CHANNEL 1 a-rel", "CHANNEL 2 a-unrel", "CHANNEL 2 a-ord"];
    until(
        "the channels",
        &mut [&mut eng],
        &mut [&mut a, &mut b],
        |e, _| chans.iter().all(|l| line(e[0], l)),
    );

    // a -> b, relayed by the engine; a's broadcast; a's all-but-b; a's all-but-the-server.
    a.send(ib, TransferMode::Reliable, "a2b");
    a.send(0, TransferMode::Reliable, "a-all");
    a.send(-ib, TransferMode::Reliable, "a-butb");
    a.send(-1, TransferMode::Reliable, "a-but1");
    let (w_all, w_butb) = (format!("RECV {ia} a-all"), format!("RECV {ia} a-butb"));
    until(
        "a's relayed packets",
        &mut [&mut eng],
        &mut [&mut a, &mut b],
        |e, o| {
            line(e[0], &w_all)
                && line(e[0], &w_butb)
                && o[1].has("a2b", ia).is_some()
                && o[1].has("a-all", ia).is_some()
                && o[1].has("a-but1", ia).is_some()
        },
    );
    settle(&mut [&mut eng], &mut [&mut a, &mut b], 200);
    assert_eq!(
        b.has("a2b", ia),
        Some(TransferMode::Reliable),
        "relayed with its flags"
    );
    assert!(!b.has_text("a-butb"), "b was excluded");
    assert!(!line(&eng, &format!("RECV {ia} a2b")), "not for the server");
    assert!(
        !line(&eng, &format!("RECV {ia} a-but1")),
        "the server was excluded"
    );
    assert!(
        !a.has_text("a-all") && !a.has_text("a2b"),
        "nothing back to the sender"
    );

    // The engine sends: broadcast reliable, all-but-a unreliable, to b ordered.
    a.send(1, TransferMode::Reliable, "!send 0 2 s-all");
    a.send(
        1,
        TransferMode::Reliable,
        &format!("!send {} 0 s-buta", -ia),
    );
    a.send(1, TransferMode::Reliable, &format!("!send {ib} 1 s-b"));
    until(
        "the engine's sends",
        &mut [&mut eng],
        &mut [&mut a, &mut b],
        |_, o| {
            o[0].has("s-all", 1).is_some()
                && o[1].has("s-all", 1).is_some()
                && o[1].has("s-buta", 1).is_some()
                && o[1].has("s-b", 1).is_some()
        },
    );
    settle(&mut [&mut eng], &mut [&mut a, &mut b], 200);
    assert_eq!(a.has("s-all", 1), Some(TransferMode::Reliable));
    assert_eq!(b.has("s-buta", 1), Some(TransferMode::Unreliable));
    assert_eq!(b.has("s-b", 1), Some(TransferMode::UnreliableOrdered));
    assert!(!a.has_text("s-buta") && !a.has_text("s-b"));
    for l in eng.log.iter().filter(|l| l.starts_with("SENT")) {
        assert!(l.starts_with("SENT 0 "), "engine put_packet failed: {l}");
    }

    // b leaves: the engine and a hear of it.
    b.p.close().unwrap();
    let gone = format!("EVENT disconnected {ib}");
    until("b gone", &mut [&mut eng], &mut [&mut a], |e, o| {
        line(e[0], &gone) && o[0].ev.contains(&MultiplayerEvent::PeerDisconnected(ib))
    });
    // The server closes: a sees the server go.
    a.send(1, TransferMode::Reliable, "!close");
    until("server closed", &mut [&mut eng], &mut [&mut a], |e, o| {
        line(e[0], "CLOSED") && o[0].p.get_connection_status() == Ok(ConnectionStatus::Disconnected)
    });
    assert!(a.ev.contains(&MultiplayerEvent::PeerDisconnected(1)));
    assert_eq!(a.p.dropped_packets(), 0);
    assert!(eng.finish(Duration::from_secs(10)), "{}", eng.transcript());
}

#[test]
fn our_server_with_two_godot3_clients() {
    let mut s = Ours::new(g3_peer());
    s.p.set_bind_ip("127.0.0.1").unwrap();
    s.p.create_server(0, 8, 0, 0, 0).unwrap();
    let port = s.p.get_host().unwrap().lock().unwrap().get_local_port();
    let mut x = Godot3::start("enet_peer.gd", &["client".into(), port.to_string()]);
    until("engine client x", &mut [&mut x], &mut [&mut s], |e, _| {
        field(e[0], "CONNECTED ").is_some()
    });
    let mut y = Godot3::start("enet_peer.gd", &["client".into(), port.to_string()]);
    until(
        "engine client y",
        &mut [&mut x, &mut y],
        &mut [&mut s],
        |e, _| field(e[1], "CONNECTED ").is_some(),
    );
    let ix = field(&x, "CONNECTED ").unwrap();
    let iy = field(&y, "CONNECTED ").unwrap();
    assert!(ix >= 2 && iy >= 2 && ix != iy);
    let (cx, cy) = (
        format!("EVENT connected {ix}"),
        format!("EVENT connected {iy}"),
    );
    until(
        "ids and peer_connected everywhere",
        &mut [&mut x, &mut y],
        &mut [&mut s],
        |e, o| {
            line(e[0], "EVENT connected 1")
                && line(e[0], &cy)
                && line(e[1], "EVENT connected 1")
                && line(e[1], &cx)
                && o[0].ev
                    == [
                        MultiplayerEvent::PeerConnected(ix),
                        MultiplayerEvent::PeerConnected(iy),
                    ]
        },
    );

    // Our server sends: broadcast reliable, all-but-x unreliable, to x ordered.
    s.send(0, TransferMode::Reliable, "s-all");
    s.send(-ix, TransferMode::Unreliable, "s-butx");
    s.send(ix, TransferMode::UnreliableOrdered, "s-x");
    until(
        "our server's sends",
        &mut [&mut x, &mut y],
        &mut [&mut s],
        |e, _| {
            line(e[0], "RECV 1 s-all")
                && line(e[1], "RECV 1 s-all")
                && line(e[1], "RECV 1 s-butx")
                && line(e[0], "RECV 1 s-x")
        },
    );

    // x's packets through our server, each by a command from our server: to y, broadcast,
    // all-but-y, all-but-the-server; then unreliable and ordered to the server.
    let cmd = |s: &mut Ours, to: i32, c: String| s.send(to, TransferMode::Reliable, &c);
    cmd(&mut s, ix, format!("!send {iy} 2 x2y"));
    cmd(&mut s, ix, "!send 0 2 x-all".into());
    cmd(&mut s, ix, format!("!send {} 2 x-buty", -iy));
    cmd(&mut s, ix, "!send -1 2 x-but1".into());
    cmd(&mut s, ix, "!send 1 0 x-unrel".into());
    cmd(&mut s, ix, "!send 1 1 x-ord".into());
    let (w_x2y, w_all, w_but1) = (
        format!("RECV {ix} x2y"),
        format!("RECV {ix} x-all"),
        format!("RECV {ix} x-but1"),
    );
    until(
        "x's packets",
        &mut [&mut x, &mut y],
        &mut [&mut s],
        |e, o| {
            line(e[1], &w_x2y)
                && line(e[1], &w_all)
                && line(e[1], &w_but1)
                && o[0].has("x-all", ix).is_some()
                && o[0].has("x-buty", ix).is_some()
                && o[0].has("x-unrel", ix).is_some()
                && o[0].has("x-ord", ix).is_some()
        },
    );
    settle(&mut [&mut x, &mut y], &mut [&mut s], 200);
    assert!(!s.has_text("x2y"), "relayed, not kept by our server");
    assert!(!s.has_text("x-but1"), "our server was excluded");
    assert!(!line(&y, &format!("RECV {ix} x-buty")), "y was excluded");
    assert!(!line(&x, &w_all), "nothing back to the sender");
    // The engine's flags per mode, as our server reads them.
    assert_eq!(s.has("x-all", ix), Some(TransferMode::Reliable));
    assert_eq!(s.has("x-unrel", ix), Some(TransferMode::Unreliable));
    assert_eq!(s.has("x-ord", ix), Some(TransferMode::UnreliableOrdered));
    for e in [&x, &y] {
        for l in e.log.iter().filter(|l| l.starts_with("SENT")) {
            assert!(l.starts_with("SENT 0 "), "engine put_packet failed: {l}");
        }
    }

    // y closes: our server and x hear of it.
    cmd(&mut s, iy, "!close".into());
    let gone = format!("EVENT disconnected {iy}");
    until("y gone", &mut [&mut x, &mut y], &mut [&mut s], |e, o| {
        line(e[1], "CLOSED")
            && line(e[0], &gone)
            && o[0].ev.contains(&MultiplayerEvent::PeerDisconnected(iy))
    });
    // Our server disconnects x: x sees the server go.
    s.p.disconnect_peer(ix, false).unwrap();
    until("x disconnected", &mut [&mut x], &mut [&mut s], |e, o| {
        line(e[0], "SERVER_DISCONNECTED")
            && o[0].ev.contains(&MultiplayerEvent::PeerDisconnected(ix))
    });
    assert_eq!(s.p.dropped_packets(), 0);
    assert!(x.finish(Duration::from_secs(10)), "{}", x.transcript());
    assert!(y.finish(Duration::from_secs(10)), "{}", y.transcript());
}

/// The Godot 4 encoding of `translate_value()` of enet_peer.gd, written out by the layout of the
/// golden vectors (`docs/wire-format.md` §3–§13): DICTIONARY 27, STRING 4, VECTOR2 5, INT 2 (64-bit
/// with FLAG_64), BOOL 1, ARRAY 28, VECTOR3 9, COLOR 20, NODE_PATH 22.
const GODOT4_BYTES: &str = "1b000000 09000000
    04000000 04000000 6e616d65  04000000 09000000 706c6179 657220c3 a9000000
    04000000 03000000 706f7300  05000000 0000c03f 000000c0
    04000000 02000000 68700000  02000000 64000000
    04000000 03000000 62696700  02000100 00000000 00010000
    04000000 05000000 616c6976 65000000  01000000 01000000
    04000000 03000000 696e7600  1c000000 02000000 04000000 05000000 73776f72 64000000 02000000 03000000
    04000000 02000000 61740000  09000000 0000803f 00000040 00004040
    04000000 04000000 74696e74  14000000 0000803f 0000003f 0000803e 0000803f
    04000000 04000000 70617468  16000000 02000080 01000000 00000000
        06000000 506c6179 65720000 06000000 53707269 74650000 08000000 6d6f6475 6c617465";

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn translating_relay_between_a_godot3_client_and_a_godot4_peer() {
    use packetpeer::variant::{translate, DecodeOptions, Dialect, EncodeOptions, Variant};
    let g3_dec = DecodeOptions {
        dialect: Dialect::Godot3,
        ..Default::default()
    };
    let g3_enc = EncodeOptions {
        dialect: Dialect::Godot3,
        ..Default::default()
    };
    // The relay: a Godot 3-mode server facing the Godot 3 game, a Godot 4 server facing ours.
    let mut r3 = Ours::new(g3_peer());
    r3.p.set_bind_ip("127.0.0.1").unwrap();
    r3.p.create_server(0, 8, 0, 0, 0).unwrap();
    let port3 = r3.p.get_host().unwrap().lock().unwrap().get_local_port();
    let mut r4 = Ours::new(ENetMultiplayerPeer::new());
    r4.p.set_bind_ip("127.0.0.1").unwrap();
    r4.p.create_server(0, 8, 0, 0, 0).unwrap();
    let port4 = r4.p.get_host().unwrap().lock().unwrap().get_local_port();
    let mut c4 = Ours::new(ENetMultiplayerPeer::new());
    c4.p.create_client("127.0.0.1", port4, 0, 0, 0, 0).unwrap();
    let mut x = Godot3::start("enet_peer.gd", &["client".into(), port3.to_string()]);
    until(
        "everyone connected",
        &mut [&mut x],
        &mut [&mut r3, &mut r4, &mut c4],
        |e, o| {
            field(e[0], "CONNECTED ").is_some()
                && !o[0].ev.is_empty()
                && !o[1].ev.is_empty()
                && o[2].p.get_connection_status() == Ok(ConnectionStatus::Connected)
        },
    );
    let ix = field(&x, "CONNECTED ").unwrap();
    let i4 = c4.p.get_unique_id().unwrap();

    // Godot 3 -> Godot 4: the game's put_var, translated by the relay.
    r3.send(ix, TransferMode::Reliable, "!putvar 1");
    let start = Instant::now();
    let raw = loop {
        let _ = r3.p.poll();
        x.drain();
        if r3.p.get_available_packet_count() > 0 {
            assert_eq!(r3.p.get_packet_peer(), ix);
            break r3.p.get_packet().unwrap().to_vec();
        }
        assert!(start.elapsed() < LIMIT, "{}", x.transcript());
        std::thread::sleep(Duration::from_millis(1));
    };
    assert_eq!(&raw[..4], &[0x12, 0, 0, 0], "a Godot 3 DICTIONARY (18)");
    let (g4, used) = translate(&raw, &g3_dec, &EncodeOptions::default()).unwrap();
    assert_eq!(used, raw.len());
    r4.p.set_target_peer(i4).unwrap();
    r4.p.put_packet(&g4).unwrap();
    let want = hex(GODOT4_BYTES);
    let start = Instant::now();
    let got4 = loop {
        let _ = r4.p.poll();
        let _ = c4.p.poll();
        if c4.p.get_available_packet_count() > 0 {
            assert_eq!(c4.p.get_packet_peer(), 1);
            break c4.p.get_packet().unwrap().to_vec();
        }
        assert!(start.elapsed() < LIMIT);
        std::thread::sleep(Duration::from_millis(1));
    };
    if got4 != want {
        let at = got4.iter().zip(&want).position(|(a, b)| a != b);
        panic!(
            "Godot 4 bytes differ at {at:?} (sizes {} / {}):\n got {got4:02x?}\nwant {want:02x?}",
            got4.len(),
            want.len()
        );
    }
    let (value, _) = packetpeer::variant::decode(&got4, &DecodeOptions::default()).unwrap();
    let Variant::Dictionary(d) = &value else {
        panic!("{value:?}")
    };
    assert_eq!(d.len(), 9);

    // Godot 4 -> Godot 3: our Godot 4 peer's put_var of the same value, translated back, reaches
    // the game, which compares it with its own dictionary.
    c4.p.set_target_peer(1).unwrap();
    c4.p.put_var(&value, false).unwrap();
    let start = Instant::now();
    let from4 = loop {
        let _ = r4.p.poll();
        let _ = c4.p.poll();
        if r4.p.get_available_packet_count() > 0 {
            break r4.p.get_packet().unwrap().to_vec();
        }
        assert!(start.elapsed() < LIMIT);
        std::thread::sleep(Duration::from_millis(1));
    };
    assert_eq!(from4, want, "our Godot 4 put_var");
    let (back3, _) = translate(&from4, &DecodeOptions::default(), &g3_enc).unwrap();
    r3.p.set_target_peer(ix).unwrap();
    r3.p.put_packet(&back3).unwrap();
    until(
        "the game checks it",
        &mut [&mut x],
        &mut [&mut r3],
        |e, _| e[0].log.iter().any(|l| l.starts_with("VAR_")),
    );
    assert!(line(&x, "VAR_OK 1"), "{}", x.transcript());
}

#[test]
fn compressed_godot3_client() {
    use packetpeer::enet::compress::CompressionMode;
    for mode in [
        CompressionMode::RangeCoder,
        CompressionMode::FastLz,
        CompressionMode::Zlib,
        CompressionMode::Zstd,
    ] {
        let mut s = Ours::new(g3_peer());
        s.p.set_bind_ip("127.0.0.1").unwrap();
        s.p.create_server(0, 8, 0, 0, 0).unwrap();
        let host = s.p.get_host().unwrap();
        host.lock().unwrap().compress(mode).unwrap();
        let port = host.lock().unwrap().get_local_port();
        let args = [
            "client".to_string(),
            port.to_string(),
            (mode as i32).to_string(),
        ];
        let mut x = Godot3::start("enet_peer.gd", &args);
        let what = format!("{mode:?}: engine client");
        until(&what, &mut [&mut x], &mut [&mut s], |e, o| {
            field(e[0], "CONNECTED ").is_some() && !o[0].ev.is_empty()
        });
        let ix = field(&x, "CONNECTED ").unwrap();
        // Compressible both ways: the command (ours -> engine) and the echo (engine -> ours).
        let text: String = "compressible ".repeat(60);
        s.send(ix, TransferMode::Reliable, &format!("!send 1 2 {text}"));
        let what = format!("{mode:?}: the echo");
        until(&what, &mut [&mut x], &mut [&mut s], |_, o| {
            o[0].has(text.trim_end(), ix).is_some() || o[0].has(&text, ix).is_some()
        });
        assert_eq!(s.p.dropped_packets(), 0);
        x.finish(Duration::from_millis(10));
    }
}
