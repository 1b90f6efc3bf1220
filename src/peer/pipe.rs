//! An in-memory, connected pair of StreamPeers (like `socketpair`): what one end writes, the other
//! reads. Useful to run PacketPeerStream (or anything over a StreamPeer) without sockets.
//!
//! - Each direction holds at most `capacity` bytes (default [`PIPE_DEFAULT_CAPACITY`]); memory is
//!   allocated as data arrives, never up front.
//! - `put_partial_data` writes what fits (maybe 0). `put_data` is all-or-nothing: when the bytes do not
//!   all fit now it writes nothing and returns `ERR_BUSY` (a pipe used from one thread cannot block,
//!   since nobody would drain it); more than `capacity` bytes can never fit and give
//!   `ERR_INVALID_PARAMETER`.
//! - `get_partial_data` reads what is there (maybe 0). `get_data` is all-or-nothing too: not enough
//!   bytes yet → `ERR_BUSY`, nothing consumed; more than `capacity` → `ERR_INVALID_PARAMETER`.
//! - Closing an end (or dropping it) works like closing a TCP socket: the other end still reads what
//!   was sent before, then every read gives `ERR_FILE_EOF`; its writes give `FAILED` (like a broken
//!   pipe). Every call on the closed end itself gives `FAILED` (like an unconnected StreamPeerTCP).
//!
//! Both ends may be used from different threads (each end by one thread at a time).
#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use super::StreamPeer;
use crate::error::{Error, Result};

/// Default bytes each direction holds (1 MiB): room for many full-size PacketPeerStream frames.
pub const PIPE_DEFAULT_CAPACITY: usize = 1 << 20;

#[derive(Debug)]
struct Shared {
    /// `queues[i]` holds bytes written by end `i`, read by end `1 - i`.
    queues: [VecDeque<u8>; 2],
    closed: [bool; 2],
    capacity: usize,
}

/// One end of an in-memory pipe. Dropping it closes it.
#[derive(Debug)]
pub struct StreamPeerPipe {
    shared: Arc<Mutex<Shared>>,
    side: usize,
    big_endian: bool,
}

impl StreamPeerPipe {
    /// A connected pair with the default capacity.
    pub fn pair() -> (StreamPeerPipe, StreamPeerPipe) {
        Self::pair_with_capacity(PIPE_DEFAULT_CAPACITY).unwrap_or_else(|_| unreachable!())
    }

    /// A connected pair holding at most `capacity` bytes per direction; `capacity` must be in
    /// `1..=i32::MAX`, else `ERR_INVALID_PARAMETER`.
    pub fn pair_with_capacity(capacity: usize) -> Result<(StreamPeerPipe, StreamPeerPipe)> {
        if capacity == 0 || capacity > i32::MAX as usize {
            return Err(Error::InvalidParameter);
        }
        let shared = Arc::new(Mutex::new(Shared {
            queues: [VecDeque::new(), VecDeque::new()],
            closed: [false, false],
            capacity,
        }));
        let end = |side| StreamPeerPipe {
            shared: shared.clone(),
            side,
            big_endian: false,
        };
        Ok((end(0), end(1)))
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        crate::sync::lock(&self.shared)
    }

    /// Closes this end: its unread input is dropped, the other end reads what is left, then EOF.
    pub fn close(&mut self) {
        let mut s = self.lock();
        s.closed[self.side] = true;
        let incoming = 1 - self.side;
        s.queues[incoming] = VecDeque::new();
    }

    /// Whether this end is still open (and so is the other, or it still has unread data for us).
    pub fn is_open(&self) -> bool {
        let s = self.lock();
        !s.closed[self.side] && (!s.closed[1 - self.side] || !s.queues[1 - self.side].is_empty())
    }

    pub fn capacity(&self) -> usize {
        self.lock().capacity
    }

    /// Checks the ends for a write; returns the free room.
    fn write_room(&self, s: &Shared) -> Result<usize> {
        if s.closed[self.side] || s.closed[1 - self.side] {
            return Err(Error::Failed);
        }
        Ok(s.capacity - s.queues[self.side].len())
    }

    /// Checks the ends for a read; returns the bytes available (EOF once drained after a close).
    fn read_avail(&self, s: &Shared) -> Result<usize> {
        if s.closed[self.side] {
            return Err(Error::Failed);
        }
        let n = s.queues[1 - self.side].len();
        if n == 0 && s.closed[1 - self.side] {
            return Err(Error::FileEof);
        }
        Ok(n)
    }
}

impl Drop for StreamPeerPipe {
    fn drop(&mut self) {
        self.close();
    }
}

fn read_into(q: &mut VecDeque<u8>, buf: &mut [u8]) {
    let n = buf.len();
    let (a, b) = q.as_slices();
    let na = a.len().min(n);
    buf[..na].copy_from_slice(&a[..na]);
    if na < n {
        buf[na..].copy_from_slice(&b[..n - na]);
    }
    q.drain(..n);
}

impl StreamPeer for StreamPeerPipe {
    fn put_data(&mut self, data: &[u8]) -> Result<()> {
        let mut s = self.lock();
        let room = self.write_room(&s)?;
        if data.len() > s.capacity {
            return Err(Error::InvalidParameter);
        }
        if data.len() > room {
            return Err(Error::Busy);
        }
        s.queues[self.side].extend(data);
        Ok(())
    }

    fn put_partial_data(&mut self, data: &[u8]) -> Result<usize> {
        let mut s = self.lock();
        let n = self.write_room(&s)?.min(data.len());
        s.queues[self.side].extend(&data[..n]);
        Ok(n)
    }

    fn get_data(&mut self, buf: &mut [u8]) -> Result<()> {
        let mut s = self.lock();
        let capacity = s.capacity;
        let avail = match self.read_avail(&s) {
            // A closed peer with too little left is EOF, like TCP.
            Ok(n) if n < buf.len() && s.closed[1 - self.side] => return Err(Error::FileEof),
            r => r?,
        };
        if buf.len() > capacity {
            return Err(Error::InvalidParameter);
        }
        if avail < buf.len() {
            return Err(Error::Busy);
        }
        read_into(&mut s.queues[1 - self.side], buf);
        Ok(())
    }

    fn get_partial_data(&mut self, buf: &mut [u8]) -> Result<usize> {
        let mut s = self.lock();
        let n = self.read_avail(&s)?.min(buf.len());
        read_into(&mut s.queues[1 - self.side], &mut buf[..n]);
        Ok(n)
    }

    fn get_available_bytes(&self) -> i32 {
        let s = self.lock();
        if s.closed[self.side] {
            return -1;
        }
        s.queues[1 - self.side].len() as i32
    }

    fn is_big_endian(&self) -> bool {
        self.big_endian
    }

    fn set_big_endian(&mut self, big_endian: bool) {
        self.big_endian = big_endian;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_all_or_nothing_and_eof() {
        let (mut a, mut b) = StreamPeerPipe::pair_with_capacity(8).unwrap();
        assert!(StreamPeerPipe::pair_with_capacity(0).is_err());
        a.put_data(b"hello").unwrap();
        assert_eq!(a.put_data(b"world"), Err(Error::Busy));
        assert_eq!(a.put_data(&[0; 9]), Err(Error::InvalidParameter));
        assert_eq!(a.put_partial_data(b"world"), Ok(3));
        assert_eq!(a.put_partial_data(b"x"), Ok(0));
        assert_eq!(b.get_available_bytes(), 8);
        let mut buf = [0u8; 16];
        assert_eq!(b.get_data(&mut buf[..9]), Err(Error::InvalidParameter));
        b.get_data(&mut buf[..2]).unwrap();
        assert_eq!(&buf[..2], b"he");
        assert_eq!(b.get_partial_data(&mut buf), Ok(6));
        assert_eq!(&buf[..6], b"llowor");
        assert_eq!(b.get_partial_data(&mut buf), Ok(0));
        assert_eq!(b.get_data(&mut buf[..1]), Err(Error::Busy));
        // Close: the other end drains, then EOF; its writes fail.
        a.put_data(b"bye").unwrap();
        a.close();
        assert!(!a.is_open());
        assert!(b.is_open());
        assert_eq!(b.put_data(b"x"), Err(Error::Failed));
        assert_eq!(b.get_data(&mut buf[..4]), Err(Error::FileEof));
        assert_eq!(b.get_partial_data(&mut buf), Ok(3));
        assert_eq!(b.get_partial_data(&mut buf), Err(Error::FileEof));
        assert_eq!(b.get_data(&mut buf[..1]), Err(Error::FileEof));
        assert!(!b.is_open());
        assert_eq!(a.get_partial_data(&mut buf), Err(Error::Failed));
        assert_eq!(a.put_partial_data(b"x"), Err(Error::Failed));
        assert_eq!(a.get_available_bytes(), -1);
    }

    #[test]
    fn drop_closes() {
        let (a, mut b) = StreamPeerPipe::pair();
        assert_eq!(a.capacity(), PIPE_DEFAULT_CAPACITY);
        drop(a);
        let mut buf = [0u8; 1];
        assert_eq!(b.get_partial_data(&mut buf), Err(Error::FileEof));
    }
}
