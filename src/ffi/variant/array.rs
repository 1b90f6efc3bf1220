//! Array.

use super::*;

/// A new, empty, untyped ARRAY variant.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_array(out_variant: *mut *mut pp_variant) -> pp_error {
    ffi_boundary! { give(out_variant, Variant::Array(Box::default())) }
}

/// The number of elements of an ARRAY variant.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not an
/// ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_array_size(
    array: *const pp_variant,
    out_size: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let held = value(array)?;
        let a = as_array(&held)?;
        put(out_size, a.elements.len())
    }
}

/// A copy of element `index` of an ARRAY variant (elements are not handles: change the copy and put it
/// back with `pp_variant_array_set`).
/// - `out_variant`: receives the copy; free it with `pp_variant_free`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not an ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_array_get(
    array: *const pp_variant,
    index: usize,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        let held = value(array)?;
        let a = as_array(&held)?;
        let out_variant = Out::checked(out_variant)?;
        let v = at(&a.elements, index)?;
        give(out_variant, v.clone())
    }
}

/// Replaces element `index` of an ARRAY variant with a copy of `value` (which may be `array` itself).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_OUT_OF_MEMORY` when the value nests deeper than the engine's 1024 limit;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL, `array` is not an ARRAY, or the array is
/// typed and
/// `value` does not have its element type.
#[no_mangle]
pub extern "C" fn pp_variant_array_set(
    array: *mut pp_variant,
    index: usize,
    value: *const pp_variant,
) -> pp_error {
    ffi_boundary! {
        let value = read_variant(value)?;
        let mut held = value_mut(array)?;
        let a = as_array_mut(&mut held)?;
        a.check_element(&value)?;
        let slot = at_mut(&mut a.elements, index)?;
        *slot = value;
        Ok(())
    }
}

/// Appends a copy of `value` (which may be `array` itself) to an ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` when the value nests deeper than the engine's 1024 limit or
/// the array already has INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when a pointer is NULL,
/// `array` is not an ARRAY, or the array is typed and `value` does not have its element type.
#[no_mangle]
pub extern "C" fn pp_variant_array_append(
    array: *mut pp_variant,
    value: *const pp_variant,
) -> pp_error {
    ffi_boundary! {
        let value = read_variant(value)?;
        let mut held = value_mut(array)?;
        let a = as_array_mut(&mut held)?;
        a.check_element(&value)?;
        check_room(a.elements.len())?;
        a.elements.push(value);
        Ok(())
    }
}

/// Removes element `index` of an ARRAY variant; later elements move down by one.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `array` is NULL or not an ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_array_remove_at(array: *mut pp_variant, index: usize) -> pp_error {
    ffi_boundary! {
        let mut held = value_mut(array)?;
        let a = as_array_mut(&mut held)?;
        let i = check_index(index, a.elements.len())?;
        a.elements.remove(i);
        Ok(())
    }
}

/// Removes every element of an ARRAY variant; its element type stays.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `array` is NULL or not an ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_array_clear(array: *mut pp_variant) -> pp_error {
    ffi_boundary! {
        let mut held = value_mut(array)?;
        let a = as_array_mut(&mut held)?;
        a.elements.clear();
        Ok(())
    }
}

/// Sets the element type of an ARRAY variant (`Array[int]`, `Array[Node]`), which the wire carries.
/// Elements already in the array must have that type.
/// - `array`: an ARRAY variant.
/// - `kind`: a `pp_container_kind` value.
/// - `builtin_type`: for `PP_CONTAINER_KIND_BUILTIN`, the element type (`PP_VARIANT_TYPE_BOOL` to
///   `PP_VARIANT_TYPE_PACKED_VECTOR4_ARRAY`; NIL means untyped, use `PP_CONTAINER_KIND_NONE`). Ignored
///   otherwise.
/// - `name`: for `PP_CONTAINER_KIND_CLASS`, the class name (`"Node"`); for `PP_CONTAINER_KIND_SCRIPT`,
///   the script path (`"res://player.gd"`); NUL-terminated, non-empty, copied. Ignored (may be NULL)
///   otherwise.
///
/// Typing is strict: an INT is not a FLOAT. Object-typed arrays (OBJECT builtin, CLASS, SCRIPT) take
/// any OBJECT variant and NIL; the library cannot check class inheritance.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `array` is NULL or not an ARRAY, `kind` or
/// `builtin_type` is out of range, `name` is missing or invalid, or an element does not match.
#[no_mangle]
pub extern "C" fn pp_variant_array_set_typed(
    array: *mut pp_variant,
    kind: i32,
    builtin_type: i32,
    name: *const c_char,
) -> pp_error {
    ffi_boundary! {
        let mut held = value_mut(array)?;
        let a = as_array_mut(&mut held)?;
        // SAFETY: name is NULL or NUL-terminated (caller's contract).
        let t = unsafe { container_type(kind, builtin_type, name) }?;
        a.set_element_type(t)?;
        Ok(())
    }
}

/// The element type of an ARRAY variant.
/// - `out_kind`: receives a `pp_container_kind` (`PP_CONTAINER_KIND_NONE` when untyped).
/// - `out_builtin_type`: receives the element's builtin type: NIL when untyped, OBJECT for CLASS and
///   SCRIPT.
/// - `out_name`, `out_name_len`: receive the class name or script path, borrowed and not
///   NUL-terminated, valid until the variant is modified or freed; `""` for NONE and BUILTIN.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not an
/// ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_array_get_typed(
    array: *const pp_variant,
    out_kind: *mut pp_container_kind,
    out_builtin_type: *mut pp_variant_type,
    out_name: *mut *const c_char,
    out_name_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let held = value(array)?;
        let a = as_array(&held)?;
        // SAFETY: out pointers are NULL or writable (caller's contract).
        unsafe {
            put_container_type(
                &a.element_type,
                out_kind,
                out_builtin_type,
                out_name,
                out_name_len,
            )
        }
    }
}
