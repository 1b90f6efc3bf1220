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
#![forbid(unsafe_code)]

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::protocol::*;

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

const TIME_OVERFLOW: u32 = 86_400_000;
fn time_less(a: u32, b: u32) -> bool {
    a.wrapping_sub(b) >= TIME_OVERFLOW
}
fn time_greater_equal(a: u32, b: u32) -> bool {
    !time_less(a, b)
}
fn time_difference(a: u32, b: u32) -> u32 {
    if a.wrapping_sub(b) >= TIME_OVERFLOW {
        b.wrapping_sub(a)
    } else {
        a.wrapping_sub(b)
    }
}

/// ENet peer states (numbers = Godot's `ENetPacketPeer.PeerState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PeerState {
    Disconnected = 0,
    Connecting = 1,
    AcknowledgingConnect = 2,
    ConnectionPending = 3,
    ConnectionSucceeded = 4,
    Connected = 5,
    DisconnectLater = 6,
    Disconnecting = 7,
    AcknowledgingDisconnect = 8,
    Zombie = 9,
}

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

#[derive(Debug, Clone)]
struct OutCmd {
    header: CommandHeader,
    command: Command,
    reliable_seq: u16,
    unreliable_seq: u16,
    packet: Option<Arc<[u8]>>,
    fragment_offset: u32,
    fragment_length: u16,
    send_attempts: u16,
    sent_time: u32,
    round_trip_timeout: u32,
    queue_time: u32,
}

#[derive(Debug, Clone, Copy)]
struct Ack {
    header: CommandHeader,
    sent_time: u16,
}

/// A share of the host-wide waiting-data budget, given back when the holder is dropped (delivered,
/// discarded, or its peer reset), wherever that happens.
#[derive(Debug)]
struct Held {
    total: Arc<AtomicUsize>,
    amount: usize,
}

impl Held {
    fn none(total: &Arc<AtomicUsize>) -> Held {
        Held {
            total: total.clone(),
            amount: 0,
        }
    }
    fn absorb(&mut self, mut other: Held) {
        self.amount += other.amount;
        other.amount = 0;
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.total.fetch_sub(self.amount, Ordering::Relaxed);
    }
}

/// A packet being received: whole, or being reassembled from fragments.
#[derive(Debug)]
struct InPacket {
    data: Vec<u8>,
    flags: u32,
    cost: usize,
    frag: Option<Box<Reassembly>>,
    held: Held,
}

/// Fragments of one packet. Memory follows what arrived, not what was announced: fragments that
/// arrive in order are appended to `contiguous` (one copy, the common case); others wait in `pieces`.
#[derive(Debug)]
struct Reassembly {
    total_length: u32,
    fragment_count: u32,
    /// Distinct fragment numbers received (bit set, grown as numbers arrive).
    seen: Vec<u64>,
    received: u32,
    contiguous: Vec<u8>,
    /// offset -> bytes, for fragments that arrived ahead of the contiguous prefix.
    pieces: BTreeMap<u32, Vec<u8>>,
    bytes: usize,
}

impl Reassembly {
    fn new(total_length: u32, fragment_count: u32) -> Reassembly {
        Reassembly {
            total_length,
            fragment_count,
            seen: Vec::new(),
            received: 0,
            contiguous: Vec::new(),
            pieces: BTreeMap::new(),
            bytes: 0,
        }
    }

    /// Bytes the `seen` bit set grows by to record `number` (charged to the waiting-data budget).
    fn growth_for(&self, number: u32) -> usize {
        ((number / 64) as usize + 1).saturating_sub(self.seen.len()) * 8
    }

    fn has(&self, number: u32) -> bool {
        self.seen
            .get((number / 64) as usize)
            .is_some_and(|w| w & (1 << (number % 64)) != 0)
    }

    /// Adds a fragment (the caller checked it is new and fits in `total_length`).
    fn add(&mut self, number: u32, offset: u32, data: &[u8]) {
        let word = (number / 64) as usize;
        if self.seen.len() <= word {
            self.seen.resize(word + 1, 0);
        }
        self.seen[word] |= 1 << (number % 64);
        self.received += 1;
        self.bytes += data.len();
        if offset as usize == self.contiguous.len() {
            self.contiguous.extend_from_slice(data);
            // pull in pieces that now continue the prefix
            while let Some(next) = self.pieces.remove(&(self.contiguous.len() as u32)) {
                self.contiguous.extend_from_slice(&next);
            }
        } else {
            self.pieces.insert(offset, data.to_vec());
        }
    }

    fn complete(&self) -> bool {
        self.received >= self.fragment_count
    }
}

impl InPacket {
    fn complete(&self) -> bool {
        match &self.frag {
            None => true,
            Some(r) => r.complete(),
        }
    }
    /// Builds the packet of a complete reassembly; `None` if the fragments leave holes.
    fn assemble(&mut self) -> Option<()> {
        if let Some(r) = self.frag.take() {
            let total = r.total_length as usize;
            if r.bytes < total {
                return None;
            }
            let mut data = r.contiguous;
            if data.len() != total || !r.pieces.is_empty() {
                // Out-of-order or overlapping fragments: place each at its offset.
                data.resize(total, 0);
                for (off, bytes) in r.pieces {
                    let off = off as usize;
                    let end = (off + bytes.len()).min(total);
                    if off < end {
                        data[off..end].copy_from_slice(&bytes[..end - off]);
                    }
                }
            }
            self.data = data;
        }
        Some(())
    }
}

#[derive(Debug)]
struct Channel {
    outgoing_reliable_seq: u16,
    outgoing_unreliable_seq: u16,
    used_reliable_windows: u16,
    reliable_windows: [u16; PEER_RELIABLE_WINDOWS as usize],
    incoming_reliable_seq: u16,
    incoming_unreliable_seq: u16,
    incoming_reliable: HashMap<u16, InPacket>,
    /// (reliable seq, unreliable seq) -> packet waiting for its reliable predecessor or its fragments.
    incoming_unreliable: BTreeMap<(u16, u16), InPacket>,
}

impl Channel {
    fn new() -> Channel {
        Channel {
            outgoing_reliable_seq: 0,
            outgoing_unreliable_seq: 0,
            used_reliable_windows: 0,
            reliable_windows: [0; PEER_RELIABLE_WINDOWS as usize],
            incoming_reliable_seq: 0,
            incoming_unreliable_seq: 0,
            incoming_reliable: HashMap::new(),
            incoming_unreliable: BTreeMap::new(),
        }
    }

    /// Whether reliable sequence number `seq` lies in the acceptable receive windows.
    fn in_receive_window(&self, seq: u16) -> bool {
        let mut window = seq / PEER_RELIABLE_WINDOW_SIZE;
        let current = self.incoming_reliable_seq / PEER_RELIABLE_WINDOW_SIZE;
        if seq < self.incoming_reliable_seq {
            window += PEER_RELIABLE_WINDOWS;
        }
        !(window < current || window >= current + PEER_FREE_RELIABLE_WINDOWS - 1)
    }
}

/// One ENet peer slot. `repr(C)` keeps the fields every service pass reads together at the front.
#[derive(Debug)]
#[repr(C)]
pub struct Peer {
    state: PeerState,
    acknowledgements: VecDeque<Ack>,
    sent_reliable: VecDeque<OutCmd>,
    outgoing: VecDeque<OutCmd>,
    outgoing_send_reliable: VecDeque<OutCmd>,
    last_receive_time: u32,
    ping_interval: u32,
    incoming_peer_id: u16,
    outgoing_peer_id: u16,
    incoming_session_id: u8,
    outgoing_session_id: u8,
    connect_id: u32,
    address: Option<SocketAddr>,
    channels: Vec<Channel>,
    incoming_bandwidth: u32,
    outgoing_bandwidth: u32,
    incoming_bandwidth_throttle_epoch: u32,
    outgoing_bandwidth_throttle_epoch: u32,
    incoming_data_total: u32,
    outgoing_data_total: u32,
    last_send_time: u32,
    next_timeout: u32,
    earliest_timeout: u32,
    packet_loss_epoch: u32,
    packets_sent: u32,
    packets_lost: u32,
    packet_loss: u32,
    packet_loss_variance: u32,
    packet_throttle: u32,
    packet_throttle_limit: u32,
    packet_throttle_counter: u32,
    packet_throttle_epoch: u32,
    packet_throttle_acceleration: u32,
    packet_throttle_deceleration: u32,
    packet_throttle_interval: u32,
    timeout_limit: u32,
    timeout_minimum: u32,
    timeout_maximum: u32,
    last_round_trip_time: u32,
    lowest_round_trip_time: u32,
    last_round_trip_time_variance: u32,
    highest_round_trip_time_variance: u32,
    round_trip_time: u32,
    round_trip_time_variance: u32,
    mtu: u32,
    window_size: u32,
    reliable_data_in_transit: u32,
    outgoing_reliable_seq: u16,
    dispatched: VecDeque<(u8, InPacket)>,
    needs_dispatch: bool,
    incoming_unsequenced_group: u16,
    outgoing_unsequenced_group: u16,
    unsequenced_window: Box<[u32; (PEER_UNSEQUENCED_WINDOW_SIZE / 32) as usize]>,
    event_data: u32,
    total_waiting_data: usize,
}

/// Statistics readable per peer (Godot's `PeerStatistic` order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerStats {
    pub packet_loss: u32,
    pub packet_loss_variance: u32,
    pub packet_loss_epoch: u32,
    pub round_trip_time: u32,
    pub round_trip_time_variance: u32,
    pub last_round_trip_time: u32,
    pub last_round_trip_time_variance: u32,
    pub packet_throttle: u32,
    pub packet_throttle_limit: u32,
    pub packet_throttle_counter: u32,
    pub packet_throttle_epoch: u32,
    pub packet_throttle_acceleration: u32,
    pub packet_throttle_deceleration: u32,
    pub packet_throttle_interval: u32,
}

impl Peer {
    fn new(index: u16, mtu: u32) -> Peer {
        let mut p = Peer {
            incoming_peer_id: index,
            outgoing_peer_id: MAXIMUM_PEER_ID,
            incoming_session_id: 0xFF,
            outgoing_session_id: 0xFF,
            connect_id: 0,
            state: PeerState::Disconnected,
            address: None,
            channels: Vec::new(),
            incoming_bandwidth: 0,
            outgoing_bandwidth: 0,
            incoming_bandwidth_throttle_epoch: 0,
            outgoing_bandwidth_throttle_epoch: 0,
            incoming_data_total: 0,
            outgoing_data_total: 0,
            last_send_time: 0,
            last_receive_time: 0,
            next_timeout: 0,
            earliest_timeout: 0,
            packet_loss_epoch: 0,
            packets_sent: 0,
            packets_lost: 0,
            packet_loss: 0,
            packet_loss_variance: 0,
            packet_throttle: 0,
            packet_throttle_limit: 0,
            packet_throttle_counter: 0,
            packet_throttle_epoch: 0,
            packet_throttle_acceleration: 0,
            packet_throttle_deceleration: 0,
            packet_throttle_interval: 0,
            ping_interval: 0,
            timeout_limit: 0,
            timeout_minimum: 0,
            timeout_maximum: 0,
            last_round_trip_time: 0,
            lowest_round_trip_time: 0,
            last_round_trip_time_variance: 0,
            highest_round_trip_time_variance: 0,
            round_trip_time: 0,
            round_trip_time_variance: 0,
            mtu,
            window_size: 0,
            reliable_data_in_transit: 0,
            outgoing_reliable_seq: 0,
            acknowledgements: VecDeque::new(),
            sent_reliable: VecDeque::new(),
            outgoing: VecDeque::new(),
            outgoing_send_reliable: VecDeque::new(),
            dispatched: VecDeque::new(),
            needs_dispatch: false,
            incoming_unsequenced_group: 0,
            outgoing_unsequenced_group: 0,
            unsequenced_window: Box::new([0; (PEER_UNSEQUENCED_WINDOW_SIZE / 32) as usize]),
            event_data: 0,
            total_waiting_data: 0,
        };
        p.reset_fields(mtu);
        p
    }

    /// Back to DISCONNECTED with default parameters (session ids survive, as in ENet).
    fn reset_fields(&mut self, mtu: u32) {
        self.outgoing_peer_id = MAXIMUM_PEER_ID;
        self.connect_id = 0;
        self.state = PeerState::Disconnected;
        self.incoming_bandwidth = 0;
        self.outgoing_bandwidth = 0;
        self.incoming_bandwidth_throttle_epoch = 0;
        self.outgoing_bandwidth_throttle_epoch = 0;
        self.incoming_data_total = 0;
        self.outgoing_data_total = 0;
        self.last_send_time = 0;
        self.last_receive_time = 0;
        self.next_timeout = 0;
        self.earliest_timeout = 0;
        self.packet_loss_epoch = 0;
        self.packets_sent = 0;
        self.packets_lost = 0;
        self.packet_loss = 0;
        self.packet_loss_variance = 0;
        self.packet_throttle = PEER_DEFAULT_PACKET_THROTTLE;
        self.packet_throttle_limit = PEER_PACKET_THROTTLE_SCALE;
        self.packet_throttle_counter = 0;
        self.packet_throttle_epoch = 0;
        self.packet_throttle_acceleration = PEER_PACKET_THROTTLE_ACCELERATION;
        self.packet_throttle_deceleration = PEER_PACKET_THROTTLE_DECELERATION;
        self.packet_throttle_interval = PEER_PACKET_THROTTLE_INTERVAL;
        self.ping_interval = PEER_PING_INTERVAL;
        self.timeout_limit = PEER_TIMEOUT_LIMIT;
        self.timeout_minimum = PEER_TIMEOUT_MINIMUM;
        self.timeout_maximum = PEER_TIMEOUT_MAXIMUM;
        self.last_round_trip_time = PEER_DEFAULT_ROUND_TRIP_TIME;
        self.lowest_round_trip_time = PEER_DEFAULT_ROUND_TRIP_TIME;
        self.last_round_trip_time_variance = 0;
        self.highest_round_trip_time_variance = 0;
        self.round_trip_time = PEER_DEFAULT_ROUND_TRIP_TIME;
        self.round_trip_time_variance = 0;
        self.mtu = mtu;
        self.reliable_data_in_transit = 0;
        self.outgoing_reliable_seq = 0;
        self.window_size = MAXIMUM_WINDOW_SIZE;
        self.incoming_unsequenced_group = 0;
        self.outgoing_unsequenced_group = 0;
        self.event_data = 0;
        *self.unsequenced_window = [0; (PEER_UNSEQUENCED_WINDOW_SIZE / 32) as usize];
        self.reset_queues();
    }

    fn reset_queues(&mut self) {
        self.needs_dispatch = false;
        self.acknowledgements.clear();
        self.sent_reliable.clear();
        self.outgoing.clear();
        self.outgoing_send_reliable.clear();
        self.dispatched.clear();
        self.channels.clear();
        self.total_waiting_data = 0;
    }

    fn is_connected(&self) -> bool {
        matches!(
            self.state,
            PeerState::Connected | PeerState::DisconnectLater
        )
    }

    pub fn state(&self) -> PeerState {
        self.state
    }
    pub fn address(&self) -> Option<SocketAddr> {
        self.address
    }
    pub fn channel_count(&self) -> usize {
        self.channels.len()
    }
    pub fn mtu(&self) -> u32 {
        self.mtu
    }
    pub fn window_size(&self) -> u32 {
        self.window_size
    }
    pub fn connect_id(&self) -> u32 {
        self.connect_id
    }
    /// The id the remote gave this peer (the header's peer id on outgoing datagrams).
    pub fn outgoing_peer_id(&self) -> u16 {
        self.outgoing_peer_id
    }
    /// Session id put on outgoing datagrams.
    pub fn outgoing_session_id(&self) -> u8 {
        self.outgoing_session_id
    }
    pub fn incoming_bandwidth(&self) -> u32 {
        self.incoming_bandwidth
    }
    pub fn outgoing_bandwidth(&self) -> u32 {
        self.outgoing_bandwidth
    }
    pub fn round_trip_time(&self) -> u32 {
        self.round_trip_time
    }
    pub fn ping_interval_ms(&self) -> u32 {
        self.ping_interval
    }
    pub fn timeouts(&self) -> (u32, u32, u32) {
        (
            self.timeout_limit,
            self.timeout_minimum,
            self.timeout_maximum,
        )
    }
    /// Bytes of received data this peer holds (reassembly, ordering, undelivered).
    pub fn waiting_data(&self) -> usize {
        self.total_waiting_data
    }
    /// Reliable payload bytes sent and not yet acknowledged.
    pub fn reliable_data_in_transit(&self) -> u32 {
        self.reliable_data_in_transit
    }
    /// (queued control/unreliable, queued reliable, sent awaiting acknowledgement).
    pub fn queue_lengths(&self) -> (usize, usize, usize) {
        (
            self.outgoing.len(),
            self.outgoing_send_reliable.len(),
            self.sent_reliable.len(),
        )
    }
    /// Commands queued or in flight, not yet acknowledged.
    pub fn pending_outgoing(&self) -> usize {
        self.outgoing.len() + self.outgoing_send_reliable.len() + self.sent_reliable.len()
    }
    pub fn stats(&self) -> PeerStats {
        PeerStats {
            packet_loss: self.packet_loss,
            packet_loss_variance: self.packet_loss_variance,
            packet_loss_epoch: self.packet_loss_epoch,
            round_trip_time: self.round_trip_time,
            round_trip_time_variance: self.round_trip_time_variance,
            last_round_trip_time: self.last_round_trip_time,
            last_round_trip_time_variance: self.last_round_trip_time_variance,
            packet_throttle: self.packet_throttle,
            packet_throttle_limit: self.packet_throttle_limit,
            packet_throttle_counter: self.packet_throttle_counter,
            packet_throttle_epoch: self.packet_throttle_epoch,
            packet_throttle_acceleration: self.packet_throttle_acceleration,
            packet_throttle_deceleration: self.packet_throttle_deceleration,
            packet_throttle_interval: self.packet_throttle_interval,
        }
    }

    /// ENet's throttle adjustment from one RTT sample.
    fn throttle(&mut self, rtt: u32) {
        if self.last_round_trip_time <= self.last_round_trip_time_variance {
            self.packet_throttle = self.packet_throttle_limit;
        } else if rtt <= self.last_round_trip_time {
            // Saturating: the acceleration comes from the remote (THROTTLE_CONFIGURE).
            self.packet_throttle = self
                .packet_throttle
                .saturating_add(self.packet_throttle_acceleration)
                .min(self.packet_throttle_limit);
        } else if rtt as u64
            > self.last_round_trip_time as u64 + 2 * self.last_round_trip_time_variance as u64
        {
            self.packet_throttle = self
                .packet_throttle
                .saturating_sub(self.packet_throttle_deceleration);
        }
    }
}

/// Normalises IPv4-mapped IPv6 addresses so a dual-stack socket and an IPv4 peer compare equal.
pub fn canonical(addr: SocketAddr) -> SocketAddr {
    match addr {
        SocketAddr::V6(v6) => match v6.ip().to_ipv4_mapped() {
            Some(v4) => SocketAddr::new(v4.into(), v6.port()),
            None => addr,
        },
        v4 => v4,
    }
}

/// An ENet host.
pub struct Host {
    peers: Vec<Peer>,
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

    // ----- peer state helpers -----

    fn change_state(&mut self, idx: usize, state: PeerState) {
        let p = &mut self.peers[idx];
        let now_connected = matches!(state, PeerState::Connected | PeerState::DisconnectLater);
        if now_connected && !p.is_connected() {
            if p.incoming_bandwidth != 0 {
                self.bandwidth_limited_peers += 1;
            }
            self.connected_peers += 1;
        } else if !now_connected && p.is_connected() {
            if p.incoming_bandwidth != 0 {
                self.bandwidth_limited_peers = self.bandwidth_limited_peers.saturating_sub(1);
            }
            self.connected_peers = self.connected_peers.saturating_sub(1);
        }
        p.state = state;
    }

    fn mark_dispatch(&mut self, idx: usize) {
        if !self.peers[idx].needs_dispatch {
            self.peers[idx].needs_dispatch = true;
            self.dispatch_queue.push_back(idx);
        }
    }

    fn dispatch_state(&mut self, idx: usize, state: PeerState) {
        self.change_state(idx, state);
        self.mark_dispatch(idx);
    }

    /// `enet_peer_reset`: forget the peer without telling the remote.
    pub fn peer_reset(&mut self, idx: usize) {
        if idx >= self.peers.len() {
            return;
        }
        self.change_state(idx, PeerState::Disconnected);
        let mtu = self.mtu;
        self.peers[idx].reset_fields(mtu);
        self.peers[idx].address = None;
        self.dispatch_queue.retain(|&i| i != idx);
    }

    fn notify_connect(&mut self, idx: usize) -> Option<Event> {
        self.recalculate_bandwidth_limits = true;
        self.change_state(idx, PeerState::Connected);
        Some(Event::Connect {
            peer: idx,
            data: self.peers[idx].event_data,
        })
    }

    fn notify_disconnect(&mut self, idx: usize, with_event: bool) -> Option<Event> {
        let state = self.peers[idx].state;
        if state >= PeerState::ConnectionPending {
            self.recalculate_bandwidth_limits = true;
        }
        if state != PeerState::Connecting && state < PeerState::ConnectionSucceeded {
            self.peer_reset(idx);
            None
        } else if with_event {
            self.peer_reset(idx);
            Some(Event::Disconnect { peer: idx, data: 0 })
        } else {
            self.peers[idx].event_data = 0;
            self.dispatch_state(idx, PeerState::Zombie);
            None
        }
    }

    // ----- outgoing queueing -----

    fn queue_outgoing(
        &mut self,
        idx: usize,
        mut header: CommandHeader,
        mut command: Command,
        packet: Option<Arc<[u8]>>,
        fragment_offset: u32,
        fragment_length: u16,
    ) {
        self.total_queued = self.total_queued.wrapping_add(1);
        let queue_time = self.total_queued;
        let p = &mut self.peers[idx];
        header.command = (header.command & !COMMAND_MASK) | command.number();
        p.outgoing_data_total = p
            .outgoing_data_total
            .wrapping_add((command.size() + fragment_length as usize) as u32);
        let (rel, unrel);
        if header.channel_id == 0xFF {
            p.outgoing_reliable_seq = p.outgoing_reliable_seq.wrapping_add(1);
            rel = p.outgoing_reliable_seq;
            unrel = 0;
        } else {
            let Some(ch) = p.channels.get_mut(header.channel_id as usize) else {
                return;
            };
            if header.wants_ack() {
                ch.outgoing_reliable_seq = ch.outgoing_reliable_seq.wrapping_add(1);
                ch.outgoing_unreliable_seq = 0;
                rel = ch.outgoing_reliable_seq;
                unrel = 0;
            } else if header.command & COMMAND_FLAG_UNSEQUENCED != 0 {
                p.outgoing_unsequenced_group = p.outgoing_unsequenced_group.wrapping_add(1);
                rel = 0;
                unrel = 0;
            } else {
                if fragment_offset == 0 {
                    ch.outgoing_unreliable_seq = ch.outgoing_unreliable_seq.wrapping_add(1);
                }
                rel = ch.outgoing_reliable_seq;
                unrel = ch.outgoing_unreliable_seq;
            }
        }
        header.reliable_sequence_number = rel;
        match &mut command {
            Command::SendUnreliable {
                unreliable_sequence_number,
                ..
            } => *unreliable_sequence_number = unrel,
            Command::SendUnsequenced {
                unsequenced_group, ..
            } => *unsequenced_group = p.outgoing_unsequenced_group,
            _ => {}
        }
        let has_packet = packet.is_some();
        let cmd = OutCmd {
            header,
            command,
            reliable_seq: rel,
            unreliable_seq: unrel,
            packet,
            fragment_offset,
            fragment_length,
            send_attempts: 0,
            sent_time: 0,
            round_trip_timeout: 0,
            queue_time,
        };
        if header.wants_ack() && has_packet {
            p.outgoing_send_reliable.push_back(cmd);
        } else {
            p.outgoing.push_back(cmd);
        }
    }

    fn control(command: u8) -> CommandHeader {
        CommandHeader {
            command,
            channel_id: 0xFF,
            reliable_sequence_number: 0,
        }
    }

    /// Starts a connection (`enet_host_connect`). Returns the peer slot, or `None` if every slot is busy.
    pub fn connect(
        &mut self,
        address: SocketAddr,
        channel_count: usize,
        data: u32,
    ) -> Option<usize> {
        let channel_count = channel_count.clamp(
            MINIMUM_CHANNEL_COUNT as usize,
            MAXIMUM_CHANNEL_COUNT as usize,
        );
        let idx = self
            .peers
            .iter()
            .position(|p| p.state == PeerState::Disconnected)?;
        let connect_id = self.random();
        let window_size = if self.outgoing_bandwidth == 0 {
            MAXIMUM_WINDOW_SIZE
        } else {
            ((self.outgoing_bandwidth / PEER_WINDOW_SIZE_SCALE) * MINIMUM_WINDOW_SIZE)
                .clamp(MINIMUM_WINDOW_SIZE, MAXIMUM_WINDOW_SIZE)
        };
        let (inb, outb, mtu) = (self.incoming_bandwidth, self.outgoing_bandwidth, self.mtu);
        let p = &mut self.peers[idx];
        p.channels = (0..channel_count).map(|_| Channel::new()).collect();
        p.state = PeerState::Connecting;
        p.address = Some(canonical(address));
        p.connect_id = connect_id;
        p.mtu = mtu;
        p.window_size = window_size;
        let body = ConnectBody {
            outgoing_peer_id: p.incoming_peer_id,
            incoming_session_id: p.incoming_session_id,
            outgoing_session_id: p.outgoing_session_id,
            mtu,
            window_size,
            channel_count: channel_count as u32,
            incoming_bandwidth: inb,
            outgoing_bandwidth: outb,
            packet_throttle_interval: p.packet_throttle_interval,
            packet_throttle_acceleration: p.packet_throttle_acceleration,
            packet_throttle_deceleration: p.packet_throttle_deceleration,
            connect_id,
            data,
        };
        self.queue_outgoing(
            idx,
            Self::control(COMMAND_CONNECT | COMMAND_FLAG_ACKNOWLEDGE),
            Command::Connect(body),
            None,
            0,
            0,
        );
        Some(idx)
    }

    #[allow(clippy::result_unit_err)]
    /// `enet_peer_send`. Errors (ENet's -1): peer not connected, channel out of range, packet too large,
    /// too many fragments.
    pub fn send(&mut self, idx: usize, channel: u8, data: &[u8], flags: u32) -> Result<(), ()> {
        let checksum = self.checksum;
        let max = self.maximum_packet_size;
        let p = self.peers.get(idx).ok_or(())?;
        if p.state != PeerState::Connected
            || channel as usize >= p.channels.len()
            || data.len() > max
        {
            return Err(());
        }
        let mut fragment_length =
            p.mtu as usize - HEADER_SIZE - COMMAND_SIZES[COMMAND_SEND_FRAGMENT as usize];
        if checksum {
            fragment_length -= 4;
        }
        let ch = &p.channels[channel as usize];
        let packet: Arc<[u8]> = Arc::from(data);
        if data.len() > fragment_length {
            let count = data.len().div_ceil(fragment_length);
            if count > MAXIMUM_FRAGMENT_COUNT as usize {
                return Err(());
            }
            let (cmd, start) = if flags & (PACKET_FLAG_RELIABLE | PACKET_FLAG_UNRELIABLE_FRAGMENT)
                == PACKET_FLAG_UNRELIABLE_FRAGMENT
                && ch.outgoing_unreliable_seq != u16::MAX
            {
                (
                    COMMAND_SEND_UNRELIABLE_FRAGMENT,
                    ch.outgoing_unreliable_seq.wrapping_add(1),
                )
            } else {
                (
                    COMMAND_SEND_FRAGMENT | COMMAND_FLAG_ACKNOWLEDGE,
                    ch.outgoing_reliable_seq.wrapping_add(1),
                )
            };
            for number in 0..count {
                let offset = number * fragment_length;
                let len = fragment_length.min(data.len() - offset);
                let body = FragmentBody {
                    start_sequence_number: start,
                    data_length: len as u16,
                    fragment_count: count as u32,
                    fragment_number: number as u32,
                    total_length: data.len() as u32,
                    fragment_offset: offset as u32,
                };
                let command = if cmd & COMMAND_MASK == COMMAND_SEND_FRAGMENT {
                    Command::SendFragment(body)
                } else {
                    Command::SendUnreliableFragment(body)
                };
                self.queue_outgoing(
                    idx,
                    CommandHeader {
                        command: cmd,
                        channel_id: channel,
                        reliable_sequence_number: 0,
                    },
                    command,
                    Some(packet.clone()),
                    offset as u32,
                    len as u16,
                );
            }
            return Ok(());
        }
        let len = data.len() as u16;
        let (cmd, command) = if flags & (PACKET_FLAG_RELIABLE | PACKET_FLAG_UNSEQUENCED)
            == PACKET_FLAG_UNSEQUENCED
        {
            (
                COMMAND_SEND_UNSEQUENCED | COMMAND_FLAG_UNSEQUENCED,
                Command::SendUnsequenced {
                    unsequenced_group: 0,
                    data_length: len,
                },
            )
        } else if flags & PACKET_FLAG_RELIABLE != 0 || ch.outgoing_unreliable_seq == u16::MAX {
            (
                COMMAND_SEND_RELIABLE | COMMAND_FLAG_ACKNOWLEDGE,
                Command::SendReliable { data_length: len },
            )
        } else {
            (
                COMMAND_SEND_UNRELIABLE,
                Command::SendUnreliable {
                    unreliable_sequence_number: 0,
                    data_length: len,
                },
            )
        };
        self.queue_outgoing(
            idx,
            CommandHeader {
                command: cmd,
                channel_id: channel,
                reliable_sequence_number: 0,
            },
            command,
            Some(packet),
            0,
            len,
        );
        Ok(())
    }

    /// Queues `data` to every connected peer (`enet_host_broadcast`).
    pub fn broadcast(&mut self, channel: u8, data: &[u8], flags: u32) {
        for idx in 0..self.peers.len() {
            if self.peers[idx].state == PeerState::Connected {
                let _ = self.send(idx, channel, data, flags);
            }
        }
    }

    /// Queues a PING (`enet_peer_ping`).
    pub fn ping(&mut self, idx: usize) {
        if self.peers.get(idx).map(|p| p.state) != Some(PeerState::Connected) {
            return;
        }
        self.queue_outgoing(
            idx,
            Self::control(COMMAND_PING | COMMAND_FLAG_ACKNOWLEDGE),
            Command::Ping,
            None,
            0,
            0,
        );
    }

    /// 0 selects the default (500 ms).
    pub fn set_ping_interval(&mut self, idx: usize, interval: u32) {
        if let Some(p) = self.peers.get_mut(idx) {
            p.ping_interval = if interval != 0 {
                interval
            } else {
                PEER_PING_INTERVAL
            };
        }
    }

    /// 0 selects each default (32, 5000, 30000).
    pub fn set_timeout(&mut self, idx: usize, limit: u32, minimum: u32, maximum: u32) {
        if let Some(p) = self.peers.get_mut(idx) {
            p.timeout_limit = if limit != 0 {
                limit
            } else {
                PEER_TIMEOUT_LIMIT
            };
            p.timeout_minimum = if minimum != 0 {
                minimum
            } else {
                PEER_TIMEOUT_MINIMUM
            };
            p.timeout_maximum = if maximum != 0 {
                maximum
            } else {
                PEER_TIMEOUT_MAXIMUM
            };
        }
    }

    /// Sets the throttle parameters and tells the remote (`enet_peer_throttle_configure`).
    pub fn throttle_configure(
        &mut self,
        idx: usize,
        interval: u32,
        acceleration: u32,
        deceleration: u32,
    ) {
        let Some(p) = self.peers.get_mut(idx) else {
            return;
        };
        p.packet_throttle_interval = interval;
        p.packet_throttle_acceleration = acceleration;
        p.packet_throttle_deceleration = deceleration;
        self.queue_outgoing(
            idx,
            Self::control(COMMAND_THROTTLE_CONFIGURE | COMMAND_FLAG_ACKNOWLEDGE),
            Command::ThrottleConfigure {
                packet_throttle_interval: interval,
                packet_throttle_acceleration: acceleration,
                packet_throttle_deceleration: deceleration,
            },
            None,
            0,
            0,
        );
    }

    /// Graceful disconnect (`enet_peer_disconnect`): DISCONNECT_EVENT once the remote acknowledges.
    pub fn disconnect(&mut self, idx: usize, data: u32, io: &mut dyn Transport) {
        let Some(p) = self.peers.get_mut(idx) else {
            return;
        };
        if matches!(
            p.state,
            PeerState::Disconnecting
                | PeerState::Disconnected
                | PeerState::AcknowledgingDisconnect
                | PeerState::Zombie
        ) {
            return;
        }
        let connected = p.is_connected();
        p.reset_queues();
        let flag = if connected {
            COMMAND_FLAG_ACKNOWLEDGE
        } else {
            COMMAND_FLAG_UNSEQUENCED
        };
        self.queue_outgoing(
            idx,
            Self::control(COMMAND_DISCONNECT | flag),
            Command::Disconnect { data },
            None,
            0,
            0,
        );
        if connected {
            self.change_state(idx, PeerState::Disconnecting);
        } else {
            let _ = self.flush(io);
            self.peer_reset(idx);
        }
    }

    /// `enet_peer_disconnect_now`: unreliable DISCONNECT sent at once, peer reset, no local event.
    pub fn disconnect_now(&mut self, idx: usize, data: u32, io: &mut dyn Transport) {
        let Some(p) = self.peers.get_mut(idx) else {
            return;
        };
        if p.state == PeerState::Disconnected {
            return;
        }
        if p.state != PeerState::Zombie && p.state != PeerState::Disconnecting {
            p.reset_queues();
            self.queue_outgoing(
                idx,
                Self::control(COMMAND_DISCONNECT | COMMAND_FLAG_UNSEQUENCED),
                Command::Disconnect { data },
                None,
                0,
                0,
            );
            let _ = self.flush(io);
        }
        self.peer_reset(idx);
    }

    /// `enet_peer_disconnect_later`: disconnect once everything queued has been sent and acknowledged.
    pub fn disconnect_later(&mut self, idx: usize, data: u32, io: &mut dyn Transport) {
        let Some(p) = self.peers.get_mut(idx) else {
            return;
        };
        if p.is_connected()
            && !(p.outgoing.is_empty()
                && p.outgoing_send_reliable.is_empty()
                && p.sent_reliable.is_empty())
        {
            p.state = PeerState::DisconnectLater;
            p.event_data = data;
        } else {
            self.disconnect(idx, data, io);
        }
    }

    // ----- incoming -----

    /// Processes one received datagram (`now` = host clock). Returns an event that must be reported
    /// at once (CONNECT completing, DISCONNECT acknowledged); others go through [`Host::dispatch`].
    pub fn handle_datagram(&mut self, now: u32, from: SocketAddr, data: &[u8]) -> Option<Event> {
        self.service_time = now;
        let from = canonical(from);
        let Some((header, hsize)) = DatagramHeader::parse(data) else {
            self.anomalies.dropped_datagrams += 1;
            return None;
        };
        let mut peer: Option<usize> = None;
        if header.peer_id != MAXIMUM_PEER_ID {
            let Some(p) = self.peers.get(header.peer_id as usize) else {
                self.anomalies.dropped_datagrams += 1;
                return None;
            };
            if matches!(p.state, PeerState::Disconnected | PeerState::Zombie)
                || p.address != Some(from)
                || (p.outgoing_peer_id < MAXIMUM_PEER_ID
                    && header.session_id != p.incoming_session_id)
            {
                self.anomalies.dropped_datagrams += 1;
                return None;
            }
            peer = Some(header.peer_id as usize);
        }
        let mut body_at = hsize;
        let mut desired_checksum = None;
        if self.checksum {
            let Some(sum) = data.get(hsize..hsize + 4) else {
                self.anomalies.dropped_datagrams += 1;
                return None;
            };
            desired_checksum = Some(u32::from_be_bytes([sum[0], sum[1], sum[2], sum[3]]));
            body_at += 4;
        }
        let mut rest = data.get(body_at..).unwrap_or(&[]);
        let mut owned = std::mem::take(&mut self.packed);
        if header.compressed {
            let limit = MAXIMUM_MTU as usize - body_at;
            let ok = match self.compressor.as_mut() {
                Some(c) => c.decompress(rest, &mut owned, limit),
                None => false,
            };
            if !ok {
                self.anomalies.dropped_datagrams += 1;
                self.packed = owned;
                return None;
            }
            rest = &owned;
        }
        if let Some(desired) = desired_checksum {
            let seed = peer.map(|i| self.peers[i].connect_id).unwrap_or(0);
            let mut check = Vec::with_capacity(body_at + rest.len());
            check.extend_from_slice(&data[..hsize]);
            check.extend_from_slice(&seed.to_be_bytes());
            check.extend_from_slice(rest);
            if crc32(&check) != desired {
                self.anomalies.dropped_datagrams += 1;
                self.packed = owned;
                return None;
            }
        }
        if let Some(i) = peer {
            self.peers[i].incoming_data_total = self.peers[i]
                .incoming_data_total
                .wrapping_add(data.len() as u32);
        }
        let mut event = None;
        for item in Commands::new(rest) {
            let Ok((ch, cmd, payload)) = item else {
                break;
            };
            let number = ch.number();
            if peer.is_none() && number != COMMAND_CONNECT {
                break;
            }
            let result = match cmd {
                Command::Acknowledge {
                    received_reliable_sequence_number,
                    received_sent_time,
                } => peer.map_or(Err(()), |i| {
                    self.handle_acknowledge(
                        i,
                        ch,
                        received_reliable_sequence_number,
                        received_sent_time,
                        &mut event,
                    )
                }),
                Command::Connect(body) => {
                    if peer.is_some() {
                        Err(())
                    } else {
                        match self.handle_connect(from, body) {
                            Some(i) => {
                                peer = Some(i);
                                Ok(())
                            }
                            None => Err(()),
                        }
                    }
                }
                Command::VerifyConnect(body) => {
                    peer.map_or(Err(()), |i| self.handle_verify_connect(i, body, &mut event))
                }
                Command::Disconnect { data } => {
                    peer.map_or(Err(()), |i| self.handle_disconnect(i, ch, data))
                }
                Command::Ping => peer.map_or(Err(()), |i| {
                    if self.peers[i].is_connected() {
                        Ok(())
                    } else {
                        Err(())
                    }
                }),
                Command::SendReliable { .. } | Command::SendUnreliable { .. } => {
                    peer.map_or(Err(()), |i| self.handle_send(i, ch, cmd, payload))
                }
                Command::SendUnsequenced {
                    unsequenced_group, ..
                } => peer.map_or(Err(()), |i| {
                    self.handle_send_unsequenced(i, ch, unsequenced_group, payload)
                }),
                Command::SendFragment(f) => {
                    peer.map_or(Err(()), |i| self.handle_fragment(i, ch, f, payload, true))
                }
                Command::SendUnreliableFragment(f) => {
                    peer.map_or(Err(()), |i| self.handle_fragment(i, ch, f, payload, false))
                }
                Command::BandwidthLimit {
                    incoming_bandwidth,
                    outgoing_bandwidth,
                } => peer.map_or(Err(()), |i| {
                    self.handle_bandwidth_limit(i, incoming_bandwidth, outgoing_bandwidth)
                }),
                Command::ThrottleConfigure {
                    packet_throttle_interval,
                    packet_throttle_acceleration,
                    packet_throttle_deceleration,
                } => peer.map_or(Err(()), |i| {
                    let p = &mut self.peers[i];
                    if !p.is_connected() {
                        return Err(());
                    }
                    p.packet_throttle_interval = packet_throttle_interval;
                    p.packet_throttle_acceleration = packet_throttle_acceleration;
                    p.packet_throttle_deceleration = packet_throttle_deceleration;
                    Ok(())
                }),
            };
            if result.is_err() {
                self.anomalies.malformed_commands += 1;
                break;
            }
            if let Some(i) = peer {
                if ch.wants_ack() {
                    let Some(sent_time) = header.sent_time else {
                        break;
                    };
                    match self.peers[i].state {
                        PeerState::Disconnecting
                        | PeerState::AcknowledgingConnect
                        | PeerState::Disconnected
                        | PeerState::Zombie => {}
                        PeerState::AcknowledgingDisconnect => {
                            if number == COMMAND_DISCONNECT {
                                self.queue_ack(i, ch, sent_time);
                            }
                        }
                        _ => self.queue_ack(i, ch, sent_time),
                    }
                }
            }
        }
        self.packed = owned;
        event
    }

    fn queue_ack(&mut self, idx: usize, header: CommandHeader, sent_time: u16) {
        let p = &mut self.peers[idx];
        if let Some(ch) = p.channels.get(header.channel_id as usize) {
            let seq = header.reliable_sequence_number;
            let mut window = seq / PEER_RELIABLE_WINDOW_SIZE;
            let current = ch.incoming_reliable_seq / PEER_RELIABLE_WINDOW_SIZE;
            if seq < ch.incoming_reliable_seq {
                window += PEER_RELIABLE_WINDOWS;
            }
            if window >= current + PEER_FREE_RELIABLE_WINDOWS - 1
                && window <= current + PEER_FREE_RELIABLE_WINDOWS
            {
                return;
            }
        }
        p.outgoing_data_total = p.outgoing_data_total.wrapping_add(8);
        p.acknowledgements.push_back(Ack { header, sent_time });
    }

    fn handle_connect(&mut self, from: SocketAddr, body: ConnectBody) -> Option<usize> {
        if !(MINIMUM_CHANNEL_COUNT..=MAXIMUM_CHANNEL_COUNT).contains(&body.channel_count) {
            return None;
        }
        let mut chosen = None;
        let mut duplicates = 0;
        for (i, p) in self.peers.iter().enumerate() {
            if p.state == PeerState::Disconnected {
                if chosen.is_none() {
                    chosen = Some(i);
                }
            } else if p.address.map(|a| a.ip()) == Some(from.ip()) {
                if p.address.map(|a| a.port()) == Some(from.port())
                    && p.connect_id == body.connect_id
                {
                    return None;
                }
                duplicates += 1;
            }
        }
        let idx = chosen?;
        if duplicates >= self.duplicate_peers {
            return None;
        }
        let channel_count = (body.channel_count as usize).min(self.channel_limit);
        let (host_in, host_out) = (self.incoming_bandwidth, self.outgoing_bandwidth);
        let p = &mut self.peers[idx];
        p.channels = (0..channel_count).map(|_| Channel::new()).collect();
        p.state = PeerState::AcknowledgingConnect;
        p.connect_id = body.connect_id;
        p.address = Some(from);
        p.outgoing_peer_id = body.outgoing_peer_id;
        p.incoming_bandwidth = body.incoming_bandwidth;
        p.outgoing_bandwidth = body.outgoing_bandwidth;
        p.packet_throttle_interval = body.packet_throttle_interval;
        p.packet_throttle_acceleration = body.packet_throttle_acceleration;
        p.packet_throttle_deceleration = body.packet_throttle_deceleration;
        p.event_data = body.data;

        let mask = (HEADER_SESSION_MASK >> HEADER_SESSION_SHIFT) as u8;
        let mut incoming_session = if body.incoming_session_id == 0xFF {
            p.outgoing_session_id
        } else {
            body.incoming_session_id
        };
        incoming_session = incoming_session.wrapping_add(1) & mask;
        if incoming_session == p.outgoing_session_id {
            incoming_session = incoming_session.wrapping_add(1) & mask;
        }
        p.outgoing_session_id = incoming_session;
        let mut outgoing_session = if body.outgoing_session_id == 0xFF {
            p.incoming_session_id
        } else {
            body.outgoing_session_id
        };
        outgoing_session = outgoing_session.wrapping_add(1) & mask;
        if outgoing_session == p.incoming_session_id {
            outgoing_session = outgoing_session.wrapping_add(1) & mask;
        }
        p.incoming_session_id = outgoing_session;

        let mtu = body.mtu.clamp(MINIMUM_MTU, MAXIMUM_MTU);
        if mtu < p.mtu {
            p.mtu = mtu;
        }
        p.window_size = if host_out == 0 && p.incoming_bandwidth == 0 {
            MAXIMUM_WINDOW_SIZE
        } else if host_out == 0 || p.incoming_bandwidth == 0 {
            (host_out.max(p.incoming_bandwidth) / PEER_WINDOW_SIZE_SCALE) * MINIMUM_WINDOW_SIZE
        } else {
            (host_out.min(p.incoming_bandwidth) / PEER_WINDOW_SIZE_SCALE) * MINIMUM_WINDOW_SIZE
        }
        .clamp(MINIMUM_WINDOW_SIZE, MAXIMUM_WINDOW_SIZE);
        let mut window_size = if host_in == 0 {
            MAXIMUM_WINDOW_SIZE
        } else {
            (host_in / PEER_WINDOW_SIZE_SCALE) * MINIMUM_WINDOW_SIZE
        };
        window_size = window_size
            .min(body.window_size)
            .clamp(MINIMUM_WINDOW_SIZE, MAXIMUM_WINDOW_SIZE);
        let verify = ConnectBody {
            outgoing_peer_id: p.incoming_peer_id,
            incoming_session_id: incoming_session,
            outgoing_session_id: outgoing_session,
            mtu: p.mtu,
            window_size,
            channel_count: channel_count as u32,
            incoming_bandwidth: host_in,
            outgoing_bandwidth: host_out,
            packet_throttle_interval: p.packet_throttle_interval,
            packet_throttle_acceleration: p.packet_throttle_acceleration,
            packet_throttle_deceleration: p.packet_throttle_deceleration,
            connect_id: p.connect_id,
            data: 0,
        };
        self.queue_outgoing(
            idx,
            Self::control(COMMAND_VERIFY_CONNECT | COMMAND_FLAG_ACKNOWLEDGE),
            Command::VerifyConnect(verify),
            None,
            0,
            0,
        );
        Some(idx)
    }

    fn handle_verify_connect(
        &mut self,
        idx: usize,
        body: ConnectBody,
        event: &mut Option<Event>,
    ) -> Result<(), ()> {
        let p = &self.peers[idx];
        if p.state != PeerState::Connecting {
            return Ok(());
        }
        if !(MINIMUM_CHANNEL_COUNT..=MAXIMUM_CHANNEL_COUNT).contains(&body.channel_count)
            || body.packet_throttle_interval != p.packet_throttle_interval
            || body.packet_throttle_acceleration != p.packet_throttle_acceleration
            || body.packet_throttle_deceleration != p.packet_throttle_deceleration
            || body.connect_id != p.connect_id
        {
            self.peers[idx].event_data = 0;
            self.dispatch_state(idx, PeerState::Zombie);
            return Err(());
        }
        self.remove_sent_reliable(idx, 1, 0xFF);
        let p = &mut self.peers[idx];
        p.channels.truncate(body.channel_count as usize);
        p.outgoing_peer_id = body.outgoing_peer_id;
        p.incoming_session_id = body.incoming_session_id;
        p.outgoing_session_id = body.outgoing_session_id;
        let mtu = body.mtu.clamp(MINIMUM_MTU, MAXIMUM_MTU);
        if mtu < p.mtu {
            p.mtu = mtu;
        }
        let window = body
            .window_size
            .clamp(MINIMUM_WINDOW_SIZE, MAXIMUM_WINDOW_SIZE);
        if window < p.window_size {
            p.window_size = window;
        }
        p.incoming_bandwidth = body.incoming_bandwidth;
        p.outgoing_bandwidth = body.outgoing_bandwidth;
        *event = self.notify_connect(idx);
        Ok(())
    }

    fn handle_acknowledge(
        &mut self,
        idx: usize,
        header: CommandHeader,
        received_seq: u16,
        received_sent_time: u16,
        event: &mut Option<Event>,
    ) -> Result<(), ()> {
        let now = self.service_time;
        let p = &mut self.peers[idx];
        if matches!(p.state, PeerState::Disconnected | PeerState::Zombie) {
            return Ok(());
        }
        let mut sent = received_sent_time as u32 | (now & 0xFFFF_0000);
        if (sent & 0x8000) > (now & 0x8000) {
            sent = sent.wrapping_sub(0x10000);
        }
        if time_less(now, sent) {
            return Ok(());
        }
        let rtt = time_difference(now, sent).max(1);
        if p.last_receive_time > 0 {
            p.throttle(rtt);
            p.round_trip_time_variance -= p.round_trip_time_variance / 4;
            if rtt >= p.round_trip_time {
                let diff = rtt - p.round_trip_time;
                p.round_trip_time_variance += diff / 4;
                p.round_trip_time += diff / 8;
            } else {
                let diff = p.round_trip_time - rtt;
                p.round_trip_time_variance += diff / 4;
                p.round_trip_time -= diff / 8;
            }
        } else {
            p.round_trip_time = rtt;
            p.round_trip_time_variance = rtt.div_ceil(2);
        }
        if p.round_trip_time < p.lowest_round_trip_time {
            p.lowest_round_trip_time = p.round_trip_time;
        }
        if p.round_trip_time_variance > p.highest_round_trip_time_variance {
            p.highest_round_trip_time_variance = p.round_trip_time_variance;
        }
        if p.packet_throttle_epoch == 0
            || time_difference(now, p.packet_throttle_epoch) >= p.packet_throttle_interval
        {
            p.last_round_trip_time = p.lowest_round_trip_time;
            p.last_round_trip_time_variance = p.highest_round_trip_time_variance.max(1);
            p.lowest_round_trip_time = p.round_trip_time;
            p.highest_round_trip_time_variance = p.round_trip_time_variance;
            p.packet_throttle_epoch = now;
        }
        p.last_receive_time = now.max(1);
        p.earliest_timeout = 0;
        let removed = self.remove_sent_reliable(idx, received_seq, header.channel_id);
        let p = &self.peers[idx];
        match p.state {
            PeerState::AcknowledgingConnect => {
                if removed != Some(COMMAND_VERIFY_CONNECT) {
                    return Err(());
                }
                *event = self.notify_connect(idx);
            }
            PeerState::Disconnecting => {
                if removed != Some(COMMAND_DISCONNECT) {
                    return Err(());
                }
                *event = self.notify_disconnect(idx, true);
            }
            PeerState::DisconnectLater
                if p.outgoing.is_empty()
                    && p.outgoing_send_reliable.is_empty()
                    && p.sent_reliable.is_empty() =>
            {
                let data = p.event_data;
                self.disconnect_queue_only(idx, data);
            }
            _ => {}
        }
        Ok(())
    }

    /// `disconnect` for the DISCONNECT_LATER path (no flush needed: the peer is connected).
    fn disconnect_queue_only(&mut self, idx: usize, data: u32) {
        let p = &mut self.peers[idx];
        p.reset_queues();
        self.queue_outgoing(
            idx,
            Self::control(COMMAND_DISCONNECT | COMMAND_FLAG_ACKNOWLEDGE),
            Command::Disconnect { data },
            None,
            0,
            0,
        );
        self.change_state(idx, PeerState::Disconnecting);
    }

    /// Removes an acknowledged command; returns its command number.
    fn remove_sent_reliable(&mut self, idx: usize, seq: u16, channel: u8) -> Option<u8> {
        let p = &mut self.peers[idx];
        let pos = p
            .sent_reliable
            .iter()
            .position(|c| c.reliable_seq == seq && c.header.channel_id == channel);
        let (cmd, was_sent) = match pos {
            Some(pos) => (p.sent_reliable.remove(pos)?, true),
            None => {
                // Acknowledged while queued for resend: look in the outgoing queues.
                let find = |q: &VecDeque<OutCmd>| -> Option<usize> {
                    for (i, c) in q.iter().enumerate() {
                        if !c.header.wants_ack() {
                            continue;
                        }
                        if c.send_attempts < 1 {
                            return None;
                        }
                        if c.reliable_seq == seq && c.header.channel_id == channel {
                            return Some(i);
                        }
                    }
                    None
                };
                if let Some(i) = find(&p.outgoing) {
                    if let Some(c) = p.outgoing.remove(i) {
                        return Self::finish_removed(p, c, false);
                    }
                }
                if let Some(i) = find(&p.outgoing_send_reliable) {
                    if let Some(c) = p.outgoing_send_reliable.remove(i) {
                        return Self::finish_removed(p, c, false);
                    }
                }
                return None;
            }
        };
        Self::finish_removed(p, cmd, was_sent)
    }

    fn finish_removed(p: &mut Peer, cmd: OutCmd, was_sent: bool) -> Option<u8> {
        if let Some(ch) = p.channels.get_mut(cmd.header.channel_id as usize) {
            let w = (cmd.reliable_seq / PEER_RELIABLE_WINDOW_SIZE) as usize;
            if ch.reliable_windows[w] > 0 {
                ch.reliable_windows[w] -= 1;
                if ch.reliable_windows[w] == 0 {
                    ch.used_reliable_windows &= !(1 << w);
                }
            }
        }
        if cmd.packet.is_some() && was_sent {
            p.reliable_data_in_transit = p
                .reliable_data_in_transit
                .saturating_sub(cmd.fragment_length as u32);
        }
        if let Some(front) = p.sent_reliable.front() {
            p.next_timeout = front.sent_time.wrapping_add(front.round_trip_timeout);
        }
        Some(cmd.header.number())
    }

    fn handle_disconnect(
        &mut self,
        idx: usize,
        header: CommandHeader,
        data: u32,
    ) -> Result<(), ()> {
        let state = self.peers[idx].state;
        if matches!(
            state,
            PeerState::Disconnected | PeerState::Zombie | PeerState::AcknowledgingDisconnect
        ) {
            return Ok(());
        }
        {
            let p = &mut self.peers[idx];
            p.reset_queues();
        }
        if matches!(
            state,
            PeerState::ConnectionSucceeded | PeerState::Disconnecting | PeerState::Connecting
        ) {
            self.dispatch_state(idx, PeerState::Zombie);
        } else if state != PeerState::Connected && state != PeerState::DisconnectLater {
            if state == PeerState::ConnectionPending {
                self.recalculate_bandwidth_limits = true;
            }
            self.peer_reset(idx);
        } else if header.wants_ack() {
            self.change_state(idx, PeerState::AcknowledgingDisconnect);
        } else {
            self.dispatch_state(idx, PeerState::Zombie);
        }
        if self.peers[idx].state != PeerState::Disconnected {
            self.peers[idx].event_data = data;
        }
        Ok(())
    }

    fn handle_bandwidth_limit(
        &mut self,
        idx: usize,
        incoming: u32,
        outgoing: u32,
    ) -> Result<(), ()> {
        let host_out = self.outgoing_bandwidth;
        let p = &mut self.peers[idx];
        if !p.is_connected() {
            return Err(());
        }
        if p.incoming_bandwidth != 0 {
            self.bandwidth_limited_peers = self.bandwidth_limited_peers.saturating_sub(1);
        }
        p.incoming_bandwidth = incoming;
        p.outgoing_bandwidth = outgoing;
        if incoming != 0 {
            self.bandwidth_limited_peers += 1;
        }
        p.window_size = if p.incoming_bandwidth == 0 && host_out == 0 {
            MAXIMUM_WINDOW_SIZE
        } else if p.incoming_bandwidth == 0 || host_out == 0 {
            (p.incoming_bandwidth.max(host_out) / PEER_WINDOW_SIZE_SCALE) * MINIMUM_WINDOW_SIZE
        } else {
            (p.incoming_bandwidth.min(host_out) / PEER_WINDOW_SIZE_SCALE) * MINIMUM_WINDOW_SIZE
        }
        .clamp(MINIMUM_WINDOW_SIZE, MAXIMUM_WINDOW_SIZE);
        Ok(())
    }

    /// Common checks of the data commands: channel exists, peer connected, size acceptable.
    fn data_checks(&self, idx: usize, header: CommandHeader, len: usize) -> Result<(), ()> {
        let p = &self.peers[idx];
        if header.channel_id as usize >= p.channels.len() || !p.is_connected() {
            return Err(());
        }
        if len > self.maximum_packet_size {
            return Err(());
        }
        Ok(())
    }

    /// Charges `cost` to the peer's and the host's waiting-data budgets.
    fn charge(&mut self, idx: usize, cost: usize) -> Result<Held, ()> {
        let max = self.maximum_waiting_data;
        let p = &mut self.peers[idx];
        let host_total = self.total_waiting.load(Ordering::Relaxed);
        if p.total_waiting_data + cost > max || host_total + cost > self.maximum_total_waiting_data
        {
            self.anomalies.waiting_data_exceeded += 1;
            return Err(());
        }
        p.total_waiting_data += cost;
        self.total_waiting.fetch_add(cost, Ordering::Relaxed);
        Ok(Held {
            total: self.total_waiting.clone(),
            amount: cost,
        })
    }

    /// Bytes of received data held by all peers together.
    pub fn total_waiting_data(&self) -> usize {
        self.total_waiting.load(Ordering::Relaxed)
    }

    fn handle_send(
        &mut self,
        idx: usize,
        header: CommandHeader,
        cmd: Command,
        payload: &[u8],
    ) -> Result<(), ()> {
        self.data_checks(idx, header, payload.len())?;
        if self.peers[idx].state == PeerState::DisconnectLater {
            return Ok(());
        }
        let seq = header.reliable_sequence_number;
        let cid = header.channel_id as usize;
        let ch = &self.peers[idx].channels[cid];
        if !ch.in_receive_window(seq) {
            return Ok(());
        }
        match cmd {
            Command::SendReliable { .. } => {
                if seq == ch.incoming_reliable_seq || ch.incoming_reliable.contains_key(&seq) {
                    return Ok(());
                }
                let cost = payload.len() + INCOMING_OVERHEAD;
                let held = self.charge(idx, cost)?;
                self.peers[idx].channels[cid].incoming_reliable.insert(
                    seq,
                    InPacket {
                        data: payload.to_vec(),
                        flags: PACKET_FLAG_RELIABLE,
                        cost,
                        held,
                        frag: None,
                    },
                );
                self.dispatch_reliable(idx, cid);
            }
            Command::SendUnreliable {
                unreliable_sequence_number: useq,
                ..
            } => {
                if seq == ch.incoming_reliable_seq && useq <= ch.incoming_unreliable_seq {
                    return Ok(());
                }
                let cost = payload.len() + INCOMING_OVERHEAD;
                if seq == ch.incoming_reliable_seq {
                    let held = self.charge(idx, cost)?;
                    let pkt = InPacket {
                        data: payload.to_vec(),
                        flags: 0,
                        cost,
                        held,
                        frag: None,
                    };
                    self.deliver_unreliable(idx, cid, useq, pkt);
                } else {
                    if ch.incoming_unreliable.contains_key(&(seq, useq)) {
                        return Ok(());
                    }
                    let held = self.charge(idx, cost)?;
                    self.peers[idx].channels[cid].incoming_unreliable.insert(
                        (seq, useq),
                        InPacket {
                            data: payload.to_vec(),
                            flags: 0,
                            cost,
                            held,
                            frag: None,
                        },
                    );
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Delivers a complete unreliable packet at the current reliable sequence number.
    fn deliver_unreliable(&mut self, idx: usize, cid: usize, useq: u16, pkt: InPacket) {
        let p = &mut self.peers[idx];
        let ch = &mut p.channels[cid];
        ch.incoming_unreliable_seq = useq;
        let cur = ch.incoming_reliable_seq;
        // Older packets of this reliable epoch (incomplete fragments) are obsolete now.
        let stale: Vec<(u16, u16)> = ch
            .incoming_unreliable
            .range((cur, 0)..(cur, useq))
            .map(|(k, _)| *k)
            .collect();
        for k in stale {
            if let Some(old) = ch.incoming_unreliable.remove(&k) {
                p.total_waiting_data = p.total_waiting_data.saturating_sub(old.cost);
            }
        }
        p.dispatched.push_back((cid as u8, pkt));
        self.mark_dispatch(idx);
    }

    fn dispatch_reliable(&mut self, idx: usize, cid: usize) {
        let p = &mut self.peers[idx];
        let ch = &mut p.channels[cid];
        let old = ch.incoming_reliable_seq;
        let mut delivered = false;
        loop {
            let next = ch.incoming_reliable_seq.wrapping_add(1);
            match ch.incoming_reliable.get(&next) {
                Some(c) if c.complete() => {}
                _ => break,
            }
            let Some(mut c) = ch.incoming_reliable.remove(&next) else {
                break;
            };
            let count = c.frag.as_ref().map(|r| r.fragment_count).unwrap_or(1);
            ch.incoming_reliable_seq = next.wrapping_add((count - 1) as u16);
            if c.assemble().is_some() {
                p.dispatched.push_back((cid as u8, c));
            } else {
                p.total_waiting_data = p.total_waiting_data.saturating_sub(c.cost);
                self.anomalies.malformed_commands += 1;
            }
            delivered = true;
        }
        if !delivered {
            return;
        }
        let ch = &mut p.channels[cid];
        ch.incoming_unreliable_seq = 0;
        let cur = ch.incoming_reliable_seq;
        // Entries a fragment jump left behind can never be delivered: drop them.
        if cur.wrapping_sub(old) > 1 {
            let behind: Vec<u16> = ch
                .incoming_reliable
                .keys()
                .copied()
                .filter(|&s| s.wrapping_sub(old) <= cur.wrapping_sub(old))
                .collect();
            for s in behind {
                if let Some(c) = ch.incoming_reliable.remove(&s) {
                    p.total_waiting_data = p.total_waiting_data.saturating_sub(c.cost);
                }
            }
        }
        // Unreliable packets of older reliable epochs are dropped; those of the new one flow.
        let mut drop_keys = Vec::new();
        let mut push_range = |lo: u16, hi: u16| {
            for (k, _) in ch.incoming_unreliable.range((lo, 0)..=(hi, 0xFFFF)) {
                drop_keys.push(*k);
            }
        };
        let last = cur.wrapping_sub(1);
        if old <= last {
            push_range(old, last);
        } else {
            push_range(old, 0xFFFF);
            push_range(0, last);
        }
        for k in drop_keys {
            if let Some(c) = ch.incoming_unreliable.remove(&k) {
                p.total_waiting_data = p.total_waiting_data.saturating_sub(c.cost);
            }
        }
        let ready: Vec<u16> = ch
            .incoming_unreliable
            .range((cur, 0)..=(cur, 0xFFFF))
            .filter(|(_, c)| c.complete())
            .map(|(k, _)| k.1)
            .collect();
        self.mark_dispatch(idx);
        for useq in ready {
            let ch = &mut self.peers[idx].channels[cid];
            if useq <= ch.incoming_unreliable_seq {
                continue;
            }
            if let Some(mut c) = ch.incoming_unreliable.remove(&(cur, useq)) {
                if c.assemble().is_some() {
                    self.deliver_unreliable(idx, cid, useq, c);
                } else {
                    let p = &mut self.peers[idx];
                    p.total_waiting_data = p.total_waiting_data.saturating_sub(c.cost);
                }
            }
        }
    }

    fn handle_send_unsequenced(
        &mut self,
        idx: usize,
        header: CommandHeader,
        group: u16,
        payload: &[u8],
    ) -> Result<(), ()> {
        self.data_checks(idx, header, payload.len())?;
        let p = &mut self.peers[idx];
        let index = (group as u32) % PEER_UNSEQUENCED_WINDOW_SIZE;
        let mut g = group as u32;
        if group < p.incoming_unsequenced_group {
            g += 0x10000;
        }
        if g >= p.incoming_unsequenced_group as u32
            + PEER_FREE_UNSEQUENCED_WINDOWS * PEER_UNSEQUENCED_WINDOW_SIZE
        {
            return Ok(());
        }
        let g = (g & 0xFFFF) as u16;
        let base = g.wrapping_sub(index as u16);
        if base != p.incoming_unsequenced_group {
            p.incoming_unsequenced_group = base;
            *p.unsequenced_window = [0; (PEER_UNSEQUENCED_WINDOW_SIZE / 32) as usize];
        } else if p.unsequenced_window[(index / 32) as usize] & (1 << (index % 32)) != 0 {
            return Ok(());
        }
        if p.state == PeerState::DisconnectLater {
            return Ok(());
        }
        let cost = payload.len() + INCOMING_OVERHEAD;
        let held = self.charge(idx, cost)?;
        let p = &mut self.peers[idx];
        p.unsequenced_window[(index / 32) as usize] |= 1 << (index % 32);
        p.dispatched.push_back((
            header.channel_id,
            InPacket {
                data: payload.to_vec(),
                flags: PACKET_FLAG_UNSEQUENCED,
                cost,
                held,
                frag: None,
            },
        ));
        self.mark_dispatch(idx);
        Ok(())
    }

    fn handle_fragment(
        &mut self,
        idx: usize,
        header: CommandHeader,
        f: FragmentBody,
        payload: &[u8],
        reliable: bool,
    ) -> Result<(), ()> {
        self.data_checks(idx, header, payload.len())?;
        if payload.is_empty() {
            return Err(());
        }
        let cid = header.channel_id as usize;
        let ch = &self.peers[idx].channels[cid];
        let rseq = header.reliable_sequence_number;
        // Reliable fragments are keyed by their start sequence number; unreliable ones by the
        // reliable epoch they belong to.
        let window_seq = if reliable {
            f.start_sequence_number
        } else {
            rseq
        };
        if !ch.in_receive_window(window_seq) {
            return Ok(());
        }
        if !reliable
            && rseq == ch.incoming_reliable_seq
            && f.start_sequence_number <= ch.incoming_unreliable_seq
        {
            return Ok(());
        }
        let max = self.maximum_packet_size as u64;
        if f.fragment_count > MAXIMUM_FRAGMENT_COUNT
            || f.fragment_number >= f.fragment_count
            || f.total_length as u64 > max
            || f.total_length < f.fragment_count
            || f.fragment_offset >= f.total_length
            || payload.len() as u32 > f.total_length - f.fragment_offset
        {
            return Err(());
        }
        if self.peers[idx].state == PeerState::DisconnectLater {
            return Ok(());
        }
        if reliable && f.start_sequence_number == ch.incoming_reliable_seq {
            return Ok(());
        }
        let key_u = (rseq, f.start_sequence_number);
        let existing = if reliable {
            ch.incoming_reliable.get(&f.start_sequence_number)
        } else {
            ch.incoming_unreliable.get(&key_u)
        };
        let flags = if reliable {
            PACKET_FLAG_RELIABLE
        } else {
            PACKET_FLAG_UNRELIABLE_FRAGMENT
        };
        let mut growth = ((f.fragment_number / 64) as usize + 1) * 8;
        if let Some(c) = existing {
            let Some(r) = &c.frag else {
                return Err(());
            };
            if r.total_length != f.total_length || r.fragment_count != f.fragment_count {
                return Err(());
            }
            if r.has(f.fragment_number) {
                return Ok(());
            }
            growth = r.growth_for(f.fragment_number);
        }
        let cost = payload.len() + INCOMING_OVERHEAD + growth;
        let held = self.charge(idx, cost)?;
        let total = self.total_waiting.clone();
        let ch = &mut self.peers[idx].channels[cid];
        let entry = if reliable {
            ch.incoming_reliable
                .entry(f.start_sequence_number)
                .or_insert_with(|| InPacket {
                    data: Vec::new(),
                    flags,
                    cost: 0,
                    frag: Some(Box::new(Reassembly::new(f.total_length, f.fragment_count))),
                    held: Held::none(&total),
                })
        } else {
            ch.incoming_unreliable
                .entry(key_u)
                .or_insert_with(|| InPacket {
                    data: Vec::new(),
                    flags,
                    cost: 0,
                    frag: Some(Box::new(Reassembly::new(f.total_length, f.fragment_count))),
                    held: Held::none(&total),
                })
        };
        entry.cost += cost;
        entry.held.absorb(held);
        let complete = match entry.frag.as_mut() {
            Some(r) => {
                r.add(f.fragment_number, f.fragment_offset, payload);
                r.complete()
            }
            None => false,
        };
        if complete {
            if reliable {
                self.dispatch_reliable(idx, cid);
            } else if rseq == ch.incoming_reliable_seq {
                if let Some(mut c) = ch.incoming_unreliable.remove(&key_u) {
                    if c.assemble().is_some() {
                        self.deliver_unreliable(idx, cid, f.start_sequence_number, c);
                    } else {
                        let p = &mut self.peers[idx];
                        p.total_waiting_data = p.total_waiting_data.saturating_sub(c.cost);
                        self.anomalies.malformed_commands += 1;
                    }
                }
            }
        }
        Ok(())
    }

    // ----- dispatch -----

    /// Next queued event (`enet_host_check_events`), without network I/O.
    pub fn dispatch(&mut self) -> Option<Event> {
        while let Some(idx) = self.dispatch_queue.pop_front() {
            self.peers[idx].needs_dispatch = false;
            match self.peers[idx].state {
                PeerState::ConnectionPending | PeerState::ConnectionSucceeded => {
                    self.change_state(idx, PeerState::Connected);
                    return Some(Event::Connect {
                        peer: idx,
                        data: self.peers[idx].event_data,
                    });
                }
                PeerState::Zombie => {
                    self.recalculate_bandwidth_limits = true;
                    let data = self.peers[idx].event_data;
                    self.peer_reset(idx);
                    return Some(Event::Disconnect { peer: idx, data });
                }
                PeerState::Connected => {
                    let p = &mut self.peers[idx];
                    let Some((channel, pkt)) = p.dispatched.pop_front() else {
                        continue;
                    };
                    p.total_waiting_data = p.total_waiting_data.saturating_sub(pkt.cost);
                    if !p.dispatched.is_empty() {
                        p.needs_dispatch = true;
                        self.dispatch_queue.push_back(idx);
                    }
                    return Some(Event::Receive {
                        peer: idx,
                        channel,
                        packet: Packet {
                            data: pkt.data,
                            flags: pkt.flags,
                        },
                    });
                }
                _ => {}
            }
        }
        None
    }

    // ----- outgoing -----

    fn send_acknowledgements(&mut self, idx: usize) {
        let p = &mut self.peers[idx];
        let mut disconnect_acked = false;
        while let Some(ack) = p.acknowledgements.front().copied() {
            if self.command_count >= MAXIMUM_PACKET_COMMANDS
                || (p.mtu as usize).saturating_sub(self.body.len() - BODY_PREFIX + HEADER_SIZE) < 8
            {
                self.continue_sending = true;
                break;
            }
            p.acknowledgements.pop_front();
            let seq = ack.header.reliable_sequence_number;
            Command::Acknowledge {
                received_reliable_sequence_number: seq,
                received_sent_time: ack.sent_time,
            }
            .encode(
                &CommandHeader {
                    command: COMMAND_ACKNOWLEDGE,
                    channel_id: ack.header.channel_id,
                    reliable_sequence_number: seq,
                },
                &mut self.body,
            );
            self.command_count += 1;
            if ack.header.number() == COMMAND_DISCONNECT {
                disconnect_acked = true;
            }
        }
        if disconnect_acked {
            self.dispatch_state(idx, PeerState::Zombie);
        }
    }

    /// Timeouts and retransmission (`enet_protocol_check_timeouts`). Returns `Err(event)` when the
    /// peer timed out.
    fn check_timeouts(&mut self, idx: usize, with_event: bool) -> Result<(), Option<Event>> {
        let now = self.service_time;
        let p = &mut self.peers[idx];
        let mut resend_ctrl = Vec::new();
        let mut resend_rel = Vec::new();
        let mut i = 0;
        while i < p.sent_reliable.len() {
            let c = &p.sent_reliable[i];
            if time_difference(now, c.sent_time) < c.round_trip_timeout {
                i += 1;
                continue;
            }
            if p.earliest_timeout == 0 || time_less(c.sent_time, p.earliest_timeout) {
                p.earliest_timeout = c.sent_time;
            }
            let waited = time_difference(now, p.earliest_timeout);
            let attempts_exp = 1u64 << (c.send_attempts.saturating_sub(1).min(63));
            if p.earliest_timeout != 0
                && (waited >= p.timeout_maximum
                    || (attempts_exp >= p.timeout_limit as u64 && waited >= p.timeout_minimum))
            {
                for c in resend_ctrl.into_iter().rev() {
                    p.outgoing.push_front(c);
                }
                for c in resend_rel.into_iter().rev() {
                    p.outgoing_send_reliable.push_front(c);
                }
                return Err(self.notify_disconnect(idx, with_event));
            }
            p.packets_lost = p.packets_lost.wrapping_add(1);
            let Some(mut c) = p.sent_reliable.remove(i) else {
                break;
            };
            c.round_trip_timeout = c.round_trip_timeout.saturating_mul(2);
            if c.packet.is_some() {
                p.reliable_data_in_transit = p
                    .reliable_data_in_transit
                    .saturating_sub(c.fragment_length as u32);
                resend_rel.push(c);
            } else {
                resend_ctrl.push(c);
            }
            if i == 0 {
                if let Some(front) = p.sent_reliable.front() {
                    p.next_timeout = front.sent_time.wrapping_add(front.round_trip_timeout);
                }
            }
        }
        for c in resend_ctrl.into_iter().rev() {
            p.outgoing.push_front(c);
        }
        for c in resend_rel.into_iter().rev() {
            p.outgoing_send_reliable.push_front(c);
        }
        Ok(())
    }

    /// Bundles queued commands into the datagram being built (`enet_protocol_check_outgoing_commands`).
    /// Returns whether a ping may be added.
    fn check_outgoing(&mut self, idx: usize) -> bool {
        let now = self.service_time;
        let mut can_ping = true;
        let mut reliable_done = false;
        let mut window_wrap = false;
        loop {
            let p = &mut self.peers[idx];
            let take_reliable = match (p.outgoing.front(), p.outgoing_send_reliable.front()) {
                (_, Some(_)) if reliable_done => {
                    if p.outgoing.is_empty() {
                        break;
                    }
                    false
                }
                (Some(o), Some(r)) => time_less(r.queue_time, o.queue_time),
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (None, None) => break,
            };
            let c = if take_reliable {
                &p.outgoing_send_reliable[0]
            } else {
                &p.outgoing[0]
            };
            let mut reliable_window = 0u16;
            let mut has_channel = false;
            if c.header.wants_ack() {
                if let Some(ch) = p.channels.get(c.header.channel_id as usize) {
                    has_channel = true;
                    reliable_window = c.reliable_seq / PEER_RELIABLE_WINDOW_SIZE;
                    if window_wrap {
                        if !take_reliable {
                            break;
                        }
                        reliable_done = true;
                        continue;
                    }
                    let w = reliable_window as u32;
                    let mask: u32 = (((1u32 << (PEER_FREE_RELIABLE_WINDOWS + 2)) - 1) << w)
                        | (((1u32 << (PEER_FREE_RELIABLE_WINDOWS + 2)) - 1)
                            >> (PEER_RELIABLE_WINDOWS as u32 - w));
                    if c.send_attempts < 1
                        && c.reliable_seq % PEER_RELIABLE_WINDOW_SIZE == 0
                        && (ch.reliable_windows[((reliable_window + PEER_RELIABLE_WINDOWS - 1)
                            % PEER_RELIABLE_WINDOWS)
                            as usize]
                            >= PEER_RELIABLE_WINDOW_SIZE
                            || (ch.used_reliable_windows as u32 & (mask & 0xFFFF)) != 0)
                    {
                        if !take_reliable {
                            break;
                        }
                        window_wrap = true;
                        reliable_done = true;
                        continue;
                    }
                }
                if c.packet.is_some() {
                    let window = (p.packet_throttle * p.window_size) / PEER_PACKET_THROTTLE_SCALE;
                    if p.reliable_data_in_transit + c.fragment_length as u32 > window.max(p.mtu) {
                        if !take_reliable {
                            break;
                        }
                        reliable_done = true;
                        continue;
                    }
                }
                can_ping = false;
            }
            let size = c.command.size();
            let room = (p.mtu as usize).saturating_sub(self.body.len() - BODY_PREFIX + HEADER_SIZE);
            if self.command_count >= MAXIMUM_PACKET_COMMANDS
                || room < size
                || (c.packet.is_some()
                    && (room as u16) < (size as u16).wrapping_add(c.fragment_length))
            {
                self.continue_sending = true;
                break;
            }
            let taken = if take_reliable {
                p.outgoing_send_reliable.pop_front()
            } else {
                p.outgoing.pop_front()
            };
            let Some(mut c) = taken else {
                break;
            };
            if c.header.wants_ack() {
                if has_channel && c.send_attempts < 1 {
                    if let Some(ch) = p.channels.get_mut(c.header.channel_id as usize) {
                        ch.used_reliable_windows |= 1 << reliable_window;
                        ch.reliable_windows[reliable_window as usize] += 1;
                    }
                }
                c.send_attempts = c.send_attempts.saturating_add(1);
                if c.round_trip_timeout == 0 {
                    c.round_trip_timeout = p
                        .round_trip_time
                        .saturating_add(p.round_trip_time_variance.saturating_mul(4));
                }
                if p.sent_reliable.is_empty() {
                    p.next_timeout = now.wrapping_add(c.round_trip_timeout);
                }
                c.sent_time = now;
                self.header_flags |= HEADER_FLAG_SENT_TIME;
                p.reliable_data_in_transit += c.fragment_length as u32;
                c.command.encode(&c.header, &mut self.body);
                if let Some(pkt) = &c.packet {
                    let off = c.fragment_offset as usize;
                    self.body
                        .extend_from_slice(&pkt[off..off + c.fragment_length as usize]);
                }
                p.sent_reliable.push_back(c);
            } else {
                if c.packet.is_some() && c.fragment_offset == 0 {
                    p.packet_throttle_counter = (p.packet_throttle_counter
                        + PEER_PACKET_THROTTLE_COUNTER)
                        % PEER_PACKET_THROTTLE_SCALE;
                    if p.packet_throttle_counter > p.packet_throttle {
                        // Throttled: drop this packet and the rest of its fragments.
                        let (r, u) = (c.reliable_seq, c.unreliable_seq);
                        while let Some(n) = p.outgoing.front() {
                            if n.reliable_seq != r || n.unreliable_seq != u {
                                break;
                            }
                            p.outgoing.pop_front();
                        }
                        continue;
                    }
                }
                c.command.encode(&c.header, &mut self.body);
                if let Some(pkt) = &c.packet {
                    let off = c.fragment_offset as usize;
                    self.body
                        .extend_from_slice(&pkt[off..off + c.fragment_length as usize]);
                }
            }
            p.packets_sent = p.packets_sent.wrapping_add(1);
            self.command_count += 1;
        }
        let p = &self.peers[idx];
        if p.state == PeerState::DisconnectLater
            && p.outgoing.is_empty()
            && p.outgoing_send_reliable.is_empty()
            && p.sent_reliable.is_empty()
        {
            let data = p.event_data;
            self.disconnect_queue_only(idx, data);
        }
        can_ping
    }

    /// Builds and sends datagrams for every peer (`enet_protocol_send_outgoing_commands`). Returns a
    /// timeout DISCONNECT event when `check_timeouts` finds one.
    pub fn send_outgoing(
        &mut self,
        now: u32,
        check_timeouts: bool,
        io: &mut dyn Transport,
    ) -> io::Result<Option<Event>> {
        self.service_time = now;
        self.continue_sending = true;
        while self.continue_sending {
            self.continue_sending = false;
            let mut next = 0;
            // Skips, in a tight loop, disconnected peers and idle ones (nothing to acknowledge, send
            // or time out, and no ping due): with thousands of peers that is most of them.
            while let Some(off) = self.peers.get(next..).and_then(|rest| {
                rest.iter().position(|p| {
                    !(matches!(p.state, PeerState::Disconnected | PeerState::Zombie)
                        || (p.acknowledgements.is_empty()
                            && p.sent_reliable.is_empty()
                            && p.outgoing.is_empty()
                            && p.outgoing_send_reliable.is_empty()
                            && time_difference(now, p.last_receive_time) < p.ping_interval))
                })
            }) {
                let idx = next + off;
                next = idx + 1;
                self.header_flags = 0;
                self.command_count = 0;
                self.body.truncate(BODY_PREFIX);
                if !self.peers[idx].acknowledgements.is_empty() {
                    self.send_acknowledgements(idx);
                }
                let p = &self.peers[idx];
                if check_timeouts
                    && !p.sent_reliable.is_empty()
                    && time_greater_equal(now, p.next_timeout)
                {
                    if let Err(ev) = self.check_timeouts(idx, true) {
                        if ev.is_some() {
                            return Ok(ev);
                        }
                        continue;
                    }
                }
                let p = &self.peers[idx];
                let nothing_queued = p.outgoing.is_empty() && p.outgoing_send_reliable.is_empty();
                let can_ping = nothing_queued || self.check_outgoing(idx);
                let p = &self.peers[idx];
                if can_ping
                    && p.sent_reliable.is_empty()
                    && time_difference(now, p.last_receive_time) >= p.ping_interval
                    && (p.mtu as usize).saturating_sub(self.body.len() - BODY_PREFIX + HEADER_SIZE)
                        >= 4
                {
                    self.ping(idx);
                    self.check_outgoing(idx);
                }
                if self.command_count == 0 {
                    continue;
                }
                let p = &mut self.peers[idx];
                if p.packet_loss_epoch == 0 {
                    p.packet_loss_epoch = now;
                } else if time_difference(now, p.packet_loss_epoch) >= PEER_PACKET_LOSS_INTERVAL
                    && p.packets_sent > 0
                {
                    let loss = ((p.packets_lost as u64 * PEER_PACKET_LOSS_SCALE as u64)
                        / p.packets_sent as u64)
                        .min(u32::MAX as u64);
                    p.packet_loss_variance = ((p.packet_loss_variance as u64 * 3
                        + loss.abs_diff(p.packet_loss as u64))
                        / 4) as u32;
                    p.packet_loss = ((p.packet_loss as u64 * 7 + loss) / 8) as u32;
                    p.packet_loss_epoch = now;
                    p.packets_sent = 0;
                    p.packets_lost = 0;
                }
                self.transmit(idx, io)?;
            }
        }
        Ok(None)
    }

    fn transmit(&mut self, idx: usize, io: &mut dyn Transport) -> io::Result<()> {
        let now = self.service_time;
        let mut compressed = false;
        if let Some(c) = self.compressor.as_mut() {
            let commands = &self.body[BODY_PREFIX..];
            if c.compress(commands, &mut self.packed)
                && !self.packed.is_empty()
                && self.packed.len() < commands.len()
            {
                compressed = true;
            }
        }
        let p = &mut self.peers[idx];
        let header = DatagramHeader {
            peer_id: p.outgoing_peer_id,
            session_id: if p.outgoing_peer_id < MAXIMUM_PEER_ID {
                p.outgoing_session_id & 3
            } else {
                0
            },
            compressed,
            sent_time: if self.header_flags & HEADER_FLAG_SENT_TIME != 0 {
                Some(now as u16)
            } else {
                None
            },
        };
        let mut head = [0u8; BODY_PREFIX];
        let mut h4 = [0u8; 4];
        let mut hlen = header.write(&mut h4);
        head[..hlen].copy_from_slice(&h4[..hlen]);
        if self.checksum {
            // The CRC covers header, seed (connect id) and the uncompressed commands.
            let seed = if p.outgoing_peer_id < MAXIMUM_PEER_ID {
                p.connect_id
            } else {
                0
            };
            head[hlen..hlen + 4].copy_from_slice(&seed.to_be_bytes());
            let start = BODY_PREFIX - (hlen + 4);
            self.body[start..BODY_PREFIX].copy_from_slice(&head[..hlen + 4]);
            let sum = crc32(&self.body[start..]);
            head[hlen..hlen + 4].copy_from_slice(&sum.to_be_bytes());
            hlen += 4;
        }
        p.last_send_time = now;
        let Some(addr) = p.address else {
            return Ok(());
        };
        let sent = if compressed {
            self.dgram.clear();
            self.dgram.extend_from_slice(&head[..hlen]);
            self.dgram.extend_from_slice(&self.packed);
            io.send_to(&self.dgram, addr)?
        } else {
            let start = BODY_PREFIX - hlen;
            self.body[start..BODY_PREFIX].copy_from_slice(&head[..hlen]);
            io.send_to(&self.body[start..], addr)?
        };
        self.total_sent_data = self.total_sent_data.wrapping_add(sent as u32);
        self.total_sent_packets = self.total_sent_packets.wrapping_add(1);
        Ok(())
    }

    /// Sends everything queued now (`enet_host_flush`), without timeout checks.
    pub fn flush(&mut self, io: &mut dyn Transport) -> io::Result<()> {
        let now = self.now();
        self.send_outgoing(now, false, io).map(|_| ())
    }

    /// Bandwidth throttling and BANDWIDTH_LIMIT announcements (`enet_host_bandwidth_throttle`).
    pub fn bandwidth_throttle(&mut self, now: u32) {
        let elapsed = now.wrapping_sub(self.bandwidth_throttle_epoch);
        if elapsed < HOST_BANDWIDTH_THROTTLE_INTERVAL {
            return;
        }
        self.bandwidth_throttle_epoch = now;
        let mut peers_remaining = self.connected_peers as u32;
        if peers_remaining == 0 {
            return;
        }
        let mut data_total: u32 = u32::MAX;
        let mut bandwidth: u32 = u32::MAX;
        let mut needs_adjustment = self.bandwidth_limited_peers > 0;
        if self.outgoing_bandwidth != 0 {
            data_total = 0;
            bandwidth = ((self.outgoing_bandwidth as u64 * elapsed as u64) / 1000) as u32;
            for p in &self.peers {
                if p.is_connected() {
                    data_total = data_total.wrapping_add(p.outgoing_data_total);
                }
            }
        }
        let scale = PEER_PACKET_THROTTLE_SCALE as u64;
        while peers_remaining > 0 && needs_adjustment {
            needs_adjustment = false;
            let throttle = if data_total <= bandwidth {
                scale
            } else {
                (bandwidth as u64 * scale) / data_total as u64
            };
            for p in self.peers.iter_mut() {
                if !p.is_connected()
                    || p.incoming_bandwidth == 0
                    || p.outgoing_bandwidth_throttle_epoch == now
                {
                    continue;
                }
                let peer_bandwidth = ((p.incoming_bandwidth as u64 * elapsed as u64) / 1000) as u32;
                if (throttle * p.outgoing_data_total as u64) / scale <= peer_bandwidth as u64 {
                    continue;
                }
                let limit = if p.outgoing_data_total == 0 {
                    scale
                } else {
                    (peer_bandwidth as u64 * scale) / p.outgoing_data_total as u64
                };
                p.packet_throttle_limit = (limit as u32).max(1);
                if p.packet_throttle > p.packet_throttle_limit {
                    p.packet_throttle = p.packet_throttle_limit;
                }
                p.outgoing_bandwidth_throttle_epoch = now;
                p.incoming_data_total = 0;
                p.outgoing_data_total = 0;
                needs_adjustment = true;
                peers_remaining -= 1;
                bandwidth = bandwidth.wrapping_sub(peer_bandwidth);
                data_total = data_total.wrapping_sub(peer_bandwidth);
            }
        }
        if peers_remaining > 0 {
            let throttle = if data_total <= bandwidth {
                scale as u32
            } else {
                ((bandwidth as u64 * scale) / data_total.max(1) as u64) as u32
            };
            for p in self.peers.iter_mut() {
                if !p.is_connected() || p.outgoing_bandwidth_throttle_epoch == now {
                    continue;
                }
                p.packet_throttle_limit = throttle;
                if p.packet_throttle > p.packet_throttle_limit {
                    p.packet_throttle = p.packet_throttle_limit;
                }
                p.incoming_data_total = 0;
                p.outgoing_data_total = 0;
            }
        }
        if self.recalculate_bandwidth_limits {
            self.recalculate_bandwidth_limits = false;
            let mut peers_remaining = self.connected_peers as u32;
            let mut bandwidth = self.incoming_bandwidth;
            let mut needs_adjustment = true;
            let mut bandwidth_limit = 0u32;
            if bandwidth != 0 {
                while peers_remaining > 0 && needs_adjustment {
                    needs_adjustment = false;
                    bandwidth_limit = bandwidth / peers_remaining;
                    for p in self.peers.iter_mut() {
                        if !p.is_connected() || p.incoming_bandwidth_throttle_epoch == now {
                            continue;
                        }
                        if p.outgoing_bandwidth > 0 && p.outgoing_bandwidth >= bandwidth_limit {
                            continue;
                        }
                        p.incoming_bandwidth_throttle_epoch = now;
                        needs_adjustment = true;
                        peers_remaining -= 1;
                        bandwidth = bandwidth.wrapping_sub(p.outgoing_bandwidth);
                    }
                }
            }
            let host_out = self.outgoing_bandwidth;
            for idx in 0..self.peers.len() {
                let p = &self.peers[idx];
                if !p.is_connected() {
                    continue;
                }
                let incoming = if p.incoming_bandwidth_throttle_epoch == now {
                    p.outgoing_bandwidth
                } else {
                    bandwidth_limit
                };
                self.queue_outgoing(
                    idx,
                    Self::control(COMMAND_BANDWIDTH_LIMIT | COMMAND_FLAG_ACKNOWLEDGE),
                    Command::BandwidthLimit {
                        incoming_bandwidth: incoming,
                        outgoing_bandwidth: host_out,
                    },
                    None,
                    0,
                    0,
                );
            }
        }
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
