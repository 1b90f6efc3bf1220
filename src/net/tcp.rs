//! StreamPeerTCP (`docs/classes.md` §4): a non-blocking TCP client stream, also what TCPServer hands out.
//!
//! The engine's state machine (NONE / CONNECTING / CONNECTED / ERROR), connect deadline (30 s by
//! default, settable), poll rules (peer closed → NONE) and read/write semantics. Sockets are
//! non-blocking and close-on-exec; every send uses MSG_NOSIGNAL, so a closed peer never raises SIGPIPE.
//!
//! Beyond the engine:
//! - **Write modes.** Blocking (default, the engine's `put_data`: waits until every byte is written)
//!   or non-blocking (`set_blocking_writes(false)`): `put_data` then either accepts *all* the bytes —
//!   writing what the OS takes now and queueing the rest in a bounded output buffer that `poll`,
//!   `flush` and the next write push out — or returns ERR_BUSY having accepted none, so frames are
//!   never cut. The queue holds at most `max(out_buffer_max, one put_data)` bytes.
//! - **Coalescing** (`set_write_coalescing(true)`): `put_data` appends to the output buffer without
//!   a system call while it fits; `poll`/`flush` (or a write that does not fit) sends everything
//!   with one vectored send. Many small frames then cost one system call. Reads are batched the
//!   same way: while output is queued, once a non-blocking read has found nothing, further
//!   non-blocking reads return 0 bytes without asking the OS until the next `flush`/`poll` (or a
//!   write that sends). PacketPeerStream pulls before every `put_packet`; without this each
//!   coalesced frame would still cost a system call. Blocking reads always ask the OS.
//! - **Cheaper empty reads.** After a non-blocking read found nothing, the next non-blocking read
//!   first asks a per-thread readiness set (epoll on Linux, [`sys::stream_readable`]) and skips the
//!   `recv` when nothing (no data, no close, no error) is waiting — the same result for about half
//!   the cost. PacketPeerStream reads before every `put_packet`, and most of those reads find nothing.
//! - **Fewer reads in a burst of writes.** PacketPeerStream reads before every `put_packet` (the
//!   engine's pull, which keeps input flowing and notices a closed peer). Within a burst — once a
//!   read has found nothing, for at most [`WRITE_BURST_SKIPPED_READS`] such pre-write reads
//!   ([`StreamPeer::skip_read_before_write`]) in a row, within the same tick of a coarse
//!   clock (a few milliseconds at most, [`sys::coarse_clock_ns`]), and while nothing else looks at
//!   the socket's input (any other read, `poll`, `wait` or `get_available_bytes` makes the next one
//!   ask again) — they answer 0 without asking the OS. A skipped read gives the answer a real one
//!   gives when the bytes (or the close) arrive just after it: bytes are seen a call later (the next
//!   `get_packet` reads them as before; it never skips), and a close that arrives during a burst is
//!   reported by the first read that asks. The one visible difference: writes made in a burst after
//!   the remote closed can draw a reset, reported as FAILED (by the write or the next read) where
//!   the engine, had the close arrived before its pull, reports FILE_EOF — as it does itself when
//!   the close arrives between its pull and its write. A burst of immediate-mode `put_packet`s then
//!   costs one system call per frame, as a plain write loop does, instead of two.
//! - Counters ([`StreamPeerTcp::stats`]).
//!
//! Differences from the engine (only helping callers):
//! - A non-blocking partial write reports the bytes really sent (the engine reports 0 when the
//!   socket fills after a partial send, although those bytes went out).
//! - `bind` closes the socket again when the OS bind fails (the engine leaves it open, so a
//!   retry gets ERR_ALREADY_IN_USE).
#![forbid(unsafe_code)]

use std::cell::Cell;
use std::io::{IoSlice, Read};
use std::net::IpAddr;
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use socket2::{Domain, Protocol, Socket, Type};

use super::addr::{self, Family};
use super::{interrupted, sys, wait_fd, would_block, NetStats};
use crate::error::{Error, Result};
use crate::peer::StreamPeer;

/// The engine's `network/limits/tcp/connect_timeout_seconds` default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default bound of the output buffer used by coalescing and non-blocking writes.
pub const DEFAULT_OUT_BUFFER_MAX: usize = 1 << 16;

/// How many pre-write reads in a row may answer 0 without asking the OS after a read found nothing
/// (see the module docs): the closed-peer check of a burst of `put_packet`s runs at least once
/// every `WRITE_BURST_SKIPPED_READS + 1` writes.
pub const WRITE_BURST_SKIPPED_READS: u8 = 63;

/// StreamPeerTCP.Status, numbered like the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum TcpStatus {
    None = 0,
    Connecting = 1,
    Connected = 2,
    Error = 3,
}

/// What `wait` waits for (the engine's NetSocket::PollType numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum PollType {
    In = 0,
    Out = 1,
    InOut = 2,
}

impl TryFrom<i32> for PollType {
    type Error = Error;
    fn try_from(v: i32) -> Result<PollType> {
        match v {
            0 => Ok(PollType::In),
            1 => Ok(PollType::Out),
            2 => Ok(PollType::InOut),
            _ => Err(Error::InvalidParameter),
        }
    }
}

/// Godot's StreamPeerTCP.
#[derive(Debug)]
pub struct StreamPeerTcp {
    sock: Option<Socket>,
    family: Family,
    status: TcpStatus,
    peer: Option<(IpAddr, u16)>,
    deadline: Option<Instant>,
    connect_timeout: Duration,
    big_endian: bool,
    blocking_writes: bool,
    coalesce: bool,
    out: Vec<u8>,
    out_pos: usize,
    out_max: usize,
    /// Coalescing: a non-blocking read found nothing while output was queued (see `read_inner`).
    read_idle: bool,
    /// The last non-blocking read found nothing: the next one first asks the cheap readiness probe
    /// ([`sys::stream_readable`]) and skips the `recv` when it says nothing is waiting.
    probe_armed: bool,
    /// Which thread's probe set the socket is registered in (0: none yet).
    probe_set: u64,
    /// The last read found nothing and nothing has looked at the socket's input since (reads with
    /// data, `poll`, `wait`, `get_available_bytes` clear it): pre-write reads may skip the OS.
    /// A `Cell` because `wait` and `get_available_bytes` take `&self`.
    quiet: Cell<bool>,
    /// Pre-write reads skipped since the last real read (at most `WRITE_BURST_SKIPPED_READS`).
    quiet_skips: u8,
    /// [`sys::coarse_clock_ns`] when the last read found nothing: skipping stops at the next tick.
    quiet_tick: Option<u64>,
    stats: NetStats,
    /// Why the last connect failed, in words (OS error text, timeout); empty when none did.
    last_error: String,
}

impl Default for StreamPeerTcp {
    fn default() -> Self {
        Self::new()
    }
}

fn open_tcp(family: Family) -> std::io::Result<Socket> {
    let domain = match family {
        Family::V4 => Domain::IPV4,
        Family::V6 | Family::Any => Domain::IPV6,
    };
    let s = Socket::new(domain, Type::STREAM, Some(Protocol::TCP))?;
    if family != Family::V4 {
        s.set_only_v6(family == Family::V6)?;
    }
    s.set_nonblocking(true)?;
    sys::no_sigpipe(&s)?;
    Ok(s)
}

impl StreamPeerTcp {
    pub fn new() -> Self {
        StreamPeerTcp {
            sock: None,
            family: Family::Any,
            status: TcpStatus::None,
            peer: None,
            deadline: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            big_endian: false,
            blocking_writes: true,
            coalesce: false,
            out: Vec::new(),
            out_pos: 0,
            out_max: DEFAULT_OUT_BUFFER_MAX,
            read_idle: false,
            probe_armed: false,
            probe_set: 0,
            quiet: Cell::new(false),
            quiet_skips: 0,
            quiet_tick: None,
            stats: NetStats::default(),
            last_error: String::new(),
        }
    }

    /// A connection accepted by TCPServer: CONNECTED, remote address recorded.
    pub(crate) fn from_accepted(sock: Socket, ip: IpAddr, port: u16) -> Result<Self> {
        sock.set_nonblocking(true).map_err(|_| Error::Failed)?;
        sys::no_sigpipe(&sock).map_err(|_| Error::Failed)?;
        let mut p = Self::new();
        p.sock = Some(sock);
        p.status = TcpStatus::Connected;
        p.peer = Some((ip, port));
        Ok(p)
    }

    /// `bind(port, host = "*")`, before connecting.
    pub fn bind(&mut self, port: i32, host: &str) -> Result<()> {
        if self.sock.is_some() {
            return Err(Error::AlreadyInUse);
        }
        let port = addr::port_in_range(port, 0)?;
        let baddr = addr::parse_bind(host)?;
        let family = addr::family_for_bind(baddr);
        let local = addr::bind_sockaddr(family, baddr, port)?;
        let s = open_tcp(family).map_err(|_| Error::CantCreate)?;
        if s.bind(&local.into()).is_err() {
            return Err(Error::Unavailable);
        }
        self.sock = Some(s);
        self.probe_set = 0;
        self.family = family;
        Ok(())
    }

    /// `connect_to_host(host, port)`: resolves names (blocking). OK with status CONNECTING (or
    /// CONNECTED when the OS finished at once).
    pub fn connect_to_host(&mut self, host: &str, port: i32) -> Result<()> {
        // Resolve first, as the engine's connect_to_host(String) does.
        let ip = addr::resolve(host).inspect_err(|_| {
            if self.status == TcpStatus::None {
                self.last_error = format!("cannot resolve host {host:?}");
            }
        })?;
        if self.status != TcpStatus::None {
            return Err(Error::AlreadyInUse);
        }
        self.last_error.clear();
        let port = addr::port_in_range(port, 1)?;
        self.deadline = Some(Instant::now() + self.connect_timeout);
        if self.sock.is_none() {
            let family = addr::family_of(ip);
            let sock = open_tcp(family).map_err(|e| {
                self.last_error = format!("socket: {e}");
                Error::CantCreate
            })?;
            self.sock = Some(sock);
            self.probe_set = 0;
            self.family = family;
        }
        let target = addr::sockaddr_for(self.family, ip, port);
        let r = match (&self.sock, target) {
            (Some(s), Ok(t)) => s.connect(&t.into()),
            _ => {
                self.disconnect_from_host();
                return Err(Error::Failed);
            }
        };
        match r {
            Ok(()) => self.status = TcpStatus::Connected,
            Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) || would_block(&e) => {
                self.status = TcpStatus::Connecting
            }
            Err(e) => {
                self.disconnect_from_host();
                self.last_error = format!("connect: {e}");
                return Err(Error::Failed);
            }
        }
        self.peer = Some((ip, port));
        Ok(())
    }

    /// `poll()`: advances a pending connect (deadline → ERROR + ERR_CONNECTION_ERROR), notices a
    /// closed peer (→ NONE, OK) or a socket error (→ ERROR, the error). Also pushes queued output.
    pub fn poll(&mut self) -> Result<()> {
        self.read_idle = false;
        self.quiet.set(false);
        match self.status {
            TcpStatus::Connected => {
                let fd = match &self.sock {
                    Some(s) => s.as_raw_fd(),
                    None => return Ok(()),
                };
                if let Ok(rev) = sys::poll_fd(fd, sys::POLL_IN, 0) {
                    if rev != 0 && sys::bytes_available(fd).unwrap_or(0) == 0 {
                        // FIN (or reset) received.
                        self.disconnect_from_host();
                        return Ok(());
                    }
                }
                match wait_fd(fd, sys::POLL_IN | sys::POLL_OUT, 0) {
                    Ok(()) | Err(Error::Busy) => {}
                    Err(e) => {
                        self.disconnect_from_host();
                        self.status = TcpStatus::Error;
                        return Err(e);
                    }
                }
                match self.flush_inner(false) {
                    Ok(()) | Err(Error::Busy) => Ok(()),
                    Err(e) => {
                        self.status = TcpStatus::Error;
                        Err(e)
                    }
                }
            }
            TcpStatus::Connecting => {
                let (ip, port) = self.peer.ok_or(Error::Bug)?;
                let r = match (&self.sock, addr::sockaddr_for(self.family, ip, port)) {
                    (Some(s), Ok(t)) => s.connect(&t.into()),
                    _ => Err(std::io::Error::from_raw_os_error(libc::EBADF)),
                };
                match r {
                    Ok(()) => {
                        self.status = TcpStatus::Connected;
                        Ok(())
                    }
                    Err(e) if e.raw_os_error() == Some(libc::EISCONN) => {
                        self.status = TcpStatus::Connected;
                        Ok(())
                    }
                    Err(e)
                        if matches!(e.raw_os_error(), Some(libc::EINPROGRESS | libc::EALREADY))
                            || would_block(&e)
                            || interrupted(&e) =>
                    {
                        if self.deadline.is_some_and(|d| Instant::now() > d) {
                            self.disconnect_from_host();
                            self.status = TcpStatus::Error;
                            self.last_error = format!(
                                "connect timed out after {} ms",
                                self.connect_timeout.as_millis()
                            );
                            return Err(Error::ConnectionError);
                        }
                        Ok(())
                    }
                    Err(e) => {
                        self.disconnect_from_host();
                        self.status = TcpStatus::Error;
                        self.last_error = format!("connect: {e}");
                        Err(Error::ConnectionError)
                    }
                }
            }
            _ => Ok(()),
        }
    }

    pub fn get_status(&self) -> TcpStatus {
        self.status
    }

    /// Why the last connect failed (`"connect: Connection refused (os error 111)"`, `"connect timed
    /// out after 30000 ms"`, ...); empty when the last one did not fail. Not a Godot method.
    pub fn get_last_error_text(&self) -> &str {
        &self.last_error
    }

    /// Closes the socket; status NONE; address cleared; queued output discarded.
    pub fn disconnect_from_host(&mut self) {
        self.sock = None;
        self.quiet.set(false);
        self.probe_set = 0;
        self.probe_armed = false;
        self.status = TcpStatus::None;
        self.peer = None;
        self.deadline = None;
        self.out.clear();
        self.out_pos = 0;
    }

    /// Remote address (None when not connected / connecting).
    pub fn get_connected_host(&self) -> Option<IpAddr> {
        self.peer.map(|p| p.0)
    }

    /// Godot's text of the remote address (`""` when none).
    pub fn get_connected_host_string(&self) -> String {
        self.peer
            .map(|p| addr::ip_to_string(p.0))
            .unwrap_or_default()
    }

    pub fn get_connected_port(&self) -> u16 {
        self.peer.map(|p| p.1).unwrap_or(0)
    }

    /// 0 if not bound.
    pub fn get_local_port(&self) -> u16 {
        self.sock
            .as_ref()
            .and_then(|s| s.local_addr().ok())
            .and_then(|a| a.as_socket())
            .map(|a| a.port())
            .unwrap_or(0)
    }

    /// TCP_NODELAY. ERR_UNCONFIGURED if the socket is not open (the engine fails silently).
    pub fn set_no_delay(&mut self, enabled: bool) -> Result<()> {
        let s = self.sock.as_ref().ok_or(Error::Unconfigured)?;
        s.set_tcp_nodelay(enabled).map_err(|_| Error::Failed)
    }

    /// Waits up to `timeout_ms` (negative: forever) for the socket to be ready. ERR_UNAVAILABLE if
    /// no socket; ERR_BUSY on timeout; FAILED on error.
    pub fn wait(&self, what: PollType, timeout_ms: i32) -> Result<()> {
        self.quiet.set(false);
        let s = self.sock.as_ref().ok_or(Error::Unavailable)?;
        let ev = match what {
            PollType::In => sys::POLL_IN,
            PollType::Out => sys::POLL_OUT,
            PollType::InOut => sys::POLL_IN | sys::POLL_OUT,
        };
        wait_fd(s.as_raw_fd(), ev, timeout_ms)
    }

    /// The connect deadline used by later `connect_to_host` calls (the engine's project setting).
    pub fn set_connect_timeout(&mut self, timeout: Duration) {
        self.connect_timeout = timeout;
    }

    pub fn get_connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// Blocking (default) or non-blocking `put_data` (see the module docs).
    pub fn set_blocking_writes(&mut self, blocking: bool) {
        self.blocking_writes = blocking;
    }

    pub fn is_blocking_writes(&self) -> bool {
        self.blocking_writes
    }

    /// Turns write coalescing on or off. Turning it off does not send what is queued: call
    /// `flush` or `poll`.
    pub fn set_write_coalescing(&mut self, enabled: bool) {
        self.coalesce = enabled;
        self.read_idle = false;
    }

    pub fn is_write_coalescing(&self) -> bool {
        self.coalesce
    }

    /// Bound of the output buffer (at least 1 byte).
    pub fn set_out_buffer_max_size(&mut self, max: usize) {
        self.out_max = max.max(1);
    }

    pub fn get_out_buffer_max_size(&self) -> usize {
        self.out_max
    }

    /// Bytes queued for sending.
    pub fn get_queued_bytes(&self) -> usize {
        self.out.len() - self.out_pos
    }

    /// Sends everything queued. Blocking write mode: waits until done. Non-blocking: sends what
    /// the OS takes now; ERR_BUSY if bytes remain. FAILED (connection closed) on a socket error or
    /// when not connected.
    pub fn flush(&mut self) -> Result<()> {
        if self.status != TcpStatus::Connected {
            return Err(Error::Failed);
        }
        let blocking = self.blocking_writes;
        self.flush_inner(blocking)
    }

    pub fn stats(&self) -> NetStats {
        self.stats
    }

    fn flush_inner(&mut self, block: bool) -> Result<()> {
        self.read_idle = false;
        self.write_with_queue(&[], block).map(|_| ())
    }

    /// One vectored send of `queued + data[..]`, MSG_NOSIGNAL.
    fn send2(&self, data: &[u8]) -> std::io::Result<usize> {
        let s = self
            .sock
            .as_ref()
            .ok_or_else(|| std::io::Error::from_raw_os_error(libc::ENOTCONN))?;
        let q = &self.out[self.out_pos..];
        if q.is_empty() {
            s.send_with_flags(data, sys::SEND_FLAGS)
        } else if data.is_empty() {
            s.send_with_flags(q, sys::SEND_FLAGS)
        } else {
            s.send_vectored_with_flags(&[IoSlice::new(q), IoSlice::new(data)], sys::SEND_FLAGS)
        }
    }

    /// Writes queued bytes then `data`. `block`: until all is out. Otherwise until the OS is full,
    /// returning how much of `data` went out (the queue may still hold bytes). Errors close the
    /// connection and are FAILED.
    fn write_with_queue(&mut self, data: &[u8], block: bool) -> Result<usize> {
        let mut off = 0;
        loop {
            let queued = self.out.len() - self.out_pos;
            if queued == 0 && off == data.len() {
                self.out.clear();
                self.out_pos = 0;
                return Ok(off);
            }
            match self.send2(&data[off..]) {
                Ok(n) => {
                    self.read_idle = false;
                    self.stats.bytes_sent += n as u64;
                    let from_q = n.min(queued);
                    self.out_pos += from_q;
                    off += n - from_q;
                    if self.out_pos == self.out.len() {
                        self.out.clear();
                        self.out_pos = 0;
                    }
                }
                Err(e) if interrupted(&e) => {}
                Err(e) if would_block(&e) => {
                    if !block {
                        if self.out_pos > 0 && self.out_pos * 2 >= self.out.len() {
                            self.out.drain(..self.out_pos);
                            self.out_pos = 0;
                        }
                        return Ok(off);
                    }
                    let fd = self
                        .sock
                        .as_ref()
                        .map(|s| s.as_raw_fd())
                        .ok_or(Error::Failed)?;
                    if wait_fd(fd, sys::POLL_OUT, -1).is_err() {
                        self.disconnect_from_host();
                        return Err(Error::Failed);
                    }
                }
                Err(_) => {
                    self.disconnect_from_host();
                    return Err(Error::Failed);
                }
            }
        }
    }

    fn read_inner(&mut self, buf: &mut [u8], block: bool) -> Result<usize> {
        if self.status != TcpStatus::Connected {
            return Err(Error::Failed);
        }
        // Asking the OS (or the probe) now; set again below if it finds nothing.
        self.quiet.set(false);
        if !block && self.read_idle && self.coalesce && self.out.len() > self.out_pos {
            return Ok(0);
        }
        if !block && self.probe_armed && !buf.is_empty() {
            // Same answer as a recv that would block, for about half its cost: PacketPeerStream
            // reads before every put_packet, and most of those reads find nothing.
            if let Some(s) = &self.sock {
                if sys::stream_readable(s.as_raw_fd(), &mut self.probe_set) == Some(false) {
                    if self.coalesce && self.out.len() > self.out_pos {
                        self.read_idle = true;
                    }
                    self.quiet.set(true);
                    self.quiet_skips = 0;
                    self.quiet_tick = sys::coarse_clock_ns();
                    return Ok(0);
                }
            }
        }
        let mut total = 0;
        while total < buf.len() {
            let r = match &self.sock {
                Some(s) => {
                    let mut s: &Socket = s;
                    s.read(&mut buf[total..])
                }
                None => return Err(Error::Failed),
            };
            match r {
                Ok(0) => {
                    self.disconnect_from_host();
                    return Err(Error::FileEof);
                }
                Ok(n) => {
                    total += n;
                    self.read_idle = false;
                    self.probe_armed = false;
                    self.stats.bytes_received += n as u64;
                    if !block {
                        break;
                    }
                }
                Err(e) if interrupted(&e) => {}
                Err(e) if would_block(&e) => {
                    if !block {
                        if total == 0 {
                            self.probe_armed = true;
                            self.quiet.set(true);
                            self.quiet_skips = 0;
                            self.quiet_tick = sys::coarse_clock_ns();
                            if self.coalesce && self.out.len() > self.out_pos {
                                self.read_idle = true;
                            }
                        }
                        break;
                    }
                    let fd = self
                        .sock
                        .as_ref()
                        .map(|s| s.as_raw_fd())
                        .ok_or(Error::Failed)?;
                    if wait_fd(fd, sys::POLL_IN, -1).is_err() {
                        self.disconnect_from_host();
                        return Err(Error::Failed);
                    }
                }
                Err(_) => {
                    self.disconnect_from_host();
                    return Err(Error::Failed);
                }
            }
        }
        if total > 0 {
            self.stats.packets_received += 1;
        }
        Ok(total)
    }
}

impl StreamPeer for StreamPeerTcp {
    /// Writes all of `data` (see the module docs for the write modes). FAILED when not connected.
    fn put_data(&mut self, data: &[u8]) -> Result<()> {
        if self.status != TcpStatus::Connected {
            return Err(Error::Failed);
        }
        let queued = self.out.len() - self.out_pos;
        if self.coalesce && queued + data.len() <= self.out_max {
            self.out.extend_from_slice(data);
            self.stats.packets_sent += 1;
            return Ok(());
        }
        // Nothing queued: one send, and done when the OS takes it all (the common case); what it
        // leaves (or a failed attempt) goes the general way below.
        let mut first = 0;
        if queued == 0 && !data.is_empty() {
            if let Some(Ok(n)) = self
                .sock
                .as_ref()
                .map(|s| s.send_with_flags(data, sys::SEND_FLAGS))
            {
                self.read_idle = false;
                self.stats.bytes_sent += n as u64;
                first = n.min(data.len());
                if first == data.len() {
                    self.stats.packets_sent += 1;
                    return Ok(());
                }
            }
        }
        let data = &data[first..];
        if self.blocking_writes {
            self.write_with_queue(data, true)?;
        } else {
            if queued > 0 && queued + data.len() > self.out_max {
                // Make room first; refuse the whole write if it still does not fit.
                self.write_with_queue(&[], false)?;
                let queued = self.out.len() - self.out_pos;
                if queued > 0 && queued + data.len() > self.out_max {
                    return Err(Error::Busy);
                }
            }
            let sent = self.write_with_queue(data, false)?;
            if let Some(rest) = data.get(sent..) {
                self.out.extend_from_slice(rest);
            }
        }
        self.stats.packets_sent += 1;
        Ok(())
    }

    /// Writes what the OS takes now (queued bytes go first); returns the count of `data` written.
    fn put_partial_data(&mut self, data: &[u8]) -> Result<usize> {
        if self.status != TcpStatus::Connected {
            return Err(Error::Failed);
        }
        let n = self.write_with_queue(data, false)?;
        if self.out.len() > self.out_pos {
            // Queued bytes could not all go out; nothing of `data` was written then.
            return Ok(0);
        }
        if n > 0 {
            self.stats.packets_sent += 1;
        }
        Ok(n)
    }

    fn get_data(&mut self, buf: &mut [u8]) -> Result<()> {
        self.read_inner(buf, true).map(|_| ())
    }

    fn get_partial_data(&mut self, buf: &mut [u8]) -> Result<usize> {
        self.read_inner(buf, false)
    }

    /// `true` within a burst of writes: for up to [`WRITE_BURST_SKIPPED_READS`] calls in a row after
    /// a read found nothing, in the same coarse clock tick, while connected and while nothing else
    /// looked at the input (see the module docs).
    fn skip_read_before_write(&mut self) -> bool {
        if self.status == TcpStatus::Connected
            && self.quiet.get()
            && self.quiet_skips < WRITE_BURST_SKIPPED_READS
            && self.quiet_tick.is_some()
            && sys::coarse_clock_ns() == self.quiet_tick
        {
            self.quiet_skips += 1;
            return true;
        }
        false
    }

    /// OS FIONREAD count; -1 on error or without a socket.
    fn get_available_bytes(&self) -> i32 {
        self.quiet.set(false);
        self.sock
            .as_ref()
            .and_then(|s| sys::bytes_available(s.as_raw_fd()).ok())
            .unwrap_or(-1)
    }

    fn is_big_endian(&self) -> bool {
        self.big_endian
    }

    fn set_big_endian(&mut self, big_endian: bool) {
        self.big_endian = big_endian;
    }
}
