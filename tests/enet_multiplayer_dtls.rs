//! ENetMultiplayerPeer over DTLS (`docs/classes.md` §17, §18.5): a server and two clients of ours,
//! the way Godot games set it up (`create_server` / `create_client`, then the host's
//! `dtls_server_setup` / `dtls_client_setup`): unique ids and connect events, reliable packets in
//! order and unreliable ones at most once, both ways, a server-side disconnect and a client close.
mod tls_util;

use std::time::{Duration, Instant};

use packetpeer::enet::multiplayer::ENetMultiplayerPeer;
use packetpeer::multiplayer::{ConnectionStatus, MultiplayerEvent, MultiplayerPeer, TransferMode};
use packetpeer::peer::PacketPeer;
use packetpeer::tls::TlsOptions;
use tls_util::*;

/// Bound on every wait (a DTLS handshake plus ENet's CONNECT retransmission on a loaded machine).
const WAIT: Duration = Duration::from_secs(30);

fn pump(
    peers: &mut [&mut ENetMultiplayerPeer],
    what: &str,
    mut done: impl FnMut(&mut [&mut ENetMultiplayerPeer]) -> bool,
) {
    let end = Instant::now() + WAIT;
    loop {
        for p in peers.iter_mut() {
            let _ = p.poll();
        }
        if done(peers) {
            return;
        }
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn events(p: &mut ENetMultiplayerPeer) -> Vec<MultiplayerEvent> {
    std::iter::from_fn(|| p.pop_event()).collect()
}

/// (payload, from, mode) of every packet waiting.
fn take_all(p: &mut ENetMultiplayerPeer) -> Vec<(Vec<u8>, i32, TransferMode)> {
    let mut v = Vec::new();
    while p.get_available_packet_count() > 0 {
        let (from, mode) = (p.get_packet_peer(), p.get_packet_mode().unwrap());
        v.push((p.get_packet().unwrap().to_vec(), from, mode));
    }
    v
}

#[test]
fn enet_multiplayer_peer_over_dtls_ids_reliable_unreliable_disconnect() {
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", true);
    let mut s = ENetMultiplayerPeer::new();
    s.set_bind_ip("127.0.0.1").unwrap();
    s.create_server(0, 8, 0, 0, 0).unwrap();
    let host = s.get_host().unwrap();
    let port = host.lock().unwrap().get_local_port();
    host.lock()
        .unwrap()
        .dtls_server_setup(&TlsOptions::server(c.key.clone(), c.cert.clone()).unwrap())
        .unwrap();
    let co = TlsOptions::client(Some(c.cert.clone()), "");
    let mut cs: Vec<ENetMultiplayerPeer> = (0..2)
        .map(|_| {
            let mut p = ENetMultiplayerPeer::new();
            p.create_client("127.0.0.1", port, 0, 0, 0, 0).unwrap();
            p.get_host()
                .unwrap()
                .lock()
                .unwrap()
                .dtls_client_setup("localhost", Some(&co))
                .unwrap();
            p
        })
        .collect();
    {
        let mut all: Vec<&mut ENetMultiplayerPeer> = vec![&mut s];
        all.extend(cs.iter_mut());
        pump(&mut all, "two clients connected", |ps| {
            ps[0].peer_ids().len() == 2
                && ps[1..]
                    .iter()
                    .all(|c| c.get_connection_status() == Ok(ConnectionStatus::Connected))
        });
    }
    // Ids: unique, >= 2, the server's list; connect events on both sides.
    let ids: Vec<i32> = cs.iter().map(|c| c.get_unique_id().unwrap()).collect();
    assert!(ids.iter().all(|&id| id >= 2) && ids[0] != ids[1], "{ids:?}");
    let mut sorted = ids.clone();
    sorted.sort();
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
    }
    // The traffic really is DTLS: one session per client on the server, each after a cookie round.
    let st = host.lock().unwrap().dtls_stats().unwrap();
    assert_eq!(st.sessions_connected, 2, "{st:?}");
    for cl in &cs {
        let cst = cl.get_host().unwrap().lock().unwrap().dtls_stats().unwrap();
        assert_eq!(cst.sessions_connected, 1, "{cst:?}");
    }

    // Reliable, both ways: every packet once, in order, with its sender and mode.
    const N: usize = 100;
    for (i, cl) in cs.iter_mut().enumerate() {
        cl.set_transfer_mode(TransferMode::Reliable).unwrap();
        cl.set_target_peer(1).unwrap();
        for k in 0..N {
            cl.put_packet(format!("c{i}-{k}").as_bytes()).unwrap();
        }
    }
    s.set_transfer_mode(TransferMode::Reliable).unwrap();
    s.set_target_peer(0).unwrap();
    for k in 0..N {
        s.put_packet(format!("s-{k}").as_bytes()).unwrap();
    }
    let mut at_server: Vec<(Vec<u8>, i32, TransferMode)> = Vec::new();
    let mut at_clients: Vec<Vec<Vec<u8>>> = vec![Vec::new(), Vec::new()];
    {
        let mut all: Vec<&mut ENetMultiplayerPeer> = vec![&mut s];
        all.extend(cs.iter_mut());
        pump(&mut all, "reliable packets", |ps| {
            at_server.extend(take_all(ps[0]));
            for i in 0..2 {
                for (d, from, mode) in take_all(ps[1 + i]) {
                    assert_eq!((from, mode), (1, TransferMode::Reliable));
                    at_clients[i].push(d);
                }
            }
            at_server.len() >= 2 * N && at_clients.iter().all(|c| c.len() >= N)
        });
    }
    for (i, id) in ids.iter().enumerate() {
        let from_i: Vec<Vec<u8>> = at_server
            .iter()
            .filter(|(_, f, _)| f == id)
            .map(|(d, _, m)| {
                assert_eq!(*m, TransferMode::Reliable);
                d.clone()
            })
            .collect();
        let want: Vec<Vec<u8>> = (0..N).map(|k| format!("c{i}-{k}").into_bytes()).collect();
        assert_eq!(from_i, want, "client {i}: once each, in order");
        let want: Vec<Vec<u8>> = (0..N).map(|k| format!("s-{k}").into_bytes()).collect();
        assert_eq!(
            at_clients[i], want,
            "server to client {i}: once each, in order"
        );
    }
    assert_eq!(at_server.len(), 2 * N);

    // Unreliable, server to client 0 only: at most once each, none to client 1. Sent in rounds
    // until some arrive (unreliable packets may be dropped on a loaded machine).
    s.set_transfer_mode(TransferMode::Unreliable).unwrap();
    s.set_target_peer(ids[0]).unwrap();
    let mut got: Vec<Vec<u8>> = Vec::new();
    let mut sent = 0;
    let end = Instant::now() + WAIT;
    while got.len() < 10 {
        assert!(
            Instant::now() < end,
            "unreliable packets: got {}",
            got.len()
        );
        for _ in 0..10 {
            s.put_packet(format!("u-{sent}").as_bytes()).unwrap();
            sent += 1;
        }
        let round_end = Instant::now() + Duration::from_millis(50);
        while Instant::now() < round_end {
            let _ = s.poll();
            for (i, cl) in cs.iter_mut().enumerate() {
                let _ = cl.poll();
                for (d, from, mode) in take_all(cl) {
                    assert_eq!(i, 0, "an unreliable packet reached the wrong client");
                    assert_eq!((from, mode), (1, TransferMode::Unreliable));
                    assert!(!got.contains(&d), "delivered twice");
                    got.push(d);
                }
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    assert!(got.len() <= sent);

    // The server disconnects client 1: both sides see it; client 0 is untouched.
    s.disconnect_peer(ids[1], false).unwrap();
    {
        let (c0, c1) = cs.split_at_mut(1);
        let mut all: Vec<&mut ENetMultiplayerPeer> = vec![&mut s, &mut c0[0], &mut c1[0]];
        pump(&mut all, "client 1 disconnected", |ps| {
            ps[2].get_connection_status() == Ok(ConnectionStatus::Disconnected)
                && ps[0].peer_ids() == vec![ids[0]]
        });
    }
    assert!(events(&mut cs[1]).contains(&MultiplayerEvent::PeerDisconnected(1)));
    assert_eq!(
        events(&mut s),
        vec![MultiplayerEvent::PeerDisconnected(ids[1])]
    );
    assert_eq!(
        cs[0].get_connection_status(),
        Ok(ConnectionStatus::Connected)
    );
    // Client 0 closes: the server sees it leave.
    cs[0].close().unwrap();
    pump(&mut [&mut s], "client 0 gone", |ps| {
        ps[0].peer_ids().is_empty()
    });
    assert_eq!(
        events(&mut s),
        vec![MultiplayerEvent::PeerDisconnected(ids[0])]
    );
    assert_eq!(
        host.lock()
            .unwrap()
            .dtls_stats()
            .unwrap()
            .sessions_connected,
        2
    );
}
