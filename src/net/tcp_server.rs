//! TCPServer (`docs/classes.md` §5): a listening TCP socket that yields StreamPeerTCP connections.
//! SO_REUSEADDR on, backlog 8, `"*"` = dual-stack IPv6 socket; bind failure → ERR_ALREADY_IN_USE.
#![forbid(unsafe_code)]

use std::os::fd::AsRawFd;

use socket2::{Domain, Protocol, Socket, Type};

use super::addr::{self, Family};
use super::tcp::StreamPeerTcp;
use super::{sys, wait_fd};
use crate::error::{Error, Result};

/// The engine's listen backlog.
pub const BACKLOG: i32 = 8;

/// Godot's TCPServer.
#[derive(Debug, Default)]
pub struct TcpServer {
    sock: Option<Socket>,
}

impl TcpServer {
    pub fn new() -> Self {
        TcpServer { sock: None }
    }

    /// `listen(port, bind_address = "*")`. Ports outside 0..65535 are ERR_INVALID_PARAMETER (the
    /// engine's native call takes a uint16 and would truncate).
    pub fn listen(&mut self, port: i32, bind_address: &str) -> Result<()> {
        if self.sock.is_some() {
            return Err(Error::AlreadyInUse);
        }
        let baddr = addr::parse_bind(bind_address)?;
        let port = addr::port_in_range(port, 0)?;
        let family = addr::family_for_bind(baddr);
        let local = addr::bind_sockaddr(family, baddr, port)?;
        let domain = match family {
            Family::V4 => Domain::IPV4,
            _ => Domain::IPV6,
        };
        let s = Socket::new(domain, Type::STREAM, Some(Protocol::TCP))
            .map_err(|_| Error::CantCreate)?;
        if family != Family::V4 {
            s.set_only_v6(family == Family::V6)
                .map_err(|_| Error::CantCreate)?;
        }
        s.set_nonblocking(true).map_err(|_| Error::CantCreate)?;
        s.set_reuse_address(true).map_err(|_| Error::CantCreate)?;
        if s.bind(&local.into()).is_err() {
            return Err(Error::AlreadyInUse);
        }
        if s.listen(BACKLOG).is_err() {
            return Err(Error::Failed);
        }
        self.sock = Some(s);
        Ok(())
    }

    /// Listening socket readable (a connection waits).
    pub fn is_connection_available(&self) -> bool {
        match &self.sock {
            Some(s) => wait_fd(s.as_raw_fd(), sys::POLL_IN, 0).is_ok(),
            None => false,
        }
    }

    /// Accepts one connection (CONNECTED, non-blocking); None if none is waiting.
    pub fn take_connection(&mut self) -> Option<StreamPeerTcp> {
        if !self.is_connection_available() {
            return None;
        }
        let (conn, from) = self.sock.as_ref()?.accept().ok()?;
        let from = from.as_socket()?;
        StreamPeerTcp::from_accepted(conn, addr::canonical(from.ip()), from.port()).ok()
    }

    pub fn stop(&mut self) {
        self.sock = None;
    }

    pub fn is_listening(&self) -> bool {
        self.sock.is_some()
    }

    pub fn get_local_port(&self) -> u16 {
        self.sock
            .as_ref()
            .and_then(|s| s.local_addr().ok())
            .and_then(|a| a.as_socket())
            .map(|a| a.port())
            .unwrap_or(0)
    }
}
