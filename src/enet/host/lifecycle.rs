//! Connecting and disconnecting: the handshake on both sides (CONNECT, VERIFY_CONNECT), the
//! three disconnect flavours, and the state changes that keep the host's connected-peer counts
//! (used by bandwidth throttling) right.

use std::net::SocketAddr;

use crate::enet::protocol::*;
use crate::net::addr::canonical_socket;

use super::error::Refused;
use super::peer::{Channel, PeerState};
use super::{Event, Host, Transport, PEER_WINDOW_SIZE_SCALE};

impl Host {
    pub(super) fn change_state(&mut self, idx: usize, state: PeerState) {
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
        self.track_active(idx);
    }

    pub(super) fn dispatch_state(&mut self, idx: usize, state: PeerState) {
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
        self.track_active(idx);
        self.peers[idx].address = None;
        self.dispatch_queue.retain(|&i| i != idx);
    }

    pub(super) fn notify_connect(&mut self, idx: usize) -> Option<Event> {
        self.recalculate_bandwidth_limits = true;
        self.change_state(idx, PeerState::Connected);
        Some(Event::Connect {
            peer: idx,
            data: self.peers[idx].event_data,
        })
    }

    pub(super) fn notify_disconnect(&mut self, idx: usize, with_event: bool) -> Option<Event> {
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
        p.address = Some(canonical_socket(address));
        p.connect_id = connect_id;
        p.mtu = mtu;
        p.window_size = window_size;
        self.track_active(idx);
        let p = &self.peers[idx];
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
            self.track_active(idx);
        } else {
            self.disconnect(idx, data, io);
        }
    }

    pub(super) fn handle_connect(
        &mut self,
        from: SocketAddr,
        body: ConnectBody,
    ) -> Result<usize, Refused> {
        if !(MINIMUM_CHANNEL_COUNT..=MAXIMUM_CHANNEL_COUNT).contains(&body.channel_count) {
            return Err(Refused::ChannelCount(body.channel_count));
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
                    return Err(Refused::DuplicateConnect);
                }
                duplicates += 1;
            }
        }
        let idx = chosen.ok_or(Refused::NoFreeSlot)?;
        if duplicates >= self.duplicate_peers {
            return Err(Refused::TooManyFromAddress);
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
        self.track_active(idx);
        Ok(idx)
    }

    pub(super) fn handle_verify_connect(
        &mut self,
        idx: usize,
        body: ConnectBody,
        event: &mut Option<Event>,
    ) -> Result<(), Refused> {
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
            return Err(Refused::VerifyMismatch);
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

    /// `disconnect` for the DISCONNECT_LATER path (no flush needed: the peer is connected).
    pub(super) fn disconnect_queue_only(&mut self, idx: usize, data: u32) {
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

    pub(super) fn handle_disconnect(
        &mut self,
        idx: usize,
        header: CommandHeader,
        data: u32,
    ) -> Result<(), Refused> {
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
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use super::super::error::Refused;
    use super::super::{Host, HostConfig};
    use crate::enet::protocol::*;

    fn connect(connect_id: u32, channel_count: u32) -> ConnectBody {
        ConnectBody {
            outgoing_peer_id: 0,
            incoming_session_id: 0xFF,
            outgoing_session_id: 0xFF,
            mtu: 1392,
            window_size: MAXIMUM_WINDOW_SIZE,
            channel_count,
            incoming_bandwidth: 0,
            outgoing_bandwidth: 0,
            packet_throttle_interval: 5000,
            packet_throttle_acceleration: 2,
            packet_throttle_deceleration: 2,
            connect_id,
            data: 0,
        }
    }

    #[test]
    fn connect_refusals_name_their_cause() {
        let mut h = Host::new(HostConfig {
            peer_count: 2,
            duplicate_peers: 1,
            ..HostConfig::default()
        });
        let at = |s: &str| s.parse::<SocketAddr>().unwrap();
        assert_eq!(
            h.handle_connect(at("10.0.0.1:1"), connect(7, 0)),
            Err(Refused::ChannelCount(0))
        );
        assert_eq!(h.handle_connect(at("10.0.0.1:1"), connect(7, 2)), Ok(0));
        assert_eq!(
            h.handle_connect(at("10.0.0.1:1"), connect(7, 2)),
            Err(Refused::DuplicateConnect)
        );
        assert_eq!(
            h.handle_connect(at("10.0.0.1:2"), connect(8, 2)),
            Err(Refused::TooManyFromAddress)
        );
        assert_eq!(h.handle_connect(at("10.0.0.2:1"), connect(9, 2)), Ok(1));
        assert_eq!(
            h.handle_connect(at("10.0.0.3:1"), connect(10, 2)),
            Err(Refused::NoFreeSlot)
        );
    }
}
