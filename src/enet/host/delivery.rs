//! Handing received packets to the application in ENet's order: reliable packets by sequence
//! number, unreliable ones only within the current reliable epoch, through one dispatch queue of
//! peers with something to report.

use super::peer::PeerState;
use super::reassembly::InPacket;
use super::{Event, Host, Packet};

impl Host {
    pub(super) fn mark_dispatch(&mut self, idx: usize) {
        if !self.peers[idx].needs_dispatch {
            self.peers[idx].needs_dispatch = true;
            self.dispatch_queue.push_back(idx);
        }
    }

    /// Delivers a complete unreliable packet at the current reliable sequence number.
    pub(super) fn deliver_unreliable(&mut self, idx: usize, cid: usize, useq: u16, pkt: InPacket) {
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

    pub(super) fn dispatch_reliable(&mut self, idx: usize, cid: usize) {
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
}
