//! Lifetime, type, copy, compare, text.

use super::*;

/// Frees a variant handle and everything it holds. NULL is a no-op. Borrowed views into the variant
/// (strings, packed-array data) die with it.
///
/// Ownership model of the `pp_variant_*` calls: every `pp_variant *` a call gives you is yours and is
/// freed with this call. Values inside containers (array elements, dictionary keys and values, object
/// properties) are not handles: getters give you an owned deep copy, and `append`/`set` copy their
/// inputs, so a container never shares anything with your handles (a value may even be inserted into
/// itself). Borrowed views (`const char *` + length, packed-array data) live until the variant they
/// come from is modified or freed. Getters on a variant of another type return
/// `PP_ERR_INVALID_PARAMETER`; indexes at or past the end `PP_ERR_PARAMETER_RANGE_ERROR`; a missing
/// dictionary key or object property `PP_ERR_DOES_NOT_EXIST`. Values nest at most 1024 deep (the
/// engine's limit): inserting deeper gives `PP_ERR_OUT_OF_MEMORY`, the engine's code.
#[no_mangle]
pub extern "C" fn pp_variant_free(variant: *mut pp_variant) {
    ffi_boundary! {
        // SAFETY: NULL or a handle from this library, not freed yet (the caller's contract).
        unsafe { free_handle(variant) }
    }
}

/// The type of a variant, a `PP_VARIANT_TYPE_*` value. NULL gives `PP_VARIANT_TYPE_NIL`.
#[no_mangle]
pub extern "C" fn pp_variant_get_type(variant: *const pp_variant) -> pp_variant_type {
    ffi_boundary! {
        value(variant).map_or(pp_variant_type::PP_VARIANT_TYPE_NIL, |v| v.get_type().into())
    }
}

static TYPE_NAMES: [&CStr; 39] = [
    c"Nil",
    c"bool",
    c"int",
    c"float",
    c"String",
    c"Vector2",
    c"Vector2i",
    c"Rect2",
    c"Rect2i",
    c"Vector3",
    c"Vector3i",
    c"Transform2D",
    c"Vector4",
    c"Vector4i",
    c"Plane",
    c"Quaternion",
    c"AABB",
    c"Basis",
    c"Transform3D",
    c"Projection",
    c"Color",
    c"StringName",
    c"NodePath",
    c"RID",
    c"Object",
    c"Callable",
    c"Signal",
    c"Dictionary",
    c"Array",
    c"PackedByteArray",
    c"PackedInt32Array",
    c"PackedInt64Array",
    c"PackedFloat32Array",
    c"PackedFloat64Array",
    c"PackedStringArray",
    c"PackedVector2Array",
    c"PackedVector3Array",
    c"PackedColorArray",
    c"PackedVector4Array",
];

/// Godot's name of a type id, as `type_string()` gives it (`"int"`, `"Vector2"`, `"PackedByteArray"`);
/// `"<invalid type>"` for numbers that are not types. Static storage; never NULL. Safe from any thread.
#[no_mangle]
pub extern "C" fn pp_variant_type_name(type_id: i32) -> *const c_char {
    ffi_boundary! {
        usize::try_from(type_id)
            .ok()
            .and_then(|i| TYPE_NAMES.get(i))
            .map_or(c"<invalid type>".as_ptr(), |n| n.as_ptr())
    }
}

/// A deep copy of a variant (every variant copy is deep: nothing is shared between handles).
/// - `variant`: the variant to copy.
/// - `out_variant`: receives the copy; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_duplicate(
    variant: *const pp_variant,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        let v = value(variant)?.clone();
        give(out_variant, v)
    }
}

/// Strict structural equality: same type and same contents, containers element by element (with their
/// container types), dictionaries in the same order. Floats compare by bit pattern: a NaN equals the
/// same NaN, and `-0.0` differs from `0.0`. String and StringName are never equal to each other.
/// Returns false when either pointer is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_equal(a: *const pp_variant, b: *const pp_variant) -> bool {
    ffi_boundary! {
        match (value(a), value(b)) {
            (Ok(a), Ok(b)) => *a == *b,
            _ => false,
        }
    }
}

/// A readable text form for logs, close to Godot's `str()`: `(1, 2)`, `[1, "a"]`, `{ "k": 1 }`,
/// `<Object#1234>`, `<null>`. Not meant to be parsed back. Containers nested more than 64 levels deep
/// print as `…`.
/// - `variant`: the variant to print.
/// - `max_len`: the longest text wanted, in bytes without the NUL; longer text is cut at a UTF-8
///   character boundary and ends with `…` (U+2026, 3 bytes, counted in `max_len`). The work done is
///   bounded by `max_len`, so printing a huge array is cheap. Pass INT32_MAX for no practical limit.
/// - `out_text`: receives a new NUL-terminated UTF-8 string; free it with `pp_string_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or `max_len > INT32_MAX`.
#[no_mangle]
pub extern "C" fn pp_variant_to_string(
    variant: *const pp_variant,
    max_len: usize,
    out_text: *mut *mut c_char,
) -> pp_error {
    ffi_boundary! {
        let v = &*value(variant)?;
        check_size(max_len)?;
        let out = out!(out_text);
        out.write(owned_string(to_text_bounded(v, max_len)));
        Ok(())
    }
}
