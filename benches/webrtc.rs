//! WebRTC data channel throughput in messages per CPU-second over one reliable ordered channel
//! (64 B and 16 KiB), and connection set-up time (create_offer to the channel open on both ends):
//! packetpeer's pair (two WebRTCPeerConnections in this thread, `poll` loop, loopback) vs a
//! node-datachannel (libdatachannel) pair in one Node process (tests/webrtc/bench.js), measured in
//! the same run. CPU time is each whole process's (user + system, every thread).
//!
//! Run: `cargo bench --bench webrtc` (needs node and node-datachannel from scripts/deps.sh; the
//! baseline is reported missing otherwise). Figures only, nothing asserted.
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use packetpeer::peer::PacketPeer;
use packetpeer::variant::{Dictionary, Variant};
use packetpeer::webrtc::{ChannelState, PeerEvent, WebRtcDataChannel, WebRtcPeerConnection};
use packetpeer::Error;

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

fn conn() -> WebRtcPeerConnection {
    let mut d = Dictionary::new();
    d.insert(
        Variant::String("bindAddresses".into()),
        Variant::PackedStringArray(vec!["127.0.0.1".into()]),
    );
    let c = WebRtcPeerConnection::new();
    c.initialize(&Variant::Dictionary(Box::new(d))).unwrap();
    c
}

fn relay(from: &WebRtcPeerConnection, to: &WebRtcPeerConnection) -> Option<WebRtcDataChannel> {
    let mut got = None;
    while let Some(e) = from.pop_event() {
        match e {
            PeerEvent::SessionDescriptionCreated { kind, sdp } => {
                to.set_remote_description(&kind, &sdp).unwrap()
            }
            PeerEvent::IceCandidateCreated { media, index, name } => {
                to.add_ice_candidate(&media, index, &name).unwrap()
            }
            PeerEvent::DataChannelReceived(ch) => got = Some(ch),
            _ => {}
        }
    }
    got
}

/// A connected pair: (a, b, channel at a, channel at b, set-up time).
fn pair() -> (
    WebRtcPeerConnection,
    WebRtcPeerConnection,
    WebRtcDataChannel,
    WebRtcDataChannel,
    Duration,
) {
    let t0 = Instant::now();
    let a = conn();
    let b = conn();
    let tx = a.create_data_channel("bench", &Variant::Nil).unwrap();
    a.create_offer().unwrap();
    let mut rx = None;
    let end = Instant::now() + Duration::from_secs(30);
    loop {
        let _ = a.poll();
        let _ = b.poll();
        relay(&a, &b);
        if let Some(ch) = relay(&b, &a) {
            rx = Some(ch);
        }
        if rx.is_some() && tx.get_ready_state() == ChannelState::Open {
            break;
        }
        assert!(Instant::now() < end, "no connection");
        std::thread::sleep(Duration::from_micros(100));
    }
    (a, b, tx, rx.unwrap(), t0.elapsed())
}

/// (messages per CPU-second, per wall-second, set-up ms)
fn ours(size: usize, n: usize) -> (f64, f64, f64) {
    let (a, b, mut tx, mut rx, setup) = pair();
    let msg = vec![0xA5u8; size];
    let (cpu0, wall0) = (cpu_seconds(), Instant::now());
    let (mut sent, mut got) = (0, 0);
    while got < n {
        while sent < n {
            match tx.put_packet(&msg) {
                Ok(()) => sent += 1,
                Err(Error::Busy) => break,
                Err(e) => panic!("{e:?}"),
            }
        }
        let _ = a.poll();
        let _ = b.poll();
        while rx.get_packet().is_ok() {
            got += 1;
        }
    }
    let cpu = cpu_seconds() - cpu0;
    let wall = wall0.elapsed().as_secs_f64();
    a.close();
    b.close();
    (n as f64 / cpu, n as f64 / wall, setup.as_secs_f64() * 1e3)
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

/// node-datachannel figures per size: (messages per CPU-second, per wall-second, set-up ms).
fn node(n: usize, sizes: &[usize]) -> Result<Vec<(f64, f64, f64)>, String> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/webrtc/bench.js");
    let mut cmd = Command::new("node");
    cmd.env("NODE_PATH", tools_dir().join("webrtc-node/node_modules"))
        .arg(script)
        .arg(n.to_string());
    // A first, discarded size absorbs libdatachannel's one-off start-up (certificate, threads).
    cmd.arg("64");
    for s in sizes {
        cmd.arg(s.to_string());
    }
    let out = cmd.output().map_err(|e| format!("node: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |l: &str, k: &str| -> f64 {
        l.split_whitespace()
            .find_map(|f| f.strip_prefix(&format!("{k}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    Ok(text
        .lines()
        .skip(1)
        .map(|l| {
            let msgs = field(l, "msgs");
            (
                msgs / field(l, "cpu_s"),
                msgs / field(l, "wall_s"),
                field(l, "setup_ms"),
            )
        })
        .collect())
}

fn main() {
    // PP_WEBRTC_BENCH_OURS=<size>:<messages> runs only our pair once (for a profiler such as
    // `valgrind --tool=callgrind`).
    if let Ok(v) = std::env::var("PP_WEBRTC_BENCH_OURS") {
        let (size, n) = v
            .split_once(':')
            .expect("PP_WEBRTC_BENCH_OURS=<size>:<messages>");
        let o = ours(size.parse().unwrap(), n.parse().unwrap());
        println!("{size} B packetpeer: {:.0} msg/CPU-s {:.0} msg/s", o.0, o.1);
        return;
    }
    let sizes = [64usize, 16384];
    let counts = [50_000usize, 5_000];
    let rounds = 3;
    // Warm-up (first certificate, page faults).
    let _ = ours(64, 1000);
    println!("WebRTC data channel, one reliable ordered channel on loopback, best of {rounds} interleaved rounds");
    for (&size, &n) in sizes.iter().zip(&counts) {
        let mut best_ours = (0.0f64, 0.0f64, f64::MAX);
        let mut best_node: Option<(f64, f64, f64)> = None;
        let mut node_err = None;
        for round in 0..rounds {
            let o = ours(size, n);
            println!(
                "  round {round} {size:>5} B  packetpeer: {:>9.0} msg/CPU-s {:>9.0} msg/s  setup {:>6.1} ms",
                o.0, o.1, o.2
            );
            best_ours = (
                best_ours.0.max(o.0),
                best_ours.1.max(o.1),
                best_ours.2.min(o.2),
            );
            match node(n, &[size]) {
                Ok(v) if !v.is_empty() => {
                    let x = v[0];
                    println!(
                        "  round {round} {size:>5} B  node-datachannel: {:>9.0} msg/CPU-s {:>9.0} msg/s  setup {:>6.1} ms",
                        x.0, x.1, x.2
                    );
                    best_node = Some(match best_node {
                        None => x,
                        Some(b) => (b.0.max(x.0), b.1.max(x.1), b.2.min(x.2)),
                    });
                }
                Ok(_) => node_err = Some("no output".to_string()),
                Err(e) => node_err = Some(e),
            }
        }
        match best_node {
            Some(b) => println!(
                "{size:>5} B: packetpeer {:.0} msg/CPU-s vs node-datachannel {:.0} msg/CPU-s = {:.2}x; setup {:.1} ms vs {:.1} ms",
                best_ours.0,
                b.0,
                best_ours.0 / b.0,
                best_ours.2,
                b.2
            ),
            None => println!(
                "{size:>5} B: packetpeer {:.0} msg/CPU-s, setup {:.1} ms; node-datachannel baseline missing: {}",
                best_ours.0,
                best_ours.2,
                node_err.unwrap_or_default()
            ),
        }
    }
}
