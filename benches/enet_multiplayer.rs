//! ENetMultiplayerPeer at scale: one server and 500 clients in one process on loopback (our ENet on
//! both ends), the server broadcasting 64-byte UNRELIABLE and 256-byte RELIABLE messages. Prints
//! broadcasts/s, deliveries/s (messages received by clients) and process CPU time per delivery.
//!
//!   cargo bench --bench enet_multiplayer
//!
//! Reliable broadcasts are flow-controlled (at most 16 undelivered per client), so the figure is the
//! sustained rate, not the rate of filling ENet's queues.
//!
//! Environment: EMP_BENCH_CLIENTS (default 500), EMP_BENCH_SECONDS per phase (default 3).
//! Everything runs on one thread, so the CPU figures include both ends (server and all clients).

use std::time::{Duration, Instant};

use packetpeer::enet::multiplayer::ENetMultiplayerPeer;
use packetpeer::multiplayer::{ConnectionStatus, MultiplayerPeer, TransferMode};
use packetpeer::peer::PacketPeer;

fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_PROCESS_CPUTIME_ID is always available on
    // Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn drain(c: &mut ENetMultiplayerPeer) -> u64 {
    let _ = c.poll();
    let mut n = 0;
    while c.get_packet().is_ok() {
        n += 1;
    }
    n
}

struct Phase {
    broadcasts: u64,
    deliveries: u64,
    wall: f64,
    cpu: f64,
}

fn phase(
    server: &mut ENetMultiplayerPeer,
    clients: &mut [ENetMultiplayerPeer],
    mode: TransferMode,
    size: usize,
    seconds: u64,
) -> Phase {
    let msg = vec![0x5Au8; size];
    server.set_transfer_mode(mode).unwrap();
    server.set_target_peer(0).unwrap();
    let (mut broadcasts, mut deliveries) = (0u64, 0u64);
    let (t0, c0) = (Instant::now(), cpu_seconds());
    let end = t0 + Duration::from_secs(seconds);
    while Instant::now() < end {
        // A few broadcasts while at most 16 per client are in flight, then everyone reads (and
        // acknowledges) them. (Unreliable messages lost on the way stay "in flight"; the window
        // still moves because the budget counts deliveries, not acknowledgements.)
        let in_flight = broadcasts * clients.len() as u64 - deliveries;
        if in_flight <= 12 * clients.len() as u64 || mode != TransferMode::Reliable {
            for _ in 0..4 {
                server.put_packet(&msg).unwrap();
                broadcasts += 1;
            }
        }
        // The server reads between groups of clients: 500 acknowledgements at once would overflow
        // its socket's receive buffer (about 270 small datagrams by default on Linux).
        for group in clients.chunks_mut(100) {
            for c in group.iter_mut() {
                deliveries += drain(c);
            }
            let _ = server.poll();
            while server.get_packet().is_ok() {}
        }
    }
    // Let the last messages land (bounded): unreliable until a quiet round, reliable until all
    // arrived.
    let settle = Instant::now();
    let all = broadcasts * clients.len() as u64;
    while settle.elapsed() < Duration::from_secs(5) && deliveries < all {
        let _ = server.poll();
        let mut got = 0;
        for c in clients.iter_mut() {
            got += drain(c);
        }
        deliveries += got;
        if got == 0 && mode != TransferMode::Reliable {
            break;
        }
    }
    Phase {
        broadcasts,
        deliveries,
        wall: t0.elapsed().as_secs_f64(),
        cpu: cpu_seconds() - c0,
    }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        // `cargo test` runs bench targets without --bench: nothing to measure then.
        return;
    }
    let n = env("EMP_BENCH_CLIENTS", 500) as usize;
    let seconds = env("EMP_BENCH_SECONDS", 3);
    let mut server = ENetMultiplayerPeer::new();
    server.set_bind_ip("127.0.0.1").unwrap();
    server.create_server(0, n as i32 + 16, 0, 0, 0).unwrap();
    let port = server.get_host().unwrap().lock().unwrap().get_local_port();
    let mut clients: Vec<ENetMultiplayerPeer> = (0..n)
        .map(|_| {
            let mut c = ENetMultiplayerPeer::new();
            c.create_client("127.0.0.1", port, 0, 0, 0, 0).unwrap();
            c
        })
        .collect();
    let t = Instant::now();
    while server.peer_ids().len() < n
        || clients
            .iter()
            .any(|c| c.get_connection_status() != Ok(ConnectionStatus::Connected))
    {
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "only {} of {n} clients connected",
            server.peer_ids().len()
        );
        let _ = server.poll();
        for c in clients.iter_mut() {
            let _ = c.poll();
        }
    }
    println!(
        "enet_multiplayer: 1 server + {n} clients connected in {:.2} s (one thread, loopback)",
        t.elapsed().as_secs_f64()
    );
    for (mode, size, name) in [
        (TransferMode::Unreliable, 64, "unreliable 64 B"),
        (TransferMode::Reliable, 256, "reliable 256 B"),
    ] {
        let p = phase(&mut server, &mut clients, mode, size, seconds);
        println!(
            "  {name:>16}: {:>8.0} broadcasts/s, {:>10.0} deliveries/s ({:.1}% of {} sent), \
             CPU {:.2} us/delivery, {:.0} us/broadcast, {:.0}% of one core",
            p.broadcasts as f64 / p.wall,
            p.deliveries as f64 / p.wall,
            100.0 * p.deliveries as f64 / (p.broadcasts as f64 * n as f64),
            p.broadcasts * n as u64,
            1e6 * p.cpu / p.deliveries.max(1) as f64,
            1e6 * p.cpu / p.broadcasts.max(1) as f64,
            100.0 * p.cpu / p.wall,
        );
    }
}
