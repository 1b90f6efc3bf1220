//! Queueing commands to send: sequence numbers are assigned here, when a command is queued, so that
//! fragments of one packet and the order of sends match what C ENet puts on the wire.

use std::sync::Arc;

use crate::enet::protocol::*;

use super::error::SendError;
use super::peer::PeerState;
use super::{Host, PACKET_FLAG_RELIABLE, PACKET_FLAG_UNRELIABLE_FRAGMENT, PACKET_FLAG_UNSEQUENCED};

#[derive(Debug, Clone)]
pub(super) struct OutCmd {
    pub(super) header: CommandHeader,
    pub(super) command: Command,
    pub(super) reliable_seq: u16,
    pub(super) unreliable_seq: u16,
    pub(super) packet: Option<Arc<[u8]>>,
    pub(super) fragment_offset: u32,
    pub(super) fragment_length: u16,
    pub(super) send_attempts: u16,
    pub(super) sent_time: u32,
    pub(super) round_trip_timeout: u32,
    pub(super) queue_time: u32,
}

impl Host {
    pub(super) fn queue_outgoing(
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

    pub(super) fn control(command: u8) -> CommandHeader {
        CommandHeader {
            command,
            channel_id: 0xFF,
            reliable_sequence_number: 0,
        }
    }

    /// `enet_peer_send`. Each error is one of ENet's -1 returns; nothing is queued then.
    pub fn send(
        &mut self,
        idx: usize,
        channel: u8,
        data: &[u8],
        flags: u32,
    ) -> Result<(), SendError> {
        let checksum = self.checksum;
        let max = self.maximum_packet_size;
        let p = self.peers.get(idx).ok_or(SendError::NoSuchPeer(idx))?;
        if p.state != PeerState::Connected {
            return Err(SendError::NotConnected);
        }
        if channel as usize >= p.channels.len() {
            return Err(SendError::NoSuchChannel {
                channel,
                count: p.channels.len(),
            });
        }
        if data.len() > max {
            return Err(SendError::TooLarge {
                size: data.len(),
                maximum: max,
            });
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
                return Err(SendError::TooManyFragments { count });
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
}

#[cfg(test)]
mod tests {
    use super::super::peer::{Channel, PeerState};
    use super::super::{Host, HostConfig, SendError};
    use crate::error::Error;

    /// TooManyFragments is left out: reaching it takes a packet of over half a gigabyte.
    #[test]
    fn send_refusals_name_their_cause_and_all_fail() {
        let mut h = Host::new(HostConfig {
            peer_count: 1,
            maximum_packet_size: 10,
            ..HostConfig::default()
        });
        assert_eq!(h.send(1, 0, b"x", 0), Err(SendError::NoSuchPeer(1)));
        assert_eq!(h.send(0, 0, b"x", 0), Err(SendError::NotConnected));
        h.peers[0].state = PeerState::Connected;
        h.peers[0].channels = vec![Channel::new()];
        assert_eq!(
            h.send(0, 1, b"x", 0),
            Err(SendError::NoSuchChannel {
                channel: 1,
                count: 1
            })
        );
        assert_eq!(
            h.send(0, 0, &[0; 11], 0),
            Err(SendError::TooLarge {
                size: 11,
                maximum: 10
            })
        );
        assert_eq!(h.peers[0].pending_outgoing(), 0);
        assert_eq!(h.send(0, 0, &[0; 10], 0), Ok(()));
        assert_eq!(h.peers[0].pending_outgoing(), 1);
        for e in [
            SendError::NoSuchPeer(1),
            SendError::NotConnected,
            SendError::NoSuchChannel {
                channel: 1,
                count: 1,
            },
            SendError::TooLarge {
                size: 11,
                maximum: 10,
            },
            SendError::TooManyFragments { count: 1 << 21 },
        ] {
            assert_eq!(Error::from(e), Error::Failed, "{e}");
        }
    }
}
