//! Scalars and strings.

use super::*;

/// A new NIL variant (`null`).
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_nil(out_variant: *mut *mut pp_variant) -> pp_error {
    ffi_boundary! { give(out_variant, Variant::Nil) }
}

/// A new BOOL variant.
/// - `value`: the value.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_bool(value: bool, out_variant: *mut *mut pp_variant) -> pp_error {
    ffi_boundary! { give(out_variant, Variant::Bool(value)) }
}

/// The value of a BOOL variant.
/// - `variant`: a BOOL variant.
/// - `out_value`: receives the value.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a BOOL.
#[no_mangle]
pub extern "C" fn pp_variant_get_bool(
    variant: *const pp_variant,
    out_value: *mut bool,
) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        Variant::Bool(b) => put(out_value, *b),
        _ => Err(INVALID),
    } }
}

/// A new INT variant (Godot's `int` is 64-bit).
/// - `value`: the value.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_int(value: i64, out_variant: *mut *mut pp_variant) -> pp_error {
    ffi_boundary! { give(out_variant, Variant::Int(value)) }
}

/// The value of an INT variant.
/// - `variant`: an INT variant.
/// - `out_value`: receives the value.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not an INT.
#[no_mangle]
pub extern "C" fn pp_variant_get_int(variant: *const pp_variant, out_value: *mut i64) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        Variant::Int(i) => put(out_value, *i),
        _ => Err(INVALID),
    } }
}

/// A new FLOAT variant (Godot's `float` is a double). The encoder sends it as 32 bits when that is
/// exact, else as 64 bits (NaN always as 64 bits), like the engine.
/// - `value`: the value.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_float(value: f64, out_variant: *mut *mut pp_variant) -> pp_error {
    ffi_boundary! { give(out_variant, Variant::Float(value)) }
}

/// The value of a FLOAT variant (an INT is not converted: it is the wrong type).
/// - `variant`: a FLOAT variant.
/// - `out_value`: receives the value.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a FLOAT.
#[no_mangle]
pub extern "C" fn pp_variant_get_float(
    variant: *const pp_variant,
    out_value: *mut f64,
) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        Variant::Float(x) => put(out_value, *x),
        _ => Err(INVALID),
    } }
}

/// A new STRING variant from NUL-terminated UTF-8.
/// - `text`: the string; copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or `text` is not UTF-8.
#[no_mangle]
pub extern "C" fn pp_variant_new_string(
    text: *const c_char,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: text is NULL or NUL-terminated (caller's contract).
        let s = unsafe { in_string(text) }?;
        give(out_variant, Variant::String(s.into()))
    }
}

/// A new STRING variant from `len` bytes of UTF-8 (no terminator needed).
/// - `data`, `len`: the bytes; `(NULL, 0)` is the empty string. Copied. A NUL byte is invalid: a
///   Godot String cannot hold U+0000.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers, `len > INT32_MAX`, invalid UTF-8
/// or a NUL byte.
#[no_mangle]
pub extern "C" fn pp_variant_new_string_n(
    data: *const c_char,
    len: usize,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: (data, len) readable (caller's contract).
        let s = unsafe { in_text(data, len) }?;
        give(out_variant, Variant::String(s.into()))
    }
}

/// Lends the text of a STRING variant.
/// - `variant`: a STRING variant.
/// - `out_data`: receives a pointer to the UTF-8 bytes, **not NUL-terminated** (use
///   `pp_variant_get_string_copy` for a C string). Valid until the variant is modified or freed.
/// - `out_len`: receives the length in bytes.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// STRING.
#[no_mangle]
pub extern "C" fn pp_variant_get_string(
    variant: *const pp_variant,
    out_data: *mut *const c_char,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract).
        Variant::String(s) => unsafe { put_view(out_data, out_len, s) },
        _ => Err(INVALID),
    } }
}

/// Copies the text of a STRING variant into your buffer, NUL-terminated.
/// - `variant`: a STRING variant.
/// - `buf`, `cap`: your buffer and its size in bytes; it needs length + 1 bytes. `(NULL, 0)` only asks
///   for the length.
/// - `out_len`: if not NULL, receives the length without the NUL, also when `cap` is too small.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `cap` is too small (nothing is copied; this
/// is the one failure that writes an out-param, `out_len`); `PP_ERR_INVALID_PARAMETER` when the
/// variant is NULL or not a STRING, `buf` is NULL with `cap > 0`, or `cap > INT32_MAX`.
#[no_mangle]
pub extern "C" fn pp_variant_get_string_copy(
    variant: *const pp_variant,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        // SAFETY: buf has cap writable bytes, out_len is NULL or writable (caller's contract).
        Variant::String(s) => unsafe { copy_text(s, buf, cap, out_len) },
        _ => Err(INVALID),
    } }
}

/// A new STRING_NAME variant from NUL-terminated UTF-8.
/// - `text`: the name; copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or `text` is not UTF-8.
#[no_mangle]
pub extern "C" fn pp_variant_new_string_name(
    text: *const c_char,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: text is NULL or NUL-terminated (caller's contract).
        let s = unsafe { in_string(text) }?;
        give(out_variant, Variant::StringName(s.into()))
    }
}

/// A new STRING_NAME variant from `len` bytes of UTF-8; see `pp_variant_new_string_n`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers, `len > INT32_MAX`, invalid UTF-8
/// or a NUL byte.
#[no_mangle]
pub extern "C" fn pp_variant_new_string_name_n(
    data: *const c_char,
    len: usize,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: (data, len) readable (caller's contract).
        let s = unsafe { in_text(data, len) }?;
        give(out_variant, Variant::StringName(s.into()))
    }
}

/// Lends the text of a STRING_NAME variant; see `pp_variant_get_string` (not NUL-terminated; valid
/// until the variant is modified or freed).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// STRING_NAME.
#[no_mangle]
pub extern "C" fn pp_variant_get_string_name(
    variant: *const pp_variant,
    out_data: *mut *const c_char,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract).
        Variant::StringName(s) => unsafe { put_view(out_data, out_len, s) },
        _ => Err(INVALID),
    } }
}

/// Copies the text of a STRING_NAME variant into your buffer, NUL-terminated; see
/// `pp_variant_get_string_copy` for `buf`, `cap`, `out_len` and the codes.
#[no_mangle]
pub extern "C" fn pp_variant_get_string_name_copy(
    variant: *const pp_variant,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        // SAFETY: buf has cap writable bytes, out_len is NULL or writable (caller's contract).
        Variant::StringName(s) => unsafe { copy_text(s, buf, cap, out_len) },
        _ => Err(INVALID),
    } }
}

/// A new RID variant. Only the 64-bit id travels; it means nothing outside the engine that made it.
/// - `id`: the RID's id.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_rid(id: u64, out_variant: *mut *mut pp_variant) -> pp_error {
    ffi_boundary! { give(out_variant, Variant::Rid(id)) }
}

/// The id of a RID variant.
/// - `variant`: a RID variant.
/// - `out_id`: receives the id.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a RID.
#[no_mangle]
pub extern "C" fn pp_variant_get_rid(variant: *const pp_variant, out_id: *mut u64) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        Variant::Rid(id) => put(out_id, *id),
        _ => Err(INVALID),
    } }
}

/// A new CALLABLE variant. Nothing about a callable travels on the wire (only its type), so there is
/// nothing to set or get: `pp_variant_get_type` tells a callable apart.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_callable(out_variant: *mut *mut pp_variant) -> pp_error {
    ffi_boundary! { give(out_variant, Variant::Callable) }
}

/// A new SIGNAL variant: a signal name and the instance id of the object that owns it.
/// - `name`: the signal name, NUL-terminated UTF-8; copied.
/// - `object_id`: the owning object's instance id.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or `name` is not UTF-8.
#[no_mangle]
pub extern "C" fn pp_variant_new_signal(
    name: *const c_char,
    object_id: u64,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: name is NULL or NUL-terminated (caller's contract).
        let name = unsafe { in_string(name) }?;
        give(out_variant, Variant::Signal(Signal { name, object_id }))
    }
}

/// The parts of a SIGNAL variant.
/// - `variant`: a SIGNAL variant.
/// - `out_name`, `out_name_len`: receive the signal name, borrowed and not NUL-terminated, valid until
///   the variant is modified or freed.
/// - `out_object_id`: receives the owning object's instance id.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// SIGNAL.
#[no_mangle]
pub extern "C" fn pp_variant_get_signal(
    variant: *const pp_variant,
    out_name: *mut *const c_char,
    out_name_len: *mut usize,
    out_object_id: *mut u64,
) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        Variant::Signal(s) => {
            outs(&[out_name.cast(), out_name_len.cast(), out_object_id.cast()])?;
            // SAFETY: all checked non-NULL; writable (caller's contract).
            unsafe {
                put_view(out_name, out_name_len, &s.name)?;
                put(out_object_id, s.object_id)
            }
        }
        _ => Err(INVALID),
    } }
}
