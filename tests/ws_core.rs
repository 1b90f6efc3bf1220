//! WebSocketPeer against itself and against hostile raw-TCP peers on loopback (`docs/classes.md` §19).
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use packetpeer::net::tcp_server::TcpServer;
use packetpeer::peer::PacketPeer;
use packetpeer::variant::Variant;
use packetpeer::ws::{State, WebSocketPeer, WriteMode};
use packetpeer::Error;

const LIMIT: Duration = Duration::from_secs(20);

fn listen() -> (TcpServer, u16) {
    let mut s = TcpServer::new();
    s.listen(0, "127.0.0.1").unwrap();
    let p = s.get_local_port();
    (s, p)
}

/// Polls the peers until `done` holds; panics after LIMIT.
fn pump(
    peers: &mut [&mut WebSocketPeer],
    what: &str,
    mut done: impl FnMut(&mut [&mut WebSocketPeer]) -> bool,
) {
    let end = Instant::now() + LIMIT;
    loop {
        for p in peers.iter_mut() {
            p.poll();
        }
        if done(peers) {
            return;
        }
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// A connected pair: (client, server).
fn pair(cfg: impl Fn(&mut WebSocketPeer)) -> (WebSocketPeer, WebSocketPeer) {
    let (mut srv, port) = listen();
    let mut c = WebSocketPeer::new();
    cfg(&mut c);
    c.connect_to_url(&format!("ws://127.0.0.1:{port}/path?q=1"))
        .unwrap();
    assert_eq!(c.get_ready_state(), State::Connecting);
    let mut s = WebSocketPeer::new();
    cfg(&mut s);
    let end = Instant::now() + LIMIT;
    let tcp = loop {
        c.poll();
        if let Some(t) = srv.take_connection() {
            break t;
        }
        assert!(Instant::now() < end, "no TCP connection");
        std::thread::sleep(Duration::from_millis(1));
    };
    s.accept_tcp(tcp).unwrap();
    pump(&mut [&mut c, &mut s], "open", |p| {
        p[0].get_ready_state() == State::Open && p[1].get_ready_state() == State::Open
    });
    (c, s)
}

#[test]
fn exchange_close_and_properties() {
    let (mut c, mut s) = pair(|_| {});
    assert_eq!(
        s.get_requested_url(),
        format!("ws://127.0.0.1:{}/path?q=1", c.get_connected_port())
    );
    assert_eq!(c.get_connected_host(), "127.0.0.1");
    assert_eq!(c.get_max_packet_size(), 65535);
    c.send_text("héllo").unwrap();
    c.put_packet(&[1, 2, 3]).unwrap();
    c.put_var(&Variant::Int(42), false).unwrap();
    c.send(b"", WriteMode::Binary).unwrap();
    pump(&mut [&mut c, &mut s], "4 messages", |p| {
        p[1].get_available_packet_count() == 4
    });
    assert_eq!(s.get_packet().unwrap(), "héllo".as_bytes());
    assert!(s.was_string_packet());
    assert_eq!(s.get_packet().unwrap(), &[1, 2, 3]);
    assert!(!s.was_string_packet());
    assert_eq!(s.get_var(false).unwrap(), Variant::Int(42));
    assert_eq!(s.get_packet().unwrap(), b"");
    assert_eq!(s.get_packet(), Err(Error::Unavailable));
    // Server to client, then the server closes; the client's messages queued before stay readable.
    s.send_text("bye").unwrap();
    s.poll();
    assert_eq!(
        s.close(4001, &"x".repeat(124)),
        Err(Error::InvalidParameter)
    );
    s.close(4001, "done").unwrap();
    assert_eq!(s.get_ready_state(), State::Closing);
    pump(&mut [&mut c, &mut s], "closed", |p| {
        p[0].get_ready_state() == State::Closed && p[1].get_ready_state() == State::Closed
    });
    assert_eq!((c.get_close_code(), c.get_close_reason()), (4001, "done"));
    assert_eq!((s.get_close_code(), s.get_close_reason()), (4001, "done"));
    assert_eq!(c.get_available_packet_count(), 1);
    assert_eq!(c.get_packet().unwrap(), b"bye");
    assert_eq!(c.get_packet(), Err(Error::Failed));
    assert_eq!(c.send_text("late"), Err(Error::Failed));
}

#[test]
fn protocols_limits_and_backpressure() {
    let (mut c, mut s) = pair(|p| {
        p.set_supported_protocols(&[" chat ", "v2"]).unwrap();
        p.set_max_queued_packets(8).unwrap();
    });
    assert_eq!(c.get_selected_protocol(), "chat");
    assert_eq!(s.get_selected_protocol(), "chat");
    // Outbound refusals: too big, queue full; both counted.
    assert_eq!(
        c.send(&vec![0; 65536], WriteMode::Binary),
        Err(Error::OutOfMemory)
    );
    for i in 0..8u8 {
        c.send(&[i], WriteMode::Binary).unwrap();
    }
    assert_eq!(c.send(&[9], WriteMode::Binary), Err(Error::OutOfMemory));
    assert_eq!(c.stats().refused_too_big, 1);
    assert_eq!(c.stats().refused_queue_full, 1);
    assert_eq!(
        c.send(&[0xFF], WriteMode::Text),
        Err(Error::InvalidParameter)
    );
    // Back-pressure: 40 messages to a reader that holds 8 at a time; none lost, order kept.
    let mut got = Vec::new();
    let mut next = 0u8;
    let end = Instant::now() + LIMIT;
    while got.len() < 48 {
        while next < 40 && c.send(&[100 + next], WriteMode::Binary).is_ok() {
            next += 1;
        }
        c.poll();
        s.poll();
        assert!(s.get_available_packet_count() <= 8);
        if s.get_available_packet_count() == 8 || next == 40 {
            while let Ok(p) = s.get_packet() {
                got.push(p[0]);
            }
        }
        assert!(Instant::now() < end, "stuck at {}", got.len());
    }
    let want: Vec<u8> = (0..8).chain(100..140).collect();
    assert_eq!(got, want);
}

#[test]
fn big_message_and_1009() {
    let (mut c, mut s) = pair(|p| {
        p.set_inbound_buffer_size(2 << 20).unwrap();
        p.set_outbound_buffer_size(2 << 20).unwrap();
    });
    let big: Vec<u8> = (0..(1 << 20)).map(|i: u32| ((i * 31) >> 3) as u8).collect();
    c.put_packet(&big).unwrap();
    pump(&mut [&mut c, &mut s], "1 MiB", |p| {
        p[1].get_available_packet_count() == 1
    });
    assert_eq!(s.get_packet().unwrap(), &big[..]);

    let (mut c, mut s) = pair(|p| p.set_outbound_buffer_size(0).unwrap());
    c.put_packet(&vec![7; 70000]).unwrap();
    pump(&mut [&mut c, &mut s], "1009", |p| {
        p[0].get_ready_state() == State::Closed && p[1].get_ready_state() == State::Closed
    });
    assert_eq!(
        (s.get_close_code(), s.get_close_reason()),
        (1009, "Message too big")
    );
    assert_eq!(c.get_close_code(), 1009);
}

#[test]
fn ping_heartbeat_and_abrupt_close() {
    let (mut c, mut s) = pair(|_| {});
    c.set_heartbeat_interval(0.02).unwrap();
    assert_eq!(c.set_heartbeat_interval(-1.0), Err(Error::InvalidParameter));
    let end = Instant::now() + Duration::from_millis(200);
    while Instant::now() < end {
        c.poll();
        s.poll();
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(c.get_ready_state(), State::Open, "pongs keep it open");
    // The server stops answering: the client drops (close code −1).
    pump(&mut [&mut c], "heartbeat drop", |p| {
        p[0].get_ready_state() == State::Closed
    });
    assert_eq!(c.get_close_code(), -1);
    assert_eq!(c.get_last_error_text(), "no pong within heartbeat_interval");
    pump(&mut [&mut s], "server sees EOF", |p| {
        p[0].get_ready_state() == State::Closed
    });
    assert_eq!(s.get_close_code(), -1);
    assert_eq!(
        s.get_last_error_text(),
        "the connection ended without a close handshake"
    );
}

#[test]
fn url_errors() {
    let mut c = WebSocketPeer::new();
    for bad in ["", "http://127.0.0.1", "ws://[::1", "ws://127.0.0.1:70000"] {
        assert_eq!(c.connect_to_url(bad), Err(Error::InvalidParameter), "{bad}");
    }
    assert_eq!(c.get_ready_state(), State::Closed);
    // Nobody listens: CLOSED, −1.
    let (srv, port) = listen();
    drop(srv);
    c.connect_to_url(&format!("ws://127.0.0.1:{port}")).unwrap();
    assert_eq!(
        c.connect_to_url("ws://127.0.0.1:1"),
        Err(Error::AlreadyInUse)
    );
    pump(&mut [&mut c], "refused", |p| {
        p[0].get_ready_state() == State::Closed
    });
    assert_eq!(c.get_close_code(), -1);
    assert_eq!(c.get_last_error_text(), "TCP connect failed");
    // A name goes through the resolver step.
    let (mut srv, port) = listen();
    c.connect_to_url(&format!("ws://localhost:{port}")).unwrap();
    let end = Instant::now() + LIMIT;
    while srv.take_connection().is_none() {
        c.poll();
        assert!(Instant::now() < end, "localhost never connected");
        std::thread::sleep(Duration::from_millis(1));
    }
}

// ---- hostile raw clients against our server ----

/// Our server and a raw TCP client that has finished a valid handshake.
fn raw_client() -> (WebSocketPeer, TcpStream) {
    let (mut srv, port) = listen();
    let mut t = TcpStream::connect(("127.0.0.1", port)).unwrap();
    t.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
    let mut s = WebSocketPeer::new();
    let end = Instant::now() + LIMIT;
    let tcp = loop {
        if let Some(x) = srv.take_connection() {
            break x;
        }
        assert!(Instant::now() < end);
        std::thread::sleep(Duration::from_millis(1));
    };
    s.accept_tcp(tcp).unwrap();
    t.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").unwrap();
    let mut resp = Vec::new();
    while !resp.ends_with(b"\r\n\r\n") {
        s.poll();
        let mut b = [0u8; 1];
        if let Ok(1) = t.read(&mut b) {
            resp.push(b[0]);
        }
        assert!(Instant::now() < end, "no response");
    }
    assert_eq!(
        std::str::from_utf8(&resp).unwrap(),
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
    );
    pump(&mut [&mut s], "open", |p| {
        p[0].get_ready_state() == State::Open
    });
    (s, t)
}

/// Reads until the server closes the socket, or until `want` bytes came (then closes our end).
fn read_until(s: &mut WebSocketPeer, t: &mut TcpStream, want: usize) -> Vec<u8> {
    let mut got = Vec::new();
    let end = Instant::now() + LIMIT;
    loop {
        s.poll();
        if got.len() >= want {
            t.shutdown(std::net::Shutdown::Both).unwrap();
            pump(&mut [s], "close after EOF", |p| {
                p[0].get_ready_state() == State::Closed
            });
            return got;
        }
        let mut b = [0u8; 4096];
        match t.read(&mut b) {
            Ok(0) => return got,
            Ok(n) => got.extend_from_slice(&b[..n]),
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => return got,
        }
        assert!(Instant::now() < end, "server never closed");
    }
}

fn masked(first: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::new();
    packetpeer::ws::frame::encode_frame(&mut f, 0, payload, Some([1, 2, 3, 4]));
    f[0] = first;
    f
}

#[test]
fn hostile_frames_get_engine_close_codes() {
    let mut big_len = vec![0x82, 0xFF];
    big_len.extend_from_slice(&(1u64 << 32).to_be_bytes());
    big_len.extend_from_slice(&[1, 2, 3, 4]);
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        ("4 GiB length", big_len, 1009),
        ("unmasked", vec![0x82, 0x01, 0x00], 1002),
        ("reserved opcode", masked(0x83, b""), 1002),
        ("RSV1", masked(0xC2, b"a"), 1002),
        ("invalid UTF-8", masked(0x81, &[0xC3, 0x28]), 1007),
        ("bad close code", masked(0x88, &[0x03, 0xEC]), 1002),
    ];
    for (what, bytes, code) in cases {
        let (mut s, mut t) = raw_client();
        t.write_all(&bytes).unwrap();
        let reason = match code {
            1009 => "Message too big",
            1007 => "Invalid frame payload data",
            _ => "Protocol error",
        };
        let mut want = vec![0x88, 2 + reason.len() as u8];
        want.extend_from_slice(&code.to_be_bytes());
        want.extend_from_slice(reason.as_bytes());
        let got = read_until(&mut s, &mut t, want.len());
        assert_eq!(got, want, "{what}");
        assert_eq!(s.get_ready_state(), State::Closed, "{what}");
        assert_eq!(
            (s.get_close_code(), s.get_close_reason()),
            (code as i32, reason),
            "{what}"
        );
    }
}

#[test]
fn hostile_handshakes_are_dropped() {
    // Headers that never end: dropped at 4096 bytes, no HTTP response.
    let (mut srv, port) = listen();
    let mut t = TcpStream::connect(("127.0.0.1", port)).unwrap();
    t.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
    let mut s = WebSocketPeer::new();
    let end = Instant::now() + LIMIT;
    let tcp = loop {
        if let Some(x) = srv.take_connection() {
            break x;
        }
        assert!(Instant::now() < end);
    };
    s.accept_tcp(tcp).unwrap();
    t.write_all(b"GET / HTTP/1.1\r\n").unwrap();
    for _ in 0..300 {
        let _ = t.write_all(b"X-Filler: aaaaaaaaaa\r\n");
        s.poll();
        if s.get_ready_state() == State::Closed {
            break;
        }
    }
    assert_eq!(s.get_ready_state(), State::Closed);
    assert!(read_until(&mut s, &mut t, usize::MAX).is_empty());

    // A client that sends nothing: bounded by the optional handshake timeout.
    let mut t2 = TcpStream::connect(("127.0.0.1", port)).unwrap();
    t2.set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let tcp = loop {
        if let Some(x) = srv.take_connection() {
            break x;
        }
        assert!(Instant::now() < end);
    };
    let mut s = WebSocketPeer::new();
    s.set_handshake_timeout(Some(Duration::from_millis(100)));
    s.accept_tcp(tcp).unwrap();
    pump(&mut [&mut s], "handshake timeout", |p| {
        p[0].get_ready_state() == State::Closed
    });
    assert!(read_until(&mut s, &mut t2, usize::MAX).is_empty());

    // A request without the version header: refused by closing the socket.
    let mut t3 = TcpStream::connect(("127.0.0.1", port)).unwrap();
    t3.set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let tcp = loop {
        if let Some(x) = srv.take_connection() {
            break x;
        }
        assert!(Instant::now() < end);
    };
    let mut s = WebSocketPeer::new();
    s.accept_tcp(tcp).unwrap();
    t3.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: a\r\n\r\n").unwrap();
    assert!(read_until(&mut s, &mut t3, usize::MAX).is_empty());
    assert_eq!(s.get_ready_state(), State::Closed);
}

#[test]
fn client_validates_response_like_the_engine() {
    // A server that answers `Connection: Upgrade, keep-alive` is refused by the client (exact match).
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let mut c = WebSocketPeer::new();
    c.connect_to_url(&format!("ws://127.0.0.1:{port}/x"))
        .unwrap();
    let (mut t, _) = l.accept().unwrap();
    t.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
    let mut req = Vec::new();
    let end = Instant::now() + LIMIT;
    while !req.ends_with(b"\r\n\r\n") {
        c.poll();
        let mut b = [0u8; 1];
        if let Ok(1) = t.read(&mut b) {
            req.push(b[0]);
        }
        assert!(Instant::now() < end);
    }
    let text = String::from_utf8(req).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], "GET /x HTTP/1.1");
    assert_eq!(lines[1], format!("Host: 127.0.0.1:{port}"));
    assert_eq!(&lines[2..4], ["Upgrade: websocket", "Connection: Upgrade"]);
    assert!(lines[4].starts_with("Sec-WebSocket-Key: "));
    assert_eq!(lines[5], "Sec-WebSocket-Version: 13");
    assert_eq!(&lines[6..], ["", ""]);
    let key = &lines[4]["Sec-WebSocket-Key: ".len()..];
    let acc = packetpeer::ws::handshake::accept_key(key);
    t.write_all(format!("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade, keep-alive\r\nSec-WebSocket-Accept: {acc}\r\n\r\n").as_bytes()).unwrap();
    pump(&mut [&mut c], "refused", |p| {
        p[0].get_ready_state() == State::Closed
    });
    assert_eq!(c.get_close_code(), -1);
}

/// A raw server that completes the handshake with our client, then sends `bytes`.
fn hostile_server(bytes: &[u8]) -> (WebSocketPeer, Vec<u8>) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let mut c = WebSocketPeer::new();
    c.connect_to_url(&format!("ws://127.0.0.1:{port}/"))
        .unwrap();
    let (mut t, _) = l.accept().unwrap();
    t.set_read_timeout(Some(Duration::from_millis(5))).unwrap();
    let mut req = Vec::new();
    let end = Instant::now() + LIMIT;
    while !req.ends_with(b"\r\n\r\n") {
        c.poll();
        let mut b = [0u8; 1];
        if let Ok(1) = t.read(&mut b) {
            req.push(b[0]);
        }
        assert!(Instant::now() < end);
    }
    let text = String::from_utf8(req).unwrap();
    let key = text
        .lines()
        .find_map(|l| l.strip_prefix("Sec-WebSocket-Key: "))
        .unwrap()
        .to_string();
    let acc = packetpeer::ws::handshake::accept_key(&key);
    t.write_all(format!("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {acc}\r\n\r\n").as_bytes()).unwrap();
    t.write_all(bytes).unwrap();
    let mut got = Vec::new();
    let end = Instant::now() + LIMIT;
    loop {
        c.poll();
        let mut b = [0u8; 256];
        match t.read(&mut b) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&b[..n]),
            Err(_) => {}
        }
        // A whole (masked) close frame: 2 + 4 + its length.
        if got.len() >= 2 && got.len() >= 6 + (got[1] & 0x7F) as usize {
            break;
        }
        assert!(Instant::now() < end, "client never answered");
    }
    drop(t);
    pump(&mut [&mut c], "client closed", |p| {
        p[0].get_ready_state() == State::Closed
    });
    (c, got)
}

#[test]
fn hostile_server_frames_get_engine_close_codes() {
    // A masked frame from a server, a reserved opcode, and an over-long ping.
    for (what, bytes) in [
        ("masked from server", vec![0x82, 0x81, 1, 2, 3, 4, 5]),
        ("reserved opcode", vec![0x8F, 0x00]),
        ("ping over 125 bytes", vec![0x89, 0x7E, 0x00, 0x80]),
    ] {
        let (c, got) = hostile_server(&bytes);
        // Our client's close frame is masked: unmask it to read code and reason.
        assert!(
            got.len() >= 6 && got[0] == 0x88 && got[1] & 0x80 != 0,
            "{what}: {got:?}"
        );
        let n = (got[1] & 0x7F) as usize;
        let mask = [got[2], got[3], got[4], got[5]];
        let body: Vec<u8> = got[6..6 + n]
            .iter()
            .enumerate()
            .map(|(i, b)| b ^ mask[i % 4])
            .collect();
        assert_eq!(&body[..2], &1002u16.to_be_bytes(), "{what}");
        assert_eq!(&body[2..], b"Protocol error", "{what}");
        assert_eq!(c.get_close_code(), 1002, "{what}");
    }
}

#[test]
fn ipv6_loopback() {
    let mut srv = TcpServer::new();
    srv.listen(0, "::1").unwrap();
    let port = srv.get_local_port();
    let mut c = WebSocketPeer::new();
    c.connect_to_url(&format!("ws://[::1]:{port}/v6")).unwrap();
    let end = Instant::now() + LIMIT;
    let tcp = loop {
        c.poll();
        if let Some(t) = srv.take_connection() {
            break t;
        }
        assert!(Instant::now() < end, "no IPv6 connection");
        std::thread::sleep(Duration::from_millis(1));
    };
    let mut s = WebSocketPeer::new();
    s.accept_tcp(tcp).unwrap();
    pump(&mut [&mut c, &mut s], "open over IPv6", |p| {
        p[0].get_ready_state() == State::Open && p[1].get_ready_state() == State::Open
    });
    assert_eq!(c.get_connected_host(), "0:0:0:0:0:0:0:1");
    // The engine writes the IPv6 host without brackets in the Host header (docs/classes.md §19.1).
    assert_eq!(s.get_requested_url(), format!("ws://::1:{port}/v6"));
    c.send_text("v6").unwrap();
    pump(&mut [&mut c, &mut s], "message", |p| {
        p[1].get_available_packet_count() == 1
    });
    assert_eq!(s.get_packet().unwrap(), b"v6");
}
