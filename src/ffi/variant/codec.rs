//! The codec handle.

use super::*;

/// Opaque codec settings plus the last error: encode/decode with a dialect, real_t width, object
/// policy and decode limits. Make with `pp_codec_new`, free with `pp_codec_free`. One thread at a time.
pub struct pp_codec {
    _private: [u8; 0],
}
// SAFETY: unique ID.
unsafe impl Castable for pp_codec {
    type Rust = Excl<Codec>;
    const ID: u16 = 7;
}

/// The object behind a `pp_codec`.
pub(crate) struct Codec {
    enc: EncodeOptions,
    dec: DecodeOptions,
    last_code: pp_error,
    last_offset: usize,
    last_reason: CString,
    /// `pp_codec_encode_into` encodes here, then copies into the caller's buffer: reused, so a
    /// steady stream of encodes allocates nothing. Kept only up to `SCRATCH_KEEP` bytes.
    scratch: Vec<u8>,
}

/// The largest scratch buffer a codec keeps between calls.
const SCRATCH_KEEP: usize = 64 << 10;

/// Why a codec call failed, kept for `pp_codec_get_last_error`.
struct Failure {
    code: pp_error,
    offset: usize,
    reason: &'static str,
}

impl From<pp_error> for Failure {
    fn from(code: pp_error) -> Failure {
        let reason = if code == RANGE {
            "buffer too small"
        } else {
            "invalid argument"
        };
        Failure {
            code,
            offset: 0,
            reason,
        }
    }
}

impl From<VariantError> for Failure {
    fn from(e: VariantError) -> Failure {
        Failure {
            code: codec_error(&e),
            offset: e.offset,
            reason: e.reason,
        }
    }
}

impl Codec {
    /// Runs one codec call and remembers how it ended.
    fn run(&mut self, f: impl FnOnce(&Self) -> Result<(), Failure>) -> R {
        let r = f(self);
        match &r {
            Ok(()) => {
                // A fresh empty CString allocates: reset only after a failure.
                if self.last_code != pp_error::PP_OK {
                    self.last_code = pp_error::PP_OK;
                    self.last_offset = 0;
                    self.last_reason = CString::default();
                }
            }
            Err(e) => {
                self.last_code = e.code;
                self.last_offset = e.offset;
                self.last_reason = CString::new(e.reason).unwrap_or_default();
            }
        }
        r.map_err(|e| e.code)
    }
}

/// A new codec with the engine's defaults: Godot 4 dialect, real_t as 32-bit float, objects sent as
/// ids, full objects refused on decode, depth limit 1024, no element or byte limit.
/// - `out_codec`: receives the codec; free it with `pp_codec_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_codec` is NULL.
#[no_mangle]
pub extern "C" fn pp_codec_new(out_codec: *mut *mut pp_codec) -> pp_error {
    ffi_boundary! {
        let out_codec = out!(out_codec);
        let codec = Codec {
            enc: EncodeOptions::default(),
            dec: DecodeOptions::default(),
            last_code: pp_error::PP_OK,
            last_offset: 0,
            last_reason: CString::default(),
            scratch: Vec::new(),
        };
        out_codec.write(new_handle::<pp_codec>(Excl::new(codec)));
        Ok(())
    }
}

/// Frees a codec. NULL is a no-op.
#[no_mangle]
pub extern "C" fn pp_codec_free(codec: *mut pp_codec) {
    ffi_boundary! {
        // SAFETY: NULL or a handle from this library, not freed yet (the caller's contract).
        unsafe { free_handle(codec) }
    }
}

/// Sets the type-id table used to encode and decode.
/// - `dialect`: a `pp_dialect` value (`PP_DIALECT_GODOT4`, the default, `PP_DIALECT_REDOT_STRUCT`
///   or `PP_DIALECT_GODOT3`).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL or `dialect` is unknown.
#[no_mangle]
pub extern "C" fn pp_codec_set_dialect(codec: *mut pp_codec, dialect: i32) -> pp_error {
    ffi_boundary! {
        let mut codec = try_ref!(codec).get_mut()?;
        let d = pp_dialect::from_c(dialect)?;
        codec.enc.dialect = d;
        codec.dec.dialect = d;
        Ok(())
    }
}

/// The codec's dialect; `PP_DIALECT_GODOT4` when `codec` is NULL.
#[no_mangle]
pub extern "C" fn pp_codec_get_dialect(codec: *const pp_codec) -> pp_dialect {
    ffi_boundary! {
        let c = try_ref!(codec);
        match c.get().map(|c| c.enc.dialect) {
            Ok(d) => pp_dialect::of(d),
            Err(_) => pp_dialect::PP_DIALECT_GODOT4,
        }
    }
}

/// Whether the Godot 3 encoder converts values Godot 3 has no type for, where a conversion is
/// documented, instead of refusing them (`docs/wire-format.md` §19). Default false. Only the
/// `PP_DIALECT_GODOT3` encoder (and `pp_codec_translate` towards it) looks at it. The conversions:
/// StringName → String; Vector2i, Rect2i, Vector3i → Vector2, Rect2, Vector3 when every component
/// is exactly a 32-bit float; PackedInt64Array → PoolIntArray when every value fits in 32 bits;
/// PackedFloat64Array → PoolRealArray (each value rounded to 32 bits: the loss); typed Array and
/// Dictionary → untyped; an RID with a non-zero id → Godot 3's payload-less RID. Anything else, and
/// anything that does not fit, is still refused with `PP_ERR_INVALID_PARAMETER`: Vector4, Vector4i,
/// Projection, Callable, Signal, PackedVector4Array.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL.
#[no_mangle]
pub extern "C" fn pp_codec_set_godot3_lossy(codec: *mut pp_codec, enabled: bool) -> pp_error {
    ffi_boundary! {
        try_ref!(codec).get_mut()?.enc.godot3_lossy = enabled;
        Ok(())
    }
}

/// Whether the encoder writes real_t components (vectors, transforms, …) as 64-bit floats with
/// FLAG_64, like a `precision=double` engine build. Default false. The decoder always follows the flag.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL.
#[no_mangle]
pub extern "C" fn pp_codec_set_real_is_double(codec: *mut pp_codec, enabled: bool) -> pp_error {
    ffi_boundary! {
        try_ref!(codec).get_mut()?.enc.real_is_double = enabled;
        Ok(())
    }
}

/// Whether the encoder sends objects in full (`var_to_bytes_with_objects`) instead of as instance ids.
/// Default false.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL.
#[no_mangle]
pub extern "C" fn pp_codec_set_full_objects(codec: *mut pp_codec, enabled: bool) -> pp_error {
    ffi_boundary! {
        try_ref!(codec).get_mut()?.enc.full_objects = enabled;
        Ok(())
    }
}

/// Whether the decoder accepts objects sent in full (`bytes_to_var_with_objects`); when false they
/// fail with `PP_ERR_UNAUTHORIZED`. Default false. Objects sent as ids are always accepted.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL.
#[no_mangle]
pub extern "C" fn pp_codec_set_allow_objects(codec: *mut pp_codec, enabled: bool) -> pp_error {
    ffi_boundary! {
        try_ref!(codec).get_mut()?.dec.allow_objects = enabled;
        Ok(())
    }
}

/// The deepest nesting the decoder accepts; deeper data fails with `PP_ERR_OUT_OF_MEMORY`, the
/// engine's code. Default and maximum: 1024, the engine's limit.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL or `max_depth > 1024`.
#[no_mangle]
pub extern "C" fn pp_codec_set_max_depth(codec: *mut pp_codec, max_depth: u32) -> pp_error {
    ffi_boundary! {
        let mut codec = try_ref!(codec).get_mut()?;
        if max_depth > MAX_RECURSION_DEPTH {
            return Err(INVALID);
        }
        codec.dec.limits.max_depth = max_depth;
        Ok(())
    }
}

/// The most values (elements, keys, values, properties, packed items) one decode may build.
/// Default SIZE_MAX: no limit beyond what the input itself can describe. Any value is accepted.
/// A decode that goes past it fails with `PP_ERR_OUT_OF_MEMORY`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL.
#[no_mangle]
pub extern "C" fn pp_codec_set_max_elements(codec: *mut pp_codec, max_elements: usize) -> pp_error {
    ffi_boundary! {
        try_ref!(codec).get_mut()?.dec.limits.max_elements = max_elements;
        Ok(())
    }
}

/// The most bytes of memory one decoded value may hold (approximate: a fixed size per value plus
/// string and packed-array contents). Default SIZE_MAX: no limit beyond what the input itself can
/// describe. Any value is accepted. A decode that goes past it fails with `PP_ERR_OUT_OF_MEMORY`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL.
#[no_mangle]
pub extern "C" fn pp_codec_set_max_bytes(codec: *mut pp_codec, max_bytes: usize) -> pp_error {
    ffi_boundary! {
        try_ref!(codec).get_mut()?.dec.limits.max_bytes = max_bytes;
        Ok(())
    }
}

/// The number of bytes `pp_codec_encode` would produce for `variant`.
/// - `out_len`: receives the length.
///
/// Returns `PP_OK`, the encoder's error (see `pp_var_to_bytes`), or `PP_ERR_INVALID_PARAMETER` for
/// NULL pointers. Sets the codec's last error.
#[no_mangle]
pub extern "C" fn pp_codec_encoded_len(
    codec: *mut pp_codec,
    variant: *const pp_variant,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        try_ref!(codec).get_mut()?.run(|c| {
            let v = &*value(variant)?;
            let out_len = Out::checked(out_len)?;
            let n = variant::encoded_len(v, &c.enc)?;
            out_len.write(n);
            Ok(())
        })
    }
}

/// Encodes `variant` with the codec's settings.
/// - `out_data`, `out_len`: receive a new buffer of exactly `*out_len` bytes; free it with
///   `pp_bytes_free(data, len)`.
///
/// Returns `PP_OK`, the encoder's error (see `pp_var_to_bytes`), or `PP_ERR_INVALID_PARAMETER` for
/// NULL pointers. Sets the codec's last error.
#[no_mangle]
pub extern "C" fn pp_codec_encode(
    codec: *mut pp_codec,
    variant: *const pp_variant,
    out_data: *mut *mut u8,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        try_ref!(codec).get_mut()?.run(|c| {
            let v = &*value(variant)?;
            outs(&[out_data.cast(), out_len.cast()])?;
            let bytes = variant::encode(v, &c.enc)?;
            // SAFETY: both checked non-NULL; writable (caller's contract).
            unsafe { give_bytes(bytes, out_data, out_len) };
            Ok(())
        })
    }
}

/// Encodes `variant` with the codec's settings into your buffer.
/// - `buf`, `cap`: your buffer and its size; `(NULL, 0)` only asks for the size.
/// - `out_len`: receives the encoded length. When `cap` is too small the call returns
///   `PP_ERR_PARAMETER_RANGE_ERROR`, writes nothing to `buf`, and still sets `*out_len` to the size
///   needed (the one failure that writes an out-param).
///
/// The codec encodes into a buffer of its own (at most `cap` bytes), then copies; it keeps that
/// buffer for the next call while it is 64 KiB or smaller, so repeated calls allocate nothing.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` as above; the encoder's error (see
/// `pp_var_to_bytes`); `PP_ERR_INVALID_PARAMETER` for NULL pointers, `buf` NULL with `cap > 0`, or
/// `cap > INT32_MAX`. Sets the codec's last error.
#[no_mangle]
pub extern "C" fn pp_codec_encode_into(
    codec: *mut pp_codec,
    variant: *const pp_variant,
    buf: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let mut codec = try_ref!(codec).get_mut()?;
        let mut scratch = std::mem::take(&mut codec.scratch);
        scratch.clear();
        let r = codec.run(|c| {
            let v = &*value(variant)?;
            let out_len = Out::checked(out_len)?;
            check_buf(buf, cap)?;
            // At most `cap` bytes are written to the scratch buffer; a longer encoding still
            // reports its length (and an error of the value comes first, as from a full encode).
            match variant::codec::encode_into_capped(v, &c.enc, &mut scratch, cap)? {
                Ok(()) => {
                    out_len.write(scratch.len());
                    if !scratch.is_empty() {
                        // SAFETY: buf is non-NULL (cap >= len > 0) with cap writable bytes
                        // (caller's contract); the scratch buffer is ours, so they do not overlap.
                        unsafe { std::ptr::copy_nonoverlapping(scratch.as_ptr(), buf, scratch.len()) };
                    }
                    Ok(())
                }
                Err(full) => {
                    out_len.write(full);
                    Err(RANGE.into())
                }
            }
        });
        if scratch.capacity() <= SCRATCH_KEEP {
            codec.scratch = scratch;
        }
        r
    }
}

/// Decodes one value from the start of `data` with the codec's settings. Trailing bytes are not an
/// error (the engine ignores them); `out_consumed` tells how many bytes the value used, so a strict
/// caller can reject leftovers.
/// - `data`, `len`: the bytes; `(NULL, 0)` is an empty buffer. Copied; not kept.
/// - `out_variant`: receives the value; free it with `pp_variant_free`.
/// - `out_consumed`: if not NULL, receives the bytes used (at most `len`).
///
/// Returns `PP_OK`; the decoder's error (`PP_ERR_INVALID_DATA`, `PP_ERR_FILE_EOF`,
/// `PP_ERR_UNAUTHORIZED`, `PP_ERR_OUT_OF_MEMORY` beyond the depth or size limits, `PP_ERR_BUG` for a
/// STRUCT in the Redot dialect, ...); `PP_ERR_INVALID_PARAMETER` for NULL pointers or `len >
/// INT32_MAX`. Sets the codec's last error, with the byte offset where decoding failed.
#[no_mangle]
pub extern "C" fn pp_codec_decode(
    codec: *mut pp_codec,
    data: *const u8,
    len: usize,
    out_variant: *mut *mut pp_variant,
    out_consumed: *mut usize,
) -> pp_error {
    ffi_boundary! {
        try_ref!(codec).get_mut()?.run(|c| {
            // SAFETY: (data, len) readable per the caller's contract.
            let bytes = unsafe { in_slice(data, len) }?;
            let out_variant = Out::checked(out_variant)?;
            let (v, used) = variant::decode(bytes, &c.dec)?;
            give(out_variant, v)?;
            if let Some(o) = out_opt!(out_consumed) {
                o.write(used.min(len));
            }
            Ok(())
        })
    }
}

/// Decodes one value from the start of `data` with the codec's decode settings and dialect, and
/// encodes it with the codec's encode settings in `to_dialect`, in one call: a relay between a
/// Godot 3 and a Godot 4 game uses a codec in one dialect and the other as `to_dialect`
/// (`docs/wire-format.md` §19). Trailing bytes are not translated (`out_consumed` tells where the
/// value ended).
/// - `data`, `len`: the bytes; `(NULL, 0)` is an empty buffer. Not kept.
/// - `to_dialect`: a `pp_dialect` value for the output.
/// - `out_data`, `out_len`: receive a new buffer of exactly `*out_len` bytes; free it with
///   `pp_bytes_free(data, len)`.
/// - `out_consumed`: if not NULL, receives the input bytes used (at most `len`).
///
/// Returns `PP_OK`; the decoder's error (see `pp_codec_decode`); the encoder's error (e.g.
/// `PP_ERR_INVALID_PARAMETER` for a value the target dialect has no type for, such as a StringName
/// towards Godot 3 without `pp_codec_set_godot3_lossy`); `PP_ERR_INVALID_PARAMETER` for NULL
/// pointers, an unknown `to_dialect` or `len > INT32_MAX`. Sets the codec's last error; its offset is
/// into the input for a decode error and into the output for an encode error (a reason starting
/// with "Godot 3 has no" is always an encode refusal).
#[no_mangle]
pub extern "C" fn pp_codec_translate(
    codec: *mut pp_codec,
    data: *const u8,
    len: usize,
    to_dialect: i32,
    out_data: *mut *mut u8,
    out_len: *mut usize,
    out_consumed: *mut usize,
) -> pp_error {
    ffi_boundary! {
        try_ref!(codec).get_mut()?.run(|c| {
            // SAFETY: (data, len) readable per the caller's contract.
            let bytes = unsafe { in_slice(data, len) }?;
            outs(&[out_data.cast(), out_len.cast()])?;
            let to = EncodeOptions {
                dialect: pp_dialect::from_c(to_dialect)?,
                ..c.enc
            };
            let (out, used) = variant::translate(bytes, &c.dec, &to)
                .map_err(|e| Failure::from(e.error().clone()))?;
            if let Some(o) = out_opt!(out_consumed) {
                o.write(used.min(len));
            }
            // SAFETY: both checked non-NULL; writable (caller's contract).
            unsafe { give_bytes(out, out_data, out_len) };
            Ok(())
        })
    }
}

/// How the codec's last encode/decode call ended.
/// - `out_code`: receives its result (`PP_OK` if it succeeded or no call was made yet).
/// - `out_offset`: receives the byte offset where the codec detected the error (0 on success or for
///   argument errors).
/// - `out_reason`: receives a short English reason, NUL-terminated (`""` on success), owned by the
///   codec
///   and valid until its next call or `pp_codec_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL.
#[no_mangle]
pub extern "C" fn pp_codec_get_last_error(
    codec: *const pp_codec,
    out_code: *mut pp_error,
    out_offset: *mut usize,
    out_reason: *mut *const c_char,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(codec).get()?;
        outs(&[out_code.cast(), out_offset.cast(), out_reason.cast()])?;
        put(out_code, c.last_code)?;
        put(out_offset, c.last_offset)?;
        put(out_reason, c.last_reason.as_ptr())?;
        Ok(())
    }
}
