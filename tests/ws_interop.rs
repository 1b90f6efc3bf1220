//! WebSocketPeer against independent implementations on loopback, both directions: Python's
//! `websockets` (tests/ws/peer.py) and Node's `ws` (tests/ws/peer.js), installed by scripts/deps.sh
//! outside the repository (PP_TOOLS_DIR). A missing tool fails the test with the reason.
//!
//! Covered with each: text and binary both ways, fragmented messages from them, their ping and our
//! heartbeat pings, sub-protocol selection and refusal both ways, close codes and reasons both
//! ways, a 1 MiB message each way with raised limits, a message over our limit (we close 1009) and
//! over theirs (they close 1009). Over wss (a certificate from the library's Crypto helpers; Python's
//! `ssl` / Node's `https` with full verification on their side, a trusted chain on ours): the same
//! exchange and close, both directions.
mod tls_util;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use packetpeer::net::tcp_server::TcpServer;
use packetpeer::peer::PacketPeer;
use packetpeer::tls::{TlsOptions, TlsStatus};
use packetpeer::ws::{State, TlsWsStream, WebSocketPeer, WriteMode};

const LIMIT: Duration = Duration::from_secs(30);

#[derive(Clone, Copy)]
enum Tool {
    Python,
    Node,
}

fn tools_dir() -> PathBuf {
    if let Ok(d) = std::env::var("PP_TOOLS_DIR") {
        return d.into();
    }
    let cache = std::env::var("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache")
        });
    cache.join("packetpeer-tools")
}

/// The other side's process; killed by pid when dropped.
struct Peer {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Peer {
    fn start(tool: Tool, args: &[&str]) -> Peer {
        Self::start_env(tool, args, &[])
    }

    fn start_env(tool: Tool, args: &[&str], envs: &[(&str, &std::path::Path)]) -> Peer {
        let dir = tools_dir();
        let scripts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/ws");
        let mut cmd = match tool {
            Tool::Python => {
                let mut c = Command::new("python3");
                let mut pp = dir.join("python").into_os_string();
                if let Some(old) = std::env::var_os("PYTHONPATH") {
                    pp.push(":");
                    pp.push(old);
                }
                c.env("PYTHONPATH", pp).arg(scripts.join("peer.py"));
                c
            }
            Tool::Node => {
                let mut c = Command::new("node");
                c.env("NODE_PATH", dir.join("node/node_modules"))
                    .arg(scripts.join("peer.js"));
                c
            }
        };
        let name = match tool {
            Tool::Python => "python3 + websockets",
            Tool::Node => "node + ws",
        };
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let mut child = cmd
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({e}): run scripts/deps.sh"));
        let out = child.stdout.take().expect("piped stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for l in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(l).is_err() {
                    break;
                }
            }
        });
        Peer { child, lines }
    }

    /// The next line of the peer's output, polling `ours` meanwhile.
    fn line(&mut self, ours: &mut [&mut WebSocketPeer]) -> String {
        let end = Instant::now() + LIMIT;
        loop {
            for p in ours.iter_mut() {
                p.poll();
            }
            match self.lines.recv_timeout(Duration::from_millis(1)) {
                Ok(l) => return l,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let st = self.child.wait();
                    panic!("peer exited without output ({st:?}); is its package installed? run scripts/deps.sh")
                }
            }
            assert!(Instant::now() < end, "peer said nothing for {LIMIT:?}");
        }
    }

    fn server(tool: Tool, max: usize, protos: &str) -> (Peer, u16) {
        let mut p = Peer::start(tool, &["server", &max.to_string(), protos]);
        let l = p.line(&mut []);
        let port = l
            .strip_prefix("port ")
            .and_then(|x| x.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {l:?}"));
        (p, port)
    }
}

fn until(p: &mut WebSocketPeer, what: &str, mut f: impl FnMut(&mut WebSocketPeer) -> bool) {
    let end = Instant::now() + LIMIT;
    while !f(p) {
        p.poll();
        assert!(Instant::now() < end, "timed out: {what}");
        std::thread::sleep(Duration::from_micros(200));
    }
}

fn recv(p: &mut WebSocketPeer) -> (Vec<u8>, bool) {
    until(p, "a message", |p| p.get_available_packet_count() > 0);
    let d = p.get_packet().expect("packet").to_vec();
    (d, p.was_string_packet())
}

fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| i as u8).collect()
}

/// Our server side: accepts one TCP connection and runs the handshake.
fn accept(srv: &mut TcpServer, ws: &mut WebSocketPeer, peer: &mut Peer) {
    let end = Instant::now() + LIMIT;
    let tcp = loop {
        if let Some(t) = srv.take_connection() {
            break t;
        }
        if let Ok(l) = peer.lines.try_recv() {
            panic!("peer said {l:?} before connecting");
        }
        assert!(Instant::now() < end, "peer never connected");
        std::thread::sleep(Duration::from_millis(1));
    };
    ws.accept_tcp(tcp).unwrap();
}

/// The common exchange once open: text and binary both ways, their fragments, their ping, our
/// heartbeat pings.
fn exchange(ws: &mut WebSocketPeer, peer: &mut Peer) {
    ws.send_text("echo:héllo ✓").unwrap();
    assert_eq!(recv(ws), ("héllo ✓".as_bytes().to_vec(), true));
    for n in [0usize, 1, 125, 126, 65535] {
        ws.put_packet(&pattern(n)).unwrap();
        assert_eq!(recv(ws), (pattern(n), false), "binary {n}");
    }
    ws.send(b"frag", WriteMode::Text).unwrap();
    assert_eq!(recv(ws), ("fragmented ✓".as_bytes().to_vec(), true));
    assert_eq!(recv(ws), (vec![1, 2, 3], false));
    ws.send_text("ping").unwrap();
    assert_eq!(recv(ws), (b"pong-ok".to_vec(), true));
    // Three or four pings; each must be answered within the interval (generous for TLS peers on a
    // loaded machine: a late pong drops the connection).
    ws.set_heartbeat_interval(0.2).unwrap();
    let end = Instant::now() + Duration::from_millis(700);
    while Instant::now() < end {
        ws.poll();
        if let Ok(l) = peer.lines.try_recv() {
            panic!("peer said {l:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(
        ws.get_ready_state(),
        State::Open,
        "heartbeat pongs answered"
    );
    ws.set_heartbeat_interval(0.0).unwrap();
}

fn we_are_client(tool: Tool) {
    let (mut peer, port) = Peer::server(tool, 1 << 20, "chat,v2");
    let mut ws = WebSocketPeer::new();
    ws.set_supported_protocols(&["x", "chat"]).unwrap();
    ws.connect_to_url(&format!("ws://127.0.0.1:{port}/room"))
        .unwrap();
    assert_eq!(peer.line(&mut [&mut ws]), "open chat");
    until(&mut ws, "open", |p| p.get_ready_state() == State::Open);
    assert_eq!(ws.get_selected_protocol(), "chat");
    exchange(&mut ws, &mut peer);
    // We close with a code and reason; they report it and echo it.
    ws.close(4000, "bye-ours ✓").unwrap();
    assert_eq!(peer.line(&mut [&mut ws]), "closed 4000 bye-ours ✓");
    until(&mut ws, "closed", |p| p.get_ready_state() == State::Closed);
    assert_eq!(
        (ws.get_close_code(), ws.get_close_reason()),
        (4000, "bye-ours ✓")
    );
}

fn we_are_server(tool: Tool) {
    let mut srv = TcpServer::new();
    srv.listen(0, "127.0.0.1").unwrap();
    let url = format!("ws://127.0.0.1:{}/lobby?x=1", srv.get_local_port());
    let mut peer = Peer::start(tool, &["client", &url, "1048576", "chat,v2"]);
    let mut ws = WebSocketPeer::new();
    ws.set_supported_protocols(&["v2", "chat"]).unwrap();
    accept(&mut srv, &mut ws, &mut peer);
    assert_eq!(peer.line(&mut [&mut ws]), "open chat");
    until(&mut ws, "open", |p| p.get_ready_state() == State::Open);
    assert_eq!(ws.get_selected_protocol(), "chat");
    assert_eq!(ws.get_requested_url(), url);
    exchange(&mut ws, &mut peer);
    // They close with a code and reason; we echo it.
    ws.send_text("close:4001:bye-theirs").unwrap();
    assert_eq!(peer.line(&mut [&mut ws]), "closed 4001 bye-theirs");
    until(&mut ws, "closed", |p| p.get_ready_state() == State::Closed);
    assert_eq!(
        (ws.get_close_code(), ws.get_close_reason()),
        (4001, "bye-theirs")
    );
}

fn limits(tool: Tool) {
    // 1 MiB each way with raised limits.
    let (mut peer, port) = Peer::server(tool, 2 << 20, "-");
    let mut ws = WebSocketPeer::new();
    ws.set_inbound_buffer_size(2 << 20).unwrap();
    ws.set_outbound_buffer_size(2 << 20).unwrap();
    ws.connect_to_url(&format!("ws://127.0.0.1:{port}"))
        .unwrap();
    assert_eq!(peer.line(&mut [&mut ws]), "open -");
    until(&mut ws, "open", |p| p.get_ready_state() == State::Open);
    ws.send_text("big:1048576").unwrap();
    assert_eq!(recv(&mut ws), (pattern(1 << 20), false));
    let mine: Vec<u8> = (0..1u32 << 20)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    ws.put_packet(&mine).unwrap();
    assert_eq!(recv(&mut ws).0, mine);
    ws.close(1000, "").unwrap();
    assert_eq!(peer.line(&mut [&mut ws]), "closed 1000 ");
    drop(peer);

    // Over our default limit: we close with 1009.
    let (mut peer, port) = Peer::server(tool, 1 << 20, "-");
    let mut ws = WebSocketPeer::new();
    ws.connect_to_url(&format!("ws://127.0.0.1:{port}"))
        .unwrap();
    assert_eq!(peer.line(&mut [&mut ws]), "open -");
    until(&mut ws, "open", |p| p.get_ready_state() == State::Open);
    ws.send_text("big:65536").unwrap();
    assert_eq!(peer.line(&mut [&mut ws]), "closed 1009 Message too big");
    until(&mut ws, "closed", |p| p.get_ready_state() == State::Closed);
    assert_eq!(
        (ws.get_close_code(), ws.get_close_reason()),
        (1009, "Message too big")
    );
    drop(peer);

    // Over their limit: they close with 1009.
    let (mut peer, port) = Peer::server(tool, 100_000, "-");
    let mut ws = WebSocketPeer::new();
    ws.set_outbound_buffer_size(0).unwrap();
    ws.connect_to_url(&format!("ws://127.0.0.1:{port}"))
        .unwrap();
    assert_eq!(peer.line(&mut [&mut ws]), "open -");
    until(&mut ws, "open", |p| p.get_ready_state() == State::Open);
    ws.put_packet(&pattern(100_001)).unwrap();
    // (They fail the connection: Python closes the socket without waiting for our echo, so what it
    // reports as received varies; the close frame we got is the check.)
    let l = peer.line(&mut [&mut ws]);
    assert!(l.starts_with("closed "), "{l}");
    until(&mut ws, "closed", |p| p.get_ready_state() == State::Closed);
    assert_eq!(ws.get_close_code(), 1009);
}

fn refusals(tool: Tool) {
    // Their server picks none of our protocols: our client refuses the response (engine rule).
    let (peer, port) = Peer::server(tool, 1 << 20, "chat");
    let mut ws = WebSocketPeer::new();
    ws.set_supported_protocols(&["nope"]).unwrap();
    ws.connect_to_url(&format!("ws://127.0.0.1:{port}"))
        .unwrap();
    until(&mut ws, "refused", |p| p.get_ready_state() == State::Closed);
    assert_eq!(ws.get_close_code(), -1);
    drop(peer.lines.try_recv());
    drop(peer);

    // Their client offers none of ours: our server closes the socket without a response.
    let mut srv = TcpServer::new();
    srv.listen(0, "127.0.0.1").unwrap();
    let url = format!("ws://127.0.0.1:{}/", srv.get_local_port());
    let mut peer = Peer::start(tool, &["client", &url, "1048576", "nope"]);
    let mut ws = WebSocketPeer::new();
    ws.set_supported_protocols(&["chat"]).unwrap();
    accept(&mut srv, &mut ws, &mut peer);
    let l = peer.line(&mut [&mut ws]);
    assert!(l.starts_with("refused"), "{l}");
    assert_eq!(ws.get_ready_state(), State::Closed);
}

/// wss, we are the client: their TLS server (our certificate), our trusted chain.
fn wss_we_are_client(tool: Tool) {
    let dir = tls_util::temp_dir();
    let cert = tls_util::make_cert(&dir, "srv", "localhost", true);
    let mut peer = Peer::start_env(
        tool,
        &["server", "1048576", "chat"],
        &[
            ("PP_WS_TLS_CERT", &cert.cert_path),
            ("PP_WS_TLS_KEY", &cert.key_path),
        ],
    );
    let l = peer.line(&mut []);
    let port: u16 = l
        .strip_prefix("port ")
        .and_then(|x| x.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line {l:?}"));
    let mut ws = WebSocketPeer::new();
    ws.set_supported_protocols(&["chat"]).unwrap();
    let opts = TlsOptions::client(Some(cert.cert.clone()), "localhost");
    ws.connect_to_url_tls(&format!("wss://127.0.0.1:{port}/secure"), Some(&opts))
        .unwrap();
    assert_eq!(peer.line(&mut [&mut ws]), "open chat");
    until(&mut ws, "open", |p| p.get_ready_state() == State::Open);
    assert_eq!(ws.get_tls_status(), TlsStatus::Connected);
    exchange(&mut ws, &mut peer);
    ws.close(4002, "tls bye").unwrap();
    assert_eq!(peer.line(&mut [&mut ws]), "closed 4002 tls bye");
    until(&mut ws, "closed", |p| p.get_ready_state() == State::Closed);
    assert_eq!(ws.get_close_code(), 4002);
}

/// wss, we are the server: their TLS client verifies our certificate for "localhost".
fn wss_we_are_server(tool: Tool) {
    let dir = tls_util::temp_dir();
    let cert = tls_util::make_cert(&dir, "srv", "localhost", true);
    let server_opts = TlsOptions::server(cert.key.clone(), cert.cert.clone()).unwrap();
    let mut srv = TcpServer::new();
    srv.listen(0, "127.0.0.1").unwrap();
    let url = format!("wss://127.0.0.1:{}/lobby", srv.get_local_port());
    let mut peer = Peer::start_env(
        tool,
        &["client", &url, "1048576", "chat"],
        &[
            ("PP_WS_TLS_CA", &cert.cert_path),
            ("PP_WS_TLS_NAME", std::path::Path::new("localhost")),
        ],
    );
    let end = Instant::now() + LIMIT;
    let tcp = loop {
        if let Some(t) = srv.take_connection() {
            break t;
        }
        if let Ok(l) = peer.lines.try_recv() {
            panic!("peer said {l:?} before connecting");
        }
        assert!(Instant::now() < end, "peer never connected");
        std::thread::sleep(Duration::from_millis(1));
    };
    let mut ws = WebSocketPeer::new();
    ws.set_supported_protocols(&["chat"]).unwrap();
    ws.accept_stream(Box::new(TlsWsStream::server(tcp, &server_opts).unwrap()))
        .unwrap();
    assert_eq!(peer.line(&mut [&mut ws]), "open chat");
    until(&mut ws, "open", |p| p.get_ready_state() == State::Open);
    assert_eq!(ws.get_requested_url(), url);
    exchange(&mut ws, &mut peer);
    ws.send_text("close:4003:their tls bye").unwrap();
    assert_eq!(peer.line(&mut [&mut ws]), "closed 4003 their tls bye");
    until(&mut ws, "closed", |p| p.get_ready_state() == State::Closed);
    assert_eq!(ws.get_close_code(), 4003);
}

macro_rules! both {
    ($($name:ident),*) => {
        mod python {
            $(#[test] fn $name() { super::$name(super::Tool::Python) })*
        }
        mod node {
            $(#[test] fn $name() { super::$name(super::Tool::Node) })*
        }
    };
}
both!(
    we_are_client,
    we_are_server,
    limits,
    refusals,
    wss_we_are_client,
    wss_we_are_server
);
