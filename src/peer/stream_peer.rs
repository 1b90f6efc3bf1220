//! StreamPeer's typed helpers (`docs/classes.md` §3): integers, floats, strings and Variants over any
//! [`StreamPeer`], in the stream's byte order.
//!
//! They are provided through [`StreamPeerExt`], implemented for every `StreamPeer` (also `dyn` ones),
//! so transports only write the five primitives.
#![forbid(unsafe_code)]

use super::StreamPeer;
use crate::error::{Error, Result};
use crate::variant::{self, DecodeOptions, EncodeOptions, Variant};

/// Largest Variant `put_var` writes and `get_var` accepts on a StreamPeer (the engine's
/// `encode_buffer_max_size` ceiling, 256 MiB). The engine has no bound on reads; we do, so a hostile
/// length prefix cannot make us allocate gigabytes.
pub const STREAM_VAR_MAX_SIZE: usize = 268_435_456;

/// Reads of a length-prefixed payload grow their buffer by at most this much before the bytes
/// arrived, so memory follows the data that really came in.
const READ_CHUNK: usize = 64 * 1024;

/// Godot's `Math::make_half_float`: truncates the mantissa, flushes results below 2^-14 to +0
/// (denormals are not produced, and the sign of such values is lost), maps overflow to ±inf and keeps
/// NaN as a quiet NaN with all mantissa bits set.
pub fn f32_to_half(f: f32) -> u16 {
    let x = f.to_bits();
    let sign = ((x >> 31) as u16) << 15;
    let mantissa = x & ((1 << 23) - 1);
    let exponent = x & (0xFF << 23);
    if exponent >= 0x4780_0000 {
        let m = if mantissa != 0 && exponent == (0xFF << 23) {
            (1 << 23) - 1
        } else {
            0
        };
        sign | (0x1F << 10) | (m >> 13) as u16
    } else if exponent <= 0x3800_0000 {
        0
    } else {
        sign | ((exponent - 0x3800_0000) >> 13) as u16 | (mantissa >> 13) as u16
    }
}

/// IEEE half to float, exact (denormals included), like the engine's `Math::half_to_float`.
pub fn half_to_f32(h: u16) -> f32 {
    let sign = ((h as u32) & 0x8000) << 16;
    let exp = ((h >> 10) & 0x1F) as u32;
    let mant = (h & 0x3FF) as u32;
    let bits = if exp == 0 {
        if mant == 0 {
            sign
        } else {
            // Denormal: value = mant * 2^-24.
            let v = mant as f32 * (1.0 / 16_777_216.0);
            return if sign != 0 { -v } else { v };
        }
    } else if exp == 0x1F {
        sign | 0x7F80_0000 | (mant << 13)
    } else {
        sign | ((exp + 112) << 23) | (mant << 13)
    };
    f32::from_bits(bits)
}

/// Reads `len` bytes with blocking `get_data`, growing the buffer chunk by chunk.
fn read_exact_vec<S: StreamPeer + ?Sized>(s: &mut S, len: usize) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(len.min(READ_CHUNK));
    while out.len() < len {
        let start = out.len();
        let n = (len - start).min(READ_CHUNK.max(start));
        out.resize(start + n, 0);
        s.get_data(&mut out[start..])?;
    }
    Ok(out)
}

macro_rules! int_helpers {
    ($($put:ident, $get:ident, $t:ty;)*) => {$(
        #[doc = concat!("Writes a `", stringify!($t), "` in the stream's byte order (blocking `put_data`).")]
        fn $put(&mut self, v: $t) -> Result<()> {
            let b = if self.is_big_endian() { v.to_be_bytes() } else { v.to_le_bytes() };
            self.put_data(&b)
        }
        #[doc = concat!("Reads a `", stringify!($t), "` in the stream's byte order (blocking `get_data`).")]
        fn $get(&mut self) -> Result<$t> {
            let mut b = [0u8; std::mem::size_of::<$t>()];
            self.get_data(&mut b)?;
            Ok(if self.is_big_endian() { <$t>::from_be_bytes(b) } else { <$t>::from_le_bytes(b) })
        }
    )*};
}

/// The typed helpers of Godot's StreamPeer. All go through the blocking `put_data` / `get_data`, and
/// honour `big_endian` (PacketPeerStream framing never uses them).
pub trait StreamPeerExt: StreamPeer {
    int_helpers! {
        put_8, get_8, i8;
        put_u8, get_u8, u8;
        put_16, get_16, i16;
        put_u16, get_u16, u16;
        put_32, get_32, i32;
        put_u32, get_u32, u32;
        put_64, get_64, i64;
        put_u64, get_u64, u64;
        put_float, get_float, f32;
        put_double, get_double, f64;
    }

    /// Writes a half float, converted like the engine ([`f32_to_half`]).
    fn put_half(&mut self, v: f32) -> Result<()> {
        self.put_u16(f32_to_half(v))
    }

    /// Reads a half float.
    fn get_half(&mut self) -> Result<f32> {
        self.get_u16().map(half_to_f32)
    }

    /// `put_string`: u32 length + the string as ASCII, no terminator. Like the engine, a character that
    /// is not ASCII is written as `?`.
    fn put_string(&mut self, s: &str) -> Result<()> {
        let bytes: Vec<u8> = s
            .chars()
            .map(|c| if c.is_ascii() { c as u8 } else { b'?' })
            .collect();
        put_len_prefixed(self, &bytes)
    }

    /// `put_utf8_string`: u32 length + UTF-8 bytes, no terminator.
    fn put_utf8_string(&mut self, s: &str) -> Result<()> {
        put_len_prefixed(self, s.as_bytes())
    }

    /// `get_string(bytes)`: reads `bytes` bytes, or an i32 length first when `bytes < 0`. The bytes are
    /// Latin-1 as in the engine and the string ends at the first NUL. A negative length read from the
    /// stream is `ERR_INVALID_DATA`.
    fn get_string(&mut self, bytes: i32) -> Result<String> {
        let raw = get_len_prefixed(self, bytes)?;
        Ok(raw
            .iter()
            .take_while(|&&b| b != 0)
            .map(|&b| b as char)
            .collect())
    }

    /// `get_utf8_string(bytes)`: like [`StreamPeerExt::get_string`], decoding UTF-8 (invalid sequences
    /// become U+FFFD, as the engine's parser does); the string ends at the first NUL.
    fn get_utf8_string(&mut self, bytes: i32) -> Result<String> {
        let raw = get_len_prefixed(self, bytes)?;
        let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
        Ok(String::from_utf8_lossy(&raw[..end]).into_owned())
    }

    /// `put_var`: the u32 length of the encoding (in the stream's byte order — unlike PacketPeerStream
    /// framing) followed by the Variant bytes. Encodings over 256 MiB are `ERR_OUT_OF_MEMORY`.
    fn put_var(&mut self, v: &Variant, full_objects: bool) -> Result<()> {
        let opts = EncodeOptions {
            full_objects,
            ..EncodeOptions::default()
        };
        let len = variant::encoded_len(v, &opts).map_err(|e| e.code)?;
        if len > STREAM_VAR_MAX_SIZE {
            return Err(Error::OutOfMemory);
        }
        let mut buf = Vec::with_capacity(4 + len);
        buf.extend_from_slice(&[0; 4]);
        variant::encode_into(v, &opts, &mut buf).map_err(|e| e.code)?;
        let n = (buf.len() - 4) as u32;
        let prefix = if self.is_big_endian() {
            n.to_be_bytes()
        } else {
            n.to_le_bytes()
        };
        buf[..4].copy_from_slice(&prefix);
        self.put_data(&buf)
    }

    /// `get_var`: reads the i32 length (stream byte order), then that many bytes, and decodes them
    /// (trailing bytes ignored). A negative length is `ERR_INVALID_DATA`; one above 256 MiB is
    /// `ERR_OUT_OF_MEMORY` and nothing more is read.
    fn get_var(&mut self, allow_objects: bool) -> Result<Variant> {
        let len = self.get_32()?;
        if len < 0 {
            return Err(Error::InvalidData);
        }
        if len as usize > STREAM_VAR_MAX_SIZE {
            return Err(Error::OutOfMemory);
        }
        let data = read_exact_vec(self, len as usize)?;
        let opts = DecodeOptions {
            allow_objects,
            ..DecodeOptions::default()
        };
        variant::decode(&data, &opts)
            .map(|(v, _)| v)
            .map_err(|e| e.code)
    }
}

impl<T: StreamPeer + ?Sized> StreamPeerExt for T {}

fn put_len_prefixed<S: StreamPeer + ?Sized>(s: &mut S, bytes: &[u8]) -> Result<()> {
    let n = u32::try_from(bytes.len())
        .ok()
        .filter(|&n| n <= i32::MAX as u32)
        .ok_or(Error::InvalidParameter)?;
    let mut buf = Vec::with_capacity(4 + bytes.len());
    if s.is_big_endian() {
        buf.extend_from_slice(&n.to_be_bytes());
    } else {
        buf.extend_from_slice(&n.to_le_bytes());
    }
    buf.extend_from_slice(bytes);
    s.put_data(&buf)
}

fn get_len_prefixed<S: StreamPeer + ?Sized>(s: &mut S, bytes: i32) -> Result<Vec<u8>> {
    let len = if bytes < 0 {
        let n = s.get_32()?;
        if n < 0 {
            return Err(Error::InvalidData);
        }
        n
    } else {
        bytes
    };
    read_exact_vec(s, len as usize)
}
