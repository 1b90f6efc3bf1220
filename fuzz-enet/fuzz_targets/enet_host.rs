//! Fuzzes a connected ENet host with arbitrary datagrams from its peer's address: no panic, bounded
//! memory. Input = chunks `[len, flags, bytes...]`; flag bit 0 prepends a valid header for peer 0
//! (so commands reach the connected peer), bits 1–3 advance the clock.
//! Run: `cd fuzz-enet && cargo +nightly fuzz run enet_host`.
#![no_main]

use std::net::SocketAddr;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use packetpeer::enet::protocol::*;
use packetpeer::enet::{Host, HostConfig, Transport};

struct Sink;
impl Transport for Sink {
    fn send_to(&mut self, data: &[u8], _: SocketAddr) -> std::io::Result<usize> {
        Ok(data.len())
    }
    fn recv_from(&mut self, _: &mut [u8]) -> std::io::Result<Option<(usize, SocketAddr)>> {
        Ok(None)
    }
    fn wait_readable(&mut self, _: Duration) -> std::io::Result<()> {
        Ok(())
    }
}

fn datagram(peer: u16, sent: u16, cmds: &[(CommandHeader, Command)]) -> Vec<u8> {
    let mut d = Vec::new();
    DatagramHeader { peer_id: peer, session_id: 0, compressed: false, sent_time: Some(sent) }.encode(&mut d);
    for (h, c) in cmds {
        c.encode(h, &mut d);
    }
    d
}

fuzz_target!(|data: &[u8]| {
    let from: SocketAddr = "127.0.0.1:9".parse().unwrap();
    let mut host = Host::new(HostConfig { peer_count: 2, maximum_waiting_data: 1 << 20, ..HostConfig::default() });
    let mut now = 10_000u32;
    let connect = ConnectBody {
        outgoing_peer_id: 0,
        incoming_session_id: 0xFF,
        outgoing_session_id: 0xFF,
        mtu: 1392,
        window_size: 65536,
        channel_count: 4,
        packet_throttle_interval: 5000,
        packet_throttle_acceleration: 2,
        packet_throttle_deceleration: 2,
        connect_id: 7,
        ..ConnectBody::default()
    };
    let h = |c: u8, s: u16| CommandHeader { command: c, channel_id: 0xFF, reliable_sequence_number: s };
    host.handle_datagram(now, from, &datagram(0xFFF, now as u16, &[(h(0x82, 1), Command::Connect(connect))]));
    let _ = host.send_outgoing(now, true, &mut Sink);
    let ack = Command::Acknowledge { received_reliable_sequence_number: 1, received_sent_time: now as u16 };
    host.handle_datagram(now, from, &datagram(0, now as u16, &[(h(1, 1), ack)]));
    while host.dispatch().is_some() {}

    let mut rest = data;
    while let [len, flags, tail @ ..] = rest {
        let n = (*len as usize).min(tail.len());
        let (chunk, r) = tail.split_at(n);
        rest = r;
        now = now.wrapping_add(((*flags >> 1) & 7) as u32 * 97);
        let d = if flags & 1 != 0 {
            let mut d = vec![0x80, 0x00, (now >> 8) as u8, now as u8];
            d.extend_from_slice(chunk);
            d
        } else {
            chunk.to_vec()
        };
        host.handle_datagram(now, from, &d);
        while host.dispatch().is_some() {}
        let _ = host.send_outgoing(now, true, &mut Sink);
        if let Some(p) = host.peer(0) {
            assert!(p.waiting_data() <= 1 << 20);
        }
    }
});
