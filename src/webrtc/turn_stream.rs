//! The byte stream to a TURN server reached over TCP (`turn:…?transport=tcp`) or TLS over TCP
//! (`turns:`): connecting, the TLS handshake, a bounded queue of what is to be written, and the
//! messages read back ([`StreamFramer`]). Non-blocking, driven by the connection's `poll`. The
//! streams are the WebSocket transports (StreamPeerTCP; a StreamPeerTLS over one).

use std::net::SocketAddr;

use super::turn::StreamFramer;
use crate::net::tcp::StreamPeerTcp;
use crate::tls::TlsOptions;
use crate::ws::{StreamStatus, TlsWsStream, WsStream};

/// Bytes waiting to be written at most (control messages and data to peers); past it a message
/// is refused and counted by the caller (what it carried is unreliable or retransmitted above).
const TX_MAX: usize = 1 << 20;

enum Phase {
    /// TCP connecting.
    Tcp(StreamPeerTcp),
    /// The TLS handshake, or an open stream.
    Open(Box<dyn WsStream>),
    Closed,
}

/// One stream to one TURN server.
pub(crate) struct TurnStream {
    /// The TURN server (named in every failure).
    server: SocketAddr,
    phase: Phase,
    /// For `turns:`: the name the server's certificate must carry (the URL's host) and the
    /// options (None: `TLSOptions.client()`, the system's trusted CAs).
    tls: Option<(String, Option<TlsOptions>)>,
    open: bool,
    tx: Vec<u8>,
    tx_pos: usize,
    framer: StreamFramer,
}

impl TurnStream {
    /// Starts connecting to `server`; with `tls`, a TLS handshake follows for that name.
    pub fn connect(
        server: SocketAddr,
        tls: Option<(String, Option<TlsOptions>)>,
    ) -> Result<TurnStream, String> {
        let mut tcp = StreamPeerTcp::new();
        tcp.connect_to_host(&server.ip().to_string(), i32::from(server.port()))
            .map_err(|e| format!("TURN server {server}: TCP connect failed ({e:?})"))?;
        Ok(TurnStream {
            server,
            phase: Phase::Tcp(tcp),
            tls,
            open: false,
            tx: Vec::new(),
            tx_pos: 0,
            framer: StreamFramer::default(),
        })
    }

    /// Queues one message (the stream keeps message boundaries by their own lengths). `false`:
    /// the queue is full or the stream closed; nothing was queued.
    pub fn send(&mut self, m: &[u8]) -> bool {
        if matches!(self.phase, Phase::Closed) || self.tx.len() - self.tx_pos + m.len() > TX_MAX {
            return false;
        }
        // What was written goes once it is at least half the buffer, so the buffer stays within
        // twice what is waiting (plus one message) however the writes are split.
        if self.tx_pos > 0 && self.tx_pos * 2 >= self.tx.len() {
            self.tx.drain(..self.tx_pos);
            self.tx_pos = 0;
        }
        self.tx.extend_from_slice(m);
        true
    }

    /// Advances connecting and the handshake, writes what is queued, reads what came. `Err(why)`
    /// once the stream failed or the server closed it (the allocation is lost then).
    pub fn poll(&mut self) -> Result<(), String> {
        let server = self.server;
        if let Phase::Tcp(tcp) = &mut self.phase {
            match WsStream::poll_stream(tcp) {
                StreamStatus::Connecting => return Ok(()),
                StreamStatus::Closed => {
                    self.phase = Phase::Closed;
                    return Err(format!(
                        "TURN server {server}: TCP connection refused or lost"
                    ));
                }
                StreamStatus::Open => {}
            }
            let Phase::Tcp(mut tcp) = std::mem::replace(&mut self.phase, Phase::Closed) else {
                return Ok(());
            };
            let _ = tcp.set_no_delay(true);
            self.phase = match &self.tls {
                None => Phase::Open(Box::new(tcp)),
                Some((host, opts)) => match TlsWsStream::client(tcp, host, opts.as_ref()) {
                    Ok(s) => Phase::Open(Box::new(s)),
                    Err((_, _, text)) => {
                        return Err(format!("TURN server {server}: TLS: {text}"));
                    }
                },
            };
        }
        let Phase::Open(s) = &mut self.phase else {
            return Err(format!("TURN server {server}: stream closed"));
        };
        if !self.open {
            match s.poll_stream() {
                StreamStatus::Connecting => return Ok(()),
                StreamStatus::Closed => {
                    let why = match s.tls_failure() {
                        Some((_, text)) => format!("TURN server {server}: TLS: {text}"),
                        None => format!("TURN server {server}: stream closed while connecting"),
                    };
                    self.phase = Phase::Closed;
                    return Err(why);
                }
                StreamStatus::Open => self.open = true,
            }
        }
        if !self.write() {
            self.phase = Phase::Closed;
            return Err(format!(
                "TURN server {server}: the stream failed while writing"
            ));
        }
        let Phase::Open(s) = &mut self.phase else {
            return Ok(());
        };
        // Read what came, as far as the framer has room (it holds at least one whole message).
        let mut buf = [0u8; 16384];
        loop {
            let room = self.framer.room().min(buf.len());
            if room == 0 {
                break;
            }
            match s.get_partial_data(&mut buf[..room]) {
                Ok(0) => {
                    if matches!(s.poll_stream(), StreamStatus::Closed) {
                        self.phase = Phase::Closed;
                        return Err(format!(
                            "TURN server {server}: the server closed the stream"
                        ));
                    }
                    break;
                }
                Ok(n) => {
                    if let Err(why) = self.framer.push(&buf[..n]) {
                        self.phase = Phase::Closed;
                        return Err(format!("TURN server {server}: {why}"));
                    }
                }
                Err(_) => {
                    self.phase = Phase::Closed;
                    return Err(format!(
                        "TURN server {server}: the server closed the stream"
                    ));
                }
            }
        }
        Ok(())
    }

    /// Writes what is queued, as far as the stream takes it; `false` when the stream failed
    /// (the next `poll` reports it).
    fn write(&mut self) -> bool {
        let Phase::Open(s) = &mut self.phase else {
            return true;
        };
        if !self.open {
            return true;
        }
        while self.tx_pos < self.tx.len() {
            match s.put_partial_data(&self.tx[self.tx_pos..]) {
                Ok(0) => break,
                Ok(n) => self.tx_pos += n,
                Err(_) => return false,
            }
        }
        s.push_pending();
        true
    }

    /// Writes what is queued (after the connection drained str0m) without reading.
    pub fn flush(&mut self) {
        if !self.write() {
            // Reported by the next poll: the stream reads as closed.
            if let Phase::Open(s) = &mut self.phase {
                s.shutdown();
            }
        }
    }

    /// The next whole message from the server.
    pub fn pop(&mut self) -> Result<Option<&[u8]>, String> {
        self.framer.pop()
    }

    /// Writes what it can of the queue (a last Refresh with lifetime 0) and closes the stream.
    pub fn close(&mut self) {
        let _ = self.write();
        if let Phase::Open(s) = &mut self.phase {
            s.shutdown();
        }
        self.phase = Phase::Closed;
    }
}
