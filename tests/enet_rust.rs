//! Two of our ENet hosts talking over real loopback UDP sockets.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use packetpeer::enet::host::{
    PACKET_FLAG_RELIABLE, PACKET_FLAG_UNRELIABLE_FRAGMENT, PACKET_FLAG_UNSEQUENCED,
};
use packetpeer::enet::{Event, Host, HostConfig, PeerState, UdpTransport};

const LO: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// Bound on every wait: generous, as a loaded 2-core machine can stall a test for seconds; only a
/// failing test ever waits that long.
const LIMIT: Duration = Duration::from_secs(30);

struct Side {
    host: Host,
    io: UdpTransport,
}

impl Side {
    fn new(cfg: HostConfig) -> Side {
        Side {
            host: Host::new(cfg),
            io: UdpTransport::bind(Some(LO), 0).unwrap(),
        }
    }
    fn addr(&self) -> SocketAddr {
        self.io.local_addr().unwrap()
    }
    fn service(&mut self) -> Option<Event> {
        self.host.service(0, &mut self.io).unwrap()
    }
}

/// Services both sides until `done` says stop (bounded by `limit`).
fn pump(
    a: &mut Side,
    b: &mut Side,
    limit: Duration,
    mut done: impl FnMut(Option<Event>, Option<Event>) -> bool,
) -> bool {
    let start = Instant::now();
    loop {
        let ea = a.service();
        let eb = b.service();
        let idle = ea.is_none() && eb.is_none();
        if done(ea, eb) {
            return true;
        }
        if start.elapsed() > limit {
            return false;
        }
        if idle {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
}

/// Checks a late (resent) unreliable packet of `reliable_order_unreliable_unsequenced_fragments_and_disconnect`.
fn check_unreliable(channel: u8, packet: &packetpeer::enet::host::Packet, big64: &[u8]) {
    match channel {
        3 => {
            assert_eq!(packet.data, big64);
            assert_eq!(packet.flags, PACKET_FLAG_UNRELIABLE_FRAGMENT);
        }
        4 => {
            assert_eq!(packet.data, b"unseq");
            assert_eq!(packet.flags, PACKET_FLAG_UNSEQUENCED);
        }
        5 => {
            assert_eq!(packet.data, b"unrel");
            assert_eq!(packet.flags, 0);
        }
        c => panic!("channel {c}"),
    }
}

fn connected_pair(
    server_cfg: HostConfig,
    channels: usize,
    data: u32,
) -> (Side, Side, usize, usize) {
    connected_pair_with(
        server_cfg,
        HostConfig {
            peer_count: 1,
            ..HostConfig::default()
        },
        channels,
        data,
    )
}

fn connected_pair_with(
    server_cfg: HostConfig,
    client_cfg: HostConfig,
    channels: usize,
    data: u32,
) -> (Side, Side, usize, usize) {
    let mut server = Side::new(server_cfg);
    let mut client = Side::new(client_cfg);
    let cp = client.host.connect(server.addr(), channels, data).unwrap();
    assert_eq!(client.host.peer(cp).unwrap().state(), PeerState::Connecting);
    let (mut c_ok, mut s_peer) = (false, None);
    assert!(pump(&mut client, &mut server, LIMIT, |ec, es| {
        if let Some(Event::Connect { peer, data: d }) = ec {
            assert_eq!(peer, cp);
            assert_eq!(d, 0, "connecting side sees data 0");
            c_ok = true;
        }
        if let Some(Event::Connect { peer, data: d }) = es {
            assert_eq!(d, data);
            s_peer = Some(peer);
        }
        c_ok && s_peer.is_some()
    }));
    let sp = s_peer.unwrap();
    (client, server, cp, sp)
}

#[test]
fn connect_negotiates_fields() {
    let (client, server, cp, sp) = connected_pair(
        HostConfig {
            channel_limit: 4,
            incoming_bandwidth: 128 * 1024,
            ..HostConfig::default()
        },
        255,
        0xCAFE_BABE,
    );
    let c = client.host.peer(cp).unwrap();
    let s = server.host.peer(sp).unwrap();
    assert_eq!(c.state(), PeerState::Connected);
    assert_eq!(s.state(), PeerState::Connected);
    assert_eq!(c.channel_count(), 4, "initiator adopts the clamped count");
    assert_eq!(s.channel_count(), 4);
    assert_eq!(c.mtu(), 1392);
    assert_eq!(s.mtu(), 1392);
    assert_eq!(c.connect_id(), s.connect_id());
    // server's incoming bandwidth 128 KiB/s -> the window it grants is (128K/64K)*4096 = 8192
    assert_eq!(c.window_size(), 8192);
    assert_eq!(c.outgoing_bandwidth(), 0);
    assert_eq!(c.incoming_bandwidth(), 128 * 1024);
}

#[test]
fn reliable_order_unreliable_unsequenced_fragments_and_disconnect() {
    let (mut client, mut server, cp, sp) = connected_pair(HostConfig::default(), 8, 7);
    const N: usize = 3000;
    for i in 0..N {
        client
            .host
            .send(cp, 0, format!("m{i}").as_bytes(), PACKET_FLAG_RELIABLE)
            .unwrap();
    }
    let big64: Vec<u8> = (0..65536u32).map(|i| (i * 7 + 3) as u8).collect();
    let big1m: Vec<u8> = (0..(1 << 20) as u32)
        .map(|i| (i ^ (i >> 8)) as u8)
        .collect();
    client
        .host
        .send(cp, 1, &big64, PACKET_FLAG_RELIABLE)
        .unwrap();
    client
        .host
        .send(cp, 2, &big1m, PACKET_FLAG_RELIABLE)
        .unwrap();
    let mut next = 0;
    let (mut got64, mut got1m, mut gotuf, mut gotus, mut gotur) =
        (false, false, false, false, false);
    let mut phase2 = false;
    let ok = pump(&mut client, &mut server, LIMIT, |_, es| {
        if let Some(Event::Receive {
            peer,
            channel,
            packet,
        }) = es
        {
            assert_eq!(peer, sp);
            match channel {
                0 => {
                    assert_eq!(packet.data, format!("m{next}").as_bytes());
                    assert_eq!(packet.flags, PACKET_FLAG_RELIABLE);
                    next += 1;
                }
                1 => {
                    assert_eq!(packet.data, big64);
                    got64 = true;
                }
                2 => {
                    assert_eq!(packet.data, big1m);
                    got1m = true;
                }
                3 => {
                    assert_eq!(packet.data, big64);
                    assert_eq!(packet.flags, PACKET_FLAG_UNRELIABLE_FRAGMENT);
                    gotuf = true;
                }
                4 => {
                    assert_eq!(packet.data, b"unseq");
                    assert_eq!(packet.flags, PACKET_FLAG_UNSEQUENCED);
                    gotus = true;
                }
                5 => {
                    assert_eq!(packet.data, b"unrel");
                    assert_eq!(packet.flags, 0);
                    gotur = true;
                }
                c => panic!("channel {c}"),
            }
        }
        if next == N && got64 && got1m && !phase2 {
            // Unreliable data is only sent once the reliable bulk is through: a burst can overflow
            // the loopback socket buffer, and unreliable packets lost there are legitimately gone.
            phase2 = true;
            return true;
        }
        next == N && got64 && got1m && gotuf && gotus && gotur
    });
    assert!(ok && phase2);
    // Unreliable data may legitimately be dropped: ENet's packet throttle sheds unreliable packets
    // after the bulk transfer above raised the round-trip time (a loaded machine makes that likely),
    // so whatever has not arrived yet is sent again every 100 ms until it has.
    let deadline = Instant::now() + LIMIT;
    let mut resend_at = Instant::now();
    while !(gotuf && gotus && gotur) {
        let c = client.host.peer(cp).unwrap();
        assert!(
            Instant::now() < deadline,
            "{next} {got64} {got1m} {gotuf} {gotus} {gotur} {:?} pending {} {:?}",
            c.stats(),
            c.pending_outgoing(),
            server.host.anomalies
        );
        if Instant::now() >= resend_at {
            if !gotuf {
                client
                    .host
                    .send(cp, 3, &big64, PACKET_FLAG_UNRELIABLE_FRAGMENT)
                    .unwrap();
            }
            if !gotus {
                client
                    .host
                    .send(cp, 4, b"unseq", PACKET_FLAG_UNSEQUENCED)
                    .unwrap();
            }
            if !gotur {
                client.host.send(cp, 5, b"unrel", 0).unwrap();
            }
            resend_at = Instant::now() + Duration::from_millis(100);
        }
        let ec = client.service();
        let es = server.service();
        let idle = ec.is_none() && es.is_none();
        if let Some(Event::Receive {
            channel, packet, ..
        }) = es
        {
            check_unreliable(channel, &packet, &big64);
            match channel {
                3 => gotuf = true,
                4 => gotus = true,
                _ => gotur = true,
            }
        }
        if idle {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
    // Everything received was handed out: no data stays waiting. Copies sent again above may still
    // be on their way (their fragments can arrive over several service calls), so the servicing
    // goes on until the waiting data is back to zero, which a leak would never reach.
    let deadline = Instant::now() + LIMIT;
    while server.host.peer(sp).unwrap().waiting_data() != 0 || server.host.total_waiting_data() != 0
    {
        assert!(
            Instant::now() < deadline,
            "data left waiting: peer {} host {}",
            server.host.peer(sp).unwrap().waiting_data(),
            server.host.total_waiting_data()
        );
        client.service();
        if let Some(Event::Receive {
            channel, packet, ..
        }) = server.service()
        {
            check_unreliable(channel, &packet, &big64);
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    // graceful disconnect from the server side: both sides see DISCONNECT with the data.
    server.host.disconnect(sp, 99, &mut server.io);
    let (mut dc, mut ds) = (false, false);
    assert!(pump(&mut client, &mut server, LIMIT, |ec, es| {
        if let Some(Event::Disconnect { peer, data }) = ec {
            assert_eq!((peer, data), (cp, 99));
            dc = true;
        }
        if let Some(Event::Disconnect { peer, .. }) = es {
            assert_eq!(peer, sp);
            ds = true;
        }
        dc && ds
    }));
    assert_eq!(
        client.host.peer(cp).unwrap().state(),
        PeerState::Disconnected
    );
}

#[test]
fn timeout_disconnects_silent_peer() {
    let (mut client, mut server, cp, sp) = connected_pair(HostConfig::default(), 1, 0);
    client.host.set_timeout(cp, 4, 200, 400);
    // the server vanishes without a word
    server.host.peer_reset(sp);
    drop(server);
    client.host.send(cp, 0, b"x", PACKET_FLAG_RELIABLE).unwrap();
    let start = Instant::now();
    loop {
        if let Some(Event::Disconnect { peer, data }) = client.service() {
            assert_eq!((peer, data), (cp, 0));
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(5));
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(start.elapsed() >= Duration::from_millis(200));
}

#[test]
fn every_compression_mode_carries_traffic() {
    use packetpeer::enet::compress::{compressor, CompressionLevels, CompressionMode};
    for mode in [
        CompressionMode::RangeCoder,
        CompressionMode::FastLz,
        CompressionMode::Zlib,
        CompressionMode::Zstd,
    ] {
        let mut server = Side::new(HostConfig::default());
        let mut client = Side::new(HostConfig {
            peer_count: 1,
            ..HostConfig::default()
        });
        server
            .host
            .set_compressor(compressor(mode, CompressionLevels::default()));
        client
            .host
            .set_compressor(compressor(mode, CompressionLevels::default()));
        let cp = client.host.connect(server.addr(), 2, 3).unwrap();
        let (mut c_ok, mut s_ok) = (false, false);
        assert!(pump(&mut client, &mut server, LIMIT, |ec, es| {
            c_ok |= matches!(ec, Some(Event::Connect { .. }));
            s_ok |= matches!(es, Some(Event::Connect { data: 3, .. }));
            c_ok && s_ok
        }));
        let text: Vec<u8> = b"compressible payload "
            .iter()
            .cycle()
            .take(70_000)
            .copied()
            .collect();
        for i in 0..200 {
            client
                .host
                .send(cp, 0, format!("c{i}").as_bytes(), PACKET_FLAG_RELIABLE)
                .unwrap();
        }
        client
            .host
            .send(cp, 1, &text, PACKET_FLAG_RELIABLE)
            .unwrap();
        let (mut got, mut big) = (0, false);
        assert!(
            pump(&mut client, &mut server, LIMIT, |_, es| {
                match es {
                    Some(Event::Receive {
                        channel: 0, packet, ..
                    }) => {
                        assert_eq!(packet.data, format!("c{got}").as_bytes());
                        got += 1;
                    }
                    Some(Event::Receive {
                        channel: 1, packet, ..
                    }) => {
                        assert_eq!(packet.data, text);
                        big = true;
                    }
                    _ => {}
                }
                got == 200 && big
            }),
            "{mode:?}"
        );
        // compression really happened: far fewer bytes than payload
        assert!(
            client.host.total_sent_data < 40_000,
            "{mode:?}: {}",
            client.host.total_sent_data
        );
    }
}

#[test]
fn bandwidth_limits_are_announced() {
    let client_cfg = HostConfig {
        peer_count: 1,
        outgoing_bandwidth: 20_000,
        ..HostConfig::default()
    };
    let (mut client, mut server, cp, sp) =
        connected_pair_with(HostConfig::default(), client_cfg, 2, 0);
    server.host.set_bandwidth_limit(100_000, 50_000);
    // BANDWIDTH_LIMIT goes out at the next throttle recalculation (every second).
    let start = Instant::now();
    while client.host.peer(cp).unwrap().outgoing_bandwidth() != 50_000 {
        assert!(start.elapsed() < LIMIT, "no BANDWIDTH_LIMIT");
        client.service();
        server.service();
        std::thread::sleep(Duration::from_millis(2));
    }
    // ENet's split of the server's 100 kB/s: a peer that declared a lower outgoing bandwidth (20 kB/s)
    // is granted exactly that.
    assert_eq!(client.host.peer(cp).unwrap().incoming_bandwidth(), 20_000);
    // window = (min(20000, 20000) / 65536) * 4096, clamped to 4096
    assert_eq!(client.host.peer(cp).unwrap().window_size(), 4096);
    let _ = sp;
}

#[test]
fn smaller_mtu_is_negotiated_and_used() {
    let mut server = Side::new(HostConfig {
        mtu: 700,
        ..HostConfig::default()
    });
    let mut client = Side::new(HostConfig {
        peer_count: 1,
        ..HostConfig::default()
    });
    let cp = client.host.connect(server.addr(), 1, 0).unwrap();
    let mut sp = None;
    let mut c_ok = false;
    assert!(pump(&mut client, &mut server, LIMIT, |ec, es| {
        c_ok |= matches!(ec, Some(Event::Connect { .. }));
        if let Some(Event::Connect { peer, .. }) = es {
            sp = Some(peer);
        }
        c_ok && sp.is_some()
    }));
    assert_eq!(client.host.peer(cp).unwrap().mtu(), 700);
    assert_eq!(server.host.peer(sp.unwrap()).unwrap().mtu(), 700);
    let data: Vec<u8> = (0..20_000u32).map(|i| i as u8).collect();
    client
        .host
        .send(cp, 0, &data, PACKET_FLAG_RELIABLE)
        .unwrap();
    let mut got = false;
    assert!(pump(&mut client, &mut server, LIMIT, |_, es| {
        if let Some(Event::Receive { packet, .. }) = es {
            assert_eq!(packet.data, data);
            got = true;
        }
        got
    }));
}

#[test]
fn disconnect_later_delivers_everything_first() {
    let (mut client, mut server, cp, sp) = connected_pair(HostConfig::default(), 1, 0);
    for i in 0..500 {
        client
            .host
            .send(cp, 0, format!("l{i}").as_bytes(), PACKET_FLAG_RELIABLE)
            .unwrap();
    }
    client.host.disconnect_later(cp, 5, &mut client.io);
    assert_eq!(
        client.host.peer(cp).unwrap().state(),
        PeerState::DisconnectLater
    );
    let (mut got, mut s_gone, mut c_gone) = (0, false, false);
    assert!(pump(&mut client, &mut server, LIMIT, |ec, es| {
        match es {
            Some(Event::Receive { packet, .. }) => {
                assert!(!s_gone);
                assert_eq!(packet.data, format!("l{got}").as_bytes());
                got += 1;
            }
            Some(Event::Disconnect { peer, data }) => {
                assert_eq!((peer, data), (sp, 5));
                s_gone = true;
            }
            _ => {}
        }
        c_gone |= matches!(ec, Some(Event::Disconnect { .. }));
        s_gone && c_gone
    }));
    assert_eq!(got, 500);
}

#[test]
fn checksummed_hosts_talk_and_drop_corruption() {
    let cfg = HostConfig {
        checksum: true,
        ..HostConfig::default()
    };
    let (mut client, mut server, cp, _sp) = connected_pair_with(
        cfg.clone(),
        HostConfig {
            peer_count: 1,
            ..cfg
        },
        1,
        0,
    );
    client
        .host
        .send(cp, 0, b"crc", PACKET_FLAG_RELIABLE)
        .unwrap();
    let mut got = false;
    assert!(pump(&mut client, &mut server, LIMIT, |_, es| {
        got |= matches!(es, Some(Event::Receive { .. }));
        got
    }));
}
