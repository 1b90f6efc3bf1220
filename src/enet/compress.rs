//! The compressors Godot's `ENetConnection.compress()` offers (`docs/classes.md` §18.4), as host [`Compressor`]s.
//!
//! RANGE_CODER is ENet's own (see [`super::range_coder`]); FASTLZ, ZLIB and ZSTD use Godot's framing:
//! the whole command area of a datagram is one buffer, compressed as one block/stream.
#![forbid(unsafe_code)]

use std::io::{Read, Write};

use super::host::Compressor;
use super::range_coder::RangeCoder;

/// `ENetConnection.CompressionMode` (numbers are Godot's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompressionMode {
    None = 0,
    RangeCoder = 1,
    FastLz = 2,
    Zlib = 3,
    Zstd = 4,
}

impl TryFrom<i32> for CompressionMode {
    type Error = crate::Error;
    fn try_from(v: i32) -> Result<Self, Self::Error> {
        Ok(match v {
            0 => CompressionMode::None,
            1 => CompressionMode::RangeCoder,
            2 => CompressionMode::FastLz,
            3 => CompressionMode::Zlib,
            4 => CompressionMode::Zstd,
            _ => return Err(crate::Error::InvalidParameter),
        })
    }
}

/// Godot's compression levels (project settings, `docs/classes.md` §0.3).
#[derive(Debug, Clone, Copy)]
pub struct CompressionLevels {
    /// -1 = zlib default (6).
    pub zlib_level: i32,
    pub zstd_level: i32,
    pub zstd_long_distance_matching: bool,
    pub zstd_window_log_size: u32,
}

impl Default for CompressionLevels {
    fn default() -> Self {
        CompressionLevels {
            zlib_level: -1,
            zstd_level: 3,
            zstd_long_distance_matching: false,
            zstd_window_log_size: 27,
        }
    }
}

/// The compressor for `mode` (`None` for COMPRESS_NONE).
pub fn compressor(mode: CompressionMode, levels: CompressionLevels) -> Option<Box<dyn Compressor>> {
    match mode {
        CompressionMode::None => None,
        CompressionMode::RangeCoder => Some(Box::new(RangeCoder)),
        CompressionMode::FastLz => Some(Box::new(FastLz)),
        CompressionMode::Zlib => Some(Box::new(Zlib {
            level: levels.zlib_level,
        })),
        CompressionMode::Zstd => Some(Box::new(Zstd { levels })),
    }
}

// ----- FastLZ -----

/// FastLZ block format (levels 1 and 2 decoded; level 1 encoded, which is what FastLZ picks below
/// 64 KiB and so for every ENet datagram).
#[derive(Debug, Default)]
pub struct FastLz;

impl Compressor for FastLz {
    fn compress(&mut self, input: &[u8], out: &mut Vec<u8>) -> bool {
        // Godot pads inputs shorter than 16 bytes with zeros (ENet ignores the trailing zeros).
        if input.len() < 16 {
            let mut padded = [0u8; 16];
            padded[..input.len()].copy_from_slice(input);
            fastlz_compress(&padded, out);
        } else {
            fastlz_compress(input, out);
        }
        !out.is_empty()
    }
    fn decompress(&mut self, input: &[u8], out: &mut Vec<u8>, limit: usize) -> bool {
        fastlz_decompress(input, out, limit).is_some()
    }
}

const FASTLZ_MAX_COPY: usize = 32;
const FASTLZ_MAX_L1_LEN: usize = 264;
const FASTLZ_MAX_L1_DISTANCE: usize = 8192;
const FASTLZ_HASH_LOG: u32 = 13;

/// FastLZ level-1 compression into `out` (cleared first).
pub fn fastlz_compress(input: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let n = input.len();
    if n == 0 {
        return;
    }
    let mut table = vec![0usize; 1 << FASTLZ_HASH_LOG];
    let hash = |p: usize| -> usize {
        let v = input[p] as u32 | (input[p + 1] as u32) << 8 | (input[p + 2] as u32) << 16;
        (v.wrapping_mul(2654435769) >> (32 - FASTLZ_HASH_LOG)) as usize
    };
    let mut literals: Vec<u8> = Vec::with_capacity(FASTLZ_MAX_COPY);
    let flush = |lits: &mut Vec<u8>, out: &mut Vec<u8>| {
        if !lits.is_empty() {
            out.push((lits.len() - 1) as u8);
            out.extend_from_slice(lits);
            lits.clear();
        }
    };
    let mut ip = 0;
    // The stream must start with a literal run (its control byte carries the level bits).
    literals.push(input[0]);
    ip += 1;
    while ip < n {
        let mut matched = 0;
        let mut distance = 0;
        if ip + 3 <= n {
            let h = hash(ip);
            let cand = table[h];
            table[h] = ip;
            if cand < ip
                && ip - cand <= FASTLZ_MAX_L1_DISTANCE
                && input[cand..cand + 3] == input[ip..ip + 3]
            {
                let max = (n - ip).min(FASTLZ_MAX_L1_LEN);
                let mut l = 3;
                while l < max && input[cand + l] == input[ip + l] {
                    l += 1;
                }
                matched = l;
                distance = ip - cand;
            }
        }
        if matched >= 3 {
            flush(&mut literals, out);
            let code = matched - 2;
            let ofs = distance - 1;
            if code < 7 {
                out.push(((code << 5) + (ofs >> 8)) as u8);
            } else {
                out.push(((7 << 5) + (ofs >> 8)) as u8);
                out.push((code - 7) as u8);
            }
            out.push((ofs & 255) as u8);
            for p in ip + 1..(ip + matched).min(n.saturating_sub(2)) {
                table[hash(p)] = p;
            }
            ip += matched;
        } else {
            literals.push(input[ip]);
            ip += 1;
            if literals.len() == FASTLZ_MAX_COPY {
                flush(&mut literals, out);
            }
        }
    }
    flush(&mut literals, out);
}

/// FastLZ decompression (level from the first byte) into `out` (cleared first), at most `limit`
/// bytes. `None` on malformed input or overflow.
pub fn fastlz_decompress(input: &[u8], out: &mut Vec<u8>, limit: usize) -> Option<usize> {
    out.clear();
    let first = *input.first()?;
    let level = (first >> 5) + 1;
    if level > 2 {
        return None;
    }
    let mut ip = 1;
    let mut ctrl = (first & 31) as usize;
    loop {
        if ctrl >= 32 {
            let mut len = (ctrl >> 5) - 1;
            let mut ofs = (ctrl & 31) << 8;
            if level == 1 {
                if len == 6 {
                    len += *input.get(ip)? as usize;
                    ip += 1;
                }
                ofs += *input.get(ip)? as usize;
                ip += 1;
            } else {
                if len == 6 {
                    loop {
                        let code = *input.get(ip)?;
                        ip += 1;
                        len += code as usize;
                        if code != 255 {
                            break;
                        }
                    }
                }
                let code = *input.get(ip)? as usize;
                ip += 1;
                if code == 255 && ofs == 31 << 8 {
                    let hi = *input.get(ip)? as usize;
                    let lo = *input.get(ip + 1)? as usize;
                    ip += 2;
                    ofs = (hi << 8) + lo + 8191;
                } else {
                    ofs += code;
                }
            }
            len += 3;
            let distance = ofs + 1;
            if distance > out.len() || out.len() + len > limit {
                return None;
            }
            let start = out.len() - distance;
            for k in 0..len {
                let b = out[start + k];
                out.push(b);
            }
        } else {
            let run = ctrl + 1;
            let lit = input.get(ip..ip + run)?;
            if out.len() + run > limit {
                return None;
            }
            out.extend_from_slice(lit);
            ip += run;
        }
        if ip >= input.len() {
            break;
        }
        ctrl = input[ip] as usize;
        ip += 1;
    }
    Some(out.len())
}

// ----- zlib -----

/// zlib-wrapped DEFLATE (RFC 1950), Godot's COMPRESS_ZLIB.
#[derive(Debug)]
pub struct Zlib {
    pub level: i32,
}

impl Compressor for Zlib {
    fn compress(&mut self, input: &[u8], out: &mut Vec<u8>) -> bool {
        out.clear();
        let level = if (0..=9).contains(&self.level) {
            flate2::Compression::new(self.level as u32)
        } else {
            flate2::Compression::default()
        };
        let mut e = flate2::write::ZlibEncoder::new(std::mem::take(out), level);
        if e.write_all(input).is_err() {
            return false;
        }
        match e.finish() {
            Ok(v) => {
                *out = v;
                !out.is_empty()
            }
            Err(_) => false,
        }
    }
    fn decompress(&mut self, input: &[u8], out: &mut Vec<u8>, limit: usize) -> bool {
        out.clear();
        let d = flate2::read::ZlibDecoder::new(input);
        // One byte more than allowed tells an oversized stream apart.
        match d.take(limit as u64 + 1).read_to_end(out) {
            Ok(n) => n <= limit,
            Err(_) => false,
        }
    }
}

// ----- zstd -----

/// Zstandard frames, Godot's COMPRESS_ZSTD.
#[derive(Debug)]
pub struct Zstd {
    pub levels: CompressionLevels,
}

impl Compressor for Zstd {
    fn compress(&mut self, input: &[u8], out: &mut Vec<u8>) -> bool {
        out.clear();
        let Ok(mut c) = zstd::bulk::Compressor::new(self.levels.zstd_level) else {
            return false;
        };
        if self.levels.zstd_long_distance_matching {
            let _ = c.long_distance_matching(true);
            let _ = c.window_log(self.levels.zstd_window_log_size);
        }
        match c.compress(input) {
            Ok(v) => {
                *out = v;
                !out.is_empty()
            }
            Err(_) => false,
        }
    }
    fn decompress(&mut self, input: &[u8], out: &mut Vec<u8>, limit: usize) -> bool {
        out.clear();
        let Ok(mut d) = zstd::bulk::Decompressor::new() else {
            return false;
        };
        match d.decompress(input, limit) {
            Ok(v) if v.len() <= limit => {
                *out = v;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<Vec<u8>> {
        vec![
            b"x".to_vec(),
            b"short".to_vec(),
            b"0123456789abcdefghij".to_vec(),
            b"ENet ENet ENet ENet ENet ENet ENet ENet".repeat(30),
            (0..3000u32)
                .map(|i| (i.wrapping_mul(2654435761) >> 11) as u8)
                .collect(),
            vec![0u8; 4000],
        ]
    }

    #[test]
    fn every_mode_round_trips() {
        for mode in [
            CompressionMode::RangeCoder,
            CompressionMode::FastLz,
            CompressionMode::Zlib,
            CompressionMode::Zstd,
        ] {
            let mut c = compressor(mode, CompressionLevels::default()).unwrap();
            for s in samples() {
                let mut packed = Vec::new();
                let mut back = Vec::new();
                if !c.compress(&s, &mut packed) {
                    continue; // incompressible: sent uncompressed
                }
                assert!(c.decompress(&packed, &mut back, 8192), "{mode:?}");
                if mode == CompressionMode::FastLz && s.len() < 16 {
                    assert_eq!(&back[..s.len()], &s[..]);
                    assert!(back[s.len()..].iter().all(|&b| b == 0));
                    assert_eq!(back.len(), 16);
                } else {
                    assert_eq!(back, s, "{mode:?}");
                }
                assert!(!c.decompress(&packed, &mut back, 2) || s.len() <= 2 || back.len() <= 2);
            }
        }
    }

    #[test]
    fn fastlz_known_streams() {
        // literal run "abc", then a match of 6 at distance 3: "abcabcabc"
        let mut out = Vec::new();
        fastlz_decompress(&[2, b'a', b'b', b'c', (4 << 5), 2], &mut out, 100).unwrap();
        assert_eq!(out, b"abcabcabc");
        // level 2 marker
        fastlz_decompress(&[1 << 5, b'z'], &mut out, 100).unwrap();
        assert_eq!(out, b"z");
        assert!(fastlz_decompress(&[2, b'a'], &mut out, 100).is_none());
        assert!(fastlz_decompress(&[0, b'a', 0x20, 9], &mut out, 100).is_none());
    }

    proptest::proptest! {
        #[test]
        fn decoders_survive_garbage(data in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            for mode in [CompressionMode::FastLz, CompressionMode::Zlib, CompressionMode::Zstd, CompressionMode::RangeCoder] {
                let mut c = compressor(mode, CompressionLevels::default()).unwrap();
                let mut out = Vec::new();
                if c.decompress(&data, &mut out, 4096) {
                    proptest::prop_assert!(out.len() <= 4096);
                }
            }
        }

        #[test]
        fn fastlz_round_trips(data in proptest::collection::vec(0u8..4, 16..3000)) {
            let mut packed = Vec::new();
            let mut back = Vec::new();
            fastlz_compress(&data, &mut packed);
            fastlz_decompress(&packed, &mut back, 4096).unwrap();
            proptest::prop_assert_eq!(back, data);
        }
    }
}
