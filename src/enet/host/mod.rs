//! The ENet host: a protocol state machine for up to 4095 peers on one socket.
//!
//! The core is sans-IO: [`Host::handle_datagram`] consumes one received datagram, [`Host::send_outgoing`]
//! produces datagrams through a [`Transport`], [`Host::dispatch`] yields queued events. [`Host::service`]
//! ties them together the way `enet_host_service` does, on any [`Transport`] (a UDP socket, a DTLS
//! wrapper, a test relay).
//!
//! The algorithms (windows, sequencing, throttle, timeouts, bundling) follow ENet 1.3's documented
//! protocol rules so the bytes on the wire match what the C library sends; the data structures are our
//! own and every received quantity is bounded (see [`HostConfig`]).
//!
//! One [`Host`] type, its `impl` split by what each part of the protocol does:
//!
//! - this module: configuration, the host's own state, `service` (the loop tying the parts together);
//! - `peer`: the peer slot and its channels;
//! - `lifecycle`: handshake and disconnects, peer state changes;
//! - `incoming`: received datagrams and the data commands in them;
//! - `reassembly`: fragmented packets;
//! - `delivery`: received packets to the application, in order;
//! - `acks`: acknowledgements, round-trip time samples, retransmission timeouts;
//! - `outgoing`: queueing commands (sequence numbers are assigned there);
//! - `transmit`: bundling queued commands into datagrams and sending them;
//! - `throttle`: packet throttle and bandwidth limits;
//! - `time`: wrapping millisecond clock arithmetic;
//! - `error`: why a send or an incoming command is refused.
#![forbid(unsafe_code)]

mod acks;
mod delivery;
mod error;
mod incoming;
mod lifecycle;
mod outgoing;
mod peer;
mod reassembly;
mod throttle;
mod time;
mod transmit;

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::protocol::*;

pub use error::SendError;
pub use peer::{Peer, PeerState, PeerStats};

use time::{time_difference, time_greater_equal};

/// Packet flags (ENet's `ENetPacketFlag`).
pub const PACKET_FLAG_RELIABLE: u32 = 1;
pub const PACKET_FLAG_UNSEQUENCED: u32 = 2;
pub const PACKET_FLAG_NO_ALLOCATE: u32 = 4;
pub const PACKET_FLAG_UNRELIABLE_FRAGMENT: u32 = 8;
pub const PACKET_FLAG_SENT: u32 = 256;

pub const HOST_BANDWIDTH_THROTTLE_INTERVAL: u32 = 1000;
/// Godot's MTU (ENet 1.3.18 default).
pub const HOST_DEFAULT_MTU: u32 = 1392;
pub const HOST_DEFAULT_MAXIMUM_PACKET_SIZE: usize = 32 * 1024 * 1024;
pub const HOST_DEFAULT_MAXIMUM_WAITING_DATA: usize = 32 * 1024 * 1024;
pub const PEER_DEFAULT_ROUND_TRIP_TIME: u32 = 500;
pub const PEER_DEFAULT_PACKET_THROTTLE: u32 = 32;
pub const PEER_PACKET_THROTTLE_SCALE: u32 = 32;
pub const PEER_PACKET_THROTTLE_COUNTER: u32 = 7;
pub const PEER_PACKET_THROTTLE_ACCELERATION: u32 = 2;
pub const PEER_PACKET_THROTTLE_DECELERATION: u32 = 2;
pub const PEER_PACKET_THROTTLE_INTERVAL: u32 = 5000;
pub const PEER_PACKET_LOSS_SCALE: u32 = 1 << 16;
pub const PEER_PACKET_LOSS_INTERVAL: u32 = 10000;
pub const PEER_WINDOW_SIZE_SCALE: u32 = 64 * 1024;
pub const PEER_TIMEOUT_LIMIT: u32 = 32;
pub const PEER_TIMEOUT_MINIMUM: u32 = 5000;
pub const PEER_TIMEOUT_MAXIMUM: u32 = 30000;
pub const PEER_PING_INTERVAL: u32 = 500;
pub const PEER_UNSEQUENCED_WINDOWS: u32 = 64;
pub const PEER_UNSEQUENCED_WINDOW_SIZE: u32 = 1024;
pub const PEER_FREE_UNSEQUENCED_WINDOWS: u32 = 32;
pub const PEER_RELIABLE_WINDOWS: u16 = 16;
pub const PEER_RELIABLE_WINDOW_SIZE: u16 = 0x1000;
pub const PEER_FREE_RELIABLE_WINDOWS: u16 = 8;

/// Bookkeeping cost charged per stored incoming command on top of its payload, so that floods of
/// empty commands are bounded by `maximum_waiting_data` too.
const INCOMING_OVERHEAD: usize = 48;
/// Room kept in front of the command bytes for the header (2 or 4 bytes) and the optional checksum,
/// so a datagram is sent from one buffer without copying its commands again.
const BODY_PREFIX: usize = 8;
/// Datagrams read per service step (like ENet).
const RECEIVE_BATCH: usize = 256;

/// A received packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    pub data: Vec<u8>,
    /// Receiver-side flags: 1 reliable, 2 unsequenced, 8 unreliable fragment, 0 plain unreliable.
    pub flags: u32,
}

/// What `service` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `data`: the remote's connect data on the accepting side, 0 on the connecting side.
    Connect { peer: usize, data: u32 },
    /// `data`: the remote's disconnect data (0 on timeout). The peer slot is already reset.
    Disconnect { peer: usize, data: u32 },
    Receive {
        peer: usize,
        channel: u8,
        packet: Packet,
    },
}

/// Compressor hook: both ends must agree (no negotiation), see `compress.rs`.
pub trait Compressor: Send {
    /// Compresses `input` into `out` (cleared first). Returns false to send uncompressed.
    fn compress(&mut self, input: &[u8], out: &mut Vec<u8>) -> bool;
    /// Decompresses into `out` (cleared first), producing at most `limit` bytes. False = drop datagram.
    fn decompress(&mut self, input: &[u8], out: &mut Vec<u8>, limit: usize) -> bool;
}

/// Where datagrams go and come from.
pub trait Transport {
    fn send_to(&mut self, data: &[u8], to: SocketAddr) -> io::Result<usize>;
    /// Non-blocking receive into `buf`: `Ok(None)` when nothing is waiting. Longer datagrams are
    /// truncated to `buf.len()`.
    fn recv_from(&mut self, buf: &mut [u8]) -> io::Result<Option<(usize, SocketAddr)>>;
    /// Blocks until a datagram is readable or `timeout` passed.
    fn wait_readable(&mut self, timeout: Duration) -> io::Result<()>;
}

/// Host limits. Defaults are ENet's / Godot's (`docs/classes.md` §18.2).
#[derive(Debug, Clone)]
pub struct HostConfig {
    pub peer_count: usize,
    /// Channel limit for incoming connections (1..=255).
    pub channel_limit: usize,
    /// Bytes/second, 0 = unlimited.
    pub incoming_bandwidth: u32,
    pub outgoing_bandwidth: u32,
    pub mtu: u32,
    pub maximum_packet_size: usize,
    /// Per peer: bytes of received data held for reassembly, ordering or delivery.
    pub maximum_waiting_data: usize,
    /// Whole host: the same, summed over all peers (ENet has no such cap; 256 MiB by default).
    pub maximum_total_waiting_data: usize,
    pub duplicate_peers: usize,
    /// Appends/checks ENet's optional CRC32 field. Godot never enables it (off by default).
    pub checksum: bool,
}

impl Default for HostConfig {
    fn default() -> Self {
        HostConfig {
            peer_count: 32,
            channel_limit: MAXIMUM_CHANNEL_COUNT as usize,
            incoming_bandwidth: 0,
            outgoing_bandwidth: 0,
            mtu: HOST_DEFAULT_MTU,
            maximum_packet_size: HOST_DEFAULT_MAXIMUM_PACKET_SIZE,
            maximum_waiting_data: HOST_DEFAULT_MAXIMUM_WAITING_DATA,
            maximum_total_waiting_data: 256 * 1024 * 1024,
            duplicate_peers: MAXIMUM_PEER_ID as usize,
            checksum: false,
        }
    }
}

/// Counters of hostile or broken input (never reset by the protocol).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Anomalies {
    /// Datagrams dropped before any command was looked at (short, unknown peer, wrong address or
    /// session, undecompressible, bad checksum).
    pub dropped_datagrams: u64,
    /// Datagrams whose command parsing stopped on a malformed or refused command.
    pub malformed_commands: u64,
    /// Incoming data refused because a peer's waiting-data budget was exhausted.
    pub waiting_data_exceeded: u64,
}

/// An ENet host.
pub struct Host {
    peers: Vec<Peer>,
    /// Bit `i` set while peer `i` is neither DISCONNECTED nor ZOMBIE (see [`Host::track_active`]):
    /// `send_outgoing` walks only these, so a service call costs what the peers in use need, not
    /// the slot count (ENet walks every slot, which on a 4095-slot host is most of a round trip).
    active: Vec<u64>,
    channel_limit: usize,
    incoming_bandwidth: u32,
    outgoing_bandwidth: u32,
    bandwidth_throttle_epoch: u32,
    mtu: u32,
    recalculate_bandwidth_limits: bool,
    service_time: u32,
    connected_peers: usize,
    bandwidth_limited_peers: usize,
    duplicate_peers: usize,
    maximum_packet_size: usize,
    maximum_waiting_data: usize,
    maximum_total_waiting_data: usize,
    total_waiting: Arc<AtomicUsize>,
    checksum: bool,
    dispatch_queue: VecDeque<usize>,
    total_queued: u32,
    pub total_sent_data: u32,
    pub total_sent_packets: u32,
    pub total_received_data: u32,
    pub total_received_packets: u32,
    pub anomalies: Anomalies,
    compressor: Option<Box<dyn Compressor>>,
    clock: Instant,
    rng: u64,
    continue_sending: bool,
    // scratch buffers reused across datagrams
    body: Vec<u8>,
    dgram: Vec<u8>,
    packed: Vec<u8>,
    recv_buf: Vec<u8>,
    command_count: usize,
    header_flags: u16,
}

impl Host {
    /// A host with `config.peer_count` (1..=4095) peer slots.
    pub fn new(config: HostConfig) -> Host {
        let peer_count = config.peer_count.clamp(1, MAXIMUM_PEER_ID as usize);
        let mtu = config.mtu.clamp(MINIMUM_MTU, MAXIMUM_MTU);
        let seed = {
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0),
            );
            h.finish() | 1
        };
        Host {
            peers: (0..peer_count).map(|i| Peer::new(i as u16, mtu)).collect(),
            active: vec![0; peer_count.div_ceil(64)],
            channel_limit: config.channel_limit.clamp(
                MINIMUM_CHANNEL_COUNT as usize,
                MAXIMUM_CHANNEL_COUNT as usize,
            ),
            incoming_bandwidth: config.incoming_bandwidth,
            outgoing_bandwidth: config.outgoing_bandwidth,
            bandwidth_throttle_epoch: 0,
            mtu,
            recalculate_bandwidth_limits: false,
            service_time: 0,
            connected_peers: 0,
            bandwidth_limited_peers: 0,
            duplicate_peers: config.duplicate_peers.min(MAXIMUM_PEER_ID as usize),
            maximum_packet_size: config.maximum_packet_size,
            maximum_waiting_data: config.maximum_waiting_data,
            maximum_total_waiting_data: config.maximum_total_waiting_data,
            total_waiting: Arc::new(AtomicUsize::new(0)),
            checksum: config.checksum,
            dispatch_queue: VecDeque::new(),
            total_queued: 0,
            total_sent_data: 0,
            total_sent_packets: 0,
            total_received_data: 0,
            total_received_packets: 0,
            anomalies: Anomalies::default(),
            compressor: None,
            clock: Instant::now(),
            rng: seed,
            continue_sending: false,
            body: {
                let mut b = Vec::with_capacity(MAXIMUM_MTU as usize + BODY_PREFIX);
                b.resize(BODY_PREFIX, 0);
                b
            },
            dgram: Vec::with_capacity(MAXIMUM_MTU as usize),
            packed: Vec::with_capacity(MAXIMUM_MTU as usize),
            recv_buf: vec![0; MAXIMUM_MTU as usize],
            command_count: 0,
            header_flags: 0,
        }
    }

    /// Brings peer `idx`'s bit in `active` up to date with its state; called after every state write.
    pub(super) fn track_active(&mut self, idx: usize) {
        let on = !matches!(
            self.peers[idx].state,
            PeerState::Disconnected | PeerState::Zombie
        );
        let (w, b) = (idx / 64, idx % 64);
        if on {
            self.active[w] |= 1 << b;
        } else {
            self.active[w] &= !(1 << b);
        }
    }

    /// The first peer at or after `from` that is neither DISCONNECTED nor ZOMBIE.
    #[cfg(test)]
    fn next_active(&self, from: usize) -> Option<usize> {
        let mut w = from / 64;
        let mut bits = *self.active.get(w)? & (u64::MAX << (from % 64));
        loop {
            if bits != 0 {
                return Some(w * 64 + bits.trailing_zeros() as usize);
            }
            w += 1;
            bits = *self.active.get(w)?;
        }
    }

    /// The host's millisecond clock (starts at an arbitrary non-zero value, wraps).
    pub fn now(&self) -> u32 {
        (self.clock.elapsed().as_millis() as u32).wrapping_add(0x1000)
    }

    fn random(&mut self) -> u32 {
        // xorshift64*: connect ids only need to differ between attempts.
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) as u32
    }

    pub fn peer_count(&self) -> usize {
        self.peers.len()
    }
    pub fn peer(&self, idx: usize) -> Option<&Peer> {
        self.peers.get(idx)
    }
    pub fn channel_limit(&self) -> usize {
        self.channel_limit
    }
    /// 0 or >255 -> 255, else at least 1 (ENet's `enet_host_channel_limit`).
    pub fn set_channel_limit(&mut self, limit: usize) {
        self.channel_limit = if limit == 0 || limit > MAXIMUM_CHANNEL_COUNT as usize {
            MAXIMUM_CHANNEL_COUNT as usize
        } else {
            limit.max(1)
        };
    }
    pub fn bandwidth(&self) -> (u32, u32) {
        (self.incoming_bandwidth, self.outgoing_bandwidth)
    }
    /// Peers learn the new limits at the next bandwidth recalculation.
    pub fn set_bandwidth_limit(&mut self, incoming: u32, outgoing: u32) {
        self.incoming_bandwidth = incoming;
        self.outgoing_bandwidth = outgoing;
        self.recalculate_bandwidth_limits = true;
    }
    pub fn set_compressor(&mut self, c: Option<Box<dyn Compressor>>) {
        self.compressor = c;
    }
    pub fn mtu(&self) -> u32 {
        self.mtu
    }

    /// One `enet_host_service` call: returns at most one event, waiting up to `timeout_ms` for one.
    pub fn service(
        &mut self,
        timeout_ms: u32,
        io: &mut dyn Transport,
    ) -> io::Result<Option<Event>> {
        if let Some(ev) = self.dispatch() {
            return Ok(Some(ev));
        }
        let start = self.now();
        let deadline = start.wrapping_add(timeout_ms);
        let mut now = start;
        loop {
            if time_difference(now, self.bandwidth_throttle_epoch)
                >= HOST_BANDWIDTH_THROTTLE_INTERVAL
            {
                self.bandwidth_throttle(now);
            }
            if let Some(ev) = self.send_outgoing(now, true, io)? {
                return Ok(Some(ev));
            }
            if let Some(ev) = self.receive(io)? {
                return Ok(Some(ev));
            }
            now = self.now();
            if let Some(ev) = self.send_outgoing(now, true, io)? {
                return Ok(Some(ev));
            }
            if let Some(ev) = self.dispatch() {
                return Ok(Some(ev));
            }
            now = self.now();
            if time_greater_equal(now, deadline) {
                return Ok(None);
            }
            let wait = time_difference(deadline, now);
            io.wait_readable(Duration::from_millis(wait as u64))?;
            now = self.now();
        }
    }

    /// Reads up to 256 waiting datagrams.
    fn receive(&mut self, io: &mut dyn Transport) -> io::Result<Option<Event>> {
        let mut buf = std::mem::take(&mut self.recv_buf);
        let mut result = Ok(None);
        for _ in 0..RECEIVE_BATCH {
            match io.recv_from(&mut buf) {
                Ok(None) => break,
                Ok(Some((n, from))) => {
                    self.total_received_data = self.total_received_data.wrapping_add(n as u32);
                    self.total_received_packets = self.total_received_packets.wrapping_add(1);
                    let now = self.now();
                    if let Some(ev) = self.handle_datagram(now, from, &buf[..n.min(buf.len())]) {
                        result = Ok(Some(ev));
                        break;
                    }
                }
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        self.recv_buf = buf;
        result
    }
}

/// CRC-32 (IEEE, reflected), as ENet's optional checksum.
pub fn crc32(data: &[u8]) -> u32 {
    static TABLE: std::sync::OnceLock<[u32; 256]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [0u32; 256];
        for (i, e) in t.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *e = c;
        }
        t
    });
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc = (crc >> 8) ^ table[((crc ^ b as u32) & 0xFF) as usize];
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::{Host, HostConfig, PeerState};

    #[test]
    fn next_active_walks_set_slots_in_order_across_words() {
        let mut h = Host::new(HostConfig {
            peer_count: 4095,
            ..HostConfig::default()
        });
        assert_eq!(h.next_active(0), None);
        for i in [0, 63, 64, 127, 128, 4094] {
            h.peers[i].state = PeerState::Connected;
            h.track_active(i);
        }
        let mut seen = Vec::new();
        let mut next = 0;
        while let Some(i) = h.next_active(next) {
            seen.push(i);
            next = i + 1;
        }
        assert_eq!(seen, [0, 63, 64, 127, 128, 4094]);
        assert_eq!(h.next_active(4095), None);
        assert_eq!(h.next_active(10_000), None);
        h.peers[64].state = PeerState::Zombie;
        h.track_active(64);
        assert_eq!(h.next_active(64), Some(127));
        h.peer_reset(0);
        assert_eq!(h.next_active(0), Some(63));
    }
}
