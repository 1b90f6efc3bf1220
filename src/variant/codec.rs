//! Godot 4's binary Variant codec (`var_to_bytes` / `bytes_to_var`), `docs/wire-format.md` §2–§14.
//!
//! Neither direction recurses on the native stack: containers are walked with an explicit stack,
//! so hostile nesting costs heap (bounded by the input) and never overflows the thread's stack.
//!
//! Choices the engine leaves open, documented here once:
//! * **Errors** carry the engine's `Error` code, the byte offset (from the start of the buffer)
//!   of the word or string where the problem was found, and a short reason.
//! * **Depth**: the engine's `MAX_RECURSION_DEPTH` (1024) applies both ways; the outermost value is
//!   depth 0; deeper values fail with `ERR_OUT_OF_MEMORY`, checked before the header is read.
//!   `Limits::max_depth` can lower it, never raise it (values above 1024 act as 1024), so no
//!   decoded value is deeper than the engine allows.
//! * **Strings** containing U+0000 cannot exist in Godot and would not survive the trip (the
//!   decoder stops at the first NUL), so the encoder refuses them with `ERR_INVALID_PARAMETER`,
//!   the engine's code for an argument it cannot take.
//! * **A leading U+FEFF** in a String is sent as is and, like in the engine, dropped by the
//!   decoder's BOM rule, so such a string does not survive a round trip unchanged.
//! * **Objects** (`docs/wire-format.md` §8): `Object::Null` and `Object::Id(0)` encode as NIL, like a null or freed
//!   object. `Object::Id(n)` always travels by id (`0x00010018` + u64), with or without
//!   `full_objects`: the id is all we have, and the by-id form is accepted by every decoder.
//!   `Object::Full` needs `full_objects`: the engine sends an object by id when `full_objects`
//!   is false, and a `FullObject` has no id, so encoding it without `full_objects` fails with
//!   `ERR_INVALID_PARAMETER` instead of inventing one or silently sending NIL. With
//!   `full_objects`, a non-NIL `script` property must be a String starting with `res://`
//!   (else `ERR_UNAVAILABLE`, as the engine; a non-String value is `ERR_INVALID_PARAMETER`).
//!   A `FullObject` with an empty class name is a null object: NIL if it has no properties,
//!   `ERR_INVALID_PARAMETER` otherwise.
//! * **Typed containers** (`docs/wire-format.md` §9): `ContainerType::Builtin(Nil)` is untyped and sent as NONE;
//!   `Builtin(t)` is sent as BUILTIN (`Builtin(Object)` too: every decoder reads BUILTIN OBJECT
//!   either as Object or, without `allow_objects`, as `EncodedObjectAsID`). Without
//!   `full_objects`, class and script types are sent as class `EncodedObjectAsID`; with it, a
//!   script path that is empty or not `res://` fails with `ERR_UNAVAILABLE`. On decode without
//!   `allow_objects`, CLASS_NAME, SCRIPT and BUILTIN OBJECT descriptors become
//!   `Class("EncodedObjectAsID")`, as in the engine. A descriptor naming STRUCT (redot-struct
//!   dialect) has no representation here and fails with `ERR_BUG`.
//! * **Limits**: going past `Limits::max_elements` or `Limits::max_bytes` fails with
//!   `ERR_OUT_OF_MEMORY` (the engine's code for "too big"). With the default limits, the decoder
//!   still never allocates more than a constant factor of the input: every count is checked
//!   against the bytes left before anything is reserved.
//! * **Sizes** over `i32::MAX` (a count or length the wire cannot carry) fail to encode with
//!   `ERR_OUT_OF_MEMORY`.

use super::Variant;
use crate::error::Error;

mod decode;
mod encode;
mod wire;

/// The Godot 3.x name of a type (`Quat`, `Transform`, `PoolIntArray`, …), or None when Godot 3 has
/// no such type (`docs/wire-format.md` §19).
pub use wire::godot3_name;

/// Which type-id table is on the wire (`docs/wire-format.md` §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// Godot 4.3+ and Redot without STRUCT.
    #[default]
    Godot4,
    /// Redot master after the GDScript structs merge: STRUCT at 25, later ids shifted by one.
    RedotStruct,
    /// Godot 3.x (`var2bytes` / `bytes2var`, `docs/wire-format.md` §19): its own type ids (ARRAY 19,
    /// DICTIONARY 18, …), RID without payload, OBJECT at 17, math types always f32 (FLAG_64 ignored
    /// on decode for them, never written), no typed containers (header bits 16–19 of ARRAY and
    /// DICTIONARY ignored on decode). Types Godot 3 lacks are refused on encode, naming the type,
    /// unless [`EncodeOptions::godot3_lossy`] allows the documented conversion.
    Godot3,
}

/// Bounds on what one decode may build. The default never allocates more than the input can describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Maximum nesting depth (the engine's `MAX_RECURSION_DEPTH`, 1024; larger values act as 1024).
    /// Exceeding it: `ERR_OUT_OF_MEMORY`.
    pub max_depth: u32,
    /// Maximum number of values (elements, keys, values, properties, packed items, NodePath
    /// names) in one decode. Exceeding it: `ERR_OUT_OF_MEMORY`.
    pub max_elements: usize,
    /// Maximum bytes the decoded value may hold in memory (approximate: `size_of::<Variant>()`
    /// per value plus boxed payloads, string and packed-array contents). Exceeding it:
    /// `ERR_OUT_OF_MEMORY`.
    pub max_bytes: usize,
}

/// The engine's `MAX_RECURSION_DEPTH`, defined with the container rules (the containers refuse a
/// value the codec could not encode) and re-exported here, where it has always been.
pub use super::MAX_RECURSION_DEPTH;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EncodeOptions {
    /// Send objects in full instead of as instance ids (`full_objects`).
    pub full_objects: bool,
    /// Encode real_t components as f64 with FLAG_64, like a `precision=double` engine build.
    /// Ignored by the Godot 3 dialect (Godot 3.2 never sends f64 math types, §19).
    pub real_is_double: bool,
    pub dialect: Dialect,
    /// Godot 3 dialect only: convert what Godot 3 has no type for where the conversion is
    /// documented, instead of refusing it (`docs/wire-format.md` §19):
    /// * StringName → String;
    /// * Vector2i, Rect2i, Vector3i → Vector2, Rect2, Vector3, when every component is exactly
    ///   representable as f32 (|x| ≤ 2^24 or a multiple of a large enough power of two); else refused;
    /// * PackedInt64Array → POOL_INT_ARRAY when every value fits in i32; else refused;
    /// * PackedFloat64Array → POOL_REAL_ARRAY, each value rounded to the nearest f32 (the loss);
    /// * typed Array / Dictionary → untyped (the elements are sent as they are);
    /// * an RID with a non-zero id → the payload-less Godot 3 RID (the id is lost).
    ///
    /// Vector4, Vector4i, Projection, Callable, Signal and PackedVector4Array have no Godot 3
    /// counterpart and are always refused. Without this option every one of these is refused.
    pub godot3_lossy: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Accept objects sent in full (`allow_objects`); otherwise they fail with ERR_UNAUTHORIZED.
    pub allow_objects: bool,
    pub dialect: Dialect,
    pub limits: Limits,
}

/// A codec failure: the engine's Error code, the byte offset where it was detected, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} at byte {offset}: {reason}")]
pub struct VariantError {
    pub code: Error,
    pub offset: usize,
    pub reason: &'static str,
}

impl VariantError {
    pub(crate) fn new(code: Error, offset: usize, reason: &'static str) -> Self {
        VariantError {
            code,
            offset,
            reason,
        }
    }
}

/// Bytes `encode` would produce for `v`, or the error it would fail with.
pub fn encoded_len(v: &Variant, opts: &EncodeOptions) -> Result<usize, VariantError> {
    let mut counter = encode::Counter(0);
    encode::encode_with(v, opts, &mut counter)?;
    Ok(counter.0)
}

/// Appends the encoding of `v` to `out`. On error `out` is left as it was.
///
/// Into a reused buffer with enough capacity this allocates nothing (values nested more than one
/// container deep use one small allocation for the walk).
pub fn encode_into(
    v: &Variant,
    opts: &EncodeOptions,
    out: &mut Vec<u8>,
) -> Result<(), VariantError> {
    let start = out.len();
    let mut w = encode::Writer::<false>::new(out, usize::MAX);
    match encode::encode_with(v, opts, &mut w) {
        Ok(()) => {
            w.flush();
            Ok(())
        }
        Err(e) => {
            out.truncate(start);
            Err(e)
        }
    }
}

/// Like [`encode_into`], but appends at most `limit` bytes: an encoding longer than that fails
/// with `ERR_OUT_OF_MEMORY` (offset: its full length) after `out` grew to `limit` more bytes at
/// most. Errors of the value itself take precedence, as with a sizing pass before the check. `out`
/// grows to powers of two (counted from its length at the call) capped at `limit`; on error it is
/// left as it was (its capacity may have grown).
pub(crate) fn encode_into_limited(
    v: &Variant,
    opts: &EncodeOptions,
    out: &mut Vec<u8>,
    limit: usize,
) -> Result<(), VariantError> {
    match encode_into_capped(v, opts, out, limit)? {
        Ok(()) => Ok(()),
        Err(full) => Err(VariantError::new(
            Error::OutOfMemory,
            full,
            "encoding longer than the limit",
        )),
    }
}

/// [`encode_into_limited`] with the one failure that is not the value's told apart: `Ok(Err(n))`
/// when the encoding (of `n` bytes) is longer than `limit`; `out` is then left as it was.
pub(crate) fn encode_into_capped(
    v: &Variant,
    opts: &EncodeOptions,
    out: &mut Vec<u8>,
    limit: usize,
) -> Result<Result<(), usize>, VariantError> {
    let start = out.len();
    let mut w = encode::Writer::<true>::new(out, limit);
    let res = encode::encode_with(v, opts, &mut w).map(|()| {
        w.flush();
        if w.over_limit() {
            Err(encode::Sink::pos(&w))
        } else {
            Ok(())
        }
    });
    if !matches!(res, Ok(Ok(()))) {
        out.truncate(start);
    }
    res
}

/// The encoding of `v`.
///
/// One pass: packed arrays reserve their exact size as they are written, and a sizing pass first
/// would cost as much as the encoding itself for values made of many small containers (the walk,
/// not the copying, is what costs there). Callers that want an exact-size buffer can use
/// [`encoded_len`] and [`encode_into`].
pub fn encode(v: &Variant, opts: &EncodeOptions) -> Result<Vec<u8>, VariantError> {
    let mut out = Vec::new();
    encode_into(v, opts, &mut out)?;
    Ok(out)
}

/// Decodes one value from the start of `data`; returns it with the bytes consumed (clamped to
/// `data.len()`). Trailing bytes are not an error.
pub fn decode(data: &[u8], opts: &DecodeOptions) -> Result<(Variant, usize), VariantError> {
    decode::decode(data, opts)
}

/// Which half of a [`translate`] failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranslateError {
    /// The input did not decode in the source dialect; the offset is into the input.
    #[error("decode: {0}")]
    Decode(VariantError),
    /// The decoded value cannot be encoded in the target dialect (e.g. a Godot 4 StringName
    /// towards Godot 3 without `godot3_lossy`); the offset is into the output.
    #[error("encode: {0}")]
    Encode(VariantError),
}

impl TranslateError {
    /// The codec error of whichever half failed.
    pub fn error(&self) -> &VariantError {
        match self {
            TranslateError::Decode(e) | TranslateError::Encode(e) => e,
        }
    }
}

/// Decodes one value from the start of `data` with `from` and appends its encoding with `to` to
/// `out`, in one call: a relay between a Godot 3 and a Godot 4 game (`docs/wire-format.md` §19)
/// sets `from.dialect` and `to.dialect` to the two sides. Returns the input bytes consumed
/// (trailing bytes are not translated, as the engine ignores them). On error `out` is left as it
/// was. The value is translated as a whole, so its decode and encode limits both apply.
pub fn translate_into(
    data: &[u8],
    from: &DecodeOptions,
    to: &EncodeOptions,
    out: &mut Vec<u8>,
) -> Result<usize, TranslateError> {
    let (v, used) = decode(data, from).map_err(TranslateError::Decode)?;
    encode_into(&v, to, out).map_err(TranslateError::Encode)?;
    Ok(used)
}

/// [`translate_into`] into a new buffer: the encoding in `to`'s dialect and the input bytes consumed.
pub fn translate(
    data: &[u8],
    from: &DecodeOptions,
    to: &EncodeOptions,
) -> Result<(Vec<u8>, usize), TranslateError> {
    let mut out = Vec::new();
    let used = translate_into(data, from, to, &mut out)?;
    Ok((out, used))
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: MAX_RECURSION_DEPTH,
            max_elements: usize::MAX,
            max_bytes: usize::MAX,
        }
    }
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            allow_objects: false,
            dialect: Dialect::Godot4,
            limits: Limits::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::variant::{Array, ContainerType};

    fn arr(elements: Vec<Variant>) -> Variant {
        Variant::Array(Box::new(Array {
            element_type: ContainerType::Any,
            elements,
        }))
    }

    #[test]
    fn limited_encode_agrees_and_stays_under_the_limit() {
        let opts = EncodeOptions::default();
        let small = arr((0..300)
            .map(|i| Variant::String(format!("s{i}").into()))
            .collect());
        let packed = Variant::PackedByteArray(vec![7; 1 << 24]);
        let both = arr(vec![small.clone(), packed.clone()]);
        for v in [&small, &packed, &both] {
            let full = encode(v, &opts).unwrap();
            for limit in [1024, 4096, full.len() - 1, full.len(), usize::MAX] {
                let mut out = vec![1, 2, 3];
                let res = encode_into_limited(v, &opts, &mut out, limit);
                if full.len() <= limit {
                    res.unwrap();
                    assert_eq!(out[3..], full[..]);
                    if limit != usize::MAX {
                        // Grown to a power of two (from where the encode started), capped.
                        let want = full.len().next_power_of_two().min(limit);
                        assert!(out.capacity() <= 3 + want, "{} {want}", out.capacity());
                    }
                } else {
                    let e = res.unwrap_err();
                    assert_eq!(e.code, Error::OutOfMemory);
                    assert_eq!(e.offset, full.len());
                    assert_eq!(out, [1, 2, 3]);
                    assert!(out.capacity() <= 3 + limit);
                }
            }
        }
        // An error of the value comes first, as with a sizing pass before the check.
        let bad = arr(vec![packed, Variant::String("a\0b".into())]);
        let e = encode_into_limited(&bad, &opts, &mut Vec::new(), 1024).unwrap_err();
        assert_eq!(e, encode(&bad, &opts).unwrap_err());
        assert_eq!(e.code, Error::InvalidParameter);
    }
}
