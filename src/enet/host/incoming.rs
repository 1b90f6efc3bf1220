//! Received datagrams: header, peer, checksum and decompression checks, then each command in turn.
//! The first refused command ends the datagram (as in ENet) and is counted in
//! [`Anomalies`](super::Anomalies).
//! Every byte kept from the remote is charged to the waiting-data budgets first.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;

use crate::enet::protocol::*;
use crate::net::addr::canonical_socket;

use super::error::Refused;
use super::peer::PeerState;
use super::reassembly::{Held, InPacket};
use super::{
    crc32, Event, Host, INCOMING_OVERHEAD, PACKET_FLAG_RELIABLE, PACKET_FLAG_UNSEQUENCED,
    PEER_FREE_UNSEQUENCED_WINDOWS, PEER_UNSEQUENCED_WINDOW_SIZE,
};

impl Host {
    /// Processes one received datagram (`now` = host clock). Returns an event that must be reported
    /// at once (CONNECT completing, DISCONNECT acknowledged); others go through [`Host::dispatch`].
    pub fn handle_datagram(&mut self, now: u32, from: SocketAddr, data: &[u8]) -> Option<Event> {
        self.service_time = now;
        let from = canonical_socket(from);
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
                } => peer.map_or(Err(Refused::NoPeer), |i| {
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
                        Err(Refused::ConnectForPeer)
                    } else {
                        self.handle_connect(from, body).map(|i| {
                            peer = Some(i);
                        })
                    }
                }
                Command::VerifyConnect(body) => peer.map_or(Err(Refused::NoPeer), |i| {
                    self.handle_verify_connect(i, body, &mut event)
                }),
                Command::Disconnect { data } => peer.map_or(Err(Refused::NoPeer), |i| {
                    self.handle_disconnect(i, ch, data)
                }),
                Command::Ping => peer.map_or(Err(Refused::NoPeer), |i| {
                    if self.peers[i].is_connected() {
                        Ok(())
                    } else {
                        Err(Refused::NotConnected)
                    }
                }),
                Command::SendReliable { .. } | Command::SendUnreliable { .. } => peer
                    .map_or(Err(Refused::NoPeer), |i| {
                        self.handle_send(i, ch, cmd, payload)
                    }),
                Command::SendUnsequenced {
                    unsequenced_group, ..
                } => peer.map_or(Err(Refused::NoPeer), |i| {
                    self.handle_send_unsequenced(i, ch, unsequenced_group, payload)
                }),
                Command::SendFragment(f) => peer.map_or(Err(Refused::NoPeer), |i| {
                    self.handle_fragment(i, ch, f, payload, true)
                }),
                Command::SendUnreliableFragment(f) => peer.map_or(Err(Refused::NoPeer), |i| {
                    self.handle_fragment(i, ch, f, payload, false)
                }),
                Command::BandwidthLimit {
                    incoming_bandwidth,
                    outgoing_bandwidth,
                } => peer.map_or(Err(Refused::NoPeer), |i| {
                    self.handle_bandwidth_limit(i, incoming_bandwidth, outgoing_bandwidth)
                }),
                Command::ThrottleConfigure {
                    packet_throttle_interval,
                    packet_throttle_acceleration,
                    packet_throttle_deceleration,
                } => peer.map_or(Err(Refused::NoPeer), |i| {
                    let p = &mut self.peers[i];
                    if !p.is_connected() {
                        return Err(Refused::NotConnected);
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

    /// Common checks of the data commands: channel exists, peer connected, size acceptable.
    pub(super) fn data_checks(
        &self,
        idx: usize,
        header: CommandHeader,
        len: usize,
    ) -> Result<(), Refused> {
        let p = &self.peers[idx];
        if header.channel_id as usize >= p.channels.len() {
            return Err(Refused::NoSuchChannel(header.channel_id));
        }
        if !p.is_connected() {
            return Err(Refused::NotConnected);
        }
        if len > self.maximum_packet_size {
            return Err(Refused::TooLarge(len));
        }
        Ok(())
    }

    /// Charges `cost` to the peer's and the host's waiting-data budgets.
    pub(super) fn charge(&mut self, idx: usize, cost: usize) -> Result<Held, Refused> {
        let max = self.maximum_waiting_data;
        let p = &mut self.peers[idx];
        let host_total = self.total_waiting.load(Ordering::Relaxed);
        if p.total_waiting_data + cost > max || host_total + cost > self.maximum_total_waiting_data
        {
            self.anomalies.waiting_data_exceeded += 1;
            return Err(Refused::WaitingDataExceeded);
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
    ) -> Result<(), Refused> {
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

    fn handle_send_unsequenced(
        &mut self,
        idx: usize,
        header: CommandHeader,
        group: u16,
        payload: &[u8],
    ) -> Result<(), Refused> {
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
}
