//! The transports OpenSSL reads and writes through: a shared StreamPeer for TLS, a datagram queue
//! (a connected PacketPeerUDP) for DTLS. OpenSSL calls `Read`/`Write` on these from inside our own
//! calls only, so nothing runs in the background.
#![forbid(unsafe_code)]

use std::io::{self, Read, Write};

use crate::conditioner::{Conditioner, ConditionerOptions, Direction};
use crate::error::Error;
use crate::peer::{PacketPeer, StreamPeer};
use crate::sync::Shared;

fn would_block() -> io::Error {
    io::Error::from(io::ErrorKind::WouldBlock)
}

fn failed(e: Error) -> io::Error {
    io::Error::other(e.name())
}

/// TLS over a shared StreamPeer. Writes are taken whole into `out` and flushed as the stream takes
/// them, so OpenSSL never has to retry a write (StreamPeerTLS bounds `out` by refusing new data
/// while it is long).
pub(crate) struct StreamIo<S: ?Sized + StreamPeer + Send + 'static> {
    pub stream: Shared<S>,
    out: Vec<u8>,
    out_pos: usize,
    /// First transport failure (EOF is `ERR_FILE_EOF`).
    pub error: Option<Error>,
}

impl<S: ?Sized + StreamPeer + Send + 'static> StreamIo<S> {
    pub fn new(stream: Shared<S>) -> Self {
        StreamIo {
            stream,
            out: Vec::new(),
            out_pos: 0,
            error: None,
        }
    }

    /// Bytes written by OpenSSL that the stream has not taken yet.
    pub fn queued(&self) -> usize {
        self.out.len() - self.out_pos
    }

    /// Gives the stream what it takes now.
    pub fn push(&mut self) -> Result<(), Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        while self.out_pos < self.out.len() {
            let r = self
                .stream
                .lock()
                .and_then(|mut s| s.put_partial_data(&self.out[self.out_pos..]));
            match r {
                // Locked: the stream is in use by an outer call of this thread; try later.
                Ok(0) | Err(Error::Locked) => break,
                Ok(n) => self.out_pos += n,
                Err(e) => {
                    self.error = Some(e);
                    return Err(e);
                }
            }
        }
        if self.out_pos == self.out.len() {
            self.out.clear();
            self.out_pos = 0;
        }
        Ok(())
    }
}

impl<S: ?Sized + StreamPeer + Send + 'static> Read for StreamIo<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.error == Some(Error::FileEof) {
            return Ok(0);
        }
        if let Some(e) = self.error {
            return Err(failed(e));
        }
        let r = self.stream.lock().and_then(|mut s| s.get_partial_data(buf));
        match r {
            Ok(0) | Err(Error::Locked) => Err(would_block()),
            Ok(n) => Ok(n),
            Err(Error::FileEof) => {
                self.error = Some(Error::FileEof);
                Ok(0)
            }
            Err(e) => {
                self.error = Some(e);
                Err(failed(e))
            }
        }
    }
}

impl<S: ?Sized + StreamPeer + Send + 'static> Write for StreamIo<S> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if let Some(e) = self.error.filter(|&e| e != Error::FileEof) {
            return Err(failed(e));
        }
        self.out.extend_from_slice(data);
        // A failure is remembered and reported by the next call; the bytes are taken either way.
        let _ = self.push();
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let _ = self.push();
        Ok(())
    }
}

/// A datagram transport for DTLS: one `recv` = one datagram, one `send` = one datagram.
pub trait Datagram: Send {
    /// The next datagram into `buf` (truncated if longer); `Ok(None)` when none is waiting.
    fn recv(&mut self, buf: &mut [u8]) -> Result<Option<usize>, Error>;
    /// Sends one datagram; `ERR_BUSY` when the socket would block.
    fn send(&mut self, data: &[u8]) -> Result<(), Error>;
}

/// Any shared PacketPeer is a datagram transport (a connected PacketPeerUDP in practice, whose
/// reads go straight into OpenSSL's buffer: `PacketPeer::get_packet_into`).
impl<T: ?Sized + PacketPeer + Send> Datagram for Shared<T> {
    fn recv(&mut self, buf: &mut [u8]) -> Result<Option<usize>, Error> {
        match self.lock() {
            Ok(mut u) => u.get_packet_into(buf),
            Err(Error::Locked) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn send(&mut self, data: &[u8]) -> Result<(), Error> {
        match self.lock() {
            Ok(mut u) => u.put_packet(data),
            Err(Error::Locked) => Err(Error::Busy),
            Err(e) => Err(e),
        }
    }
}

/// DTLS over a [`Datagram`]. A send that would block drops the datagram (DTLS tolerates loss) and is
/// counted and flagged, so `put_packet` can report `ERR_BUSY` instead of leaving OpenSSL a record
/// to retry.
pub(crate) struct DgramIo {
    pub t: Box<dyn Datagram>,
    pub busy: bool,
    pub busy_drops: u64,
    pub datagrams_in: u64,
    pub datagrams_out: u64,
    pub error: Option<Error>,
    /// An optional network conditioner between the session and its transport (off: one branch).
    pub cond: Option<Box<DgramConditioner>>,
}

/// A conditioner and the buffer datagrams are read into before it takes them.
pub(crate) struct DgramConditioner {
    pub c: Conditioner<()>,
    buf: Vec<u8>,
}

impl DgramConditioner {
    pub fn new(opts: ConditionerOptions) -> Result<Self, Error> {
        Ok(DgramConditioner {
            c: Conditioner::new(opts)?,
            buf: vec![0; 65536],
        })
    }
}

/// Datagrams taken from the transport into the conditioner per read at most.
const CONDITIONED_READ_BATCH: usize = 256;

impl DgramIo {
    pub fn new(t: Box<dyn Datagram>) -> Self {
        DgramIo {
            t,
            busy: false,
            busy_drops: 0,
            datagrams_in: 0,
            datagrams_out: 0,
            error: None,
            cond: None,
        }
    }

    /// Sends the held outgoing datagrams whose time has come (a full socket loses them, counted
    /// `send_failed`; DTLS retransmits what the handshake needs).
    fn release_outgoing(&mut self, now: std::time::Instant) -> Result<(), Error> {
        while let Some((d, ())) = self
            .cond
            .as_mut()
            .and_then(|c| c.c.pop_due(Direction::Outgoing, now))
        {
            match self.t.send(&d) {
                Ok(()) => self.datagrams_out += 1,
                Err(Error::Busy) => {
                    if let Some(c) = self.cond.as_mut() {
                        c.c.count_send_failed(Direction::Outgoing);
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// A read through the conditioner: releases what is due outgoing, takes everything waiting
    /// on the transport, and gives back the next incoming datagram whose time has come.
    fn conditioned_recv(&mut self, buf: &mut [u8]) -> Result<Option<usize>, Error> {
        let now = std::time::Instant::now();
        self.release_outgoing(now)?;
        let Some(c) = self.cond.as_mut() else {
            return self.t.recv(buf);
        };
        for _ in 0..CONDITIONED_READ_BATCH {
            match self.t.recv(&mut c.buf)? {
                Some(n) => c.c.offer(Direction::Incoming, &c.buf[..n], &(), now),
                None => break,
            }
        }
        Ok(c.c.pop_due(Direction::Incoming, now).map(|(d, ())| {
            let n = d.len().min(buf.len());
            buf[..n].copy_from_slice(&d[..n]);
            n
        }))
    }
}

impl Read for DgramIo {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(e) = self.error {
            return Err(failed(e));
        }
        let r = if self.cond.is_some() {
            self.conditioned_recv(buf)
        } else {
            self.t.recv(buf)
        };
        match r {
            Ok(Some(n)) => {
                self.datagrams_in += 1;
                Ok(n)
            }
            Ok(None) => Err(would_block()),
            Err(e) => {
                self.error = Some(e);
                Err(failed(e))
            }
        }
    }
}

impl Write for DgramIo {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if let Some(e) = self.error {
            return Err(failed(e));
        }
        if let Some(c) = self.cond.as_mut() {
            let now = std::time::Instant::now();
            c.c.offer(Direction::Outgoing, data, &(), now);
            if let Err(e) = self.release_outgoing(now) {
                self.error = Some(e);
                return Err(failed(e));
            }
            return Ok(data.len());
        }
        match self.t.send(data) {
            Ok(()) => self.datagrams_out += 1,
            Err(Error::Busy) => {
                self.busy = true;
                self.busy_drops += 1;
            }
            Err(e) => {
                self.error = Some(e);
                return Err(failed(e));
            }
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
