//! Packed arrays.

use super::*;

/// The number of elements of any packed-array variant (PACKED_BYTE_ARRAY … PACKED_VECTOR4_ARRAY).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a packed
/// array.
#[no_mangle]
pub extern "C" fn pp_variant_packed_array_size(
    variant: *const pp_variant,
    out_size: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let n = packed_len(&*value(variant)?)?;
        put(out_size, n)
    }
}

/// A new PACKED_STRING_ARRAY variant.
/// - `strings`, `count`: `count` NUL-terminated UTF-8 strings; `(NULL, 0)` for an empty array. Copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers (the list or an entry),
/// `count > INT32_MAX` or invalid UTF-8.
#[no_mangle]
pub extern "C" fn pp_variant_new_packed_string_array(
    strings: *const *const c_char,
    count: usize,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: strings holds count string pointers (caller's contract).
        let ptrs = unsafe { in_items(strings, count) }?;
        let list = ptrs
            .iter()
            // SAFETY: each entry is NULL or NUL-terminated (caller's contract).
            .map(|p| unsafe { in_string(*p) })
            .collect::<Result<Vec<_>, _>>()?;
        give(out_variant, Variant::PackedStringArray(list))
    }
}

/// Appends a string to a PACKED_STRING_ARRAY variant.
/// - `text`: NUL-terminated UTF-8; copied.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when a
/// pointer is NULL, `text` is not UTF-8 or the variant is not a PACKED_STRING_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_string_array_append(
    variant: *mut pp_variant,
    text: *const c_char,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedStringArray(a) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        // SAFETY: text is NULL or NUL-terminated (caller's contract).
        let s = unsafe { in_string(text) }?;
        check_room(a.len())?;
        a.push(s);
        Ok(())
    }
}

/// Replaces element `index` of a PACKED_STRING_ARRAY variant.
/// - `text`: NUL-terminated UTF-8; copied.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL, `text` is not UTF-8 or the variant is not a
/// PACKED_STRING_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_string_array_set(
    variant: *mut pp_variant,
    index: usize,
    text: *const c_char,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedStringArray(a) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        // SAFETY: text is NULL or NUL-terminated (caller's contract).
        let s = unsafe { in_string(text) }?;
        *at_mut(a, index)? = s;
        Ok(())
    }
}

/// Lends element `index` of a PACKED_STRING_ARRAY variant (not NUL-terminated; valid until the
/// variant is modified or freed).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_STRING_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_string_array_get(
    variant: *const pp_variant,
    index: usize,
    out_data: *mut *const c_char,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedStringArray(a) = &*value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_data.cast(), out_len.cast()])?;
        let s = at(a, index)?;
        // SAFETY: out pointers are NULL or writable (caller's contract).
        unsafe { put_view(out_data, out_len, s) }
    }
}

/// Copies element `index` of a PACKED_STRING_ARRAY variant into your buffer, NUL-terminated; see
/// `pp_variant_get_string_copy` for `buf`, `cap`, `out_len` and the codes.
/// `PP_ERR_PARAMETER_RANGE_ERROR` also means `index` is not below the size (then `out_len` is not
/// written).
#[no_mangle]
pub extern "C" fn pp_variant_packed_string_array_get_copy(
    variant: *const pp_variant,
    index: usize,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedStringArray(a) = &*value(variant)? else {
            return Err(INVALID);
        };
        check_buf(buf, cap)?;
        let s = at(a, index)?;
        // SAFETY: buf has cap writable bytes, out_len is NULL or writable (caller's contract).
        unsafe { copy_text(s, buf, cap, out_len) }
    }
}
