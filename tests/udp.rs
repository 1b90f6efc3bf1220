//! PacketPeerUDP and UDPServer on real loopback sockets (127.0.0.1 and ::1, port 0), bounded.
use std::time::{Duration, Instant};

use packetpeer::net::udp::{PacketInfo, PacketPeerUdp};
use packetpeer::net::udp_server::UdpServer;
use packetpeer::peer::PacketPeer;
use packetpeer::Error;

/// Bound on every wait: generous, as a loaded 2-core machine can delay even loopback delivery;
/// only a failing test ever waits that long.
const DEADLINE: Duration = Duration::from_secs(30);

fn bound(addr: &str) -> PacketPeerUdp {
    let mut p = PacketPeerUdp::new();
    p.bind(0, addr, 1 << 20).expect("bind");
    p
}

/// Waits (bounded) until `p` has at least `n` packets queued.
fn wait_count(p: &mut PacketPeerUdp, n: i32) -> i32 {
    let end = Instant::now() + DEADLINE;
    loop {
        let c = p.get_available_packet_count();
        if c >= n || Instant::now() > end {
            return c;
        }
        let _ = p.wait_timeout(50);
    }
}

/// Waits (bounded) until `count` (which also drives the reads) reports `n` datagrams.
fn wait_for_count(n: u64, mut count: impl FnMut() -> u64) {
    let end = Instant::now() + DEADLINE;
    loop {
        let got = count();
        if got >= n {
            return;
        }
        assert!(Instant::now() < end, "{got} of {n} datagrams");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Waits (bounded) until `p` has read `n` datagrams from the OS in all (queued or dropped).
fn wait_received(p: &mut PacketPeerUdp, n: u64) {
    wait_for_count(n, || {
        p.get_available_packet_count();
        p.stats().packets_received
    });
}

/// Polls `srv` (bounded) until it has read `n` datagrams from the OS in all.
fn poll_received(srv: &mut UdpServer, n: u64) {
    wait_for_count(n, || {
        srv.poll().unwrap();
        srv.stats().packets_received
    });
}

fn recv_one(p: &mut PacketPeerUdp) -> Vec<u8> {
    assert!(wait_count(p, 1) >= 1, "no packet arrived");
    p.get_packet().expect("get_packet").to_vec()
}

fn payload(i: u32, len: usize) -> Vec<u8> {
    (0..len).map(|k| (i as usize * 31 + k * 7) as u8).collect()
}

#[test]
fn thousands_each_way_v4_and_v6() {
    for host in ["127.0.0.1", "::1"] {
        let mut a = bound(host);
        let mut b = bound(host);
        a.set_dest_address(host, b.get_local_port() as i32).unwrap();
        b.set_dest_address(host, a.get_local_port() as i32).unwrap();
        let (ap, bp) = (a.get_local_port(), b.get_local_port());
        for round in 0..40u32 {
            for i in 0..50u32 {
                let n = round * 50 + i;
                a.put_packet(&payload(n, (n % 1400) as usize)).unwrap();
                b.put_packet(&payload(n + 1, (n % 900) as usize)).unwrap();
            }
            assert_eq!(wait_count(&mut a, 50), 50);
            assert_eq!(wait_count(&mut b, 50), 50);
            for i in 0..50u32 {
                let n = round * 50 + i;
                assert_eq!(
                    b.get_packet().unwrap(),
                    &payload(n, (n % 1400) as usize)[..]
                );
                assert_eq!(b.get_packet_port(), ap);
                assert_eq!(
                    a.get_packet().unwrap(),
                    &payload(n + 1, (n % 900) as usize)[..]
                );
                assert_eq!(a.get_packet_port(), bp);
            }
        }
        let want = if host == "::1" {
            "0:0:0:0:0:0:0:1"
        } else {
            "127.0.0.1"
        };
        assert_eq!(a.get_packet_ip_string(), want);
        assert_eq!(a.get_packet(), Err(Error::Unavailable));
        let s = a.stats();
        assert_eq!(
            (s.packets_sent, s.packets_received, s.packets_dropped),
            (2000, 2000, 0)
        );
    }
}

#[test]
fn every_size_up_to_the_limit_and_oversize_refused() {
    for (host, limit) in [("127.0.0.1", 65507usize), ("::1", 65527usize)] {
        let mut a = bound(host);
        let mut b = bound(host);
        a.set_dest_address(host, b.get_local_port() as i32).unwrap();
        let mut sizes: Vec<usize> = (0..=1500).collect();
        sizes.extend((1501..limit).step_by(997));
        sizes.extend([limit - 1, limit]);
        for &n in &sizes {
            let p = payload(n as u32, n);
            a.put_packet(&p).unwrap();
            assert_eq!(recv_one(&mut b), p, "size {n}");
        }
        assert_eq!(
            a.put_packet(&vec![0u8; limit + 1]),
            Err(Error::Failed),
            "{host}"
        );
    }
}

#[test]
fn queue_full_drops_are_counted() {
    let mut a = bound("127.0.0.1");
    let mut b = PacketPeerUdp::new();
    b.bind(0, "127.0.0.1", 1000).unwrap(); // ring 1024 → 1023 usable, 124 per 100-byte packet
    assert_eq!(b.receive_ring_size(), 1024);
    a.set_dest_address("127.0.0.1", b.get_local_port() as i32)
        .unwrap();
    for i in 0..20 {
        a.put_packet(&payload(i, 100)).unwrap();
    }
    wait_received(&mut b, 20);
    assert_eq!(b.get_available_packet_count(), 8);
    let s = b.stats();
    assert_eq!(
        (s.packets_received, s.packets_dropped, s.bytes_dropped),
        (20, 12, 1200)
    );
    for i in 0..8 {
        assert_eq!(b.get_packet().unwrap(), &payload(i, 100)[..]);
    }
    // recv_buf_size 0 → 1-byte ring: everything is dropped.
    let mut z = PacketPeerUdp::new();
    z.bind(0, "127.0.0.1", 0).unwrap();
    a.set_dest_address("127.0.0.1", z.get_local_port() as i32)
        .unwrap();
    a.put_packet(b"x").unwrap();
    wait_received(&mut z, 1);
    assert_eq!(z.get_available_packet_count(), 0);
    assert_eq!(z.stats().packets_dropped, 1);
}

#[test]
fn bind_errors_and_close() {
    let mut a = bound("127.0.0.1");
    assert_eq!(a.bind(0, "127.0.0.1", 65536), Err(Error::AlreadyInUse));
    let port = a.get_local_port() as i32;
    let mut b = PacketPeerUdp::new();
    assert_eq!(b.bind(70000, "*", 65536), Err(Error::InvalidParameter));
    assert_eq!(b.bind(-1, "*", 65536), Err(Error::InvalidParameter));
    assert_eq!(b.bind(0, "localhost", 65536), Err(Error::InvalidParameter));
    assert_eq!(b.bind(0, "*", -5), Err(Error::InvalidParameter));
    assert_eq!(b.bind(port, "127.0.0.1", 65536), Err(Error::Unavailable));
    assert!(!b.is_bound());
    assert_eq!(b.get_local_port(), 0);
    assert_eq!(b.get_available_packet_count(), -1);
    assert_eq!(b.get_packet(), Err(Error::Failed));
    assert_eq!(b.put_packet(b"x"), Err(Error::Unconfigured));
    assert_eq!(b.wait(), Err(Error::Unconfigured));
    assert_eq!(b.get_max_packet_size(), 512);
    // Redot's reuse flags make the second bind succeed.
    let mut c = PacketPeerUdp::new();
    c.set_reuse_address(true).unwrap();
    c.set_reuse_port(true).unwrap();
    c.bind(0, "127.0.0.1", 65536).unwrap();
    let mut d = PacketPeerUdp::new();
    d.set_reuse_address(true).unwrap();
    d.set_reuse_port(true).unwrap();
    d.bind(c.get_local_port() as i32, "127.0.0.1", 65536)
        .unwrap();
    // close: unbound, ring back to 2^16, queue empty.
    a.close();
    assert!(!a.is_bound());
    assert_eq!(a.receive_ring_size(), 65536);
    a.bind(0, "*", 65536).unwrap();
    assert_eq!(a.receive_ring_size(), 131072);
}

#[test]
fn dual_stack_wildcard_and_text_forms() {
    let mut srv = bound("*");
    let port = srv.get_local_port() as i32;
    let mut v4 = bound("127.0.0.1");
    let mut v6 = bound("::1");
    v4.set_dest_address("127.0.0.1", port).unwrap();
    v6.set_dest_address("::1", port).unwrap();
    v4.put_packet(b"four").unwrap();
    assert_eq!(recv_one(&mut srv), b"four");
    assert_eq!(srv.get_packet_ip_string(), "127.0.0.1");
    v6.put_packet(b"six").unwrap();
    assert_eq!(recv_one(&mut srv), b"six");
    assert_eq!(srv.get_packet_ip_string(), "0:0:0:0:0:0:0:1");
    // Reply to a v4 sender from the dual-stack socket.
    srv.set_dest_address("127.0.0.1", v4.get_local_port() as i32)
        .unwrap();
    srv.put_packet(b"back").unwrap();
    assert_eq!(recv_one(&mut v4), b"back");
    // Names resolve in set_dest_address.
    let mut h = PacketPeerUdp::new();
    h.set_dest_address("localhost", port).unwrap();
    assert_eq!(h.set_dest_address("", port), Err(Error::CantResolve));
    assert_eq!(
        h.set_dest_address("::1", 65536),
        Err(Error::InvalidParameter)
    );
    // An unbound peer opens a socket on first send.
    assert!(!h.is_bound());
    h.set_dest_address("127.0.0.1", port).unwrap();
    h.put_packet(b"implicit").unwrap();
    assert!(h.is_bound() && h.get_local_port() != 0);
    assert_eq!(recv_one(&mut srv), b"implicit");
    // ...so a later bind is refused.
    assert_eq!(h.bind(0, "*", 65536), Err(Error::AlreadyInUse));
}

#[test]
fn connect_filters_and_resets_queue() {
    let mut a = bound("127.0.0.1");
    let mut b = bound("127.0.0.1");
    let mut c = bound("127.0.0.1");
    let ap = a.get_local_port() as i32;
    b.set_dest_address("127.0.0.1", ap).unwrap();
    c.set_dest_address("127.0.0.1", ap).unwrap();
    c.put_packet(b"queued-before-connect").unwrap();
    assert_eq!(wait_count(&mut a, 1), 1);
    assert_eq!(
        a.connect_to_host("localhost", 1),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        a.connect_to_host("127.0.0.1", 0),
        Err(Error::InvalidParameter)
    );
    a.connect_to_host("127.0.0.1", b.get_local_port() as i32)
        .unwrap();
    assert!(a.is_socket_connected());
    // Queue and count cleared (the engine kept the count).
    assert_eq!(a.get_available_packet_count(), 0);
    assert_eq!(a.get_packet(), Err(Error::Unavailable));
    c.put_packet(b"filtered").unwrap();
    b.put_packet(b"from-b").unwrap();
    assert_eq!(recv_one(&mut a), b"from-b");
    std::thread::sleep(Duration::from_millis(10));
    assert_eq!(a.get_available_packet_count(), 0);
    assert_eq!(a.get_packet_port() as i32, b.get_local_port() as i32);
    // Connected: put_packet goes to the connected address; set_dest_address is refused.
    assert_eq!(a.set_dest_address("127.0.0.1", 9), Err(Error::Unavailable));
    a.put_packet(b"to-b").unwrap();
    assert_eq!(recv_one(&mut b), b"to-b");
    // ICMP port unreachable on a connected socket → FAILED / -1.
    let mut gone = bound("127.0.0.1");
    let gone_port = gone.get_local_port() as i32;
    gone.close();
    let mut d = PacketPeerUdp::new();
    d.connect_to_host("127.0.0.1", gone_port).unwrap();
    d.put_packet(b"nobody").unwrap();
    let end = Instant::now() + DEADLINE;
    while d.get_available_packet_count() != -1 {
        assert!(Instant::now() < end, "connection refused not reported");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn broadcast_refused_until_enabled() {
    // Only the refusal path is exercised: no datagram may leave the loopback.
    let mut p = bound("127.0.0.1");
    assert!(!p.is_broadcast_enabled());
    p.set_dest_address("255.255.255.255", 9).unwrap();
    assert_eq!(p.put_packet(b"x"), Err(Error::Failed));
    assert_eq!(p.stats().packets_sent, 0);
    p.set_broadcast_enabled(true).unwrap();
    assert!(p.is_broadcast_enabled());
    // Deliberately no send after enabling.
}

#[test]
fn multicast_join_leave_on_loopback() {
    let mut p = bound("0.0.0.0");
    assert_eq!(
        p.join_multicast_group("239.255.12.34", "no-such-if0"),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        p.join_multicast_group("not-an-ip", "lo"),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        p.join_multicast_group("ff12::1234", "lo"),
        Err(Error::InvalidParameter)
    ); // v6 group on v4 socket
       // Linux lets a socket join a group on lo (no IFF_MULTICAST needed for the membership itself),
       // so a refusal is a failure of ours, not a reason to skip.
    p.join_multicast_group("239.255.12.34", "lo")
        .unwrap_or_else(|e| panic!("IPv4 multicast join on lo refused: {e}"));
    p.leave_multicast_group("239.255.12.34", "lo").unwrap();
    let mut q = bound("::");
    q.join_multicast_group("ff12::1234", "lo")
        .unwrap_or_else(|e| panic!("IPv6 multicast join on lo refused: {e}"));
    q.leave_multicast_group("ff12::1234", "lo").unwrap();
    let mut closed = PacketPeerUdp::new();
    assert_eq!(
        closed.leave_multicast_group("239.255.12.34", "lo"),
        Err(Error::Unconfigured)
    );
}

#[test]
fn batch_put_and_get() {
    let mut a = bound("127.0.0.1");
    let mut b = bound("127.0.0.1");
    a.set_dest_address("127.0.0.1", b.get_local_port() as i32)
        .unwrap();
    let pkts: Vec<Vec<u8>> = (0..1000u32)
        .map(|i| payload(i, (i % 1200) as usize))
        .collect();
    let mut got: Vec<Vec<u8>> = Vec::new();
    let mut buf = vec![0u8; 64 * 2048];
    let mut infos = [PacketInfo {
        offset: 0,
        len: 0,
        ip: "0.0.0.0".parse().unwrap(),
        port: 0,
        truncated: false,
    }; 64];
    for chunk in pkts.chunks(50) {
        let refs: Vec<&[u8]> = chunk.iter().map(|v| v.as_slice()).collect();
        assert_eq!(a.put_packets(&refs).unwrap(), refs.len());
        let want = got.len() + chunk.len();
        let end = Instant::now() + DEADLINE;
        while got.len() < want && Instant::now() < end {
            let n = b.get_packets(&mut buf, &mut infos).unwrap();
            for inf in &infos[..n] {
                assert!(!inf.truncated);
                assert_eq!(inf.port, a.get_local_port());
                got.push(buf[inf.offset..inf.offset + inf.len].to_vec());
            }
            if n == 0 {
                let _ = b.wait_timeout(20);
            }
        }
    }
    assert_eq!(got.len(), pkts.len());
    for (i, (g, p)) in got.iter().zip(&pkts).enumerate() {
        assert!(g == p, "packet {i}: {} vs {} bytes", g.len(), p.len());
    }
    // Mixed: one datagram queued in the ring by get_available_packet_count, a fresh one still with the
    // OS: one batch read returns both, the queued one first. When the fresh one reaches the socket is
    // up to the OS (a loaded machine can delay even loopback delivery), so a round where it was not
    // there yet is collected and repeated with a longer pause, bounded.
    let text = |buf: &[u8], inf: &PacketInfo| buf[inf.offset..inf.offset + inf.len].to_vec();
    let mut both = false;
    for round in 0..12u32 {
        let (ring, fresh) = (format!("ring-{round}"), format!("fresh-{round}"));
        a.put_packet(ring.as_bytes()).unwrap();
        assert_eq!(wait_count(&mut b, 1), 1);
        a.put_packet(fresh.as_bytes()).unwrap();
        std::thread::sleep(Duration::from_millis(10 << round.min(8)));
        let n = b.get_packets(&mut buf, &mut infos).unwrap();
        assert!(n == 1 || n == 2, "{n}");
        assert_eq!(text(&buf, &infos[0]), ring.as_bytes());
        if n == 2 {
            assert_eq!(text(&buf, &infos[1]), fresh.as_bytes());
            both = true;
            break;
        }
        let end = Instant::now() + DEADLINE;
        while b.get_packets(&mut buf, &mut infos).unwrap() == 0 {
            assert!(Instant::now() < end, "{fresh} never arrived");
            let _ = b.wait_timeout(20);
        }
        assert_eq!(text(&buf, &infos[0]), fresh.as_bytes());
    }
    assert!(
        both,
        "the fresh datagram never arrived before the batch read"
    );
    // Truncation is flagged when a datagram exceeds its slot.
    a.put_packet(&[7u8; 300]).unwrap();
    let mut small = [0u8; 100];
    let end = Instant::now() + DEADLINE;
    let n = loop {
        let n = b.get_packets(&mut small, &mut infos[..1]).unwrap();
        if n > 0 || Instant::now() > end {
            break n;
        }
        let _ = b.wait_timeout(20);
    };
    assert_eq!((n, infos[0].len, infos[0].truncated), (1, 100, true));
    let mut closed = PacketPeerUdp::new();
    assert_eq!(closed.get_packets(&mut buf, &mut infos), Err(Error::Failed));
}

#[test]
fn udp_server_demux_pending_and_detach() {
    let mut srv = UdpServer::new();
    srv.listen(0, "127.0.0.1").unwrap();
    assert_eq!(srv.listen(0, "127.0.0.1"), Err(Error::AlreadyInUse));
    let port = srv.get_local_port() as i32;
    assert!(srv.is_listening() && port != 0);
    let mut clients: Vec<PacketPeerUdp> = (0..5).map(|_| bound("127.0.0.1")).collect();
    srv.set_max_pending_connections(3).unwrap();
    // Client by client, each pair read before the next is sent: the OS does not promise the order
    // of datagrams from different sockets.
    let mut received = 0;
    for (i, c) in clients.iter_mut().enumerate() {
        c.set_dest_address("127.0.0.1", port).unwrap();
        c.put_packet(format!("hello {i}").as_bytes()).unwrap();
        c.put_packet(format!("again {i}").as_bytes()).unwrap();
        received += 2;
        poll_received(&mut srv, received);
    }
    assert_eq!(srv.pending_count(), 3);
    assert_eq!(srv.stats().packets_dropped, 4); // two datagrams each from clients 3 and 4
                                                // Intended trimming: lowering drops the newest; raising keeps them (the engine's inverted loop
                                                // would empty the list here).
    srv.set_max_pending_connections(2).unwrap();
    assert_eq!(srv.pending_count(), 2);
    srv.set_max_pending_connections(100).unwrap();
    assert_eq!(srv.pending_count(), 2);
    assert_eq!(
        srv.set_max_pending_connections(-1),
        Err(Error::InvalidParameter)
    );
    let p0 = srv.take_connection().unwrap();
    {
        let mut p = p0.lock().unwrap();
        assert!(p.is_socket_connected() && p.is_bound());
        assert_eq!(p.get_packet_ip_string(), "127.0.0.1");
        assert_eq!(p.get_packet_port(), clients[0].get_local_port());
        assert_eq!(p.get_available_packet_count(), 2);
        assert_eq!(p.get_packet().unwrap(), b"hello 0");
        assert_eq!(p.get_packet().unwrap(), b"again 0");
        assert_eq!(p.connect_to_host("127.0.0.1", 5), Err(Error::Locked));
        assert_eq!(p.set_broadcast_enabled(true), Err(Error::Locked));
        assert_eq!(
            p.join_multicast_group("239.1.2.3", "lo"),
            Err(Error::Locked)
        );
        assert_eq!(p.bind(0, "*", 65536), Err(Error::AlreadyInUse));
        assert_eq!(p.get_local_port() as i32, port);
        p.put_packet(b"reply").unwrap();
    }
    assert_eq!(recv_one(&mut clients[0]), b"reply");
    assert_eq!(clients[0].get_packet_port() as i32, port);
    // Later datagrams go to the accepted peer, filled by poll().
    clients[0].put_packet(b"more").unwrap();
    received += 1;
    poll_received(&mut srv, received);
    assert_eq!(p0.lock().unwrap().get_packet().unwrap(), b"more");
    // Closing the accepted peer forgets its key: the next datagram is a new pending connection.
    p0.lock().unwrap().close();
    clients[0].put_packet(b"new").unwrap();
    received += 1;
    poll_received(&mut srv, received);
    assert_eq!(srv.pending_count(), 2);
    let p1 = srv.take_connection().unwrap();
    let p2 = srv.take_connection().unwrap();
    assert_eq!(p1.lock().unwrap().get_packet().unwrap(), b"hello 1");
    assert_eq!(p2.lock().unwrap().get_packet().unwrap(), b"new");
    assert!(srv.take_connection().is_none());
    assert!(!srv.is_connection_available());
    // Freeing an accepted peer is noticed too.
    drop(p2);
    clients[0].put_packet(b"after-free").unwrap();
    received += 1;
    poll_received(&mut srv, received);
    assert_eq!(srv.pending_count(), 1);
    let p3 = srv.take_connection().unwrap();
    assert_eq!(p3.lock().unwrap().get_packet().unwrap(), b"after-free");
    // stop(): accepted peers become closed, unbound peers.
    srv.stop();
    assert!(!srv.is_listening());
    assert!(!p1.lock().unwrap().is_bound());
    assert_eq!(srv.poll(), Err(Error::Unconfigured));
    assert_eq!(srv.listen(0, "bad"), Err(Error::InvalidParameter));
}

#[test]
fn get_packet_into_reads_queue_first_then_the_socket_in_order() {
    for lo in ["127.0.0.1", "::1"] {
        let mut a = bound(lo);
        let mut b = bound(lo);
        a.connect_to_host(lo, b.get_local_port() as i32).unwrap();
        b.connect_to_host(lo, a.get_local_port() as i32).unwrap();
        let mut buf = [0u8; 2048];
        // Nothing waiting: None, not an error.
        assert_eq!(b.get_packet_into(&mut buf), Ok(None));
        for i in 0..6u32 {
            a.put_packet(&payload(i, 100 + i as usize)).unwrap();
        }
        // Three are queued in the ring by a drain; the rest wait in the socket.
        assert!(wait_count(&mut b, 6) >= 6);
        for i in 6..9u32 {
            a.put_packet(&payload(i, 100 + i as usize)).unwrap();
        }
        let mut got = Vec::new();
        let end = Instant::now() + DEADLINE;
        while got.len() < 9 {
            assert!(Instant::now() < end, "got {} of 9", got.len());
            if let Some(n) = b.get_packet_into(&mut buf).unwrap() {
                got.push(buf[..n].to_vec());
                assert_eq!(b.get_packet_port(), a.get_local_port());
            }
        }
        for (i, d) in got.iter().enumerate() {
            assert_eq!(*d, payload(i as u32, 100 + i), "datagram {i} in order");
        }
        assert_eq!(b.stats().packets_received, 9);
        // A datagram longer than the buffer is cut to it, from the ring and from the socket.
        a.put_packet(&payload(9, 1500)).unwrap();
        assert!(wait_count(&mut b, 1) >= 1);
        a.put_packet(&payload(10, 1500)).unwrap();
        let mut small = [0u8; 10];
        for i in [9u32, 10] {
            let end = Instant::now() + DEADLINE;
            loop {
                assert!(Instant::now() < end);
                if let Some(n) = b.get_packet_into(&mut small).unwrap() {
                    assert_eq!(n, 10);
                    assert_eq!(small[..], payload(i, 1500)[..10]);
                    break;
                }
            }
        }
    }
    // Not open: FAILED, as get_packet.
    let mut closed = PacketPeerUdp::new();
    assert_eq!(closed.get_packet_into(&mut [0u8; 8]), Err(Error::Failed));
}
