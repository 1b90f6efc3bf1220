//! PacketPeerUDP (`docs/classes.md` §7): raw UDP datagrams, optionally connected (filtered) to one remote
//! address, broadcast and multicast, with the engine's receive queue (see [`super::ring`]).
//!
//! Differences from the engine (each one only helps callers; nothing on the wire changes):
//! - `connect_to_host` clears the receive queue *and* its packet count (the engine keeps the count,
//!   so the next `get_packet` could read garbage).
//! - `set_dest_address` on a connected peer returns ERR_UNAVAILABLE (the engine's native call does;
//!   its script binding prints and returns OK). Ports outside 0..65535 are ERR_INVALID_PARAMETER.
//! - Dropped datagrams (queue full) are counted ([`PacketPeerUdp::stats`]); the engine drops silently.
//! - `wait()` returns OK at once when packets are already queued (the engine would block on the
//!   socket although `get_packet` has data); `wait_timeout` adds a bound (ERR_BUSY on timeout).
//! - In blocking mode a send on a full socket waits with poll(2) instead of spinning.
//! - `get_packet` drains the socket only when the queue is empty (`get_available_packet_count`
//!   always drains, like the engine). The same packets come out in the same order; a loop of
//!   `get_packet` calls saves one system call per packet. Datagrams wait in the kernel queue
//!   instead of the ring a little longer, so under overload the kernel may drop some before the
//!   ring would have (kernel drops are not counted), and an ICMP error on a connected socket is
//!   reported once the queue is empty.
//! - `bind` refuses a `recv_buf_size` whose ring would exceed 2^28 bytes (ERR_INVALID_PARAMETER).
//!
//! An optional network conditioner ([`PacketPeerUdp::set_conditioner`], `crate::conditioner`) sits
//! between the peer and its socket. Datagrams it delays leave or arrive on the peer's own calls:
//! `put_packet(s)`, `get_available_packet_count`, `get_packet(s)` (and `wait_timeout`, which wakes
//! up when the next one is due). Off, it costs one branch per call.
#![forbid(unsafe_code)]

use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::os::fd::{AsRawFd, RawFd};
use std::sync::Arc;
use std::time::Instant;

use socket2::{Domain, Protocol, Socket, Type};

use super::addr::{self, Family};
use super::ring::{self, PacketRing, DEFAULT_RING_SIZE};
use super::sys::{self, RecvMeta};
use super::{interrupted, wait_fd, would_block, NetStats};
use crate::conditioner::{Conditioner, ConditionerOptions, ConditionerStats, Direction};
use crate::error::{Error, Result};
use crate::peer::{PacketPeer, PeerBase};

/// Largest datagram read from the OS (the engine's receive buffer size).
pub const RECV_BUFFER_SIZE: usize = 65536;
/// Datagrams taken from the OS per system call while draining.
const DRAIN_BATCH: usize = 8;

/// An open UDP socket and the family it was opened with; shared between a UDPServer and the peers
/// it hands out.
#[derive(Debug)]
pub struct UdpSock {
    pub(crate) sock: UdpSocket,
    pub(crate) family: Family,
}

impl UdpSock {
    /// Opens a non-blocking, close-on-exec UDP socket of `family` (`Any` = IPv6 with IPV6_V6ONLY off).
    pub(crate) fn open(
        family: Family,
        reuse_addr: bool,
        reuse_port: bool,
    ) -> std::io::Result<UdpSock> {
        let domain = match family {
            Family::V4 => Domain::IPV4,
            Family::V6 | Family::Any => Domain::IPV6,
        };
        let s = Socket::new(domain, Type::DGRAM, Some(Protocol::UDP))?;
        if family != Family::V4 {
            s.set_only_v6(family == Family::V6)?;
        }
        s.set_nonblocking(true)?;
        if reuse_addr {
            s.set_reuse_address(true)?;
        }
        #[cfg(all(unix, not(any(target_os = "solaris", target_os = "illumos"))))]
        if reuse_port {
            s.set_reuse_port(true)?;
        }
        #[cfg(not(all(unix, not(any(target_os = "solaris", target_os = "illumos")))))]
        let _ = reuse_port;
        Ok(UdpSock {
            sock: s.into(),
            family,
        })
    }

    pub(crate) fn fd(&self) -> RawFd {
        self.sock.as_raw_fd()
    }

    pub(crate) fn local_port(&self) -> u16 {
        self.sock.local_addr().map(|a| a.port()).unwrap_or(0)
    }
}

/// Where one datagram of a [`PacketPeerUdp::get_packets`] batch landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PacketInfo {
    /// Offset of the payload in the caller's buffer.
    pub offset: usize,
    /// Bytes stored.
    pub len: usize,
    pub ip: IpAddr,
    pub port: u16,
    /// The datagram was longer than its slot and was cut to `len`.
    pub truncated: bool,
}

/// Godot's PacketPeerUDP.
#[derive(Debug)]
pub struct PacketPeerUdp {
    base: PeerBase,
    sock: Option<Arc<UdpSock>>,
    /// Handed out by a UDPServer: uses the server's socket, filled only by the server's poll.
    server_owned: bool,
    connected: bool,
    dest: Option<(IpAddr, u16)>,
    broadcast: bool,
    blocking: bool,
    reuse_address: bool,
    reuse_port: bool,
    ring: PacketRing,
    packet_ip: Option<IpAddr>,
    packet_port: u16,
    packet: Vec<u8>,
    scratch: Vec<u8>,
    stats: NetStats,
    /// Off unless set. Outgoing datagrams keep the destination computed when they were sent.
    cond: Option<Box<Conditioner<Option<SocketAddr>>>>,
    /// See [`PacketPeerUdp::get_last_error_text`].
    last_error: String,
}

impl Default for PacketPeerUdp {
    fn default() -> Self {
        Self::new()
    }
}

impl PacketPeerUdp {
    pub fn new() -> Self {
        PacketPeerUdp {
            base: PeerBase::default(),
            sock: None,
            server_owned: false,
            connected: false,
            dest: None,
            broadcast: false,
            blocking: true,
            reuse_address: false,
            reuse_port: false,
            ring: PacketRing::new(DEFAULT_RING_SIZE),
            packet_ip: None,
            packet_port: 0,
            packet: Vec::new(),
            scratch: Vec::new(),
            stats: NetStats::default(),
            cond: None,
            last_error: String::new(),
        }
    }

    /// Why the last failing call failed, in words, beside its code: the OS error of a bind,
    /// connect, send or receive (`"recv: Connection refused (os error 111)"` when a connected
    /// peer's destination has no listener), or the argument refused. `""` until a call fails;
    /// `bind`, `connect_to_host` and `close` clear it. Beyond the engine (which prints to its log).
    pub fn get_last_error_text(&self) -> &str {
        &self.last_error
    }

    /// Keeps `text` as the reason of `e` and returns `e`.
    fn fail(&mut self, e: Error, text: impl std::fmt::Display) -> Error {
        self.last_error = text.to_string();
        e
    }

    /// Puts a network conditioner between this peer and its socket, or removes it (`None`;
    /// datagrams it holds are dropped with it). ERR_INVALID_PARAMETER for bad options,
    /// ERR_UNAVAILABLE on a UDPServer's peer (the server reads its socket, not the peer).
    pub fn set_conditioner(&mut self, opts: Option<ConditionerOptions>) -> Result<()> {
        if self.server_owned {
            return Err(Error::Unavailable);
        }
        self.cond = match opts {
            Some(o) => Some(Box::new(Conditioner::new(o)?)),
            None => None,
        };
        Ok(())
    }

    /// What the conditioner did (None when there is none).
    pub fn conditioner_stats(&self) -> Option<ConditionerStats> {
        self.cond.as_ref().map(|c| c.stats())
    }

    /// Sends the held outgoing datagrams whose time has come (never blocks: a full socket loses
    /// them, counted as `send_failed`).
    fn release_outgoing(&mut self, now: Instant) {
        let Some(s) = self.sock.clone() else { return };
        while let Some((d, dest)) = self
            .cond
            .as_mut()
            .and_then(|c| c.pop_due(Direction::Outgoing, now))
        {
            let r = match &dest {
                None => s.sock.send(&d),
                Some(a) => s.sock.send_to(&d, a),
            };
            match r {
                Ok(_) => {
                    self.stats.packets_sent += 1;
                    self.stats.bytes_sent += d.len() as u64;
                }
                Err(_) => {
                    if let Some(c) = self.cond.as_mut() {
                        c.count_send_failed(Direction::Outgoing);
                    }
                }
            }
        }
    }

    /// Moves the held incoming datagrams whose time has come into the ring.
    fn release_incoming(&mut self, now: Instant) {
        while let Some((d, from)) = self
            .cond
            .as_mut()
            .and_then(|c| c.pop_due(Direction::Incoming, now))
        {
            let (ip, port) = from.map_or((IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), 0), |a| {
                (a.ip(), a.port())
            });
            if !self.ring.push(addr::to_bytes16(ip), port, &d) {
                self.stats.packets_dropped += 1;
                self.stats.bytes_dropped += d.len() as u64;
            }
        }
    }

    /// `put_packet` through the conditioner: the datagram is held, then due ones leave.
    fn conditioned_put(&mut self, data: &[u8]) -> Result<()> {
        let (_, dest) = self.send_target()?;
        let now = Instant::now();
        if let Some(c) = self.cond.as_mut() {
            c.offer(Direction::Outgoing, data, &dest, now);
        }
        self.release_outgoing(now);
        Ok(())
    }

    /// A peer of a UDPServer ("shared socket" mode): connected to `ip:port` through the server's
    /// socket, with the sender preset.
    pub(crate) fn new_shared(sock: Arc<UdpSock>, ip: IpAddr, port: u16) -> Self {
        let mut p = Self::new();
        p.sock = Some(sock);
        p.server_owned = true;
        p.connected = true;
        p.dest = Some((ip, port));
        p.packet_ip = Some(ip);
        p.packet_port = port;
        p
    }

    /// True while this peer belongs to the server whose socket is `sock`.
    pub(crate) fn is_shared_with(&self, sock: &Arc<UdpSock>) -> bool {
        self.server_owned && self.sock.as_ref().is_some_and(|s| Arc::ptr_eq(s, sock))
    }

    /// Called by the server: queue a datagram (drop and count when the ring is full).
    pub(crate) fn store_packet(&mut self, ip: IpAddr, port: u16, data: &[u8]) {
        self.stats.packets_received += 1;
        self.stats.bytes_received += data.len() as u64;
        if !self.ring.push(addr::to_bytes16(ip), port, data) {
            self.stats.packets_dropped += 1;
            self.stats.bytes_dropped += data.len() as u64;
        }
    }

    /// Called by the server's stop(): the peer becomes a closed, unbound peer.
    pub(crate) fn detach(&mut self) {
        self.sock = None;
        self.server_owned = false;
        self.connected = false;
    }

    fn open(&mut self, family: Family) -> std::io::Result<Arc<UdpSock>> {
        let s = Arc::new(UdpSock::open(family, self.reuse_address, self.reuse_port)?);
        // The engine applies the remembered flag on every open; a failure here is ignored like it.
        let _ = s.sock.set_broadcast(self.broadcast);
        self.sock = Some(s.clone());
        Ok(s)
    }

    /// `bind(port, bind_address = "*", recv_buf_size = 65536)`.
    pub fn bind(&mut self, port: i32, bind_address: &str, recv_buf_size: i32) -> Result<()> {
        if self.sock.is_some() {
            return Err(self.fail(Error::AlreadyInUse, "bind: the socket is already open"));
        }
        self.last_error.clear();
        let baddr = addr::parse_bind(bind_address).map_err(|e| {
            self.fail(
                e,
                format_args!("bind: {bind_address:?} is neither an IP address nor \"*\""),
            )
        })?;
        let port = addr::port_in_range(port, 0)
            .map_err(|e| self.fail(e, format_args!("bind: port {port} is not 0..65535")))?;
        let ring_size = ring::ring_size_for(recv_buf_size).ok_or_else(|| {
            self.fail(
                Error::InvalidParameter,
                format_args!("bind: recv_buf_size {recv_buf_size} is out of range"),
            )
        })?;
        let family = addr::family_for_bind(baddr);
        let local = addr::bind_sockaddr(family, baddr, port).map_err(|e| {
            self.fail(
                e,
                format_args!("bind: {bind_address:?} does not fit the socket"),
            )
        })?;
        let s = self
            .open(family)
            .map_err(|e| self.fail(Error::CantCreate, format_args!("socket: {e}")))?;
        let sref = socket2::SockRef::from(&s.sock);
        if let Err(e) = sref.bind(&local.into()) {
            self.sock = None;
            return Err(self.fail(Error::Unavailable, format_args!("bind {local}: {e}")));
        }
        self.ring.reset(ring_size);
        Ok(())
    }

    /// `close()`: closes the socket (or detaches from the owning UDPServer), empties the queue,
    /// ring back to 2^16, not connected. The destination address is kept (like the engine).
    pub fn close(&mut self) {
        self.last_error.clear();
        self.sock = None;
        self.server_owned = false;
        self.connected = false;
        self.ring.reset(DEFAULT_RING_SIZE);
    }

    /// `connect_to_host(host, port)`: `host` must be an IP literal.
    pub fn connect_to_host(&mut self, host: &str, port: i32) -> Result<()> {
        if self.server_owned {
            return Err(self.fail(Error::Locked, "connect_to_host: a UDPServer's peer"));
        }
        self.last_error.clear();
        let ip = addr::parse_ip(host).ok_or_else(|| {
            self.fail(
                Error::InvalidParameter,
                format_args!("connect_to_host: {host:?} is not an IP address"),
            )
        })?;
        let port = addr::port_in_range(port, 1).map_err(|e| {
            self.fail(
                e,
                format_args!("connect_to_host: port {port} is not 1..65535"),
            )
        })?;
        let s = match &self.sock {
            Some(s) => s.clone(),
            None => self
                .open(addr::family_of(ip))
                .map_err(|e| self.fail(Error::CantOpen, format_args!("socket: {e}")))?,
        };
        let r = match addr::sockaddr_for(s.family, ip, port) {
            Ok(sa) => s.sock.connect(sa).map_err(|e| e.to_string()),
            Err(_) => Err("the address family does not match the bound socket".to_string()),
        };
        if let Err(why) = r {
            self.close();
            let at = SocketAddr::new(ip, port);
            return Err(self.fail(Error::Failed, format_args!("connect {at}: {why}")));
        }
        self.connected = true;
        self.dest = Some((ip, port));
        self.ring.clear();
        Ok(())
    }

    /// `is_socket_connected()`.
    pub fn is_socket_connected(&self) -> bool {
        self.connected
    }

    /// `set_dest_address(host, port)`: resolves names (blocking).
    pub fn set_dest_address(&mut self, host: &str, port: i32) -> Result<()> {
        let port = addr::port_in_range(port, 0)?;
        let ip = addr::resolve(host)?;
        if self.connected {
            return Err(Error::Unavailable);
        }
        self.dest = Some((ip, port));
        Ok(())
    }

    /// Sender of the last packet returned (for a connected socket: the connected address).
    pub fn get_packet_ip(&self) -> Option<IpAddr> {
        self.packet_ip
    }

    /// Godot's text of [`get_packet_ip`](Self::get_packet_ip) (`""` before any packet).
    pub fn get_packet_ip_string(&self) -> String {
        self.packet_ip.map(addr::ip_to_string).unwrap_or_default()
    }

    pub fn get_packet_port(&self) -> u16 {
        self.packet_port
    }

    /// Local port, 0 if not bound.
    pub fn get_local_port(&self) -> u16 {
        self.sock.as_ref().map(|s| s.local_port()).unwrap_or(0)
    }

    /// Socket open.
    pub fn is_bound(&self) -> bool {
        self.sock.is_some()
    }

    /// `wait()`: blocks until a packet can be read. OK at once if one is already queued.
    pub fn wait(&mut self) -> Result<()> {
        self.wait_timeout(-1)
    }

    /// `wait()` with a bound: ERR_BUSY when `timeout_ms` passes first (negative = forever);
    /// ERR_UNCONFIGURED if the socket is not open; FAILED on poll error.
    pub fn wait_timeout(&mut self, timeout_ms: i32) -> Result<()> {
        let s = self.sock.clone().ok_or(Error::Unconfigured)?;
        if self.ring.count() > 0 {
            return Ok(());
        }
        if self.cond.is_none() {
            return wait_fd(s.fd(), sys::POLL_IN, timeout_ms);
        }
        // A held datagram is due at a time of its own: wake up for it, release it, and go on
        // waiting until the caller's bound when nothing came out.
        let deadline = u64::try_from(timeout_ms)
            .ok()
            .map(|ms| Instant::now() + std::time::Duration::from_millis(ms));
        loop {
            self.drain()?;
            if self.ring.count() > 0 {
                return Ok(());
            }
            let now = Instant::now();
            let left = deadline.map(|d| d.saturating_duration_since(now));
            let next =
                self.cond.as_ref().and_then(|c| c.next_due()).map(|d| {
                    d.saturating_duration_since(now) + std::time::Duration::from_millis(1)
                });
            let wait = match (left, next) {
                (Some(l), Some(n)) => Some(l.min(n)),
                (l, n) => l.or(n),
            };
            let ms = wait.map_or(-1, |w| i32::try_from(w.as_millis()).unwrap_or(i32::MAX));
            match wait_fd(s.fd(), sys::POLL_IN, ms) {
                Err(Error::Busy) if deadline.is_none_or(|d| Instant::now() < d) => continue,
                r => {
                    if r.is_ok() {
                        // Readable: the datagram may still be held; go round to see.
                        continue;
                    }
                    return r;
                }
            }
        }
    }

    /// `set_broadcast_enabled`: applied now if open, remembered for later opens. ERR_LOCKED on a
    /// UDPServer peer (the engine ignores it with a message).
    pub fn set_broadcast_enabled(&mut self, enabled: bool) -> Result<()> {
        if self.server_owned {
            return Err(Error::Locked);
        }
        self.broadcast = enabled;
        if let Some(s) = self.sock.clone() {
            s.sock
                .set_broadcast(enabled)
                .map_err(|e| self.fail(Error::Failed, format_args!("SO_BROADCAST: {e}")))?;
        }
        Ok(())
    }

    pub fn is_broadcast_enabled(&self) -> bool {
        self.broadcast
    }

    /// Redot's `set_reuse_address`: SO_REUSEADDR at the next bind.
    pub fn set_reuse_address(&mut self, enabled: bool) -> Result<()> {
        if self.server_owned {
            return Err(Error::Locked);
        }
        self.reuse_address = enabled;
        Ok(())
    }

    /// Redot's `set_reuse_port`: SO_REUSEPORT at the next bind (no-op where the OS has none).
    pub fn set_reuse_port(&mut self, enabled: bool) -> Result<()> {
        if self.server_owned {
            return Err(Error::Locked);
        }
        self.reuse_port = enabled;
        Ok(())
    }

    /// The engine's internal `set_blocking_mode`: true (default) makes a send on a full socket
    /// wait; false makes it return ERR_BUSY.
    pub fn set_blocking_mode(&mut self, blocking: bool) {
        self.blocking = blocking;
    }

    pub fn is_blocking_mode(&self) -> bool {
        self.blocking
    }

    pub fn join_multicast_group(&mut self, group: &str, interface: &str) -> Result<()> {
        self.change_multicast(group, interface, true)
    }

    pub fn leave_multicast_group(&mut self, group: &str, interface: &str) -> Result<()> {
        self.change_multicast(group, interface, false)
    }

    fn change_multicast(&mut self, group: &str, interface: &str, join: bool) -> Result<()> {
        if self.server_owned {
            return Err(Error::Locked);
        }
        let ip = addr::parse_ip(group).ok_or(Error::InvalidParameter)?;
        let s = match &self.sock {
            Some(s) => s.clone(),
            None if join => self
                .open(addr::family_of(ip))
                .map_err(|e| self.fail(Error::Failed, format_args!("socket: {e}")))?,
            None => return Err(Error::Unconfigured),
        };
        match (ip, s.family) {
            (IpAddr::V4(g), Family::V4 | Family::Any) => {
                let if_ip = sys::interface_first_ipv4(interface).ok_or(Error::InvalidParameter)?;
                let r = if join {
                    s.sock.join_multicast_v4(&g, &if_ip)
                } else {
                    s.sock.leave_multicast_v4(&g, &if_ip)
                };
                r.map_err(|e| self.fail(Error::Failed, format_args!("multicast group {g}: {e}")))
            }
            (IpAddr::V6(g), Family::V6 | Family::Any) => {
                let idx = sys::interface_index(interface).ok_or(Error::InvalidParameter)?;
                let r = if join {
                    s.sock.join_multicast_v6(&g, idx)
                } else {
                    s.sock.leave_multicast_v6(&g, idx)
                };
                r.map_err(|e| self.fail(Error::Failed, format_args!("multicast group {g}: {e}")))
            }
            _ => Err(Error::InvalidParameter),
        }
    }

    /// The destination as text for error messages.
    fn dest_text(&self) -> String {
        match self.dest {
            Some((ip, port)) => SocketAddr::new(ip, port).to_string(),
            None => "(none)".to_string(),
        }
    }

    /// Traffic counters.
    pub fn stats(&self) -> NetStats {
        self.stats
    }

    /// Ring size in bytes (2^16 unbound, per the sizing rule after bind).
    pub fn receive_ring_size(&self) -> usize {
        self.ring.capacity()
    }

    /// Reads every pending datagram into the ring (the engine's `_poll`); with a conditioner,
    /// through it, and releases what is due both ways.
    fn drain(&mut self) -> Result<()> {
        if self.cond.is_none() {
            return self.drain_socket();
        }
        let now = Instant::now();
        self.release_outgoing(now);
        let r = self.drain_socket();
        self.release_incoming(now);
        r
    }

    fn drain_socket(&mut self) -> Result<()> {
        let s = self
            .sock
            .clone()
            .ok_or_else(|| self.fail(Error::Failed, "recv: the socket is not open"))?;
        if self.server_owned {
            return Ok(());
        }
        if self.scratch.len() < DRAIN_BATCH * RECV_BUFFER_SIZE {
            self.scratch = vec![0; DRAIN_BATCH * RECV_BUFFER_SIZE];
        }
        let conn = if self.connected { self.dest } else { None };
        let mut meta = [RecvMeta {
            len: 0,
            truncated: false,
            addr: None,
        }; DRAIN_BATCH];
        loop {
            let mut chunks = self.scratch.chunks_mut(RECV_BUFFER_SIZE);
            let mut slots: [&mut [u8]; DRAIN_BATCH] =
                std::array::from_fn(|_| chunks.next().unwrap_or(&mut []));
            let got = match sys::recv_batch(s.fd(), &mut slots, &mut meta) {
                Ok(n) => n,
                Err(e) if would_block(&e) => return Ok(()),
                Err(e) if interrupted(&e) => continue,
                Err(e) => return Err(self.fail(Error::Failed, format_args!("recv: {e}"))),
            };
            for (i, m) in meta.iter().take(got).enumerate() {
                let (ip, port) = match (conn, m.addr) {
                    (Some(c), _) => c,
                    (None, Some(a)) => (addr::canonical(a.ip()), a.port()),
                    (None, None) => continue,
                };
                let start = i * RECV_BUFFER_SIZE;
                let data = &self.scratch[start..start + m.len];
                self.stats.packets_received += 1;
                self.stats.bytes_received += m.len as u64;
                if let Some(c) = self.cond.as_mut() {
                    let from = Some(SocketAddr::new(ip, port));
                    c.offer(Direction::Incoming, data, &from, Instant::now());
                    continue;
                }
                if !self.ring.push(addr::to_bytes16(ip), port, data) {
                    self.stats.packets_dropped += 1;
                    self.stats.bytes_dropped += m.len as u64;
                }
            }
            if got < DRAIN_BATCH {
                return Ok(());
            }
        }
    }

    fn send_target(&mut self) -> Result<(Arc<UdpSock>, Option<SocketAddr>)> {
        let (ip, port) = self.dest.ok_or_else(|| {
            self.fail(
                Error::Unconfigured,
                "send: no destination (set_dest_address or connect_to_host)",
            )
        })?;
        let s = match &self.sock {
            Some(s) => s.clone(),
            None => self
                .open(addr::family_of(ip))
                .map_err(|e| self.fail(Error::Failed, format_args!("socket: {e}")))?,
        };
        if self.connected && !self.server_owned {
            Ok((s, None))
        } else {
            let sa = addr::sockaddr_for(s.family, ip, port)?;
            Ok((s, Some(sa)))
        }
    }

    /// Sends several datagrams to the destination with as few system calls as the OS allows
    /// (sendmmsg). Blocking mode: returns when all were sent. Non-blocking mode: returns the count
    /// sent (ERR_BUSY if none could be). An OS error on the first datagram is FAILED; on a later
    /// one the count so far is returned.
    pub fn put_packets(&mut self, packets: &[&[u8]]) -> Result<usize> {
        if self.cond.is_some() {
            for p in packets {
                self.conditioned_put(p)?;
            }
            return Ok(packets.len());
        }
        let (s, dest) = self.send_target()?;
        let mut sent = 0;
        while sent < packets.len() {
            match sys::send_batch(s.fd(), &packets[sent..], dest.as_ref()) {
                Ok(n) => {
                    for p in &packets[sent..sent + n] {
                        self.stats.packets_sent += 1;
                        self.stats.bytes_sent += p.len() as u64;
                    }
                    sent += n;
                    if n == 0 {
                        break;
                    }
                }
                Err(e) if would_block(&e) => {
                    if !self.blocking {
                        break;
                    }
                    wait_fd(s.fd(), sys::POLL_OUT, -1)?;
                }
                Err(e) if interrupted(&e) => {}
                Err(e) => {
                    let to = self.dest_text();
                    let e = self.fail(Error::Failed, format_args!("send to {to}: {e}"));
                    if sent == 0 {
                        return Err(e);
                    }
                    break;
                }
            }
        }
        if sent == 0 && !packets.is_empty() {
            return Err(Error::Busy);
        }
        Ok(sent)
    }

    /// Takes queued datagrams into `buf`: first those already in the ring, then fresh ones straight
    /// from the OS (recvmmsg, no copy). `buf` is cut into `infos.len()` equal slots; datagram i lands
    /// at `infos[i].offset` = i × slot, and one longer than a slot is cut and flagged `truncated`.
    /// Returns the count (0 when nothing is pending). FAILED if the socket is not open or the OS
    /// reports a receive error. Updates `get_packet_ip/port` to the last datagram returned.
    pub fn get_packets(&mut self, buf: &mut [u8], infos: &mut [PacketInfo]) -> Result<usize> {
        let s = self
            .sock
            .clone()
            .ok_or_else(|| self.fail(Error::Failed, "recv: the socket is not open"))?;
        if infos.is_empty() {
            return Ok(0);
        }
        if self.cond.is_some() {
            // Everything goes through the ring, where the conditioner releases it.
            self.drain()?;
        }
        let slot = buf.len() / infos.len();
        let mut n = 0;
        // Queued first, to keep arrival order.
        while n < infos.len() && self.ring.count() > 0 {
            let size = self.ring.peek_size().unwrap_or(0);
            let start = n * slot;
            let dst = &mut buf[start..start + slot];
            let rec = if size <= slot {
                self.ring.pop_into_slice(dst)
            } else {
                let mut tmp = std::mem::take(&mut self.packet);
                let r = self.ring.pop_into(&mut tmp);
                dst.copy_from_slice(&tmp[..slot]);
                self.packet = tmp;
                r
            };
            let Some(rec) = rec else { break };
            infos[n] = PacketInfo {
                offset: start,
                len: size.min(slot),
                ip: addr::from_bytes16(rec.addr),
                port: rec.port,
                truncated: size > slot,
            };
            n += 1;
        }
        if !self.server_owned && slot > 0 && self.cond.is_none() {
            let conn = if self.connected { self.dest } else { None };
            let mut meta = [RecvMeta {
                len: 0,
                truncated: false,
                addr: None,
            }; sys::BATCH_MAX];
            while n < infos.len() {
                let mut slots: Vec<&mut [u8]> =
                    buf[n * slot..infos.len() * slot].chunks_mut(slot).collect();
                let want = slots.len().min(sys::BATCH_MAX);
                let got = match sys::recv_batch(s.fd(), &mut slots[..want], &mut meta[..want]) {
                    Ok(g) => g,
                    Err(e) if would_block(&e) => break,
                    Err(e) if interrupted(&e) => continue,
                    Err(e) => {
                        let e = self.fail(Error::Failed, format_args!("recv: {e}"));
                        if n > 0 {
                            break;
                        }
                        return Err(e);
                    }
                };
                for m in meta.iter().take(got) {
                    let (ip, port) = match (conn, m.addr) {
                        (Some(c), _) => c,
                        (None, Some(a)) => (addr::canonical(a.ip()), a.port()),
                        (None, None) => (IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), 0),
                    };
                    self.stats.packets_received += 1;
                    self.stats.bytes_received += m.len as u64;
                    infos[n] = PacketInfo {
                        offset: n * slot,
                        len: m.len,
                        ip,
                        port,
                        truncated: m.truncated,
                    };
                    n += 1;
                }
                if got < want {
                    break;
                }
            }
        }
        if let Some(last) = n.checked_sub(1).and_then(|i| infos.get(i)) {
            self.packet_ip = Some(last.ip);
            self.packet_port = last.port;
        }
        Ok(n)
    }
}

impl PacketPeer for PacketPeerUdp {
    /// Drains the socket; -1 if it is not open or on a receive error.
    fn get_available_packet_count(&mut self) -> i32 {
        match self.drain() {
            Ok(()) => self.ring.count().min(i32::MAX as usize) as i32,
            Err(_) => -1,
        }
    }

    /// Drains the socket only when the queue is empty (see the module docs), then pops.
    fn get_packet(&mut self) -> Result<&[u8]> {
        if self.ring.count() == 0 || self.sock.is_none() {
            self.drain()?;
        }
        let rec = self
            .ring
            .pop_into(&mut self.packet)
            .ok_or(Error::Unavailable)?;
        self.packet_ip = Some(addr::from_bytes16(rec.addr));
        self.packet_port = rec.port;
        Ok(&self.packet)
    }

    fn put_packet(&mut self, data: &[u8]) -> Result<()> {
        if self.cond.is_some() {
            return self.conditioned_put(data);
        }
        let (s, dest) = self.send_target()?;
        loop {
            let r = match &dest {
                None => s.sock.send(data),
                Some(d) => s.sock.send_to(data, d),
            };
            match r {
                Ok(_) => {
                    self.stats.packets_sent += 1;
                    self.stats.bytes_sent += data.len() as u64;
                    return Ok(());
                }
                Err(e) if would_block(&e) => {
                    if !self.blocking {
                        return Err(Error::Busy);
                    }
                    wait_fd(s.fd(), sys::POLL_OUT, -1)?;
                }
                Err(e) if interrupted(&e) => {}
                Err(e) => {
                    let to = self.dest_text();
                    return Err(self.fail(Error::Failed, format_args!("send to {to}: {e}")));
                }
            }
        }
    }

    /// Always 512 (nominal, not enforced), like the engine.
    fn get_max_packet_size(&self) -> i32 {
        512
    }

    /// The next datagram straight into `buf` (cut to `buf.len()`); `Ok(None)` when none is waiting.
    /// The same datagrams in the same order as `get_packet`: the queued ones first; with nothing
    /// queued, a connected peer with a socket of its own reads one datagram from the socket into
    /// `buf` directly (one `recv(2)`: no batch whose second slot comes back empty, no trip through
    /// the ring, one copy less). The DTLS read path uses it. FAILED if the socket is not open or the
    /// OS reports a receive error (as `get_packet`).
    fn get_packet_into(&mut self, buf: &mut [u8]) -> Result<Option<usize>> {
        if self.ring.count() == 0 {
            if self.sock.is_none() {
                return Err(self.fail(Error::Failed, "recv: the socket is not open"));
            }
            let Some(s) = self.sock.as_ref() else {
                return Err(Error::Failed);
            };
            if self.connected && !self.server_owned {
                let dest = self.dest;
                loop {
                    match s.sock.recv(buf) {
                        Ok(n) => {
                            self.stats.packets_received += 1;
                            self.stats.bytes_received += n as u64;
                            if let Some((ip, port)) = dest {
                                self.packet_ip = Some(ip);
                                self.packet_port = port;
                            }
                            return Ok(Some(n));
                        }
                        Err(e) if would_block(&e) => return Ok(None),
                        Err(e) if interrupted(&e) => {}
                        Err(e) => return Err(self.fail(Error::Failed, format_args!("recv: {e}"))),
                    }
                }
            }
            self.drain()?;
        }
        let Some(size) = self.ring.peek_size() else {
            return Ok(None);
        };
        let rec = if size <= buf.len() {
            self.ring.pop_into_slice(buf)
        } else {
            let r = self.ring.pop_into(&mut self.packet);
            buf.copy_from_slice(&self.packet[..buf.len()]);
            r
        };
        let Some(rec) = rec else { return Ok(None) };
        self.packet_ip = Some(addr::from_bytes16(rec.addr));
        self.packet_port = rec.port;
        Ok(Some(size.min(buf.len())))
    }

    fn base(&self) -> &PeerBase {
        &self.base
    }

    fn base_mut(&mut self) -> &mut PeerBase {
        &mut self.base
    }
}
