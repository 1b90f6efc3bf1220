//! Building and sending datagrams: bundling queued commands within the reliable windows, the
//! throttle and the MTU, then header, optional checksum and compression.

use std::io;

use crate::enet::protocol::*;

use super::peer::PeerState;
use super::time::{time_difference, time_greater_equal, time_less};
use super::{
    crc32, Event, Host, Transport, BODY_PREFIX, PEER_FREE_RELIABLE_WINDOWS,
    PEER_PACKET_LOSS_INTERVAL, PEER_PACKET_LOSS_SCALE, PEER_PACKET_THROTTLE_COUNTER,
    PEER_PACKET_THROTTLE_SCALE, PEER_RELIABLE_WINDOWS, PEER_RELIABLE_WINDOW_SIZE,
};

impl Host {
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
            // Visits the peers in use in slot order (as ENet does), skipping idle ones (nothing to
            // acknowledge, send or time out, and no ping due): with thousands of peers that is
            // most of them. Free slots are not even looked at (`active`, a word of 64 slots at a
            // time; serving a peer changes no other peer's bit, so a copy of the word will do).
            #[cfg(debug_assertions)]
            self.check_active();
            let mut word = 0;
            let mut bits = self.active.first().copied().unwrap_or(0);
            loop {
                while bits == 0 {
                    word += 1;
                    match self.active.get(word) {
                        Some(&w) => bits = w,
                        None => break,
                    }
                }
                if bits == 0 {
                    break;
                }
                let idx = word * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let p = &self.peers[idx];
                if p.acknowledgements.is_empty()
                    && p.sent_reliable.is_empty()
                    && p.outgoing.is_empty()
                    && p.outgoing_send_reliable.is_empty()
                    && time_difference(now, p.last_receive_time) < p.ping_interval
                {
                    continue;
                }
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

    /// Debug builds: `active` matches the peer states.
    #[cfg(debug_assertions)]
    fn check_active(&self) {
        for (i, p) in self.peers.iter().enumerate() {
            let on = !matches!(p.state, PeerState::Disconnected | PeerState::Zombie);
            debug_assert_eq!(
                self.active[i / 64] & (1 << (i % 64)) != 0,
                on,
                "active bit of peer {i} ({:?})",
                p.state
            );
        }
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
}
