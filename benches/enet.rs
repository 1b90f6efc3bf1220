//! ENet benchmark: our Rust host against stock C ENet (libenet) in the same run, loopback,
//! single-threaded (both hosts of a pair serviced alternately with timeout 0), same scenarios:
//! reliable 1 KiB messages/s, unreliable 64 B messages/s, 64 KiB fragmented MB/s, 64 B reliable
//! ping-pong RTT (median, p99), service() cost with 4000 connected peers. The C program also measures
//! the floor under any UDP ping-pong: the same 64 bytes between two plain sockets and back
//! (`raw_udp_pingpong_64b_rtt_*`); both ENets are reported against it.
//! Run: `cargo bench --bench enet` (needs a C compiler and libenet-dev for the C side).
//! `ENET_BENCH_ROUNDS=n` (default 3) alternating rounds; every round is printed, then the medians.
//! `ENET_BENCH_ONLY=rtt` (ping-pong and floor) or `frag` (the transfers, the 64 KiB fragmented one
//! after the others as in a full run) limits both sides.

use std::net::{IpAddr, Ipv4Addr};
use std::process::Command;
use std::time::Instant;

use packetpeer::enet::host::PACKET_FLAG_RELIABLE;
use packetpeer::enet::{Event, Host, HostConfig, UdpTransport};

const LO: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

struct Side {
    host: Host,
    io: UdpTransport,
}

impl Side {
    fn new(peers: usize) -> Side {
        Side {
            host: Host::new(HostConfig {
                peer_count: peers,
                channel_limit: 8,
                ..HostConfig::default()
            }),
            io: UdpTransport::bind(Some(LO), 0).unwrap(),
        }
    }
    /// One service step, then every queued event (Godot's pattern).
    fn poll(&mut self, mut f: impl FnMut(&mut Host, &mut UdpTransport, Event)) -> usize {
        let mut n = 0;
        while let Some(ev) = self.host.service(0, &mut self.io).unwrap() {
            f(&mut self.host, &mut self.io, ev);
            n += 1;
        }
        n
    }
}

fn pair() -> (Side, Side, usize) {
    let mut server = Side::new(4095);
    let mut client = Side::new(1);
    let addr = server.io.local_addr().unwrap();
    let cp = client.host.connect(addr, 8, 0).unwrap();
    let mut up = 0;
    while up < 2 {
        server.poll(|_, _, e| up += matches!(e, Event::Connect { .. }) as usize);
        client.poll(|_, _, e| up += matches!(e, Event::Connect { .. }) as usize);
    }
    (server, client, cp)
}

fn transfer(
    server: &mut Side,
    client: &mut Side,
    cp: usize,
    n: usize,
    size: usize,
    flags: u32,
    batch: usize,
) -> (usize, f64, f64) {
    let buf = vec![0u8; size];
    let (mut sent, mut got) = (0, 0);
    let t0 = Instant::now();
    let mut last = t0;
    let before = client.host.total_sent_data;
    while got < n && last.elapsed().as_secs_f64() < 1.0 {
        for _ in 0..batch {
            if sent == n {
                break;
            }
            client.host.send(cp, 0, &buf, flags).unwrap();
            sent += 1;
        }
        client.poll(|_, _, _| {});
        server.poll(|_, _, e| {
            if matches!(e, Event::Receive { .. }) {
                got += 1;
                last = Instant::now();
            }
        });
    }
    let secs = (last - t0).as_secs_f64();
    let bpm = client.host.total_sent_data.wrapping_sub(before) as f64 / got.max(1) as f64;
    (got, secs, bpm)
}

fn rust_figures(only: &str) -> Vec<(String, f64, &'static str)> {
    let all = only.is_empty();
    let mut out = Vec::new();
    let (mut server, mut client, cp) = pair();
    if all || only == "frag" {
        // Also the warm-up of the fragmented transfer (throttle, RTT estimate), as in a full run.
        common_figures(&mut out, &mut server, &mut client, cp);
    }
    if all || only == "frag" {
        fragmented(&mut out, &mut server, &mut client, cp);
    }
    if all || only == "rtt" {
        pingpong(&mut out, &mut server, &mut client, cp);
    }
    drop((server, client));
    if all {
        service_4000(&mut out);
    }
    out
}

fn common_figures(
    out: &mut Vec<(String, f64, &'static str)>,
    server: &mut Side,
    client: &mut Side,
    cp: usize,
) {
    let (got, secs, bpm) = transfer(
        server,
        client,
        cp,
        20_000,
        1024,
        PACKET_FLAG_RELIABLE,
        20_000,
    );
    out.push(("reliable_1k_msgs_per_s".into(), got as f64 / secs, "msg/s"));
    out.push(("reliable_1k_wire_bytes_per_msg".into(), bpm, "B"));
    let (got, secs, bpm) = transfer(server, client, cp, 200_000, 64, 0, 50);
    out.push((
        "unreliable_64b_msgs_per_s".into(),
        got as f64 / secs,
        "msg/s",
    ));
    out.push(("unreliable_64b_delivered".into(), got as f64, "of 200000"));
    out.push(("unreliable_64b_wire_bytes_per_msg".into(), bpm, "B"));
}

fn fragmented(
    out: &mut Vec<(String, f64, &'static str)>,
    server: &mut Side,
    client: &mut Side,
    cp: usize,
) {
    let (got, secs, _) = transfer(server, client, cp, 200, 65536, PACKET_FLAG_RELIABLE, 200);
    out.push((
        "fragmented_64k_mb_per_s".into(),
        got as f64 * 65536.0 / secs / 1e6,
        "MB/s",
    ));
}

fn pingpong(
    out: &mut Vec<(String, f64, &'static str)>,
    server: &mut Side,
    client: &mut Side,
    cp: usize,
) {
    let mut rtt = Vec::with_capacity(2000);
    let msg = [0u8; 64];
    for _ in 0..2000 {
        let t0 = Instant::now();
        client.host.send(cp, 0, &msg, PACKET_FLAG_RELIABLE).unwrap();
        let mut back = false;
        while !back {
            client.poll(|_, _, e| back |= matches!(e, Event::Receive { .. }));
            server.poll(|h, _, e| {
                if let Event::Receive { peer, packet, .. } = e {
                    h.send(peer, 0, &packet.data, PACKET_FLAG_RELIABLE).unwrap();
                }
            });
        }
        rtt.push(t0.elapsed().as_secs_f64() * 1e6);
    }
    rtt.sort_by(|a, b| a.total_cmp(b));
    out.push(("pingpong_64b_rtt_median".into(), rtt[1000], "us"));
    out.push(("pingpong_64b_rtt_p99".into(), rtt[1979], "us"));
}

fn service_4000(out: &mut Vec<(String, f64, &'static str)>) {
    let mut server = Side::new(4095);
    let mut client = Side::new(4000);
    let addr = server.io.local_addr().unwrap();
    let (mut up, mut asked) = (0usize, 0usize);
    let t0 = Instant::now();
    while up < 4000 && t0.elapsed().as_secs() < 30 {
        if asked < 4000 && asked - up < 200 {
            client.host.connect(addr, 2, 0);
            asked += 1;
            continue;
        }
        server.poll(|_, _, e| up += matches!(e, Event::Connect { .. }) as usize);
        client.poll(|_, _, _| {});
    }
    let (mut spent, mut calls) = (0.0, 0u32);
    let t0 = Instant::now();
    while t0.elapsed().as_secs_f64() < 2.0 {
        let s = Instant::now();
        server.poll(|_, _, _| {});
        spent += s.elapsed().as_secs_f64();
        calls += 1;
        client.poll(|_, _, _| {});
    }
    out.push(("service_4000_peers_connected".into(), up as f64, "peers"));
    out.push((
        "service_4000_us_per_call".into(),
        spent / calls as f64 * 1e6,
        "us",
    ));
    out.push((
        "service_4000_ns_per_peer".into(),
        spent / calls as f64 * 1e9 / 4000.0,
        "ns",
    ));
}

fn c_figures(only: &str) -> Option<Vec<(String, f64)>> {
    let dir = std::env::temp_dir().join(format!("packetpeer-enet-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let bin = dir.join("enet_bench");
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/bench_c/enet_bench.c");
    let ok = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .args(["-O2", "-o"])
        .arg(&bin)
        .arg(src)
        .arg("-lenet")
        .status()
        .ok()?
        .success();
    if !ok {
        return None;
    }
    let out = Command::new(&bin)
        .env("ENET_BENCH_ONLY", only)
        .output()
        .ok()?;
    let _ = std::fs::remove_dir_all(&dir);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    Some(
        text.lines()
            .filter_map(|l| {
                let mut it = l.split_whitespace();
                Some((it.next()?.to_string(), it.next()?.parse().ok()?))
            })
            .collect(),
    )
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --all-targets` does not: then only a smoke run.
    if !std::env::args().any(|a| a == "--bench") {
        println!("enet bench: run with `cargo bench --bench enet`");
        return;
    }
    // The machine is shared: alternate the two implementations and report the median of each figure.
    let rounds: usize = std::env::var("ENET_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let only = std::env::var("ENET_BENCH_ONLY").unwrap_or_default();
    let mut ours_runs = Vec::new();
    let mut theirs_runs = Vec::new();
    for round in 0..rounds.max(1) {
        let ours = rust_figures(&only);
        let theirs = c_figures(&only);
        println!("round {}", round + 1);
        for (name, v, unit) in &ours {
            let c = theirs
                .as_ref()
                .and_then(|t| t.iter().find(|(n, _)| n == name).map(|(_, v)| *v));
            match c {
                Some(c) => println!("  {name:<36} {v:>12.1} {c:>12.1} {:>7.2}  {unit}", v / c),
                None => println!("  {name:<36} {v:>12.1} {:>12} {:>7}  {unit}", "n/a", "-"),
            }
        }
        if let Some(t) = &theirs {
            for (name, v) in t.iter().filter(|(n, _)| n.starts_with("raw_udp")) {
                println!(
                    "  {name:<36} {:>12} {v:>12.1} {:>7}  us (floor, plain C sockets)",
                    "", ""
                );
            }
        }
        ours_runs.push(ours);
        if let Some(c) = theirs {
            theirs_runs.push(c);
        }
    }
    let median = |mut v: Vec<f64>| -> Option<f64> {
        if v.is_empty() {
            return None;
        }
        v.sort_by(|a, b| a.total_cmp(b));
        Some(v[v.len() / 2])
    };
    println!("median of {} alternating rounds", ours_runs.len());
    println!(
        "{:<36} {:>14} {:>14} {:>8}  unit",
        "figure", "packetpeer", "C ENet", "ratio"
    );
    let c_median = |name: &str| {
        median(
            theirs_runs
                .iter()
                .filter_map(|r| r.iter().find(|(n, _)| n == name).map(|(_, v)| *v))
                .collect(),
        )
    };
    let mut ours_median = Vec::new();
    for (i, (name, _, unit)) in ours_runs[0].iter().enumerate() {
        let v = median(ours_runs.iter().map(|r| r[i].1).collect()).unwrap_or(0.0);
        let c = c_median(name);
        let ratio = c
            .map(|c| format!("{:.2}", v / c))
            .unwrap_or_else(|| "-".into());
        let cs = c.map(|c| format!("{c:.1}")).unwrap_or_else(|| "n/a".into());
        println!("{name:<36} {v:>14.1} {cs:>14} {ratio:>8}  {unit}");
        ours_median.push((name.clone(), v, c));
    }
    // The floor: how far each ENet's ping-pong is above a plain UDP ping-pong (medians).
    for q in ["median", "p99"] {
        let floor = c_median(&format!("raw_udp_pingpong_64b_rtt_{q}"));
        let row = ours_median
            .iter()
            .find(|(n, _, _)| *n == format!("pingpong_64b_rtt_{q}"));
        if let (Some(f), Some((_, ours, c))) = (floor, row) {
            print!("raw UDP ping-pong RTT {q:<6} (floor) {f:>12.1} us; above it: packetpeer +{:.1} us ({:.1}x)", ours - f, ours / f);
            if let Some(c) = c {
                print!(", C ENet +{:.1} us ({:.1}x)", c - f, c / f);
            }
            println!();
        }
    }
}
