//! ENetMultiplayerPeer in Godot 3 mode (`NetworkedMultiplayerENet` on the wire,
//! `docs/godot3-multiplayer.md` §1) among our own peers on loopback, plus a raw ENet client that
//! plays a Godot 3 client byte by byte: ids and events (ADD/REMOVE config messages), the 8-byte
//! header, channels and flags per transfer mode, relays by target (peer, broadcast, all-but, all-but
//! the server), the anti-spoofing and other drops (counted), disconnects, and the default staying
//! Godot 4.

use std::time::{Duration, Instant};

use packetpeer::enet::connection::{ENetConnection, EventType};
use packetpeer::enet::multiplayer::ENetMultiplayerPeer;
use packetpeer::error::Error;
use packetpeer::multiplayer::{ConnectionStatus, MultiplayerEvent, MultiplayerPeer, TransferMode};
use packetpeer::peer::PacketPeer;

const LIMIT: Duration = Duration::from_secs(30);

/// A server with `user` user channels (ENet channels 3 + user).
fn server_ch(ip: &str, user: i32) -> (ENetMultiplayerPeer, u16) {
    let mut s = ENetMultiplayerPeer::new();
    s.set_godot3_compat(true).unwrap();
    s.set_bind_ip(ip).unwrap();
    s.create_server(0, 32, user, 0, 0).unwrap();
    let port = s.get_host().unwrap().lock().unwrap().get_local_port() as u16;
    (s, port)
}

fn server(ip: &str) -> (ENetMultiplayerPeer, u16) {
    server_ch(ip, 0)
}

fn client_ch(ip: &str, port: u16, user: i32) -> ENetMultiplayerPeer {
    let mut c = ENetMultiplayerPeer::new();
    c.set_godot3_compat(true).unwrap();
    c.create_client(ip, port as i32, user, 0, 0, 0).unwrap();
    c
}

fn client(ip: &str, port: u16) -> ENetMultiplayerPeer {
    client_ch(ip, port, 0)
}

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

/// (payload, from, channel, mode)
type Got = (Vec<u8>, i32, i32, TransferMode);

fn take_all(p: &mut ENetMultiplayerPeer) -> Vec<Got> {
    let mut v = Vec::new();
    while p.get_available_packet_count() > 0 {
        let (from, ch, mode) = (
            p.get_packet_peer(),
            p.get_packet_channel(),
            p.get_packet_mode().unwrap(),
        );
        v.push((p.get_packet().unwrap().to_vec(), from, ch, mode));
    }
    v
}

/// A server and `n` connected clients (2 user channels each), every ADD_PEER delivered.
fn setup(ip: &str, n: usize) -> (ENetMultiplayerPeer, Vec<ENetMultiplayerPeer>) {
    let (mut s, port) = server_ch(ip, 2);
    let mut cs: Vec<ENetMultiplayerPeer> = Vec::new();
    // One at a time, so that the ADD_PEER order is known.
    for _ in 0..n {
        cs.push(client_ch(ip, port, 2));
        let mut all: Vec<&mut ENetMultiplayerPeer> = vec![&mut s];
        all.extend(cs.iter_mut());
        let k = all.len() - 1;
        pump(&mut all, |ps| {
            ps[0].peer_ids().len() == k
                && ps[k].get_connection_status() == Ok(ConnectionStatus::Connected)
        });
    }
    // Let the config messages arrive.
    let ids: Vec<i32> = cs.iter().map(|c| c.get_unique_id().unwrap()).collect();
    let mut seen: Vec<Vec<MultiplayerEvent>> = vec![Vec::new(); n];
    {
        let mut all: Vec<&mut ENetMultiplayerPeer> = vec![&mut s];
        all.extend(cs.iter_mut());
        pump(&mut all, |ps| {
            for (i, c) in ps[1..].iter_mut().enumerate() {
                seen[i].extend(events(c));
            }
            seen.iter().all(|e| e.len() == n) // connected(1) + n-1 others
        });
    }
    for (i, e) in seen.iter().enumerate() {
        assert_eq!(e[0], MultiplayerEvent::PeerConnected(1), "client {i}");
        let mut others: Vec<i32> = e[1..]
            .iter()
            .map(|ev| match ev {
                MultiplayerEvent::PeerConnected(id) => *id,
                ev => panic!("unexpected {ev:?}"),
            })
            .collect();
        others.sort();
        let mut want: Vec<i32> = ids.iter().copied().filter(|&x| x != ids[i]).collect();
        want.sort();
        assert_eq!(others, want, "client {i} learns the other clients");
    }
    let mut connected: Vec<i32> = events(&mut s)
        .into_iter()
        .map(|e| match e {
            MultiplayerEvent::PeerConnected(id) => id,
            e => panic!("unexpected {e:?}"),
        })
        .collect();
    connected.sort();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(connected, sorted);
    (s, cs)
}

fn all_mut<'a>(
    s: &'a mut ENetMultiplayerPeer,
    cs: &'a mut [ENetMultiplayerPeer],
) -> Vec<&'a mut ENetMultiplayerPeer> {
    let mut v: Vec<&mut ENetMultiplayerPeer> = vec![s];
    v.extend(cs.iter_mut());
    v
}

/// Polls everyone until every peer holds `want[i]` packets (index 0 = server), then a little more
/// to catch extra deliveries; returns what each received.
fn collect(
    s: &mut ENetMultiplayerPeer,
    cs: &mut [ENetMultiplayerPeer],
    want: &[usize],
) -> Vec<Vec<Got>> {
    let mut got: Vec<Vec<Got>> = vec![Vec::new(); want.len()];
    let mut all = all_mut(s, cs);
    pump(&mut all, |ps| {
        for (i, p) in ps.iter_mut().enumerate() {
            got[i].extend(take_all(p));
        }
        got.iter().zip(want).all(|(g, w)| g.len() >= *w)
    });
    for _ in 0..30 {
        for (i, p) in all.iter_mut().enumerate() {
            let _ = p.poll();
            got[i].extend(take_all(p));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    got
}

fn ids_and_relays(ip: &str) {
    let (mut s, mut cs) = setup(ip, 3);
    let ids: Vec<i32> = cs.iter().map(|c| c.get_unique_id().unwrap()).collect();
    assert!(ids.iter().all(|&id| id >= 2));
    assert!(s.is_server() && !s.is_server_relay_supported());

    // Client 0 to client 1 (relayed by the server, which keeps nothing).
    cs[0].set_target_peer(ids[1]).unwrap();
    cs[0].put_packet(b"direct").unwrap();
    let got = collect(&mut s, &mut cs, &[0, 0, 1, 0]);
    assert_eq!(got[0], vec![]);
    assert_eq!(
        got[2],
        vec![(b"direct".to_vec(), ids[0], 0, TransferMode::Reliable)]
    );
    assert_eq!(got[1], vec![]);
    assert_eq!(got[3], vec![]);

    // Client 0 broadcasts, unreliable: the server and clients 1 and 2.
    cs[0].set_transfer_mode(TransferMode::Unreliable).unwrap();
    cs[0].set_target_peer(0).unwrap();
    cs[0].put_packet(b"bcast").unwrap();
    let got = collect(&mut s, &mut cs, &[1, 0, 1, 1]);
    let want = vec![(b"bcast".to_vec(), ids[0], 0, TransferMode::Unreliable)];
    assert_eq!(
        (&got[0], &got[1], &got[2], &got[3]),
        (&want, &vec![], &want, &want)
    );

    // Client 0 to all but client 2, ordered: the server and client 1.
    cs[0]
        .set_transfer_mode(TransferMode::UnreliableOrdered)
        .unwrap();
    cs[0].set_target_peer(-ids[2]).unwrap();
    cs[0].put_packet(b"but2").unwrap();
    let got = collect(&mut s, &mut cs, &[1, 0, 1, 0]);
    let want = vec![(b"but2".to_vec(), ids[0], 0, TransferMode::UnreliableOrdered)];
    assert_eq!(
        (&got[0], &got[1], &got[2], &got[3]),
        (&want, &vec![], &want, &vec![])
    );

    // Client 0 to all but the server: clients 1 and 2 only.
    cs[0].set_transfer_mode(TransferMode::Reliable).unwrap();
    cs[0].set_target_peer(-1).unwrap();
    cs[0].put_packet(b"but1").unwrap();
    let got = collect(&mut s, &mut cs, &[0, 0, 1, 1]);
    let want = vec![(b"but1".to_vec(), ids[0], 0, TransferMode::Reliable)];
    assert_eq!(
        (&got[0], &got[1], &got[2], &got[3]),
        (&vec![], &vec![], &want, &want)
    );

    // Client 0 to the server only, on user channel 2.
    cs[0].set_target_peer(1).unwrap();
    cs[0].set_transfer_channel(2).unwrap();
    cs[0].put_packet(b"srv").unwrap();
    cs[0].set_transfer_channel(0).unwrap();
    let got = collect(&mut s, &mut cs, &[1, 0, 0, 0]);
    assert_eq!(
        got[0],
        vec![(b"srv".to_vec(), ids[0], 2, TransferMode::Reliable)]
    );

    // The server: broadcast, all but client 1, one client.
    s.set_target_peer(0).unwrap();
    s.put_packet(b"s-all").unwrap();
    s.set_target_peer(-ids[1]).unwrap();
    s.put_packet(b"s-but").unwrap();
    s.set_target_peer(ids[2]).unwrap();
    s.put_packet(b"s-one").unwrap();
    let got = collect(&mut s, &mut cs, &[0, 2, 1, 3]);
    let p = |d: &[u8]| (d.to_vec(), 1, 0, TransferMode::Reliable);
    assert_eq!(got[1], vec![p(b"s-all"), p(b"s-but")]);
    assert_eq!(got[2], vec![p(b"s-all")]);
    assert_eq!(got[3], vec![p(b"s-all"), p(b"s-but"), p(b"s-one")]);

    // Unknown targets are refused before sending.
    s.set_target_peer(12345).unwrap();
    assert_eq!(s.put_packet(b"x"), Err(Error::InvalidParameter));
    cs[0].set_target_peer(-12345).unwrap();
    assert_eq!(cs[0].put_packet(b"x"), Err(Error::InvalidParameter));
    assert_eq!(s.dropped_packets(), 0);

    // Client 1 leaves: the server and the other clients hear of it.
    let gone = ids[1];
    cs[1].close().unwrap();
    let mut left: Vec<Vec<MultiplayerEvent>> = vec![Vec::new(); 4];
    {
        let mut all = all_mut(&mut s, &mut cs);
        pump(&mut all, |ps| {
            for (i, p) in ps.iter_mut().enumerate() {
                if i != 2 {
                    left[i].extend(events(p));
                }
            }
            [0, 1, 3].iter().all(|&i| !left[i].is_empty())
        });
    }
    for i in [0, 1, 3] {
        assert_eq!(left[i], vec![MultiplayerEvent::PeerDisconnected(gone)]);
    }
    assert_eq!(s.peer_ids().len(), 2);
    // A client may no longer target it.
    cs[0].set_target_peer(gone).unwrap();
    assert_eq!(cs[0].put_packet(b"x"), Err(Error::InvalidParameter));

    // The server forces client 2 out: event at once, REMOVE_PEER to client 0.
    s.disconnect_peer(ids[2], true).unwrap();
    assert_eq!(
        events(&mut s),
        vec![MultiplayerEvent::PeerDisconnected(ids[2])]
    );
    let mut ev0 = Vec::new();
    {
        let mut all = all_mut(&mut s, &mut cs);
        pump(&mut all, |ps| {
            ev0.extend(events(ps[1]));
            !ev0.is_empty()
        });
    }
    assert_eq!(ev0, vec![MultiplayerEvent::PeerDisconnected(ids[2])]);
}

#[test]
fn ids_events_and_relays_ipv4() {
    ids_and_relays("127.0.0.1");
}

#[test]
fn ids_events_and_relays_ipv6() {
    ids_and_relays("::1");
}

/// A raw ENet client that speaks Godot 3 by hand: connects with its id as data and 3 channels.
fn raw_client(port: u16, id: u32) -> ENetConnection {
    let mut c = ENetConnection::new();
    c.create_host(1, 0, 0, 0).unwrap();
    c.connect_to_host("127.0.0.1", port as i32, 3, id as i32)
        .unwrap();
    c
}

/// Services `raw` and polls `s` until `raw` received a packet; returns (channel, flags-mode, data).
fn raw_recv(raw: &mut ENetConnection, s: &mut ENetMultiplayerPeer) -> (i32, Vec<u8>, TransferMode) {
    let start = Instant::now();
    loop {
        let _ = s.poll();
        let ev = raw.service(1);
        if ev.kind == EventType::Receive {
            let p = ev.peer.unwrap();
            let (ch, pkt) = p.lock().unwrap().take_packet().unwrap();
            let mode = packetpeer::enet::multiplayer::mode_from_flags(pkt.flags);
            return (ch as i32, pkt.data, mode);
        }
        assert!(start.elapsed() < LIMIT, "raw client: nothing received");
    }
}

fn frame(src: u32, dst: i32, payload: &[u8]) -> Vec<u8> {
    let mut v = src.to_le_bytes().to_vec();
    v.extend_from_slice(&dst.to_le_bytes());
    v.extend_from_slice(payload);
    v
}

#[test]
fn wire_bytes_against_a_hand_made_godot3_client() {
    let (mut s, port) = server("127.0.0.1");
    let mut a = client("127.0.0.1", port);
    pump(&mut [&mut s, &mut a], |ps| ps[0].peer_ids().len() == 1);
    let a_id = a.get_unique_id().unwrap();

    let raw_id = 77_777u32;
    let mut raw = raw_client(port, raw_id);
    // The server tells the raw client about `a`, and `a` about the raw client.
    let (ch, data, mode) = raw_recv(&mut raw, &mut s);
    assert_eq!((ch, mode), (0, TransferMode::Reliable));
    assert_eq!(data, frame(0, a_id, b""), "SYSMSG_ADD_PEER(a)");
    let raw_peer = raw.get_peers()[0].clone();
    assert_eq!(raw_peer.lock().unwrap().get_channels(), 3);
    let mut ev = Vec::new();
    pump(&mut [&mut s, &mut a], |ps| {
        ev.extend(events(ps[1]));
        ev.len() == 2
    });
    assert_eq!(
        ev,
        vec![
            MultiplayerEvent::PeerConnected(1),
            MultiplayerEvent::PeerConnected(raw_id as i32)
        ]
    );

    // Our client's packets to the raw one: header, channel and flags per mode.
    a.set_target_peer(raw_id as i32).unwrap();
    for (mode, ch) in [
        (TransferMode::Reliable, 1),
        (TransferMode::Unreliable, 2),
        (TransferMode::UnreliableOrdered, 2),
    ] {
        a.set_transfer_mode(mode).unwrap();
        a.put_packet(b"hi").unwrap();
        let mut got = None;
        let start = Instant::now();
        while got.is_none() {
            let _ = a.poll();
            let _ = s.poll();
            let ev = raw.service(1);
            if ev.kind == EventType::Receive {
                let p = ev.peer.unwrap();
                got = p.lock().unwrap().take_packet();
            }
            assert!(start.elapsed() < LIMIT);
        }
        let (gch, pkt) = got.unwrap();
        assert_eq!(gch as i32, ch, "{mode:?}");
        let flags = pkt.flags & 3;
        let want_flags = match mode {
            TransferMode::Reliable => 1,
            TransferMode::Unreliable => 2,
            TransferMode::UnreliableOrdered => 0,
        };
        assert_eq!(flags, want_flags, "{mode:?}");
        assert_eq!(pkt.data, frame(a_id as u32, raw_id as i32, b"hi"));
    }

    // The raw client's packets: a good one to the server, then what Godot 3 drops.
    let send = |raw: &mut ENetConnection, data: &[u8], ch: i32| {
        let p = raw.get_peers()[0].clone();
        p.lock().unwrap().send(ch, data, 1).unwrap();
        raw.flush().unwrap();
    };
    send(&mut raw, &frame(raw_id, 1, b"to-server"), 1);
    send(&mut raw, &frame(raw_id + 1, 1, b"spoofed"), 1);
    send(&mut raw, b"short", 1);
    send(&mut raw, &frame(raw_id, 1, b"config"), 0);
    send(&mut raw, &frame(raw_id, 4242, b"unknown"), 1);
    send(&mut raw, &frame(raw_id, 1, b"last"), 1);
    let mut got = Vec::new();
    let start = Instant::now();
    while got.len() < 2 {
        let _ = raw.service(0);
        let _ = s.poll();
        let _ = a.poll();
        got.extend(take_all(&mut s));
        assert!(start.elapsed() < LIMIT, "got {got:?}");
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(
        got,
        vec![
            (
                b"to-server".to_vec(),
                raw_id as i32,
                0,
                TransferMode::Reliable
            ),
            (b"last".to_vec(), raw_id as i32, 0, TransferMode::Reliable)
        ]
    );
    assert_eq!(s.dropped_packets(), 4);
    assert!(take_all(&mut a).is_empty());

    // Our client closes: the disconnect data is its own id; the raw client gets REMOVE_PEER(a).
    a.close().unwrap();
    let (ch, data, _) = raw_recv(&mut raw, &mut s);
    assert_eq!(ch, 0);
    assert_eq!(data, frame(1, a_id, b""), "SYSMSG_REMOVE_PEER(a)");
}

#[test]
fn godot3_mode_is_opt_in_and_set_while_inactive() {
    let mut p = ENetMultiplayerPeer::new();
    assert!(!p.is_godot3_compat());
    p.set_godot3_compat(true).unwrap();
    assert!(p.is_godot3_compat());
    assert_eq!(p.create_mesh(2), Err(Error::Unavailable));
    p.set_bind_ip("127.0.0.1").unwrap();
    p.create_server(0, 8, 0, 0, 0).unwrap();
    assert_eq!(p.set_godot3_compat(false), Err(Error::AlreadyInUse));
    assert_eq!(p.get_host().unwrap().lock().unwrap().get_max_channels(), 3);
    p.close().unwrap();
    assert_eq!(
        p.create_server(0, 8, 253, 0, 0),
        Err(Error::InvalidParameter)
    );
    p.create_server(0, 8, 252, 0, 0).unwrap();
    assert_eq!(
        p.get_host().unwrap().lock().unwrap().get_max_channels(),
        255
    );
    p.close().unwrap();
    p.set_godot3_compat(false).unwrap();
    p.create_server(0, 8, 0, 0, 0).unwrap();
    assert!(p.is_server_relay_supported(), "Godot 4 behaviour again");
}
