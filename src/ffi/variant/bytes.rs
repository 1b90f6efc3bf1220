//! var_to_bytes / bytes_to_var.

use super::*;

/// Decodes one Variant from bytes, like Godot's `bytes_to_var` (or `bytes_to_var_with_objects` when
/// `allow_objects` is true), with the Godot 4 dialect and the engine's 1024 depth limit. Trailing bytes
/// after the value are ignored, as the engine does; use `pp_codec_decode` to learn how many were used.
/// - `data`, `len`: the bytes; `(NULL, 0)` is an empty buffer. Copied; not kept.
/// - `allow_objects`: accept objects sent in full; when false they fail with `PP_ERR_UNAUTHORIZED`.
///   Objects sent as ids are always accepted.
/// - `out_variant`: receives the value; free it with `pp_variant_free`.
///
/// Returns `PP_OK`; the engine's decode error (`PP_ERR_INVALID_DATA`, `PP_ERR_FILE_EOF`,
/// `PP_ERR_UNAUTHORIZED`, `PP_ERR_OUT_OF_MEMORY` for nesting beyond 1024, ...); or
/// `PP_ERR_INVALID_PARAMETER` for NULL pointers or `len > INT32_MAX`.
#[no_mangle]
pub extern "C" fn pp_bytes_to_var(
    data: *const u8,
    len: usize,
    allow_objects: bool,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: (data, len) readable per the caller's contract.
        let bytes = unsafe { in_slice(data, len) }?;
        let out_variant = Out::checked(out_variant)?;
        let opts = DecodeOptions {
            allow_objects,
            ..DecodeOptions::default()
        };
        let (v, _) = variant::decode(bytes, &opts).map_err(|e| codec_error(&e))?;
        give(out_variant, v)
    }
}

/// Encodes a variant like Godot's `var_to_bytes` (or `var_to_bytes_with_objects` when `full_objects`
/// is true), Godot 4 dialect, real_t as float.
/// - `variant`: the value; not modified.
/// - `full_objects`: send objects in full instead of as instance ids.
/// - `out_data`, `out_len`: receive a new buffer of exactly `*out_len` bytes; free it with
///   `pp_bytes_free(data, len)`.
///
/// Returns `PP_OK`; an encode error: `PP_ERR_OUT_OF_MEMORY` for nesting beyond 1024 or a size above
/// INT32_MAX, `PP_ERR_UNAVAILABLE` (with `full_objects`) for a `script` path or typed-container script
/// that is not `res://`, `PP_ERR_INVALID_PARAMETER` for a full object while `full_objects` is false
/// (it has no id to send); or `PP_ERR_INVALID_PARAMETER` for NULL pointers.
#[no_mangle]
pub extern "C" fn pp_var_to_bytes(
    variant: *const pp_variant,
    full_objects: bool,
    out_data: *mut *mut u8,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let v = &*value(variant)?;
        outs(&[out_data.cast(), out_len.cast()])?;
        let opts = EncodeOptions {
            full_objects,
            ..EncodeOptions::default()
        };
        let bytes = variant::encode(v, &opts).map_err(|e| codec_error(&e))?;
        // SAFETY: both checked non-NULL; writable (caller's contract).
        unsafe { give_bytes(bytes, out_data, out_len) };
        Ok(())
    }
}

/// Frees a buffer returned by `pp_var_to_bytes` or `pp_codec_encode`. `len` must be the length that
/// call returned. NULL is a no-op; an empty buffer (length 0) is freed like any other.
#[no_mangle]
pub extern "C" fn pp_bytes_free(data: *mut u8, len: usize) {
    ffi_boundary! {
        if !data.is_null() {
            let slice = std::ptr::slice_from_raw_parts_mut(data, len);
            // SAFETY: made by Box::into_raw of a boxed slice of exactly `len` bytes in give_bytes and
            // not freed yet (caller's contract).
            drop(unsafe { Box::from_raw(slice) });
        }
    }
}

/// Writes a variant as a Python pickle (protocol 4), for language bindings: Python's C unpickler
/// (`pickle.loads`) then builds the whole value tree in one call instead of one foreign call per
/// element, which is what makes the Python package's decoding fast. Builtin values map to Python
/// builtins (Nil → None, Dictionary → dict, Array → list, PackedByteArray → bytes, the packed numeric
/// arrays → `array.array`), the other types to classes of `module` named like the Godot type
/// (`Vector2`, `Color`, `StringName`, `NodePath`, ...); inside a dictionary key an Array becomes a
/// tuple. The exact mapping is documented in the package (`python/packetpeer/types.py`).
/// - `variant`: the value; not modified.
/// - `module`: NUL-terminated name of the Python module holding those classes (`"packetpeer.types"`).
/// - `out_data`, `out_len`: receive a new buffer of exactly `*out_len` bytes; free it with
///   `pp_bytes_free(data, len)`.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL pointers, a `module` that is empty or not
/// UTF-8, or a Dictionary or full Object used as a dictionary key (no hashable Python form);
/// `PP_ERR_OUT_OF_MEMORY` for nesting beyond 1024.
#[no_mangle]
pub extern "C" fn pp_variant_to_pickle(
    variant: *const pp_variant,
    module: *const c_char,
    out_data: *mut *mut u8,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let v = &*value(variant)?;
        // SAFETY: NUL-terminated per the caller's contract; NULL is checked inside.
        let module = unsafe { in_string(module) }?;
        if module.is_empty() {
            return Err(pp_error::PP_ERR_INVALID_PARAMETER);
        }
        outs(&[out_data.cast(), out_len.cast()])?;
        let bytes = variant::pickle::to_pickle(v, &module)?;
        // SAFETY: both checked non-NULL; writable (caller's contract).
        unsafe { give_bytes(bytes, out_data, out_len) };
        Ok(())
    }
}
