//! A peer slot and its channels: the per-remote state every other part of the host reads and writes.
//! A slot is reused after a disconnect, so everything a connection leaves behind is cleared in
//! `reset_fields`.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::collections::VecDeque;
use std::net::SocketAddr;

use crate::enet::protocol::*;

use super::acks::Ack;
use super::outgoing::OutCmd;
use super::reassembly::InPacket;
use super::{
    PEER_DEFAULT_PACKET_THROTTLE, PEER_DEFAULT_ROUND_TRIP_TIME, PEER_FREE_RELIABLE_WINDOWS,
    PEER_PACKET_THROTTLE_ACCELERATION, PEER_PACKET_THROTTLE_DECELERATION,
    PEER_PACKET_THROTTLE_INTERVAL, PEER_PACKET_THROTTLE_SCALE, PEER_PING_INTERVAL,
    PEER_RELIABLE_WINDOWS, PEER_RELIABLE_WINDOW_SIZE, PEER_TIMEOUT_LIMIT, PEER_TIMEOUT_MAXIMUM,
    PEER_TIMEOUT_MINIMUM, PEER_UNSEQUENCED_WINDOW_SIZE,
};

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

#[derive(Debug)]
pub(super) struct Channel {
    pub(super) outgoing_reliable_seq: u16,
    pub(super) outgoing_unreliable_seq: u16,
    pub(super) used_reliable_windows: u16,
    pub(super) reliable_windows: [u16; PEER_RELIABLE_WINDOWS as usize],
    pub(super) incoming_reliable_seq: u16,
    pub(super) incoming_unreliable_seq: u16,
    pub(super) incoming_reliable: HashMap<u16, InPacket>,
    /// (reliable seq, unreliable seq) -> packet waiting for its reliable predecessor or its fragments.
    pub(super) incoming_unreliable: BTreeMap<(u16, u16), InPacket>,
}

impl Channel {
    pub(super) fn new() -> Channel {
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
    pub(super) fn in_receive_window(&self, seq: u16) -> bool {
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
    pub(super) state: PeerState,
    pub(super) acknowledgements: VecDeque<Ack>,
    pub(super) sent_reliable: VecDeque<OutCmd>,
    pub(super) outgoing: VecDeque<OutCmd>,
    pub(super) outgoing_send_reliable: VecDeque<OutCmd>,
    pub(super) last_receive_time: u32,
    pub(super) ping_interval: u32,
    pub(super) incoming_peer_id: u16,
    pub(super) outgoing_peer_id: u16,
    pub(super) incoming_session_id: u8,
    pub(super) outgoing_session_id: u8,
    pub(super) connect_id: u32,
    pub(super) address: Option<SocketAddr>,
    pub(super) channels: Vec<Channel>,
    pub(super) incoming_bandwidth: u32,
    pub(super) outgoing_bandwidth: u32,
    pub(super) incoming_bandwidth_throttle_epoch: u32,
    pub(super) outgoing_bandwidth_throttle_epoch: u32,
    pub(super) incoming_data_total: u32,
    pub(super) outgoing_data_total: u32,
    pub(super) last_send_time: u32,
    pub(super) next_timeout: u32,
    pub(super) earliest_timeout: u32,
    pub(super) packet_loss_epoch: u32,
    pub(super) packets_sent: u32,
    pub(super) packets_lost: u32,
    pub(super) packet_loss: u32,
    pub(super) packet_loss_variance: u32,
    pub(super) packet_throttle: u32,
    pub(super) packet_throttle_limit: u32,
    pub(super) packet_throttle_counter: u32,
    pub(super) packet_throttle_epoch: u32,
    pub(super) packet_throttle_acceleration: u32,
    pub(super) packet_throttle_deceleration: u32,
    pub(super) packet_throttle_interval: u32,
    pub(super) timeout_limit: u32,
    pub(super) timeout_minimum: u32,
    pub(super) timeout_maximum: u32,
    pub(super) last_round_trip_time: u32,
    pub(super) lowest_round_trip_time: u32,
    pub(super) last_round_trip_time_variance: u32,
    pub(super) highest_round_trip_time_variance: u32,
    pub(super) round_trip_time: u32,
    pub(super) round_trip_time_variance: u32,
    pub(super) mtu: u32,
    pub(super) window_size: u32,
    pub(super) reliable_data_in_transit: u32,
    pub(super) outgoing_reliable_seq: u16,
    pub(super) dispatched: VecDeque<(u8, InPacket)>,
    pub(super) needs_dispatch: bool,
    pub(super) incoming_unsequenced_group: u16,
    pub(super) outgoing_unsequenced_group: u16,
    pub(super) unsequenced_window: Box<[u32; (PEER_UNSEQUENCED_WINDOW_SIZE / 32) as usize]>,
    pub(super) event_data: u32,
    pub(super) total_waiting_data: usize,
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
    pub(super) fn new(index: u16, mtu: u32) -> Peer {
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
    pub(super) fn reset_fields(&mut self, mtu: u32) {
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

    pub(super) fn reset_queues(&mut self) {
        self.needs_dispatch = false;
        self.acknowledgements.clear();
        self.sent_reliable.clear();
        self.outgoing.clear();
        self.outgoing_send_reliable.clear();
        self.dispatched.clear();
        self.channels.clear();
        self.total_waiting_data = 0;
    }

    pub(super) fn is_connected(&self) -> bool {
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
}
