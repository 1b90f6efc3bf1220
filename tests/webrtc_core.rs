//! WebRTCPeerConnection and WebRTCDataChannel between two connections of this process on loopback
//! (`docs/classes.md` §21, §22): signalling through memory, DCEP and negotiated channels, both
//! reliabilities, text and binary, 1 B / 1200 B / 64 KiB, close from either side, failure paths.
use std::time::{Duration, Instant};

use packetpeer::peer::PacketPeer;
use packetpeer::variant::Variant;
use packetpeer::webrtc::{
    ChannelState, ConnectionState, GatheringState, PeerEvent, SignalingState, WebRtcDataChannel,
    WebRtcPeerConnection, WriteMode,
};
use packetpeer::Error;

mod webrtc_util;
use webrtc_util::{dict, loopback_config, new_conn, relay};

const LIMIT: Duration = Duration::from_secs(20);

/// Polls and relays until `done`; panics after LIMIT.
fn pump(
    a: &WebRtcPeerConnection,
    b: &WebRtcPeerConnection,
    what: &str,
    got_a: &mut Vec<WebRtcDataChannel>,
    got_b: &mut Vec<WebRtcDataChannel>,
    mut done: impl FnMut(&mut Vec<WebRtcDataChannel>, &mut Vec<WebRtcDataChannel>) -> bool,
) {
    let end = Instant::now() + LIMIT;
    loop {
        let _ = a.poll();
        let _ = b.poll();
        got_a.extend(relay(a, b));
        got_b.extend(relay(b, a));
        if done(got_a, got_b) {
            return;
        }
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn recv_one(
    a: &WebRtcPeerConnection,
    b: &WebRtcPeerConnection,
    ch: &mut WebRtcDataChannel,
) -> (Vec<u8>, bool) {
    let mut ga = Vec::new();
    let mut gb = Vec::new();
    pump(a, b, "a message", &mut ga, &mut gb, |_, _| {
        ch.get_available_packet_count() > 0
    });
    let p = ch.get_packet().unwrap().to_vec();
    (p, ch.was_string_packet())
}

/// Two connected connections and the in-band channel "bulk" at each end: (a, b, at a, at b).
fn bulk_pair() -> (
    WebRtcPeerConnection,
    WebRtcPeerConnection,
    WebRtcDataChannel,
    WebRtcDataChannel,
) {
    let a = new_conn();
    let b = new_conn();
    let tx = a.create_data_channel("bulk", &Variant::Nil).unwrap();
    a.create_offer().unwrap();
    let mut ga = Vec::new();
    let mut gb = Vec::new();
    pump(&a, &b, "open", &mut ga, &mut gb, |_, gb| {
        !gb.is_empty() && tx.get_ready_state() == ChannelState::Open
    });
    let rx = gb.pop().unwrap();
    (a, b, tx, rx)
}

#[test]
fn pair_dcep_and_negotiated_channels() {
    let a = new_conn();
    let b = new_conn();
    assert_eq!(a.get_connection_state(), ConnectionState::New);
    let mut rel = a.create_data_channel("chat", &Variant::Nil).unwrap();
    let mut unrel = a
        .create_data_channel(
            "fast",
            &dict(&[
                ("ordered", Variant::Bool(false)),
                ("maxRetransmits", Variant::Int(0)),
            ]),
        )
        .unwrap();
    let neg_opts = dict(&[
        ("negotiated", Variant::Bool(true)),
        ("id", Variant::Int(7)),
        ("protocol", Variant::String("p".into())),
    ]);
    let mut neg_a = a.create_data_channel("neg", &neg_opts).unwrap();
    let mut neg_b = b.create_data_channel("neg", &neg_opts).unwrap();
    assert_eq!(rel.get_ready_state(), ChannelState::Connecting);
    assert_eq!(rel.get_label(), "chat");
    assert!(!unrel.is_ordered());
    assert_eq!(unrel.get_max_retransmits(), 0);
    assert_eq!(unrel.get_max_packet_life_time(), 65535);
    assert_eq!(neg_a.get_id(), 7);
    assert!(neg_a.is_negotiated());
    assert_eq!(neg_a.get_protocol(), "p");
    assert_eq!(rel.put_packet(b"early"), Err(Error::Failed));

    a.create_offer().unwrap();
    assert_eq!(a.get_signaling_state(), SignalingState::HaveLocalOffer);
    assert_eq!(a.create_offer(), Err(Error::Failed));
    let mut got_a = Vec::new();
    let mut got_b = Vec::new();
    pump(
        &a,
        &b,
        "connected and open",
        &mut got_a,
        &mut got_b,
        |_, gb| {
            a.get_connection_state() == ConnectionState::Connected
                && b.get_connection_state() == ConnectionState::Connected
                && gb.len() == 2
                && rel.get_ready_state() == ChannelState::Open
                && unrel.get_ready_state() == ChannelState::Open
                && neg_a.get_ready_state() == ChannelState::Open
                && neg_b.get_ready_state() == ChannelState::Open
        },
    );
    assert_eq!(a.get_gathering_state(), GatheringState::Complete);
    assert_eq!(b.get_signaling_state(), SignalingState::Stable);
    assert!(got_a.is_empty(), "the answerer opened no channel");
    let (mut rel_b, mut unrel_b) = if got_b[0].get_label() == "chat" {
        let mut v = got_b.into_iter();
        (v.next().unwrap(), v.next().unwrap())
    } else {
        let mut v = got_b.into_iter();
        let u = v.next().unwrap();
        (v.next().unwrap(), u)
    };
    assert_eq!(rel_b.get_label(), "chat");
    assert!(rel_b.is_ordered() && !rel_b.is_negotiated());
    assert_eq!(unrel_b.get_max_retransmits(), 0);
    assert!(!unrel_b.is_ordered());
    assert_eq!(rel_b.get_id(), rel.get_id());

    // Sizes and kinds, both directions.
    for size in [1usize, 1200, 65536] {
        let msg: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
        rel.put_packet(&msg).unwrap();
        assert_eq!(recv_one(&a, &b, &mut rel_b), (msg.clone(), false));
        neg_b.put_packet(&msg).unwrap();
        assert_eq!(recv_one(&a, &b, &mut neg_a), (msg.clone(), false));
    }
    rel_b.set_write_mode(WriteMode::Text);
    rel_b.put_packet(b"hello").unwrap();
    assert_eq!(recv_one(&a, &b, &mut rel), (b"hello".to_vec(), true));
    unrel.put_packet(b"u").unwrap();
    assert_eq!(recv_one(&a, &b, &mut unrel_b), (b"u".to_vec(), false));
    // put_var / get_var go through the PacketPeer trait.
    rel.put_var(&Variant::Int(42), false).unwrap();
    let mut ga = Vec::new();
    let mut gb = Vec::new();
    pump(&a, &b, "a var", &mut ga, &mut gb, |_, _| {
        rel_b.get_available_packet_count() > 0
    });
    assert_eq!(rel_b.get_var(false).unwrap(), Variant::Int(42));
    assert_eq!(rel_b.get_packet().err(), Some(Error::Unavailable));

    // Reliable and ordered: a burst arrives whole and in order.
    for i in 0u32..500 {
        loop {
            match rel.put_packet(&i.to_le_bytes()) {
                Ok(()) => break,
                Err(Error::Busy) => {
                    let _ = a.poll();
                    let _ = b.poll();
                }
                Err(e) => panic!("{e:?}"),
            }
        }
    }
    let mut next = 0u32;
    pump(&a, &b, "the burst", &mut ga, &mut gb, |_, _| {
        while rel_b.get_available_packet_count() > 0 {
            let p = rel_b.get_packet().unwrap();
            assert_eq!(u32::from_le_bytes(p.try_into().unwrap()), next);
            next += 1;
        }
        next == 500
    });

    // Close from the receiving side: both ends end CLOSED.
    rel_b.close();
    pump(&a, &b, "channel close", &mut ga, &mut gb, |_, _| {
        rel.get_ready_state() == ChannelState::Closed
            && rel_b.get_ready_state() == ChannelState::Closed
    });
    assert_eq!(rel.put_packet(b"x"), Err(Error::Failed));
    // The others still work.
    neg_a.put_packet(b"still").unwrap();
    assert_eq!(recv_one(&a, &b, &mut neg_b), (b"still".to_vec(), false));

    a.close();
    assert_eq!(a.get_connection_state(), ConnectionState::Closed);
    assert_eq!(a.get_signaling_state(), SignalingState::Closed);
    assert_eq!(neg_a.get_ready_state(), ChannelState::Closed);
    assert_eq!(a.poll(), Err(Error::Unconfigured));
    pump(&a, &b, "remote close seen", &mut ga, &mut gb, |_, _| {
        neg_b.get_ready_state() == ChannelState::Closed
    });
    assert!(unrel_b.get_ready_state() == ChannelState::Closed);
}

#[test]
fn calls_in_the_wrong_state() {
    let c = WebRtcPeerConnection::new();
    assert_eq!(c.create_offer(), Err(Error::Unconfigured));
    assert_eq!(c.poll(), Err(Error::Unconfigured));
    assert!(c.create_data_channel("x", &Variant::Nil).is_err());
    assert_eq!(
        c.set_remote_description("offer", "v=0"),
        Err(Error::Unconfigured)
    );
    c.initialize(&loopback_config()).unwrap();
    // An offer needs a channel (str0m offers only what it carries).
    assert_eq!(c.create_offer(), Err(Error::Failed));
    assert!(!c.last_error().is_empty());
    assert_eq!(
        c.set_remote_description("bogus", "v=0"),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        c.set_remote_description("offer", "not sdp at all"),
        Err(Error::Failed)
    );
    assert_eq!(
        c.set_remote_description("answer", "v=0"),
        Err(Error::Failed)
    );
    assert_eq!(
        c.add_ice_candidate("0", 0, "candidate:garbage"),
        Err(Error::Failed)
    );
    // mDNS candidates are ignored (and counted), end-of-candidates is fine.
    c.add_ice_candidate(
        "0",
        0,
        "candidate:1 1 udp 2113937151 3f1a.local 5000 typ host",
    )
    .unwrap();
    c.add_ice_candidate("0", 0, "").unwrap();
    assert_eq!(c.stats().candidates_ignored, 1);
    for bad in [
        dict(&[("negotiated", Variant::Bool(true))]),
        dict(&[
            ("maxRetransmits", Variant::Int(1)),
            ("maxPacketLifeTime", Variant::Int(1)),
        ]),
        dict(&[("id", Variant::Int(3))]),
        Variant::Int(3),
    ] {
        assert_eq!(
            c.create_data_channel("x", &bad).err(),
            Some(Error::InvalidParameter)
        );
    }
    let neg = dict(&[("negotiated", Variant::Bool(true)), ("id", Variant::Int(1))]);
    c.create_data_channel("x", &neg).unwrap();
    assert_eq!(
        c.create_data_channel("y", &neg).err(),
        Some(Error::InvalidParameter)
    );
    assert_eq!(c.initialize(&Variant::Int(1)), Err(Error::InvalidParameter));
}

#[test]
fn unreachable_candidate_fails_in_bounded_time() {
    let cfg = dict(&[
        (
            "bindAddresses",
            Variant::PackedStringArray(vec!["127.0.0.1".into()]),
        ),
        ("iceTimeout", Variant::Int(1500)),
    ]);
    let a = WebRtcPeerConnection::new();
    a.initialize(&cfg).unwrap();
    let b = WebRtcPeerConnection::new();
    b.initialize(&cfg).unwrap();
    a.create_data_channel("x", &Variant::Nil).unwrap();
    a.create_offer().unwrap();
    // Only the descriptions travel, with the candidates replaced by a dead loopback port.
    let dead = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let dead_port = dead.local_addr().unwrap().port();
    drop(dead);
    let strip = |sdp: &str| -> String {
        sdp.lines()
            .filter(|l| !l.starts_with("a=candidate"))
            .map(|l| format!("{l}\r\n"))
            .collect()
    };
    while let Some(e) = a.pop_event() {
        if let PeerEvent::SessionDescriptionCreated { kind, sdp } = e {
            b.set_remote_description(&kind, &strip(&sdp)).unwrap();
        }
    }
    while let Some(e) = b.pop_event() {
        if let PeerEvent::SessionDescriptionCreated { kind, sdp } = e {
            a.set_remote_description(&kind, &strip(&sdp)).unwrap();
        }
    }
    a.add_ice_candidate(
        "0",
        0,
        &format!("candidate:1 1 udp 2113937151 127.0.0.1 {dead_port} typ host"),
    )
    .unwrap();
    let start = Instant::now();
    while a.get_connection_state() != ConnectionState::Failed {
        let _ = a.poll();
        assert!(start.elapsed() < Duration::from_secs(10), "never FAILED");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(start.elapsed() >= Duration::from_millis(1000));
    assert!(!a.last_error().is_empty());
}

#[test]
fn garbage_datagrams_are_counted() {
    let a = new_conn();
    a.create_data_channel("x", &Variant::Nil).unwrap();
    a.create_offer().unwrap();
    let addr = a.local_addresses()[0];
    let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    for i in 0..50u8 {
        let junk: Vec<u8> = (0..(i as usize * 7 + 1)).map(|j| (j as u8) ^ i).collect();
        s.send_to(&junk, addr).unwrap();
    }
    let end = Instant::now() + LIMIT;
    while a.stats().garbage_datagrams + a.stats().input_errors < 50 {
        a.poll().unwrap();
        assert!(Instant::now() < end, "garbage not counted: {:?}", a.stats());
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[path = "relay/mod.rs"]
mod relay;

/// Through the seeded relay (10% loss, 10% held back and delivered late, 5% duplicated) between
/// two of our connections: ICE, DTLS and SCTP recover; a reliable ordered channel loses nothing and
/// keeps order, a reliable unordered one loses nothing.
#[test]
fn lossy_reordering_relay_loses_nothing_reliable() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let a = new_conn();
    let b = new_conn();
    let mut ordered = a.create_data_channel("ordered", &Variant::Nil).unwrap();
    let un = dict(&[
        ("negotiated", Variant::Bool(true)),
        ("id", Variant::Int(11)),
        ("ordered", Variant::Bool(false)),
    ]);
    let mut unordered_a = a.create_data_channel("unordered", &un).unwrap();
    let mut unordered_b = b.create_data_channel("unordered", &un).unwrap();
    a.create_offer().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let b_addr = b.local_addresses()[0];
    let (relay_addr, relay) = relay::spawn_relay_losing(b_addr, 0x5eed_1234, stop.clone(), 10);
    // Only the descriptions travel (without candidates); `a` learns one candidate: the relay. `b`
    // learns `a` as a peer-reflexive candidate from the relayed checks.
    let strip = |sdp: &str| -> String {
        sdp.lines()
            .filter(|l| !l.starts_with("a=candidate"))
            .map(|l| format!("{l}\r\n"))
            .collect()
    };
    let mut ordered_b = None;
    let mut offered = false;
    let end = Instant::now() + Duration::from_secs(60);
    loop {
        let _ = a.poll();
        let _ = b.poll();
        while let Some(e) = a.pop_event() {
            if let PeerEvent::SessionDescriptionCreated { kind, sdp } = e {
                b.set_remote_description(&kind, &strip(&sdp)).unwrap();
            }
        }
        while let Some(e) = b.pop_event() {
            match e {
                PeerEvent::SessionDescriptionCreated { kind, sdp } => {
                    a.set_remote_description(&kind, &strip(&sdp)).unwrap();
                    if !offered {
                        a.add_ice_candidate(
                            "0",
                            0,
                            &format!(
                                "candidate:1 1 udp 2113937151 {} {} typ host",
                                relay_addr.ip(),
                                relay_addr.port()
                            ),
                        )
                        .unwrap();
                        offered = true;
                    }
                }
                PeerEvent::DataChannelReceived(ch) => ordered_b = Some(ch),
                _ => {}
            }
        }
        if ordered_b.is_some()
            && ordered.get_ready_state() == ChannelState::Open
            && unordered_a.get_ready_state() == ChannelState::Open
            && unordered_b.get_ready_state() == ChannelState::Open
        {
            break;
        }
        assert!(
            Instant::now() < end,
            "no connection through the relay: {:?} / {:?}, {}",
            a.get_connection_state(),
            b.get_connection_state(),
            a.last_error()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let mut ordered_b = ordered_b.unwrap();
    const N: u32 = 250;
    let msg = |i: u32| -> Vec<u8> {
        let len = 4 + (i as usize * 37) % 3000 + if i % 50 == 0 { 20_000 } else { 0 };
        let mut m = i.to_le_bytes().to_vec();
        m.resize(len, (i % 251) as u8);
        m
    };
    let (mut sent, mut sent_u) = (0u32, 0u32);
    let mut next = 0u32;
    let mut got_u = std::collections::BTreeSet::new();
    let end = Instant::now() + Duration::from_secs(90);
    while next < N || got_u.len() < N as usize {
        while sent < N && ordered.put_packet(&msg(sent)).is_ok() {
            sent += 1;
        }
        while sent_u < N && unordered_b.put_packet(&msg(sent_u)).is_ok() {
            sent_u += 1;
        }
        let _ = a.poll();
        let _ = b.poll();
        while let Ok(p) = ordered_b.get_packet() {
            assert_eq!(p, &msg(next)[..], "ordered message {next}");
            next += 1;
        }
        while let Ok(p) = unordered_a.get_packet() {
            let i = u32::from_le_bytes(p[..4].try_into().unwrap());
            assert_eq!(p, &msg(i)[..]);
            assert!(got_u.insert(i), "duplicate {i}");
        }
        assert!(
            Instant::now() < end,
            "through the relay: {next}/{N} ordered, {}/{N} unordered",
            got_u.len()
        );
        std::thread::sleep(Duration::from_micros(200));
    }
    stop.store(true, Ordering::Relaxed);
    let relayed = relay.join().unwrap();
    assert!(relayed > 2 * N as u64, "the traffic went through the relay");
}

/// A STUN server for the tests: answers every Binding request with XOR-MAPPED-ADDRESS
/// `mapped_ip:<source port>` (a NAT that maps to another address). Runs until `stop`.
fn fake_stun_server(
    mapped_ip: std::net::Ipv4Addr,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> (std::net::SocketAddr, std::thread::JoinHandle<u32>) {
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(5)))
        .unwrap();
    let addr = sock.local_addr().unwrap();
    let h = std::thread::spawn(move || {
        let mut answered = 0;
        let mut buf = [0u8; 1500];
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            let Ok((n, from)) = sock.recv_from(&mut buf) else {
                continue;
            };
            if n < 20 || buf[0..2] != [0, 1] {
                continue;
            }
            let cookie = [0x21u8, 0x12, 0xA4, 0x42];
            let mut m = vec![0x01, 0x01, 0x00, 0x0c];
            m.extend_from_slice(&cookie);
            m.extend_from_slice(&buf[8..20]);
            m.extend_from_slice(&[0x00, 0x20, 0x00, 0x08, 0x00, 0x01]);
            m.extend_from_slice(&(from.port() ^ 0x2112).to_be_bytes());
            m.extend(mapped_ip.octets().iter().zip(cookie).map(|(a, c)| a ^ c));
            sock.send_to(&m, from).unwrap();
            answered += 1;
        }
        answered
    });
    (addr, h)
}

fn stun_config(server: std::net::SocketAddr) -> Variant {
    let srv = dict(&[("urls", Variant::String(format!("stun:{server}").into()))]);
    dict(&[
        (
            "bindAddresses",
            Variant::PackedStringArray(vec!["127.0.0.1".into()]),
        ),
        (
            "iceServers",
            Variant::Array(Box::new(packetpeer::variant::Array {
                element_type: Default::default(),
                elements: vec![srv],
            })),
        ),
    ])
}

/// A configured `stun:` server gives a server-reflexive candidate (reported after the host one);
/// gathering completes when it answers; the pair still connects.
#[test]
fn stun_server_gives_a_server_reflexive_candidate() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let stop = Arc::new(AtomicBool::new(false));
    let (srv, h) = fake_stun_server(std::net::Ipv4Addr::new(127, 0, 0, 2), stop.clone());
    let a = WebRtcPeerConnection::new();
    a.initialize(&stun_config(srv)).unwrap();
    let b = new_conn();
    let mut ch = a.create_data_channel("x", &Variant::Nil).unwrap();
    a.create_offer().unwrap();
    assert_eq!(a.get_gathering_state(), GatheringState::Gathering);
    let mut srflx = Vec::new();
    let mut got_b = Vec::new();
    let end = Instant::now() + LIMIT;
    loop {
        let _ = a.poll();
        let _ = b.poll();
        while let Some(e) = a.pop_event() {
            match e {
                PeerEvent::SessionDescriptionCreated { kind, sdp } => {
                    b.set_remote_description(&kind, &sdp).unwrap()
                }
                PeerEvent::IceCandidateCreated { media, index, name } => {
                    if name.contains("typ srflx") {
                        srflx.push(name.clone());
                    }
                    b.add_ice_candidate(&media, index, &name).unwrap()
                }
                _ => {}
            }
        }
        got_b.extend(relay(&b, &a));
        if a.get_gathering_state() == GatheringState::Complete
            && ch.get_ready_state() == ChannelState::Open
            && !got_b.is_empty()
        {
            break;
        }
        assert!(Instant::now() < end, "gathering/connection incomplete");
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(srflx.len(), 1, "{srflx:?}");
    assert!(srflx[0].contains("127.0.0.2"), "{}", srflx[0]);
    ch.put_packet(b"via host").unwrap();
    assert_eq!(recv_one(&a, &b, &mut got_b[0]).0, b"via host".to_vec());
    stop.store(true, Ordering::Relaxed);
    assert!(h.join().unwrap() >= 1);
}

/// A STUN server that never answers: gathering still completes, after the bounded retransmissions.
#[test]
fn silent_stun_server_ends_gathering_in_bounded_time() {
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let a = WebRtcPeerConnection::new();
    a.initialize(&stun_config(silent.local_addr().unwrap()))
        .unwrap();
    a.create_data_channel("x", &Variant::Nil).unwrap();
    a.create_offer().unwrap();
    let start = Instant::now();
    while a.get_gathering_state() != GatheringState::Complete {
        a.poll().unwrap();
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "gathering never ended"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut buf = [0u8; 64];
    silent.set_nonblocking(true).unwrap();
    let mut requests = 0;
    while silent.recv_from(&mut buf).is_ok() {
        requests += 1;
    }
    assert_eq!(requests, 4, "one request and three retransmissions");
    assert!(start.elapsed() >= Duration::from_secs(3));
}

/// A receiver that does not read: its channel's queue stops at the bound (4096 messages), the
/// connection stops reading its sockets (counted), the sender's SCTP holds what it can and then
/// refuses more with ERR_BUSY; once the application reads, everything arrives, in order, nothing
/// refused.
#[test]
fn full_receive_queue_throttles_and_loses_nothing() {
    let (a, b, mut tx, mut rx) = bulk_pair();
    const N: u32 = 6000;
    let mut sent = 0u32;
    let end = Instant::now() + LIMIT;
    // Send without reading until the receiver throttles and the sender's bounded send buffer
    // refuses more (ERR_BUSY: back-pressure, nothing lost).
    let mut busy = false;
    while b.stats().read_throttled == 0 || !(busy || sent == N) {
        busy = false;
        while sent < N {
            match tx.put_packet(&sent.to_le_bytes()) {
                Ok(()) => sent += 1,
                Err(Error::Busy) => {
                    busy = true;
                    break;
                }
                Err(e) => panic!("{e:?}"),
            }
        }
        let _ = a.poll();
        let _ = b.poll();
        assert!(
            Instant::now() < end,
            "no throttling: sent {sent}, queued {}, {:?}",
            rx.get_available_packet_count(),
            b.stats()
        );
    }
    assert!(rx.get_available_packet_count() <= 2 * 4096);
    let mut next = 0u32;
    while next < N {
        while sent < N && tx.put_packet(&sent.to_le_bytes()).is_ok() {
            sent += 1;
        }
        let _ = a.poll();
        let _ = b.poll();
        while let Ok(p) = rx.get_packet() {
            assert_eq!(u32::from_le_bytes(p.try_into().unwrap()), next);
            next += 1;
        }
        assert!(Instant::now() < end, "only {next} of {N} arrived");
    }
    assert_eq!(rx.refused_count(), 0);
    assert_eq!(b.stats().messages_refused, 0);
}

/// A bulk transfer of 16 KiB messages: bursts of many datagrams reach the receiver between two
/// polls. Its DTLS layer holds at most 30 received records until they are polled out, so the
/// connection drains str0m while it reads; before it did, about every other datagram of such a
/// burst was dropped (`input_errors`) and SCTP had to retransmit it.
#[test]
fn bulk_bursts_lose_no_dtls_record() {
    let (a, b, mut tx, mut rx) = bulk_pair();
    const N: usize = 400;
    let msg = |i: usize| vec![(i % 251) as u8; 16384];
    let (mut sent, mut got) = (0, 0);
    let end = Instant::now() + LIMIT;
    while got < N {
        while sent < N {
            match tx.put_packet(&msg(sent)) {
                Ok(()) => sent += 1,
                Err(Error::Busy) => break,
                Err(e) => panic!("{e:?}"),
            }
        }
        let _ = a.poll();
        let _ = b.poll();
        while let Ok(p) = rx.get_packet() {
            assert!(p == msg(got).as_slice(), "message {got} differs");
            got += 1;
        }
        assert!(Instant::now() < end, "only {got} of {N} arrived");
    }
    assert_eq!(a.stats().input_errors, 0, "{:?}", a.stats());
    assert_eq!(b.stats().input_errors, 0, "{:?}", b.stats());
}
