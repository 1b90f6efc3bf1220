//! The UDP socket under an ENet host (Godot's patched socket layer: dual-stack IPv6 socket,
//! addresses compared exactly).
//!
//! On Linux the socket also asks for ICMP error reports (`IP_RECVERR`/`IPV6_RECVERR`, see
//! `crate::net::sys::enable_icmp_errors`): an unconnected socket otherwise never learns that a
//! destination refused a datagram (closed port), so a client would wait for ENet's timeout. The
//! reports are taken from the socket whenever a receive says one is pending and kept, bounded, for
//! [`UdpTransport::take_unreachable`]. Nothing sent changes.
#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use super::host::Transport;
use crate::conditioner::{Conditioner, ConditionerOptions, ConditionerStats, Direction};
use crate::net::sys::{self, SocketErrorReport};

/// A non-blocking UDP socket used as an ENet [`Transport`].
#[derive(Debug)]
pub struct UdpTransport {
    socket: UdpSocket,
    /// Off (None) unless set: then the only cost is this branch on each call.
    cond: Option<Box<Conditioned>>,
    /// ICMP reports taken from the socket, oldest first, at most [`MAX_UNREACHABLE`].
    unreachable: VecDeque<SocketErrorReport>,
}

/// ICMP reports kept until [`UdpTransport::take_unreachable`] (older ones are dropped first).
const MAX_UNREACHABLE: usize = 64;
/// ICMP reports read from the socket's error queue per failed receive at most.
const ERROR_QUEUE_BATCH: usize = 256;

/// A conditioner with the buffer datagrams are read into before it takes them.
#[derive(Debug)]
struct Conditioned {
    c: Conditioner<SocketAddr>,
    buf: Vec<u8>,
}

/// Datagrams read from the socket into the conditioner per receive call at most.
const CONDITIONED_READ_BATCH: usize = 256;

impl UdpTransport {
    /// Binds `addr`. `None` = wildcard: dual-stack `[::]` (falls back to `0.0.0.0` without IPv6).
    pub fn bind(addr: Option<std::net::IpAddr>, port: u16) -> io::Result<UdpTransport> {
        let socket = match addr {
            Some(ip) => UdpSocket::bind(SocketAddr::new(ip, port))?,
            None => UdpSocket::bind(SocketAddr::new(Ipv6Addr::UNSPECIFIED.into(), port)).or_else(
                |_| UdpSocket::bind(SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), port)),
            )?,
        };
        socket.set_nonblocking(true)?;
        // Best effort: without it (other OSes) a refused client only times out.
        let _ = sys::enable_icmp_errors(socket.as_raw_fd(), socket.local_addr()?.is_ipv6());
        Ok(UdpTransport {
            socket,
            cond: None,
            unreachable: VecDeque::new(),
        })
    }

    /// The oldest ICMP error report not taken yet (a destination that refused a datagram: closed
    /// port, unreachable host), Linux only; `None` when there is none. IPv4 destinations are
    /// given as plain IPv4 addresses.
    pub fn take_unreachable(&mut self) -> Option<SocketErrorReport> {
        self.unreachable.pop_front()
    }

    /// Puts a conditioner (`crate::conditioner`) between ENet and the socket, or removes it
    /// (`None`; datagrams it still holds are dropped with it). Replacing one starts afresh.
    pub fn set_conditioner(&mut self, opts: Option<ConditionerOptions>) -> crate::Result<()> {
        self.cond = match opts {
            Some(o) => Some(Box::new(Conditioned {
                c: Conditioner::new(o)?,
                buf: vec![0; 65536],
            })),
            None => None,
        };
        Ok(())
    }

    /// What the conditioner did (None when there is none).
    pub fn conditioner_stats(&self) -> Option<ConditionerStats> {
        self.cond.as_ref().map(|c| c.c.stats())
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_addr()
    }

    /// An IPv4 destination as seen from this socket (mapped when the socket is IPv6).
    fn target(&self, to: SocketAddr) -> SocketAddr {
        match (to, self.socket.local_addr()) {
            (SocketAddr::V4(v4), Ok(SocketAddr::V6(_))) => {
                SocketAddr::new(v4.ip().to_ipv6_mapped().into(), v4.port())
            }
            _ => to,
        }
    }
}

impl UdpTransport {
    fn raw_send_to(&self, data: &[u8], to: SocketAddr) -> io::Result<usize> {
        match self.socket.send_to(data, self.target(to)) {
            Ok(n) => Ok(n),
            // A full socket buffer drops the datagram; ENet's reliability resends it.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(0),
            Err(e) => Err(e),
        }
    }

    /// Sends the outgoing datagrams whose time has come.
    fn release_outgoing(&mut self, now: Instant) -> io::Result<()> {
        while let Some((d, to)) = self
            .cond
            .as_mut()
            .and_then(|c| c.c.pop_due(Direction::Outgoing, now))
        {
            if self.raw_send_to(&d, to)? == 0 {
                if let Some(c) = self.cond.as_mut() {
                    c.c.count_send_failed(Direction::Outgoing);
                }
            }
        }
        Ok(())
    }

    /// With a conditioner: everything waiting on the socket goes into it, and the next incoming
    /// datagram whose time has come comes out.
    fn conditioned_recv(&mut self, buf: &mut [u8]) -> io::Result<Option<(usize, SocketAddr)>> {
        let now = Instant::now();
        self.release_outgoing(now)?;
        let Some(c) = self.cond.as_mut() else {
            return Ok(None);
        };
        for _ in 0..CONDITIONED_READ_BATCH {
            let mut tmp = std::mem::take(&mut c.buf);
            let got = raw_recv(&self.socket, &mut self.unreachable, &mut tmp);
            c.buf = tmp;
            match got? {
                Some((n, from)) => c.c.offer(Direction::Incoming, &c.buf[..n], &from, now),
                None => break,
            }
        }
        Ok(c.c.pop_due(Direction::Incoming, now).map(|(d, from)| {
            let n = d.len().min(buf.len());
            buf[..n].copy_from_slice(&d[..n]);
            (n, from)
        }))
    }
}

impl Transport for UdpTransport {
    fn send_to(&mut self, data: &[u8], to: SocketAddr) -> io::Result<usize> {
        let Some(c) = self.cond.as_mut() else {
            return self.raw_send_to(data, to);
        };
        let now = Instant::now();
        c.c.offer(Direction::Outgoing, data, &to, now);
        self.release_outgoing(now)?;
        Ok(data.len())
    }

    fn recv_from(&mut self, buf: &mut [u8]) -> io::Result<Option<(usize, SocketAddr)>> {
        if self.cond.is_some() {
            return self.conditioned_recv(buf);
        }
        raw_recv(&self.socket, &mut self.unreachable, buf)
    }

    fn wait_readable(&mut self, timeout: Duration) -> io::Result<()> {
        let mut timeout = timeout;
        if self.cond.is_some() {
            // Held datagrams are due at a time of their own: wake up for the next one.
            let now = Instant::now();
            self.release_outgoing(now)?;
            if let Some(c) = &self.cond {
                if c.c.has_due(Direction::Incoming, now) {
                    return Ok(());
                }
                if let Some(due) = c.c.next_due() {
                    timeout = timeout.min(due.saturating_duration_since(now));
                }
            }
        }
        self.raw_wait_readable(timeout)
    }
}

fn raw_recv(
    socket: &UdpSocket,
    reports: &mut VecDeque<SocketErrorReport>,
    buf: &mut [u8],
) -> io::Result<Option<(usize, SocketAddr)>> {
    loop {
        match socket.recv_from(buf) {
            Ok((n, from)) => return Ok(Some((n, from))),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(None),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                // ICMP errors reported on the socket are not fatal for a connectionless host; they
                // are kept for the host to look at.
                let icmp = take_reports(socket, reports);
                if icmp
                    || e.kind() == io::ErrorKind::ConnectionRefused
                    || e.kind() == io::ErrorKind::ConnectionReset
                {
                    continue;
                }
                return Err(e);
            }
        }
    }
}

/// Moves the socket's queued ICMP reports into `reports` (bounded, oldest dropped first). True if
/// there was at least one.
fn take_reports(socket: &UdpSocket, reports: &mut VecDeque<SocketErrorReport>) -> bool {
    let mut any = false;
    for _ in 0..ERROR_QUEUE_BATCH {
        let Ok(Some(mut r)) = sys::take_socket_error(socket.as_raw_fd()) else {
            break;
        };
        r.destination = SocketAddr::new(
            crate::net::addr::canonical(r.destination.ip()),
            r.destination.port(),
        );
        if reports.len() == MAX_UNREACHABLE {
            reports.pop_front();
        }
        reports.push_back(r);
        any = true;
    }
    any
}

impl UdpTransport {
    fn raw_wait_readable(&mut self, timeout: Duration) -> io::Result<()> {
        if timeout.is_zero() {
            return Ok(());
        }
        self.socket.set_nonblocking(false)?;
        self.socket.set_read_timeout(Some(timeout))?;
        let mut probe = [0u8; 1];
        let r = self.socket.peek_from(&mut probe);
        self.socket.set_nonblocking(true)?;
        if r.is_err() && take_reports(&self.socket, &mut self.unreachable) {
            // A pending ICMP report failed the peek: the reports are kept, the wait is over.
            return Ok(());
        }
        match r {
            Ok(_) => Ok(()),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::Interrupted
                        | io::ErrorKind::ConnectionRefused
                        | io::ErrorKind::ConnectionReset
                ) =>
            {
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}
