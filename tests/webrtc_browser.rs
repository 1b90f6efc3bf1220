//! A real browser's RTCPeerConnection against our WebRTCPeerConnection: headless Chromium (Debian's
//! `chromium`, installed by scripts/deps.sh) loads a local page that offers a DCEP channel and a
//! negotiated unordered one, signals through a WebSocket to our WebSocketPeer server, exchanges text
//! and binary messages with us, and reports what it received; the test checks both directions.
//!
//! Chromium gathers no loopback candidates, and its host candidates would be this machine's real
//! interfaces. So the exchange runs in a network namespace of its own (`unshare --net`, as root)
//! holding only `lo` and a veth pair with 10.253.0.1: nothing leaves the namespace, and the browser
//! and we meet on that private address. A missing browser, `unshare` or `ip` fails the test with the
//! reason.
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use packetpeer::net::tcp_server::TcpServer;
use packetpeer::peer::PacketPeer;
use packetpeer::variant::{Dictionary, Variant};
use packetpeer::webrtc::{
    ChannelState, PeerEvent, WebRtcDataChannel, WebRtcPeerConnection, WriteMode,
};
use packetpeer::ws::{State, WebSocketPeer};

const LIMIT: Duration = Duration::from_secs(60);
const NS_ADDR: &str = "10.253.0.1";

const PAGE: &str = r#"<!doctype html><meta charset="utf-8"><title>pp-webrtc</title><script>
const q = new URLSearchParams(location.search);
const ws = new WebSocket(`ws://127.0.0.1:${q.get('p')}/`);
const pc = new RTCPeerConnection({ iceServers: [] });
const dc = pc.createDataChannel('chat');
const neg = pc.createDataChannel('neg', { negotiated: true, id: 5, ordered: false, maxRetransmits: 0 });
dc.binaryType = 'arraybuffer';
const report = (o) => ws.send(JSON.stringify(o));
pc.onicecandidate = (e) => {
  if (e.candidate && e.candidate.candidate) report({ t: 'cand', cand: e.candidate.candidate, mid: e.candidate.sdpMid });
};
pc.onconnectionstatechange = () => report({ t: 'state', state: pc.connectionState });
ws.onopen = async () => {
  await pc.setLocalDescription(await pc.createOffer());
  report({ t: 'sdp', type: 'offer', sdp: pc.localDescription.sdp });
};
ws.onmessage = async (e) => {
  const m = JSON.parse(e.data);
  if (m.t === 'sdp') await pc.setRemoteDescription({ type: m.type, sdp: m.sdp });
  else if (m.t === 'cand') await pc.addIceCandidate({ candidate: m.cand, sdpMid: m.mid });
};
dc.onopen = () => { dc.send('hello from chromium'); dc.send(new Uint8Array([1, 2, 3, 250])); };
neg.onopen = () => neg.send('neg from chromium');
const got = [];
dc.onmessage = (e) => {
  got.push(typeof e.data === 'string' ? 'T:' + e.data : 'B:' + Array.from(new Uint8Array(e.data)).join(','));
  if (got.length === 2) report({ t: 'result', got: got.join('|') });
};
</script>"#;

/// JSON string literal.
fn js(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// The page's flat JSON objects (string values only matter here).
fn parse(line: &str) -> HashMap<String, String> {
    let b: Vec<char> = line.trim().chars().collect();
    let mut m = HashMap::new();
    let mut i = 1;
    let string = |i: &mut usize| -> String {
        *i += 1;
        let mut s = String::new();
        while b[*i] != '"' {
            if b[*i] == '\\' {
                *i += 1;
                match b[*i] {
                    'n' => s.push('\n'),
                    'r' => s.push('\r'),
                    't' => s.push('\t'),
                    'u' => {
                        let h: String = b[*i + 1..*i + 5].iter().collect();
                        s.push(char::from_u32(u32::from_str_radix(&h, 16).unwrap()).unwrap_or('?'));
                        *i += 4;
                    }
                    c => s.push(c),
                }
            } else {
                s.push(b[*i]);
            }
            *i += 1;
        }
        *i += 1;
        s
    };
    while i < b.len() && b[i] != '}' {
        if b[i] == ',' || b[i].is_whitespace() {
            i += 1;
            continue;
        }
        let k = string(&mut i);
        i += 1; // ':'
        let v = if b[i] == '"' {
            string(&mut i)
        } else {
            let start = i;
            while b[i] != ',' && b[i] != '}' {
                i += 1;
            }
            b[start..i].iter().collect()
        };
        m.insert(k, v);
    }
    m
}

/// The browser and its profile/page directory; killed by pid and removed when dropped.
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

fn start_browser(port: u16) -> Browser {
    let dir = std::env::temp_dir().join(format!("pp-webrtc-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("profile")).expect("temp dir");
    let page = dir.join("page.html");
    std::fs::write(&page, PAGE).expect("page");
    let child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("file://{}?p={port}", page.display()))
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
fn chromium_over_webrtc() {
    let exe = std::env::current_exe().unwrap();
    let setup = format!(
        "ip link set lo up && ip link add pp0 type veth peer name pp1 && \
         ip addr add {NS_ADDR}/24 dev pp0 && ip link set pp0 up && ip link set pp1 up && \
         exec \"$0\" --exact chromium_in_namespace --include-ignored --nocapture --test-threads=1"
    );
    let status = Command::new("unshare")
        .args(["--net", "--", "sh", "-c", &setup])
        .arg(&exe)
        .env("PP_WEBRTC_BROWSER_NAMESPACE", "1")
        .status()
        .unwrap_or_else(|e| {
            panic!("cannot run unshare ({e}): the browser test needs util-linux unshare, iproute2 and root")
        });
    assert!(
        status.success(),
        "the browser exchange in its network namespace failed ({status}; output above; it needs root, unshare, iproute2 and chromium)"
    );
}

#[test]
#[ignore = "run by chromium_over_webrtc inside a network namespace of its own"]
fn chromium_in_namespace() {
    assert!(
        std::env::var_os("PP_WEBRTC_BROWSER_NAMESPACE").is_some(),
        "run through chromium_over_webrtc"
    );
    let mut tcp = TcpServer::new();
    tcp.listen(0, "127.0.0.1").unwrap();
    let mut browser = start_browser(tcp.get_local_port());
    let mut ws = WebSocketPeer::new();
    let mut accepted = false;

    let conn = WebRtcPeerConnection::new();
    let mut cfg = Dictionary::new();
    cfg.insert(
        Variant::String("bindAddresses".into()),
        Variant::PackedStringArray(vec![NS_ADDR.into()]),
    );
    conn.initialize(&Variant::Dictionary(Box::new(cfg)))
        .unwrap();
    let mut neg_opts = Dictionary::new();
    for (k, v) in [
        ("negotiated", Variant::Bool(true)),
        ("id", Variant::Int(5)),
        ("ordered", Variant::Bool(false)),
        ("maxRetransmits", Variant::Int(0)),
    ] {
        neg_opts.insert(Variant::String(k.into()), v);
    }
    let mut neg = conn
        .create_data_channel("neg", &Variant::Dictionary(Box::new(neg_opts)))
        .unwrap();

    let mut chat: Option<WebRtcDataChannel> = None;
    let mut from_browser: Vec<String> = Vec::new();
    let mut neg_msg = None;
    let mut replied = false;
    let mut result = None;
    let mut states = Vec::new();
    let end = Instant::now() + LIMIT;
    while result.is_none() || neg_msg.is_none() {
        if !accepted {
            if let Some(t) = tcp.take_connection() {
                ws.accept_tcp(t).unwrap();
                accepted = true;
            }
        }
        ws.poll();
        while let Ok(p) = ws.get_packet() {
            let m = parse(&String::from_utf8_lossy(p));
            match m["t"].as_str() {
                "sdp" => conn
                    .set_remote_description(&m["type"], &m["sdp"])
                    .unwrap_or_else(|e| panic!("browser's offer: {e:?} {}", conn.last_error())),
                "cand" => conn.add_ice_candidate(&m["mid"], 0, &m["cand"]).unwrap(),
                "state" => states.push(m["state"].clone()),
                "result" => result = Some(m["got"].clone()),
                _ => {}
            }
        }
        let _ = conn.poll();
        while let Some(e) = conn.pop_event() {
            match e {
                PeerEvent::SessionDescriptionCreated { kind, sdp } => {
                    let l = format!(r#"{{"t":"sdp","type":{},"sdp":{}}}"#, js(&kind), js(&sdp));
                    ws.send_text(&l).unwrap();
                }
                PeerEvent::IceCandidateCreated { media, name, .. } => {
                    let l = format!(
                        r#"{{"t":"cand","cand":{},"mid":{}}}"#,
                        js(&name),
                        js(&media)
                    );
                    ws.send_text(&l).unwrap();
                }
                PeerEvent::DataChannelReceived(ch) => chat = Some(ch),
                _ => {}
            }
        }
        if let Some(ch) = chat.as_mut() {
            while let Ok(p) = ch.get_packet() {
                let p = p.to_vec();
                from_browser.push(if ch.was_string_packet() {
                    format!("T:{}", String::from_utf8_lossy(&p))
                } else {
                    format!("B:{p:?}")
                });
            }
            if from_browser.len() == 2 && !replied && ch.get_ready_state() == ChannelState::Open {
                ch.set_write_mode(WriteMode::Text);
                ch.put_packet("hello from packetpeer ✓".as_bytes()).unwrap();
                ch.set_write_mode(WriteMode::Binary);
                ch.put_packet(&[9, 8, 7]).unwrap();
                replied = true;
            }
        }
        if let Ok(p) = neg.get_packet() {
            neg_msg = Some((
                String::from_utf8_lossy(p).into_owned(),
                neg.was_string_packet(),
            ));
        }
        if let Ok(Some(st)) = browser.child.try_wait() {
            panic!("chromium exited ({st}) early: states {states:?}, got {from_browser:?}");
        }
        assert!(
            Instant::now() < end,
            "browser exchange incomplete: ws {:?}, connection {:?}, browser states {states:?}, \
             got {from_browser:?}, neg {neg_msg:?}, stats {:?}, last error {:?}",
            ws.get_ready_state(),
            conn.get_connection_state(),
            conn.stats(),
            conn.last_error()
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(ws.get_ready_state(), State::Open);
    let chat = chat.unwrap();
    assert_eq!(chat.get_label(), "chat");
    assert!(chat.is_ordered() && !chat.is_negotiated());
    assert_eq!(
        from_browser,
        vec![
            "T:hello from chromium".to_string(),
            "B:[1, 2, 3, 250]".to_string()
        ]
    );
    assert_eq!(
        result.unwrap(),
        "T:hello from packetpeer ✓|B:9,8,7".to_string()
    );
    assert_eq!(neg_msg, Some(("neg from chromium".to_string(), true)));
    conn.close();
}
