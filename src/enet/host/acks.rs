//! Reliability: acknowledging what we receive, taking acknowledged commands off the sent queue
//! (with the round-trip time sample each acknowledgement gives), and resending or giving up on
//! commands that were not acknowledged in time.

use std::collections::VecDeque;

use crate::enet::protocol::*;

use super::error::Refused;
use super::outgoing::OutCmd;
use super::peer::{Peer, PeerState};
use super::time::{time_difference, time_less};
use super::{
    Event, Host, BODY_PREFIX, PEER_FREE_RELIABLE_WINDOWS, PEER_PING_INTERVAL,
    PEER_RELIABLE_WINDOWS, PEER_RELIABLE_WINDOW_SIZE, PEER_TIMEOUT_LIMIT, PEER_TIMEOUT_MAXIMUM,
    PEER_TIMEOUT_MINIMUM,
};

#[derive(Debug, Clone, Copy)]
pub(super) struct Ack {
    pub(super) header: CommandHeader,
    pub(super) sent_time: u16,
}

impl Host {
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

    pub(super) fn queue_ack(&mut self, idx: usize, header: CommandHeader, sent_time: u16) {
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

    pub(super) fn handle_acknowledge(
        &mut self,
        idx: usize,
        header: CommandHeader,
        received_seq: u16,
        received_sent_time: u16,
        event: &mut Option<Event>,
    ) -> Result<(), Refused> {
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
                    return Err(Refused::UnexpectedAcknowledge);
                }
                *event = self.notify_connect(idx);
            }
            PeerState::Disconnecting => {
                if removed != Some(COMMAND_DISCONNECT) {
                    return Err(Refused::UnexpectedAcknowledge);
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

    /// Removes an acknowledged command; returns its command number.
    pub(super) fn remove_sent_reliable(&mut self, idx: usize, seq: u16, channel: u8) -> Option<u8> {
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

    pub(super) fn send_acknowledgements(&mut self, idx: usize) {
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
    pub(super) fn check_timeouts(
        &mut self,
        idx: usize,
        with_event: bool,
    ) -> Result<(), Option<Event>> {
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
}
