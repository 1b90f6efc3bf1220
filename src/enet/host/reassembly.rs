//! Fragmented packets. Memory follows the fragments that arrived, never the sizes a remote
//! announces, and every stored fragment is charged to the waiting-data budgets.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::enet::protocol::*;

use super::error::Refused;
use super::peer::PeerState;
use super::{Host, INCOMING_OVERHEAD, PACKET_FLAG_RELIABLE, PACKET_FLAG_UNRELIABLE_FRAGMENT};

/// A share of the host-wide waiting-data budget, given back when the holder is dropped (delivered,
/// discarded, or its peer reset), wherever that happens.
#[derive(Debug)]
pub(super) struct Held {
    pub(super) total: Arc<AtomicUsize>,
    pub(super) amount: usize,
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
pub(super) struct InPacket {
    pub(super) data: Vec<u8>,
    pub(super) flags: u32,
    pub(super) cost: usize,
    pub(super) frag: Option<Box<Reassembly>>,
    pub(super) held: Held,
}

/// Fragments of one packet. Memory follows what arrived, not what was announced: fragments that
/// arrive in order are appended to `contiguous` (one copy, the common case); others wait in `pieces`.
#[derive(Debug)]
pub(super) struct Reassembly {
    pub(super) total_length: u32,
    pub(super) fragment_count: u32,
    /// Distinct fragment numbers received (bit set, grown as numbers arrive).
    pub(super) seen: Vec<u64>,
    pub(super) received: u32,
    pub(super) contiguous: Vec<u8>,
    /// offset -> bytes, for fragments that arrived ahead of the contiguous prefix.
    pub(super) pieces: BTreeMap<u32, Vec<u8>>,
    pub(super) bytes: usize,
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
    pub(super) fn complete(&self) -> bool {
        match &self.frag {
            None => true,
            Some(r) => r.complete(),
        }
    }
    /// Builds the packet of a complete reassembly; `None` if the fragments leave holes.
    pub(super) fn assemble(&mut self) -> Option<()> {
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

impl Host {
    pub(super) fn handle_fragment(
        &mut self,
        idx: usize,
        header: CommandHeader,
        f: FragmentBody,
        payload: &[u8],
        reliable: bool,
    ) -> Result<(), Refused> {
        self.data_checks(idx, header, payload.len())?;
        if payload.is_empty() {
            return Err(Refused::EmptyFragment);
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
            return Err(Refused::BadFragment);
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
                return Err(Refused::FragmentMismatch);
            };
            if r.total_length != f.total_length || r.fragment_count != f.fragment_count {
                return Err(Refused::FragmentMismatch);
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
}
