//! WebSocket throughput in messages per CPU-second, one run, three implementations on loopback:
//! packetpeer's WebSocketPeer (our client → our server, one thread, `poll` loop), a plain synchronous
//! tungstenite client → server (two threads, the client flushing every 64 messages), and Node's `ws`
//! client → server in one Node process (tests/ws/bench.js, if node and ws are installed); and our
//! client → server over wss (StreamPeerTLS, a self-signed RSA 2048 certificate made by the library,
//! TLS 1.3) beside our ws figure, to show what TLS costs.
//! CPU time is the whole process's (user + system), so every side of each pair is counted.
//!
//! Run: `cargo run --release` in this directory (bench/ws). `PP_TOOLS_DIR` as for the tests.
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use packetpeer::net::tcp_server::TcpServer;
use packetpeer::peer::PacketPeer;
use packetpeer::tls::{generate_rsa, generate_self_signed_certificate, TlsOptions};
use packetpeer::ws::{State, TlsWsStream, WebSocketPeer};

fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_PROCESS_CPUTIME_ID is supported on Linux.
    let r = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(r, 0, "clock_gettime");
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// (messages per CPU-second, messages per wall-second); over wss with `tls` = (server, client) options.
fn ours(size: usize, n: usize, tls: Option<&(TlsOptions, TlsOptions)>) -> (f64, f64) {
    let mut srv = TcpServer::new();
    srv.listen(0, "127.0.0.1").unwrap();
    let mut c = WebSocketPeer::new();
    let mut s = WebSocketPeer::new();
    for p in [&mut c, &mut s] {
        p.set_outbound_buffer_size(1 << 20).unwrap();
        p.set_inbound_buffer_size(1 << 20).unwrap();
    }
    let scheme = if tls.is_some() { "wss" } else { "ws" };
    c.connect_to_url_tls(
        &format!("{scheme}://127.0.0.1:{}", srv.get_local_port()),
        tls.map(|t| &t.1),
    )
    .unwrap();
    let tcp = loop {
        c.poll();
        if let Some(t) = srv.take_connection() {
            break t;
        }
    };
    match tls {
        None => s.accept_tcp(tcp).unwrap(),
        Some((so, _)) => s
            .accept_stream(Box::new(TlsWsStream::server(tcp, so).unwrap()))
            .unwrap(),
    }
    while c.get_ready_state() != State::Open || s.get_ready_state() != State::Open {
        c.poll();
        s.poll();
    }
    let msg = vec![0xA5u8; size];
    let (cpu0, wall0) = (cpu_seconds(), Instant::now());
    let (mut sent, mut got) = (0, 0);
    while got < n {
        while sent < n && c.put_packet(&msg).is_ok() {
            sent += 1;
        }
        c.poll();
        s.poll();
        while let Ok(p) = s.get_packet() {
            assert_eq!(p.len(), size);
            got += 1;
        }
    }
    let cpu = cpu_seconds() - cpu0;
    (n as f64 / cpu, n as f64 / wall0.elapsed().as_secs_f64())
}

fn tungstenite_pair(size: usize, n: usize) -> (f64, f64) {
    use tungstenite::Message;
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (t, _) = l.accept().unwrap();
        t.set_nodelay(true).unwrap();
        let mut ws = tungstenite::accept(t).unwrap();
        let mut got = 0;
        while got < n {
            match ws.read().unwrap() {
                Message::Binary(b) => {
                    assert_eq!(b.len(), size);
                    got += 1;
                }
                _ => {}
            }
        }
    });
    let t = TcpStream::connect(("127.0.0.1", port)).unwrap();
    t.set_nodelay(true).unwrap();
    let (mut ws, _) = tungstenite::client(format!("ws://127.0.0.1:{port}/"), t).unwrap();
    let msg = tungstenite::Bytes::from(vec![0xA5u8; size]);
    let (cpu0, wall0) = (cpu_seconds(), Instant::now());
    for i in 0..n {
        ws.write(Message::Binary(msg.clone())).unwrap();
        if i % 64 == 63 {
            ws.flush().unwrap();
        }
    }
    ws.flush().unwrap();
    server.join().unwrap();
    let cpu = cpu_seconds() - cpu0;
    (n as f64 / cpu, n as f64 / wall0.elapsed().as_secs_f64())
}

fn node_pair(size: usize, n: usize) -> Option<(f64, f64)> {
    let tools = std::env::var("PP_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/packetpeer-tools")
        });
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/ws/bench.js");
    let out = Command::new("node")
        .env("NODE_PATH", tools.join("node/node_modules"))
        .arg(script)
        .arg(size.to_string())
        .arg(n.to_string())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace().map(|x| x.parse::<f64>());
    match (it.next(), it.next()) {
        (Some(Ok(cpu)), Some(Ok(wall))) => Some((n as f64 / cpu, n as f64 / wall)),
        _ => {
            eprintln!(
                "node bench failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            None
        }
    }
}

fn main() {
    let key = generate_rsa(2048).unwrap();
    let cert = generate_self_signed_certificate(
        &key,
        "CN=localhost,O=packetpeer bench,C=IT",
        "20200101000000",
        "20400101000000",
    )
    .unwrap();
    let tls = (
        TlsOptions::server(key, cert.clone()).unwrap(),
        TlsOptions::client(Some(cert), "localhost"),
    );
    println!("messages per CPU-second (messages per wall-second), loopback, client -> server");
    for (size, n) in [(64usize, 300_000usize), (16 * 1024, 40_000)] {
        // Best of 3 for each, interleaved.
        let (mut o, mut t, mut j) = ((0.0, 0.0), (0.0, 0.0), None::<(f64, f64)>);
        let mut w = (0.0, 0.0);
        for _ in 0..3 {
            let a = ours(size, n, None);
            if a.0 > o.0 {
                o = a;
            }
            let a = ours(size, n, Some(&tls));
            if a.0 > w.0 {
                w = a;
            }
            let b = tungstenite_pair(size, n);
            if b.0 > t.0 {
                t = b;
            }
            if let Some(c) = node_pair(size, n) {
                if j.is_none_or(|x| c.0 > x.0) {
                    j = Some(c);
                }
            }
        }
        println!("{size:>6} B  packetpeer  {:>10.0} ({:.0})", o.0, o.1);
        println!(
            "{size:>6} B  ours wss    {:>10.0} ({:.0})   wss/ws = {:.2}",
            w.0,
            w.1,
            w.0 / o.0
        );
        println!(
            "{size:>6} B  tungstenite {:>10.0} ({:.0})   ours/tungstenite = {:.2}",
            t.0,
            t.1,
            o.0 / t.0
        );
        match j {
            Some(j) => println!(
                "{size:>6} B  node ws     {:>10.0} ({:.0})   ours/ws = {:.2}",
                j.0,
                j.1,
                o.0 / j.0
            ),
            None => println!("{size:>6} B  node ws     unavailable"),
        }
    }
}
