//! PacketPeerDTLS and DTLSServer against real peers on loopback: `openssl s_server -dtls1_2` and
//! `openssl s_client -dtls1_2` (RSA and ECDSA certificates; AES-GCM and ChaCha20-Poly1305), plus our
//! own client and server: data both ways, close_notify both ways, the cookie round, hostname
//! mismatch, untrusted certificates, pinning, Godot's status and error codes, hostile datagrams.
mod tls_util;

use std::time::{Duration, Instant};

use packetpeer::net::udp::PacketPeerUdp;
use packetpeer::net::udp_server::UdpServer;
use packetpeer::peer::PacketPeer;
use packetpeer::sync::{shared, Shared};
use packetpeer::tls::{DtlsServer, PacketPeerDtls, TlsOptions, TlsStatus};
use packetpeer::variant::Variant;
use packetpeer::Error;
use tls_util::*;

type Udp = Shared<PacketPeerUdp>;

fn udp_to(port: i32) -> Udp {
    let mut u = PacketPeerUdp::new();
    u.bind(0, "127.0.0.1", 65536).unwrap();
    u.connect_to_host("127.0.0.1", port).unwrap();
    shared(u)
}

fn handshake(p: &mut PacketPeerDtls, mut tick: impl FnMut()) -> TlsStatus {
    let end = Instant::now() + LIMIT;
    while p.get_status() == TlsStatus::Handshaking {
        assert!(Instant::now() < end, "handshake did not finish");
        p.poll();
        tick();
        std::thread::sleep(Duration::from_millis(1));
    }
    p.get_status()
}

fn next_packet(p: &mut PacketPeerDtls, mut tick: impl FnMut()) -> Vec<u8> {
    let end = Instant::now() + LIMIT;
    loop {
        p.poll();
        match p.get_packet() {
            Ok(d) => return d.to_vec(),
            Err(Error::Unavailable) => {}
            Err(e) => panic!("get_packet: {e:?} ({})", p.get_last_error_text()),
        }
        assert!(
            Instant::now() < end,
            "no packet; status {:?}",
            p.get_status()
        );
        tick();
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn our_client_against_openssl_s_server_rsa_ecdsa_gcm_chacha() {
    need("openssl");
    let dir = temp_dir();
    let rsa = make_cert(&dir, "rsa", "localhost", false);
    let ec = make_cert(&dir, "ec", "localhost", true);
    for (c, cipher) in [
        (&rsa, "ECDHE-RSA-AES128-GCM-SHA256"),
        (&ec, "ECDHE-ECDSA-CHACHA20-POLY1305"),
        (&ec, "ECDHE-ECDSA-AES256-GCM-SHA384"),
    ] {
        let mut ss = Proc::spawn(
            "openssl",
            &[
                "s_server",
                "-dtls1_2",
                "-accept",
                "127.0.0.1:0",
                "-cert",
                c.cert_path.to_str().unwrap(),
                "-key",
                c.key_path.to_str().unwrap(),
                "-cipher",
                cipher,
                "-naccept",
                "1",
            ],
        );
        let port = ss.port();
        let mut p = PacketPeerDtls::new();
        p.connect_to_peer(
            udp_to(port),
            "localhost",
            Some(&TlsOptions::client(Some(c.cert.clone()), "")),
        )
        .unwrap();
        // HANDSHAKING (on a fast loopback the whole handshake may even finish within the call).
        assert!(matches!(
            p.get_status(),
            TlsStatus::Handshaking | TlsStatus::Connected
        ));
        assert_eq!(
            handshake(&mut p, || {}),
            TlsStatus::Connected,
            "{}",
            p.get_last_error_text()
        );
        p.put_packet(b"from packetpeer\n").unwrap();
        ss.wait_for("from packetpeer", || p.poll());
        ss.wait_for(&format!("CIPHER is {cipher}"), || {});
        ss.send("from s_server\n");
        assert_eq!(next_packet(&mut p, || {}), b"from s_server\n");
        assert_eq!(
            p.get_packet().err(),
            Some(Error::Unavailable),
            "nothing ready is ERR_UNAVAILABLE"
        );
        // Our close_notify: s_server ends the connection cleanly.
        p.disconnect_from_peer();
        assert_eq!(p.get_status(), TlsStatus::Disconnected);
        ss.wait_for("DONE", || {});
        ss.wait_exit(|| {});
        assert!(p.stats().handshakes_completed == 1);
    }
}

/// Our UDPServer + DTLSServer side, driven the way Godot's docs tell callers to.
struct Server {
    udp: UdpServer,
    dtls: DtlsServer,
    peers: Vec<PacketPeerDtls>,
    taken: Vec<TlsStatus>,
}

impl Server {
    fn new(c: &Cert) -> (Server, i32) {
        let mut udp = UdpServer::new();
        udp.listen(0, "127.0.0.1").unwrap();
        let port = udp.get_local_port() as i32;
        let mut dtls = DtlsServer::new();
        dtls.setup(&TlsOptions::server(c.key.clone(), c.cert.clone()).unwrap())
            .unwrap();
        (
            Server {
                udp,
                dtls,
                peers: Vec::new(),
                taken: Vec::new(),
            },
            port,
        )
    }

    fn poll(&mut self) {
        self.udp.poll().unwrap();
        while let Some(u) = self.udp.take_connection() {
            let p = self.dtls.take_connection(u).expect("set up");
            self.taken.push(p.get_status());
            if p.get_status() == TlsStatus::Handshaking {
                self.peers.push(p);
            }
        }
        for p in &mut self.peers {
            p.poll();
        }
    }

    fn connected(&mut self) -> Option<&mut PacketPeerDtls> {
        self.peers
            .iter_mut()
            .find(|p| p.get_status() == TlsStatus::Connected)
    }

    /// The next packet of the connected server-side peer (UDPServer polled meanwhile: only its
    /// poll fills the accepted peers' queues).
    fn next_packet(&mut self) -> Vec<u8> {
        let end = Instant::now() + LIMIT;
        loop {
            self.poll();
            let p = self.connected().expect("a connected peer");
            match p.get_packet() {
                Ok(d) => return d.to_vec(),
                Err(Error::Unavailable) => {}
                Err(e) => panic!("get_packet: {e:?} ({})", p.get_last_error_text()),
            }
            assert!(Instant::now() < end, "no packet on the server side");
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

#[test]
fn openssl_s_client_against_our_server_cookie_round_data_close_notify() {
    need("openssl");
    let dir = temp_dir();
    for ec in [false, true] {
        let c = make_cert(&dir, "srv", "localhost", ec);
        for we_close in [false, true] {
            let (mut srv, port) = Server::new(&c);
            let connect = format!("127.0.0.1:{port}");
            let mut sc = Proc::spawn(
                "openssl",
                &[
                    "s_client",
                    "-dtls1_2",
                    "-connect",
                    &connect,
                    "-CAfile",
                    c.cert_path.to_str().unwrap(),
                    "-verify_hostname",
                    "localhost",
                    "-verify_return_error",
                ],
            );
            until("server-side CONNECTED", || {
                srv.poll();
                srv.connected().is_some()
            });
            // The cookie round: the first server-side peer ended in STATUS_ERROR.
            assert_eq!(srv.taken[0], TlsStatus::Error, "{:?}", srv.taken);
            assert_eq!(srv.dtls.stats().cookie_rounds, 1);
            assert!(srv.taken.contains(&TlsStatus::Handshaking));
            sc.wait_for("Verify return code: 0 (ok)", || srv.poll());
            srv.connected()
                .unwrap()
                .put_packet(b"from packetpeer\n")
                .unwrap();
            sc.wait_for("from packetpeer", || srv.poll());
            sc.send("from s_client\n");
            let got = srv.next_packet();
            assert_eq!(got, b"from s_client\n");
            if we_close {
                // Our close_notify: s_client ends by itself (it would wait forever on UDP
                // otherwise), cleanly (exit 0, no alert).
                srv.connected().unwrap().disconnect_from_peer();
            } else {
                // s_client sends close_notify at the end of its input.
                sc.close_stdin();
                until("DISCONNECTED", || {
                    srv.poll();
                    srv.peers[0].get_status() == TlsStatus::Disconnected
                });
                assert!(srv.peers[0].get_last_error_text().contains("close_notify"));
            }
            assert!(sc.wait_exit(|| srv.poll()).success(), "{:?}", sc.err_seen);
            assert!(
                !sc.saw_err("alert") && !sc.saw_err("error"),
                "{:?}",
                sc.err_seen
            );
            assert_eq!(srv.dtls.handshakes_under_way(), 0);
        }
    }
}

/// Our client against our server: name and trust checks, pinning, Godot's codes, put_var.
fn own_pair(c: &Cert, host: &str, opts: &TlsOptions) -> (Server, PacketPeerDtls, TlsStatus) {
    let (mut srv, port) = Server::new(c);
    let mut p = PacketPeerDtls::new();
    let r = p.connect_to_peer(udp_to(port), host, Some(opts));
    assert!(r.is_ok() || p.get_status() != TlsStatus::Handshaking);
    let st = handshake(&mut p, || srv.poll());
    (srv, p, st)
}

#[test]
fn own_pair_names_trust_pins_and_codes() {
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", true);
    let other = make_cert(&dir, "other", "localhost", false);
    let trusted = TlsOptions::client(Some(c.cert.clone()), "");

    let (_, p, st) = own_pair(&c, "wrong.example", &trusted);
    assert_eq!(
        st,
        TlsStatus::ErrorHostnameMismatch,
        "{}",
        p.get_last_error_text()
    );
    assert!(
        p.get_udp_peer().is_none(),
        "a failed session releases its UDP peer"
    );
    let (_, p, st) = own_pair(
        &c,
        "localhost",
        &TlsOptions::client(Some(other.cert.clone()), ""),
    );
    assert_eq!(st, TlsStatus::Error);
    assert!(
        p.get_last_error_text()
            .contains("certificate verify failed"),
        "{}",
        p.get_last_error_text()
    );
    let fp = c.cert.sha256_fingerprint().unwrap();
    let (_, _, st) = own_pair(
        &c,
        "localhost",
        &TlsOptions::client(None, "").with_pinned_sha256(&[fp]),
    );
    assert_eq!(st, TlsStatus::Connected);
    let wrong = other.cert.sha256_fingerprint().unwrap();
    let (_, _, st) = own_pair(
        &c,
        "localhost",
        &TlsOptions::client_unsafe(None).with_pinned_sha256(&[wrong]),
    );
    assert_eq!(st, TlsStatus::Error);

    let (mut srv, mut p, st) = own_pair(&c, "localhost", &trusted);
    assert_eq!(st, TlsStatus::Connected);
    until("server connected", || {
        srv.poll();
        srv.connected().is_some()
    });
    assert_eq!(p.get_max_packet_size(), 488);
    assert_eq!(p.get_packet().err(), Some(Error::Unavailable));
    assert_eq!(p.put_packet(b""), Ok(()));
    assert_eq!(
        p.put_packet(&vec![0u8; 20_000]),
        Err(Error::InvalidParameter)
    );
    // 1200-byte packets and Variants, each one record in one datagram, in both directions.
    for i in 0..50u8 {
        p.put_packet(&vec![i; 1200]).unwrap();
    }
    p.put_var(&Variant::Int(42), false).unwrap();
    for i in 0..50u8 {
        assert_eq!(srv.next_packet(), vec![i; 1200]);
    }
    let v = srv.next_packet();
    assert_eq!(
        packetpeer::variant::decode(&v, &Default::default())
            .unwrap()
            .0,
        Variant::Int(42)
    );
    srv.connected().unwrap().put_packet(b"back").unwrap();
    assert_eq!(next_packet(&mut p, || {}), b"back");
    let st = p.stats();
    assert_eq!(st.packets_out, 51);
    assert!(st.datagrams_out >= 51 + 2);
    // A second setup is ERR_ALREADY_IN_USE; client options ERR_INVALID_PARAMETER.
    let so = TlsOptions::server(c.key.clone(), c.cert.clone()).unwrap();
    assert_eq!(srv.dtls.setup(&so), Err(Error::AlreadyInUse));
    assert_eq!(
        DtlsServer::new().setup(&trusted),
        Err(Error::InvalidParameter)
    );
    assert!(DtlsServer::new().take_connection(udp_to(9)).is_none());
    // connect_to_peer: unconnected UDP peer or server options are ERR_INVALID_PARAMETER.
    let mut q = PacketPeerDtls::new();
    let unconnected = shared(PacketPeerUdp::new());
    assert_eq!(
        q.connect_to_peer(unconnected, "localhost", None),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        q.connect_to_peer(udp_to(9), "localhost", Some(&so)),
        Err(Error::InvalidParameter)
    );
    assert_eq!(q.put_packet(b"x"), Err(Error::Unconfigured));
    assert_eq!(q.get_packet().err(), Some(Error::Unconfigured));
    // The peer's close_notify reaches our client.
    srv.connected().unwrap().disconnect_from_peer();
    until("client DISCONNECTED", || {
        p.poll();
        p.get_status() == TlsStatus::Disconnected
    });
}

#[test]
fn hostile_datagrams_are_dropped_bounded_and_counted() {
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", true);
    let (mut srv, port) = Server::new(&c);
    srv.dtls.set_max_handshakes(4);
    // Garbage, truncated records and a flood of ClientHellos from many source ports.
    let hello = {
        // A real ClientHello, captured from our own client.
        let cap = shared(PacketPeerUdp::new());
        {
            let mut u = cap.lock().unwrap();
            u.bind(0, "127.0.0.1", 65536).unwrap();
        }
        let cport = cap.lock().unwrap().get_local_port() as i32;
        let mut p = PacketPeerDtls::new();
        p.connect_to_peer(udp_to(cport), "localhost", None).unwrap();
        let mut got = None;
        until("ClientHello", || {
            got = cap.lock().unwrap().get_packet().ok().map(|d| d.to_vec());
            got.is_some()
        });
        got.unwrap_or_default()
    };
    let mut socks = Vec::new();
    for i in 0..200usize {
        let u = udp_to(port);
        let payload: Vec<u8> = match i % 4 {
            0 => vec![0xff; 1 + i % 300],
            1 => hello[..hello.len() / 2].to_vec(),
            2 => hello.clone(),
            _ => {
                let mut h = hello.clone();
                let n = h.len();
                h[n - 5] ^= 0x55;
                h
            }
        };
        u.lock().unwrap().put_packet(&payload).unwrap();
        socks.push(u);
        if i % 16 == 15 {
            srv.poll();
        }
    }
    let end = Instant::now() + Duration::from_millis(300);
    while Instant::now() < end {
        srv.poll();
        std::thread::sleep(Duration::from_millis(5));
    }
    // Nothing connected, at most 16 sources pending at once (UDPServer), every ClientHello without a
    // cookie answered statelessly (cookie round), and no handshake past the cookie round.
    assert!(srv.connected().is_none());
    assert!(srv.udp.pending_count() <= 16);
    let st = srv.dtls.stats();
    assert!(st.cookie_rounds >= 10, "{st:?}");
    assert_eq!(srv.dtls.handshakes_under_way(), 0);
    assert!(srv.peers.is_empty());
    assert!(
        st.failed_first_steps >= 50,
        "garbage and truncated hellos refused at once: {st:?}"
    );
    assert!(srv.taken.iter().all(|s| *s == TlsStatus::Error));
    // A real client still gets through afterwards.
    let mut p = PacketPeerDtls::new();
    p.connect_to_peer(
        udp_to(port),
        "localhost",
        Some(&TlsOptions::client(Some(c.cert.clone()), "")),
    )
    .unwrap();
    assert_eq!(
        handshake(&mut p, || srv.poll()),
        TlsStatus::Connected,
        "{}",
        p.get_last_error_text()
    );
}

#[test]
fn half_open_handshakes_are_bounded_and_refusals_counted() {
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", false);
    let (mut srv, port) = Server::new(&c);
    srv.dtls.set_max_handshakes(2);
    // Clients that pass the cookie round and then stop: hold their peers, never poll them again
    // after the cookie exchange (their handshakes stay half open on the server).
    let mut clients = Vec::new();
    for _ in 0..4 {
        let mut p = PacketPeerDtls::new();
        p.connect_to_peer(udp_to(port), "localhost", None).unwrap();
        clients.push(p);
    }
    until("cookie rounds and refusals", || {
        srv.udp.poll().unwrap();
        while let Some(u) = srv.udp.take_connection() {
            let p = srv.dtls.take_connection(u).unwrap();
            if p.get_status() == TlsStatus::Handshaking {
                srv.peers.push(p);
            }
        }
        for p in &mut clients {
            if p.stats().datagrams_in == 0 {
                p.poll();
            }
        }
        srv.dtls.stats().refused_handshakes >= 2
    });
    assert_eq!(srv.dtls.handshakes_under_way(), 2);
    assert_eq!(srv.peers.len(), 2);
    assert!(srv.dtls.get_last_error_text().contains("max_handshakes"));
    srv.peers.clear();
    assert_eq!(srv.dtls.handshakes_under_way(), 0);
}

/// A relay in the test's own thread between our client and our server: it forwards datagrams both
/// ways and keeps a copy of everything the client sent, so a test can re-send a real record.
struct Tap {
    sock: std::net::UdpSocket,
    server: std::net::SocketAddr,
    client: Option<std::net::SocketAddr>,
    from_client: Vec<Vec<u8>>,
}

impl Tap {
    fn new(server_port: i32) -> Tap {
        let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        sock.set_nonblocking(true).unwrap();
        Tap {
            sock,
            server: format!("127.0.0.1:{server_port}").parse().unwrap(),
            client: None,
            from_client: Vec::new(),
        }
    }

    fn port(&self) -> i32 {
        self.sock.local_addr().unwrap().port() as i32
    }

    fn pump(&mut self) {
        let mut buf = [0u8; 65536];
        while let Ok((n, from)) = self.sock.recv_from(&mut buf) {
            if from == self.server {
                if let Some(c) = self.client {
                    self.sock.send_to(&buf[..n], c).unwrap();
                }
            } else {
                self.client = Some(from);
                self.from_client.push(buf[..n].to_vec());
                self.sock.send_to(&buf[..n], self.server).unwrap();
            }
        }
    }

    /// Sends a datagram to the server as if it came from the client.
    fn replay(&self, d: &[u8]) {
        self.sock.send_to(d, self.server).unwrap();
    }
}

#[test]
fn replayed_application_records_are_dropped_counted_and_never_delivered_twice() {
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", true);
    let (mut srv, port) = Server::new(&c);
    let mut tap = Tap::new(port);
    let mut p = PacketPeerDtls::new();
    p.connect_to_peer(
        udp_to(tap.port()),
        "localhost",
        Some(&TlsOptions::client(Some(c.cert.clone()), "")),
    )
    .unwrap();
    let st = handshake(&mut p, || {
        tap.pump();
        srv.poll();
        tap.pump();
    });
    assert_eq!(st, TlsStatus::Connected, "{}", p.get_last_error_text());
    until("server connected", || {
        tap.pump();
        srv.poll();
        srv.connected().is_some()
    });
    // Three real application-data records (content type 23), captured on their way.
    let captured_from = tap.from_client.len();
    for m in [&b"first"[..], b"second", b"third"] {
        p.put_packet(m).unwrap();
    }
    let mut got = Vec::new();
    until("three packets", || {
        tap.pump();
        srv.poll();
        while let Ok(d) = srv.connected().unwrap().get_packet() {
            got.push(d.to_vec());
        }
        got.len() >= 3
    });
    assert_eq!(got, [&b"first"[..], b"second", b"third"]);
    let records: Vec<Vec<u8>> = tap.from_client[captured_from..].to_vec();
    assert_eq!(records.len(), 3);
    assert!(records.iter().all(|r| r[0] == 23), "application data");
    let before = srv.connected().unwrap().stats();
    // Re-send each record (newest first, then the oldest twice): all inside the replay window and
    // already seen.
    for r in [&records[2], &records[1], &records[0], &records[0]] {
        tap.replay(r);
    }
    // Then one new record, so we know when the replays were read (they arrived before it).
    p.put_packet(b"fourth").unwrap();
    let mut after = Vec::new();
    until("the new record", || {
        tap.pump();
        srv.poll();
        while let Ok(d) = srv.connected().unwrap().get_packet() {
            after.push(d.to_vec());
        }
        !after.is_empty()
    });
    assert_eq!(after, [b"fourth".to_vec()], "replays were delivered");
    let s = srv.connected().unwrap();
    assert_eq!(s.get_packet().err(), Some(Error::Unavailable));
    let st = s.stats();
    assert_eq!(st.packets_in, before.packets_in + 1, "{st:?}");
    assert_eq!(
        st.records_discarded,
        before.records_discarded + 4,
        "every replay counted: {st:?}"
    );
    assert_eq!(st.record_errors, 0, "a replay is not fatal: {st:?}");
    assert_eq!(s.get_status(), TlsStatus::Connected);
    // The session still works both ways.
    s.put_packet(b"still here").unwrap();
    assert_eq!(
        next_packet(&mut p, || {
            tap.pump();
        }),
        b"still here"
    );
}

/// `hello` (an unfragmented ClientHello in one record) as two records, each in its own datagram,
/// each holding one fragment of the message (RFC 6347 §4.2.3).
fn fragmented(hello: &[u8]) -> [Vec<u8>; 2] {
    let body = &hello[25..];
    let half = body.len() / 2;
    let frag = |seq: u8, off: usize, part: &[u8]| {
        let mut d = hello[..3].to_vec(); // type, version
        d.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, seq]); // epoch, sequence
        d.extend_from_slice(&((12 + part.len()) as u16).to_be_bytes());
        d.push(1); // ClientHello
        d.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
        d.extend_from_slice(&hello[17..19]); // message_seq
        d.extend_from_slice(&(off as u32).to_be_bytes()[1..]);
        d.extend_from_slice(&(part.len() as u32).to_be_bytes()[1..]);
        d.extend_from_slice(part);
        d
    };
    [frag(0, 0, &body[..half]), frag(1, half, &body[half..])]
}

#[test]
fn incomplete_fragmented_client_hello_is_refused_cleanly_and_counted() {
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", true);
    // A real ClientHello from our client, cut in two fragments.
    let cap = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    cap.set_read_timeout(Some(LIMIT)).unwrap();
    let mut q = PacketPeerDtls::new();
    q.connect_to_peer(
        udp_to(cap.local_addr().unwrap().port() as i32),
        "localhost",
        None,
    )
    .unwrap();
    let mut buf = [0u8; 4096];
    let n = cap.recv(&mut buf).unwrap();
    let frags = fragmented(&buf[..n]);

    // DTLSServer: only the first fragment from one source, only the second from another; then
    // both fragments from a third (answered with the cookie round, like an unfragmented one).
    let (mut srv, port) = Server::new(&c);
    let mut socks = Vec::new();
    for part in [&frags[0], &frags[1]] {
        let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        s.set_nonblocking(true).unwrap();
        s.send_to(part, ("127.0.0.1", port as u16)).unwrap();
        socks.push(s);
    }
    until("two incomplete hellos refused", || {
        srv.poll();
        srv.dtls.stats().failed_first_steps >= 2
    });
    let whole = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    whole.set_read_timeout(Some(LIMIT)).unwrap();
    for f in &frags {
        whole.send_to(f, ("127.0.0.1", port as u16)).unwrap();
    }
    until("a cookie round", || {
        srv.poll();
        srv.dtls.stats().cookie_rounds >= 1
    });
    let n = whole.recv(&mut buf).unwrap();
    assert!(
        n > 13 && buf[0] == 22 && buf[13] == 3,
        "a HelloVerifyRequest"
    );
    let end = Instant::now() + Duration::from_millis(200);
    while Instant::now() < end {
        srv.poll();
        std::thread::sleep(Duration::from_millis(5));
    }
    let st = srv.dtls.stats();
    assert_eq!(st.failed_first_steps, 2, "{st:?}");
    assert_eq!(st.cookie_rounds, 1, "{st:?}");
    assert_eq!(st.handshakes_started, 0, "{st:?}");
    assert!(srv.peers.is_empty() && srv.taken.iter().all(|s| *s == TlsStatus::Error));
    assert_eq!(srv.dtls.handshakes_under_way(), 0);
    for s in &socks {
        assert!(
            s.recv(&mut buf).is_err(),
            "no answer to an incomplete hello"
        );
    }

    // ENet over DTLS: the same, counted as dropped; no session.
    use packetpeer::enet::{Transport, UdpTransport};
    let mut t = packetpeer::tls::enet_dtls::DtlsEnetTransport::server(
        UdpTransport::bind(Some([127, 0, 0, 1].into()), 0).unwrap(),
        &TlsOptions::server(c.key.clone(), c.cert.clone()).unwrap(),
    )
    .unwrap();
    let to = t.inner().local_addr().unwrap();
    for part in [&frags[0], &frags[1]] {
        let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        s.send_to(part, to).unwrap();
        socks.push(s);
    }
    until("fragments dropped", || {
        let _ = t.recv_from(&mut buf).unwrap();
        t.stats().dropped_no_session >= 2
    });
    for f in &frags {
        whole.send_to(f, to).unwrap();
    }
    until("a cookie round", || {
        let _ = t.recv_from(&mut buf).unwrap();
        t.dtls_server().unwrap().stats().cookie_rounds >= 1
    });
    assert_eq!(t.session_count(), 0);
    let cst = t.dtls_server().unwrap().stats();
    assert_eq!(cst.failed_first_steps, 2, "{cst:?}");
    assert_eq!(cst.handshakes_started, 0, "{cst:?}");
}

/// A relay between our client and our server that cuts every ClientHello of the client in two
/// fragments, each in a record and datagram of its own, renumbering the client's later epoch-0
/// records so that record numbers stay unique (they are not authenticated in epoch 0).
struct Fragmenter {
    sock: std::net::UdpSocket,
    server: std::net::SocketAddr,
    client: Option<std::net::SocketAddr>,
    extra: u64,
    hellos_cut: usize,
}

impl Fragmenter {
    fn new(server_port: i32) -> Fragmenter {
        let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        sock.set_nonblocking(true).unwrap();
        Fragmenter {
            sock,
            server: format!("127.0.0.1:{server_port}").parse().unwrap(),
            client: None,
            extra: 0,
            hellos_cut: 0,
        }
    }

    fn pump(&mut self) {
        let mut buf = [0u8; 65536];
        while let Ok((n, from)) = self.sock.recv_from(&mut buf) {
            if from == self.server {
                if let Some(c) = self.client {
                    self.sock.send_to(&buf[..n], c).unwrap();
                }
                continue;
            }
            self.client = Some(from);
            let d = &buf[..n];
            if d.len() > 25
                && d[0] == 22
                && d[13] == 1
                && 13 + u16::from_be_bytes([d[11], d[12]]) as usize == n
            {
                let seq =
                    u64::from_be_bytes([0, 0, d[5], d[6], d[7], d[8], d[9], d[10]]) + self.extra;
                let [a, b] = fragmented(d);
                for (i, mut f) in [a, b].into_iter().enumerate() {
                    f[5..11].copy_from_slice(&(seq + i as u64).to_be_bytes()[2..]);
                    self.sock.send_to(&f, self.server).unwrap();
                }
                self.extra += 1;
                self.hellos_cut += 1;
                continue;
            }
            // Renumber the epoch-0 records of the datagram.
            let mut out = d.to_vec();
            let mut at = 0;
            while at + 13 <= out.len() {
                let len = u16::from_be_bytes([out[at + 11], out[at + 12]]) as usize;
                if out[at + 3] == 0 && out[at + 4] == 0 {
                    let r = &mut out[at + 5..at + 11];
                    let seq =
                        u64::from_be_bytes([0, 0, r[0], r[1], r[2], r[3], r[4], r[5]]) + self.extra;
                    r.copy_from_slice(&seq.to_be_bytes()[2..]);
                }
                at += 13 + len;
            }
            self.sock.send_to(&out, self.server).unwrap();
        }
    }
}

#[test]
fn fragmented_client_hellos_are_reassembled_and_the_handshake_completes() {
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", true);
    let (mut srv, port) = Server::new(&c);
    let mut relay = Fragmenter::new(port);
    let mut p = PacketPeerDtls::new();
    p.connect_to_peer(
        udp_to(relay.sock.local_addr().unwrap().port() as i32),
        "localhost",
        Some(&TlsOptions::client(Some(c.cert.clone()), "")),
    )
    .unwrap();
    let st = handshake(&mut p, || {
        relay.pump();
        srv.poll();
        relay.pump();
    });
    assert_eq!(st, TlsStatus::Connected, "{}", p.get_last_error_text());
    assert!(relay.hellos_cut >= 2, "both ClientHellos went in fragments");
    until("server connected", || {
        relay.pump();
        srv.poll();
        relay.pump();
        srv.connected().is_some()
    });
    let ds = srv.dtls.stats();
    assert!(
        ds.cookie_rounds >= 1 && ds.handshakes_started >= 1,
        "{ds:?}"
    );
    p.put_packet(b"after fragments").unwrap();
    assert_eq!(srv_next(&mut srv, &mut relay), b"after fragments");
}

fn srv_next(srv: &mut Server, relay: &mut Fragmenter) -> Vec<u8> {
    let end = Instant::now() + LIMIT;
    loop {
        relay.pump();
        srv.poll();
        if let Ok(d) = srv.connected().unwrap().get_packet() {
            return d.to_vec();
        }
        assert!(Instant::now() < end, "no packet");
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// A relay between one client and a server that, once, sends the client's first ClientHello again
/// right before its second one (the one with the cookie), as a client whose HelloVerifyRequest came
/// late does: both arrive together at a server that has no session for the source.
struct LateRetransmit {
    sock: std::net::UdpSocket,
    server: std::net::SocketAddr,
    client: Option<std::net::SocketAddr>,
    first_hello: Option<Vec<u8>>,
    done: bool,
}

impl LateRetransmit {
    fn new(server: std::net::SocketAddr) -> LateRetransmit {
        let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        sock.set_nonblocking(true).unwrap();
        LateRetransmit {
            sock,
            server,
            client: None,
            first_hello: None,
            done: false,
        }
    }

    fn addr(&self) -> std::net::SocketAddr {
        self.sock.local_addr().unwrap()
    }

    fn pump(&mut self) {
        let mut buf = [0u8; 65536];
        while let Ok((n, from)) = self.sock.recv_from(&mut buf) {
            let d = &buf[..n];
            if from == self.server {
                if let Some(c) = self.client {
                    self.sock.send_to(d, c).unwrap();
                }
                continue;
            }
            self.client = Some(from);
            let hello_seq =
                (n > 25 && d[0] == 22 && d[13] == 1).then(|| u16::from_be_bytes([d[17], d[18]]));
            if hello_seq == Some(0) && self.first_hello.is_none() {
                self.first_hello = Some(d.to_vec());
            }
            if hello_seq == Some(1) && !self.done {
                self.done = true;
                if let Some(h) = &self.first_hello {
                    self.sock.send_to(h, self.server).unwrap();
                }
            }
            self.sock.send_to(d, self.server).unwrap();
        }
    }
}

#[test]
fn a_first_client_hello_queued_before_the_second_does_not_answer_it() {
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", true);
    let co = TlsOptions::client(Some(c.cert.clone()), "");
    // DTLSServer: the session that answers the first ClientHello with the cookie round must not
    // read on and answer the second from a session that is then dropped; the second is lost with
    // that UDP peer, and the client's retransmission gets through.
    let (mut srv, port) = Server::new(&c);
    let mut relay = LateRetransmit::new(format!("127.0.0.1:{port}").parse().unwrap());
    let mut p = PacketPeerDtls::new();
    p.connect_to_peer(udp_to(relay.addr().port() as i32), "localhost", Some(&co))
        .unwrap();
    let st = handshake(&mut p, || {
        relay.pump();
        srv.poll();
        relay.pump();
    });
    assert_eq!(st, TlsStatus::Connected, "{}", p.get_last_error_text());
    assert!(relay.done);
    until("server connected", || {
        relay.pump();
        srv.poll();
        relay.pump();
        srv.connected().is_some()
    });
    assert_eq!(
        srv.dtls.stats().handshakes_started,
        1,
        "{:?}",
        srv.dtls.stats()
    );

    // ENet over DTLS: the datagram the cookie-round session did not read is tried as the source's
    // first datagram again, and makes the session at once.
    use packetpeer::enet::{Transport, UdpTransport};
    use packetpeer::tls::enet_dtls::DtlsEnetTransport;
    let lo = Some([127, 0, 0, 1].into());
    let mut s = DtlsEnetTransport::server(
        UdpTransport::bind(lo, 0).unwrap(),
        &TlsOptions::server(c.key.clone(), c.cert.clone()).unwrap(),
    )
    .unwrap();
    let mut relay = LateRetransmit::new(s.inner().local_addr().unwrap());
    let mut cl =
        DtlsEnetTransport::client(UdpTransport::bind(lo, 0).unwrap(), "localhost", Some(&co))
            .unwrap();
    let to = relay.addr();
    let mut buf = [0u8; 2048];
    until("ENet over DTLS sessions connected", || {
        let _ = cl.send_to(b"enet", to).unwrap();
        let _ = cl.recv_from(&mut buf).unwrap();
        relay.pump();
        let _ = s.recv_from(&mut buf).unwrap();
        relay.pump();
        cl.stats().sessions_connected == 1 && s.stats().sessions_connected == 1
    });
    assert!(relay.done);
    assert_eq!(
        s.stats().sessions_closed,
        0,
        "{:?} {}",
        s.stats(),
        s.last_error()
    );
    assert_eq!(
        cl.stats().sessions_closed,
        0,
        "{:?} {}",
        cl.stats(),
        cl.last_error()
    );
}
