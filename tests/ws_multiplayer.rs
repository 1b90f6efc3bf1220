//! WebSocketMultiplayerPeer (`docs/classes.md` §20) on loopback: one server and several clients of
//! ours, the ID message checked on the wire, targets, disconnects, refusal and handshake timeouts.
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use packetpeer::multiplayer::{ConnectionStatus, MultiplayerEvent, MultiplayerPeer};
use packetpeer::peer::PacketPeer;
use packetpeer::ws::WebSocketMultiplayerPeer;
use packetpeer::Error;

const LIMIT: Duration = Duration::from_secs(20);

fn pump(
    all: &mut [&mut WebSocketMultiplayerPeer],
    what: &str,
    mut done: impl FnMut(&mut [&mut WebSocketMultiplayerPeer]) -> bool,
) {
    let end = Instant::now() + LIMIT;
    loop {
        for p in all.iter_mut() {
            let _ = MultiplayerPeer::poll(&mut **p);
        }
        if done(all) {
            return;
        }
        assert!(Instant::now() < end, "timed out: {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn events(p: &mut WebSocketMultiplayerPeer) -> Vec<MultiplayerEvent> {
    std::iter::from_fn(|| p.pop_event()).collect()
}

fn packets(p: &mut WebSocketMultiplayerPeer) -> Vec<(i32, Vec<u8>)> {
    let mut v = Vec::new();
    while p.get_available_packet_count() > 0 {
        let from = p.get_packet_peer();
        v.push((from, p.get_packet().unwrap().to_vec()));
    }
    v
}

#[test]
fn server_and_three_clients() {
    let mut s = WebSocketMultiplayerPeer::new();
    s.create_server(0, "127.0.0.1").unwrap();
    assert_eq!(s.get_unique_id(), Ok(1));
    assert!(s.is_server_relay_supported());
    assert_eq!(s.get_max_packet_size(), 65526);
    let url = format!("ws://127.0.0.1:{}", s.get_local_port());
    let mut cs: Vec<WebSocketMultiplayerPeer> = (0..3)
        .map(|_| {
            let mut c = WebSocketMultiplayerPeer::new();
            c.create_client(&url).unwrap();
            assert_eq!(c.get_connection_status(), Ok(ConnectionStatus::Connecting));
            c
        })
        .collect();
    {
        let [a, b, c] = &mut cs[..] else {
            unreachable!()
        };
        pump(&mut [&mut s, a, b, c], "all connected", |p| {
            p.iter()
                .all(|x| x.get_connection_status() == Ok(ConnectionStatus::Connected))
                && p[0].peer_ids().len() == 3
        });
    }
    let ids: Vec<i32> = cs.iter().map(|c| c.get_unique_id().unwrap()).collect();
    assert!(ids.iter().all(|&i| i >= 2));
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(s.peer_ids(), sorted);
    let mut evs = events(&mut s);
    evs.sort_by_key(|e| format!("{e:?}"));
    let mut want: Vec<MultiplayerEvent> = ids
        .iter()
        .map(|&i| MultiplayerEvent::PeerConnected(i))
        .collect();
    want.sort_by_key(|e| format!("{e:?}"));
    assert_eq!(evs, want);
    for c in cs.iter_mut() {
        assert_eq!(events(c), vec![MultiplayerEvent::PeerConnected(1)]);
    }
    assert_eq!(s.get_peer_address(ids[0]).as_deref(), Some("127.0.0.1"));
    assert!(s.get_peer_port(ids[0]).unwrap_or(0) > 0);

    // Targets: broadcast, one peer, all but one; raw payloads, no header.
    s.set_target_peer(0).unwrap();
    s.put_packet(b"all").unwrap();
    s.set_target_peer(ids[1]).unwrap();
    s.put_packet(b"one").unwrap();
    s.set_target_peer(-ids[0]).unwrap();
    s.put_packet(b"not0").unwrap();
    s.set_target_peer(12345).unwrap();
    assert_eq!(s.put_packet(b"x"), Err(Error::InvalidParameter));
    {
        let [a, b, c] = &mut cs[..] else {
            unreachable!()
        };
        pump(&mut [&mut s, a, b, c], "delivered", |p| {
            p[1].get_available_packet_count() == 1
                && p[2].get_available_packet_count() == 3
                && p[3].get_available_packet_count() == 2
        });
    }
    assert_eq!(packets(&mut cs[0]), vec![(1, b"all".to_vec())]);
    assert_eq!(
        packets(&mut cs[1]),
        vec![
            (1, b"all".to_vec()),
            (1, b"one".to_vec()),
            (1, b"not0".to_vec())
        ]
    );
    assert_eq!(
        packets(&mut cs[2]),
        vec![(1, b"all".to_vec()), (1, b"not0".to_vec())]
    );
    // Clients to the server (their target is ignored: always the server).
    for (i, c) in cs.iter_mut().enumerate() {
        c.set_target_peer(0).unwrap();
        c.put_packet(&[i as u8; 3]).unwrap();
    }
    {
        let [a, b, c] = &mut cs[..] else {
            unreachable!()
        };
        pump(&mut [&mut s, a, b, c], "to server", |p| {
            p[0].get_available_packet_count() == 3
        });
    }
    let mut got = packets(&mut s);
    got.sort();
    let mut want: Vec<(i32, Vec<u8>)> = ids
        .iter()
        .enumerate()
        .map(|(i, &id)| (id, vec![i as u8; 3]))
        .collect();
    want.sort();
    assert_eq!(got, want);

    // disconnect_peer: graceful (both sides get peer_disconnected), then forced (no event).
    s.disconnect_peer(ids[0], false).unwrap();
    {
        let [a, b, c] = &mut cs[..] else {
            unreachable!()
        };
        pump(&mut [&mut s, a, b, c], "graceful", |p| {
            p[1].get_connection_status() == Ok(ConnectionStatus::Disconnected)
                && p[0].peer_ids().len() == 2
        });
    }
    assert_eq!(
        events(&mut s),
        vec![MultiplayerEvent::PeerDisconnected(ids[0])]
    );
    assert_eq!(
        events(&mut cs[0]),
        vec![MultiplayerEvent::PeerDisconnected(1)]
    );
    s.disconnect_peer(ids[1], true).unwrap();
    assert_eq!(s.peer_ids().len(), 1);
    {
        let [a, b, c] = &mut cs[..] else {
            unreachable!()
        };
        pump(&mut [&mut s, a, b, c], "forced", |p| {
            p[2].get_connection_status() == Ok(ConnectionStatus::Disconnected)
        });
    }
    assert!(events(&mut s).is_empty());
    assert_eq!(
        s.disconnect_peer(ids[1], false),
        Err(Error::InvalidParameter)
    );
    // A client leaving: the server sees peer_disconnected.
    cs[2].close().unwrap();
    assert_eq!(
        cs[2].get_connection_status(),
        Ok(ConnectionStatus::Disconnected)
    );
    pump(&mut [&mut s], "client left", |p| p[0].peer_ids().is_empty());
    assert_eq!(
        events(&mut s),
        vec![MultiplayerEvent::PeerDisconnected(ids[2])]
    );
}

#[test]
fn id_message_on_the_wire_and_timeouts() {
    let mut s = WebSocketMultiplayerPeer::new();
    s.set_handshake_timeout(0.3).unwrap();
    assert_eq!(s.set_handshake_timeout(0.0), Err(Error::InvalidParameter));
    s.create_server(0, "127.0.0.1").unwrap();
    assert_eq!(s.create_server(0, "127.0.0.1"), Err(Error::AlreadyInUse));
    let port = s.get_local_port();

    // A raw client: the first message is one unmasked binary frame of 4 bytes, the ID little-endian.
    let mut t = TcpStream::connect(("127.0.0.1", port)).unwrap();
    t.set_read_timeout(Some(Duration::from_millis(5))).unwrap();
    t.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").unwrap();
    let mut got = Vec::new();
    let end = Instant::now() + LIMIT;
    let head_len = loop {
        let _ = MultiplayerPeer::poll(&mut s);
        let mut b = [0u8; 512];
        if let Ok(n) = t.read(&mut b) {
            got.extend_from_slice(&b[..n]);
        }
        if let Some(p) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            if got.len() >= p + 4 + 6 {
                break p + 4;
            }
        }
        assert!(Instant::now() < end, "no ID message");
    };
    let frame = &got[head_len..head_len + 6];
    assert_eq!(&frame[..2], &[0x82, 0x04]);
    let id = i32::from_le_bytes([frame[2], frame[3], frame[4], frame[5]]);
    assert!(id >= 2);
    assert_eq!(s.peer_ids(), vec![id]);
    assert_eq!(events(&mut s), vec![MultiplayerEvent::PeerConnected(id)]);

    // A TCP connection that never handshakes is dropped after handshake_timeout.
    let mut silent = TcpStream::connect(("127.0.0.1", port)).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_millis(5)))
        .unwrap();
    let end = Instant::now() + LIMIT;
    loop {
        let _ = MultiplayerPeer::poll(&mut s);
        let mut b = [0u8; 16];
        match silent.read(&mut b) {
            Ok(0) => break,
            Ok(_) => panic!("the server sent something"),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(_) => {}
        }
        assert!(Instant::now() < end, "silent connection never dropped");
    }
    assert!(events(&mut s).is_empty());

    // Refusing: a new client never gets an ID and resets itself after its own timeout, no event.
    s.set_refuse_new_connections(true).unwrap();
    let mut c = WebSocketMultiplayerPeer::new();
    c.set_handshake_timeout(0.3).unwrap();
    c.create_client(&format!("ws://127.0.0.1:{port}")).unwrap();
    assert_eq!(
        c.create_client("ws://127.0.0.1:1"),
        Err(Error::AlreadyInUse)
    );
    pump(&mut [&mut s, &mut c], "client timeout", |p| {
        p[1].get_connection_status() == Ok(ConnectionStatus::Disconnected)
    });
    assert!(events(&mut c).is_empty());
    assert_eq!(c.put_packet(b"x"), Err(Error::Unconfigured));
    assert_eq!(s.peer_ids(), vec![id]);
}

#[test]
fn godot3_compat_mode() {
    let mut s = WebSocketMultiplayerPeer::new();
    s.set_godot3_compat(true).unwrap();
    s.create_server(0, "127.0.0.1").unwrap();
    assert!(!s.is_server_relay_supported());
    assert_eq!(s.set_godot3_compat(false), Err(Error::AlreadyInUse));
    let port = s.get_local_port();

    // The wire: a raw client gets SYS_ID(its id) then SYS_ADD(1), 13-byte messages from 1 to 0.
    let mut t = TcpStream::connect(("127.0.0.1", port)).unwrap();
    t.set_read_timeout(Some(Duration::from_millis(5))).unwrap();
    t.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").unwrap();
    let mut got = Vec::new();
    let end = Instant::now() + LIMIT;
    let head = loop {
        let _ = MultiplayerPeer::poll(&mut s);
        let mut b = [0u8; 512];
        if let Ok(n) = t.read(&mut b) {
            got.extend_from_slice(&b[..n]);
        }
        if let Some(p) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            if got.len() >= p + 4 + 30 {
                break p + 4;
            }
        }
        assert!(Instant::now() < end, "no SYS messages");
    };
    let raw_id = s.peer_ids()[0];
    let mut want = vec![0x82, 13, 3, 1, 0, 0, 0, 0, 0, 0, 0];
    want.extend_from_slice(&raw_id.to_le_bytes());
    want.extend_from_slice(&[0x82, 13, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    assert_eq!(&got[head..head + 30], &want[..]);
    drop(t);

    // Two clients of ours: IDs, peer announcements, relay between clients, SYS_DEL.
    let url = format!("ws://127.0.0.1:{port}");
    let mut a = WebSocketMultiplayerPeer::new();
    let mut b = WebSocketMultiplayerPeer::new();
    for c in [&mut a, &mut b] {
        c.set_godot3_compat(true).unwrap();
        c.create_client(&url).unwrap();
    }
    pump(&mut [&mut s, &mut a, &mut b], "connected", |p| {
        p[1].get_connection_status() == Ok(ConnectionStatus::Connected)
            && p[2].get_connection_status() == Ok(ConnectionStatus::Connected)
            && p[0].peer_ids().len() == 2
    });
    let (ia, ib) = (a.get_unique_id().unwrap(), b.get_unique_id().unwrap());
    assert!(ia >= 2 && ib >= 2 && ia != ib);
    pump(&mut [&mut s, &mut a, &mut b], "announcements", |p| {
        let ea = events(p[1]);
        let eb = events(p[2]);
        // Whoever came second learns the first; the first learns the second.
        ea.contains(&MultiplayerEvent::PeerConnected(ib))
            || eb.contains(&MultiplayerEvent::PeerConnected(ia))
    });
    a.set_target_peer(ib).unwrap();
    a.put_packet(b"a-to-b").unwrap();
    a.set_target_peer(0).unwrap();
    a.put_packet(b"a-to-all").unwrap();
    b.set_target_peer(1).unwrap();
    b.put_packet(b"b-to-server").unwrap();
    pump(&mut [&mut s, &mut a, &mut b], "relayed", |p| {
        p[0].get_available_packet_count() == 2 && p[2].get_available_packet_count() == 2
    });
    assert_eq!(
        packets(&mut b),
        vec![(ia, b"a-to-b".to_vec()), (ia, b"a-to-all".to_vec())]
    );
    let mut got = packets(&mut s);
    got.sort();
    let mut want = vec![(ia, b"a-to-all".to_vec()), (ib, b"b-to-server".to_vec())];
    want.sort();
    assert_eq!(got, want);
    assert!(packets(&mut a).is_empty());
    s.set_target_peer(ia).unwrap();
    s.put_packet(b"srv-to-a").unwrap();
    pump(&mut [&mut s, &mut a, &mut b], "server to a", |p| {
        p[1].get_available_packet_count() == 1
    });
    assert_eq!(packets(&mut a), vec![(1, b"srv-to-a".to_vec())]);
    // b leaves: a hears SYS_DEL(b).
    let _ = events(&mut a);
    b.close().unwrap();
    pump(&mut [&mut s, &mut a], "SYS_DEL", |p| {
        events(p[1]).contains(&MultiplayerEvent::PeerDisconnected(ib))
    });
}

/// Resident set size in bytes (Linux).
fn rss() -> usize {
    let s = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    s.split_whitespace()
        .nth(1)
        .and_then(|x| x.parse::<usize>().ok())
        .unwrap_or(0)
        * 4096
}

#[test]
fn a_thousand_half_open_connections() {
    // A multiple of 8. Both ends live in this process: 2 * N descriptors.
    const N: usize = 1000;
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is a valid, writable rlimit.
    assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) }, 0);
    let need = (2 * N + 200) as libc::rlim_t;
    assert!(
        lim.rlim_max >= need,
        "this test needs {need} file descriptors; the hard limit is {}",
        lim.rlim_max
    );
    if lim.rlim_cur < need {
        lim.rlim_cur = need;
        // SAFETY: `lim` is a valid rlimit within the hard limit.
        assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) }, 0);
    }

    let mut s = WebSocketMultiplayerPeer::new();
    s.set_handshake_timeout(60.0).unwrap();
    s.create_server(0, "127.0.0.1").unwrap();
    let port = s.get_local_port();
    let rss0 = rss();
    // Connections that send half a request and then nothing, opened 8 at a time (the engine's
    // listen backlog): each batch is accepted before the next, so all N are held at once.
    let mut socks = Vec::with_capacity(N);
    let end = Instant::now() + LIMIT * 3;
    while socks.len() < N {
        for _ in 0..8 {
            let mut t = TcpStream::connect(("127.0.0.1", port)).expect("connect");
            let _ = t.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n");
            socks.push(t);
        }
        while s.get_pending_count() < socks.len() {
            MultiplayerPeer::poll(&mut s).unwrap();
            assert!(
                Instant::now() < end,
                "{} of {} accepted",
                s.get_pending_count(),
                socks.len()
            );
        }
    }
    for _ in 0..3 {
        MultiplayerPeer::poll(&mut s).unwrap();
    }
    assert_eq!(s.get_pending_count(), N);
    let grown = rss().saturating_sub(rss0);
    eprintln!(
        "{N} half-open connections: RSS grew by {} KiB",
        grown / 1024
    );
    assert!(
        grown < 64 << 20,
        "memory grew by {grown} bytes for {N} half-open connections"
    );
    // The handshake timeout (read at every poll) drops them all.
    s.set_handshake_timeout(0.05).unwrap();
    std::thread::sleep(Duration::from_millis(60));
    MultiplayerPeer::poll(&mut s).unwrap();
    assert_eq!(s.get_pending_count(), 0);
    assert!(events(&mut s).is_empty());
    assert!(s.peer_ids().is_empty());
    // Every one of them was dropped by the server: reads see EOF (or a reset).
    for mut t in socks {
        t.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut b = [0u8; 8];
        match t.read(&mut b) {
            Ok(0) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            other => panic!("half-open connection not dropped: {other:?}"),
        }
    }
    // The server still works.
    let mut c = WebSocketMultiplayerPeer::new();
    c.create_client(&format!("ws://127.0.0.1:{port}")).unwrap();
    pump(
        &mut [&mut s, &mut c],
        "a real client after the flood",
        |p| p[1].get_connection_status() == Ok(ConnectionStatus::Connected),
    );
}
