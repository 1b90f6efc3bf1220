//! Packed arrays of numbers and vectors (generated pattern, one block per type).

use super::*;

/// A new PACKED_BYTE_ARRAY variant.
/// - `data`, `count`: `count` bytes; `(NULL, 0)` for an empty array. Copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
#[no_mangle]
pub extern "C" fn pp_variant_new_packed_byte_array(
    data: *const u8,
    count: usize,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: data holds count items (caller's contract).
        let items = unsafe { in_items(data, count) }?.to_vec();
        give(out_variant, Variant::PackedByteArray(items))
    }
}

/// Lends the elements of a PACKED_BYTE_ARRAY variant.
/// - `out_data`: receives a pointer to the elements, valid until the variant is modified or freed;
///   NULL when the array is empty.
/// - `out_count`: receives the number of elements.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// PACKED_BYTE_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_get_packed_byte_array(
    variant: *const pp_variant,
    out_data: *mut *const u8,
    out_count: *mut usize,
) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract).
        Variant::PackedByteArray(a) => unsafe { put_items(out_data, out_count, a) },
        _ => Err(INVALID),
    } }
}

/// Appends `value` to a PACKED_BYTE_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_BYTE_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_byte_array_append(
    variant: *mut pp_variant,
    value: u8,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedByteArray(a) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(a.len())?;
        a.push(value);
        Ok(())
    }
}

/// Element `index` of a PACKED_BYTE_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_BYTE_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_byte_array_get(
    variant: *const pp_variant,
    index: usize,
    out_value: *mut u8,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedByteArray(a) = &*value(variant)? else {
            return Err(INVALID);
        };
        let out_value = Out::checked(out_value)?;
        let x = *at(a, index)?;
        put(out_value, x)
    }
}

/// Replaces element `index` of a PACKED_BYTE_ARRAY variant with `value`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_BYTE_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_byte_array_set(
    variant: *mut pp_variant,
    index: usize,
    value: u8,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedByteArray(a) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(a, index)? = value;
        Ok(())
    }
}

/// A new PACKED_INT32_ARRAY variant.
/// - `data`, `count`: `count` 32-bit integers; `(NULL, 0)` for an empty array. Copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
#[no_mangle]
pub extern "C" fn pp_variant_new_packed_int32_array(
    data: *const i32,
    count: usize,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: data holds count items (caller's contract).
        let items = unsafe { in_items(data, count) }?.to_vec();
        give(out_variant, Variant::PackedInt32Array(items))
    }
}

/// Lends the elements of a PACKED_INT32_ARRAY variant.
/// - `out_data`: receives a pointer to the elements, valid until the variant is modified or freed;
///   NULL when the array is empty.
/// - `out_count`: receives the number of elements.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// PACKED_INT32_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_get_packed_int32_array(
    variant: *const pp_variant,
    out_data: *mut *const i32,
    out_count: *mut usize,
) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract).
        Variant::PackedInt32Array(a) => unsafe { put_items(out_data, out_count, a) },
        _ => Err(INVALID),
    } }
}

/// Appends `value` to a PACKED_INT32_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_INT32_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_int32_array_append(
    variant: *mut pp_variant,
    value: i32,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedInt32Array(a) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(a.len())?;
        a.push(value);
        Ok(())
    }
}

/// Element `index` of a PACKED_INT32_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_INT32_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_int32_array_get(
    variant: *const pp_variant,
    index: usize,
    out_value: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedInt32Array(a) = &*value(variant)? else {
            return Err(INVALID);
        };
        let out_value = Out::checked(out_value)?;
        let x = *at(a, index)?;
        put(out_value, x)
    }
}

/// Replaces element `index` of a PACKED_INT32_ARRAY variant with `value`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_INT32_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_int32_array_set(
    variant: *mut pp_variant,
    index: usize,
    value: i32,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedInt32Array(a) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(a, index)? = value;
        Ok(())
    }
}

/// A new PACKED_INT64_ARRAY variant.
/// - `data`, `count`: `count` 64-bit integers; `(NULL, 0)` for an empty array. Copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
#[no_mangle]
pub extern "C" fn pp_variant_new_packed_int64_array(
    data: *const i64,
    count: usize,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: data holds count items (caller's contract).
        let items = unsafe { in_items(data, count) }?.to_vec();
        give(out_variant, Variant::PackedInt64Array(items))
    }
}

/// Lends the elements of a PACKED_INT64_ARRAY variant.
/// - `out_data`: receives a pointer to the elements, valid until the variant is modified or freed;
///   NULL when the array is empty.
/// - `out_count`: receives the number of elements.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// PACKED_INT64_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_get_packed_int64_array(
    variant: *const pp_variant,
    out_data: *mut *const i64,
    out_count: *mut usize,
) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract).
        Variant::PackedInt64Array(a) => unsafe { put_items(out_data, out_count, a) },
        _ => Err(INVALID),
    } }
}

/// Appends `value` to a PACKED_INT64_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_INT64_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_int64_array_append(
    variant: *mut pp_variant,
    value: i64,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedInt64Array(a) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(a.len())?;
        a.push(value);
        Ok(())
    }
}

/// Element `index` of a PACKED_INT64_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_INT64_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_int64_array_get(
    variant: *const pp_variant,
    index: usize,
    out_value: *mut i64,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedInt64Array(a) = &*value(variant)? else {
            return Err(INVALID);
        };
        let out_value = Out::checked(out_value)?;
        let x = *at(a, index)?;
        put(out_value, x)
    }
}

/// Replaces element `index` of a PACKED_INT64_ARRAY variant with `value`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_INT64_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_int64_array_set(
    variant: *mut pp_variant,
    index: usize,
    value: i64,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedInt64Array(a) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(a, index)? = value;
        Ok(())
    }
}

/// A new PACKED_FLOAT32_ARRAY variant.
/// - `data`, `count`: `count` 32-bit floats; `(NULL, 0)` for an empty array. Copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
#[no_mangle]
pub extern "C" fn pp_variant_new_packed_float32_array(
    data: *const f32,
    count: usize,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: data holds count items (caller's contract).
        let items = unsafe { in_items(data, count) }?.to_vec();
        give(out_variant, Variant::PackedFloat32Array(items))
    }
}

/// Lends the elements of a PACKED_FLOAT32_ARRAY variant.
/// - `out_data`: receives a pointer to the elements, valid until the variant is modified or freed;
///   NULL when the array is empty.
/// - `out_count`: receives the number of elements.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// PACKED_FLOAT32_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_get_packed_float32_array(
    variant: *const pp_variant,
    out_data: *mut *const f32,
    out_count: *mut usize,
) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract).
        Variant::PackedFloat32Array(a) => unsafe { put_items(out_data, out_count, a) },
        _ => Err(INVALID),
    } }
}

/// Appends `value` to a PACKED_FLOAT32_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_FLOAT32_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_float32_array_append(
    variant: *mut pp_variant,
    value: f32,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedFloat32Array(a) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(a.len())?;
        a.push(value);
        Ok(())
    }
}

/// Element `index` of a PACKED_FLOAT32_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_FLOAT32_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_float32_array_get(
    variant: *const pp_variant,
    index: usize,
    out_value: *mut f32,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedFloat32Array(a) = &*value(variant)? else {
            return Err(INVALID);
        };
        let out_value = Out::checked(out_value)?;
        let x = *at(a, index)?;
        put(out_value, x)
    }
}

/// Replaces element `index` of a PACKED_FLOAT32_ARRAY variant with `value`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_FLOAT32_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_float32_array_set(
    variant: *mut pp_variant,
    index: usize,
    value: f32,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedFloat32Array(a) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(a, index)? = value;
        Ok(())
    }
}

/// A new PACKED_FLOAT64_ARRAY variant.
/// - `data`, `count`: `count` 64-bit floats; `(NULL, 0)` for an empty array. Copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
#[no_mangle]
pub extern "C" fn pp_variant_new_packed_float64_array(
    data: *const f64,
    count: usize,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: data holds count items (caller's contract).
        let items = unsafe { in_items(data, count) }?.to_vec();
        give(out_variant, Variant::PackedFloat64Array(items))
    }
}

/// Lends the elements of a PACKED_FLOAT64_ARRAY variant.
/// - `out_data`: receives a pointer to the elements, valid until the variant is modified or freed;
///   NULL when the array is empty.
/// - `out_count`: receives the number of elements.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// PACKED_FLOAT64_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_get_packed_float64_array(
    variant: *const pp_variant,
    out_data: *mut *const f64,
    out_count: *mut usize,
) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract).
        Variant::PackedFloat64Array(a) => unsafe { put_items(out_data, out_count, a) },
        _ => Err(INVALID),
    } }
}

/// Appends `value` to a PACKED_FLOAT64_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_FLOAT64_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_float64_array_append(
    variant: *mut pp_variant,
    value: f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedFloat64Array(a) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(a.len())?;
        a.push(value);
        Ok(())
    }
}

/// Element `index` of a PACKED_FLOAT64_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_FLOAT64_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_float64_array_get(
    variant: *const pp_variant,
    index: usize,
    out_value: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedFloat64Array(a) = &*value(variant)? else {
            return Err(INVALID);
        };
        let out_value = Out::checked(out_value)?;
        let x = *at(a, index)?;
        put(out_value, x)
    }
}

/// Replaces element `index` of a PACKED_FLOAT64_ARRAY variant with `value`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_FLOAT64_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_float64_array_set(
    variant: *mut pp_variant,
    index: usize,
    value: f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedFloat64Array(a) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(a, index)? = value;
        Ok(())
    }
}

/// A new PACKED_VECTOR2_ARRAY variant.
/// - `values`, `count`: `count` elements given as `2 * count` doubles (x, y, x, y, …); `(NULL, 0)`
///   for an
///   empty array. Copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
#[no_mangle]
pub extern "C" fn pp_variant_new_packed_vector2_array(
    values: *const f64,
    count: usize,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        check_size(count)?;
        // SAFETY: values holds 2 * count items (caller's contract); count <= INT32_MAX so the product
        // cannot overflow on 64-bit targets, and checked_mul covers the others.
        let flat = unsafe { in_items_unbounded(values, count.checked_mul(2).ok_or(INVALID)?) }?;
        let items = flat
            .chunks_exact(2)
            .map(|c| Vector2 { x: c[0], y: c[1] })
            .collect();
        give(out_variant, Variant::PackedVector2Array(items))
    }
}

/// Lends the elements of a PACKED_VECTOR2_ARRAY variant as a flat array of doubles.
/// - `out_values`: receives a pointer to `2 * count` doubles (x, y, …), valid until the variant is
///   modified or freed; NULL when the array is empty.
/// - `out_count`: receives the number of elements.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// PACKED_VECTOR2_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_get_packed_vector2_array(
    variant: *const pp_variant,
    out_values: *mut *const f64,
    out_count: *mut usize,
) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract). Vector2 is repr(C) with 2 f64
        // fields, so the elements are a flat f64 array.
        Variant::PackedVector2Array(arr) => unsafe { put_items(out_values, out_count, arr) },
        _ => Err(INVALID),
    } }
}

/// Appends (x, y) to a PACKED_VECTOR2_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_VECTOR2_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector2_array_append(
    variant: *mut pp_variant,
    x: f64,
    y: f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedVector2Array(arr) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(arr.len())?;
        arr.push(Vector2 { x, y });
        Ok(())
    }
}

/// Element `index` of a PACKED_VECTOR2_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_VECTOR2_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector2_array_get(
    variant: *const pp_variant,
    index: usize,
    out_x: *mut f64,
    out_y: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedVector2Array(arr) = &*value(variant)? else {
            return Err(INVALID);
        };

        outs(&[out_x.cast(), out_y.cast()])?;
        let e = *at(arr, index)?;
        put(out_x, e.x)?;
        put(out_y, e.y)?;
        Ok(())
    }
}

/// Replaces element `index` of a PACKED_VECTOR2_ARRAY variant with (x, y).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_VECTOR2_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector2_array_set(
    variant: *mut pp_variant,
    index: usize,
    x: f64,
    y: f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedVector2Array(arr) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(arr, index)? = Vector2 { x, y };
        Ok(())
    }
}

/// A new PACKED_VECTOR3_ARRAY variant.
/// - `values`, `count`: `count` elements given as `3 * count` doubles (x, y, z, x, y, z, …);
///   `(NULL, 0)` for an
///   empty array. Copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
#[no_mangle]
pub extern "C" fn pp_variant_new_packed_vector3_array(
    values: *const f64,
    count: usize,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        check_size(count)?;
        // SAFETY: values holds 3 * count items (caller's contract); count <= INT32_MAX so the product
        // cannot overflow on 64-bit targets, and checked_mul covers the others.
        let flat = unsafe { in_items_unbounded(values, count.checked_mul(3).ok_or(INVALID)?) }?;
        let items = flat
            .chunks_exact(3)
            .map(|c| Vector3 {
                x: c[0],
                y: c[1],
                z: c[2],
            })
            .collect();
        give(out_variant, Variant::PackedVector3Array(items))
    }
}

/// Lends the elements of a PACKED_VECTOR3_ARRAY variant as a flat array of doubles.
/// - `out_values`: receives a pointer to `3 * count` doubles (x, y, z, …), valid until the variant is
///   modified or freed; NULL when the array is empty.
/// - `out_count`: receives the number of elements.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// PACKED_VECTOR3_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_get_packed_vector3_array(
    variant: *const pp_variant,
    out_values: *mut *const f64,
    out_count: *mut usize,
) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract). Vector3 is repr(C) with 3 f64
        // fields, so the elements are a flat f64 array.
        Variant::PackedVector3Array(arr) => unsafe { put_items(out_values, out_count, arr) },
        _ => Err(INVALID),
    } }
}

/// Appends (x, y, z) to a PACKED_VECTOR3_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_VECTOR3_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector3_array_append(
    variant: *mut pp_variant,
    x: f64,
    y: f64,
    z: f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedVector3Array(arr) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(arr.len())?;
        arr.push(Vector3 { x, y, z });
        Ok(())
    }
}

/// Element `index` of a PACKED_VECTOR3_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_VECTOR3_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector3_array_get(
    variant: *const pp_variant,
    index: usize,
    out_x: *mut f64,
    out_y: *mut f64,
    out_z: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedVector3Array(arr) = &*value(variant)? else {
            return Err(INVALID);
        };

        outs(&[out_x.cast(), out_y.cast(), out_z.cast()])?;
        let e = *at(arr, index)?;
        put(out_x, e.x)?;
        put(out_y, e.y)?;
        put(out_z, e.z)?;
        Ok(())
    }
}

/// Replaces element `index` of a PACKED_VECTOR3_ARRAY variant with (x, y, z).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_VECTOR3_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector3_array_set(
    variant: *mut pp_variant,
    index: usize,
    x: f64,
    y: f64,
    z: f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedVector3Array(arr) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(arr, index)? = Vector3 { x, y, z };
        Ok(())
    }
}

/// A new PACKED_COLOR_ARRAY variant.
/// - `values`, `count`: `count` elements given as `4 * count` floats (r, g, b, a, r, g, b, a, …);
///   `(NULL, 0)` for an
///   empty array. Copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
#[no_mangle]
pub extern "C" fn pp_variant_new_packed_color_array(
    values: *const f32,
    count: usize,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        check_size(count)?;
        // SAFETY: values holds 4 * count items (caller's contract); count <= INT32_MAX so the product
        // cannot overflow on 64-bit targets, and checked_mul covers the others.
        let flat = unsafe { in_items_unbounded(values, count.checked_mul(4).ok_or(INVALID)?) }?;
        let items = flat
            .chunks_exact(4)
            .map(|c| Color {
                r: c[0],
                g: c[1],
                b: c[2],
                a: c[3],
            })
            .collect();
        give(out_variant, Variant::PackedColorArray(items))
    }
}

/// Lends the elements of a PACKED_COLOR_ARRAY variant as a flat array of floats.
/// - `out_values`: receives a pointer to `4 * count` floats (r, g, b, a, …), valid until the variant is
///   modified or freed; NULL when the array is empty.
/// - `out_count`: receives the number of elements.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// PACKED_COLOR_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_get_packed_color_array(
    variant: *const pp_variant,
    out_values: *mut *const f32,
    out_count: *mut usize,
) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract). Color is repr(C) with 4 f32
        // fields, so the elements are a flat f32 array.
        Variant::PackedColorArray(arr) => unsafe { put_items(out_values, out_count, arr) },
        _ => Err(INVALID),
    } }
}

/// Appends (r, g, b, a) to a PACKED_COLOR_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_COLOR_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_color_array_append(
    variant: *mut pp_variant,
    r: f32,
    g: f32,
    b: f32,
    a: f32,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedColorArray(arr) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(arr.len())?;
        arr.push(Color { r, g, b, a });
        Ok(())
    }
}

/// Element `index` of a PACKED_COLOR_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_COLOR_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_color_array_get(
    variant: *const pp_variant,
    index: usize,
    out_r: *mut f32,
    out_g: *mut f32,
    out_b: *mut f32,
    out_a: *mut f32,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedColorArray(arr) = &*value(variant)? else {
            return Err(INVALID);
        };

        outs(&[out_r.cast(), out_g.cast(), out_b.cast(), out_a.cast()])?;
        let e = *at(arr, index)?;
        put(out_r, e.r)?;
        put(out_g, e.g)?;
        put(out_b, e.b)?;
        put(out_a, e.a)?;
        Ok(())
    }
}

/// Replaces element `index` of a PACKED_COLOR_ARRAY variant with (r, g, b, a).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_COLOR_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_color_array_set(
    variant: *mut pp_variant,
    index: usize,
    r: f32,
    g: f32,
    b: f32,
    a: f32,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedColorArray(arr) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(arr, index)? = Color { r, g, b, a };
        Ok(())
    }
}

/// A new PACKED_VECTOR4_ARRAY variant.
/// - `values`, `count`: `count` elements given as `4 * count` doubles (x, y, z, w, x, y, z, w, …);
///   `(NULL, 0)` for an
///   empty array. Copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
#[no_mangle]
pub extern "C" fn pp_variant_new_packed_vector4_array(
    values: *const f64,
    count: usize,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        check_size(count)?;
        // SAFETY: values holds 4 * count items (caller's contract); count <= INT32_MAX so the product
        // cannot overflow on 64-bit targets, and checked_mul covers the others.
        let flat = unsafe { in_items_unbounded(values, count.checked_mul(4).ok_or(INVALID)?) }?;
        let items = flat
            .chunks_exact(4)
            .map(|c| Vector4 {
                x: c[0],
                y: c[1],
                z: c[2],
                w: c[3],
            })
            .collect();
        give(out_variant, Variant::PackedVector4Array(items))
    }
}

/// Lends the elements of a PACKED_VECTOR4_ARRAY variant as a flat array of doubles.
/// - `out_values`: receives a pointer to `4 * count` doubles (x, y, z, w, …), valid until the
///   variant is
///   modified or freed; NULL when the array is empty.
/// - `out_count`: receives the number of elements.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// PACKED_VECTOR4_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_get_packed_vector4_array(
    variant: *const pp_variant,
    out_values: *mut *const f64,
    out_count: *mut usize,
) -> pp_error {
    ffi_boundary! { match &*value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract). Vector4 is repr(C) with 4 f64
        // fields, so the elements are a flat f64 array.
        Variant::PackedVector4Array(arr) => unsafe { put_items(out_values, out_count, arr) },
        _ => Err(INVALID),
    } }
}

/// Appends (x, y, z, w) to a PACKED_VECTOR4_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_VECTOR4_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector4_array_append(
    variant: *mut pp_variant,
    x: f64,
    y: f64,
    z: f64,
    w: f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedVector4Array(arr) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(arr.len())?;
        arr.push(Vector4 { x, y, z, w });
        Ok(())
    }
}

/// Element `index` of a PACKED_VECTOR4_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_VECTOR4_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector4_array_get(
    variant: *const pp_variant,
    index: usize,
    out_x: *mut f64,
    out_y: *mut f64,
    out_z: *mut f64,
    out_w: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedVector4Array(arr) = &*value(variant)? else {
            return Err(INVALID);
        };

        outs(&[out_x.cast(), out_y.cast(), out_z.cast(), out_w.cast()])?;
        let e = *at(arr, index)?;
        put(out_x, e.x)?;
        put(out_y, e.y)?;
        put(out_z, e.z)?;
        put(out_w, e.w)?;
        Ok(())
    }
}

/// Replaces element `index` of a PACKED_VECTOR4_ARRAY variant with (x, y, z, w).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_VECTOR4_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector4_array_set(
    variant: *mut pp_variant,
    index: usize,
    x: f64,
    y: f64,
    z: f64,
    w: f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::PackedVector4Array(arr) = &mut *value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(arr, index)? = Vector4 { x, y, z, w };
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers for the generated blocks above.

/// Item `index` of a caller-visible sequence.
pub(super) fn at<T>(items: &[T], index: usize) -> Result<&T, pp_error> {
    check_size(index)?;
    items.get(index).ok_or(RANGE)
}

pub(super) fn at_mut<T>(items: &mut [T], index: usize) -> Result<&mut T, pp_error> {
    check_size(index)?;
    items.get_mut(index).ok_or(RANGE)
}

pub(super) fn transform2d_from(v: &[f64; 6]) -> Transform2D {
    let col = |i: usize| Vector2 {
        x: v[2 * i],
        y: v[2 * i + 1],
    };
    Transform2D {
        columns: [col(0), col(1), col(2)],
    }
}

pub(super) fn transform2d_to(t: &Transform2D) -> [f64; 6] {
    let c = &t.columns;
    [c[0].x, c[0].y, c[1].x, c[1].y, c[2].x, c[2].y]
}

pub(super) fn basis_from(v: &[f64]) -> Basis {
    let row = |i: usize| Vector3 {
        x: v[3 * i],
        y: v[3 * i + 1],
        z: v[3 * i + 2],
    };
    Basis {
        rows: [row(0), row(1), row(2)],
    }
}

pub(super) fn basis_to(b: &Basis) -> [f64; 9] {
    let r = &b.rows;
    [
        r[0].x, r[0].y, r[0].z, r[1].x, r[1].y, r[1].z, r[2].x, r[2].y, r[2].z,
    ]
}

pub(super) fn transform3d_from(v: &[f64; 12]) -> Transform3D {
    Transform3D {
        basis: basis_from(&v[..9]),
        origin: Vector3 {
            x: v[9],
            y: v[10],
            z: v[11],
        },
    }
}

pub(super) fn transform3d_to(t: &Transform3D) -> [f64; 12] {
    let mut out = [0.0; 12];
    out[..9].copy_from_slice(&basis_to(&t.basis));
    out[9..].copy_from_slice(&[t.origin.x, t.origin.y, t.origin.z]);
    out
}

pub(super) fn projection_from(v: &[f64; 16]) -> Projection {
    let col = |i: usize| Vector4 {
        x: v[4 * i],
        y: v[4 * i + 1],
        z: v[4 * i + 2],
        w: v[4 * i + 3],
    };
    Projection {
        columns: [col(0), col(1), col(2), col(3)],
    }
}

pub(super) fn projection_to(p: &Projection) -> [f64; 16] {
    let mut out = [0.0; 16];
    for (chunk, c) in out.chunks_exact_mut(4).zip(&p.columns) {
        chunk.copy_from_slice(&[c.x, c.y, c.z, c.w]);
    }
    out
}
