//! WebRTCPeerConnection / WebRTCDataChannel against independent WebRTC stacks on loopback, each side
//! as offerer and as answerer, signalling through this test: libdatachannel (npm's
//! `node-datachannel`, what Godot's desktop plugin webrtc-native uses; tests/webrtc/peer.js) and
//! Python's `aiortc` (tests/webrtc/peer.py), installed by scripts/deps.sh outside the repository
//! (PP_TOOLS_DIR). A missing tool fails the test with the reason.
//!
//! Covered with each: in-band (DCEP) channels opened by either side and a negotiated one (id 9),
//! ordered reliable and unordered `maxRetransmits` 0, the protocol string, text and binary, 1 B,
//! 1200 B and 64 KiB messages (echoed by the remote), a channel closed by us and one closed by them.
//! The `*_through_turn` runs do the same with our side relay-only (`iceTransportPolicy` "relay")
//! through a coturn started by the test: the other stack's host candidate talks to our relayed one.
mod turn_server;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use packetpeer::peer::PacketPeer;
use packetpeer::variant::{Dictionary, Variant};
use packetpeer::webrtc::{
    ChannelState, ConnectionState, PeerEvent, WebRtcDataChannel, WebRtcPeerConnection, WriteMode,
};

const LIMIT: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug)]
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

/// JSON string literal.
fn js(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// The flat JSON objects the peer scripts print: string, number, boolean and null values.
fn parse_line(line: &str) -> HashMap<String, String> {
    let b: Vec<char> = line.trim().chars().collect();
    let mut i = 0;
    let mut m = HashMap::new();
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && b[*i].is_whitespace() {
            *i += 1
        }
    };
    let string = |i: &mut usize| -> String {
        assert_eq!(b[*i], '"', "string expected in {line}");
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
    assert_eq!(b[0], '{', "not an object: {line}");
    i += 1;
    loop {
        skip_ws(&mut i);
        if b[i] == '}' {
            break;
        }
        let k = string(&mut i);
        skip_ws(&mut i);
        assert_eq!(b[i], ':');
        i += 1;
        skip_ws(&mut i);
        let v = if b[i] == '"' {
            string(&mut i)
        } else {
            let start = i;
            while b[i] != ',' && b[i] != '}' {
                i += 1;
            }
            b[start..i].iter().collect::<String>().trim().to_string()
        };
        m.insert(k, v);
        skip_ws(&mut i);
        if b[i] == ',' {
            i += 1;
        }
    }
    m
}

/// The other stack's process; killed by pid when dropped.
struct Peer {
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<String>,
    name: &'static str,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Peer {
    fn start(tool: Tool, role: &str) -> Peer {
        let dir = tools_dir();
        let scripts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/webrtc");
        let (mut cmd, name) = match tool {
            Tool::Python => {
                let mut c = Command::new("python3");
                c.env("PYTHONPATH", dir.join("webrtc-python"))
                    .arg(scripts.join("peer.py"));
                (c, "python3 + aiortc")
            }
            Tool::Node => {
                let mut c = Command::new("node");
                c.env("NODE_PATH", dir.join("webrtc-node/node_modules"))
                    .arg(scripts.join("peer.js"));
                (c, "node + node-datachannel")
            }
        };
        let mut child = cmd
            .arg(role)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {name} ({e}): install it with scripts/deps.sh (tools dir {dir:?})")
            });
        let stdout = child.stdout.take().unwrap();
        let stdin = child.stdin.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(l) = line else { break };
                if tx.send(l).is_err() {
                    break;
                }
            }
        });
        Peer {
            child,
            stdin,
            lines: rx,
            name,
        }
    }

    fn send(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").unwrap_or_else(|e| panic!("{} went away: {e}", self.name));
        self.stdin.flush().unwrap();
    }

    fn alive(&mut self) {
        if let Ok(Some(st)) = self.child.try_wait() {
            panic!(
                "{} exited ({st}); is it installed? (scripts/deps.sh, tools dir {:?})",
                self.name,
                tools_dir()
            );
        }
    }
}

fn dict(pairs: &[(&str, Variant)]) -> Variant {
    let mut d = Dictionary::new();
    for (k, v) in pairs {
        d.insert(Variant::String((*k).into()), v.clone());
    }
    Variant::Dictionary(Box::new(d))
}

struct Session {
    peer: Peer,
    conn: WebRtcPeerConnection,
    ours: HashMap<String, WebRtcDataChannel>,
    their_open: Vec<String>,
    their_closed: Vec<String>,
    /// The candidates we reported.
    our_cands: Vec<String>,
}

impl Session {
    /// One round: poll, our signals to them, theirs to us.
    fn step(&mut self) {
        let _ = self.conn.poll();
        while let Some(e) = self.conn.pop_event() {
            match e {
                PeerEvent::SessionDescriptionCreated { kind, sdp } => {
                    let l = format!(r#"{{"t":"sdp","type":{},"sdp":{}}}"#, js(&kind), js(&sdp));
                    self.peer.send(&l);
                }
                PeerEvent::IceCandidateCreated { media, name, .. } => {
                    self.our_cands.push(name.clone());
                    let l = format!(
                        r#"{{"t":"cand","cand":{},"mid":{}}}"#,
                        js(&name),
                        js(&media)
                    );
                    self.peer.send(&l);
                }
                PeerEvent::DataChannelReceived(ch) => {
                    self.ours.insert(ch.get_label(), ch);
                }
                _ => {}
            }
        }
        while let Ok(line) = self.peer.lines.try_recv() {
            let m = parse_line(&line);
            match m["t"].as_str() {
                "sdp" => self
                    .conn
                    .set_remote_description(&m["type"], &m["sdp"])
                    .unwrap_or_else(|e| {
                        panic!("their {}: {e:?} {}", m["type"], self.conn.last_error())
                    }),
                "cand" => self
                    .conn
                    .add_ice_candidate(&m["mid"], 0, &m["cand"])
                    .unwrap_or_else(|e| panic!("their candidate {}: {e:?}", m["cand"])),
                "open" => self.their_open.push(m["label"].clone()),
                "closed" => self.their_closed.push(m["label"].clone()),
                _ => {}
            }
        }
        self.peer.alive();
    }

    fn until(&mut self, what: &str, mut done: impl FnMut(&mut Session) -> bool) {
        let end = Instant::now() + LIMIT;
        loop {
            self.step();
            if done(self) {
                return;
            }
            assert!(
                Instant::now() < end,
                "{}: timed out waiting for {what} (state {:?}, ours {:?}, theirs open {:?}, last error {:?})",
                self.peer.name,
                self.conn.get_connection_state(),
                self.ours.keys().collect::<Vec<_>>(),
                self.their_open,
                self.conn.last_error()
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    fn echo(&mut self, label: &str, msg: &[u8], text: bool) {
        {
            let ch = self.ours.get_mut(label).unwrap();
            ch.set_write_mode(if text {
                WriteMode::Text
            } else {
                WriteMode::Binary
            });
            ch.put_packet(msg)
                .unwrap_or_else(|e| panic!("send {} B on {label}: {e:?}", msg.len()));
        }
        self.until(&format!("the echo of {} B on {label}", msg.len()), |s| {
            s.ours.get_mut(label).unwrap().get_available_packet_count() > 0
        });
        let ch = self.ours.get_mut(label).unwrap();
        let got = ch.get_packet().unwrap().to_vec();
        assert_eq!(got.len(), msg.len(), "{label}: echo length");
        assert!(got == msg, "{label}: echo content");
        assert_eq!(ch.was_string_packet(), text, "{label}: echo kind");
    }
}

/// `they_offer`: the other stack makes the offer and the in-band channels.
fn run(tool: Tool, they_offer: bool) {
    run_with(tool, they_offer, None)
}

/// `turn`: our side is relay-only through this TURN server (`turn:` URL).
fn run_with(tool: Tool, they_offer: bool, turn: Option<&str>) {
    let peer = Peer::start(tool, if they_offer { "offer" } else { "answer" });
    let conn = WebRtcPeerConnection::new();
    let mut cfg = vec![(
        "bindAddresses",
        Variant::PackedStringArray(vec!["127.0.0.1".into()]),
    )];
    if let Some(url) = turn {
        let server = dict(&[
            ("urls", Variant::String(url.into())),
            ("username", Variant::String(turn_server::USER.into())),
            ("credential", Variant::String(turn_server::PASSWORD.into())),
        ]);
        cfg.push((
            "iceServers",
            Variant::Array(Box::new(packetpeer::variant::Array {
                element_type: Default::default(),
                elements: vec![server],
            })),
        ));
        cfg.push(("iceTransportPolicy", Variant::String("relay".into())));
    }
    conn.initialize(&dict(&cfg)).unwrap();
    let mut ours = HashMap::new();
    let neg = dict(&[("negotiated", Variant::Bool(true)), ("id", Variant::Int(9))]);
    ours.insert("neg".into(), conn.create_data_channel("neg", &neg).unwrap());
    if !they_offer {
        let rel = dict(&[("protocol", Variant::String("proto-rel".into()))]);
        ours.insert("rel".into(), conn.create_data_channel("rel", &rel).unwrap());
        let unrel = dict(&[
            ("ordered", Variant::Bool(false)),
            ("maxRetransmits", Variant::Int(0)),
        ]);
        ours.insert(
            "unrel".into(),
            conn.create_data_channel("unrel", &unrel).unwrap(),
        );
        conn.create_offer().unwrap();
    }
    let mut s = Session {
        peer,
        conn,
        ours,
        their_open: Vec::new(),
        their_closed: Vec::new(),
        our_cands: Vec::new(),
    };
    s.until("three open channels on both sides", |s| {
        s.ours.len() == 3
            && s.ours
                .values()
                .all(|c| c.get_ready_state() == ChannelState::Open)
            && s.their_open.len() >= 3
    });
    assert_eq!(s.conn.get_connection_state(), ConnectionState::Connected);
    if turn.is_some() {
        assert!(!s.our_cands.is_empty());
        for c in &s.our_cands {
            assert!(c.contains("typ relay"), "we reported {c}");
        }
    }
    let rel = &s.ours["rel"];
    assert!(rel.is_ordered() && !rel.is_negotiated());
    assert_eq!(rel.get_protocol(), "proto-rel");
    let unrel = &s.ours["unrel"];
    assert!(!unrel.is_ordered());
    assert_eq!(unrel.get_max_retransmits(), 0);
    assert_eq!(s.ours["neg"].get_id(), 9);

    for label in ["rel", "neg", "unrel"] {
        s.echo(label, b"hello", true);
        let sizes: &[usize] = if label == "unrel" {
            &[1, 1200]
        } else {
            &[1, 1200, 65536]
        };
        for &n in sizes {
            let msg: Vec<u8> = (0..n).map(|i| (i * 7 % 256) as u8).collect();
            s.echo(label, &msg, false);
        }
    }

    // We close "rel"; they close "neg" when asked.
    s.ours.get_mut("rel").unwrap().close();
    {
        let neg = s.ours.get_mut("neg").unwrap();
        neg.set_write_mode(WriteMode::Text);
        neg.put_packet(b"close-me").unwrap();
    }
    s.until("both closes", |s| {
        s.their_closed.iter().any(|l| l == "rel")
            && s.ours["rel"].get_ready_state() == ChannelState::Closed
            && s.ours["neg"].get_ready_state() == ChannelState::Closed
    });
    // The third still works.
    s.echo("unrel", b"after", false);
    s.peer.send(r#"{"t":"quit"}"#);
    s.conn.close();
}

#[test]
fn node_datachannel_offers() {
    run(Tool::Node, true);
}

#[test]
fn node_datachannel_answers() {
    run(Tool::Node, false);
}

#[test]
fn aiortc_offers() {
    run(Tool::Python, true);
}

#[test]
fn aiortc_answers() {
    run(Tool::Python, false);
}

#[test]
fn node_datachannel_offers_through_turn() {
    let t = turn_server::start_coturn();
    run_with(Tool::Node, true, Some(&format!("turn:{}", t.addr)));
}

#[test]
fn node_datachannel_answers_through_turn() {
    let t = turn_server::start_coturn();
    run_with(Tool::Node, false, Some(&format!("turn:{}", t.addr)));
}

#[test]
fn aiortc_offers_through_turn() {
    let t = turn_server::start_coturn();
    run_with(Tool::Python, true, Some(&format!("turn:{}", t.addr)));
}

#[test]
fn aiortc_answers_through_turn() {
    let t = turn_server::start_coturn();
    run_with(Tool::Python, false, Some(&format!("turn:{}", t.addr)));
}
