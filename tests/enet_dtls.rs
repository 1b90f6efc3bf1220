//! ENet over DTLS (`docs/classes.md` §18.5) between two of our hosts on loopback: the cookie round,
//! the dropped-then-retransmitted CONNECT, reliable data both ways, a plain ENet client refused, and a
//! seeded lossy, reordering, duplicating relay in between.
mod relay;
mod tls_util;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use packetpeer::enet::host::PACKET_FLAG_RELIABLE;
use packetpeer::enet::{Event, Host, HostConfig, Transport, UdpTransport};
use packetpeer::tls::enet_dtls::DtlsEnetTransport;
use packetpeer::tls::TlsOptions;
use relay::spawn_relay;
use tls_util::*;

const LO: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const NO_TIMEOUT_MS: u32 = 300_000;

type Dtls = DtlsEnetTransport<UdpTransport>;

fn pair() -> (Cert, Dtls, Dtls) {
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", true);
    let sio = Dtls::server(
        UdpTransport::bind(Some(LO), 0).unwrap(),
        &TlsOptions::server(c.key.clone(), c.cert.clone()).unwrap(),
    )
    .unwrap();
    let cio = Dtls::client(
        UdpTransport::bind(Some(LO), 0).unwrap(),
        "localhost",
        Some(&TlsOptions::client(Some(c.cert.clone()), "")),
    )
    .unwrap();
    (c, sio, cio)
}

/// Connects, then sends `n` reliable messages and one 70 kB message each way; checks they arrive
/// once and in order. `to` is where the client connects (the server, or a relay).
fn exchange(
    server: &mut Host,
    sio: &mut Dtls,
    client: &mut Host,
    cio: &mut Dtls,
    to: SocketAddr,
    n: usize,
    limit: Duration,
) {
    let cp = client.connect(to, 2, 0).unwrap();
    client.set_timeout(cp, 0, NO_TIMEOUT_MS, NO_TIMEOUT_MS);
    let big: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
    let (mut c_next, mut s_next, mut sp, mut queued, mut c_big, mut s_big, mut c_conn) =
        (0, 0, None, false, false, false, false);
    let deadline = Instant::now() + limit;
    while !(c_next == n && s_next == n && c_big && s_big) {
        assert!(
            Instant::now() < deadline,
            "client got {c_next}/{n}, server got {s_next}/{n}, connected {c_conn} {:?}; client {:?} {}; server {:?} {}",
            sp,
            cio.stats(),
            cio.last_error(),
            sio.stats(),
            sio.last_error()
        );
        let mut events = Vec::new();
        if let Some(e) = client.service(0, cio).unwrap() {
            events.push((e, true));
        }
        while let Some(e) = client.dispatch() {
            events.push((e, true));
        }
        if let Some(e) = server.service(0, sio).unwrap() {
            events.push((e, false));
        }
        while let Some(e) = server.dispatch() {
            events.push((e, false));
        }
        if events.is_empty() {
            std::thread::sleep(Duration::from_micros(300));
        }
        for (ev, is_client) in events {
            match ev {
                Event::Connect { peer, .. } if !is_client => {
                    server.set_timeout(peer, 0, NO_TIMEOUT_MS, NO_TIMEOUT_MS);
                    sp = Some(peer)
                }
                Event::Connect { .. } => c_conn = true,
                Event::Receive {
                    channel: 0, packet, ..
                } => {
                    let next = if is_client { &mut c_next } else { &mut s_next };
                    assert_eq!(
                        packet.data,
                        format!("r{next}").as_bytes(),
                        "order or duplicate"
                    );
                    *next += 1;
                }
                Event::Receive {
                    channel: 1, packet, ..
                } => {
                    assert_eq!(packet.data, big);
                    let got = if is_client { &mut c_big } else { &mut s_big };
                    assert!(!*got, "delivered twice");
                    *got = true;
                }
                Event::Disconnect { .. } => panic!("disconnected client={is_client}"),
                _ => {}
            }
        }
        if let (Some(sp), true, false) = (sp, c_conn, queued) {
            for i in 0..n {
                client
                    .send(cp, 0, format!("r{i}").as_bytes(), PACKET_FLAG_RELIABLE)
                    .unwrap();
                server
                    .send(sp, 0, format!("r{i}").as_bytes(), PACKET_FLAG_RELIABLE)
                    .unwrap();
            }
            client.send(cp, 1, &big, PACKET_FLAG_RELIABLE).unwrap();
            server.send(sp, 1, &big, PACKET_FLAG_RELIABLE).unwrap();
            queued = true;
        }
    }
}

#[test]
fn enet_over_dtls_between_two_hosts() {
    let (_c, mut sio, mut cio) = pair();
    let saddr = sio.inner().local_addr().unwrap();
    let mut server = Host::new(HostConfig::default());
    let mut client = Host::new(HostConfig {
        peer_count: 1,
        ..HostConfig::default()
    });
    exchange(
        &mut server,
        &mut sio,
        &mut client,
        &mut cio,
        saddr,
        300,
        LIMIT,
    );
    // The server answered the first ClientHello with the cookie round; one session each side; the
    // CONNECT sent while handshaking was dropped (ENet resent it).
    let st = sio.dtls_server().unwrap().stats();
    assert!(st.cookie_rounds >= 1, "{st:?}");
    assert_eq!(sio.stats().sessions_connected, 1);
    assert_eq!(cio.stats().sessions_connected, 1);
    assert!(cio.stats().dropped_handshaking >= 1);
    assert_eq!(sio.session_count(), 1);

    // A plain ENet client gets nothing from a DTLS server: its datagrams are dropped and counted.
    let mut plain = Host::new(HostConfig {
        peer_count: 1,
        ..HostConfig::default()
    });
    let mut pio = UdpTransport::bind(Some(LO), 0).unwrap();
    plain.connect(saddr, 2, 0).unwrap();
    let before = sio.stats().dropped_no_session;
    let end = Instant::now() + Duration::from_millis(1500);
    while Instant::now() < end {
        assert!(!matches!(
            plain.service(0, &mut pio).unwrap(),
            Some(Event::Connect { .. })
        ));
        let _ = server.service(0, &mut sio).unwrap();
        let _ = client.service(0, &mut cio).unwrap();
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(sio.stats().dropped_no_session > before, "{:?}", sio.stats());
    assert_eq!(sio.stats().sessions_connected, 1);
}

#[test]
fn enet_over_dtls_through_a_lossy_reordering_duplicating_relay() {
    let seed = 0x9E37_79B9_7F4A_7C15u64;
    let (_c, mut sio, mut cio) = pair();
    let saddr = sio.inner().local_addr().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let (relay, handle) = spawn_relay(saddr, seed, stop.clone());
    let mut server = Host::new(HostConfig::default());
    let mut client = Host::new(HostConfig {
        peer_count: 1,
        ..HostConfig::default()
    });
    exchange(
        &mut server,
        &mut sio,
        &mut client,
        &mut cio,
        relay,
        300,
        Duration::from_secs(120),
    );
    stop.store(true, Ordering::Relaxed);
    assert!(handle.join().unwrap() > 0);
    assert_eq!(sio.stats().sessions_connected, 1);
}

#[test]
fn dtls_transport_refuses_wrong_option_kinds() {
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", false);
    let so = TlsOptions::server(c.key.clone(), c.cert.clone()).unwrap();
    let co = TlsOptions::client(None, "");
    assert!(Dtls::client(UdpTransport::bind(Some(LO), 0).unwrap(), "x", Some(&so)).is_err());
    assert!(Dtls::server(UdpTransport::bind(Some(LO), 0).unwrap(), &co).is_err());
    // A server refusing new connections drops every new source.
    let mut s = Dtls::server(UdpTransport::bind(Some(LO), 0).unwrap(), &so).unwrap();
    s.set_refuse_new_connections(true);
    let to = s.inner().local_addr().unwrap();
    let mut cl = Dtls::client(UdpTransport::bind(Some(LO), 0).unwrap(), "localhost", None).unwrap();
    assert_eq!(cl.send_to(b"enet", to).unwrap(), 0);
    until("refused", || {
        let mut b = [0u8; 64];
        let _ = s.recv_from(&mut b).unwrap();
        let _ = cl.recv_from(&mut b).unwrap();
        s.stats().refused_sources > 0
    });
    assert_eq!(s.session_count(), 0);
}
