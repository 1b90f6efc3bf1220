//! MultiplayerPeer core: target rules, IDs, the base properties, OfflineMultiplayerPeer.

use std::collections::HashSet;

use packetpeer::multiplayer::{
    generate_unique_id, ConnectionStatus, MultiplayerEvent, MultiplayerPeer,
    OfflineMultiplayerPeer, Target, TransferMode, TARGET_PEER_BROADCAST, TARGET_PEER_SERVER,
};
use packetpeer::peer::PacketPeer;
use packetpeer::Error;

#[test]
fn enum_numbers_are_godots() {
    assert_eq!(TransferMode::Unreliable as i32, 0);
    assert_eq!(TransferMode::UnreliableOrdered as i32, 1);
    assert_eq!(TransferMode::Reliable as i32, 2);
    assert_eq!(TransferMode::default(), TransferMode::Reliable);
    assert_eq!(ConnectionStatus::Disconnected as i32, 0);
    assert_eq!(ConnectionStatus::Connecting as i32, 1);
    assert_eq!(ConnectionStatus::Connected as i32, 2);
    for v in 0..3 {
        assert_eq!(TransferMode::try_from(v).unwrap() as i32, v);
        assert_eq!(ConnectionStatus::try_from(v).unwrap() as i32, v);
    }
    for v in [-1, 3, i32::MAX, i32::MIN] {
        assert_eq!(TransferMode::try_from(v), Err(Error::InvalidParameter));
        assert_eq!(ConnectionStatus::try_from(v), Err(Error::InvalidParameter));
    }
    assert_eq!((TARGET_PEER_BROADCAST, TARGET_PEER_SERVER), (0, 1));
}

#[test]
fn target_rules() {
    assert_eq!(Target::parse(0), Ok(Target::Broadcast));
    assert_eq!(Target::parse(1), Ok(Target::Peer(1)));
    assert_eq!(Target::parse(-7), Ok(Target::AllExcept(7)));
    assert_eq!(Target::parse(i32::MAX), Ok(Target::Peer(i32::MAX)));
    assert_eq!(Target::parse(-i32::MAX), Ok(Target::AllExcept(i32::MAX)));
    assert_eq!(Target::parse(i32::MIN), Err(Error::InvalidParameter));
    for t in [0, 1, 5, -5, i32::MAX, -i32::MAX] {
        assert_eq!(Target::parse(t).unwrap().to_i32(), t);
    }
    let peers = [1, 2, 3, 40];
    let sel = |t: i32| Target::parse(t).unwrap().select(&peers).collect::<Vec<_>>();
    assert_eq!(sel(0), [1, 2, 3, 40]);
    assert_eq!(sel(3), [3]);
    assert_eq!(sel(99), Vec::<i32>::new());
    assert_eq!(sel(-1), [2, 3, 40], "-1: everyone but the server");
    assert_eq!(sel(-40), [1, 2, 3]);
    assert_eq!(sel(-99), [1, 2, 3, 40]);
}

#[test]
fn unique_ids_are_in_range_and_vary() {
    let mut seen = HashSet::new();
    for _ in 0..10_000 {
        let id = generate_unique_id();
        assert!((2..=i32::MAX).contains(&id), "{id}");
        seen.insert(id);
    }
    // 10k draws from ~2^31 values: collisions are possible but a handful at most.
    assert!(seen.len() > 9_990, "{}", seen.len());
    let t = std::thread::spawn(generate_unique_id).join().unwrap();
    assert!(t >= 2);
}

#[test]
fn offline_peer_is_a_lonely_connected_server() {
    let mut p = OfflineMultiplayerPeer::new();
    assert_eq!(p.get_unique_id(), Ok(1));
    assert_eq!(p.get_connection_status(), Ok(ConnectionStatus::Connected));
    assert!(p.is_server());
    assert!(!p.is_server_relay_supported());
    assert_eq!(p.get_available_packet_count(), 0);
    assert_eq!(p.get_max_packet_size(), 0);
    // The engine's quirk, kept: OK with an empty packet.
    assert_eq!(p.get_packet(), Ok(&[][..]));
    assert_eq!(p.put_packet(b"discarded"), Ok(()));
    assert_eq!(p.get_available_packet_count(), 0);
    assert_eq!(p.get_packet_peer(), 0);
    assert_eq!(p.get_packet_mode(), Ok(TransferMode::Reliable));
    assert_eq!(p.get_packet_channel(), 0);
    assert_eq!(p.set_target_peer(5), Ok(()));
    assert_eq!(p.set_target_peer(-5), Ok(()));
    assert_eq!(p.set_target_peer(i32::MIN), Err(Error::InvalidParameter));
    assert_eq!(p.disconnect_peer(5, true), Ok(()));
    assert_eq!(p.poll(), Ok(()));
    assert_eq!(p.close(), Ok(()));
    assert_eq!(p.get_connection_status(), Ok(ConnectionStatus::Connected));
    assert_eq!(p.pop_event(), None, "no signals ever");
}

#[test]
fn base_properties_defaults_and_validation() {
    let mut p = OfflineMultiplayerPeer::new();
    assert_eq!(p.get_transfer_mode(), Ok(TransferMode::Reliable));
    assert_eq!(p.get_transfer_channel(), 0);
    assert!(!p.is_refusing_new_connections());
    p.set_transfer_mode(TransferMode::Unreliable).unwrap();
    assert_eq!(p.get_transfer_mode(), Ok(TransferMode::Unreliable));
    p.set_transfer_channel(255).unwrap();
    assert_eq!(p.set_transfer_channel(256), Err(Error::InvalidParameter));
    assert_eq!(p.set_transfer_channel(-1), Err(Error::InvalidParameter));
    assert_eq!(p.get_transfer_channel(), 255);
    p.set_refuse_new_connections(true).unwrap();
    assert!(p.is_refusing_new_connections());
    assert!(p.generate_unique_id() >= 2);
}

#[test]
fn dyn_packet_peer_reaches_the_multiplayer_api() {
    // The C API's view of a peer object: any PacketPeer, downcast to the multiplayer API.
    let mut boxed: Box<dyn packetpeer::ffi::PacketPeerObject> =
        Box::new(OfflineMultiplayerPeer::new());
    let mp = boxed
        .as_multiplayer_mut()
        .expect("offline is a multiplayer peer");
    assert_eq!(mp.get_unique_id(), Ok(1));
    mp.mp_base()
        .events
        .push(MultiplayerEvent::PeerConnected(9))
        .unwrap();
    assert_eq!(mp.pop_event(), Some(MultiplayerEvent::PeerConnected(9)));
}
