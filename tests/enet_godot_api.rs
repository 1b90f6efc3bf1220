//! The Godot-facing ENetConnection / ENetPacketPeer API on loopback.

use std::time::{Duration, Instant};

use packetpeer::enet::connection::*;
use packetpeer::enet::PeerState;
use packetpeer::peer::PacketPeer;
use packetpeer::Error;

struct Conn {
    c: ENetConnection,
    stash: std::collections::VecDeque<ServiceEvent>,
}

impl std::ops::Deref for Conn {
    type Target = ENetConnection;
    fn deref(&self) -> &ENetConnection {
        &self.c
    }
}
impl std::ops::DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut ENetConnection {
        &mut self.c
    }
}

fn conn() -> Conn {
    Conn {
        c: ENetConnection::new(),
        stash: Default::default(),
    }
}

/// Bound on every wait: generous, as a loaded 2-core machine can stall a test for seconds; only a
/// failing test ever waits that long.
const LIMIT: Duration = Duration::from_secs(30);

/// Services both connections until `c` reports `kind`; other events are kept for later waits.
fn wait(c: &mut Conn, kind: EventType, other: &mut Conn) -> ServiceEvent {
    wait_until(c, kind, other, Instant::now() + LIMIT).unwrap_or_else(|| panic!("no {kind:?}"))
}

/// Like `wait`, but gives up with `None` at `until`.
fn wait_until(
    c: &mut Conn,
    kind: EventType,
    other: &mut Conn,
    until: Instant,
) -> Option<ServiceEvent> {
    if let Some(i) = c.stash.iter().position(|e| e.kind == kind) {
        return c.stash.remove(i);
    }
    while Instant::now() < until {
        let ev = c.c.service(1);
        assert_ne!(ev.kind, EventType::Error);
        if ev.kind == kind {
            return Some(ev);
        }
        if ev.kind != EventType::None {
            c.stash.push_back(ev);
        }
        let ev = other.c.service(0);
        if ev.kind != EventType::None {
            other.stash.push_back(ev);
        }
    }
    None
}

#[test]
fn connection_and_packet_peer_on_loopback() {
    let mut server = conn();
    server
        .create_host_bound("127.0.0.1", 0, 32, 0, 0, 0)
        .unwrap();
    let port = server.get_local_port();
    let mut client = conn();
    client.create_host(1, 0, 0, 0).unwrap();
    assert_eq!(client.get_local_port(), 0, "unbound host reports 0");
    let cp = client.connect_to_host("127.0.0.1", port, 4, 77).unwrap();
    assert!(
        client.connect_to_host("127.0.0.1", port, 4, 77).is_none(),
        "one peer only"
    );
    assert_eq!(cp.lock().unwrap().get_state(), PeerState::Connecting);
    let ev = wait(&mut server, EventType::Connect, &mut client);
    assert_eq!(ev.data, 77);
    let sp = ev.peer.unwrap();
    let ev = wait(&mut client, EventType::Connect, &mut server);
    assert_eq!(ev.data, 0);
    assert!(std::sync::Arc::ptr_eq(ev.peer.as_ref().unwrap(), &cp));
    {
        let mut c = cp.lock().unwrap();
        assert!(c.is_active());
        assert_eq!(c.get_state(), PeerState::Connected);
        assert_eq!(c.get_channels(), 4);
        assert_eq!(c.get_remote_address(), "127.0.0.1");
        assert_eq!(c.get_remote_port(), port);
        assert_eq!(c.send(5, b"x", 1), Err(Error::InvalidParameter));
        assert_eq!(
            c.send(4, b"x", 1),
            Err(Error::Failed),
            "channel == count fails inside ENet"
        );
        assert_eq!(c.send(0, b"x", 4), Err(Error::InvalidParameter));
        assert_eq!(c.set_timeout(10, 5, 20), Err(Error::InvalidParameter));
        c.set_timeout(0, 0, 0).unwrap();
        c.ping_interval(100).unwrap();
        c.throttle_configure(5000, 2, 2).unwrap();
        c.put_packet(b"reliable on 0").unwrap();
        c.ping().unwrap();
    }
    assert_eq!(server.get_peers().len(), 1);
    // Unreliable packets may legitimately be dropped (ENet's throttle after an RTT spike on a
    // loaded machine, a full socket buffer): "unseq<k>" on channel 1 and "unrel<k>" on channel 2 go
    // again every 200 ms until one of each has arrived. Every copy arrives at most once.
    let mut got: Vec<(i32, i32, Vec<u8>)> = Vec::new();
    let has = |got: &[(i32, i32, Vec<u8>)], ch: i32| got.iter().any(|g| g.0 == ch);
    let mut copy = 0;
    let start = Instant::now();
    while !(has(&got, 0) && has(&got, 1) && has(&got, 2)) {
        assert!(start.elapsed() < LIMIT, "{got:?}");
        {
            let mut c = cp.lock().unwrap();
            if !has(&got, 1) {
                c.send(1, format!("unseq{copy}").as_bytes(), FLAG_UNSEQUENCED)
                    .unwrap();
            }
            if !has(&got, 2) {
                c.send(2, format!("unrel{copy}").as_bytes(), 0).unwrap();
            }
            copy += 1;
        }
        let until = Instant::now() + Duration::from_millis(200);
        while let Some(ev) = wait_until(&mut server, EventType::Receive, &mut client, until) {
            assert!(std::sync::Arc::ptr_eq(ev.peer.as_ref().unwrap(), &sp));
            let mut s = sp.lock().unwrap();
            let flags = s.get_packet_flags();
            let data = s.get_packet().unwrap().to_vec();
            assert!(!got.iter().any(|g| g.2 == data), "{data:?} twice");
            got.push((ev.channel, flags, data));
        }
    }
    for (channel, flags, data) in &got {
        let text = String::from_utf8_lossy(data);
        let want = match channel {
            0 => (FLAG_RELIABLE, text == "reliable on 0"),
            1 => (
                FLAG_UNSEQUENCED,
                text.strip_prefix("unseq")
                    .is_some_and(|k| k.parse::<u32>().is_ok()),
            ),
            2 => (
                0,
                text.strip_prefix("unrel")
                    .is_some_and(|k| k.parse::<u32>().is_ok()),
            ),
            _ => panic!("channel {channel}"),
        };
        assert_eq!((*flags, true), want, "{channel} {text}");
    }
    assert_eq!(
        sp.lock().unwrap().get_packet().err(),
        Some(Error::Unavailable)
    );
    assert!(server.pop_statistic(HostStatistic::TotalReceivedPackets) > 0.0);
    assert_eq!(
        server.pop_statistic(HostStatistic::TotalReceivedPackets),
        0.0
    );
    assert!(
        cp.lock()
            .unwrap()
            .get_statistic(PeerStatistic::RoundTripTime)
            > 0.0
    );
    // graceful disconnect from the server
    sp.lock().unwrap().peer_disconnect(42).unwrap();
    let ev = wait(&mut client, EventType::Disconnect, &mut server);
    assert_eq!(ev.data, 42);
    assert!(!cp.lock().unwrap().is_active());
    assert_eq!(cp.lock().unwrap().get_state(), PeerState::Disconnected);
    assert_eq!(
        cp.lock().unwrap().put_packet(b"x"),
        Err(Error::Unconfigured)
    );
    wait(&mut server, EventType::Disconnect, &mut client);
    assert!(server.get_peers().is_empty());
    // destroy makes everything inactive
    let cp2 = client.connect_to_host("127.0.0.1", port, 0, 0).unwrap();
    client.destroy().unwrap();
    assert!(!cp2.lock().unwrap().is_active());
    assert_eq!(client.service(0).kind, EventType::Error);
}

#[test]
fn disconnect_now_and_compression_and_broadcast() {
    let mut server = conn();
    server.create_host_bound("*", 0, 8, 2, 0, 0).unwrap();
    server
        .compress(packetpeer::enet::compress::CompressionMode::Zlib)
        .unwrap();
    let port = server.get_local_port();
    let mut client = conn();
    client
        .create_host_bound("127.0.0.1", 0, 1, 0, 0, 0)
        .unwrap();
    client
        .compress(packetpeer::enet::compress::CompressionMode::Zlib)
        .unwrap();
    let cp = client.connect_to_host("127.0.0.1", port, 0, 0).unwrap();
    wait(&mut server, EventType::Connect, &mut client);
    wait(&mut client, EventType::Connect, &mut server);
    assert_eq!(
        cp.lock().unwrap().get_channels(),
        2,
        "server's limit of 2 wins"
    );
    server.broadcast(1, b"to all", FLAG_RELIABLE).unwrap();
    let ev = wait(&mut client, EventType::Receive, &mut server);
    assert_eq!(ev.channel, 1);
    assert_eq!(cp.lock().unwrap().get_packet().unwrap(), b"to all");
    cp.lock().unwrap().peer_disconnect_now(9).unwrap();
    assert!(!cp.lock().unwrap().is_active());
    let ev = wait(&mut server, EventType::Disconnect, &mut client);
    assert_eq!(ev.data, 9);
}

#[test]
fn ipv6_loopback() {
    let mut server = conn();
    if server.create_host_bound("::1", 0, 4, 0, 0, 0).is_err() {
        eprintln!("no IPv6 loopback here; skipping");
        return;
    }
    let port = server.get_local_port();
    let mut client = conn();
    client.create_host_bound("::1", 0, 1, 0, 0, 0).unwrap();
    let cp = client.connect_to_host("::1", port, 1, 6).unwrap();
    let ev = wait(&mut server, EventType::Connect, &mut client);
    assert_eq!(ev.data, 6);
    let sp = ev.peer.unwrap();
    assert_eq!(sp.lock().unwrap().get_remote_address(), "0:0:0:0:0:0:0:1");
    wait(&mut client, EventType::Connect, &mut server);
    cp.lock().unwrap().put_packet(b"v6").unwrap();
    wait(&mut server, EventType::Receive, &mut client);
    assert_eq!(sp.lock().unwrap().get_packet().unwrap(), b"v6");
}
