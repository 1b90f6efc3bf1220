//! The CA bundle override by path (the engine's `network/tls/certificate_bundle_override`), in a
//! process of its own (the override is process-wide): `client` options without a trusted chain
//! verify against the file's certificates; errors leave the override as it was; an empty path goes
//! back to the system bundle.
mod tls_util;

use std::path::Path;
use std::time::{Duration, Instant};

use packetpeer::net::udp::PacketPeerUdp;
use packetpeer::net::udp_server::UdpServer;
use packetpeer::sync::shared;
use packetpeer::tls::{
    set_certificate_bundle_override_path, DtlsServer, PacketPeerDtls, TlsOptions, TlsStatus,
};
use packetpeer::Error;
use tls_util::*;

/// A DTLS handshake of a `client(None, "")` peer against our server with `c`; the client's status.
fn handshake_with_default_bundle(c: &Cert) -> (TlsStatus, String) {
    let mut us = UdpServer::new();
    us.listen(0, "127.0.0.1").unwrap();
    let mut ds = DtlsServer::new();
    ds.setup(&TlsOptions::server(c.key.clone(), c.cert.clone()).unwrap())
        .unwrap();
    let mut u = PacketPeerUdp::new();
    u.connect_to_host("127.0.0.1", us.get_local_port() as i32)
        .unwrap();
    let mut cli = PacketPeerDtls::new();
    cli.connect_to_peer(shared(u), "localhost", Some(&TlsOptions::client(None, "")))
        .unwrap();
    let mut srv: Vec<PacketPeerDtls> = Vec::new();
    let end = Instant::now() + LIMIT;
    while cli.get_status() == TlsStatus::Handshaking {
        assert!(Instant::now() < end, "handshake did not finish");
        us.poll().unwrap();
        while let Some(p) = us.take_connection() {
            let d = ds.take_connection(p).unwrap();
            if d.get_status() == TlsStatus::Handshaking {
                srv.push(d);
            }
        }
        for s in &mut srv {
            s.poll();
        }
        cli.poll();
        std::thread::sleep(Duration::from_millis(1));
    }
    (cli.get_status(), cli.get_last_error_text().to_owned())
}

#[test]
fn bundle_override_by_path() {
    let dir = temp_dir();
    let c = make_cert(&dir, "srv", "localhost", true);
    let other = make_cert(&dir, "other", "other.example", true);
    // The system bundle does not know our self-signed certificate.
    let (st, why) = handshake_with_default_bundle(&c);
    assert_eq!(st, TlsStatus::Error, "{why}");
    // A bundle file holding another certificate and ours (a chain file: PEM concatenation).
    let bundle = dir.join("bundle.pem");
    let mut pem = other.cert.to_pem().unwrap();
    pem.push_str(&c.cert.to_pem().unwrap());
    std::fs::write(&bundle, &pem).unwrap();
    set_certificate_bundle_override_path(Some(&bundle)).unwrap();
    let (st, why) = handshake_with_default_bundle(&c);
    assert_eq!(st, TlsStatus::Connected, "{why}");
    // The file is read once: removing it changes nothing.
    std::fs::remove_file(&bundle).unwrap();
    assert_eq!(handshake_with_default_bundle(&c).0, TlsStatus::Connected);
    // Errors: the override stays as it was.
    let e = set_certificate_bundle_override_path(Some(&bundle)).unwrap_err();
    assert_eq!(e.code, Error::FileNotFound, "{}", e.text);
    assert!(e.text.contains("bundle.pem"), "{}", e.text);
    let e = set_certificate_bundle_override_path(Some(&dir)).unwrap_err();
    assert_eq!(e.code, Error::FileCantRead, "{}", e.text);
    let junk = dir.join("junk.pem");
    std::fs::write(&junk, b"not a certificate\n").unwrap();
    let e = set_certificate_bundle_override_path(Some(&junk)).unwrap_err();
    assert_eq!(e.code, Error::InvalidData, "{}", e.text);
    assert_eq!(handshake_with_default_bundle(&c).0, TlsStatus::Connected);
    // A bundle without our certificate: verification fails again.
    let only_other = dir.join("other-only.pem");
    std::fs::write(&only_other, other.cert.to_pem().unwrap()).unwrap();
    set_certificate_bundle_override_path(Some(&only_other)).unwrap();
    let (st, why) = handshake_with_default_bundle(&c);
    assert_eq!(st, TlsStatus::Error);
    assert!(why.contains("certificate verify failed"), "{why}");
    // An empty path (or None) goes back to the system bundle.
    set_certificate_bundle_override_path(Some(Path::new(""))).unwrap();
    assert_eq!(handshake_with_default_bundle(&c).0, TlsStatus::Error);
    set_certificate_bundle_override_path(None).unwrap();
    assert_eq!(handshake_with_default_bundle(&c).0, TlsStatus::Error);
}
