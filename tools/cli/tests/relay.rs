//! `packetpeer relay --json` between real ENet hosts on loopback: two of ours, and stock C ENet
//! (libenet, tests/enet_c/peer.c) against ours. Every message appears once with its channel and
//! mode, a 1 MiB fragmented message once reassembled, and through `--loss 0.2 --delay 50ms --jitter
//! 10ms --seed 1` reliable traffic still arrives complete and in order, with the relay's counters
//! within statistical bounds of the configured rate. TCP (PacketPeerStream) and WebSocket modes between
//! our peers, and WebSocket between our client and Python's `websockets`.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use packetpeer::enet::connection::*;
use packetpeer::peer::PacketPeer;
use packetpeer::variant::{encode, EncodeOptions, Variant};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_packetpeer");
const LIMIT: Duration = Duration::from_secs(120);

struct RelayProc {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<Value>,
    port: u16,
}

impl RelayProc {
    fn start(target_port: u16, extra: &[&str]) -> RelayProc {
        let target = format!("127.0.0.1:{target_port}");
        let mut args = vec!["relay", "--listen", "0", "--target", &target, "--json"];
        args.extend(extra);
        let mut child = Command::new(BIN)
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("run packetpeer relay");
        let stdin = child.stdin.take();
        let out = BufReader::new(child.stdout.take().unwrap());
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in out.lines() {
                let Ok(line) = line else { break };
                let v: Value = serde_json::from_str(&line).expect("a JSON line");
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        let first = rx.recv_timeout(LIMIT).expect("the listening line");
        assert_eq!(first["event"], "listening");
        let port = first["port"].as_u64().unwrap() as u16;
        RelayProc {
            child,
            stdin,
            lines: rx,
            port,
        }
    }

    /// Closes stdin (the relay's stop signal) and returns every line it printed, the stats last.
    fn finish(mut self) -> (Vec<Value>, Value) {
        drop(self.stdin.take());
        let mut lines = Vec::new();
        let stats = loop {
            let v = self.lines.recv_timeout(LIMIT).expect("relay output");
            if v["event"] == "stats" {
                break v;
            }
            lines.push(v);
        };
        assert!(self.child.wait().unwrap().success());
        (lines, stats)
    }
}

impl Drop for RelayProc {
    fn drop(&mut self) {
        // Only when a test failed before finish(): this process started it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn var(v: Variant) -> Vec<u8> {
    encode(&v, &EncodeOptions::default()).unwrap()
}

/// Messages the relay showed in one direction on one channel, as (mode, len, variant or hex).
fn shown(lines: &[Value], dir: &str, ch: u64) -> Vec<(String, u64, String)> {
    lines
        .iter()
        .filter(|l| l["direction"] == dir && l["channel"] == ch && l.get("mode").is_some())
        .map(|l| {
            let body = l
                .get("variant")
                .or(l.get("hex"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            (
                l["mode"].as_str().unwrap().to_owned(),
                l["len"].as_u64().unwrap(),
                body,
            )
        })
        .collect()
}

fn connect_through(
    relay_port: u16,
    server: &mut ENetConnection,
) -> (ENetConnection, SharedPacketPeer) {
    let mut client = ENetConnection::new();
    client.create_host(1, 8, 0, 0).unwrap();
    let cp = client
        .connect_to_host("127.0.0.1", i32::from(relay_port), 8, 0)
        .unwrap();
    cp.lock()
        .unwrap()
        .set_timeout(60_000, 60_000, 60_000)
        .unwrap();
    let mut up = false;
    let start = Instant::now();
    while !up {
        assert!(start.elapsed() < LIMIT, "no connection through the relay");
        let _ = server.service(1);
        up = client.service(1).kind == EventType::Connect;
    }
    (client, cp)
}

fn server() -> ENetConnection {
    let mut s = ENetConnection::new();
    s.create_host_bound("127.0.0.1", 0, 4, 8, 0, 0).unwrap();
    s
}

#[test]
fn relay_between_our_hosts_shows_every_message_once() {
    let mut srv = server();
    let relay = RelayProc::start(srv.get_local_port() as u16, &[]);
    let (mut client, cp) = connect_through(relay.port, &mut srv);
    let big: Vec<u8> = (0..1 << 20).map(|i| (i * 7 % 251) as u8).collect();
    {
        let mut p = cp.lock().unwrap();
        for i in 0..20 {
            p.send(0, &var(Variant::Int(i)), FLAG_RELIABLE).unwrap();
            p.send(
                1,
                &var(Variant::String(format!("s{i}").into())),
                FLAG_RELIABLE,
            )
            .unwrap();
        }
        for i in 0..5 {
            p.send(2, &var(Variant::Int(100 + i)), FLAG_UNSEQUENCED)
                .unwrap();
            p.send(4, &var(Variant::Int(200 + i)), 0).unwrap();
        }
        p.send(3, &big, FLAG_RELIABLE).unwrap();
    }
    let (mut got, mut got_big) = (0, false);
    let start = Instant::now();
    while !(got_big && got >= 41) {
        assert!(
            start.elapsed() < LIMIT,
            "ENet exchange did not finish ({got})"
        );
        let e = srv.service(1);
        assert_ne!(e.kind, EventType::Error);
        if e.kind == EventType::Receive {
            let d = e
                .peer
                .as_ref()
                .unwrap()
                .lock()
                .unwrap()
                .get_packet()
                .unwrap()
                .to_vec();
            got += 1;
            if e.channel == 3 {
                got_big = d == big;
            }
        }
        assert_ne!(client.service(1).kind, EventType::Error);
    }
    let (lines, stats) = relay.finish();
    let ints = |r: std::ops::Range<i64>| r.map(|i| i.to_string()).collect::<Vec<_>>();
    let ch0 = shown(&lines, "client_to_server", 0);
    assert!(ch0.iter().all(|m| m.0 == "reliable"), "{ch0:?}");
    assert_eq!(
        ch0.iter().map(|m| m.2.clone()).collect::<Vec<_>>(),
        ints(0..20)
    );
    let ch1 = shown(&lines, "client_to_server", 1);
    let want: Vec<String> = (0..20).map(|i| format!("s{i}")).collect();
    assert_eq!(ch1.iter().map(|m| m.2.clone()).collect::<Vec<_>>(), want);
    let ch2 = shown(&lines, "client_to_server", 2);
    assert!(ch2.iter().all(|m| m.0 == "unsequenced"), "{ch2:?}");
    assert_eq!(
        ch2.iter().map(|m| m.2.clone()).collect::<Vec<_>>(),
        ints(100..105)
    );
    let ch4 = shown(&lines, "client_to_server", 4);
    assert!(ch4.iter().all(|m| m.0 == "unreliable"), "{ch4:?}");
    assert_eq!(
        ch4.iter().map(|m| m.2.clone()).collect::<Vec<_>>(),
        ints(200..205)
    );
    let ch3 = shown(&lines, "client_to_server", 3);
    assert_eq!(ch3.len(), 1, "the 1 MiB message once, reassembled");
    assert_eq!((ch3[0].0.as_str(), ch3[0].1), ("reliable", 1 << 20));
    assert!(lines.iter().any(|l| l["event"] == "connect"));
    assert_eq!(stats["reassembly_dropped"], 0);
    assert_eq!(stats["conditioner"]["client_to_server"]["dropped_loss"], 0);
}

#[test]
fn relay_with_loss_and_delay_keeps_reliable_traffic_complete_and_in_order() {
    let mut srv = server();
    let relay = RelayProc::start(
        srv.get_local_port() as u16,
        &[
            "--loss", "0.2", "--delay", "50ms", "--jitter", "10ms", "--seed", "1",
        ],
    );
    let (mut client, cp) = connect_through(relay.port, &mut srv);
    const N: i64 = 150;
    let mut received = Vec::new();
    let mut sent = 0;
    let start = Instant::now();
    // A few messages per round, so that there are many datagrams to lose.
    while received.len() < N as usize {
        assert!(start.elapsed() < LIMIT, "{} of {N}", received.len());
        if sent < N {
            cp.lock()
                .unwrap()
                .send(0, &var(Variant::Int(sent)), FLAG_RELIABLE)
                .unwrap();
            sent += 1;
        }
        let e = srv.service(2);
        if e.kind == EventType::Receive {
            let d = e
                .peer
                .as_ref()
                .unwrap()
                .lock()
                .unwrap()
                .get_packet()
                .unwrap()
                .to_vec();
            let (v, _) = packetpeer::variant::decode(&d, &Default::default()).unwrap();
            received.push(v.to_string());
        }
        let _ = client.service(2);
    }
    let want: Vec<String> = (0..N).map(|i| i.to_string()).collect();
    assert_eq!(received, want, "complete and in order");
    let (lines, stats) = relay.finish();
    // The relay shows each message once although ENet resent the lost ones.
    let ch0 = shown(&lines, "client_to_server", 0);
    assert_eq!(ch0.iter().map(|m| m.2.clone()).collect::<Vec<_>>(), want);
    assert!(stats["resends_hidden"].as_u64().unwrap() > 0, "{stats}");
    for dir in ["client_to_server", "server_to_client"] {
        let c = &stats["conditioner"][dir];
        let n = c["offered"].as_u64().unwrap();
        let lost = c["dropped_loss"].as_u64().unwrap();
        let sd = (n as f64 * 0.2 * 0.8).sqrt();
        // Enough datagrams for the loss check to mean something. Server-to-client traffic is mostly
        // acknowledgements, which ENet batches: their count depends on timing (50 seen), so no tight floor.
        assert!(n >= 30, "{dir}: {c}");
        assert!(
            (lost as f64 - n as f64 * 0.2).abs() <= 5.0 * sd + 1.0,
            "{dir}: {lost} of {n} lost"
        );
    }
}

fn c_peer() -> PathBuf {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("relay_enet_c_peer");
    let tmp = out.with_extension(format!("tmp{}", std::process::id()));
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/enet_c/peer.c");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let status = Command::new(cc)
        .args(["-O2", "-Wall", "-o"])
        .arg(&tmp)
        .arg(&src)
        .arg("-lenet")
        .status()
        .expect("a C compiler (cc) is needed for the libenet relay test");
    assert!(
        status.success(),
        "building tests/enet_c/peer.c failed (is libenet-dev installed?)"
    );
    std::fs::rename(&tmp, &out).unwrap();
    out
}

#[test]
fn relay_between_libenet_client_and_our_host() {
    let mut srv = server();
    let relay = RelayProc::start(srv.get_local_port() as u16, &[]);
    // The C client: 10 reliable "m<i>" on 0, 64 KiB on 1, 1 MiB on 2, unsequenced "u" on 3,
    // unreliable "r" on 4, a 64 KiB unreliable fragment on 5; it checks every echo, then disconnects.
    let mut c = Command::new(c_peer())
        .args([
            "client",
            &relay.port.to_string(),
            "5",
            "10",
            "90000",
            "0",
            "full",
        ])
        .stdout(Stdio::null())
        .spawn()
        .expect("run the C peer");
    let start = Instant::now();
    let status = loop {
        assert!(start.elapsed() < LIMIT, "the C client did not finish");
        let e = srv.service(1);
        assert_ne!(e.kind, EventType::Error);
        if e.kind == EventType::Receive {
            let peer = e.peer.as_ref().unwrap();
            let mut p = peer.lock().unwrap();
            let flags = p.get_packet_flags();
            let d = p.get_packet().unwrap().to_vec();
            p.send(e.channel, &d, flags).unwrap();
        }
        if let Some(s) = c.try_wait().unwrap() {
            break s;
        }
    };
    assert!(status.success(), "the C client: {status:?}");
    // Let the last datagrams pass through the relay.
    let t = Instant::now();
    while t.elapsed() < Duration::from_millis(300) {
        let _ = srv.service(10);
    }
    let (lines, _) = relay.finish();
    let hex = |s: &str| packetpeer_cli::json::hex(s.as_bytes());
    for dir in ["client_to_server", "server_to_client"] {
        let ch0 = shown(&lines, dir, 0);
        let m: Vec<String> = ch0
            .iter()
            .filter(|x| x.2.starts_with("6d"))
            .map(|x| x.2.clone())
            .collect();
        let want: Vec<String> = (0..10).map(|i| hex(&format!("m{i}"))).collect();
        assert_eq!(m, want, "{dir}");
        let ch1 = shown(&lines, dir, 1);
        assert_eq!(ch1.len(), 1, "{dir}: {ch1:?}");
        assert_eq!((ch1[0].0.as_str(), ch1[0].1), ("reliable", 65536));
        let ch2 = shown(&lines, dir, 2);
        assert_eq!(ch2.len(), 1, "{dir}: 1 MiB once");
        assert_eq!((ch2[0].0.as_str(), ch2[0].1), ("reliable", 1 << 20));
        let ch3 = shown(&lines, dir, 3);
        assert!(
            !ch3.is_empty() && ch3.iter().all(|x| x.0 == "unsequenced" && x.2 == hex("u")),
            "{dir}: {ch3:?}"
        );
        let ch4 = shown(&lines, dir, 4);
        assert!(
            !ch4.is_empty() && ch4.iter().all(|x| x.0 == "unreliable" && x.2 == hex("r")),
            "{dir}: {ch4:?}"
        );
        let ch5 = shown(&lines, dir, 5);
        assert!(
            !ch5.is_empty() && ch5.iter().all(|x| x.0 == "unreliable" && x.1 == 65536),
            "{dir}: {ch5:?}"
        );
    }
}

#[test]
fn relay_tcp_shows_packet_peer_stream_frames() {
    use std::io::{Read, Write};
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let relay = RelayProc::start(server.local_addr().unwrap().port(), &["--proto", "tcp"]);
    let mut client = std::net::TcpStream::connect(("127.0.0.1", relay.port)).unwrap();
    let (mut srv, _) = server.accept().unwrap();
    for s in [&client, &srv] {
        s.set_read_timeout(Some(LIMIT)).unwrap();
    }
    let frame = |p: &[u8]| [&(p.len() as u32).to_le_bytes()[..], p].concat();
    let mut wire = Vec::new();
    for i in 0..20 {
        wire.extend(frame(&var(Variant::Int(i))));
    }
    let big = vec![9u8; 1 << 20];
    wire.extend(frame(&big));
    // Written in odd pieces: frames cross write boundaries.
    for piece in wire.chunks(777) {
        client.write_all(piece).unwrap();
    }
    let mut got = vec![0; wire.len()];
    srv.read_exact(&mut got).unwrap();
    assert_eq!(got, wire, "the server gets the bytes unchanged");
    srv.write_all(&frame(&var(Variant::String("pong".into()))))
        .unwrap();
    let mut back = vec![0; 4 + var(Variant::String("pong".into())).len()];
    client.read_exact(&mut back).unwrap();
    drop((client, srv));
    let (lines, stats) = relay.finish();
    let frames: Vec<&Value> = lines.iter().filter(|l| l["mode"] == "frame").collect();
    let up: Vec<String> = frames
        .iter()
        .filter(|l| l["direction"] == "client_to_server" && l["len"] != 1 << 20)
        .map(|l| l["variant"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(up, (0..20).map(|i| i.to_string()).collect::<Vec<_>>());
    let bigs = frames.iter().filter(|l| l["len"] == 1 << 20).count();
    assert_eq!(bigs, 1, "the 1 MiB frame once");
    let down: Vec<&&Value> = frames
        .iter()
        .filter(|l| l["direction"] == "server_to_client")
        .collect();
    assert_eq!(down.len(), 1);
    assert_eq!(down[0]["variant"], "pong");
    assert_eq!(stats["frames_too_long"], 0);
    // The conditioner acts on datagrams: TCP refuses its options.
    refuses_loss("tcp");
}

/// `relay --proto <proto> --loss 0.1` exits with 1 (a reason on stderr) without starting.
fn refuses_loss(proto: &str) {
    let out = Command::new(BIN)
        .args([
            "relay",
            "--proto",
            proto,
            "--listen",
            "0",
            "--target",
            "127.0.0.1:9",
        ])
        .args(["--loss", "0.1"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "--proto {proto} --loss");
}

mod ws {
    //! `relay --proto ws` between our WebSocketPeer client and server, and between our client and an
    //! independent server (Python's `websockets`, tests/ws/peer.py, installed by scripts/deps.sh).
    use super::*;
    use packetpeer::net::tcp_server::TcpServer;
    use packetpeer::ws::{State, WebSocketPeer, WriteMode};
    use std::path::PathBuf;
    use std::sync::mpsc;

    fn until(
        peers: &mut [&mut WebSocketPeer],
        what: &str,
        mut f: impl FnMut(&mut [&mut WebSocketPeer]) -> bool,
    ) {
        let end = Instant::now() + LIMIT;
        loop {
            for p in peers.iter_mut() {
                p.poll();
            }
            if f(peers) {
                return;
            }
            assert!(Instant::now() < end, "timed out: {what}");
            std::thread::sleep(Duration::from_micros(300));
        }
    }

    /// The next message `p` receives, polling `other` too (it sends from its poll).
    fn recv2(p: &mut WebSocketPeer, other: &mut WebSocketPeer) -> (Vec<u8>, bool) {
        until(&mut [&mut *p, other], "a message", |x| {
            x[0].get_available_packet_count() > 0
        });
        let d = p.get_packet().expect("packet").to_vec();
        (d, p.was_string_packet())
    }

    fn recv(p: &mut WebSocketPeer) -> (Vec<u8>, bool) {
        until(&mut [p], "a message", |p| {
            p[0].get_available_packet_count() > 0
        });
        let d = p.get_packet().expect("packet").to_vec();
        (d, p.was_string_packet())
    }

    fn of(lines: &[Value], dir: &str, mode: &str) -> Vec<Value> {
        lines
            .iter()
            .filter(|l| l["direction"] == dir && l["mode"] == mode)
            .cloned()
            .collect()
    }

    fn events(lines: &[Value], dir: &str) -> Vec<String> {
        lines
            .iter()
            .filter(|l| l["direction"] == dir && l["event"].is_string())
            .map(|l| l["event"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn relay_ws_between_our_peers_shows_messages_and_delays_them() {
        let mut srv = TcpServer::new();
        srv.listen(0, "127.0.0.1").unwrap();
        let relay = RelayProc::start(
            srv.get_local_port(),
            &[
                "--proto", "ws", "--delay", "30ms", "--jitter", "10ms", "--seed", "7",
            ],
        );
        let mut c = WebSocketPeer::new();
        c.connect_to_url(&format!("ws://127.0.0.1:{}/game", relay.port))
            .unwrap();
        let end = Instant::now() + LIMIT;
        let tcp = loop {
            c.poll();
            if let Some(t) = srv.take_connection() {
                break t;
            }
            assert!(Instant::now() < end, "no connection through the relay");
            std::thread::sleep(Duration::from_millis(1));
        };
        let mut s = WebSocketPeer::new();
        s.accept_tcp(tcp).unwrap();
        until(&mut [&mut c, &mut s], "open", |p| {
            p[0].get_ready_state() == State::Open && p[1].get_ready_state() == State::Open
        });
        c.send_text("hello ✓").unwrap();
        for i in 0..20 {
            c.put_packet(&var(Variant::Int(i))).unwrap();
        }
        let big: Vec<u8> = (0..50_000u32).map(|i| (i % 251) as u8).collect();
        c.send(&big, WriteMode::Binary).unwrap();
        assert_eq!(recv2(&mut s, &mut c), ("hello ✓".as_bytes().to_vec(), true));
        for i in 0..20 {
            assert_eq!(recv2(&mut s, &mut c), (var(Variant::Int(i)), false));
        }
        assert_eq!(recv2(&mut s, &mut c).0, big);
        // A round trip through the relay takes at least both delays (30 ± 10 ms each way).
        let t = Instant::now();
        s.put_packet(&var(Variant::String("pong".into()))).unwrap();
        s.send_text("bye").unwrap();
        assert_eq!(
            recv2(&mut c, &mut s),
            (var(Variant::String("pong".into())), false)
        );
        let one_way = t.elapsed();
        assert!(
            one_way >= Duration::from_millis(19),
            "one way took {one_way:?}"
        );
        assert_eq!(recv2(&mut c, &mut s), (b"bye".to_vec(), true));
        c.close(1000, "done").unwrap();
        until(&mut [&mut c, &mut s], "closed", |p| {
            p[0].get_ready_state() == State::Closed && p[1].get_ready_state() == State::Closed
        });
        assert_eq!(s.get_close_code(), 1000);
        drop((c, s));
        let (lines, stats) = relay.finish();
        let up = events(&lines, "client_to_server");
        assert_eq!(up[0], "connect");
        assert!(up[1].starts_with("handshake: GET /game HTTP/1.1"), "{up:?}");
        assert!(up.iter().any(|e| e == "close 1000 \"done\""), "{up:?}");
        let down = events(&lines, "server_to_client");
        assert!(down[0].starts_with("handshake: HTTP/1.1 101"), "{down:?}");
        let texts = of(&lines, "client_to_server", "text");
        assert_eq!(texts.len(), 1);
        assert_eq!(texts[0]["text"], "hello ✓");
        let bins = of(&lines, "client_to_server", "binary");
        let shown: Vec<String> = bins
            .iter()
            .filter(|l| l["len"] != 50_000)
            .map(|l| l["variant"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(shown, (0..20).map(|i| i.to_string()).collect::<Vec<_>>());
        assert_eq!(bins.iter().filter(|l| l["len"] == 50_000).count(), 1);
        assert_eq!(
            of(&lines, "server_to_client", "binary")[0]["variant"],
            "pong"
        );
        assert_eq!(of(&lines, "server_to_client", "text")[0]["text"], "bye");
        // Every frame went through the conditioner, none lost.
        for lane in ["client_to_server", "server_to_client"] {
            let l = &stats["conditioner"][lane];
            assert!(l["offered"].as_u64().unwrap() >= 2, "{stats}");
            assert_eq!(l["offered"], l["released"], "{stats}");
            assert_eq!(l["dropped_loss"], 0);
        }
        assert_eq!(stats["undecodable"], 0);
        // Loss, duplication and reordering do not exist on TCP: refused.
        refuses_loss("ws");
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

    /// Runs a Python script of tests/ws/ with the tools' packages (websockets) and its stdin and
    /// stdout piped; returns it, its output lines and the port of its first line ("port N").
    fn python_peer(script: &str, args: &[&str]) -> (Child, mpsc::Receiver<String>, u16) {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/ws")
            .join(script);
        let mut pp = tools_dir().join("python").into_os_string();
        if let Some(old) = std::env::var_os("PYTHONPATH") {
            pp.push(":");
            pp.push(old);
        }
        let mut child = Command::new("python3")
            .env("PYTHONPATH", pp)
            .arg(&script)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 (run scripts/deps.sh)");
        let out = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for l in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(l).is_err() {
                    break;
                }
            }
        });
        let first = lines.recv_timeout(LIMIT).unwrap_or_else(|_| {
            panic!("{script:?} said nothing: is websockets installed? run scripts/deps.sh")
        });
        let port: u16 = first
            .strip_prefix("port ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"));
        (child, lines, port)
    }

    /// Python's `websockets` as the server (tests/ws/peer.py), our client through the relay:
    /// fragmented messages are shown reassembled, its ping and our pong, its close code.
    #[test]
    fn relay_ws_between_our_client_and_python_websockets() {
        let (mut child, _lines, port) = python_peer("peer.py", &["server", "1000000", "-"]);
        let relay = RelayProc::start(port, &["--proto", "ws", "--delay", "5ms"]);
        let mut c = WebSocketPeer::new();
        c.connect_to_url(&format!("ws://127.0.0.1:{}/", relay.port))
            .unwrap();
        until(&mut [&mut c], "open", |p| {
            p[0].get_ready_state() == State::Open
        });
        c.send_text("frag").unwrap();
        assert_eq!(recv(&mut c), ("fragmented ✓".as_bytes().to_vec(), true));
        assert_eq!(recv(&mut c), (vec![1, 2, 3], false));
        c.send_text("ping").unwrap();
        assert_eq!(recv(&mut c), (b"pong-ok".to_vec(), true));
        c.put_packet(&var(Variant::Int(42))).unwrap();
        assert_eq!(recv(&mut c), (var(Variant::Int(42)), false));
        c.send_text("close:4001:bye").unwrap();
        until(&mut [&mut c], "closed", |p| {
            p[0].get_ready_state() == State::Closed
        });
        assert_eq!(c.get_close_code(), 4001);
        drop(c);
        let _ = child.wait();
        let (lines, stats) = relay.finish();
        let down_texts: Vec<Value> = of(&lines, "server_to_client", "text")
            .iter()
            .map(|l| l["text"].clone())
            .collect();
        assert_eq!(
            down_texts,
            vec![Value::from("fragmented ✓"), Value::from("pong-ok")]
        );
        let down_bins = of(&lines, "server_to_client", "binary");
        assert_eq!(down_bins.len(), 2);
        assert_eq!(down_bins[0]["hex"], "010203");
        assert_eq!(down_bins[1]["variant"], "42");
        let down = events(&lines, "server_to_client");
        assert!(down.iter().any(|e| e == "ping"), "{down:?}");
        assert!(down.iter().any(|e| e == "close 4001 \"bye\""), "{down:?}");
        assert!(events(&lines, "client_to_server")
            .iter()
            .any(|e| e == "pong"));
        assert_eq!(stats["undecodable"], 0);
    }

    /// Python's `websockets` client and server, both with permessage-deflate (tests/ws/deflate_pair.py),
    /// through the relay: every message is inflated and shown, in both directions, including the
    /// ones compressed against earlier messages (context takeover).
    #[test]
    fn relay_ws_inflates_permessage_deflate() {
        let (mut child, peer_lines, port) = python_peer("deflate_pair.py", &[]);
        let relay = RelayProc::start(port, &["--proto", "ws"]);
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "{}", relay.port).unwrap();
        let last = peer_lines
            .recv_timeout(LIMIT)
            .expect("deflate_pair.py ended");
        assert_eq!(last, "done");
        let _ = child.wait();
        let (lines, stats) = relay.finish();
        let text = "packetpeer relay inflates permessage-deflate ".repeat(8);
        for dir in ["client_to_server", "server_to_client"] {
            let texts: Vec<Value> = of(&lines, dir, "text")
                .iter()
                .map(|l| l["text"].clone())
                .collect();
            assert_eq!(
                texts,
                vec![
                    Value::from(text.as_str()),
                    Value::from(text.as_str()),
                    Value::from(text.as_str()),
                    Value::from("bye")
                ],
                "{dir}"
            );
            let bins = of(&lines, dir, "binary");
            assert_eq!(bins.len(), 1, "{dir}");
            assert_eq!(bins[0]["variant"], "{ \"hp\": 42 }", "{dir}");
            assert_eq!(bins[0]["len"], 32, "{dir}");
        }
        // Every message was compressed on the wire (websockets compresses all data messages).
        assert_eq!(stats["inflated"], 10, "{stats}");
        assert_eq!(stats["undecodable"], 0, "{stats}");
    }
}

/// Both hosts compress (ENetConnection.compress); a relay given the same `--compression` mode
/// undoes it and shows every message; one without it says the datagrams are compressed.
fn compressed_exchange(
    mode: packetpeer::enet::compress::CompressionMode,
    arg: &str,
) -> (Vec<Value>, Value) {
    let mut srv = server();
    srv.compress(mode).unwrap();
    let relay = RelayProc::start(srv.get_local_port() as u16, &["--compression", arg]);
    let mut client = ENetConnection::new();
    client.create_host(1, 8, 0, 0).unwrap();
    client.compress(mode).unwrap();
    let cp = client
        .connect_to_host("127.0.0.1", i32::from(relay.port), 8, 0)
        .unwrap();
    let start = Instant::now();
    let mut sp = None;
    let mut up = false;
    while !(up && sp.is_some()) {
        assert!(
            start.elapsed() < LIMIT,
            "no connection through the relay ({arg})"
        );
        let e = srv.service(1);
        if e.kind == EventType::Connect {
            sp = e.peer;
        }
        up |= client.service(1).kind == EventType::Connect;
    }
    // Compressible payloads: a repeated text with a counter.
    let text = |i: i64| format!("{}{i}", "state of the world ".repeat(12));
    for i in 0..20 {
        cp.lock()
            .unwrap()
            .send(0, &var(Variant::String(text(i).into())), FLAG_RELIABLE)
            .unwrap();
    }
    sp.as_ref()
        .unwrap()
        .lock()
        .unwrap()
        .send(1, &var(Variant::String(text(99).into())), FLAG_RELIABLE)
        .unwrap();
    let (mut got, mut back) = (0, false);
    while !(got == 20 && back) {
        assert!(
            start.elapsed() < LIMIT,
            "exchange did not finish ({arg}: {got} {back})"
        );
        let e = srv.service(1);
        if e.kind == EventType::Receive {
            let d = e
                .peer
                .as_ref()
                .unwrap()
                .lock()
                .unwrap()
                .get_packet()
                .unwrap()
                .to_vec();
            assert_eq!(d, var(Variant::String(text(got).into())));
            got += 1;
        }
        if client.service(1).kind == EventType::Receive {
            let d = cp.lock().unwrap().get_packet().unwrap().to_vec();
            assert_eq!(d, var(Variant::String(text(99).into())));
            back = true;
        }
    }
    let out = relay.finish();
    let want_up: Vec<String> = (0..20).map(text).collect();
    if arg != "none" {
        let up: Vec<String> = shown(&out.0, "client_to_server", 0)
            .into_iter()
            .map(|m| m.2)
            .collect();
        assert_eq!(up, want_up, "{arg}");
        let down: Vec<String> = shown(&out.0, "server_to_client", 1)
            .into_iter()
            .map(|m| m.2)
            .collect();
        assert_eq!(down, vec![text(99)], "{arg}");
        assert_eq!(out.1["undecodable"], 0, "{arg}");
    }
    out
}

#[test]
fn relay_undoes_every_enet_compression_mode() {
    use packetpeer::enet::compress::CompressionMode;
    for (mode, arg) in [
        (CompressionMode::RangeCoder, "range-coder"),
        (CompressionMode::FastLz, "fastlz"),
        (CompressionMode::Zlib, "zlib"),
        (CompressionMode::Zstd, "zstd"),
    ] {
        let (lines, _) = compressed_exchange(mode, arg);
        assert!(
            !lines.iter().any(|l| l["event"]
                .as_str()
                .is_some_and(|e| e.starts_with("compressed"))),
            "{arg}"
        );
    }
    // The same traffic without --compression: the datagrams were compressed indeed.
    let (lines, stats) = compressed_exchange(CompressionMode::RangeCoder, "none");
    assert!(lines.iter().any(|l| l["event"]
        .as_str()
        .is_some_and(|e| e.starts_with("compressed datagram"))));
    assert!(stats["undecodable"].as_u64().unwrap() > 0);
}
