//! A real browser against our servers: headless Chromium (Debian's `chromium`, installed by
//! scripts/deps.sh) loads a local page whose script connects to our WebSocketPeer server and to our
//! WebSocketMultiplayerPeer server on 127.0.0.1, exchanges text and binary messages, and reports
//! back through messages our servers check. A missing browser fails the test with the reason.
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use packetpeer::multiplayer::{MultiplayerEvent, MultiplayerPeer};
use packetpeer::net::tcp_server::TcpServer;
use packetpeer::peer::PacketPeer;
use packetpeer::ws::{State, WebSocketMultiplayerPeer, WebSocketPeer, WriteMode};

const LIMIT: Duration = Duration::from_secs(60);

const PAGE: &str = r#"<!doctype html><meta charset="utf-8"><title>pp</title><script>
const q = new URLSearchParams(location.search);
function peer() {
  const ws = new WebSocket(`ws://127.0.0.1:${q.get('p1')}/browser`, ['chat']);
  ws.binaryType = 'arraybuffer';
  let got = [];
  ws.onopen = () => { ws.send('browser-text \u2713'); ws.send(new Uint8Array([1, 2, 3, 255])); };
  ws.onmessage = (e) => {
    got.push(typeof e.data === 'string' ? 'T:' + e.data : 'B:' + Array.from(new Uint8Array(e.data)).join(','));
    if (got.length === 2) { ws.send('seen ' + got.join(' ')); ws.close(4002, 'bye'); }
  };
}
function mp() {
  const ws = new WebSocket(`ws://127.0.0.1:${q.get('p2')}/`);
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

fn start_browser(p1: u16, p2: u16) -> Browser {
    let dir = std::env::temp_dir().join(format!("pp-ws-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("profile")).expect("temp dir");
    let page = dir.join("page.html");
    std::fs::write(&page, PAGE).expect("page");
    let url = format!("file://{}?p1={p1}&p2={p2}", page.display());
    let child = Command::new("chromium")
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
    let mut tcp = TcpServer::new();
    tcp.listen(0, "127.0.0.1").unwrap();
    let mut mp = WebSocketMultiplayerPeer::new();
    mp.create_server(0, "127.0.0.1").unwrap();
    let mut browser = start_browser(tcp.get_local_port(), mp.get_local_port());

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
                ws.accept_tcp(t).unwrap();
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
