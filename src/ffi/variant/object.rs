//! Object.

use super::*;

/// A new OBJECT variant holding a null object. It is sent as NIL, as the engine does.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_object_null(out_variant: *mut *mut pp_variant) -> pp_error {
    ffi_boundary! { give(out_variant, Variant::Object(Object::Null)) }
}

/// A new OBJECT variant that refers to an object by instance id (sent as Godot's
/// `EncodedObjectAsID`, what `put_var` sends by default).
/// - `object_id`: the instance id; 0 makes a null object, as the decoder does.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_object_id(
    object_id: u64,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        let o = if object_id == 0 {
            Object::Null
        } else {
            Object::Id(object_id)
        };
        give(out_variant, Variant::Object(o))
    }
}

/// A new OBJECT variant sent in full (with `full_objects`): a class name and no properties yet; add
/// them in order with `pp_variant_object_set_property`. The library never instantiates classes.
/// Encoding it needs `full_objects` (it has no instance id); without it the encoder returns
/// `PP_ERR_INVALID_PARAMETER`. Decoding one needs `allow_objects`.
/// - `class_name`: the Godot class (`"Node2D"`), NUL-terminated UTF-8, non-empty; copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or `class_name` is empty or
/// not UTF-8.
#[no_mangle]
pub extern "C" fn pp_variant_new_object_full(
    class_name: *const c_char,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: class_name is NULL or NUL-terminated (caller's contract).
        let class_name = unsafe { in_string(class_name) }?;
        if class_name.is_empty() {
            return Err(INVALID);
        }
        let o = Object::Full(Box::new(FullObject {
            class_name,
            properties: Vec::new(),
        }));
        give(out_variant, Variant::Object(o))
    }
}

/// Sets a property of a full OBJECT variant: replaces the value of an existing property of that name
/// (keeping its position), else appends it. The encoder sends properties in this order.
/// - `object`: a full OBJECT variant (`PP_OBJECT_KIND_FULL`).
/// - `name`: the property name, NUL-terminated UTF-8, non-empty; copied.
/// - `value`: the value; copied (it may be `object` itself: the copy is taken first). The `script`
///   property must be NIL or a STRING holding a `res://` path, as the engine requires.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` when the value nests deeper than the engine's 1024 limit;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL, `object` is not a full object, `name` is empty
/// or not UTF-8, or a `script` value breaks the rule above.
#[no_mangle]
pub extern "C" fn pp_variant_object_set_property(
    object: *mut pp_variant,
    name: *const c_char,
    value: *const pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: name is NULL or NUL-terminated (caller's contract).
        let name = unsafe { in_string(name) }?;
        let value = read_variant(value)?;
        FullObject::check_property(&name, &value)?;
        let Variant::Object(Object::Full(o)) = &mut *value_mut(object)? else {
            return Err(INVALID);
        };
        match o.properties.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => *v = value,
            None => {
                check_room(o.properties.len())?;
                o.properties.push((name, value));
            }
        }
        Ok(())
    }
}

/// What an OBJECT variant holds: `PP_OBJECT_KIND_NULL`, `_ID` or `_FULL`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not an
/// OBJECT.
#[no_mangle]
pub extern "C" fn pp_variant_get_object_kind(
    variant: *const pp_variant,
    out_kind: *mut pp_object_kind,
) -> pp_error {
    ffi_boundary! {
        let kind = match &*value(variant)? {
            Variant::Object(Object::Null) => pp_object_kind::PP_OBJECT_KIND_NULL,
            Variant::Object(Object::Id(_)) => pp_object_kind::PP_OBJECT_KIND_ID,
            Variant::Object(Object::Full(_)) => pp_object_kind::PP_OBJECT_KIND_FULL,
            _ => return Err(INVALID),
        };
        put(out_kind, kind)
    }
}

/// The instance id of an OBJECT variant sent by id; 0 for a null object.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL, the variant is not an OBJECT,
/// or it is a full object (which has no id on the wire).
#[no_mangle]
pub extern "C" fn pp_variant_get_object_id(
    variant: *const pp_variant,
    out_object_id: *mut u64,
) -> pp_error {
    ffi_boundary! {
        let id = match &*value(variant)? {
            Variant::Object(Object::Null) => 0,
            Variant::Object(Object::Id(id)) => *id,
            _ => return Err(INVALID),
        };
        put(out_object_id, id)
    }
}

/// Lends the class name of a full OBJECT variant (not NUL-terminated; valid until the variant is
/// modified or freed).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a full
/// OBJECT.
#[no_mangle]
pub extern "C" fn pp_variant_get_object_class(
    variant: *const pp_variant,
    out_data: *mut *const c_char,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let held = value(variant)?;
        let o = as_full_object(&held)?;
        // SAFETY: out pointers are NULL or writable (caller's contract).
        unsafe { put_view(out_data, out_len, &o.class_name) }
    }
}

/// The number of properties of a full OBJECT variant.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a full
/// OBJECT.
#[no_mangle]
pub extern "C" fn pp_variant_object_get_property_count(
    variant: *const pp_variant,
    out_count: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let held = value(variant)?;
        let o = as_full_object(&held)?;
        put(out_count, o.properties.len())
    }
}

/// Lends the name of property `index` of a full OBJECT variant (not NUL-terminated; valid until the
/// variant is modified or freed).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the property count;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a full OBJECT.
#[no_mangle]
pub extern "C" fn pp_variant_object_get_property_name(
    variant: *const pp_variant,
    index: usize,
    out_data: *mut *const c_char,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let held = value(variant)?;
        let o = as_full_object(&held)?;
        outs(&[out_data.cast(), out_len.cast()])?;
        let (name, _) = at(&o.properties, index)?;
        // SAFETY: out pointers are NULL or writable (caller's contract).
        unsafe { put_view(out_data, out_len, name) }
    }
}

/// A copy of the value of property `index` of a full OBJECT variant.
/// - `out_variant`: receives the copy; free it with `pp_variant_free`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the property count;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a full OBJECT.
#[no_mangle]
pub extern "C" fn pp_variant_object_get_property_value(
    variant: *const pp_variant,
    index: usize,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        let held = value(variant)?;
        let o = as_full_object(&held)?;
        let out_variant = Out::checked(out_variant)?;
        let (_, v) = at(&o.properties, index)?;
        give(out_variant, v.clone())
    }
}

/// A copy of the value of the property called `name` of a full OBJECT variant.
/// - `out_variant`: receives the copy; free it with `pp_variant_free`.
///
/// Returns `PP_OK`; `PP_ERR_DOES_NOT_EXIST` when there is no such property; `PP_ERR_INVALID_PARAMETER`
/// when a pointer is NULL, `name` is not UTF-8 or the variant is not a full OBJECT.
#[no_mangle]
pub extern "C" fn pp_variant_object_get_property(
    variant: *const pp_variant,
    name: *const c_char,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        let held = value(variant)?;
        let o = as_full_object(&held)?;
        // SAFETY: name is NULL or NUL-terminated (caller's contract).
        let name = unsafe { in_str(name) }?;
        let out_variant = Out::checked(out_variant)?;
        let (_, v) = o
            .properties
            .iter()
            .find(|(n, _)| n == name)
            .ok_or(MISSING)?;
        give(out_variant, v.clone())
    }
}
