//! The UDP socket under an ENet host (Godot's patched socket layer: dual-stack IPv6 socket,
//! addresses compared exactly).
#![forbid(unsafe_code)]

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::time::Duration;

use super::host::Transport;

/// A non-blocking UDP socket used as an ENet [`Transport`].
#[derive(Debug)]
pub struct UdpTransport {
    socket: UdpSocket,
}

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
        Ok(UdpTransport { socket })
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

impl Transport for UdpTransport {
    fn send_to(&mut self, data: &[u8], to: SocketAddr) -> io::Result<usize> {
        match self.socket.send_to(data, self.target(to)) {
            Ok(n) => Ok(n),
            // A full socket buffer drops the datagram; ENet's reliability resends it.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(0),
            Err(e) => Err(e),
        }
    }

    fn recv_from(&mut self, buf: &mut [u8]) -> io::Result<Option<(usize, SocketAddr)>> {
        loop {
            match self.socket.recv_from(buf) {
                Ok((n, from)) => return Ok(Some((n, from))),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(None),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                // ICMP errors reported on the socket are not fatal for a connectionless host.
                Err(e)
                    if e.kind() == io::ErrorKind::ConnectionRefused
                        || e.kind() == io::ErrorKind::ConnectionReset =>
                {
                    continue
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn wait_readable(&mut self, timeout: Duration) -> io::Result<()> {
        if timeout.is_zero() {
            return Ok(());
        }
        self.socket.set_nonblocking(false)?;
        self.socket.set_read_timeout(Some(timeout))?;
        let mut probe = [0u8; 1];
        let r = self.socket.peek_from(&mut probe);
        self.socket.set_nonblocking(true)?;
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
