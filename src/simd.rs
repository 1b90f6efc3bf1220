//! Bulk conversions for the codec that safe Rust cannot express at full speed.
//!
//! Narrowing a large run of `f64` reals to little-endian `f32` bytes appended to a `Vec<u8>`
//! (packed vector arrays in a single-precision encode), and widening them back on decode. A large
//! output is not read back soon, so on x86_64 it is written with non-temporal (streaming) stores:
//! like glibc's memcpy for large copies, that skips the read-for-ownership of every destination
//! cache line, a third of the memory traffic of these memory-bound loops. Other targets, and small
//! runs, use the plain conversion.
//!
//! Also: short ASCII strings viewed as `str` without a second validation pass (the decoder meets
//! millions of short dictionary keys).
//!
//! It works on primitive types only (`f64`, `u8`, and types that promise to be runs of `f64`
//! through [`Reals`]) and depends on no other module of the crate: the codec in `variant` uses it,
//! and the vector types make their promise in `real_vectors`, so the dependency goes one way.
//!
//! This is the one core module allowed `unsafe`; every block says why it is sound.
#![allow(unsafe_code)]

/// Runs whose output is at least this many bytes use streaming stores (smaller outputs are
/// likely still in cache when they are sent, and gain nothing).
pub(crate) const STREAM_MIN_BYTES: usize = 4 << 20;

/// Types made of `N` `f64`s and nothing else: `[f64; N]`, and the vector types of `variant`
/// (implemented in `real_vectors`, so that this module needs no type of the crate).
///
/// # Safety
/// Implementors must be exactly `N` `f64`s with `f64` alignment and no padding (`[f64; N]` or a
/// `#[repr(C)]` struct of `N` `f64` fields), so that a slice of them is a slice of `N * len`
/// `f64`s and any `N` `f64`s make a valid value.
pub(crate) unsafe trait Reals {
    const N: usize;
}
// SAFETY: an array of K f64s is K f64s, f64-aligned, without padding.
unsafe impl<const K: usize> Reals for [f64; K] {
    const N: usize = K;
}

/// The components of `items`, in order, as one flat slice.
#[inline]
pub(crate) fn flat<T: Reals>(items: &[T]) -> &[f64] {
    // SAFETY: `T: Reals` is a repr(C) struct of exactly `T::N` f64 fields with f64 alignment, so
    // `items` is `len * N` initialized, aligned f64s that live as long as the borrow.
    unsafe { std::slice::from_raw_parts(items.as_ptr().cast::<f64>(), items.len() * T::N) }
}

/// `x` as `f64`, exactly, NaNs included: a NaN keeps its sign and its 23 payload bits (shifted to
/// the top of the f64 payload), so a signalling NaN stays signalling. `f64::from` does not promise
/// that, and on x86_64 (`cvtss2sd`) it sets the quiet bit. A single-precision engine build copies
/// real_t floats as they are, so a value that is decoded and encoded again must keep its bits.
#[inline(always)]
pub(crate) fn widen_exact(x: f32) -> f64 {
    if x.is_nan() {
        let b = x.to_bits();
        f64::from_bits(
            (u64::from(b & 0x8000_0000) << 32)
                | 0x7ff0_0000_0000_0000
                | (u64::from(b & 0x007f_ffff) << 29),
        )
    } else {
        f64::from(x)
    }
}

/// `x as f32` (round to nearest), except that a NaN keeps its sign and the top 23 bits of its
/// payload, quiet bit included: the inverse of [`widen_exact`], so a NaN decoded from 32 bits goes
/// back out as the same 32 bits. A NaN whose payload lies only in the low 29 bits would come out
/// as infinity; it gets the quiet bit instead, as the hardware conversion does.
#[inline(always)]
pub(crate) fn narrow_exact(x: f64) -> f32 {
    if x.is_nan() {
        let b = x.to_bits();
        let payload = ((b >> 29) & 0x007f_ffff) as u32;
        let payload = if payload == 0 { 0x0040_0000 } else { payload };
        f32::from_bits(((b >> 32) as u32 & 0x8000_0000) | 0x7f80_0000 | payload)
    } else {
        x as f32
    }
}

/// Appends each of `src` as a little-endian `f32` ([`narrow_exact`]: `x as f32`, round to nearest,
/// NaN bits kept) to `out`.
pub(crate) fn extend_narrowed(out: &mut Vec<u8>, src: &[f64]) {
    #[cfg(target_arch = "x86_64")]
    {
        if src.len() * 4 >= STREAM_MIN_BYTES {
            x86::extend_narrowed_stream(out, src);
            return;
        }
    }
    extend_narrowed_plain(out, src);
}

/// The portable conversion: L1-sized blocks converted on the stack, each appended with one copy.
pub(crate) fn extend_narrowed_plain(out: &mut Vec<u8>, src: &[f64]) {
    out.reserve(src.len() * 4);
    let mut buf = [0u8; 4096];
    for chunk in src.chunks(buf.len() / 4) {
        let n = chunk.len() * 4;
        for (d, x) in buf[..n].chunks_exact_mut(4).zip(chunk) {
            d.copy_from_slice(&narrow_exact(*x).to_le_bytes());
        }
        out.extend_from_slice(&buf[..n]);
    }
}

/// `bytes` (little-endian f32 components, a whole number of `T`s) widened to a `Vec<T>`, when the
/// output is large enough for streaming stores to pay off on this target; `None` otherwise (the
/// caller then converts with its plain loop).
pub(crate) fn widened<T: Reals>(bytes: &[u8]) -> Option<Vec<T>> {
    #[cfg(target_arch = "x86_64")]
    {
        if bytes.len() * 2 >= STREAM_MIN_BYTES {
            return Some(x86::widen_stream(bytes));
        }
    }
    let _ = bytes;
    None
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::Reals;
    use std::arch::x86_64::{
        _mm_cvtpd_ps, _mm_cvtps_pd, _mm_loadu_pd, _mm_loadu_ps, _mm_movehl_ps, _mm_movelh_ps,
        _mm_sfence, _mm_stream_pd, _mm_stream_ps,
    };

    /// `widened` with the 16-byte-aligned middle of the output written by streaming stores.
    pub(super) fn widen_stream<T: Reals>(bytes: &[u8]) -> Vec<T> {
        use std::arch::x86_64::{_mm_cmpunord_ps, _mm_movemask_ps};
        let n = bytes.len() / (4 * T::N);
        let reals = n * T::N;
        let mut out: Vec<T> = Vec::with_capacity(n);
        let dst = out.as_mut_ptr().cast::<f64>();
        let scalar = |i: usize| {
            let c = [
                bytes[i * 4],
                bytes[i * 4 + 1],
                bytes[i * 4 + 2],
                bytes[i * 4 + 3],
            ];
            let x = super::widen_exact(f32::from_le_bytes(c));
            // SAFETY: i < reals, and the allocation holds n T's = reals f64s (T: Reals); dst is
            // f64-aligned. Writing into the spare capacity through the raw pointer is allowed.
            unsafe { dst.add(i).write(x) };
        };
        // dst is 8-aligned (T is f64-aligned): at most one element brings it to 16.
        let head = usize::from(dst as usize % 16 != 0).min(reals);
        let end = head + (reals - head) / 4 * 4;
        for i in 0..head {
            scalar(i);
        }
        let src = bytes.as_ptr();
        let mut i = head;
        while i < end {
            // SAFETY: SSE2 is part of the x86_64 baseline. i + 4 <= end <= reals, so the unaligned
            // 16-byte load reads bytes[i*4..i*4+16] (inside `bytes`, whose len is >= reals*4) and
            // the two 16-byte stores write f64s i..i+4 inside the allocation; dst + i is 16-byte
            // aligned (dst + head is, and i - head is a multiple of 4).
            let nan = unsafe {
                let v = _mm_loadu_ps(src.add(i * 4).cast::<f32>());
                // cvtps2pd quiets a signalling NaN: four floats with a NaN among them go through
                // the exact scalar conversion instead (rare; one compare per four otherwise).
                let nan = _mm_movemask_ps(_mm_cmpunord_ps(v, v)) != 0;
                if !nan {
                    _mm_stream_pd(dst.add(i), _mm_cvtps_pd(v));
                    _mm_stream_pd(dst.add(i + 2), _mm_cvtps_pd(_mm_movehl_ps(v, v)));
                }
                nan
            };
            if nan {
                (i..i + 4).for_each(&scalar);
            }
            i += 4;
        }
        // SAFETY: SSE2 baseline; orders the streaming stores before what follows.
        unsafe { _mm_sfence() };
        for i in end..reals {
            scalar(i);
        }
        // SAFETY: capacity is n; all reals = n * T::N f64 components of the n elements were
        // written above (head, body, tail cover 0..reals), and any bit pattern is a valid f64, so
        // the n T's (repr(C) structs of f64s) are initialized.
        unsafe { out.set_len(n) };
        out
    }

    /// `extend_narrowed` with the 16-byte-aligned middle written by streaming stores.
    pub(super) fn extend_narrowed_stream(out: &mut Vec<u8>, src: &[f64]) {
        use std::arch::x86_64::{_mm_cmpunord_pd, _mm_movemask_pd};
        let bytes = src.len() * 4;
        out.reserve(bytes);
        let spare = &mut out.spare_capacity_mut()[..bytes];
        let base = spare.as_mut_ptr().cast::<u8>();
        // Elements before the first 16-byte boundary of the destination (f32 stores at any
        // address are fine; the streaming store needs 16-byte alignment).
        let head = ((16 - (base as usize & 15)) & 15)
            .div_ceil(4)
            .min(src.len());
        // A head that is not a whole number of f32s would leave the rest misaligned; then (never
        // for a Vec<u8> that only ever got whole f32s after 4-aligned headers, but possible in
        // general) everything goes through the plain path's scalar stores.
        let aligned = (base as usize + head * 4) % 16 == 0;
        let head = if aligned { head } else { src.len() };
        let body = (src.len() - head) / 4 * 4;

        let scalar = |i: usize| {
            let b = super::narrow_exact(src[i]).to_le_bytes();
            // SAFETY: i < src.len(), so bytes i*4..i*4+4 are inside `spare` (len src.len()*4);
            // writing to MaybeUninit<u8> memory through the raw pointer is always allowed.
            unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), base.add(i * 4), 4) };
        };
        for i in 0..head {
            scalar(i);
        }
        let mut i = head;
        let end = head + body;
        while i < end {
            // SAFETY: SSE2 is part of the x86_64 baseline. i + 4 <= end <= src.len(), so the two
            // unaligned 2-double loads read inside `src`. base + i*4 is 16-byte aligned (checked
            // above, and i - head is a multiple of 4) and the 16 bytes written lie inside `spare`.
            let nan = unsafe {
                let p = src.as_ptr().add(i);
                let (a, b) = (_mm_loadu_pd(p), _mm_loadu_pd(p.add(2)));
                // cvtpd2ps quiets a signalling NaN: four reals with a NaN among them go through the
                // exact scalar conversion instead (rare). One compare covers all four: a lane of
                // cmpunord(a, b) is set when a's or b's value in that lane is NaN.
                let nan = _mm_movemask_pd(_mm_cmpunord_pd(a, b));
                if nan == 0 {
                    let (lo, hi) = (_mm_cvtpd_ps(a), _mm_cvtpd_ps(b));
                    _mm_stream_ps(base.add(i * 4).cast::<f32>(), _mm_movelh_ps(lo, hi));
                }
                nan != 0
            };
            if nan {
                (i..i + 4).for_each(&scalar);
            }
            i += 4;
        }
        // SAFETY: SSE2 baseline; orders the weakly-ordered streaming stores before anything that
        // follows (set_len, and whoever reads `out` next, possibly on another thread).
        unsafe { _mm_sfence() };
        for i in end..src.len() {
            scalar(i);
        }
        let len = out.len() + bytes;
        // SAFETY: the `bytes` bytes after the old length were all written above (head, body and
        // tail cover 0..src.len()), and `reserve` made room for them.
        unsafe { out.set_len(len) };
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ascii_no_nul_is_exact() {
        let plain = |b: &[u8]| b.iter().all(|&x| (1..=0x7F).contains(&x));
        let mut x = 7u32;
        for len in 0..40 {
            for round in 0..300 {
                let mut v: Vec<u8> = (0..len)
                    .map(|_| {
                        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                        b'a' + (x >> 27) as u8
                    })
                    .collect();
                if len > 0 && round > 0 {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    let at = (x >> 8) as usize % len;
                    v[at] = (round % 256) as u8;
                }
                assert_eq!(ascii_no_nul(&v).is_some(), plain(&v), "{v:?}");
                if let Some(s) = ascii_no_nul(&v) {
                    assert_eq!(s.as_bytes(), &v[..]);
                }
            }
        }
    }

    use super::*;

    /// The reference narrowing: element by element, NaN bits kept.
    fn scalar(src: &[f64]) -> Vec<u8> {
        src.iter()
            .flat_map(|x| narrow_exact(*x).to_le_bytes())
            .collect()
    }

    fn sample(n: usize) -> Vec<f64> {
        let special = [
            0.0,
            -0.0,
            1.0,
            -1.5,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            1e-40,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.1,
            16777217.0,
            1.0000000596046448,
        ];
        (0..n)
            .map(|i| {
                if i % 7 == 3 {
                    special[i / 7 % special.len()]
                } else {
                    (i as f64) * 1.000_000_1 - 1_234.567_89
                }
            })
            .collect()
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn streaming_matches_scalar_for_lengths_and_offsets() {
        for n in (0..70).chain([1000, 4097]) {
            let src = sample(n);
            let want = scalar(&src);
            for pre in 0..20 {
                let mut out = vec![0xAAu8; pre];
                out.reserve(want.len() + 64);
                x86::extend_narrowed_stream(&mut out, &src);
                assert_eq!(&out[..pre], &vec![0xAAu8; pre][..]);
                assert_eq!(&out[pre..], &want[..], "n {n} pre {pre}");
            }
        }
    }

    #[test]
    fn large_and_plain_match_scalar() {
        let src = sample(STREAM_MIN_BYTES / 4 + 5);
        let want = scalar(&src);
        for pre in [0, 3, 8] {
            let mut out = vec![7u8; pre];
            extend_narrowed(&mut out, &src);
            assert_eq!(&out[pre..], &want[..]);
            let mut out = vec![7u8; pre];
            extend_narrowed_plain(&mut out, &src);
            assert_eq!(&out[pre..], &want[..]);
        }
    }

    #[test]
    fn nan_narrowing_matches_as_cast() {
        let src = [
            f64::NAN,
            -f64::NAN,
            f64::from_bits(0x7ff0_0000_0000_0001),
            1.0,
            2.0,
            3.0,
            4.0,
            5.0,
        ];
        let want = scalar(&src);
        let mut out = Vec::new();
        extend_narrowed_plain(&mut out, &src);
        assert_eq!(out, want);
        #[cfg(target_arch = "x86_64")]
        for pre in 0..16 {
            let mut out = vec![0u8; pre];
            x86::extend_narrowed_stream(&mut out, &src);
            assert_eq!(&out[pre..], &want[..]);
        }
    }

    fn widen_scalar(bytes: &[u8]) -> Vec<f64> {
        bytes
            .chunks_exact(4)
            .map(|c| widen_exact(f32::from_le_bytes([c[0], c[1], c[2], c[3]])))
            .collect()
    }

    fn f32_bytes(n: usize, pre: usize) -> Vec<u8> {
        let mut b = vec![0x55u8; pre];
        for (i, x) in sample(n).iter().enumerate() {
            let x = match i % 11 {
                5 => f32::from_bits(0x7fa0_0001), // signalling NaN
                6 => f32::from_bits(0xffc0_1234),
                _ => *x as f32,
            };
            b.extend_from_slice(&x.to_le_bytes());
        }
        b
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn streaming_widen_matches_scalar_for_lengths_and_offsets() {
        fn check<T: Reals>(count: usize, pre: usize) {
            let buf = f32_bytes(count * T::N, pre);
            let src = &buf[pre..];
            let got = x86::widen_stream::<T>(src);
            assert_eq!(got.len(), count);
            let got: Vec<u64> = flat(&got).iter().map(|x| x.to_bits()).collect();
            let want: Vec<u64> = widen_scalar(src).iter().map(|x| x.to_bits()).collect();
            assert_eq!(got, want, "count {count} pre {pre}");
        }
        for count in (0..40).chain([333, 1025]) {
            for pre in 0..8 {
                check::<[f64; 2]>(count, pre);
                check::<[f64; 3]>(count, pre);
                check::<[f64; 4]>(count, pre);
            }
        }
    }

    #[test]
    fn widened_only_for_large_outputs() {
        let small = f32_bytes(30, 0);
        assert!(widened::<[f64; 3]>(&small).is_none());
        let big = f32_bytes(STREAM_MIN_BYTES / 8 * 3 + 3, 0);
        let got = widened::<[f64; 3]>(&big);
        #[cfg(target_arch = "x86_64")]
        {
            let got = got.expect("large output streams");
            let want: Vec<u64> = widen_scalar(&big).iter().map(|x| x.to_bits()).collect();
            let got: Vec<u64> = flat(&got).iter().map(|x| x.to_bits()).collect();
            assert_eq!(got, want);
        }
        #[cfg(not(target_arch = "x86_64"))]
        assert!(got.is_none());
    }

    /// NaN bit patterns that must survive f32 -> f64 -> f32 unchanged: signalling and quiet, both
    /// signs, payload in the low and the high bits.
    const NAN_BITS: [u32; 8] = [
        0x7f80_0001,
        0xff80_7fff,
        0x7fa0_0000,
        0x7fbf_ffff,
        0x7fc0_0000,
        0xffc0_0000,
        0xffc0_1234,
        0x7fff_ffff,
    ];

    #[test]
    fn exact_conversions_keep_nan_bits() {
        for bits in NAN_BITS {
            let wide = widen_exact(f32::from_bits(bits));
            assert!(wide.is_nan());
            assert_eq!(narrow_exact(wide).to_bits(), bits, "{bits:#010x}");
        }
        // Not NaN: the plain conversions.
        for x in [
            0.0f32,
            -0.0,
            1.5,
            f32::MAX,
            f32::MIN_POSITIVE,
            1e-45,
            f32::INFINITY,
        ] {
            assert_eq!(widen_exact(x).to_bits(), f64::from(x).to_bits());
            assert_eq!(narrow_exact(f64::from(x)).to_bits(), x.to_bits());
        }
        assert_eq!(narrow_exact(0.1).to_bits(), (0.1f64 as f32).to_bits());
        // A f64 NaN with payload only below the f32 range becomes a quiet NaN, not infinity.
        assert_eq!(
            narrow_exact(f64::from_bits(0xfff0_0000_0000_0001)).to_bits(),
            0xffc0_0000
        );
    }

    /// The bulk paths (streaming and plain, every alignment, the NaN in every lane) keep NaN bits.
    #[test]
    fn bulk_paths_keep_nan_bits() {
        for lane in 0..8 {
            for bits in NAN_BITS {
                let mut f: Vec<f32> = (0..64).map(|i| i as f32 * 0.5).collect();
                f[16 + lane] = f32::from_bits(bits);
                let bytes: Vec<u8> = f.iter().flat_map(|x| x.to_le_bytes()).collect();
                let wide = widen_scalar(&bytes);
                #[cfg(target_arch = "x86_64")]
                {
                    let got = x86::widen_stream::<[f64; 2]>(&bytes);
                    let got: Vec<u64> = flat(&got).iter().map(|x| x.to_bits()).collect();
                    let want: Vec<u64> = wide.iter().map(|x| x.to_bits()).collect();
                    assert_eq!(got, want, "widen lane {lane} {bits:#010x}");
                    for pre in 0..8 {
                        let mut out = vec![0u8; pre];
                        x86::extend_narrowed_stream(&mut out, &wide);
                        assert_eq!(&out[pre..], &bytes[..], "narrow lane {lane} pre {pre}");
                    }
                }
                let mut out = Vec::new();
                extend_narrowed_plain(&mut out, &wide);
                assert_eq!(out, bytes);
            }
        }
    }

    #[test]
    fn flat_views_components_in_order() {
        let v = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
        assert_eq!(flat(&v), &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    }
}

/// `bytes` as a `str` when every byte is in 1..=0x7F (ASCII without NUL), checked in 8-byte words;
/// `None` otherwise. ASCII is valid UTF-8, so no second validation pass is needed.
#[inline(always)]
pub(crate) fn ascii_no_nul(bytes: &[u8]) -> Option<&str> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut bad = 0u64;
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        // High bit set, or a zero byte (the classic has-zero-byte test: exact when no byte has
        // its high bit set, and any high bit already fails).
        bad |= w | (w.wrapping_sub(LO) & !w);
    }
    for &b in chunks.remainder() {
        // High bit set, or zero (0 - 1 wraps to 0xFF).
        bad |= u64::from(b) | (u64::from(b.wrapping_sub(1)) & 0x80);
    }
    if bad & HI != 0 {
        return None;
    }
    // SAFETY: every byte is below 0x80, so `bytes` is ASCII, which is valid UTF-8.
    Some(unsafe { std::str::from_utf8_unchecked(bytes) })
}
