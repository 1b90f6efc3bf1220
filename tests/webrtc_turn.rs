//! Relayed candidates through a real TURN server: Debian's coturn (`turnserver`), started here on
//! loopback with a user made for the test (scripts/deps.sh installs it; without it these tests fail
//! with the reason). Two connections of ours with `iceTransportPolicy` "relay" offer only relayed
//! candidates, so everything they exchange goes through coturn's relay ports.
mod tls_util;
mod turn_server;

use std::time::{Duration, Instant};

use packetpeer::peer::PacketPeer;
use packetpeer::variant::{Array, Dictionary, Variant};
use packetpeer::webrtc::{
    ChannelState, ConnectionState, GatheringState, PeerEvent, WebRtcDataChannel,
    WebRtcPeerConnection,
};
use packetpeer::Error;

const LIMIT: Duration = Duration::from_secs(20);
use packetpeer::tls::TlsOptions;
use turn_server::{
    start_coturn, start_coturn_on, start_coturn_streams, start_coturn_with, PASSWORD, USER,
};

fn dict(pairs: &[(&str, Variant)]) -> Variant {
    let mut d = Dictionary::new();
    for (k, v) in pairs {
        d.insert(Variant::String((*k).into()), v.clone());
    }
    Variant::Dictionary(Box::new(d))
}

fn config(urls: &str, user: &str, pass: &str, policy: &str) -> Variant {
    config_on("127.0.0.1", urls, user, pass, policy)
}

fn config_on(bind: &str, urls: &str, user: &str, pass: &str, policy: &str) -> Variant {
    let server = dict(&[
        ("urls", Variant::String(urls.into())),
        ("username", Variant::String(user.into())),
        ("credential", Variant::String(pass.into())),
    ]);
    dict(&[
        (
            "bindAddresses",
            Variant::PackedStringArray(vec![bind.into()]),
        ),
        (
            "iceServers",
            Variant::Array(Box::new(Array {
                element_type: Default::default(),
                elements: vec![server],
            })),
        ),
        ("iceTransportPolicy", Variant::String(policy.into())),
        ("iceTimeout", Variant::Int(10_000)),
    ])
}

/// Moves every signal of `from` to `to`; records the candidates `from` reported.
fn relay(
    from: &WebRtcPeerConnection,
    to: &WebRtcPeerConnection,
    candidates: &mut Vec<String>,
) -> Vec<WebRtcDataChannel> {
    let mut got = Vec::new();
    while let Some(e) = from.pop_event() {
        match e {
            PeerEvent::SessionDescriptionCreated { kind, sdp } => {
                for l in sdp.lines().filter(|l| l.starts_with("a=candidate")) {
                    candidates.push(l.to_string());
                }
                to.set_remote_description(&kind, &sdp).unwrap();
            }
            PeerEvent::IceCandidateCreated { media, index, name } => {
                candidates.push(name.clone());
                to.add_ice_candidate(&media, index, &name).unwrap()
            }
            PeerEvent::DataChannelReceived(ch) => got.push(ch),
            _ => {}
        }
    }
    got
}

struct Pair {
    a: WebRtcPeerConnection,
    b: WebRtcPeerConnection,
    cand_a: Vec<String>,
    cand_b: Vec<String>,
    got_b: Vec<WebRtcDataChannel>,
}

impl Pair {
    /// Two connections initialised with `cfg_a` and `cfg_b`, nothing signalled yet.
    fn new(cfg_a: &Variant, cfg_b: &Variant) -> Pair {
        let a = WebRtcPeerConnection::new();
        a.initialize(cfg_a).unwrap();
        let b = WebRtcPeerConnection::new();
        b.initialize(cfg_b).unwrap();
        Pair {
            a,
            b,
            cand_a: Vec::new(),
            cand_b: Vec::new(),
            got_b: Vec::new(),
        }
    }

    fn step(&mut self) {
        let _ = self.a.poll();
        let _ = self.b.poll();
        let _ = relay(&self.a, &self.b, &mut self.cand_a);
        let got = relay(&self.b, &self.a, &mut self.cand_b);
        self.got_b.extend(got);
    }

    fn until(&mut self, what: &str, mut done: impl FnMut(&mut Pair) -> bool) {
        let end = Instant::now() + LIMIT;
        loop {
            self.step();
            if done(self) {
                return;
            }
            assert!(
                Instant::now() < end,
                "timed out waiting for {what}; a: {:?} {:?} {:?}, b: {:?} {:?} {:?}; candidates {:?} {:?}",
                self.a.get_connection_state(),
                self.a.last_error(),
                self.a.stats(),
                self.b.get_connection_state(),
                self.b.last_error(),
                self.b.stats(),
                self.cand_a,
                self.cand_b,
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

fn recv(p: &mut Pair, ch: &mut WebRtcDataChannel) -> Vec<u8> {
    p.until("a message", |_| ch.get_available_packet_count() > 0);
    ch.get_packet().unwrap().to_vec()
}

/// A relay-only connection made with `cfg` (and `tls` for turns: servers) that offers a channel
/// and must turn FAILED within 5 s; returns it and its last error.
fn failing(cfg: &Variant, tls: Option<TlsOptions>) -> (WebRtcPeerConnection, String) {
    let a = WebRtcPeerConnection::new();
    a.initialize(cfg).unwrap();
    if tls.is_some() {
        a.set_turn_tls_options(tls).unwrap();
    }
    a.create_data_channel("x", &Variant::Nil).unwrap();
    a.create_offer().unwrap();
    let start = Instant::now();
    while a.get_connection_state() != ConnectionState::Failed {
        a.poll().unwrap();
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "never FAILED: {:?}",
            a.last_error()
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let why = a.last_error();
    (a, why)
}

/// Both sides relay-only: only `typ relay` candidates are reported (with coturn's relay address),
/// the connection opens through coturn, and reliable and unreliable messages cross both ways.
#[test]
fn relay_only_pair_through_coturn() {
    let turn = start_coturn();
    let url = format!("turn:{}", turn.addr);
    let cfg = config(&url, USER, PASSWORD, "relay");
    let mut p = Pair::new(&cfg, &cfg);
    let (mut rel, mut unrel) = open_two_channels(&mut p);
    assert_eq!(p.a.get_connection_state(), ConnectionState::Connected);
    p.until("gathering complete", |p| {
        p.a.get_gathering_state() == GatheringState::Complete
            && p.b.get_gathering_state() == GatheringState::Complete
    });
    for (who, cands) in [("a", &p.cand_a), ("b", &p.cand_b)] {
        assert!(!cands.is_empty(), "{who} reported no candidate");
        for c in cands {
            assert!(c.contains("typ relay"), "{who} reported {c}");
            // The relayed address is coturn's (127.0.0.1), never one of our sockets' ports.
            assert!(c.contains("127.0.0.1"), "{c}");
        }
    }
    let own: Vec<String> =
        p.a.local_addresses()
            .iter()
            .chain(p.b.local_addresses().iter())
            .map(|s| format!(" {} ", s.port()))
            .collect();
    for c in p.cand_a.iter().chain(p.cand_b.iter()) {
        let port_field = c.split_whitespace().nth(5).unwrap();
        assert!(
            !own.contains(&format!(" {port_field} ")),
            "a relay candidate with a socket's own port: {c}"
        );
    }
    // Reliable 1 B to 64 KiB (SCTP fragments it over the relay), unreliable (maxRetransmits 0:
    // loopback through coturn loses nothing in practice), an ordered burst.
    exchange_everything(&mut p, &mut rel, &mut unrel);
    p.a.close();
    p.b.close();
}

/// A wrong credential: coturn answers 401 twice; the relay-only connection FAILS at once, and the
/// last error says why.
#[test]
fn wrong_credential_fails_with_a_reason() {
    let turn = start_coturn();
    let url = format!("turn:{}?transport=udp", turn.addr);
    let (a, why) = failing(&config(&url, USER, "not-the-password", "relay"), None);
    assert!(why.contains("401"), "{why}");
    assert!(why.contains("username or credential"), "{why}");
    assert_eq!(a.get_gathering_state(), GatheringState::Complete);
    let mut cands = Vec::new();
    while let Some(e) = a.pop_event() {
        if let PeerEvent::IceCandidateCreated { name, .. } = e {
            cands.push(name);
        }
    }
    assert!(
        cands.iter().all(|c| !c.contains("typ")),
        "no candidate expected: {cands:?}"
    );
}

/// One side relay-only, the other with every candidate kind: its host candidate reaches the
/// relayed one through coturn (CreatePermission from the relay side's remote candidates).
#[test]
fn relay_side_and_host_side_connect() {
    let turn = start_coturn();
    let url = format!("turn:{}", turn.addr);
    let mut p = Pair::new(
        &config(&url, USER, PASSWORD, "relay"),
        &config(&url, USER, PASSWORD, "all"),
    );
    let mut ch = p.a.create_data_channel("x", &Variant::Nil).unwrap();
    p.a.create_offer().unwrap();
    p.until("the channel", |p| {
        ch.get_ready_state() == ChannelState::Open && !p.got_b.is_empty()
    });
    p.until("gathering complete", |p| {
        p.b.get_gathering_state() == GatheringState::Complete
    });
    assert!(p.cand_a.iter().all(|c| c.contains("typ relay")));
    assert!(p.cand_b.iter().any(|c| c.contains("typ host")));
    assert!(p.cand_b.iter().any(|c| c.contains("typ relay")));
    let mut other = p.got_b.remove(0);
    ch.put_packet(b"through the relay").unwrap();
    assert_eq!(recv(&mut p, &mut other), b"through the relay".to_vec());
    other.put_packet(b"and back").unwrap();
    assert_eq!(recv(&mut p, &mut ch), b"and back".to_vec());
}

/// What this client cannot use is refused when the configuration is read, with the reason.
#[test]
fn unsupported_turn_urls_are_refused_with_a_reason() {
    let c = WebRtcPeerConnection::new();
    for (url, needle) in [
        ("turns:127.0.0.1:5349?transport=udp", "DTLS"),
        ("turn:127.0.0.1:3478?transport=sctp", "sctp"),
    ] {
        assert_eq!(
            c.initialize(&config(url, USER, PASSWORD, "all")),
            Err(Error::Unavailable),
            "{url}"
        );
        assert!(c.last_error().contains(needle), "{}", c.last_error());
    }
    assert_eq!(
        c.initialize(&config("turn:127.0.0.1:3478", "", "", "all")),
        Err(Error::InvalidParameter)
    );
    assert!(c.last_error().contains("username"), "{}", c.last_error());
    assert_eq!(
        c.initialize(&config("stun:127.0.0.1:3478", "", "", "relay")),
        Err(Error::InvalidParameter)
    );
    assert!(c.last_error().contains("relay"), "{}", c.last_error());
    assert_eq!(
        c.initialize(&config("turn:127.0.0.1:3478", USER, PASSWORD, "sometimes")),
        Err(Error::InvalidParameter)
    );
}

/// The same over IPv6 (coturn on ::1, our sockets on ::1): the allocation asks for an IPv6 relayed
/// address (REQUESTED-ADDRESS-FAMILY) and the pair talks through it.
#[test]
fn relay_only_pair_over_ipv6() {
    let turn = start_coturn_on("::1");
    let url = format!("turn:{}", turn.addr);
    let cfg = config_on("::1", &url, USER, PASSWORD, "relay");
    let mut p = Pair::new(&cfg, &cfg);
    let mut ch = p.a.create_data_channel("v6", &Variant::Nil).unwrap();
    p.a.create_offer().unwrap();
    p.until("the channel over IPv6", |p| {
        ch.get_ready_state() == ChannelState::Open && !p.got_b.is_empty()
    });
    for c in p.cand_a.iter().chain(p.cand_b.iter()) {
        assert!(c.contains("typ relay") && c.contains("::1"), "{c}");
    }
    let mut other = p.got_b.remove(0);
    ch.put_packet(b"six").unwrap();
    assert_eq!(recv(&mut p, &mut other), b"six".to_vec());
}

/// A server that grants 4 s allocations and makes its nonce stale after 1 s: the allocation is
/// refreshed before it ends (Refresh at 2 s), whose 438 Stale Nonce is answered by repeating it
/// with the new nonce (coturn -V logs both), and the relay-only pair keeps exchanging messages
/// for 9 s with no error.
#[test]
fn short_lifetime_and_stale_nonce_keep_the_relay() {
    let turn = start_coturn_with(
        "127.0.0.1",
        &["--max-allocate-lifetime=4", "--stale-nonce=1"],
    );
    let url = format!("turn:{}", turn.addr);
    let cfg = config(&url, USER, PASSWORD, "relay");
    let mut p = Pair::new(&cfg, &cfg);
    let mut ch = p.a.create_data_channel("long", &Variant::Nil).unwrap();
    p.a.create_offer().unwrap();
    p.until("the channel", |p| {
        ch.get_ready_state() == ChannelState::Open && !p.got_b.is_empty()
    });
    let mut other = p.got_b.remove(0);
    let start = Instant::now();
    let mut i = 0u32;
    while start.elapsed() < Duration::from_secs(9) {
        ch.put_packet(&i.to_be_bytes()).unwrap();
        assert_eq!(
            recv(&mut p, &mut other),
            i.to_be_bytes().to_vec(),
            "message {i}"
        );
        i += 1;
        let pause = Instant::now() + Duration::from_millis(300);
        while Instant::now() < pause {
            p.step();
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    assert_eq!(p.a.get_connection_state(), ConnectionState::Connected);
    assert_eq!(p.b.get_connection_state(), ConnectionState::Connected);
    assert_eq!(p.a.last_error(), "");
    assert_eq!(p.b.last_error(), "");
}

/// Sends 1 B, 1200 B and 64 KiB reliably both ways, five unreliable messages both ways, and a
/// 200-message reliable burst, on a pair whose channels are open.
fn exchange_everything(p: &mut Pair, rel: &mut WebRtcDataChannel, unrel: &mut WebRtcDataChannel) {
    let mut got = std::mem::take(&mut p.got_b);
    let bi = got
        .iter()
        .position(|c| c.get_label() == "reliable")
        .unwrap();
    let mut b_rel = got.remove(bi);
    let mut b_unrel = got.remove(0);
    for size in [1usize, 1200, 65536] {
        let msg: Vec<u8> = (0..size).map(|i| (i * 7) as u8).collect();
        rel.put_packet(&msg).unwrap();
        assert_eq!(recv(p, &mut b_rel), msg);
        b_rel.put_packet(&msg).unwrap();
        assert_eq!(recv(p, rel), msg);
    }
    for i in 0..5u8 {
        unrel.put_packet(&[i; 300]).unwrap();
        assert_eq!(recv(p, &mut b_unrel), vec![i; 300]);
        b_unrel.put_packet(&[i + 100; 300]).unwrap();
        assert_eq!(recv(p, unrel), vec![i + 100; 300]);
    }
    for i in 0..200u32 {
        while rel.put_packet(&i.to_be_bytes()) == Err(Error::Busy) {
            p.step();
        }
    }
    for i in 0..200u32 {
        assert_eq!(recv(p, &mut b_rel), i.to_be_bytes().to_vec());
    }
}

fn open_two_channels(p: &mut Pair) -> (WebRtcDataChannel, WebRtcDataChannel) {
    let rel = p.a.create_data_channel("reliable", &Variant::Nil).unwrap();
    let unrel =
        p.a.create_data_channel(
            "unreliable",
            &dict(&[
                ("ordered", Variant::Bool(false)),
                ("maxRetransmits", Variant::Int(0)),
            ]),
        )
        .unwrap();
    p.a.create_offer().unwrap();
    p.until("both channels open", |p| {
        rel.get_ready_state() == ChannelState::Open
            && unrel.get_ready_state() == ChannelState::Open
            && p.got_b.len() == 2
    });
    (rel, unrel)
}

/// coturn with TCP and TLS listeners, and the certificate (for "localhost") its TLS uses; the
/// certificate's directory goes when this does.
struct StreamTurn {
    turn: turn_server::Coturn,
    cert: tls_util::Cert,
    dir: std::path::PathBuf,
}

impl StreamTurn {
    fn start(ip: &str) -> StreamTurn {
        let dir = tls_util::temp_dir();
        let cert = tls_util::make_cert(&dir, "turn", "localhost", true);
        let turn = start_coturn_streams(ip, &cert.cert_path, &cert.key_path);
        StreamTurn { turn, cert, dir }
    }
}

impl Drop for StreamTurn {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// TURN over TCP on one side (`turn:…?transport=tcp`) and over TLS on the other (`turns:`, the
/// certificate checked against a CA given with `set_turn_tls_options`), both relay-only: every
/// datagram of the connection goes through coturn's streams.
#[test]
fn relay_only_pair_over_tcp_and_tls_turn() {
    let StreamTurn { turn, cert, .. } = &StreamTurn::start("127.0.0.1");
    let tcp_url = format!("turn:{}?transport=tcp", turn.addr);
    let tls_url = format!("turns:localhost:{}", turn.tls_port);
    let mut p = Pair::new(
        &config(&tcp_url, USER, PASSWORD, "relay"),
        &config(&tls_url, USER, PASSWORD, "relay"),
    );
    p.b.set_turn_tls_options(Some(TlsOptions::client(Some(cert.cert.clone()), "")))
        .unwrap();
    let (mut rel, mut unrel) = open_two_channels(&mut p);
    p.until("gathering complete", |p| {
        p.a.get_gathering_state() == GatheringState::Complete
            && p.b.get_gathering_state() == GatheringState::Complete
    });
    for (who, cands) in [("a", &p.cand_a), ("b", &p.cand_b)] {
        assert!(!cands.is_empty(), "{who} reported no candidate");
        for c in cands {
            assert!(
                c.contains("typ relay") && c.contains(" udp "),
                "{who} reported {c}"
            );
        }
    }
    exchange_everything(&mut p, &mut rel, &mut unrel);
    assert_eq!(p.a.stats().send_dropped, 0);
    assert_eq!(p.b.stats().send_dropped, 0);
    p.a.close();
    p.b.close();
}

/// A relay-only connection whose only TURN server cannot be used FAILS quickly, with the reason:
/// a `turns:` server whose certificate no trusted CA signed, and a TCP port nobody listens on.
#[test]
fn unusable_stream_turn_servers_fail_with_a_reason() {
    let StreamTurn { turn, cert, .. } = &StreamTurn::start("127.0.0.1");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    for (url, needle) in [
        (format!("turns:localhost:{}", turn.tls_port), "TLS"),
        (format!("turn:127.0.0.1:{closed_port}?transport=tcp"), "TCP"),
    ] {
        let (_, why) = failing(&config(&url, USER, PASSWORD, "relay"), None);
        assert!(why.contains(needle), "{url}: {why}");
    }
    // A wrong password over TLS: coturn's 401 arrives on the stream.
    let url = format!("turns:localhost:{}", turn.tls_port);
    let trust = TlsOptions::client(Some(cert.cert.clone()), "");
    let (_, why) = failing(
        &config(&url, USER, "not-the-password", "relay"),
        Some(trust),
    );
    assert!(why.contains("401"), "{why}");
}

/// TURN over TCP on IPv6 (coturn on ::1, our sockets on ::1), both sides relay-only.
#[test]
fn relay_only_pair_over_tcp_turn_on_ipv6() {
    let StreamTurn { turn, .. } = &StreamTurn::start("::1");
    let url = format!("turn:{}?transport=tcp", turn.addr);
    let cfg = config_on("::1", &url, USER, PASSWORD, "relay");
    let mut p = Pair::new(&cfg, &cfg);
    let (mut rel, mut unrel) = open_two_channels(&mut p);
    for c in p.cand_a.iter().chain(p.cand_b.iter()) {
        assert!(c.contains("typ relay") && c.contains("::1"), "{c}");
    }
    exchange_everything(&mut p, &mut rel, &mut unrel);
    p.a.close();
    p.b.close();
}
