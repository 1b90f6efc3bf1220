//! The network conditioner on real loopback sockets: PacketPeerUDP (127.0.0.1 and ::1) and an
//! ENetConnection's socket. Rates within statistical bounds, the same seed drops the same
//! datagrams, and reliable ENet traffic through 20% loss + 50 ms ± 10 ms arrives complete and in
//! order.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use packetpeer::conditioner::{ConditionerOptions, DirectionOptions};
use packetpeer::enet::connection::*;
use packetpeer::net::udp::PacketPeerUdp;
use packetpeer::peer::PacketPeer;
use packetpeer::Error;

const LIMIT: Duration = Duration::from_secs(60);

/// |observed - n p| within 5 standard deviations of a binomial.
fn within(count: u64, n: u64, p: f64) -> bool {
    let sd = (n as f64 * p * (1.0 - p)).sqrt();
    (count as f64 - n as f64 * p).abs() <= 5.0 * sd + 1.0
}

fn opts(seed: u64, out: DirectionOptions, inc: DirectionOptions) -> ConditionerOptions {
    ConditionerOptions {
        seed,
        outgoing: out,
        incoming: inc,
        ..ConditionerOptions::default()
    }
}

/// Sends `n` numbered datagrams from a conditioned sender to a receiver on `ip`, and returns the
/// numbers that arrived (in arrival order) with the sender's and receiver's counters.
fn udp_run(ip: &str, n: u32, o: ConditionerOptions, on_receiver: bool) -> Vec<u32> {
    let mut rx = PacketPeerUdp::new();
    rx.bind(0, ip, 1 << 20).unwrap();
    let mut tx = PacketPeerUdp::new();
    tx.set_dest_address(ip, i32::from(rx.get_local_port()))
        .unwrap();
    if on_receiver {
        rx.set_conditioner(Some(o)).unwrap();
    } else {
        tx.set_conditioner(Some(o)).unwrap();
    }
    let mut got = Vec::new();
    let start = Instant::now();
    let mut sent = 0;
    loop {
        if sent < n {
            for _ in 0..20.min(n - sent) {
                tx.put_packet(&sent.to_le_bytes()).unwrap();
                sent += 1;
            }
        } else {
            // Let held datagrams leave: the sender releases them on its own calls.
            let _ = tx.get_available_packet_count();
        }
        while rx.get_available_packet_count() > 0 {
            let p = rx.get_packet().unwrap();
            got.push(u32::from_le_bytes(p.try_into().unwrap()));
        }
        let cs = if on_receiver {
            rx.conditioner_stats()
        } else {
            tx.conditioner_stats()
        }
        .unwrap();
        let d = if on_receiver {
            cs.incoming
        } else {
            cs.outgoing
        };
        if sent == n && d.queued == 0 && d.released == got.len() as u64 {
            break;
        }
        assert!(start.elapsed() < LIMIT, "{} of {n}", got.len());
        std::thread::sleep(Duration::from_millis(1));
    }
    got
}

#[test]
fn udp_loss_duplication_rates_and_seed_reproducibility() {
    let dir = DirectionOptions {
        loss: 0.2,
        duplicate: 0.05,
        ..DirectionOptions::default()
    };
    for ip in ["127.0.0.1", "::1"] {
        for on_receiver in [false, true] {
            let (out, inc) = if on_receiver {
                (DirectionOptions::default(), dir)
            } else {
                (dir, DirectionOptions::default())
            };
            let n = 2000;
            let a = udp_run(ip, n, opts(1, out, inc), on_receiver);
            let b = udp_run(ip, n, opts(1, out, inc), on_receiver);
            let c = udp_run(ip, n, opts(2, out, inc), on_receiver);
            // Loopback does not lose datagrams at this rate; the conditioner decides everything.
            assert_eq!(a, b, "{ip}: one seed, one fate");
            assert_ne!(a, c, "{ip}: another seed, another fate");
            let distinct: BTreeSet<u32> = a.iter().copied().collect();
            let lost = u64::from(n) - distinct.len() as u64;
            let dups = a.len() as u64 - distinct.len() as u64;
            assert!(within(lost, u64::from(n), 0.2), "{ip}: lost {lost}");
            assert!(
                within(dups, distinct.len() as u64, 0.05),
                "{ip}: {dups} duplicates"
            );
        }
    }
}

#[test]
fn udp_delay_with_jitter_holds_datagrams() {
    let mut rx = PacketPeerUdp::new();
    rx.bind(0, "127.0.0.1", 65536).unwrap();
    let mut tx = PacketPeerUdp::new();
    tx.set_dest_address("127.0.0.1", i32::from(rx.get_local_port()))
        .unwrap();
    let d = DirectionOptions {
        delay_ms: 50,
        jitter_ms: 10,
        ..DirectionOptions::default()
    };
    rx.set_conditioner(Some(opts(3, DirectionOptions::default(), d)))
        .unwrap();
    let sent = Instant::now();
    tx.put_packet(b"late").unwrap();
    // wait_timeout wakes up for the held datagram, not before it is due.
    rx.wait_timeout(5000).unwrap();
    assert_eq!(rx.get_packet().unwrap(), b"late");
    let waited = sent.elapsed();
    assert!(waited >= Duration::from_millis(40), "{waited:?}");
    let s = rx.conditioner_stats().unwrap().incoming;
    assert_eq!((s.offered, s.released, s.queued), (1, 1, 0));
    // Removing it: plain again.
    rx.set_conditioner(None).unwrap();
    assert!(rx.conditioner_stats().is_none());
    let bad = DirectionOptions {
        loss: 2.0,
        ..DirectionOptions::default()
    };
    assert_eq!(
        rx.set_conditioner(Some(opts(0, bad, DirectionOptions::default()))),
        Err(Error::InvalidParameter)
    );
}

fn service_until(
    a: &mut ENetConnection,
    b: &mut ENetConnection,
    mut on: impl FnMut(&ServiceEvent, bool) -> bool,
) {
    let start = Instant::now();
    loop {
        let ea = a.service(1);
        assert_ne!(ea.kind, EventType::Error);
        if on(&ea, true) {
            return;
        }
        let eb = b.service(1);
        assert_ne!(eb.kind, EventType::Error);
        if on(&eb, false) {
            return;
        }
        assert!(start.elapsed() < LIMIT, "ENet exchange did not finish");
    }
}

/// Reliable messages on two channels through the conditioner on both hosts; returns what the
/// server received per channel, and the client's counters.
fn enet_run(seed: u64) -> (Vec<Vec<u32>>, packetpeer::conditioner::ConditionerStats) {
    let lossy = DirectionOptions {
        loss: 0.2,
        delay_ms: 50,
        jitter_ms: 10,
        ..DirectionOptions::default()
    };
    let mut server = ENetConnection::new();
    server
        .create_host_bound("127.0.0.1", 0, 4, 2, 0, 0)
        .unwrap();
    let port = server.get_local_port();
    let mut client = ENetConnection::new();
    assert_eq!(
        client.set_conditioner(Some(opts(seed, lossy, lossy))),
        Err(Error::Unconfigured),
        "no host yet"
    );
    client.create_host(1, 2, 0, 0).unwrap();
    client
        .set_conditioner(Some(opts(seed, lossy, lossy)))
        .unwrap();
    server
        .set_conditioner(Some(opts(seed + 100, lossy, lossy)))
        .unwrap();
    let cp = client.connect_to_host("127.0.0.1", port, 2, 0).unwrap();
    let mut connected = 0;
    service_until(&mut server, &mut client, |e, _| {
        connected += usize::from(e.kind == EventType::Connect);
        connected == 2
    });
    const N: u32 = 200;
    {
        let mut p = cp.lock().unwrap();
        for i in 0..N {
            p.send((i % 2) as i32, &i.to_le_bytes(), FLAG_RELIABLE)
                .unwrap();
        }
    }
    let mut got = vec![Vec::new(), Vec::new()];
    let mut total = 0;
    service_until(&mut server, &mut client, |e, is_server| {
        if is_server && e.kind == EventType::Receive {
            let peer = e.peer.as_ref().unwrap();
            let mut p = peer.lock().unwrap();
            let data = p.get_packet().unwrap().to_vec();
            got[e.channel as usize].push(u32::from_le_bytes(data.try_into().unwrap()));
            total += 1;
        }
        total == N
    });
    let stats = client.conditioner_stats().unwrap();
    (got, stats)
}

#[test]
fn enet_reliable_traffic_through_loss_and_delay_arrives_complete_and_in_order() {
    let (got, stats) = enet_run(1);
    for (ch, msgs) in got.iter().enumerate() {
        let want: Vec<u32> = (0..200).filter(|i| i % 2 == ch as u32).collect();
        assert_eq!(msgs, &want, "channel {ch}");
    }
    let o = stats.outgoing;
    // ENet packs many commands per datagram: a few dozen datagrams each way.
    assert!(o.offered >= 10 && o.dropped_loss > 0, "{o:?}");
    assert!(within(o.dropped_loss, o.offered, 0.2), "{o:?}");
    assert!(stats.incoming.offered > 0);
}
