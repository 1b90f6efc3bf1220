//! OS sockets with Godot's semantics: PacketPeerUDP, UDPServer, StreamPeerTCP, TCPServer.
//!
//! Everything is non-blocking and driven by the caller (`poll`, `get_packet`, ...); no threads.
//! `sys` is the one module with `unsafe` (poll(2), FIONREAD, interface lookup, sendmmsg/recvmmsg);
//! every other module forbids it.

pub mod addr;
pub mod ring;
pub mod sys;
pub mod tcp;
pub mod tcp_server;
pub mod udp;
pub mod udp_server;

use std::io;

use crate::error::Error;

/// Per-object traffic counters. For UDP a "packet" is a datagram; for TCP it is one successful
/// write or read call (`put_data`/`put_partial_data`, `get_data`/`get_partial_data` that moved bytes).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct NetStats {
    pub packets_sent: u64,
    pub bytes_sent: u64,
    /// Datagrams read from the OS (for UDP including those then dropped).
    pub packets_received: u64,
    pub bytes_received: u64,
    /// Datagrams dropped because the receive queue was full (or, for UDPServer, because the
    /// pending list was full).
    pub packets_dropped: u64,
    pub bytes_dropped: u64,
}

pub(crate) fn would_block(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::WouldBlock
}

pub(crate) fn interrupted(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Interrupted
}

/// The engine's `NetSocket::poll` result: OK when ready, ERR_BUSY on timeout, FAILED on error.
pub(crate) fn wait_fd(fd: std::os::fd::RawFd, events: i16, timeout_ms: i32) -> Result<(), Error> {
    match sys::poll_fd(fd, events, timeout_ms) {
        Ok(0) => Err(Error::Busy),
        Ok(rev) if rev & (sys::POLL_ERR | sys::POLL_NVAL) != 0 => Err(Error::Failed),
        Ok(_) => Ok(()),
        Err(_) => Err(Error::Failed),
    }
}
