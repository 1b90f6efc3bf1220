//! Relay benchmark on loopback: what `packetpeer relay` (ENet mode, JSON output into a sink, so every
//! message is parsed, decoded and formatted) adds to a reliable ENet ping-pong, and how many 64-byte
//! unreliable ENet messages per second pass through it, each against the same traffic without the
//! relay in the same run. Run: `cargo bench -p packetpeer-cli --bench relay`.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use packetpeer::conditioner::ConditionerOptions;
use packetpeer::enet::compress::CompressionMode;
use packetpeer::enet::connection::*;
use packetpeer::peer::PacketPeer;
use packetpeer::variant::{encode, DecodeOptions, EncodeOptions, Variant};
use packetpeer_cli::relay::{Config, Proto, Relay};

fn pair(
    via_relay: bool,
) -> (
    ENetConnection,
    ENetConnection,
    SharedPacketPeer,
    Option<(Arc<AtomicBool>, std::thread::JoinHandle<u64>)>,
) {
    let mut server = ENetConnection::new();
    server
        .create_host_bound("127.0.0.1", 0, 4, 2, 0, 0)
        .unwrap();
    let sport = server.get_local_port() as u16;
    let mut relay = None;
    let port = if via_relay {
        let cfg = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            target: SocketAddr::from(([127, 0, 0, 1], sport)),
            proto: Proto::Enet,
            compression: CompressionMode::None,
            json: true,
            decode: DecodeOptions::default(),
            conditioner: ConditionerOptions::default(),
            duration: None,
        };
        let mut r = Relay::new(cfg, std::io::sink()).unwrap();
        let p = r.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let s2 = stop.clone();
        let h = std::thread::spawn(move || {
            r.run(&s2).unwrap();
            r.stats.messages[0]
        });
        relay = Some((stop, h));
        p
    } else {
        sport
    };
    let mut client = ENetConnection::new();
    client.create_host(1, 2, 0, 0).unwrap();
    let cp = client
        .connect_to_host("127.0.0.1", i32::from(port), 2, 0)
        .unwrap();
    let mut up = 0;
    while up < 2 {
        up += usize::from(server.service(1).kind == EventType::Connect);
        up += usize::from(client.service(1).kind == EventType::Connect);
    }
    (server, client, cp, relay)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn run(via_relay: bool) -> (f64, f64, f64) {
    let (mut server, mut client, cp, relay) = pair(via_relay);
    let msg = encode(&Variant::Int(7), &EncodeOptions::default()).unwrap();
    // Reliable ping-pong RTT.
    let mut rtt = Vec::new();
    for _ in 0..500 {
        let t0 = Instant::now();
        cp.lock().unwrap().send(0, &msg, FLAG_RELIABLE).unwrap();
        let mut back = false;
        while !back {
            let e = server.service(0);
            if e.kind == EventType::Receive {
                let peer = e.peer.unwrap();
                let mut p = peer.lock().unwrap();
                let d = p.get_packet().unwrap().to_vec();
                p.send(0, &d, FLAG_RELIABLE).unwrap();
            }
            let e = client.service(0);
            if e.kind == EventType::Receive {
                let _ = cp.lock().unwrap().get_packet();
                back = true;
            }
        }
        rtt.push(t0.elapsed().as_secs_f64() * 1e6);
    }
    // Unreliable 64-byte messages per second, one second of sending in batches of 50.
    let payload = encode(
        &Variant::PackedByteArray(vec![1; 56]),
        &EncodeOptions::default(),
    )
    .unwrap();
    let (mut got, t0) = (0u64, Instant::now());
    let mut last = t0;
    while t0.elapsed() < Duration::from_secs(1) {
        {
            let mut p = cp.lock().unwrap();
            for _ in 0..50 {
                p.send(1, &payload, 0).unwrap();
            }
        }
        let _ = client.service(0);
        loop {
            let e = server.service(0);
            if e.kind == EventType::None {
                break;
            }
            if e.kind == EventType::Receive {
                let _ = e.peer.unwrap().lock().unwrap().get_packet();
                got += 1;
                last = Instant::now();
            }
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    let rate = got as f64 / (last - t0).as_secs_f64().max(1e-9);
    let mut shown = 0.0;
    if let Some((stop, h)) = relay {
        stop.store(true, Ordering::Relaxed);
        // Messages the relay parsed, decoded, formatted and forwarded client to server per second
        // (ENet's throttle may drop unreliable ones before they reach the server).
        shown = h.join().unwrap() as f64 / secs;
    }
    (median(rtt), rate, shown)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("relay bench: run with `cargo bench -p packetpeer-cli --bench relay`");
        return;
    }
    // Alternate direct and relayed rounds on a shared machine; report medians.
    let (mut d_rtt, mut r_rtt, mut d_rate, mut r_rate) = (vec![], vec![], vec![], vec![]);
    let mut shown = vec![];
    for _ in 0..3 {
        let (a, b, _) = run(false);
        d_rtt.push(a);
        d_rate.push(b);
        let (a, b, c) = run(true);
        r_rtt.push(a);
        r_rate.push(b);
        shown.push(c);
    }
    let (dr, rr) = (median(d_rtt), median(r_rtt));
    let (dm, rm) = (median(d_rate), median(r_rate));
    println!("median of 3 alternating rounds, loopback");
    println!(
        "{:<40} {:>12} {:>12} {:>8}",
        "figure", "direct", "via relay", "ratio"
    );
    println!(
        "{:<40} {:>12.1} {:>12.1} {:>8.2}",
        "reliable_pingpong_rtt_median_us",
        dr,
        rr,
        rr / dr
    );
    println!(
        "{:<40} {:>12.1} {:>12.1} {:>8}",
        "relay_added_latency_us",
        0.0,
        rr - dr,
        "-"
    );
    println!(
        "{:<40} {:>12.0} {:>12.0} {:>8.2}",
        "unreliable_64b_msgs_per_s_delivered",
        dm,
        rm,
        rm / dm
    );
    println!(
        "{:<40} {:>12} {:>12.0} {:>8}",
        "relay_msgs_per_s_shown_and_forwarded",
        "-",
        median(shown),
        "-"
    );
}
