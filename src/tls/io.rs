//! The transports OpenSSL reads and writes through: a shared StreamPeer for TLS, a datagram queue
//! (a connected PacketPeerUDP) for DTLS. OpenSSL calls `Read`/`Write` on these from inside our own
//! calls only, so nothing runs in the background.
#![forbid(unsafe_code)]

use std::io::{self, Read, Write};

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
}

impl DgramIo {
    pub fn new(t: Box<dyn Datagram>) -> Self {
        DgramIo {
            t,
            busy: false,
            busy_drops: 0,
            datagrams_in: 0,
            datagrams_out: 0,
            error: None,
        }
    }
}

impl Read for DgramIo {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(e) = self.error {
            return Err(failed(e));
        }
        match self.t.recv(buf) {
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
