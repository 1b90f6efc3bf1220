//! PacketPeerStream (`docs/wire-format.md` §16, `docs/classes.md` §6): packets over any StreamPeer, each framed
//! as `u32 length (little-endian, always) + payload`.
//!
//! Same as the engine: the wire format; `put_packet` limits (`n + 4 > output buffer` →
//! `ERR_INVALID_PARAMETER`, `n == 0` → OK and nothing written, writes header+payload with one blocking
//! `put_data`); every `put_packet` (and `get_packet` / `get_available_packet_count`, except where noted
//! below) first pulls what fits into the receive ring with one `get_partial_data`, also when the ring is
//! full (0 bytes: the stream still reports its state); the pull error is returned by `put_packet`,
//! ignored by the others; the buffer sizes (`next_power_of_2(n + 4)`, default 65 536, getters return size − 4,
//! `get_max_packet_size` returns the output buffer size); `set_stream_peer` with a different stream
//! discards buffered input; `set_input_buffer_max_size` refuses while input is buffered.
//!
//! Differences from the engine, on purpose:
//! - **Receive side fixed.** The engine's ring holds `2^k − 1` bytes, so a frame with the largest payload
//!   the sender accepts (65 532) is never received and wedges the stream, and any frame announcing more
//!   than the ring can hold (e.g. a hostile `0xFFFFFFFF`) stalls it forever with `ERR_UNAVAILABLE`. Here
//!   the ring holds the full `2^k` bytes, so every payload up to `input_buffer_max_size` (65 532 by
//!   default, the same limit as the sender's) is received; a frame announcing more is **reported**:
//!   `get_packet` returns `ERR_OUT_OF_MEMORY` from then on (the stream's input is broken, since the
//!   framing has no resynchronisation) and [`PacketPeerStream::is_input_broken`] says so. Packets before
//!   the bad frame are delivered first. Clearing or changing the stream peer discards the input and the
//!   broken state.
//! - Setters that the engine leaves unchecked reject nonsense: a negative size or one whose buffer would
//!   exceed 256 MiB is `ERR_INVALID_PARAMETER`; resizing the input while data is buffered is
//!   `ERR_ALREADY_IN_USE` (the engine only prints an error).
//! - Buffers are allocated as data arrives, not up front. The receive buffer grows with the data up to
//!   the input buffer size, and up to twice it while a reader leaves many frames buffered (so unread
//!   bytes are moved at most about once each, instead of on every pull).
//! - Same results, fewer reads: `get_packet` skips the pull when the whole next frame is already
//!   buffered, and `get_available_packet_count` when the pull cannot change its count (ring full, or
//!   an impossible length buffered). Skipping only means bytes move from the stream a call later, as
//!   if they had arrived a moment later.
#![forbid(unsafe_code)]

use std::sync::Arc;

use super::{next_power_of_2, PacketPeer, PeerBase, StreamPeer};
use crate::error::{Error, Result};
use crate::sync::Shared;

/// Default buffer size, `2^max_buffer_po2` with the engine's default po2 of 16.
pub const PACKET_PEER_STREAM_DEFAULT_BUFFER: usize = 1 << 16;
/// Largest buffer a setter accepts (256 MiB), so the size − 4 limit always fits an `i32`.
pub const PACKET_PEER_STREAM_MAX_BUFFER: usize = 1 << 28;

/// How many bytes a pull asks for at most before the ring has grown to its full size: the ring starts
/// small and doubles, so a peer with a 256 MiB limit only allocates what it receives.
const RING_INITIAL: usize = 4096;

/// A PacketPeer over a shared StreamPeer `S` (a concrete stream type, or a trait object such as
/// `dyn StreamPeer + Send`). The stream is shared (`Shared<S>`), like the engine's `Ref<StreamPeer>`.
pub struct PacketPeerStream<S: ?Sized + StreamPeer + Send + 'static> {
    base: PeerBase,
    stream: Option<Shared<S>>,
    /// Receive ring: unread bytes are `ring[r..w]`; `ring.len()` grows up to `ring_size`.
    ring: Vec<u8>,
    r: usize,
    w: usize,
    /// Input buffer size P: the ring holds up to P bytes; payloads up to P − 4 are accepted.
    ring_size: usize,
    /// Output buffer size: `put_packet` accepts payloads up to this − 4.
    out_size: usize,
    /// The last packet returned by `get_packet` (the engine's input buffer).
    packet: Vec<u8>,
    /// Reused scratch for header + payload.
    out: Vec<u8>,
    broken: bool,
}

impl<S: ?Sized + StreamPeer + Send + 'static> Default for PacketPeerStream<S> {
    fn default() -> Self {
        Self::new()
    }
}

fn checked_buffer_size(n: i32) -> Result<usize> {
    if n < 0 {
        return Err(Error::InvalidParameter);
    }
    let p = next_power_of_2(n as u32 + 4) as usize;
    if p == 0 || p > PACKET_PEER_STREAM_MAX_BUFFER {
        return Err(Error::InvalidParameter);
    }
    Ok(p)
}

impl<S: ?Sized + StreamPeer + Send + 'static> PacketPeerStream<S> {
    /// A PacketPeerStream with no stream and the default buffers (65 532-byte payloads each way).
    pub fn new() -> Self {
        PacketPeerStream {
            base: PeerBase::default(),
            stream: None,
            ring: Vec::new(),
            r: 0,
            w: 0,
            ring_size: PACKET_PEER_STREAM_DEFAULT_BUFFER,
            out_size: PACKET_PEER_STREAM_DEFAULT_BUFFER,
            packet: Vec::new(),
            out: Vec::new(),
            broken: false,
        }
    }

    /// Sets (or with `None` clears) the stream. A different stream (by identity) discards buffered input.
    pub fn set_stream_peer(&mut self, stream: Option<Shared<S>>) {
        let same = match (&self.stream, &stream) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        if !same {
            self.discard_input();
        }
        self.stream = stream;
    }

    /// The stream, shared.
    pub fn get_stream_peer(&self) -> Option<Shared<S>> {
        self.stream.clone()
    }

    fn discard_input(&mut self) {
        self.ring = Vec::new();
        self.r = 0;
        self.w = 0;
        self.broken = false;
    }

    /// Largest payload received (input buffer size − 4).
    pub fn get_input_buffer_max_size(&self) -> i32 {
        (self.ring_size - 4) as i32
    }

    /// Input buffer becomes `next_power_of_2(n + 4)` bytes. `n < 0` or a buffer over 256 MiB →
    /// `ERR_INVALID_PARAMETER`; unread input buffered → `ERR_ALREADY_IN_USE`. No change on error.
    pub fn set_input_buffer_max_size(&mut self, n: i32) -> Result<()> {
        let p = checked_buffer_size(n)?;
        if self.w > self.r {
            return Err(Error::AlreadyInUse);
        }
        self.ring_size = p;
        self.discard_input();
        Ok(())
    }

    /// Largest payload sent (output buffer size − 4).
    pub fn get_output_buffer_max_size(&self) -> i32 {
        (self.out_size - 4) as i32
    }

    /// Output buffer becomes `next_power_of_2(n + 4)` bytes. `n < 0` or a buffer over 256 MiB →
    /// `ERR_INVALID_PARAMETER`, no change.
    pub fn set_output_buffer_max_size(&mut self, n: i32) -> Result<()> {
        self.out_size = checked_buffer_size(n)?;
        self.out = Vec::new();
        Ok(())
    }

    /// True once a frame longer than `input_buffer_max_size` was announced: the input can never make
    /// progress again and `get_packet` returns `ERR_OUT_OF_MEMORY` after delivering earlier packets.
    pub fn is_input_broken(&mut self) -> bool {
        if !self.broken {
            self.scan();
        }
        self.broken
    }

    /// One non-blocking read of up to the free ring space (the engine's `_poll_buffer`), through one
    /// lock of the stream.
    fn pull(&mut self) -> Result<()> {
        let Some(stream) = self.stream.as_ref() else {
            return Err(Error::Unconfigured);
        };
        let mut s = stream.lock()?;
        Self::fill(
            &mut *s,
            &mut self.ring,
            &mut self.r,
            &mut self.w,
            self.ring_size,
        )
    }

    /// The body of [`pull`](Self::pull) on an already locked stream.
    ///
    /// The ring is a linear buffer whose unread bytes `ring[r..w]` move to the front only when at least
    /// as many bytes were consumed since the last move (`r >= w - r`), so each byte is moved at most
    /// about once however the caller interleaves reads and polls; until then the allocation may grow
    /// past `ring_size` (never past twice it) so that one read can still be offered the whole free space.
    fn fill(
        s: &mut S,
        ring: &mut Vec<u8>,
        r: &mut usize,
        w: &mut usize,
        size: usize,
    ) -> Result<()> {
        if *r == *w {
            *r = 0;
            *w = 0;
        }
        let used = *w - *r;
        let free = size - used;
        if free == 0 {
            // The engine still calls get_partial_data (with 0 bytes), which reports the stream's
            // state, e.g. FAILED when a StreamPeerTCP is not connected.
            // A real (empty) buffer, not a dangling pointer, in case the stream hands it to C.
            let mut none = [0u8; 1];
            s.get_partial_data(&mut none[..0])?;
            return Ok(());
        }
        if ring.len() - *w < free {
            if *r > 0 && *r >= used {
                ring.copy_within(*r..*w, 0);
                *w = used;
                *r = 0;
            }
            if ring.len() - *w < free {
                // Grow towards what the data waiting on the stream needs (memory follows the data,
                // not the configured limit), doubling so growth is rare. `r < used <= size` here, so
                // `w + free = size + r < 2 * size`: the cap still leaves room for the whole free space.
                let waiting = s.get_available_bytes().max(0) as usize;
                let target = (*w + waiting)
                    .max(ring.len() * 2)
                    .max(RING_INITIAL)
                    .min(2 * size);
                if target > ring.len() {
                    ring.resize(target, 0);
                }
            }
        }
        let room = (ring.len() - *w).min(free);
        let got = s.get_partial_data(&mut ring[*w..*w + room])?;
        *w += got.min(room);
        Ok(())
    }

    /// True when the next `get_packet` is decided by the bytes already buffered: a whole frame, or a
    /// frame header announcing more than the input limit. Pulling first could then not change what it
    /// returns (it would only move more bytes from the stream into the ring earlier).
    fn head_is_decided(&self) -> bool {
        let avail = self.w - self.r;
        if avail < 4 {
            return false;
        }
        let len = frame_len(&self.ring[self.r..self.r + 4]);
        len > self.ring_size - 4 || avail - 4 >= len
    }

    /// Walks complete frames; returns their count and sets `broken` at an impossible length.
    fn scan(&mut self) -> i32 {
        let mut pos = self.r;
        let mut count = 0i32;
        while self.w - pos >= 4 {
            let len = frame_len(&self.ring[pos..pos + 4]);
            if len > self.ring_size - 4 {
                self.broken = true;
                break;
            }
            if self.w - pos - 4 < len {
                break;
            }
            pos += 4 + len;
            count = count.saturating_add(1);
        }
        count
    }
}

fn frame_len(b: &[u8]) -> usize {
    let mut h = [0u8; 4];
    h.copy_from_slice(b);
    u32::from_le_bytes(h) as usize
}

impl<S: ?Sized + StreamPeer + Send + 'static> PacketPeer for PacketPeerStream<S> {
    /// Pulls, then counts complete frames before any impossible one. 0 without a stream. The pull is
    /// skipped only where it cannot change the count: once an impossible frame length is buffered
    /// (counting stops there) or when the ring is full (the engine's pull then reads nothing).
    fn get_available_packet_count(&mut self) -> i32 {
        if !self.broken && self.w - self.r < self.ring_size {
            let _ = self.pull();
        }
        self.scan()
    }

    /// `ERR_UNCONFIGURED` without a stream; pulls (ignoring its error); `ERR_UNAVAILABLE` until a whole
    /// frame is buffered; `ERR_OUT_OF_MEMORY` once a frame longer than the input limit was announced.
    ///
    /// When the ring already holds the whole next frame (or an impossible header) the pull is skipped:
    /// the result is the same, and a caller draining a burst of frames pays one read per burst, not
    /// one per frame.
    fn get_packet(&mut self) -> Result<&[u8]> {
        if self.stream.is_none() {
            return Err(Error::Unconfigured);
        }
        if !self.head_is_decided() {
            let _ = self.pull();
        }
        let avail = self.w - self.r;
        if avail < 4 {
            return Err(Error::Unavailable);
        }
        let len = frame_len(&self.ring[self.r..self.r + 4]);
        if len > self.ring_size - 4 {
            self.broken = true;
            return Err(Error::OutOfMemory);
        }
        if avail - 4 < len {
            return Err(Error::Unavailable);
        }
        let start = self.r + 4;
        self.packet.clear();
        self.packet
            .extend_from_slice(&self.ring[start..start + len]);
        self.r = start + len;
        Ok(&self.packet)
    }

    /// `ERR_UNCONFIGURED` without a stream; the pull's error; empty → OK, nothing written; larger than
    /// `output_buffer_max_size` → `ERR_INVALID_PARAMETER`; else one `put_data` of header + payload.
    fn put_packet(&mut self, data: &[u8]) -> Result<()> {
        let Some(stream) = self.stream.as_ref() else {
            return Err(Error::Unconfigured);
        };
        // One lock for the pull and the write. The stream may let a burst of writes skip the pull
        // (`StreamPeer::skip_read_before_write`: same result as a pull just before bytes arrive).
        let mut s = stream.lock()?;
        if !s.skip_read_before_write() {
            Self::fill(
                &mut *s,
                &mut self.ring,
                &mut self.r,
                &mut self.w,
                self.ring_size,
            )?;
        }
        if data.is_empty() {
            return Ok(());
        }
        if data.len() > self.out_size - 4 {
            return Err(Error::InvalidParameter);
        }
        self.out.clear();
        self.out
            .extend_from_slice(&(data.len() as u32).to_le_bytes());
        self.out.extend_from_slice(data);
        s.put_data(&self.out)
    }

    /// The output buffer size, header included (65 536 by default), as the engine reports it.
    fn get_max_packet_size(&self) -> i32 {
        self.out_size as i32
    }

    fn base(&self) -> &PeerBase {
        &self.base
    }

    fn base_mut(&mut self) -> &mut PeerBase {
        &mut self.base
    }
}
