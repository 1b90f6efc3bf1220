//! WebRTCMultiplayerPeer (`docs/classes.md` §23) on loopback: a server and two clients, and a mesh
//! of three, signalling through this test. Every transfer mode and an extra channel; packets on the
//! expected SCTP stream ids (1, 2, 3, 4 + i); target rules; round-robin receive; the engine's
//! add_peer checks; remove/disconnect.
use std::time::{Duration, Instant};

use packetpeer::multiplayer::{ConnectionStatus, MultiplayerEvent, MultiplayerPeer, TransferMode};
use packetpeer::peer::PacketPeer;
use packetpeer::variant::{Dictionary, Variant};
use packetpeer::webrtc::{PeerEvent, WebRtcMultiplayerPeer, WebRtcPeerConnection};
use packetpeer::Error;

const LIMIT: Duration = Duration::from_secs(30);

fn new_conn() -> WebRtcPeerConnection {
    let mut d = Dictionary::new();
    d.insert(
        Variant::String("bindAddresses".into()),
        Variant::PackedStringArray(vec!["127.0.0.1".into()]),
    );
    let c = WebRtcPeerConnection::new();
    c.initialize(&Variant::Dictionary(Box::new(d))).unwrap();
    c
}

/// One signalling link: `a`'s connection to `b` and `b`'s to `a`.
struct Link {
    a: WebRtcPeerConnection,
    b: WebRtcPeerConnection,
}

fn relay(from: &WebRtcPeerConnection, to: &WebRtcPeerConnection) {
    while let Some(e) = from.pop_event() {
        match e {
            PeerEvent::SessionDescriptionCreated { kind, sdp } => {
                to.set_remote_description(&kind, &sdp).unwrap()
            }
            PeerEvent::IceCandidateCreated { media, index, name } => {
                to.add_ice_candidate(&media, index, &name).unwrap()
            }
            PeerEvent::DataChannelReceived(_) => panic!("only negotiated channels expected"),
            _ => {}
        }
    }
}

/// Adds a link between `ma` (peer id `ia`) and `mb` (`ib`); `a` offers.
fn link(ma: &mut WebRtcMultiplayerPeer, ia: i32, mb: &mut WebRtcMultiplayerPeer, ib: i32) -> Link {
    let a = new_conn();
    let b = new_conn();
    ma.add_peer(&a, ib, 1).unwrap();
    mb.add_peer(&b, ia, 1).unwrap();
    a.create_offer().unwrap();
    Link { a, b }
}

fn pump(
    peers: &mut [&mut WebRtcMultiplayerPeer],
    links: &[Link],
    what: &str,
    mut done: impl FnMut(&mut [&mut WebRtcMultiplayerPeer]) -> bool,
) {
    let end = Instant::now() + LIMIT;
    loop {
        for p in peers.iter_mut() {
            p.poll().unwrap();
        }
        for l in links {
            relay(&l.a, &l.b);
            relay(&l.b, &l.a);
        }
        if done(peers) {
            return;
        }
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn events(p: &mut WebRtcMultiplayerPeer) -> Vec<MultiplayerEvent> {
    let mut v = Vec::new();
    while let Some(e) = p.pop_event() {
        v.push(e);
    }
    v
}

/// Every packet queued: (from, channel, mode, bytes).
fn drain(p: &mut WebRtcMultiplayerPeer) -> Vec<(i32, i32, TransferMode, Vec<u8>)> {
    let mut v = Vec::new();
    while p.get_available_packet_count() > 0 {
        let from = p.get_packet_peer();
        let ch = p.get_packet_channel();
        let mode = p.get_packet_mode().unwrap();
        let data = p.get_packet().unwrap().to_vec();
        v.push((from, ch, mode, data));
    }
    v
}

#[test]
fn add_peer_rules() {
    let mut m = WebRtcMultiplayerPeer::new();
    let c = new_conn();
    assert_eq!(m.add_peer(&c, 2, 1), Err(Error::Unconfigured));
    assert_eq!(m.create_client(1, &[]), Err(Error::InvalidParameter));
    assert_eq!(m.create_server(&[5]), Err(Error::InvalidParameter));
    assert_eq!(m.create_mesh(0, &[]), Err(Error::InvalidParameter));
    assert_eq!(m.put_packet(b"x"), Err(Error::Unconfigured));
    assert_eq!(m.get_unique_id(), Ok(1));
    m.create_client(5, &[]).unwrap();
    assert_eq!(m.get_connection_status(), Ok(ConnectionStatus::Connecting));
    assert!(m.is_server_relay_supported() && !m.is_server());
    assert_eq!(m.add_peer(&c, 2, 1), Err(Error::InvalidParameter));
    assert_eq!(m.add_peer(&c, 1, -1), Err(Error::InvalidParameter));
    m.set_refuse_new_connections(true).unwrap();
    assert_eq!(m.add_peer(&c, 1, 1), Err(Error::Unauthorized));
    m.set_refuse_new_connections(false).unwrap();
    m.add_peer(&c, 1, 1).unwrap();
    assert!(m.has_peer(1));
    assert_eq!(m.add_peer(&c, 1, 1), Err(Error::InvalidParameter));
    let info = m.get_peer(1).unwrap();
    assert!(!info.connected && info.connection.as_ref().is_some_and(|x| x.same(&c)));
    let ids: Vec<i32> = info.channels.iter().map(|c| c.get_id()).collect();
    assert_eq!(ids, vec![1, 2, 3]);
    m.remove_peer(1);
    assert!(!m.has_peer(1));
    m.create_server(&[]).unwrap();
    assert!(m.is_server());
    assert_eq!(m.add_peer(&new_conn(), 1, 1), Err(Error::InvalidParameter));
    m.close().unwrap();
    assert_eq!(
        m.get_connection_status(),
        Ok(ConnectionStatus::Disconnected)
    );
}

#[test]
fn server_and_two_clients() {
    let extra = [
        TransferMode::Unreliable as i32,
        TransferMode::Reliable as i32,
    ];
    let mut server = WebRtcMultiplayerPeer::new();
    server.create_server(&extra).unwrap();
    let mut c2 = WebRtcMultiplayerPeer::new();
    c2.create_client(2, &extra).unwrap();
    let mut c3 = WebRtcMultiplayerPeer::new();
    c3.create_client(3, &extra).unwrap();
    // Honouring the lifetime changes nothing visible but the channels' settings.
    c3.set_honor_unreliable_lifetime(true);
    let l2 = link(&mut c2, 2, &mut server, 1);
    let l3 = link(&mut server, 1, &mut c3, 3);
    let links = [l2, l3];
    pump(
        &mut [&mut server, &mut c2, &mut c3],
        &links,
        "everyone connected",
        |p| {
            p.iter()
                .all(|m| m.get_connection_status() == Ok(ConnectionStatus::Connected))
                && p[0].get_peer(2).is_some_and(|i| i.connected)
                && p[0].get_peer(3).is_some_and(|i| i.connected)
        },
    );
    let mut ev = events(&mut server);
    ev.sort_by_key(|e| format!("{e:?}"));
    assert_eq!(
        ev,
        vec![
            MultiplayerEvent::PeerConnected(2),
            MultiplayerEvent::PeerConnected(3)
        ]
    );
    assert_eq!(events(&mut c2), vec![MultiplayerEvent::PeerConnected(1)]);
    assert_eq!(events(&mut c3), vec![MultiplayerEvent::PeerConnected(1)]);
    assert_eq!(server.get_peer_ids(), vec![2, 3]);
    // The §23 stream ids, on both ends.
    let ids: Vec<i32> = server
        .get_peer(2)
        .unwrap()
        .channels
        .iter()
        .map(|c| c.get_id())
        .collect();
    assert_eq!(ids, vec![1, 2, 3, 4, 5]);
    let c3_chans = c3.get_peer(1).unwrap().channels;
    assert_eq!(c3_chans[2].get_max_packet_life_time(), 1);
    assert!(!c3_chans[2].is_ordered() && !c3_chans[3].is_ordered() && c3_chans[4].is_ordered());
    let c2_chans = c2.get_peer(1).unwrap().channels;
    assert_eq!(
        c2_chans[1].get_max_packet_life_time(),
        65535,
        "reliable by default"
    );

    // Client → server on every lane; the server reports channel and mode.
    let lanes = [
        (0, TransferMode::Reliable),
        (0, TransferMode::UnreliableOrdered),
        (0, TransferMode::Unreliable),
        (1, TransferMode::Unreliable),
        (2, TransferMode::Reliable),
    ];
    for (i, (ch, mode)) in lanes.iter().enumerate() {
        c2.set_transfer_channel(*ch).unwrap();
        c2.set_transfer_mode(*mode).unwrap();
        c2.set_target_peer(1).unwrap();
        c2.put_packet(&[i as u8]).unwrap();
    }
    c2.set_transfer_channel(3).unwrap();
    assert_eq!(c2.put_packet(b"x"), Err(Error::InvalidParameter));
    c2.set_transfer_channel(0).unwrap();
    let mut got = Vec::new();
    pump(
        &mut [&mut server, &mut c2, &mut c3],
        &links,
        "five packets",
        |p| {
            got.extend(drain(p[0]));
            got.len() == 5
        },
    );
    got.sort_by_key(|g| g.3.clone());
    for (i, (ch, mode)) in lanes.iter().enumerate() {
        let expect_mode = if *ch == 0 {
            *mode
        } else {
            TransferMode::try_from(extra[*ch as usize - 1]).unwrap()
        };
        assert_eq!(got[i], (2, *ch, expect_mode, vec![i as u8]));
    }

    // Targets: broadcast, all-but-3, one peer, unknown peer.
    server.set_transfer_mode(TransferMode::Reliable).unwrap();
    server.set_target_peer(0).unwrap();
    server.put_packet(b"all").unwrap();
    server.set_target_peer(-3).unwrap();
    server.put_packet(b"not3").unwrap();
    server.set_target_peer(3).unwrap();
    server.put_packet(b"only3").unwrap();
    server.set_target_peer(9).unwrap();
    assert_eq!(server.put_packet(b"x"), Err(Error::InvalidParameter));
    let mut at2 = Vec::new();
    let mut at3 = Vec::new();
    pump(
        &mut [&mut server, &mut c2, &mut c3],
        &links,
        "targeted packets",
        |p| {
            at2.extend(drain(p[1]).into_iter().map(|g| g.3));
            at3.extend(drain(p[2]).into_iter().map(|g| g.3));
            at2.len() == 2 && at3.len() == 2
        },
    );
    assert_eq!(at2, vec![b"all".to_vec(), b"not3".to_vec()]);
    assert_eq!(at3, vec![b"all".to_vec(), b"only3".to_vec()]);

    // Round robin: two packets from each client arrive alternating by peer.
    for c in [&mut c2, &mut c3] {
        c.set_target_peer(1).unwrap();
        c.put_packet(b"a").unwrap();
        c.put_packet(b"b").unwrap();
    }
    let mut order = Vec::new();
    pump(
        &mut [&mut server, &mut c2, &mut c3],
        &links,
        "four packets",
        |p| {
            // Wait until all four are queued, then read them in one go.
            let total: i32 = p[0].get_available_packet_count();
            if total < 4 {
                return false;
            }
            order.extend(drain(p[0]).into_iter().map(|g| g.0));
            true
        },
    );
    assert_eq!(order.len(), 4);
    assert_ne!(order[0], order[1], "round robin between peers: {order:?}");

    // The server drops client 3: both sides see it.
    server.disconnect_peer(3, false).unwrap();
    pump(
        &mut [&mut server, &mut c2, &mut c3],
        &links,
        "peer 3 gone",
        |p| !p[0].has_peer(3) && p[2].get_connection_status() == Ok(ConnectionStatus::Disconnected),
    );
    assert_eq!(
        events(&mut server),
        vec![MultiplayerEvent::PeerDisconnected(3)]
    );
    assert_eq!(events(&mut c3), vec![MultiplayerEvent::PeerDisconnected(1)]);
    assert_eq!(
        server.disconnect_peer(3, false),
        Err(Error::InvalidParameter)
    );
    server.close().unwrap();
    assert_eq!(
        server.get_connection_status(),
        Ok(ConnectionStatus::Disconnected)
    );
}

#[test]
fn mesh_of_three() {
    let mut m: Vec<WebRtcMultiplayerPeer> = (0..3).map(|_| WebRtcMultiplayerPeer::new()).collect();
    let ids = [1, 2, 3];
    for (p, id) in m.iter_mut().zip(ids) {
        p.create_mesh(id, &[TransferMode::UnreliableOrdered as i32])
            .unwrap();
        assert_eq!(p.get_connection_status(), Ok(ConnectionStatus::Connected));
        assert!(!p.is_server_relay_supported());
    }
    let (a, rest) = m.split_at_mut(1);
    let (b, c) = rest.split_at_mut(1);
    let (a, b, c) = (&mut a[0], &mut b[0], &mut c[0]);
    let links = [link(a, 1, b, 2), link(a, 1, c, 3), link(b, 2, c, 3)];
    pump(&mut [a, b, c], &links, "a full mesh", |p| {
        p.iter().all(|m| {
            m.get_peer_ids()
                .iter()
                .all(|&id| m.get_peer(id).unwrap().connected)
        })
    });
    for (p, id) in [(&mut *a, 1), (&mut *b, 2), (&mut *c, 3)] {
        let mut ev = events(p);
        ev.sort_by_key(|e| format!("{e:?}"));
        let others: Vec<MultiplayerEvent> = ids
            .iter()
            .filter(|&&o| o != id)
            .map(|&o| MultiplayerEvent::PeerConnected(o))
            .collect();
        assert_eq!(ev, others);
    }
    // Everyone broadcasts on the extra channel.
    for (p, id) in [(&mut *a, 1u8), (&mut *b, 2), (&mut *c, 3)] {
        p.set_transfer_channel(1).unwrap();
        p.set_target_peer(0).unwrap();
        p.put_packet(&[id]).unwrap();
    }
    let mut got: Vec<Vec<(i32, i32, TransferMode, Vec<u8>)>> = vec![Vec::new(); 3];
    pump(&mut [a, b, c], &links, "six packets", |p| {
        for (i, m) in p.iter_mut().enumerate() {
            got[i].extend(drain(m));
        }
        got.iter().all(|g| g.len() == 2)
    });
    for (i, g) in got.iter_mut().enumerate() {
        g.sort_by_key(|x| x.0);
        let me = i as i32 + 1;
        let expect: Vec<(i32, i32, TransferMode, Vec<u8>)> = ids
            .iter()
            .filter(|&&o| o != me)
            .map(|&o| (o, 1, TransferMode::UnreliableOrdered, vec![o as u8]))
            .collect();
        assert_eq!(*g, expect);
    }
}
