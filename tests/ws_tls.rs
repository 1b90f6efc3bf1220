//! `wss://` (`docs/classes.md` §19 over §9) between our client and our server on loopback, with
//! self-signed certificates made by the library's own Crypto helpers: trusted chain and SHA-256
//! pinning succeed; a name the certificate does not hold gives ERROR_HOSTNAME_MISMATCH with the
//! reason; an untrusted certificate (system CAs) fails with the verify result; server options given
//! to a client are refused; WebSocketMultiplayerPeer over wss with a server and two clients.
mod tls_util;

use std::time::{Duration, Instant};

use packetpeer::multiplayer::{ConnectionStatus, MultiplayerEvent, MultiplayerPeer};
use packetpeer::net::tcp_server::TcpServer;
use packetpeer::peer::PacketPeer;
use packetpeer::tls::{TlsOptions, TlsStatus};
use packetpeer::ws::{State, TlsWsStream, WebSocketMultiplayerPeer, WebSocketPeer, WriteMode};
use packetpeer::Error;
use tls_util::{make_cert, temp_dir, Cert, LIMIT};

fn server_opts(c: &Cert) -> TlsOptions {
    TlsOptions::server(c.key.clone(), c.cert.clone()).unwrap()
}

/// Polls `ps` until `done` (bounded).
fn pump(
    ps: &mut [&mut WebSocketPeer],
    what: &str,
    mut done: impl FnMut(&mut [&mut WebSocketPeer]) -> bool,
) {
    let end = Instant::now() + LIMIT;
    loop {
        for p in ps.iter_mut() {
            p.poll();
        }
        if done(ps) {
            return;
        }
        assert!(
            Instant::now() < end,
            "timed out: {what}; states {:?}; errors {:?}",
            ps.iter().map(|p| p.get_ready_state()).collect::<Vec<_>>(),
            ps.iter()
                .map(|p| p.get_last_error_text().to_owned())
                .collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Our client connects to `url`'s path on our TLS server; returns (client, server side). The server
/// side may stay CONNECTING if the client's TLS handshake fails.
fn connect(
    path: &str,
    host: &str,
    client: Option<&TlsOptions>,
    server: &TlsOptions,
) -> (WebSocketPeer, WebSocketPeer) {
    let mut srv = TcpServer::new();
    srv.listen(0, "127.0.0.1").unwrap();
    let url = format!("wss://{host}:{}{path}", srv.get_local_port());
    let mut c = WebSocketPeer::new();
    c.set_inbound_buffer_size(2 << 20).unwrap();
    c.set_outbound_buffer_size(2 << 20).unwrap();
    c.connect_to_url_tls(&url, client).unwrap();
    assert_eq!(c.get_ready_state(), State::Connecting);
    let end = Instant::now() + LIMIT;
    let tcp = loop {
        c.poll();
        if let Some(t) = srv.take_connection() {
            break t;
        }
        assert!(Instant::now() < end, "no TCP connection");
        std::thread::sleep(Duration::from_millis(1));
    };
    let mut s = WebSocketPeer::new();
    s.set_inbound_buffer_size(2 << 20).unwrap();
    s.set_outbound_buffer_size(2 << 20).unwrap();
    s.accept_stream(Box::new(TlsWsStream::server(tcp, server).unwrap()))
        .unwrap();
    (c, s)
}

fn recv(c: &mut WebSocketPeer, other: &mut WebSocketPeer) -> (Vec<u8>, bool) {
    pump(&mut [c, other], "a message", |p| {
        p[0].get_available_packet_count() > 0
    });
    let d = c.get_packet().unwrap().to_vec();
    (d, c.was_string_packet())
}

/// Open, text and binary both ways, 1 MiB each way (many TLS records), close with a code.
fn exchange_and_close(c: &mut WebSocketPeer, s: &mut WebSocketPeer) {
    pump(&mut [c, s], "open", |p| {
        p.iter().all(|p| p.get_ready_state() == State::Open)
    });
    assert_eq!(c.get_tls_status(), TlsStatus::Connected);
    assert_eq!(s.get_tls_status(), TlsStatus::Connected);
    assert!(
        s.get_requested_url().starts_with("wss://"),
        "{}",
        s.get_requested_url()
    );
    assert_eq!(s.get_connected_host(), "127.0.0.1");
    assert!(c.get_connected_port() > 0);
    c.send_text("héllo ✓").unwrap();
    assert_eq!(recv(s, c), ("héllo ✓".as_bytes().to_vec(), true));
    s.put_packet(&[1, 2, 3]).unwrap();
    assert_eq!(recv(c, s), (vec![1, 2, 3], false));
    let big: Vec<u8> = (0..1u32 << 20).map(|i| (i * 7 + i / 251) as u8).collect();
    c.send(&big, WriteMode::Binary).unwrap();
    assert_eq!(recv(s, c).0, big);
    s.send(&big, WriteMode::Binary).unwrap();
    assert_eq!(recv(c, s).0, big);
    c.close(4000, "bye over tls").unwrap();
    pump(&mut [c, s], "closed", |p| {
        p.iter().all(|p| p.get_ready_state() == State::Closed)
    });
    for p in [&*c, &*s] {
        assert_eq!(
            (p.get_close_code(), p.get_close_reason()),
            (4000, "bye over tls")
        );
        assert_eq!(p.get_tls_status(), TlsStatus::Disconnected);
        assert_eq!(p.get_last_error_text(), "");
    }
}

#[test]
fn ours_to_ours_trusted_chain_rsa_and_ec() {
    let dir = temp_dir();
    for ec in [false, true] {
        let cert = make_cert(&dir, "srv", "localhost", ec);
        // The certificate's name checked against an override (the URL holds an IP address) …
        let opts = TlsOptions::client(Some(cert.cert.clone()), "localhost");
        let (mut c, mut s) = connect("/game?x=1", "127.0.0.1", Some(&opts), &server_opts(&cert));
        exchange_and_close(&mut c, &mut s);
        assert!(s.get_requested_url().ends_with("/game?x=1"));
    }
    // … and against the URL's host itself (resolved; sent as SNI).
    let cert = make_cert(&dir, "srv", "localhost", true);
    let opts = TlsOptions::client(Some(cert.cert.clone()), "");
    let (mut c, mut s) = connect("/", "localhost", Some(&opts), &server_opts(&cert));
    exchange_and_close(&mut c, &mut s);
}

#[test]
fn pinning_instead_of_a_chain() {
    let dir = temp_dir();
    let cert = make_cert(&dir, "srv", "localhost", true);
    let fp = cert.cert.sha256_fingerprint().unwrap();
    let pinned = TlsOptions::client_unsafe(None).with_pinned_sha256(&[fp]);
    let (mut c, mut s) = connect("/", "127.0.0.1", Some(&pinned), &server_opts(&cert));
    exchange_and_close(&mut c, &mut s);

    // Another certificate's pin: the handshake fails, and the client says why.
    let other = make_cert(&dir, "other", "localhost", true);
    let wrong = TlsOptions::client_unsafe(None)
        .with_pinned_sha256(&[other.cert.sha256_fingerprint().unwrap()]);
    let (mut c, mut s) = connect("/", "127.0.0.1", Some(&wrong), &server_opts(&cert));
    pump(&mut [&mut c, &mut s], "pin refused", |p| {
        p[0].get_ready_state() == State::Closed
    });
    assert_eq!(c.get_close_code(), -1);
    assert_eq!(c.get_tls_status(), TlsStatus::Error);
    assert!(
        c.get_last_error_text().starts_with("TLS: "),
        "{}",
        c.get_last_error_text()
    );
}

#[test]
fn hostname_mismatch_is_a_clear_state_with_the_reason() {
    let dir = temp_dir();
    let cert = make_cert(&dir, "srv", "other.example", true);
    let opts = TlsOptions::client(Some(cert.cert.clone()), "");
    let (mut c, mut s) = connect("/", "localhost", Some(&opts), &server_opts(&cert));
    pump(&mut [&mut c, &mut s], "mismatch", |p| {
        p[0].get_ready_state() == State::Closed
    });
    assert_eq!(c.get_close_code(), -1);
    assert_eq!(c.get_tls_status(), TlsStatus::ErrorHostnameMismatch);
    let why = c.get_last_error_text();
    assert!(why.contains("hostname mismatch"), "{why}");
    // The server side never opens: its TLS handshake fails (the client's alert) or the socket ends.
    pump(&mut [&mut s], "server gives up", |p| {
        p[0].get_ready_state() == State::Closed
    });
    assert_ne!(s.get_tls_status(), TlsStatus::Connected);
    // A new connect clears the failure.
    let mut srv = TcpServer::new();
    srv.listen(0, "127.0.0.1").unwrap();
    c.connect_to_url(&format!("ws://127.0.0.1:{}", srv.get_local_port()))
        .unwrap();
    assert_eq!(c.get_tls_status(), TlsStatus::Disconnected);
    assert_eq!(c.get_last_error_text(), "");
}

#[test]
fn untrusted_certificate_fails_with_the_default_options() {
    let dir = temp_dir();
    let cert = make_cert(&dir, "srv", "localhost", true);
    // None = TLSOptions.client(): the system CAs, which do not hold our self-signed certificate.
    let (mut c, mut s) = connect("/", "localhost", None, &server_opts(&cert));
    pump(&mut [&mut c, &mut s], "untrusted", |p| {
        p[0].get_ready_state() == State::Closed
    });
    assert_eq!(c.get_tls_status(), TlsStatus::Error);
    let why = c.get_last_error_text();
    assert!(why.contains("certificate verify result"), "{why}");
    assert_eq!(c.get_close_code(), -1);
}

#[test]
fn option_kinds_are_checked() {
    let dir = temp_dir();
    let cert = make_cert(&dir, "srv", "localhost", true);
    let so = server_opts(&cert);
    let co = TlsOptions::client(Some(cert.cert.clone()), "");
    let mut c = WebSocketPeer::new();
    assert_eq!(
        c.connect_to_url_tls("wss://127.0.0.1:1/", Some(&so)),
        Err(Error::InvalidParameter)
    );
    assert_eq!(c.get_ready_state(), State::Closed);
    let mut m = WebSocketMultiplayerPeer::new();
    assert_eq!(
        m.create_server_tls(0, "127.0.0.1", Some(&co)),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        m.create_client_tls("wss://127.0.0.1:1", Some(&so)),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        m.get_connection_status(),
        Ok(ConnectionStatus::Disconnected)
    );
    let tcp = packetpeer::net::tcp::StreamPeerTcp::new();
    assert!(TlsWsStream::server(tcp, &co).is_err());
}

fn mp_pump(
    all: &mut [&mut WebSocketMultiplayerPeer],
    what: &str,
    mut done: impl FnMut(&mut [&mut WebSocketMultiplayerPeer]) -> bool,
) {
    let end = Instant::now() + LIMIT;
    loop {
        for p in all.iter_mut() {
            let _ = MultiplayerPeer::poll(&mut **p);
        }
        if done(all) {
            return;
        }
        assert!(Instant::now() < end, "timed out: {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn multiplayer_over_wss_server_and_two_clients() {
    let dir = temp_dir();
    let cert = make_cert(&dir, "srv", "localhost", true);
    let mut s = WebSocketMultiplayerPeer::new();
    s.set_handshake_timeout(10.0).unwrap();
    s.create_server_tls(0, "127.0.0.1", Some(&server_opts(&cert)))
        .unwrap();
    let url = format!("wss://127.0.0.1:{}", s.get_local_port());
    let opts = TlsOptions::client(Some(cert.cert.clone()), "localhost");
    let mut a = WebSocketMultiplayerPeer::new();
    let mut b = WebSocketMultiplayerPeer::new();
    for c in [&mut a, &mut b] {
        c.set_handshake_timeout(10.0).unwrap();
        c.create_client_tls(&url, Some(&opts)).unwrap();
    }
    // A third client with the default options (system CAs) never gets in.
    let mut untrusted = WebSocketMultiplayerPeer::new();
    untrusted.create_client(&url).unwrap();
    mp_pump(
        &mut [&mut s, &mut a, &mut b, &mut untrusted],
        "both connected, the untrusted one dropped",
        |p| {
            p[1].get_connection_status() == Ok(ConnectionStatus::Connected)
                && p[2].get_connection_status() == Ok(ConnectionStatus::Connected)
                && p[3].get_connection_status() == Ok(ConnectionStatus::Disconnected)
        },
    );
    let why = untrusted.get_last_error_text();
    assert!(why.contains("certificate verify result"), "{why}");
    assert_eq!(a.get_last_error_text(), "");
    let (ia, ib) = (a.get_unique_id().unwrap(), b.get_unique_id().unwrap());
    assert!(ia >= 2 && ib >= 2 && ia != ib);
    let mut seen: Vec<i32> = std::iter::from_fn(|| s.pop_event())
        .map(|e| match e {
            MultiplayerEvent::PeerConnected(id) => id,
            other => panic!("{other:?}"),
        })
        .collect();
    seen.sort();
    let mut want = vec![ia, ib];
    want.sort();
    assert_eq!(seen, want);
    // Each connection's WebSocketPeer, shared: TLS is up on both ends.
    for id in [ia, ib] {
        let p = s.get_peer(id).unwrap();
        let g = p.lock().unwrap();
        assert_eq!(g.get_tls_status(), TlsStatus::Connected);
        assert!(g.get_requested_url().starts_with("wss://"));
    }
    assert_eq!(
        a.get_peer(1).unwrap().lock().unwrap().get_tls_status(),
        TlsStatus::Connected
    );
    assert!(s.get_peer(12345).is_none());
    // Targets: server → a, broadcast; clients → server.
    s.set_target_peer(ia).unwrap();
    s.put_packet(b"to-a").unwrap();
    s.set_target_peer(0).unwrap();
    s.put_packet(b"all").unwrap();
    a.put_packet(b"from-a").unwrap();
    b.put_packet(b"from-b").unwrap();
    mp_pump(&mut [&mut s, &mut a, &mut b], "packets", |p| {
        p[0].get_available_packet_count() == 2
            && p[1].get_available_packet_count() == 2
            && p[2].get_available_packet_count() == 1
    });
    let mut got = Vec::new();
    while s.get_available_packet_count() > 0 {
        let from = s.get_packet_peer();
        got.push((from, s.get_packet().unwrap().to_vec()));
    }
    got.sort();
    let mut want = vec![(ia, b"from-a".to_vec()), (ib, b"from-b".to_vec())];
    want.sort();
    assert_eq!(got, want);
    assert_eq!(a.get_packet().unwrap(), b"to-a");
    assert_eq!(a.get_packet().unwrap(), b"all");
    assert_eq!(b.get_packet().unwrap(), b"all");
    // A client leaves: the server sees it go.
    a.close().unwrap();
    mp_pump(&mut [&mut s, &mut b], "a gone", |p| {
        p[0].get_peer(ia).is_none()
    });
    assert_eq!(s.pop_event(), Some(MultiplayerEvent::PeerDisconnected(ia)));
    // Closing the server closes b's connection even though we still hold its WebSocketPeer.
    let pb = s.get_peer(ib).unwrap();
    s.close().unwrap();
    assert_eq!(pb.lock().unwrap().get_ready_state(), State::Closed);
    mp_pump(&mut [&mut b], "b sees the server go", |p| {
        p[0].get_connection_status() == Ok(ConnectionStatus::Disconnected)
    });
    let evs: Vec<_> = std::iter::from_fn(|| b.pop_event()).collect();
    assert_eq!(
        evs,
        [
            MultiplayerEvent::PeerConnected(1),
            MultiplayerEvent::PeerDisconnected(1)
        ]
    );
}

#[test]
fn hostile_clients_of_a_wss_server_are_dropped_and_it_keeps_serving() {
    use std::io::Write;
    let dir = temp_dir();
    let cert = make_cert(&dir, "srv", "localhost", true);
    let mut s = WebSocketMultiplayerPeer::new();
    s.set_handshake_timeout(1.0).unwrap();
    s.create_server_tls(0, "127.0.0.1", Some(&server_opts(&cert)))
        .unwrap();
    let port = s.get_local_port();
    // Garbage instead of a ClientHello, plain-text WebSocket to a TLS port, a truncated
    // ClientHello, and silence; 8 of each, in batches of 8 (the listen backlog).
    let payloads: [&[u8]; 4] = [
        &[0xAB; 300],
        b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n",
        &[
            0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03,
        ],
        b"",
    ];
    let mut socks = Vec::new();
    for p in payloads {
        for _ in 0..8 {
            let mut t = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
            let _ = t.write_all(p);
            socks.push(t);
        }
        // Accepted in these polls (garbage and plain text fail their TLS handshake at once, the
        // others wait).
        let batch_end = Instant::now() + Duration::from_millis(100);
        while Instant::now() < batch_end {
            MultiplayerPeer::poll(&mut s).unwrap();
            assert!(s.get_pending_count() <= 16 && s.peer_ids().is_empty());
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    // All are gone once the handshake timeout passed; none ever became a peer.
    mp_pump(&mut [&mut s], "all dropped", |p| {
        p[0].get_pending_count() == 0
    });
    assert!(s.peer_ids().is_empty());
    assert!(s.pop_event().is_none());
    drop(socks);
    // A real client still gets in.
    let mut c = WebSocketMultiplayerPeer::new();
    let opts = TlsOptions::client(Some(cert.cert.clone()), "localhost");
    c.create_client_tls(&format!("wss://127.0.0.1:{port}"), Some(&opts))
        .unwrap();
    mp_pump(&mut [&mut s, &mut c], "client in", |p| {
        p[1].get_connection_status() == Ok(ConnectionStatus::Connected)
    });
}
