//! Helpers. Everything here is safe Rust except the few functions marked `unsafe`, which only read
//! or write C memory under the contract documented on each export.

use super::*;

// Handles may move between threads.
const _: () = {
    const fn send<T: Send>() {}
    send::<Excl<Variant>>();
    send::<Excl<Codec>>();
};

// The packed-array getters lend these as flat arrays of their components (they are repr(C)).
const _: () = {
    assert!(std::mem::size_of::<Vector2>() == 2 * 8);
    assert!(std::mem::size_of::<Vector3>() == 3 * 8);
    assert!(std::mem::size_of::<Vector4>() == 4 * 8);
    assert!(std::mem::size_of::<Color>() == 4 * 4);
};

pub(super) fn check_size(n: usize) -> R {
    if n > MAX_SIZE {
        Err(INVALID)
    } else {
        Ok(())
    }
}

/// An index into a sequence of `len` items.
pub(super) fn check_index(index: usize, len: usize) -> Result<usize, pp_error> {
    check_size(index)?;
    if index < len {
        Ok(index)
    } else {
        Err(RANGE)
    }
}

/// A sequence may grow by one item only below Godot's `int` limit.
pub(super) fn check_room(len: usize) -> R {
    if len >= MAX_SIZE {
        Err(pp_error::PP_ERR_OUT_OF_MEMORY)
    } else {
        Ok(())
    }
}

/// Reads the variant behind a handle argument (an export's, under its contract): NULL or another
/// type is `PP_ERR_INVALID_PARAMETER`, a variant this thread is changing in an outer call
/// `PP_ERR_LOCKED`.
pub(super) fn value<'a>(v: *const pp_variant) -> Result<Ref<'a, Variant>, pp_error> {
    try_ref!(v).get()
}

/// The variant behind a handle argument, for modification; `PP_ERR_LOCKED` while this thread reads
/// or changes it in an outer call (e.g. a callback changing the variant `pp_put_var` is sending).
/// Calls that also read inputs copy them first (`read_variant`), so `pp_variant_array_append(a, a)`
/// works.
pub(super) fn value_mut<'a>(v: *mut pp_variant) -> Result<RefMut<'a, Variant>, pp_error> {
    try_ref!(v).get_mut()
}

/// A copy of the variant behind a handle argument.
pub(super) fn read_variant(p: *const pp_variant) -> Result<Variant, pp_error> {
    Ok(value(p)?.clone())
}

/// Writes one out-param of an export (NULL is `PP_ERR_INVALID_PARAMETER`).
pub(super) fn put<T>(out: impl OutParam<T>, v: T) -> R {
    out.checked()?.write(v);
    Ok(())
}

/// Fails unless every out-pointer is non-NULL, so that multi-value getters write all or nothing.
pub(super) fn outs(ptrs: &[*mut ()]) -> R {
    if ptrs.iter().any(|p| p.is_null()) {
        Err(INVALID)
    } else {
        Ok(())
    }
}

/// Hands a new variant to C through an export's out-parameter.
pub(super) fn give(out: impl OutParam<*mut pp_variant>, v: Variant) -> R {
    out.checked()?.write(new_variant(v));
    Ok(())
}

/// `N` values from a C array.
///
/// # Safety
/// A non-NULL `ptr` must point to `N` readable values.
pub(super) unsafe fn in_array<T: Copy, const N: usize>(ptr: *const T) -> Result<[T; N], pp_error> {
    if ptr.is_null() {
        return Err(INVALID);
    }
    // SAFETY: non-NULL and `N` readable values (caller's contract); `[T; N]` has T's alignment.
    Ok(unsafe { ptr.cast::<[T; N]>().read_unaligned() })
}

/// Writes `vals` to a C array of `vals.len()` items.
///
/// # Safety
/// A non-NULL `out` must point to `vals.len()` writable items.
pub(super) unsafe fn put_array<T: Copy>(out: *mut T, vals: &[T]) -> R {
    if out.is_null() {
        return Err(INVALID);
    }
    // SAFETY: non-NULL, room for vals.len() items (caller's contract), and C memory never overlaps
    // the Rust value we copy from.
    unsafe { std::ptr::copy_nonoverlapping(vals.as_ptr(), out, vals.len()) };
    Ok(())
}

/// A string from C given as bytes + length: UTF-8 without NUL bytes (a Godot String cannot hold
/// U+0000).
///
/// # Safety
/// As [`in_slice`].
pub(super) unsafe fn in_text(data: *const c_char, len: usize) -> Result<String, pp_error> {
    // SAFETY: forwarded contract.
    let bytes = unsafe { in_slice(data.cast::<u8>(), len) }?;
    if bytes.contains(&0) {
        return Err(INVALID);
    }
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|_| INVALID)
}

/// A NUL-terminated UTF-8 string from C, owned.
///
/// # Safety
/// As [`in_str`].
pub(super) unsafe fn in_string(p: *const c_char) -> Result<String, pp_error> {
    // SAFETY: forwarded contract.
    unsafe { in_str(p) }.map(str::to_owned)
}

/// Lends `s` to C as (pointer, length). The bytes are not NUL-terminated; an empty string lends a
/// static `""`.
///
/// # Safety
/// Both pointers must be NULL or writable.
pub(super) unsafe fn put_view(out_data: *mut *const c_char, out_len: *mut usize, s: &str) -> R {
    outs(&[out_data.cast(), out_len.cast()])?;
    let ptr = if s.is_empty() {
        c"".as_ptr()
    } else {
        s.as_ptr().cast::<c_char>()
    };
    put(out_data, ptr)?;
    put(out_len, s.len())
}

/// A caller buffer: `(NULL, 0)` or non-NULL with `cap <= INT32_MAX`.
pub(super) fn check_buf<T>(buf: *mut T, cap: usize) -> R {
    check_size(cap)?;
    if buf.is_null() && cap > 0 {
        Err(INVALID)
    } else {
        Ok(())
    }
}

/// Copies `s` into a caller buffer by the library's one text-out rule ([`write_text`]).
///
/// # Safety
/// A non-NULL `buf` must have `cap` writable bytes; `out_len` must be NULL or writable.
pub(super) unsafe fn copy_text(s: &str, buf: *mut c_char, cap: usize, out_len: *mut usize) -> R {
    let out_len = out_opt!(out_len);
    // SAFETY: forwarded contract.
    unsafe { write_text(s, buf, cap, out_len) }
}

/// A container type from its C description: BUILTIN takes a type id, CLASS and SCRIPT a name; the
/// unused arguments are ignored. Only the C side is checked here (enum values, the string); whether
/// the type is valid (BUILTIN not NIL, names non-empty, SCRIPT a `res://` path) is the core's rule,
/// `ContainerType::validate`, which `Array::set_element_type` and `Dictionary::set_types` apply.
///
/// # Safety
/// `name` must be NULL or a NUL-terminated string.
pub(super) unsafe fn container_type(
    kind: i32,
    builtin_type: i32,
    name: *const c_char,
) -> Result<ContainerType, pp_error> {
    const NONE: i32 = pp_container_kind::PP_CONTAINER_KIND_NONE as i32;
    const BUILTIN: i32 = pp_container_kind::PP_CONTAINER_KIND_BUILTIN as i32;
    const CLASS: i32 = pp_container_kind::PP_CONTAINER_KIND_CLASS as i32;
    const SCRIPT: i32 = pp_container_kind::PP_CONTAINER_KIND_SCRIPT as i32;
    match kind {
        NONE => Ok(ContainerType::Any),
        BUILTIN => VariantType::from_id(builtin_type)
            .map(ContainerType::Builtin)
            .ok_or(INVALID),
        CLASS | SCRIPT => {
            // SAFETY: forwarded contract.
            let name = unsafe { in_string(name) }?;
            Ok(if kind == CLASS {
                ContainerType::Class(name)
            } else {
                ContainerType::Script(name)
            })
        }
        _ => Err(INVALID),
    }
}

/// Writes a container type to the C out-params of the `get_typed` calls.
///
/// # Safety
/// Every pointer must be NULL or writable.
pub(super) unsafe fn put_container_type(
    t: &ContainerType,
    out_kind: *mut pp_container_kind,
    out_builtin_type: *mut pp_variant_type,
    out_name: *mut *const c_char,
    out_name_len: *mut usize,
) -> R {
    outs(&[
        out_kind.cast(),
        out_builtin_type.cast(),
        out_name.cast(),
        out_name_len.cast(),
    ])?;
    let (kind, builtin, name) = match t {
        ContainerType::Any => (
            pp_container_kind::PP_CONTAINER_KIND_NONE,
            VariantType::Nil,
            "",
        ),
        ContainerType::Builtin(b) => (pp_container_kind::PP_CONTAINER_KIND_BUILTIN, *b, ""),
        ContainerType::Class(n) => (
            pp_container_kind::PP_CONTAINER_KIND_CLASS,
            VariantType::Object,
            n.as_str(),
        ),
        ContainerType::Script(n) => (
            pp_container_kind::PP_CONTAINER_KIND_SCRIPT,
            VariantType::Object,
            n.as_str(),
        ),
    };
    put(out_kind, kind)?;
    put(out_builtin_type, builtin.into())?;
    // SAFETY: forwarded contract.
    unsafe { put_view(out_name, out_name_len, name) }
}

pub(super) fn as_array(v: &Variant) -> Result<&Array, pp_error> {
    match v {
        Variant::Array(a) => Ok(a),
        _ => Err(INVALID),
    }
}
pub(super) fn as_array_mut(v: &mut Variant) -> Result<&mut Array, pp_error> {
    match v {
        Variant::Array(a) => Ok(a),
        _ => Err(INVALID),
    }
}
pub(super) fn as_dictionary(v: &Variant) -> Result<&Dictionary, pp_error> {
    match v {
        Variant::Dictionary(d) => Ok(d),
        _ => Err(INVALID),
    }
}
pub(super) fn as_dictionary_mut(v: &mut Variant) -> Result<&mut Dictionary, pp_error> {
    match v {
        Variant::Dictionary(d) => Ok(d),
        _ => Err(INVALID),
    }
}
pub(super) fn as_full_object(v: &Variant) -> Result<&FullObject, pp_error> {
    match v {
        Variant::Object(Object::Full(o)) => Ok(o),
        _ => Err(INVALID),
    }
}
pub(super) fn as_node_path(v: &Variant) -> Result<&NodePath, pp_error> {
    match v {
        Variant::NodePath(p) => Ok(p),
        _ => Err(INVALID),
    }
}

/// The element count of any packed array.
pub(super) fn packed_len(v: &Variant) -> Result<usize, pp_error> {
    use Variant as V;
    Ok(match v {
        V::PackedByteArray(a) => a.len(),
        V::PackedInt32Array(a) => a.len(),
        V::PackedInt64Array(a) => a.len(),
        V::PackedFloat32Array(a) => a.len(),
        V::PackedFloat64Array(a) => a.len(),
        V::PackedStringArray(a) => a.len(),
        V::PackedVector2Array(a) => a.len(),
        V::PackedVector3Array(a) => a.len(),
        V::PackedColorArray(a) => a.len(),
        V::PackedVector4Array(a) => a.len(),
        _ => return Err(INVALID),
    })
}

/// Lends a packed array's items: `(NULL, 0)` when empty.
///
/// # Safety
/// Both pointers must be NULL or writable.
pub(super) unsafe fn put_items<T, S>(
    out_data: *mut *const S,
    out_count: *mut usize,
    items: &[T],
) -> R {
    outs(&[out_data.cast(), out_count.cast()])?;
    let ptr = if items.is_empty() {
        std::ptr::null()
    } else {
        items.as_ptr().cast::<S>()
    };
    put(out_data, ptr)?;
    put(out_count, items.len())
}

/// Hands encoded bytes to C as a boxed slice of exactly `len` bytes, freed by `pp_bytes_free`.
///
/// # Safety
/// Both pointers must be non-NULL (checked by the caller with [`outs`]) and writable.
pub(super) unsafe fn give_bytes(bytes: Vec<u8>, out_data: *mut *mut u8, out_len: *mut usize) {
    let len = bytes.len();
    let ptr = Box::into_raw(bytes.into_boxed_slice()).cast::<u8>();
    // Checked non-NULL by the caller, so these cannot fail.
    let _ = put(out_data, ptr);
    let _ = put(out_len, len);
}

pub(super) fn codec_error(e: &VariantError) -> pp_error {
    pp_error::from(e.code)
}
