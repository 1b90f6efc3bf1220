//! UDPServer (`docs/classes.md` §8): one listening UDP socket demultiplexed by (source IP, source port)
//! into PacketPeerUDP "connections" that share the socket.
//!
//! Differences from the engine:
//! - `set_max_pending_connections` trims the way the engine meant to: when the new maximum is below
//!   the pending count, the newest pending peers are dropped until `pending ≤ max`. (The engine's loop
//!   is inverted: raising the maximum empties the pending list.)
//! - Datagrams dropped because the pending list is full are counted ([`UdpServer::stats`]).
//! - Locking: the server locks a peer while filling it; a peer never locks the server (a peer that
//!   is closed or freed is noticed and forgotten on the next `poll`), so the two never deadlock.
#![forbid(unsafe_code)]

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Weak};

use super::addr;
use super::udp::{PacketPeerUdp, UdpSock, RECV_BUFFER_SIZE};
use super::{interrupted, would_block, NetStats};
use crate::error::{Error, Result};
use crate::sync::{shared, Lock, Shared};

/// Default `max_pending_connections`.
pub const DEFAULT_MAX_PENDING: usize = 16;

type Key = (IpAddr, u16);

/// Godot's UDPServer.
#[derive(Debug)]
pub struct UdpServer {
    sock: Option<Arc<UdpSock>>,
    max_pending: usize,
    pending: VecDeque<(Key, Shared<PacketPeerUdp>)>,
    accepted: HashMap<Key, Weak<Lock<PacketPeerUdp>>>,
    scratch: Vec<u8>,
    stats: NetStats,
}

impl Default for UdpServer {
    fn default() -> Self {
        Self::new()
    }
}

impl UdpServer {
    pub fn new() -> Self {
        UdpServer {
            sock: None,
            max_pending: DEFAULT_MAX_PENDING,
            pending: VecDeque::new(),
            accepted: HashMap::new(),
            scratch: Vec::new(),
            stats: NetStats::default(),
        }
    }

    /// `listen(port, bind_address = "*")`.
    pub fn listen(&mut self, port: i32, bind_address: &str) -> Result<()> {
        if self.sock.is_some() {
            return Err(Error::AlreadyInUse);
        }
        let baddr = addr::parse_bind(bind_address)?;
        let port = addr::port_in_range(port, 0)?;
        let family = addr::family_for_bind(baddr);
        let local = addr::bind_sockaddr(family, baddr, port)?;
        let s = UdpSock::open(family, true, false).map_err(|_| Error::CantCreate)?;
        if socket2::SockRef::from(&s.sock).bind(&local.into()).is_err() {
            self.stop();
            return Err(Error::Unavailable);
        }
        self.sock = Some(Arc::new(s));
        Ok(())
    }

    /// `poll()`: reads every pending datagram and hands each to its peer.
    pub fn poll(&mut self) -> Result<()> {
        let s = self.sock.clone().ok_or(Error::Unconfigured)?;
        if self.scratch.len() < RECV_BUFFER_SIZE {
            self.scratch = vec![0; RECV_BUFFER_SIZE];
        }
        loop {
            let (n, from) = match s.sock.recv_from(&mut self.scratch) {
                Ok(r) => r,
                Err(e) if would_block(&e) => return Ok(()),
                Err(e) if interrupted(&e) => continue,
                Err(_) => return Err(Error::Failed),
            };
            let key = (addr::canonical(from.ip()), from.port());
            let data = &self.scratch[..n];
            self.stats.packets_received += 1;
            self.stats.bytes_received += n as u64;
            if let Some(w) = self.accepted.get(&key) {
                if let Some(peer) = w.upgrade() {
                    let mut p = peer.lock_no_callout();
                    if p.is_shared_with(&s) {
                        p.store_packet(key.0, key.1, data);
                        continue;
                    }
                }
                // Closed or freed since: forget it; the datagram starts a new connection.
                self.accepted.remove(&key);
            }
            if let Some((_, peer)) = self.pending.iter().find(|(k, _)| *k == key) {
                peer.lock_no_callout().store_packet(key.0, key.1, data);
                continue;
            }
            if self.pending.len() >= self.max_pending {
                self.stats.packets_dropped += 1;
                self.stats.bytes_dropped += n as u64;
                continue;
            }
            let mut peer = PacketPeerUdp::new_shared(s.clone(), key.0, key.1);
            peer.store_packet(key.0, key.1, data);
            self.pending.push_back((key, shared(peer)));
        }
    }

    /// Pending list non-empty (and listening).
    pub fn is_connection_available(&self) -> bool {
        self.sock.is_some() && !self.pending.is_empty()
    }

    /// Pops the oldest pending peer and moves it to the accepted set; None if none.
    pub fn take_connection(&mut self) -> Option<Shared<PacketPeerUdp>> {
        self.sock.as_ref()?;
        let (key, peer) = self.pending.pop_front()?;
        self.accepted.insert(key, Arc::downgrade(&peer));
        Some(peer)
    }

    /// Closes the socket; accepted peers become closed, unbound peers; pending peers are freed.
    pub fn stop(&mut self) {
        if let Some(s) = self.sock.take() {
            for w in self.accepted.values() {
                if let Some(peer) = w.upgrade() {
                    let mut p = peer.lock_no_callout();
                    if p.is_shared_with(&s) {
                        p.detach();
                    }
                }
            }
        }
        self.accepted.clear();
        self.pending.clear();
    }

    pub fn is_listening(&self) -> bool {
        self.sock.is_some()
    }

    pub fn get_local_port(&self) -> u16 {
        self.sock.as_ref().map(|s| s.local_port()).unwrap_or(0)
    }

    pub fn get_max_pending_connections(&self) -> usize {
        self.max_pending
    }

    /// Sets the maximum; negative is ERR_INVALID_PARAMETER. Drops the newest pending peers until
    /// `pending ≤ max` (the engine's intended behaviour, see the module docs).
    pub fn set_max_pending_connections(&mut self, max: i32) -> Result<()> {
        if max < 0 {
            return Err(Error::InvalidParameter);
        }
        self.max_pending = max as usize;
        self.pending.truncate(self.max_pending);
        Ok(())
    }

    /// Pending (not yet taken) peers.
    pub fn pending_count(&self) -> usize {
        self.pending.len()
    }

    /// Counters of the listening socket (received, and dropped because the pending list was full).
    pub fn stats(&self) -> NetStats {
        self.stats
    }
}

impl Drop for UdpServer {
    fn drop(&mut self) {
        self.stop();
    }
}
