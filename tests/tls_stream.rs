//! StreamPeerTLS against real peers on loopback: Python's `ssl` module and `openssl s_server` /
//! `s_client`, TLS 1.2 and 1.3, RSA and ECDSA certificates; data both ways, close_notify both ways,
//! hostname mismatch, untrusted certificates, SHA-256 pinning; PacketPeerStream over TLS.
mod tls_util;

use std::time::Instant;

use packetpeer::net::tcp::{StreamPeerTcp, TcpStatus};
use packetpeer::net::tcp_server::TcpServer;
use packetpeer::peer::{PacketPeer, PacketPeerStream, StreamPeer};
use packetpeer::sync::{shared, Shared};
use packetpeer::tls::{StreamPeerTls, TlsOptions, TlsStatus};
use packetpeer::variant::Variant;
use tls_util::*;

type Tcp = Shared<StreamPeerTcp>;
type Tls = StreamPeerTls<StreamPeerTcp>;

fn tcp_connect(port: i32) -> Tcp {
    let mut t = StreamPeerTcp::new();
    t.connect_to_host("127.0.0.1", port).unwrap();
    until("TCP connect", || {
        t.poll().unwrap();
        t.get_status() == TcpStatus::Connected
    });
    shared(t)
}

/// Polls until the status leaves HANDSHAKING; returns it.
fn handshake(tls: &mut Tls, mut tick: impl FnMut()) -> TlsStatus {
    let end = Instant::now() + LIMIT;
    while tls.get_status() == TlsStatus::Handshaking {
        assert!(Instant::now() < end, "handshake did not finish");
        tls.poll();
        tick();
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    tls.get_status()
}

fn client(port: i32, host: &str, opts: &TlsOptions) -> (Tls, TlsStatus) {
    let mut tls = Tls::new();
    let _ = tls.connect_to_stream(tcp_connect(port), host, Some(opts));
    let st = handshake(&mut tls, || {});
    (tls, st)
}

/// Reads one `\n`-terminated line (bounded wait).
fn read_line(tls: &mut Tls, mut tick: impl FnMut()) -> String {
    let mut line = Vec::new();
    let end = Instant::now() + LIMIT;
    loop {
        let mut b = [0u8; 1];
        match tls.get_partial_data(&mut b) {
            Ok(1) if b[0] == b'\n' => return String::from_utf8(line).unwrap(),
            Ok(1) => line.push(b[0]),
            Ok(_) => {
                assert!(
                    Instant::now() < end,
                    "no line; status {:?}",
                    tls.get_status()
                );
                tls.poll();
                tick();
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            Err(e) => panic!("read failed: {e:?} ({})", tls.get_last_error_text()),
        }
    }
}

fn python_server(cert: &Cert, version: &str) -> (Proc, i32) {
    need("python3");
    let script = format!("{}/tests/python/tls_peer.py", env!("CARGO_MANIFEST_DIR"));
    let mut p = Proc::spawn(
        "python3",
        &[
            &script,
            "server",
            cert.cert_path.to_str().unwrap(),
            cert.key_path.to_str().unwrap(),
            version,
        ],
    );
    let port = p.port();
    (p, port)
}

#[test]
fn client_against_python_tls12_and_tls13_data_and_peer_close_notify() {
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", false);
    for version in ["1.2", "1.3"] {
        let (mut py, port) = python_server(&c, version);
        let (mut tls, st) = client(
            port,
            "localhost",
            &TlsOptions::client(Some(c.cert.clone()), ""),
        );
        assert_eq!(st, TlsStatus::Connected, "{}", tls.get_last_error_text());
        tls.put_data(b"hello\n").unwrap();
        assert_eq!(read_line(&mut tls, || {}), "echo:hello");
        py.wait_for(&format!("VERSION TLSv{version}"), || {});
        // The peer's close_notify: answered, status DISCONNECTED, Python's unwrap() completes.
        tls.put_data(b"BYE\n").unwrap();
        assert_eq!(read_line(&mut tls, || {}), "bye");
        until("DISCONNECTED", || {
            tls.poll();
            tls.get_status() == TlsStatus::Disconnected
        });
        py.wait_for("UNWRAPPED", || {});
        assert!(py.wait_exit(|| {}).success());
        assert_eq!(tls.put_data(b"x"), Err(packetpeer::Error::Unconfigured));
        assert_eq!(tls.stats().handshakes_completed, 1);
    }
}

#[test]
fn our_close_notify_reaches_python() {
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", true);
    let (mut py, port) = python_server(&c, "1.3");
    let (mut tls, st) = client(
        port,
        "localhost",
        &TlsOptions::client(Some(c.cert.clone()), ""),
    );
    assert_eq!(st, TlsStatus::Connected, "{}", tls.get_last_error_text());
    tls.put_data(b"one\n").unwrap();
    assert_eq!(read_line(&mut tls, || {}), "echo:one");
    tls.disconnect_from_stream();
    assert_eq!(tls.get_status(), TlsStatus::Disconnected);
    py.wait_for("PEER CLOSE_NOTIFY", || {});
    assert!(py.wait_exit(|| {}).success());
}

fn listen() -> (TcpServer, i32) {
    let mut srv = TcpServer::new();
    srv.listen(0, "127.0.0.1").unwrap();
    let port = srv.get_local_port() as i32;
    (srv, port)
}

fn accept(srv: &mut TcpServer, mut tick: impl FnMut()) -> Tcp {
    let end = Instant::now() + LIMIT;
    loop {
        if let Some(t) = srv.take_connection() {
            return shared(t);
        }
        assert!(Instant::now() < end, "no connection");
        tick();
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

#[test]
fn python_client_against_our_server() {
    need("python3");
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", false);
    let opts = TlsOptions::server(c.key.clone(), c.cert.clone()).unwrap();
    let (mut srv, port) = listen();
    let script = format!("{}/tests/python/tls_peer.py", env!("CARGO_MANIFEST_DIR"));
    let mut py = Proc::spawn(
        "python3",
        &[
            &script,
            "client",
            c.cert_path.to_str().unwrap(),
            "localhost",
            &port.to_string(),
        ],
    );
    let mut tls = Tls::new();
    tls.accept_stream(accept(&mut srv, || {}), &opts).unwrap();
    assert_eq!(
        handshake(&mut tls, || {}),
        TlsStatus::Connected,
        "{}",
        tls.get_last_error_text()
    );
    assert_eq!(read_line(&mut tls, || {}), "ping");
    tls.put_data(b"pong\n").unwrap();
    py.wait_for("GOT pong", || {});
    tls.disconnect_from_stream();
    py.wait_for("PEER CLOSE_NOTIFY", || {});
    assert!(py.wait_exit(|| {}).success());
}

#[test]
fn openssl_s_client_against_our_server_tls12_and_tls13() {
    need("openssl");
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", true);
    let opts = TlsOptions::server(c.key.clone(), c.cert.clone()).unwrap();
    for v in ["-tls1_2", "-tls1_3"] {
        let (mut srv, port) = listen();
        let connect = format!("127.0.0.1:{port}");
        let mut sc = Proc::spawn(
            "openssl",
            &[
                "s_client",
                v,
                "-connect",
                &connect,
                "-CAfile",
                c.cert_path.to_str().unwrap(),
                "-verify_hostname",
                "localhost",
                "-verify_return_error",
                "-no_ign_eof",
            ],
        );
        let mut tls = Tls::new();
        tls.accept_stream(accept(&mut srv, || {}), &opts).unwrap();
        assert_eq!(
            handshake(&mut tls, || {}),
            TlsStatus::Connected,
            "{}",
            tls.get_last_error_text()
        );
        tls.put_data(b"hello from packetpeer\n").unwrap();
        sc.wait_for("hello from packetpeer", || tls.poll());
        assert!(sc.saw("Verify return code: 0 (ok)"));
        sc.send("hello from s_client\n");
        assert_eq!(read_line(&mut tls, || {}), "hello from s_client");
        // s_client sends close_notify at the end of its input.
        sc.close_stdin();
        until("DISCONNECTED after the peer's close_notify", || {
            tls.poll();
            tls.get_status() == TlsStatus::Disconnected
        });
        assert!(
            tls.get_last_error_text().contains("close_notify"),
            "{}",
            tls.get_last_error_text()
        );
        assert!(sc.wait_exit(|| {}).success());
    }
}

fn s_server(c: &Cert, extra: &[&str]) -> (Proc, i32) {
    need("openssl");
    let mut args = vec![
        "s_server",
        "-accept",
        "127.0.0.1:0",
        "-cert",
        c.cert_path.to_str().unwrap(),
        "-key",
        c.key_path.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let mut p = Proc::spawn("openssl", &args);
    let port = p.port();
    (p, port)
}

#[test]
fn our_client_against_openssl_s_server_tls12_and_tls13() {
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", false);
    for v in ["-tls1_2", "-tls1_3"] {
        let (mut ss, port) = s_server(&c, &[v, "-naccept", "1"]);
        let (mut tls, st) = client(
            port,
            "localhost",
            &TlsOptions::client(Some(c.cert.clone()), ""),
        );
        assert_eq!(st, TlsStatus::Connected, "{}", tls.get_last_error_text());
        tls.put_data(b"from packetpeer\n").unwrap();
        ss.wait_for("from packetpeer", || tls.poll());
        ss.send("from s_server\n");
        assert_eq!(read_line(&mut tls, || {}), "from s_server");
        // Our close_notify: s_server reads it as the end of the connection (DONE), no EOF error.
        tls.disconnect_from_stream();
        ss.wait_for("DONE", || {});
        ss.wait_exit(|| {});
        assert!(!ss.saw_err("unexpected eof"), "{:?}", ss.err_seen);
    }
}

#[test]
fn hostname_mismatch_untrusted_and_pinning_against_s_server() {
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", false);
    let other = make_cert(&dir, "other", "localhost", true);
    let (_ss, port) = s_server(&c, &[]);
    let fp = c.cert.sha256_fingerprint().unwrap();
    let wrong_fp = other.cert.sha256_fingerprint().unwrap();

    // Wrong name, trusted chain: ERROR_HOSTNAME_MISMATCH, and the reason says so.
    let (tls, st) = client(
        port,
        "wrong.example",
        &TlsOptions::client(Some(c.cert.clone()), ""),
    );
    assert_eq!(
        st,
        TlsStatus::ErrorHostnameMismatch,
        "{}",
        tls.get_last_error_text()
    );
    assert!(
        tls.get_last_error_text().contains("hostname mismatch"),
        "{}",
        tls.get_last_error_text()
    );
    // common_name_override replaces the connect call's name.
    let (_, st) = client(
        port,
        "wrong.example",
        &TlsOptions::client(Some(c.cert.clone()), "localhost"),
    );
    assert_eq!(st, TlsStatus::Connected);
    // Untrusted: another chain, and the system bundle (self-signed). ERROR, not a name mismatch.
    let (tls, st) = client(
        port,
        "localhost",
        &TlsOptions::client(Some(other.cert.clone()), ""),
    );
    assert_eq!(st, TlsStatus::Error);
    assert!(
        tls.get_last_error_text()
            .contains("certificate verify failed"),
        "{}",
        tls.get_last_error_text()
    );
    let (_, st) = client(port, "localhost", &TlsOptions::client(None, ""));
    assert_eq!(st, TlsStatus::Error);
    // client_unsafe without a chain verifies nothing.
    let (_, st) = client(port, "wrong.example", &TlsOptions::client_unsafe(None));
    assert_eq!(st, TlsStatus::Connected);
    // Pinning: the right fingerprint passes without any CA, a wrong one fails, the name still counts.
    let pinned = TlsOptions::client(None, "").with_pinned_sha256(&[fp]);
    let (_, st) = client(port, "localhost", &pinned);
    assert_eq!(st, TlsStatus::Connected);
    let (_, st) = client(port, "wrong.example", &pinned);
    assert_eq!(st, TlsStatus::ErrorHostnameMismatch);
    let (_, st) = client(
        port,
        "localhost",
        &TlsOptions::client_unsafe(None).with_pinned_sha256(&[fp]),
    );
    assert_eq!(st, TlsStatus::Connected);
    let (tls, st) = client(
        port,
        "localhost",
        &TlsOptions::client(None, "").with_pinned_sha256(&[wrong_fp]),
    );
    assert_eq!(st, TlsStatus::Error);
    assert_eq!(tls.stats().handshakes_failed, 1);
    let (_, st) = client(
        port,
        "localhost",
        &TlsOptions::client_unsafe(None).with_pinned_sha256(&[wrong_fp]),
    );
    assert_eq!(st, TlsStatus::Error);
    // TLS 1.3 switched off: still connects, over 1.2.
    let (_, st) = client(
        port,
        "localhost",
        &TlsOptions::client(Some(c.cert.clone()), "").with_tls13(false),
    );
    assert_eq!(st, TlsStatus::Connected);
}

#[test]
fn packet_peer_stream_and_put_var_over_tls() {
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", true);
    let opts = TlsOptions::server(c.key.clone(), c.cert.clone()).unwrap();
    let (mut srv, port) = listen();
    let mut cli = Tls::new();
    cli.connect_to_stream(
        tcp_connect(port),
        "localhost",
        Some(&TlsOptions::client(Some(c.cert.clone()), "")),
    )
    .unwrap();
    let mut s = Tls::new();
    s.accept_stream(accept(&mut srv, || cli.poll()), &opts)
        .unwrap();
    until("both connected", || {
        cli.poll();
        s.poll();
        cli.get_status() == TlsStatus::Connected && s.get_status() == TlsStatus::Connected
    });
    let cli = shared(cli);
    let s = shared(s);
    let mut a: PacketPeerStream<Tls> = PacketPeerStream::new();
    a.set_stream_peer(Some(cli.clone()));
    let mut b: PacketPeerStream<Tls> = PacketPeerStream::new();
    b.set_stream_peer(Some(s.clone()));
    let big = Variant::PackedByteArray(vec![7u8; 40_000]);
    for i in 0..20i64 {
        a.put_var(&Variant::Int(i), false).unwrap();
    }
    a.put_var(&big, false).unwrap();
    let mut got = Vec::new();
    until("21 packets", || {
        s.lock().unwrap().poll();
        while b.get_available_packet_count() > 0 {
            got.push(b.get_var(false).unwrap());
        }
        got.len() == 21
    });
    for (i, v) in got.iter().take(20).enumerate() {
        assert_eq!(*v, Variant::Int(i as i64));
    }
    assert_eq!(got[20], big);
}
