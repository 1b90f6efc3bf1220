//! The PacketPeer and StreamPeer abstractions and their in-memory implementations.
#![forbid(unsafe_code)]

use crate::error::{Error, Result};
use crate::variant::{self, DecodeOptions, EncodeOptions, Variant};

pub mod packet_peer_stream;
pub mod pipe;
pub mod stream_peer;
pub mod stream_peer_buffer;
pub use packet_peer_stream::PacketPeerStream;
pub use pipe::StreamPeerPipe;
pub use stream_peer::StreamPeerExt;
pub use stream_peer_buffer::StreamPeerBuffer;

/// Default and bounds of `encode_buffer_max_size` (`docs/wire-format.md` §15).
pub const ENCODE_BUFFER_MAX_SIZE_DEFAULT: i32 = 8_388_608;
pub const ENCODE_BUFFER_MAX_SIZE_MIN: i32 = 1024;
pub const ENCODE_BUFFER_MAX_SIZE_MAX: i32 = 268_435_456;

/// Smallest power of two ≥ `x`; 0 for 0 (the engine's `next_power_of_2`).
pub fn next_power_of_2(x: u32) -> u32 {
    if x == 0 {
        0
    } else {
        x.checked_next_power_of_two().unwrap_or(0)
    }
}

/// State every PacketPeer carries (the engine's PacketPeer base class fields).
#[derive(Debug)]
pub struct PeerBase {
    encode_buffer_max_size: i32,
    encode_buffer: Vec<u8>,
    last_get_error: Option<Error>,
    /// Codec options used by put_var/get_var beyond the per-call flags.
    pub encode_options: EncodeOptions,
    pub decode_options: DecodeOptions,
}

impl Default for PeerBase {
    fn default() -> Self {
        PeerBase {
            encode_buffer_max_size: ENCODE_BUFFER_MAX_SIZE_DEFAULT,
            encode_buffer: Vec::new(),
            last_get_error: None,
            encode_options: EncodeOptions::default(),
            decode_options: DecodeOptions::default(),
        }
    }
}

impl PeerBase {
    pub fn encode_buffer_max_size(&self) -> i32 {
        self.encode_buffer_max_size
    }

    /// The engine's setter: < 1024 or > 256 MiB is refused (no change, here `ERR_INVALID_PARAMETER`);
    /// otherwise rounded up to a power of two and the encode buffer is released.
    pub fn set_encode_buffer_max_size(&mut self, n: i32) -> Result<()> {
        if !(ENCODE_BUFFER_MAX_SIZE_MIN..=ENCODE_BUFFER_MAX_SIZE_MAX).contains(&n) {
            return Err(Error::InvalidParameter);
        }
        self.encode_buffer_max_size = next_power_of_2(n as u32) as i32;
        self.encode_buffer = Vec::new();
        Ok(())
    }

    /// Error of the last `get_packet`/`get_var` (`None` = OK).
    pub fn packet_error(&self) -> Option<Error> {
        self.last_get_error
    }

    pub fn set_packet_error(&mut self, e: Option<Error>) {
        self.last_get_error = e;
    }
}

/// A datagram-style peer (Godot's `PacketPeer`). Transports implement the four primitives and expose
/// their [`PeerBase`]; `put_var`/`get_var` and the bookkeeping come for free.
pub trait PacketPeer {
    /// Packets ready to read. Transports that poll do it here (so `&mut self`).
    fn get_available_packet_count(&mut self) -> i32;
    /// Pops the next packet. The slice lives until the next call that takes `&mut self`.
    fn get_packet(&mut self) -> Result<&[u8]>;
    /// Sends one packet (the native call: an empty packet is passed to the transport as is).
    fn put_packet(&mut self, data: &[u8]) -> Result<()>;
    /// Informational maximum packet size of this transport.
    fn get_max_packet_size(&self) -> i32;
    /// Pops the next packet into `buf` (cut to `buf.len()`); `Ok(None)` when none is ready. The
    /// default copies what `get_packet` returns; a transport that can read straight into `buf`
    /// overrides it (PacketPeerUDP; the DTLS read path uses it).
    fn get_packet_into(&mut self, buf: &mut [u8]) -> Result<Option<usize>> {
        match self.get_packet() {
            Ok(p) => {
                let n = p.len().min(buf.len());
                buf[..n].copy_from_slice(&p[..n]);
                Ok(Some(n))
            }
            Err(Error::Unavailable) => Ok(None),
            Err(e) => Err(e),
        }
    }
    fn base(&self) -> &PeerBase;
    fn base_mut(&mut self) -> &mut PeerBase;

    /// Encodes `v` and sends it as one packet (`docs/wire-format.md` §15).
    ///
    /// Like the engine: an error of the value comes first, then a value longer than
    /// `encode_buffer_max_size` fails with `ERR_OUT_OF_MEMORY`. Encoded in one pass into the
    /// peer's reused buffer, which grows to powers of two, never past the limit, and never shrinks.
    fn put_var(&mut self, v: &Variant, full_objects: bool) -> Result<()> {
        let base = self.base_mut();
        let opts = EncodeOptions {
            full_objects,
            ..base.encode_options
        };
        let limit = base.encode_buffer_max_size as usize;
        let mut buf = std::mem::take(&mut base.encode_buffer);
        buf.clear();
        let encoded = variant::codec::encode_into_limited(v, &opts, &mut buf, limit);
        let sent = encoded
            .map_err(|e| e.code)
            .and_then(|()| self.put_packet(&buf));
        self.base_mut().encode_buffer = buf;
        sent
    }

    /// Pops one packet and decodes it; trailing bytes are ignored. Unlike the engine, this also records
    /// its error for `get_packet_error` (the engine's docs promise it; the engine forgets).
    fn get_var(&mut self, allow_objects: bool) -> Result<Variant> {
        let opts = DecodeOptions {
            allow_objects,
            ..self.base().decode_options
        };
        let res = match self.get_packet() {
            Ok(pkt) => variant::decode(pkt, &opts)
                .map(|(v, _)| v)
                .map_err(|e| e.code),
            Err(e) => Err(e),
        };
        self.base_mut()
            .set_packet_error(res.as_ref().err().copied());
        res
    }
}

/// A byte-stream peer (Godot's `StreamPeer`). Transports implement the primitives; the typed helpers
/// are provided.
pub trait StreamPeer {
    /// Writes all of `data` (blocking in the engine's sense: returns when all bytes are written or on error).
    fn put_data(&mut self, data: &[u8]) -> Result<()>;
    /// Writes what fits now; returns the count written (may be 0).
    fn put_partial_data(&mut self, data: &[u8]) -> Result<usize>;
    /// Fills all of `buf` or fails.
    fn get_data(&mut self, buf: &mut [u8]) -> Result<()>;
    /// Reads what is available now into `buf`; returns the count (may be 0).
    fn get_partial_data(&mut self, buf: &mut [u8]) -> Result<usize>;
    /// Asked by a writer about to make its read-before-write (PacketPeerStream's pull in
    /// `put_packet`, which keeps input flowing and reports a closed stream): `true` lets it skip that
    /// read, promising the read would give what a real one gives when the bytes (or the close) arrive
    /// just after it, i.e. 0 bytes and no error. `false` (the default) always.
    fn skip_read_before_write(&mut self) -> bool {
        false
    }
    /// Bytes that can be read now without blocking (-1 on error).
    fn get_available_bytes(&self) -> i32;
    fn is_big_endian(&self) -> bool;
    fn set_big_endian(&mut self, big_endian: bool);
}
