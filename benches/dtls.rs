//! DTLS benchmark, in one run: PacketPeerDTLS put+get pairs per CPU-second (64 B and 1200 B) against
//! the same OpenSSL DTLS 1.2 session driven directly from C on the same kind of sockets
//! (bench_c/dtls_bench.c: two connected non-blocking loopback UDP sockets, ECDSA P-256 certificate),
//! and DTLSServer handshakes per CPU-second with the cookie round (UDPServer + DTLSServer + client in
//! this process, both ends counted). Ours and the baseline alternate round by round (5 rounds); every
//! round is printed, then the medians.
//! Run: `cargo bench --bench dtls` (needs a C compiler and libssl-dev for the C side).

use std::process::Command;
use std::time::Instant;

use openssl::ec::{EcGroup, EcKey};
use openssl::nid::Nid;
use openssl::pkey::PKey;
use packetpeer::net::udp::PacketPeerUdp;
use packetpeer::net::udp_server::UdpServer;
use packetpeer::peer::PacketPeer;
use packetpeer::sync::shared;
use packetpeer::tls::dtls::transport_id;
use packetpeer::tls::{
    generate_self_signed_certificate, CryptoKey, DtlsServer, PacketPeerDtls, TlsOptions, TlsStatus,
};
use packetpeer::Error;

fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_PROCESS_CPUTIME_ID is always available on
    // Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

fn options() -> (TlsOptions, TlsOptions) {
    let g = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    let key = CryptoKey::Private(PKey::from_ec_key(EcKey::generate(&g).unwrap()).unwrap());
    let cert =
        generate_self_signed_certificate(&key, "CN=localhost", "20200101000000", "20400101000000")
            .unwrap();
    (
        TlsOptions::server(key, cert.clone()).unwrap(),
        TlsOptions::client(Some(cert), ""),
    )
}

/// A connected pair on two connected loopback UDP sockets (the C baseline's topology).
fn pair(so: &TlsOptions, co: &TlsOptions) -> (PacketPeerDtls, PacketPeerDtls) {
    let mut a = PacketPeerUdp::new();
    let mut b = PacketPeerUdp::new();
    a.bind(0, "127.0.0.1", 1 << 20).unwrap();
    b.bind(0, "127.0.0.1", 1 << 20).unwrap();
    a.connect_to_host("127.0.0.1", b.get_local_port() as i32)
        .unwrap();
    b.connect_to_host("127.0.0.1", a.get_local_port() as i32)
        .unwrap();
    b.set_blocking_mode(false);
    let cport = a.get_local_port();
    let (a, b) = (shared(a), shared(b));
    let mut server = DtlsServer::new();
    server.setup(so).unwrap();
    let mut cli = PacketPeerDtls::new();
    cli.connect_to_peer(a, "localhost", Some(co)).unwrap();
    let id = transport_id("127.0.0.1".parse().unwrap(), cport);
    let mut srv: Option<PacketPeerDtls> = None;
    let t0 = Instant::now();
    while !(cli.get_status() == TlsStatus::Connected
        && srv
            .as_ref()
            .is_some_and(|s| s.get_status() == TlsStatus::Connected))
    {
        assert!(t0.elapsed().as_secs() < 20, "handshake");
        cli.poll();
        match srv.as_mut() {
            Some(s) => s.poll(),
            None => {
                if b.lock().unwrap().get_available_packet_count() > 0 {
                    let p = server.accept_over(Box::new(b.clone()), id).unwrap();
                    if p.get_status() == TlsStatus::Handshaking {
                        srv = Some(p);
                    }
                }
            }
        }
    }
    (cli, srv.unwrap())
}

fn ours(size: usize, n: usize, so: &TlsOptions, co: &TlsOptions) -> f64 {
    let (mut cli, mut srv) = pair(so, co);
    let buf = vec![0x5au8; size];
    let c0 = cpu_seconds();
    for _ in 0..n {
        cli.put_packet(&buf).unwrap();
        loop {
            match srv.get_packet() {
                Ok(_) => break,
                Err(Error::Unavailable) => {}
                Err(e) => panic!("{e:?}"),
            }
        }
    }
    n as f64 / (cpu_seconds() - c0)
}

/// Handshakes per CPU-second through UDPServer + DTLSServer with the cookie round (Godot's pattern).
fn handshakes(m: usize, so: &TlsOptions, co: &TlsOptions) -> (f64, f64) {
    let mut us = UdpServer::new();
    us.listen(0, "127.0.0.1").unwrap();
    let port = us.get_local_port() as i32;
    let mut server = DtlsServer::new();
    server.setup(so).unwrap();
    let (c0, t0) = (cpu_seconds(), Instant::now());
    for _ in 0..m {
        let mut u = PacketPeerUdp::new();
        u.connect_to_host("127.0.0.1", port).unwrap();
        let mut cli = PacketPeerDtls::new();
        cli.connect_to_peer(shared(u), "localhost", Some(co))
            .unwrap();
        let mut srv: Option<PacketPeerDtls> = None;
        while !(cli.get_status() == TlsStatus::Connected
            && srv
                .as_ref()
                .is_some_and(|s| s.get_status() == TlsStatus::Connected))
        {
            assert!(t0.elapsed().as_secs() < 120, "handshakes");
            cli.poll();
            us.poll().unwrap();
            while let Some(p) = us.take_connection() {
                let d = server.take_connection(p).unwrap();
                if d.get_status() == TlsStatus::Handshaking {
                    srv = Some(d);
                }
            }
            if let Some(s) = srv.as_mut() {
                s.poll();
            }
        }
    }
    (
        m as f64 / (cpu_seconds() - c0),
        m as f64 / t0.elapsed().as_secs_f64(),
    )
}

fn c_figures() -> Option<Vec<(String, f64)>> {
    let dir = std::env::temp_dir().join(format!("packetpeer-dtls-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let bin = dir.join("dtls_bench");
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/bench_c/dtls_bench.c");
    let ok = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .args(["-O2", "-o"])
        .arg(&bin)
        .arg(src)
        .args(["-lssl", "-lcrypto"])
        .status()
        .ok()?
        .success();
    if !ok {
        return None;
    }
    let out = Command::new(&bin).output().ok()?;
    let _ = std::fs::remove_dir_all(&dir);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    Some(
        text.lines()
            .filter_map(|l| {
                let mut it = l.split_whitespace();
                Some((it.next()?.to_string(), it.next()?.parse().ok()?))
            })
            .collect(),
    )
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --all-targets` does not: then only a smoke run.
    if !std::env::args().any(|a| a == "--bench") {
        println!("dtls bench: run with `cargo bench --bench dtls`");
        return;
    }
    let (so, co) = options();
    // Profiling hook (callgrind): `PP_DTLS_BENCH_ONLY=<size> PP_DTLS_BENCH_N=<pairs>` runs only our
    // put+get loop at that size and prints its figure.
    if let Ok(size) = std::env::var("PP_DTLS_BENCH_ONLY") {
        let size: usize = size.parse().expect("PP_DTLS_BENCH_ONLY: a payload size");
        let n = std::env::var("PP_DTLS_BENCH_N")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20_000);
        println!("pairs_per_cpu_s_{size} {:.0}", ours(size, n, &so, &co));
        return;
    }
    let n = 200_000;
    // The machine is shared: alternate ours and the C baseline round by round (5 rounds, or
    // PP_DTLS_BENCH_ROUNDS), print every round, then the medians.
    let rounds = std::env::var("PP_DTLS_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let mut rows: Vec<(String, Vec<f64>, Vec<f64>)> = vec![
        ("pairs_per_cpu_s_64".into(), vec![], vec![]),
        ("pairs_per_cpu_s_1200".into(), vec![], vec![]),
    ];
    for round in 1..=rounds {
        rows[0].1.push(ours(64, n, &so, &co));
        rows[1].1.push(ours(1200, n, &so, &co));
        if let Some(c) = c_figures() {
            for (name, v) in c {
                if let Some(r) = rows.iter_mut().find(|r| name == format!("c_{}", r.0)) {
                    r.2.push(v);
                }
            }
        }
        for (name, o, c) in &rows {
            let (o, c) = (o.last().copied(), c.last().copied());
            let (o, c) = (o.unwrap_or(f64::NAN), c.unwrap_or(f64::NAN));
            println!(
                "round {round} {name:<24} {o:>10.0} {c:>10.0} {:>6.3}",
                o / c
            );
        }
    }
    let median = |mut v: Vec<f64>| -> f64 {
        if v.is_empty() {
            return f64::NAN;
        }
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    println!(
        "{:<24} {:>14} {:>14} {:>8}",
        "figure", "packetpeer", "C OpenSSL", "ratio"
    );
    for (name, o, c) in rows {
        let ratios: Vec<f64> = o.iter().zip(&c).map(|(o, c)| o / c).collect();
        let (o, c) = (median(o), median(c));
        println!(
            "{name:<24} {o:>14.0} {c:>14.0} {:>8.2}  (median of the round ratios {:.2})",
            o / c,
            median(ratios)
        );
    }
    let (hc, hw) = handshakes(200, &so, &co);
    println!("dtls_server_handshakes (cookie round, both ends in-process): {hc:.0} per CPU-s, {hw:.0} per wall-s");
}
