//! A real browser against our servers: headless Chromium (Debian's `chromium`, installed by
//! scripts/deps.sh) loads a local page whose script connects to our WebSocketPeer server and to our
//! WebSocketMultiplayerPeer server on 127.0.0.1, exchanges text and binary messages, and reports
//! back through messages our servers check. A missing browser fails the test with the reason.
//! The same over wss: our servers use a self-signed certificate from the library's Crypto helpers,
//! which the browser is told to accept by its public key (`--ignore-certificate-errors-spki-list`).
mod tls_util;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use packetpeer::multiplayer::{MultiplayerEvent, MultiplayerPeer};
use packetpeer::net::tcp_server::TcpServer;
use packetpeer::peer::PacketPeer;
use packetpeer::tls::TlsOptions;
use packetpeer::ws::{State, TlsWsStream, WebSocketMultiplayerPeer, WebSocketPeer, WriteMode};

const LIMIT: Duration = Duration::from_secs(60);

const PAGE: &str = r#"<!doctype html><meta charset="utf-8"><title>pp</title><script>
const q = new URLSearchParams(location.search);
function peer() {
  const ws = new WebSocket(`${q.get('s')}://127.0.0.1:${q.get('p1')}/browser`, ['chat']);
  ws.binaryType = 'arraybuffer';
  let got = [];
  ws.onopen = () => { ws.send('browser-text \u2713'); ws.send(new Uint8Array([1, 2, 3, 255])); };
  ws.onmessage = (e) => {
    got.push(typeof e.data === 'string' ? 'T:' + e.data : 'B:' + Array.from(new Uint8Array(e.data)).join(','));
    if (got.length === 2) { ws.send('seen ' + got.join(' ')); ws.close(4002, 'bye'); }
  };
}
function mp() {
  const ws = new WebSocket(`${q.get('s')}://127.0.0.1:${q.get('p2')}/`);
  ws.binaryType = 'arraybuffer';
  let first = true;
  ws.onmessage = (e) => {
    if (first) { first = false; ws.send(e.data); ws.send(new TextEncoder().encode('mp-ok')); }
  };
}
peer(); mp();
</script>"#;

/// The browser process and its profile/page directory; killed by pid and removed when dropped.
struct Browser {
    child: Child,
    dir: PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `spki`: base64 SHA-256 of the servers' public key (wss), accepted without a trusted chain.
fn start_browser(p1: u16, p2: u16, spki: Option<&str>) -> Browser {
    let scheme = if spki.is_some() { "wss" } else { "ws" };
    let dir = std::env::temp_dir().join(format!("pp-ws-browser-{}-{scheme}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("profile")).expect("temp dir");
    let page = dir.join("page.html");
    std::fs::write(&page, PAGE).expect("page");
    let url = format!("file://{}?p1={p1}&p2={p2}&s={scheme}", page.display());
    let mut cmd = Command::new("chromium");
    if let Some(k) = spki {
        cmd.arg(format!("--ignore-certificate-errors-spki-list={k}"));
    }
    let child = cmd
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start chromium ({e}): run scripts/deps.sh (Debian package chromium)")
        });
    Browser { child, dir }
}

#[test]
fn chromium_talks_to_our_servers() {
    exchange_with_chromium(None);
}

#[test]
fn chromium_talks_to_our_servers_over_wss() {
    let dir = tls_util::temp_dir();
    let cert = tls_util::make_cert(&dir, "srv", "localhost", true);
    let spki = cert
        .cert
        .leaf()
        .public_key()
        .unwrap()
        .public_key_to_der()
        .unwrap();
    let spki = openssl::base64::encode_block(&openssl::sha::sha256(&spki));
    let opts = TlsOptions::server(cert.key.clone(), cert.cert.clone()).unwrap();
    exchange_with_chromium(Some((&opts, &spki)));
}

/// `tls`: the servers' options and the base64 SPKI hash the browser accepts.
fn exchange_with_chromium(tls: Option<(&TlsOptions, &str)>) {
    let mut tcp = TcpServer::new();
    tcp.listen(0, "127.0.0.1").unwrap();
    let mut mp = WebSocketMultiplayerPeer::new();
    mp.create_server_tls(0, "127.0.0.1", tls.map(|t| t.0))
        .unwrap();
    let mut browser = start_browser(tcp.get_local_port(), mp.get_local_port(), tls.map(|t| t.1));

    let mut ws = WebSocketPeer::new();
    ws.set_supported_protocols(&["chat"]).unwrap();
    let mut accepted = false;
    let mut peer_msgs: Vec<String> = Vec::new();
    let mut replied = false;
    let mut mp_id = 0;
    let mut mp_packets: Vec<Vec<u8>> = Vec::new();
    let end = Instant::now() + LIMIT;
    loop {
        if !accepted {
            if let Some(t) = tcp.take_connection() {
                match tls {
                    None => ws.accept_tcp(t).unwrap(),
                    Some((o, _)) => ws
                        .accept_stream(Box::new(TlsWsStream::server(t, o).unwrap()))
                        .unwrap(),
                }
                accepted = true;
            }
        }
        ws.poll();
        while let Ok(p) = ws.get_packet() {
            let p = p.to_vec();
            peer_msgs.push(if ws.was_string_packet() {
                format!("T:{}", String::from_utf8_lossy(&p))
            } else {
                format!("B:{p:?}")
            });
        }
        if peer_msgs.len() >= 2 && !replied {
            ws.send_text("srv-text ✓").unwrap();
            ws.send(&[9, 8, 7], WriteMode::Binary).unwrap();
            replied = true;
        }
        let _ = MultiplayerPeer::poll(&mut mp);
        while let Some(e) = mp.pop_event() {
            if let MultiplayerEvent::PeerConnected(id) = e {
                mp_id = id;
            }
        }
        while mp.get_available_packet_count() > 0 {
            assert_eq!(mp.get_packet_peer(), mp_id);
            mp_packets.push(mp.get_packet().unwrap().to_vec());
        }
        if ws.get_ready_state() == State::Closed && accepted && mp_packets.len() >= 2 {
            break;
        }
        if let Ok(Some(st)) = browser.child.try_wait() {
            panic!("chromium exited ({st}) before the exchange finished: msgs {peer_msgs:?}");
        }
        assert!(
            Instant::now() < end,
            "browser exchange incomplete: accepted {accepted}, msgs {peer_msgs:?}, mp id {mp_id}, mp packets {mp_packets:?}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(ws.get_selected_protocol(), "chat");
    if tls.is_some() {
        assert!(ws.get_requested_url().starts_with("wss://"));
    }
    assert_eq!(
        peer_msgs,
        vec![
            "T:browser-text ✓".to_string(),
            "B:[1, 2, 3, 255]".to_string(),
            "T:seen T:srv-text ✓ B:9,8,7".to_string(),
        ]
    );
    assert_eq!((ws.get_close_code(), ws.get_close_reason()), (4002, "bye"));
    assert!(mp_id >= 2);
    assert_eq!(
        mp_packets,
        vec![mp_id.to_le_bytes().to_vec(), b"mp-ok".to_vec()]
    );
}
