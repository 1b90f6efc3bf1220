//! Flow control: the per-peer packet throttle driven by round-trip times, and the host-wide
//! bandwidth limits shared out between peers once a second.

use crate::enet::protocol::*;

use super::error::Refused;
use super::peer::Peer;
use super::{
    Host, HOST_BANDWIDTH_THROTTLE_INTERVAL, PEER_PACKET_THROTTLE_SCALE, PEER_WINDOW_SIZE_SCALE,
};

impl Peer {
    /// ENet's throttle adjustment from one RTT sample.
    pub(super) fn throttle(&mut self, rtt: u32) {
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

impl Host {
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

    pub(super) fn handle_bandwidth_limit(
        &mut self,
        idx: usize,
        incoming: u32,
        outgoing: u32,
    ) -> Result<(), Refused> {
        let host_out = self.outgoing_bandwidth;
        let p = &mut self.peers[idx];
        if !p.is_connected() {
            return Err(Refused::NotConnected);
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
}
