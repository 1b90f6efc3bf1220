//! Memory under a ClientHello flood (`docs/classes.md` §11, §18.5): thousands of loopback source
//! ports send ClientHellos at a DTLSServer (behind a UDPServer, driven as Godot's docs tell callers
//! to) and at an ENet-over-DTLS host. Half of them answer the cookie round with a valid cookie, as a
//! real attacker with real addresses can. Checked: only boundedness — no state for a source before
//! its cookie is verified, the handshakes under way capped, every refusal counted; the process RSS
//! before and after is printed (run with `--nocapture` to see it), not asserted. A process of its
//! own, so the figures are this test's.
mod tls_util;

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use packetpeer::enet::{Transport, UdpTransport};
use packetpeer::net::udp::PacketPeerUdp;
use packetpeer::net::udp_server::UdpServer;
use packetpeer::sync::shared;
use packetpeer::tls::enet_dtls::{DtlsEnetTransport, DEFAULT_MAX_PENDING};
use packetpeer::tls::{DtlsServer, PacketPeerDtls, TlsOptions, TlsStatus};
use tls_util::*;

/// Source ports per target.
const SOURCES: usize = 2000;
/// Sockets open at once (waves), well under a default 1024 descriptor limit.
const WAVE: usize = 200;

fn rss_kib() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    s.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// A real ClientHello (no cookie, record 0, message 0) from our own client.
fn captured_hello() -> Vec<u8> {
    let cap = UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut u = PacketPeerUdp::new();
    u.bind(0, "127.0.0.1", 65536).unwrap();
    u.connect_to_host("127.0.0.1", cap.local_addr().unwrap().port() as i32)
        .unwrap();
    let mut p = PacketPeerDtls::new();
    p.connect_to_peer(shared(u), "localhost", None).unwrap();
    cap.set_read_timeout(Some(LIMIT)).unwrap();
    let mut buf = [0u8; 4096];
    let n = cap.recv(&mut buf).unwrap();
    buf[..n].to_vec()
}

/// The cookie of a HelloVerifyRequest datagram (RFC 6347 §4.2.1).
fn hvr_cookie(d: &[u8]) -> Option<Vec<u8>> {
    if d.len() < 13 + 12 + 3 || d[0] != 22 || d[13] != 3 {
        return None;
    }
    let len = *d.get(13 + 12 + 2)? as usize;
    d.get(13 + 12 + 3..13 + 12 + 3 + len).map(|c| c.to_vec())
}

/// The second ClientHello: the first with `cookie`, record 1, message 1 (RFC 6347 §4.2.1, §4.2.2).
fn with_cookie(hello: &[u8], cookie: &[u8]) -> Vec<u8> {
    let sid = hello[13 + 12 + 34] as usize;
    let at = 13 + 12 + 34 + 1 + sid;
    let old = hello[at] as usize;
    let mut out = hello[..at].to_vec();
    out.push(cookie.len() as u8);
    out.extend_from_slice(cookie);
    out.extend_from_slice(&hello[at + 1 + old..]);
    let rec = (out.len() - 13) as u16;
    let hs = (out.len() - 25) as u32;
    out[5..11].copy_from_slice(&1u64.to_be_bytes()[2..]);
    out[11..13].copy_from_slice(&rec.to_be_bytes());
    out[14..17].copy_from_slice(&hs.to_be_bytes()[1..]);
    out[17..19].copy_from_slice(&1u16.to_be_bytes());
    out[22..25].copy_from_slice(&hs.to_be_bytes()[1..]);
    out
}

/// Floods `target` from SOURCES source ports in waves: every source sends the ClientHello; the
/// odd ones answer a HelloVerifyRequest with the cookie. `pump` drives the server between sends.
/// Returns how many cookies were answered, and how many sources got a ServerHello back.
fn flood(target: SocketAddr, hello: &[u8], mut pump: impl FnMut()) -> (usize, usize) {
    let mut answered = 0;
    let mut server_hellos = 0;
    for wave in 0..SOURCES / WAVE {
        let socks: Vec<UdpSocket> = (0..WAVE)
            .map(|_| {
                let s = UdpSocket::bind("127.0.0.1:0").unwrap();
                s.set_nonblocking(true).unwrap();
                s
            })
            .collect();
        for (i, s) in socks.iter().enumerate() {
            s.send_to(hello, target).unwrap();
            if i % 8 == 7 {
                pump();
            }
        }
        // Collect the cookie rounds (bounded), answer them from the odd sources.
        let mut done = vec![false; WAVE];
        let mut got_sh = vec![false; WAVE];
        let end = Instant::now() + Duration::from_secs(5);
        let mut quiet_since = Instant::now();
        while Instant::now() < end && quiet_since.elapsed() < Duration::from_millis(300) {
            pump();
            let mut buf = [0u8; 2048];
            for (i, s) in socks.iter().enumerate() {
                while let Ok(n) = s.recv(&mut buf) {
                    got_sh[i] |= n > 13 && buf[0] == 22 && buf[13] == 2;
                    if let (false, Some(c)) = (done[i], hvr_cookie(&buf[..n])) {
                        done[i] = true;
                        quiet_since = Instant::now();
                        if i % 2 == 1 {
                            s.send_to(&with_cookie(hello, &c), target).unwrap();
                            answered += 1;
                            if answered % 8 == 0 {
                                pump();
                            }
                        }
                    }
                }
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        pump();
        let mut buf = [0u8; 2048];
        for (i, s) in socks.iter().enumerate() {
            while let Ok(n) = s.recv(&mut buf) {
                got_sh[i] |= n > 13 && buf[0] == 22 && buf[13] == 2;
            }
        }
        server_hellos += got_sh.iter().filter(|g| **g).count();
        let _ = wave;
    }
    (answered, server_hellos)
}

#[test]
fn client_hello_flood_keeps_state_bounded_and_counts_refusals() {
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", true);
    let so = TlsOptions::server(c.key.clone(), c.cert.clone()).unwrap();
    let hello = captured_hello();
    assert!(hvr_cookie(&hello).is_none() && hello[0] == 22 && hello[13] == 1);

    // DTLSServer behind a UDPServer; the application keeps every HANDSHAKING peer.
    let rss0 = rss_kib();
    let mut us = UdpServer::new();
    us.listen(0, "127.0.0.1").unwrap();
    let port = us.get_local_port();
    let mut ds = DtlsServer::new();
    ds.setup(&so).unwrap();
    let max = ds.get_max_handshakes();
    let mut kept: Vec<PacketPeerDtls> = Vec::new();
    let mut most_kept = 0;
    let (answered, server_hellos) = flood(SocketAddr::from(([127, 0, 0, 1], port)), &hello, || {
        us.poll().unwrap();
        while let Some(u) = us.take_connection() {
            let p = ds.take_connection(u).unwrap();
            if p.get_status() == TlsStatus::Handshaking {
                kept.push(p);
            }
        }
        // The kept peers are not polled during the flood: a retransmission of their flight
        // could reach a later wave's socket that got the same port, and be miscounted.
        most_kept = most_kept.max(kept.len());
        assert!(ds.handshakes_under_way() <= max);
    });
    let rss1 = rss_kib();
    let st = ds.stats();
    let ust = us.stats();
    assert_eq!(ust.packets_dropped, 0, "{ust:?}");
    println!(
        "DTLSServer flood: {SOURCES} source ports, {answered} cookies answered, {server_hellos} \
         ServerHellos back; RSS {rss0} KiB -> \
         {rss1} KiB (+{} KiB); {st:?}; UDPServer {ust:?}; kept {} (max_handshakes {max})",
        rss1.saturating_sub(rss0),
        kept.len()
    );
    assert!(most_kept <= max, "{most_kept} handshakes kept");
    // A refused source costs no key exchange and gets no answer: only the kept handshakes sent
    // their ServerHello.
    assert!(server_hellos <= max, "{server_hellos} ServerHellos sent");
    assert!(ds.handshakes_under_way() <= max);
    // Every cookie-less ClientHello that reached the DTLSServer was answered statelessly; every
    // answered cookie either started a handshake or was refused and counted.
    assert!(st.cookie_rounds as usize >= SOURCES / 2, "{st:?}");
    assert!(
        answered > max,
        "the flood must pass the bound ({answered} cookies)"
    );
    assert!(st.refused_handshakes > 0, "{st:?}");
    // (A source port reused by a later wave while its first peer is still kept reaches that peer
    // instead: hence not an equality.)
    let decided = (st.handshakes_started + st.refused_handshakes) as usize;
    assert!(
        decided <= answered && decided >= answered * 9 / 10,
        "{answered} cookies: {st:?} {ust:?}"
    );
    assert_eq!(st.handshakes_started as usize, kept.len());
    drop(kept);
    assert_eq!(ds.handshakes_under_way(), 0);
    // A real client still gets through.
    let mut cli = PacketPeerDtls::new();
    let mut u = PacketPeerUdp::new();
    u.connect_to_host("127.0.0.1", port as i32).unwrap();
    cli.connect_to_peer(
        shared(u),
        "localhost",
        Some(&TlsOptions::client(Some(c.cert.clone()), "")),
    )
    .unwrap();
    let mut srv: Vec<PacketPeerDtls> = Vec::new();
    until("a real client after the flood", || {
        us.poll().unwrap();
        while let Some(u) = us.take_connection() {
            let p = ds.take_connection(u).unwrap();
            if p.get_status() == TlsStatus::Handshaking {
                srv.push(p);
            }
        }
        for p in &mut srv {
            p.poll();
        }
        cli.poll();
        cli.get_status() == TlsStatus::Connected
    });

    // ENet over DTLS: at most DEFAULT_MAX_PENDING handshakes from new sources; the rest refused.
    let rss2 = rss_kib();
    let mut t = DtlsEnetTransport::server(
        UdpTransport::bind(Some([127, 0, 0, 1].into()), 0).unwrap(),
        &so,
    )
    .unwrap();
    let to = t.inner().local_addr().unwrap();
    let mut most = 0;
    let (answered, server_hellos) = flood(to, &hello, || {
        let mut b = [0u8; 2048];
        while let Ok(Some(_)) = t.recv_from(&mut b) {}
        most = most.max(t.session_count());
    });
    let rss3 = rss_kib();
    let st = t.stats();
    let cst = t.dtls_server().unwrap().stats();
    println!(
        "ENet-over-DTLS flood: {SOURCES} source ports, {answered} cookies answered, \
         {server_hellos} ServerHellos back; RSS {rss2} KiB \
         -> {rss3} KiB (+{} KiB); {st:?}; {cst:?}; sessions now {}, at most {most}",
        rss3.saturating_sub(rss2),
        t.session_count()
    );
    assert!(most <= DEFAULT_MAX_PENDING, "{most} sessions at once");
    // The transport polls its sessions, so a retransmitted flight may reach a later wave's socket
    // that got the same port: a little slack.
    assert!(
        server_hellos <= 2 * DEFAULT_MAX_PENDING,
        "{server_hellos} ServerHellos sent"
    );
    assert!(t.session_count() <= DEFAULT_MAX_PENDING);
    assert!(st.refused_sources > 0, "{st:?}");
    assert!(cst.cookie_rounds > 0, "{cst:?}");
    assert_eq!(st.sessions_connected, 0);
}
