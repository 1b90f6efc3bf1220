//! Math types.

use super::*;

/// A new VECTOR2 variant `Vector2(x, y)`.
/// Components are doubles; the encoder sends them as 32-bit floats unless the codec is set
/// to `real_is_double`.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_vector2(
    x: f64,
    y: f64,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! { give(out_variant, Variant::Vector2(Vector2 { x, y })) }
}

/// The components of a VECTOR2 variant, in the order of `pp_variant_new_vector2`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// VECTOR2.
#[no_mangle]
pub extern "C" fn pp_variant_get_vector2(
    variant: *const pp_variant,
    out_x: *mut f64,
    out_y: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::Vector2(p) = &*value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_x.cast(), out_y.cast()])?;
        put(out_x, p.x)?;
        put(out_y, p.y)?;
        Ok(())
    }
}

/// A new VECTOR2I variant `Vector2i(x, y)`.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_vector2i(
    x: i32,
    y: i32,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! { give(out_variant, Variant::Vector2i(Vector2i { x, y })) }
}

/// The components of a VECTOR2I variant, in the order of `pp_variant_new_vector2i`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// VECTOR2I.
#[no_mangle]
pub extern "C" fn pp_variant_get_vector2i(
    variant: *const pp_variant,
    out_x: *mut i32,
    out_y: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let Variant::Vector2i(p) = &*value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_x.cast(), out_y.cast()])?;
        put(out_x, p.x)?;
        put(out_y, p.y)?;
        Ok(())
    }
}

/// A new RECT2 variant `Rect2(x, y, width, height)`: position, then size.
/// Components are doubles; the encoder sends them as 32-bit floats unless the codec is set
/// to `real_is_double`.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_rect2(
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! { give(
        out_variant,
        Variant::Rect2(Rect2 {
            position: Vector2 { x, y },
            size: Vector2 {
                x: width,
                y: height,
            },
        }),
    ) }
}

/// The components of a RECT2 variant, in the order of `pp_variant_new_rect2`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a RECT2.
#[no_mangle]
pub extern "C" fn pp_variant_get_rect2(
    variant: *const pp_variant,
    out_x: *mut f64,
    out_y: *mut f64,
    out_width: *mut f64,
    out_height: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::Rect2(p) = &*value(variant)? else {
            return Err(INVALID);
        };
        outs(&[
            out_x.cast(),
            out_y.cast(),
            out_width.cast(),
            out_height.cast(),
        ])?;
        put(out_x, p.position.x)?;
        put(out_y, p.position.y)?;
        put(out_width, p.size.x)?;
        put(out_height, p.size.y)?;
        Ok(())
    }
}

/// A new RECT2I variant `Rect2i(x, y, width, height)`: position, then size.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_rect2i(
    x: i32,
    y: i32,
    width: i32,
    height: i32,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! { give(
        out_variant,
        Variant::Rect2i(Rect2i {
            position: Vector2i { x, y },
            size: Vector2i {
                x: width,
                y: height,
            },
        }),
    ) }
}

/// The components of a RECT2I variant, in the order of `pp_variant_new_rect2i`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// RECT2I.
#[no_mangle]
pub extern "C" fn pp_variant_get_rect2i(
    variant: *const pp_variant,
    out_x: *mut i32,
    out_y: *mut i32,
    out_width: *mut i32,
    out_height: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let Variant::Rect2i(p) = &*value(variant)? else {
            return Err(INVALID);
        };
        outs(&[
            out_x.cast(),
            out_y.cast(),
            out_width.cast(),
            out_height.cast(),
        ])?;
        put(out_x, p.position.x)?;
        put(out_y, p.position.y)?;
        put(out_width, p.size.x)?;
        put(out_height, p.size.y)?;
        Ok(())
    }
}

/// A new VECTOR3 variant `Vector3(x, y, z)`.
/// Components are doubles; the encoder sends them as 32-bit floats unless the codec is set
/// to `real_is_double`.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_vector3(
    x: f64,
    y: f64,
    z: f64,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! { give(out_variant, Variant::Vector3(Vector3 { x, y, z })) }
}

/// The components of a VECTOR3 variant, in the order of `pp_variant_new_vector3`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// VECTOR3.
#[no_mangle]
pub extern "C" fn pp_variant_get_vector3(
    variant: *const pp_variant,
    out_x: *mut f64,
    out_y: *mut f64,
    out_z: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::Vector3(p) = &*value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_x.cast(), out_y.cast(), out_z.cast()])?;
        put(out_x, p.x)?;
        put(out_y, p.y)?;
        put(out_z, p.z)?;
        Ok(())
    }
}

/// A new VECTOR3I variant `Vector3i(x, y, z)`.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_vector3i(
    x: i32,
    y: i32,
    z: i32,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! { give(out_variant, Variant::Vector3i(Vector3i { x, y, z })) }
}

/// The components of a VECTOR3I variant, in the order of `pp_variant_new_vector3i`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// VECTOR3I.
#[no_mangle]
pub extern "C" fn pp_variant_get_vector3i(
    variant: *const pp_variant,
    out_x: *mut i32,
    out_y: *mut i32,
    out_z: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let Variant::Vector3i(p) = &*value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_x.cast(), out_y.cast(), out_z.cast()])?;
        put(out_x, p.x)?;
        put(out_y, p.y)?;
        put(out_z, p.z)?;
        Ok(())
    }
}

/// A new VECTOR4 variant `Vector4(x, y, z, w)`.
/// Components are doubles; the encoder sends them as 32-bit floats unless the codec is set
/// to `real_is_double`.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_vector4(
    x: f64,
    y: f64,
    z: f64,
    w: f64,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! { give(out_variant, Variant::Vector4(Vector4 { x, y, z, w })) }
}

/// The components of a VECTOR4 variant, in the order of `pp_variant_new_vector4`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// VECTOR4.
#[no_mangle]
pub extern "C" fn pp_variant_get_vector4(
    variant: *const pp_variant,
    out_x: *mut f64,
    out_y: *mut f64,
    out_z: *mut f64,
    out_w: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::Vector4(p) = &*value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_x.cast(), out_y.cast(), out_z.cast(), out_w.cast()])?;
        put(out_x, p.x)?;
        put(out_y, p.y)?;
        put(out_z, p.z)?;
        put(out_w, p.w)?;
        Ok(())
    }
}

/// A new VECTOR4I variant `Vector4i(x, y, z, w)`.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_vector4i(
    x: i32,
    y: i32,
    z: i32,
    w: i32,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! { give(out_variant, Variant::Vector4i(Vector4i { x, y, z, w })) }
}

/// The components of a VECTOR4I variant, in the order of `pp_variant_new_vector4i`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// VECTOR4I.
#[no_mangle]
pub extern "C" fn pp_variant_get_vector4i(
    variant: *const pp_variant,
    out_x: *mut i32,
    out_y: *mut i32,
    out_z: *mut i32,
    out_w: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let Variant::Vector4i(p) = &*value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_x.cast(), out_y.cast(), out_z.cast(), out_w.cast()])?;
        put(out_x, p.x)?;
        put(out_y, p.y)?;
        put(out_z, p.z)?;
        put(out_w, p.w)?;
        Ok(())
    }
}

/// A new PLANE variant `Plane(normal, d)`.
/// Components are doubles; the encoder sends them as 32-bit floats unless the codec is set
/// to `real_is_double`.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_plane(
    normal_x: f64,
    normal_y: f64,
    normal_z: f64,
    d: f64,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! { give(
        out_variant,
        Variant::Plane(Plane {
            normal: Vector3 {
                x: normal_x,
                y: normal_y,
                z: normal_z,
            },
            d,
        }),
    ) }
}

/// The components of a PLANE variant, in the order of `pp_variant_new_plane`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PLANE.
#[no_mangle]
pub extern "C" fn pp_variant_get_plane(
    variant: *const pp_variant,
    out_normal_x: *mut f64,
    out_normal_y: *mut f64,
    out_normal_z: *mut f64,
    out_d: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::Plane(p) = &*value(variant)? else {
            return Err(INVALID);
        };
        outs(&[
            out_normal_x.cast(),
            out_normal_y.cast(),
            out_normal_z.cast(),
            out_d.cast(),
        ])?;
        put(out_normal_x, p.normal.x)?;
        put(out_normal_y, p.normal.y)?;
        put(out_normal_z, p.normal.z)?;
        put(out_d, p.d)?;
        Ok(())
    }
}

/// A new QUATERNION variant `Quaternion(x, y, z, w)`.
/// Components are doubles; the encoder sends them as 32-bit floats unless the codec is set
/// to `real_is_double`.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_quaternion(
    x: f64,
    y: f64,
    z: f64,
    w: f64,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! { give(out_variant, Variant::Quaternion(Quaternion { x, y, z, w })) }
}

/// The components of a QUATERNION variant, in the order of `pp_variant_new_quaternion`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// QUATERNION.
#[no_mangle]
pub extern "C" fn pp_variant_get_quaternion(
    variant: *const pp_variant,
    out_x: *mut f64,
    out_y: *mut f64,
    out_z: *mut f64,
    out_w: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::Quaternion(p) = &*value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_x.cast(), out_y.cast(), out_z.cast(), out_w.cast()])?;
        put(out_x, p.x)?;
        put(out_y, p.y)?;
        put(out_z, p.z)?;
        put(out_w, p.w)?;
        Ok(())
    }
}

/// A new AABB variant `AABB(position, size)`.
/// Components are doubles; the encoder sends them as 32-bit floats unless the codec is set
/// to `real_is_double`.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_aabb(
    x: f64,
    y: f64,
    z: f64,
    size_x: f64,
    size_y: f64,
    size_z: f64,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! { give(
        out_variant,
        Variant::Aabb(Box::new(Aabb {
            position: Vector3 { x, y, z },
            size: Vector3 {
                x: size_x,
                y: size_y,
                z: size_z,
            },
        })),
    ) }
}

/// The components of a AABB variant, in the order of `pp_variant_new_aabb`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a AABB.
#[no_mangle]
pub extern "C" fn pp_variant_get_aabb(
    variant: *const pp_variant,
    out_x: *mut f64,
    out_y: *mut f64,
    out_z: *mut f64,
    out_size_x: *mut f64,
    out_size_y: *mut f64,
    out_size_z: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::Aabb(p) = &*value(variant)? else {
            return Err(INVALID);
        };
        outs(&[
            out_x.cast(),
            out_y.cast(),
            out_z.cast(),
            out_size_x.cast(),
            out_size_y.cast(),
            out_size_z.cast(),
        ])?;
        put(out_x, p.position.x)?;
        put(out_y, p.position.y)?;
        put(out_z, p.position.z)?;
        put(out_size_x, p.size.x)?;
        put(out_size_y, p.size.y)?;
        put(out_size_z, p.size.z)?;
        Ok(())
    }
}

/// A new COLOR variant `Color(r, g, b, a)`; always 32-bit floats, on the wire too.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_color(
    r: f32,
    g: f32,
    b: f32,
    a: f32,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! { give(out_variant, Variant::Color(Color { r, g, b, a })) }
}

/// The components of a COLOR variant, in the order of `pp_variant_new_color`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a COLOR.
#[no_mangle]
pub extern "C" fn pp_variant_get_color(
    variant: *const pp_variant,
    out_r: *mut f32,
    out_g: *mut f32,
    out_b: *mut f32,
    out_a: *mut f32,
) -> pp_error {
    ffi_boundary! {
        let Variant::Color(p) = &*value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_r.cast(), out_g.cast(), out_b.cast(), out_a.cast()])?;
        put(out_r, p.r)?;
        put(out_g, p.g)?;
        put(out_b, p.b)?;
        put(out_a, p.a)?;
        Ok(())
    }
}

/// A new TRANSFORM2D variant from 6 doubles in wire order: x axis (x, y), y axis (x, y), origin (x, y).
/// The encoder sends them as 32-bit floats unless the codec is set to `real_is_double`.
/// - `values`: 6 doubles; copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_transform2d(
    values: *const f64,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: values points to 6 doubles (caller's contract).
        let vals: [f64; 6] = unsafe { in_array(values) }?;
        give(
                out_variant,
                Variant::Transform2D(Box::new(transform2d_from(&vals))),
            )
    }
}

/// The 6 values of a TRANSFORM2D variant, in wire order: x axis (x, y), y axis (x, y), origin (x, y).
/// - `out_values`: room for 6 doubles.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// TRANSFORM2D.
#[no_mangle]
pub extern "C" fn pp_variant_get_transform2d(
    variant: *const pp_variant,
    out_values: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::Transform2D(p) = &*value(variant)? else {
            return Err(INVALID);
        };
        // SAFETY: out_values is NULL or has room for 6 doubles (caller's contract).
        unsafe { put_array(out_values, &transform2d_to(p)) }
    }
}

/// A new BASIS variant from 9 doubles in wire order, row-major: `rows[0][0..3]`, `rows[1][0..3]`,
/// `rows[2][0..3]`.
/// The encoder sends them as 32-bit floats unless the codec is set to `real_is_double`.
/// - `values`: 9 doubles; copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_basis(
    values: *const f64,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: values points to 9 doubles (caller's contract).
        let vals: [f64; 9] = unsafe { in_array(values) }?;
        give(out_variant, Variant::Basis(Box::new(basis_from(&vals))))
    }
}

/// The 9 values of a BASIS variant, in wire order, row-major: `rows[0][0..3]`, `rows[1][0..3]`,
/// `rows[2][0..3]`.
/// - `out_values`: room for 9 doubles.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a BASIS.
#[no_mangle]
pub extern "C" fn pp_variant_get_basis(
    variant: *const pp_variant,
    out_values: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::Basis(p) = &*value(variant)? else {
            return Err(INVALID);
        };
        // SAFETY: out_values is NULL or has room for 9 doubles (caller's contract).
        unsafe { put_array(out_values, &basis_to(p)) }
    }
}

/// A new TRANSFORM3D variant from 12 doubles in wire order: the 9 basis values row-major as for
/// BASIS, then origin (x, y, z).
/// The encoder sends them as 32-bit floats unless the codec is set to `real_is_double`.
/// - `values`: 12 doubles; copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_transform3d(
    values: *const f64,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: values points to 12 doubles (caller's contract).
        let vals: [f64; 12] = unsafe { in_array(values) }?;
        give(
                out_variant,
                Variant::Transform3D(Box::new(transform3d_from(&vals))),
            )
    }
}

/// The 12 values of a TRANSFORM3D variant, in wire order: the 9 basis values row-major as for
/// BASIS, then origin (x, y, z).
/// - `out_values`: room for 12 doubles.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// TRANSFORM3D.
#[no_mangle]
pub extern "C" fn pp_variant_get_transform3d(
    variant: *const pp_variant,
    out_values: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::Transform3D(p) = &*value(variant)? else {
            return Err(INVALID);
        };
        // SAFETY: out_values is NULL or has room for 12 doubles (caller's contract).
        unsafe { put_array(out_values, &transform3d_to(p)) }
    }
}

/// A new PROJECTION variant from 16 doubles in wire order, column-major: `columns[0][0..4]` …
/// `columns[3][0..4]`.
/// The encoder sends them as 32-bit floats unless the codec is set to `real_is_double`.
/// - `values`: 16 doubles; copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_projection(
    values: *const f64,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: values points to 16 doubles (caller's contract).
        let vals: [f64; 16] = unsafe { in_array(values) }?;
        give(
                out_variant,
                Variant::Projection(Box::new(projection_from(&vals))),
            )
    }
}

/// The 16 values of a PROJECTION variant, in wire order, column-major: `columns[0][0..4]` …
/// `columns[3][0..4]`.
/// - `out_values`: room for 16 doubles.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// PROJECTION.
#[no_mangle]
pub extern "C" fn pp_variant_get_projection(
    variant: *const pp_variant,
    out_values: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let Variant::Projection(p) = &*value(variant)? else {
            return Err(INVALID);
        };
        // SAFETY: out_values is NULL or has room for 16 doubles (caller's contract).
        unsafe { put_array(out_values, &projection_to(p)) }
    }
}
