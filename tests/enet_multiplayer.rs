//! ENetMultiplayerPeer (`docs/classes.md` §17) on loopback: a server and several clients in one process, every
//! transfer mode on every channel, targets, disconnects and refusals, mesh mode, a SceneMultiplayer
//! relay (`docs/classes.md` Appendix B), and the wire bytes (captured by a UDP relay) against the spec.

use std::net::{SocketAddr, UdpSocket};

use packetpeer::sync::shared;
use std::time::{Duration, Instant};

use packetpeer::enet::connection::{ENetConnection, EventType};
use packetpeer::enet::multiplayer::ENetMultiplayerPeer;
use packetpeer::error::Error;
use packetpeer::multiplayer::scene::{self, ScenePacket, SysCommand};
use packetpeer::multiplayer::{ConnectionStatus, MultiplayerEvent, MultiplayerPeer, TransferMode};
use packetpeer::peer::PacketPeer;

/// Bound on every wait: generous, as a loaded 2-core machine can stall a test for seconds; only a
/// failing test ever waits that long.
const LIMIT: Duration = Duration::from_secs(30);

fn server() -> (ENetMultiplayerPeer, u16) {
    let mut s = ENetMultiplayerPeer::new();
    s.set_bind_ip("127.0.0.1").unwrap();
    s.create_server(0, 32, 0, 0, 0).unwrap();
    let port = s.get_host().unwrap().lock().unwrap().get_local_port() as u16;
    (s, port)
}

fn client(port: u16, channels: i32) -> ENetMultiplayerPeer {
    let mut c = ENetMultiplayerPeer::new();
    c.create_client("127.0.0.1", port as i32, channels, 0, 0, 0)
        .unwrap();
    c
}

/// Polls every peer until `done` holds (bounded by LIMIT).
fn pump(
    peers: &mut [&mut ENetMultiplayerPeer],
    mut done: impl FnMut(&mut [&mut ENetMultiplayerPeer]) -> bool,
) {
    let start = Instant::now();
    loop {
        for p in peers.iter_mut() {
            let _ = p.poll();
        }
        if done(peers) {
            return;
        }
        assert!(start.elapsed() < LIMIT, "timed out");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn events(p: &mut ENetMultiplayerPeer) -> Vec<MultiplayerEvent> {
    std::iter::from_fn(|| p.pop_event()).collect()
}

/// A relayed packet as a client saw it: (source, inner packet, channel, mode).
type Relayed = (i32, Vec<u8>, i32, TransferMode);

/// A received packet: (payload, from, channel, mode).
type Got = (Vec<u8>, i32, i32, TransferMode);

fn take(p: &mut ENetMultiplayerPeer) -> Option<Got> {
    if p.get_available_packet_count() == 0 {
        return None;
    }
    let (from, ch, mode) = (
        p.get_packet_peer(),
        p.get_packet_channel(),
        p.get_packet_mode().unwrap(),
    );
    Some((p.get_packet().unwrap().to_vec(), from, ch, mode))
}

/// A server and `n` connected clients.
fn setup(n: usize) -> (ENetMultiplayerPeer, Vec<ENetMultiplayerPeer>) {
    let (mut s, port) = server();
    let mut cs: Vec<ENetMultiplayerPeer> = (0..n).map(|_| client(port, 0)).collect();
    {
        let mut all: Vec<&mut ENetMultiplayerPeer> = vec![&mut s];
        all.extend(cs.iter_mut());
        pump(&mut all, |ps| {
            ps[0].peer_ids().len() == n
                && ps[1..]
                    .iter()
                    .all(|c| c.get_connection_status() == Ok(ConnectionStatus::Connected))
        });
    }
    (s, cs)
}

#[test]
fn clients_get_unique_ids_and_events() {
    let (mut s, mut cs) = setup(4);
    let ids: Vec<i32> = cs.iter().map(|c| c.get_unique_id().unwrap()).collect();
    for id in &ids {
        assert!(*id >= 2);
    }
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 4, "IDs are unique");
    assert_eq!(s.peer_ids(), sorted);
    let mut connected: Vec<i32> = events(&mut s)
        .into_iter()
        .map(|e| match e {
            MultiplayerEvent::PeerConnected(id) => id,
            e => panic!("unexpected {e:?}"),
        })
        .collect();
    connected.sort();
    assert_eq!(connected, sorted);
    for c in cs.iter_mut() {
        assert_eq!(events(c), vec![MultiplayerEvent::PeerConnected(1)]);
        assert!(!c.is_server());
        assert!(c.get_peer(1).is_some());
    }
    assert!(s.is_server() && s.get_unique_id() == Ok(1));
    assert_eq!(
        s.get_peer(ids[0])
            .map(|p| p.lock().unwrap().get_state() as i32),
        Some(5)
    );
}

#[test]
fn targets() {
    let (mut s, mut cs) = setup(3);
    let ids: Vec<i32> = cs.iter().map(|c| c.get_unique_id().unwrap()).collect();
    let expect = |s: &mut ENetMultiplayerPeer,
                  cs: &mut Vec<ENetMultiplayerPeer>,
                  msg: &[u8],
                  to: &[bool]| {
        // Reliable: every addressee gets it, however long a loaded machine takes; then 100 ms more
        // for a copy to a client that should get none to show up.
        let mut got = vec![false; cs.len()];
        let start = Instant::now();
        loop {
            let _ = s.poll();
            for (i, c) in cs.iter_mut().enumerate() {
                let _ = c.poll();
                while let Some((data, from, _, _)) = take(c) {
                    assert_eq!(from, 1);
                    assert_eq!(data, msg);
                    assert!(!got[i], "delivered twice");
                    got[i] = true;
                }
            }
            let wrong = got.iter().zip(to).any(|(g, t)| *g && !*t);
            if wrong || (got == to && start.elapsed() > Duration::from_millis(100)) {
                break;
            }
            assert!(start.elapsed() < LIMIT, "{got:?}");
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(got, to, "message {:?}", String::from_utf8_lossy(msg));
    };
    s.set_target_peer(0).unwrap();
    s.put_packet(b"all").unwrap();
    expect(&mut s, &mut cs, b"all", &[true, true, true]);
    s.set_target_peer(ids[1]).unwrap();
    s.put_packet(b"one").unwrap();
    expect(&mut s, &mut cs, b"one", &[false, true, false]);
    s.set_target_peer(-ids[2]).unwrap();
    s.put_packet(b"but").unwrap();
    expect(&mut s, &mut cs, b"but", &[true, true, false]);
    // Unknown targets.
    s.set_target_peer(12345).unwrap();
    assert_eq!(s.put_packet(b"x"), Err(Error::InvalidParameter));
    s.set_target_peer(-12345).unwrap();
    assert_eq!(s.put_packet(b"x"), Err(Error::InvalidParameter));
    assert_eq!(s.set_target_peer(i32::MIN), Err(Error::InvalidParameter));
    // A client knows only the server; 0, 1 and -1 all go to the server.
    let c = &mut cs[0];
    c.set_target_peer(ids[1]).unwrap();
    assert_eq!(c.put_packet(b"x"), Err(Error::InvalidParameter));
    for (t, m) in [(0, &b"c0"[..]), (1, b"c1"), (-1, b"cm1")] {
        cs[0].set_target_peer(t).unwrap();
        cs[0].put_packet(m).unwrap();
    }
    let mut got = Vec::new();
    pump(&mut [&mut s], |ps| {
        while let Some(g) = take(ps[0]) {
            got.push(g);
        }
        got.len() == 3
    });
    let datas: Vec<&[u8]> = got.iter().map(|g| &g.0[..]).collect();
    assert_eq!(datas, vec![&b"c0"[..], b"c1", b"cm1"]);
    assert!(got.iter().all(|g| g.1 == ids[0]));
}

#[test]
fn every_mode_on_every_channel_both_ways() {
    let (mut s, mut cs) = setup(2);
    let id = cs[0].get_unique_id().unwrap();
    let modes = [
        TransferMode::Reliable,
        TransferMode::UnreliableOrdered,
        TransferMode::Unreliable,
    ];
    let channels = [0, 1, 2, 7, 253];
    for dir in 0..2 {
        // (message, channel, mode)
        let mut want = Vec::new();
        for &ch in &channels {
            for &m in &modes {
                want.push((format!("{dir}/{ch}/{}", m as i32), ch, m));
            }
        }
        // Unreliable packets may legitimately be dropped (ENet's throttle after an RTT spike on a
        // loaded machine, a full socket buffer): those not arrived yet go again every 200 ms, as new
        // copies "<message>#<k>". Reliable ones go once. Every copy arrives at most once, with its
        // channel and mode.
        let mut copies = vec![0u32; want.len()];
        let mut arrived = vec![false; want.len()];
        let mut got: Vec<Vec<u8>> = Vec::new();
        let mut resend_at = Instant::now();
        let start = Instant::now();
        while !arrived.iter().all(|a| *a) {
            assert!(
                start.elapsed() < LIMIT,
                "missing {:?}",
                want.iter()
                    .zip(&arrived)
                    .filter(|(_, a)| !**a)
                    .map(|(w, _)| &w.0)
                    .collect::<Vec<_>>()
            );
            if Instant::now() >= resend_at {
                let tx = if dir == 0 { &mut cs[0] } else { &mut s };
                for (i, (msg, ch, m)) in want.iter().enumerate() {
                    if arrived[i] || (*m == TransferMode::Reliable && copies[i] > 0) {
                        continue;
                    }
                    tx.set_transfer_mode(*m).unwrap();
                    tx.set_transfer_channel(*ch).unwrap();
                    tx.set_target_peer(if dir == 0 { 1 } else { id }).unwrap();
                    tx.put_packet(format!("{msg}#{}", copies[i]).as_bytes())
                        .unwrap();
                    copies[i] += 1;
                }
                resend_at = Instant::now() + Duration::from_millis(200);
            }
            let _ = s.poll();
            for c in cs.iter_mut() {
                let _ = c.poll();
            }
            let rx = if dir == 0 { &mut s } else { &mut cs[0] };
            while let Some((data, from, ch, mode)) = take(rx) {
                let text = String::from_utf8_lossy(&data).into_owned();
                assert!(!got.contains(&data), "{text:?} delivered twice");
                let i = want
                    .iter()
                    .position(|w| text.split('#').next() == Some(w.0.as_str()))
                    .unwrap_or_else(|| panic!("unexpected {text:?}"));
                assert_eq!(from, if dir == 0 { id } else { 1 }, "{text}");
                assert_eq!(ch, want[i].1, "channel of {text:?}");
                assert_eq!(mode, want[i].2, "mode of {text:?}");
                arrived[i] = true;
                got.push(data);
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        // The other client got nothing.
        let _ = cs[1].poll();
        assert_eq!(cs[1].get_available_packet_count(), 0);
    }
    // A large unreliable packet travels as unreliable fragments: reported UNRELIABLE_ORDERED (as
    // the engine), whatever unreliable mode it was sent with. Sent again every 200 ms until it
    // arrives (byte 0: which mode, byte 1: which copy).
    for (k, m) in [TransferMode::Unreliable, TransferMode::UnreliableOrdered]
        .into_iter()
        .enumerate()
    {
        cs[0].set_transfer_mode(m).unwrap();
        cs[0].set_transfer_channel(0).unwrap();
        cs[0].set_target_peer(1).unwrap();
        let mut copy = 0u8;
        let mut resend_at = Instant::now();
        let start = Instant::now();
        loop {
            assert!(start.elapsed() < LIMIT, "large packet {m:?} never arrived");
            if Instant::now() >= resend_at {
                let mut big = vec![7u8; 5000];
                big[0] = k as u8;
                big[1] = copy;
                cs[0].put_packet(&big).unwrap();
                copy = copy.wrapping_add(1);
                resend_at = Instant::now() + Duration::from_millis(200);
            }
            let _ = s.poll();
            let _ = cs[0].poll();
            let mut found = false;
            while let Some((data, from, ch, mode)) = take(&mut s) {
                if data.len() == 5000 {
                    assert!(data[2..].iter().all(|b| *b == 7));
                    assert_eq!((from, ch, mode), (id, 0, TransferMode::UnreliableOrdered));
                    found |= data[0] == k as u8;
                } else {
                    // A late copy of an unreliable packet from the first part.
                    let text = String::from_utf8_lossy(&data);
                    assert!(text.starts_with("0/"), "unexpected {text:?}");
                }
            }
            if found {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

#[test]
fn disconnects() {
    let (mut s, mut cs) = setup(3);
    let ids: Vec<i32> = cs.iter().map(|c| c.get_unique_id().unwrap()).collect();
    events(&mut s);
    for c in cs.iter_mut() {
        events(c);
    }
    // Graceful: both sides see it.
    s.disconnect_peer(ids[0], false).unwrap();
    pump(&mut [&mut s, &mut cs[0]], |ps| {
        ps[1].get_connection_status() == Ok(ConnectionStatus::Disconnected)
            && !ps[0].peer_ids().contains(&ids[0])
    });
    assert_eq!(
        events(&mut s),
        vec![MultiplayerEvent::PeerDisconnected(ids[0])]
    );
    assert_eq!(
        events(&mut cs[0]),
        vec![MultiplayerEvent::PeerDisconnected(1)]
    );
    assert_eq!(cs[0].get_unique_id(), Ok(0));
    assert_eq!(cs[0].poll(), Err(Error::Unconfigured));
    // Forced: no event on the server.
    s.disconnect_peer(ids[1], true).unwrap();
    assert!(!s.peer_ids().contains(&ids[1]));
    pump(&mut [&mut s, &mut cs[1]], |ps| {
        ps[1].get_connection_status() == Ok(ConnectionStatus::Disconnected)
    });
    assert_eq!(events(&mut s), vec![]);
    assert_eq!(
        events(&mut cs[1]),
        vec![MultiplayerEvent::PeerDisconnected(1)]
    );
    assert_eq!(
        s.disconnect_peer(ids[1], false),
        Err(Error::InvalidParameter)
    );
    // A client closing: the server learns at once (ENet disconnect_now), the client queues nothing.
    cs[2].close().unwrap();
    assert_eq!(events(&mut cs[2]), vec![]);
    assert_eq!(
        cs[2].get_connection_status(),
        Ok(ConnectionStatus::Disconnected)
    );
    pump(&mut [&mut s], |ps| ps[0].peer_ids().is_empty());
    assert_eq!(
        events(&mut s),
        vec![MultiplayerEvent::PeerDisconnected(ids[2])]
    );
    // Server close: clients see the server go.
    let (mut s, mut cs) = setup(2);
    s.close().unwrap();
    assert_eq!(s.get_unique_id(), Ok(0));
    let mut all: Vec<&mut ENetMultiplayerPeer> = cs.iter_mut().collect();
    pump(&mut all, |ps| {
        ps.iter()
            .all(|c| c.get_connection_status() == Ok(ConnectionStatus::Disconnected))
    });
    for c in cs.iter_mut() {
        assert_eq!(
            events(c),
            vec![
                MultiplayerEvent::PeerConnected(1),
                MultiplayerEvent::PeerDisconnected(1)
            ]
        );
    }
}

/// A raw ENet client that connects with `data` as its connect data.
fn raw_client(port: u16, data: u32) -> ENetConnection {
    let mut c = ENetConnection::new();
    c.create_host(1, 0, 0, 0).unwrap();
    c.connect_to_host("127.0.0.1", port as i32, 0, data as i32)
        .unwrap();
    c
}

#[test]
fn refusals() {
    let (mut s, mut cs) = setup(1);
    let taken = cs[0].get_unique_id().unwrap() as u32;
    events(&mut s);
    let mut raws: Vec<ENetConnection> = [0u32, 1, taken, 0x8000_0000, 0xFFFF_FFFF]
        .iter()
        .map(|&d| raw_client(port_of(&s), d))
        .collect();
    // Every raw client completes the ENet handshake (the server admits at the ENet level, then
    // drops it silently).
    let mut connected = vec![false; raws.len()];
    let start = Instant::now();
    while !connected.iter().all(|c| *c) && start.elapsed() < LIMIT {
        let _ = s.poll();
        let _ = cs[0].poll();
        for (i, r) in raws.iter_mut().enumerate() {
            if r.service(1).kind == EventType::Connect {
                connected[i] = true;
            }
        }
    }
    assert!(connected.iter().all(|c| *c));
    for _ in 0..50 {
        let _ = s.poll();
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(events(&mut s), vec![], "nobody admitted");
    assert_eq!(s.peer_ids(), vec![taken as i32]);
    let host = s.get_host().unwrap();
    let host_peers = host.lock().unwrap().get_peers().len();
    assert_eq!(host_peers, 1, "refused peers were reset");

    // refuse_new_connections: a good client is not admitted either.
    s.set_refuse_new_connections(true).unwrap();
    let mut late = client(port_of(&s), 0);
    pump(&mut [&mut s, &mut late], |ps| {
        ps[1].get_connection_status() == Ok(ConnectionStatus::Connected)
    });
    for _ in 0..50 {
        let _ = s.poll();
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(events(&mut s), vec![]);
    assert_eq!(s.peer_ids(), vec![taken as i32]);
    // Turned off again: the next client gets in.
    s.set_refuse_new_connections(false).unwrap();
    let mut ok = client(port_of(&s), 0);
    let ok_id = ok.get_unique_id().unwrap();
    pump(&mut [&mut s, &mut ok], |ps| {
        ps[0].peer_ids().contains(&ok_id)
    });
    assert_eq!(events(&mut s), vec![MultiplayerEvent::PeerConnected(ok_id)]);
}

fn port_of(s: &ENetMultiplayerPeer) -> u16 {
    s.get_host().unwrap().lock().unwrap().get_local_port() as u16
}

#[test]
fn mesh() {
    // Two members (IDs 5 and 9) linked by a pair of ENet connections made by the caller.
    let a_host = shared(ENetConnection::new());
    let b_host = shared(ENetConnection::new());
    a_host
        .lock()
        .unwrap()
        .create_host_bound("127.0.0.1", 0, 1, 0, 0, 0)
        .unwrap();
    b_host.lock().unwrap().create_host(1, 0, 0, 0).unwrap();
    let port = a_host.lock().unwrap().get_local_port();
    b_host
        .lock()
        .unwrap()
        .connect_to_host("127.0.0.1", port, 0, 0)
        .unwrap();
    let (mut ac, mut bc) = (false, false);
    let start = Instant::now();
    while !(ac && bc) && start.elapsed() < LIMIT {
        ac |= a_host.lock().unwrap().service(1).kind == EventType::Connect;
        bc |= b_host.lock().unwrap().service(1).kind == EventType::Connect;
    }
    assert!(ac && bc);
    let mut a = ENetMultiplayerPeer::new();
    let mut b = ENetMultiplayerPeer::new();
    assert_eq!(a.add_mesh_peer(9, a_host.clone()), Err(Error::Unconfigured));
    a.create_mesh(5).unwrap();
    b.create_mesh(9).unwrap();
    a.add_mesh_peer(9, a_host.clone()).unwrap();
    assert_eq!(
        a.add_mesh_peer(9, a_host.clone()),
        Err(Error::InvalidParameter)
    );
    b.add_mesh_peer(5, b_host.clone()).unwrap();
    assert_eq!(events(&mut a), vec![MultiplayerEvent::PeerConnected(9)]);
    assert_eq!(a.get_unique_id(), Ok(5));
    assert!(a.get_host().is_none() && a.get_peer(9).is_some());
    // Unreliable packets may legitimately be dropped: each mode's packet goes again every 200 ms
    // until it arrives, as "mesh<mode><copy>"; late copies of an earlier mode are recognised by
    // their mode digit.
    let modes = [
        TransferMode::Reliable,
        TransferMode::Unreliable,
        TransferMode::UnreliableOrdered,
    ];
    let mut got: Vec<Vec<u8>> = Vec::new();
    let check = |g: Got, got: &mut Vec<Vec<u8>>| -> usize {
        let text = String::from_utf8_lossy(&g.0).into_owned();
        assert!(!got.contains(&g.0), "{text:?} delivered twice");
        let k = text
            .strip_prefix("mesh")
            .and_then(|t| t.get(..1))
            .and_then(|d| d.parse::<usize>().ok())
            .unwrap_or_else(|| panic!("unexpected {text:?}"));
        assert_eq!((g.1, g.2, g.3), (5, 3, modes[k]), "{text}");
        got.push(g.0);
        k
    };
    for (k, m) in modes.into_iter().enumerate() {
        a.set_transfer_mode(m).unwrap();
        a.set_transfer_channel(3).unwrap();
        let mut copy = 0;
        let mut resend_at = Instant::now();
        let start = Instant::now();
        'arrived: loop {
            assert!(start.elapsed() < LIMIT, "{m:?} never arrived");
            if Instant::now() >= resend_at && (copy == 0 || m != TransferMode::Reliable) {
                a.put_packet(format!("mesh{k}{copy}").as_bytes()).unwrap();
                copy += 1;
                resend_at = Instant::now() + Duration::from_millis(200);
            }
            let _ = a.poll();
            let _ = b.poll();
            while let Some(g) = take(&mut b) {
                if check(g, &mut got) == k {
                    break 'arrived;
                }
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    a.set_target_peer(7).unwrap();
    assert_eq!(a.put_packet(b"x"), Err(Error::InvalidParameter));
    a.set_target_peer(-9).unwrap();
    a.put_packet(b"none").unwrap();
    drop(a_host);
    a.close().unwrap();
    pump(&mut [&mut b], |ps| ps[0].peer_ids().is_empty());
    assert_eq!(
        events(&mut b),
        vec![
            MultiplayerEvent::PeerConnected(5),
            MultiplayerEvent::PeerDisconnected(5)
        ]
    );
    // Target -9 excluded the only member: nothing was sent ("none"); what may be left are late copies
    // of the unreliable packets above.
    while let Some(g) = take(&mut b) {
        check(g, &mut got);
    }
}

/// `docs/classes.md` Appendix B: a server relaying SceneMultiplayer packets between clients, written with the scene
/// helpers. Clients announce nothing; the server sends ADD_PEER on joins and forwards RELAY packets
/// with the source, on the mode and channel they came.
#[test]
fn scene_multiplayer_relay() {
    let (mut s, port) = server();
    let mut cs: Vec<ENetMultiplayerPeer> = (0..3).map(|_| client(port, 2)).collect();
    let ids: Vec<i32> = cs.iter().map(|c| c.get_unique_id().unwrap()).collect();
    let mut known: Vec<Vec<i32>> = vec![Vec::new(); 3];
    let mut relayed: Vec<Vec<Relayed>> = vec![Vec::new(); 3];
    let mut sent = false;
    let (mut copies, mut resend_at, mut settled) = (0, Instant::now(), None::<Instant>);
    let start = Instant::now();
    while start.elapsed() < LIMIT {
        let _ = s.poll();
        while let Some(ev) = s.pop_event() {
            if let MultiplayerEvent::PeerConnected(new) = ev {
                for &other in s.peer_ids().iter().filter(|&&p| p != new) {
                    s.set_target_peer(other).unwrap();
                    s.put_packet(&ScenePacket::AddPeer(new).to_vec().unwrap())
                        .unwrap();
                    s.set_target_peer(new).unwrap();
                    s.put_packet(&ScenePacket::AddPeer(other).to_vec().unwrap())
                        .unwrap();
                }
            }
        }
        while let Some((pkt, from, ch, mode)) = take(&mut s) {
            let m = scene::parse(&pkt).unwrap();
            assert_eq!(m.sys, Some(SysCommand::Relay));
            let out = ScenePacket::Relay {
                peer: from,
                packet: m.payload(&pkt),
            }
            .to_vec()
            .unwrap();
            s.set_transfer_mode(mode).unwrap();
            s.set_transfer_channel(ch).unwrap();
            let target = m.peer;
            let dests: Vec<i32> = s
                .peer_ids()
                .into_iter()
                .filter(|&p| {
                    p != from
                        && (target == 0
                            || (target > 0 && p == target)
                            || (target < 0 && p != -target))
                })
                .collect();
            for d in dests {
                s.set_target_peer(d).unwrap();
                s.put_packet(&out).unwrap();
            }
        }
        for (i, c) in cs.iter_mut().enumerate() {
            let _ = c.poll();
            while let Some((pkt, from, ch, mode)) = take(c) {
                assert_eq!(from, 1);
                let m = scene::parse(&pkt).unwrap();
                match m.sys {
                    Some(SysCommand::AddPeer) => known[i].push(m.peer),
                    Some(SysCommand::Relay) => {
                        relayed[i].push((m.peer, m.payload(&pkt).to_vec(), ch, mode))
                    }
                    other => panic!("unexpected {other:?}"),
                }
            }
        }
        if !sent && known.iter().all(|k| k.len() == 2) {
            // Client 0 sends a RAW packet to client 1 only, reliably on channel 0.
            let raw = ScenePacket::Raw(b"hi").to_vec().unwrap();
            cs[0].set_target_peer(1).unwrap();
            cs[0]
                .put_packet(
                    &ScenePacket::Relay {
                        peer: ids[1],
                        packet: &raw,
                    }
                    .to_vec()
                    .unwrap(),
                )
                .unwrap();
            cs[0].set_transfer_mode(TransferMode::Unreliable).unwrap();
            cs[0].set_transfer_channel(1).unwrap();
            sent = true;
        }
        // And one to all but client 2, unreliably on channel 1: it may be dropped on either hop, so
        // it goes again every 200 ms ("hi<k>") until client 1 has it.
        let unreliable_arrived = relayed[1].iter().any(|r| r.3 == TransferMode::Unreliable);
        if sent && !unreliable_arrived && Instant::now() >= resend_at {
            let raw = ScenePacket::Raw(format!("hi{copies}").as_bytes())
                .to_vec()
                .unwrap();
            cs[0]
                .put_packet(
                    &ScenePacket::Relay {
                        peer: -ids[2],
                        packet: &raw,
                    }
                    .to_vec()
                    .unwrap(),
                )
                .unwrap();
            copies += 1;
            resend_at = Instant::now() + Duration::from_millis(200);
        }
        let reliable_arrived = relayed[1].iter().any(|r| r.3 == TransferMode::Reliable);
        if reliable_arrived && unreliable_arrived {
            // 200 ms more for anything sent where it should not go to show up.
            settled.get_or_insert_with(Instant::now);
        }
        if settled.is_some_and(|t| t.elapsed() > Duration::from_millis(200)) {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    for (i, k) in known.iter().enumerate() {
        let mut k = k.clone();
        k.sort();
        let mut others: Vec<i32> = ids.iter().copied().filter(|&x| x != ids[i]).collect();
        others.sort();
        assert_eq!(k, others, "client {i} learned its peers");
    }
    // Client 1 got the reliable packet once and at least one copy of the unreliable one, each copy
    // once (channels are independent: no order between them is promised).
    let raw = ScenePacket::Raw(b"hi").to_vec().unwrap();
    let reliable: Vec<&Relayed> = relayed[1]
        .iter()
        .filter(|r| r.3 == TransferMode::Reliable)
        .collect();
    assert_eq!(reliable, vec![&(ids[0], raw, 0, TransferMode::Reliable)]);
    let unreliable: Vec<&Relayed> = relayed[1]
        .iter()
        .filter(|r| r.3 != TransferMode::Reliable)
        .collect();
    assert!(!unreliable.is_empty(), "{:?}", relayed[1]);
    for (i, r) in unreliable.iter().enumerate() {
        assert!(
            (0..copies).any(|k| r.1
                == ScenePacket::Raw(format!("hi{k}").as_bytes())
                    .to_vec()
                    .unwrap()),
            "{r:?}"
        );
        assert_eq!((r.0, r.2, r.3), (ids[0], 1, TransferMode::Unreliable));
        assert!(!unreliable[..i].iter().any(|o| o.1 == r.1), "{r:?} twice");
    }
    assert!(relayed[0].is_empty() && relayed[2].is_empty());
}

/// Forwards datagrams between a client (front socket) and a server (back socket), recording them.
struct Relay {
    front: UdpSocket,
    back: UdpSocket,
    server: SocketAddr,
    client: Option<SocketAddr>,
    /// (from client?, bytes)
    log: Vec<(bool, Vec<u8>)>,
}

impl Relay {
    fn new(server_port: u16) -> Relay {
        let front = UdpSocket::bind("127.0.0.1:0").unwrap();
        let back = UdpSocket::bind("127.0.0.1:0").unwrap();
        front.set_nonblocking(true).unwrap();
        back.set_nonblocking(true).unwrap();
        Relay {
            front,
            back,
            server: SocketAddr::from(([127, 0, 0, 1], server_port)),
            client: None,
            log: Vec::new(),
        }
    }
    fn port(&self) -> u16 {
        self.front.local_addr().unwrap().port()
    }
    fn pump(&mut self) {
        let mut buf = [0u8; 65536];
        while let Ok((n, from)) = self.front.recv_from(&mut buf) {
            self.client = Some(from);
            self.log.push((true, buf[..n].to_vec()));
            self.back.send_to(&buf[..n], self.server).unwrap();
        }
        while let Ok((n, _)) = self.back.recv_from(&mut buf) {
            self.log.push((false, buf[..n].to_vec()));
            if let Some(c) = self.client {
                self.front.send_to(&buf[..n], c).unwrap();
            }
        }
    }
}

fn be16(b: &[u8]) -> u16 {
    u16::from_be_bytes([b[0], b[1]])
}
fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// One ENet command as read straight from the datagram bytes per `docs/classes.md` §18.1:
/// (command byte, channel, body after the 4-byte command header, payload).
fn commands(datagram: &[u8]) -> Vec<(u8, u8, Vec<u8>, Vec<u8>)> {
    let flags = be16(datagram);
    let mut at = if flags & 0x8000 != 0 { 4 } else { 2 };
    assert_eq!(flags & 0x4000, 0, "not compressed");
    let mut out = Vec::new();
    while at + 4 <= datagram.len() {
        let cmd = datagram[at];
        let ch = datagram[at + 1];
        let (size, len_at) = match cmd & 0x0F {
            1 => (8, None),
            2 => (48, None),
            3 => (44, None),
            4 => (8, None),
            5 => (4, None),
            6 => (6, Some(4)),
            7 => (8, Some(6)),
            8 | 12 => (24, Some(6)),
            9 => (8, Some(6)),
            10 => (12, None),
            11 => (16, None),
            _ => break,
        };
        let body = datagram[at + 4..at + size].to_vec();
        let dlen = len_at
            .map(|o| be16(&datagram[at + o..]) as usize)
            .unwrap_or(0);
        let payload = datagram[at + size..at + size + dlen].to_vec();
        out.push((cmd, ch, body, payload));
        at += size + dlen;
    }
    out
}

#[test]
fn wire_bytes_match_the_spec() {
    for (channel_count, wire_channels) in [(0, 255u32), (3, 5)] {
        let (mut s, port) = server();
        let mut relay = Relay::new(port);
        let mut c = ENetMultiplayerPeer::new();
        c.create_client("127.0.0.1", relay.port() as i32, channel_count, 0, 0, 0)
            .unwrap();
        let id = c.get_unique_id().unwrap();
        let start = Instant::now();
        while s.peer_ids().is_empty() && start.elapsed() < LIMIT {
            let _ = c.poll();
            relay.pump();
            let _ = s.poll();
            relay.pump();
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(s.peer_ids(), vec![id]);
        // The first datagram is the CONNECT: peer ID 0xFFF, command 2 | ack on channel 0xFF.
        let (from_client, first) = &relay.log[0];
        assert!(*from_client);
        assert_eq!(be16(first) & 0x0FFF, 0x0FFF);
        let cmds = commands(first);
        let (cmd, ch, body, _) = &cmds[0];
        assert_eq!((*cmd, *ch), (0x82, 0xFF));
        assert_eq!(be32(&body[4..]), 1392, "mtu");
        assert_eq!(be32(&body[12..]), wire_channels, "channelCount");
        assert_eq!(
            be32(&body[40..]),
            id as u32,
            "connect data = the client's ID"
        );

        // One packet per mode on channel 0 and on a user channel, plus large ones.
        let big = vec![0xABu8; 3000];
        let cases: Vec<(TransferMode, i32, Vec<u8>)> = vec![
            (TransferMode::Reliable, 0, b"R0".to_vec()),
            (TransferMode::UnreliableOrdered, 0, b"O0".to_vec()),
            (TransferMode::Unreliable, 0, b"U0".to_vec()),
            (TransferMode::Reliable, 2, b"R2".to_vec()),
            (TransferMode::UnreliableOrdered, 2, b"O2".to_vec()),
            (TransferMode::Unreliable, 2, b"U2".to_vec()),
            (TransferMode::Reliable, 0, big.clone()),
            (TransferMode::Unreliable, 0, big.clone()),
        ];
        // How the server reports each case: a large unreliable packet travels as unreliable
        // fragments, reported UNRELIABLE_ORDERED.
        let reported = |m: TransferMode, data: &[u8]| match m {
            TransferMode::Unreliable if data.len() > 1000 => TransferMode::UnreliableOrdered,
            m => m,
        };
        // Unreliable packets may legitimately be dropped (ENet's throttle can even keep one off the
        // wire): what the server has not received yet is sent again every 200 ms. Reliable packets
        // go once (ENet resends them itself).
        relay.log.clear();
        let mut arrived = vec![false; cases.len()];
        let mut sent_once = vec![false; cases.len()];
        let mut resend_at = Instant::now();
        let start = Instant::now();
        while !arrived.iter().all(|a| *a) {
            assert!(start.elapsed() < LIMIT, "arrived {arrived:?}");
            if Instant::now() >= resend_at {
                for (i, (m, ch, data)) in cases.iter().enumerate() {
                    if arrived[i] || (*m == TransferMode::Reliable && sent_once[i]) {
                        continue;
                    }
                    c.set_transfer_mode(*m).unwrap();
                    c.set_transfer_channel(*ch).unwrap();
                    c.put_packet(data).unwrap();
                    sent_once[i] = true;
                    // put_packet flushes: the datagram is on the wire before the next poll.
                    relay.pump();
                }
                resend_at = Instant::now() + Duration::from_millis(200);
            }
            let _ = c.poll();
            relay.pump();
            let _ = s.poll();
            relay.pump();
            while let Some((data, _, ch, mode)) = take(&mut s) {
                let i = cases
                    .iter()
                    .position(|(m, c, d)| *d == data && *c == ch && reported(*m, d) == mode)
                    .unwrap_or_else(|| panic!("unexpected {} bytes on {ch} {mode:?}", data.len()));
                arrived[i] = true;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let sent: Vec<(u8, u8, Vec<u8>, Vec<u8>)> = relay
            .log
            .iter()
            .filter(|(fc, _)| *fc)
            .flat_map(|(_, d)| commands(d))
            .filter(|c| matches!(c.0 & 0x0F, 6 | 7 | 8 | 9 | 12))
            .collect();
        let find = |payload: &[u8]| {
            sent.iter()
                .find(|c| c.3 == payload)
                .map(|c| (c.0, c.1))
                .unwrap_or_else(|| panic!("{:?} not sent", String::from_utf8_lossy(payload)))
        };
        // RELIABLE: SEND_RELIABLE (6) + ack flag, channel 0 (user channel N: N + 1).
        assert_eq!(find(b"R0"), (0x86, 0));
        assert_eq!(find(b"R2"), (0x86, 3));
        // UNRELIABLE_ORDERED (flag 8, small): SEND_UNRELIABLE (7) on channel 1.
        assert_eq!(find(b"O0"), (0x07, 1));
        assert_eq!(find(b"O2"), (0x07, 3));
        // UNRELIABLE (flags 2 | 8, small): SEND_UNSEQUENCED (9) + unsequenced flag, channel 1.
        assert_eq!(find(b"U0"), (0x49, 1));
        assert_eq!(find(b"U2"), (0x49, 3));
        // Large: reliable fragments (8 + ack) / unreliable fragments (12), 1364 bytes each.
        let frags: Vec<&(u8, u8, Vec<u8>, Vec<u8>)> = sent
            .iter()
            .filter(|c| c.0 & 0x0F == 8 || c.0 & 0x0F == 12)
            .collect();
        assert!(frags
            .iter()
            .all(|c| (c.0, c.1) == (0x88, 0) || (c.0, c.1) == (0x0C, 1)));
        assert!(frags.iter().all(|c| c.3.len() <= 1364));
        for f in &frags {
            assert_eq!(be32(&f.2[4..]), 3, "fragmentCount");
            assert_eq!(be32(&f.2[12..]), 3000, "totalLength");
        }
        // One reliable packet: fragments 0, 1 and 2 (ENet's own resends repeat the same bytes).
        // Unreliable copies sent again (a new start sequence number each) have 3 fragments each.
        let numbers = |cmd: u8| {
            let mut by_start: std::collections::BTreeMap<u16, Vec<u32>> = Default::default();
            for f in frags.iter().filter(|c| c.0 == cmd) {
                by_start
                    .entry(be16(&f.2[..]))
                    .or_default()
                    .push(be32(&f.2[8..]));
            }
            by_start
                .into_values()
                .map(|mut v| {
                    v.sort();
                    v.dedup();
                    v
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(numbers(0x88), vec![vec![0, 1, 2]]);
        let unreliable = numbers(0x0C);
        assert!(!unreliable.is_empty());
        assert!(unreliable.iter().all(|v| v.iter().all(|n| *n < 3)));
        assert!(unreliable.contains(&vec![0, 1, 2]), "{unreliable:?}");
    }
}

#[test]
fn full_queue_makes_poll_busy_until_read() {
    let (mut s, mut cs) = setup(1);
    s.set_queue_limits(4, 1 << 20);
    for i in 0..12u8 {
        cs[0].put_packet(&[i]).unwrap();
    }
    let mut busy = false;
    let start = Instant::now();
    while !busy && start.elapsed() < LIMIT {
        let _ = cs[0].poll();
        busy = s.poll() == Err(Error::Busy);
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(busy, "poll reports the full queue");
    let held = s.get_available_packet_count();
    assert!(held >= 4);
    assert_eq!(s.poll(), Err(Error::Busy), "nothing taken while full");
    assert_eq!(s.get_available_packet_count(), held);
    // Reading makes room; every packet arrives, in order.
    let mut got = Vec::new();
    pump(&mut [&mut s, &mut cs[0]], |ps| {
        while let Some(g) = take(ps[0]) {
            got.push(g.0[0]);
        }
        got.len() == 12
    });
    assert_eq!(got, (0..12).collect::<Vec<u8>>());
}

#[test]
fn poll_reports_peers_whose_enet_peer_went_inactive() {
    let (mut s, cs) = setup(2);
    let id = cs[0].get_unique_id().unwrap();
    events(&mut s);
    // Reset through the ENet peer (as a C caller could with the lent handle).
    s.get_peer(id).unwrap().lock().unwrap().reset().unwrap();
    s.poll().unwrap();
    assert_eq!(events(&mut s), vec![MultiplayerEvent::PeerDisconnected(id)]);
    assert!(s.get_peer(id).is_none());
    assert_eq!(s.peer_ids(), vec![cs[1].get_unique_id().unwrap()]);
}

/// `create_server(max_channels = 3)` limits clients to 3 + 2 ENet channels (the intended mapping, not
/// the engine's argument shift): a client asking for 255 gets 5; user channel 3 (ENet 4) works,
/// user channel 4 (ENet 5) does not exist on that connection and is dropped like the engine does.
#[test]
fn server_channel_limit_is_max_channels_plus_two() {
    let mut s = ENetMultiplayerPeer::new();
    s.set_bind_ip("127.0.0.1").unwrap();
    s.create_server(0, 4, 3, 0, 0).unwrap();
    let mut c = client(port_of(&s), 0);
    let id = c.get_unique_id().unwrap();
    pump(&mut [&mut s, &mut c], |ps| {
        !ps[0].peer_ids().is_empty()
            && ps[1].get_connection_status() == Ok(ConnectionStatus::Connected)
    });
    let channels =
        |p: &ENetMultiplayerPeer, id: i32| p.get_peer(id).unwrap().lock().unwrap().get_channels();
    assert_eq!(channels(&s, id), 5);
    assert_eq!(channels(&c, 1), 5);
    c.set_transfer_channel(4).unwrap();
    c.put_packet(b"nowhere").unwrap();
    c.set_transfer_channel(3).unwrap();
    c.put_packet(b"ch3").unwrap();
    let mut got = None;
    pump(&mut [&mut s, &mut c], |ps| {
        got = take(ps[0]);
        got.is_some()
    });
    assert_eq!(
        got.unwrap(),
        (b"ch3".to_vec(), id, 3, TransferMode::Reliable)
    );
    for _ in 0..20 {
        let _ = s.poll();
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(s.get_available_packet_count(), 0);
}
