//! The C API over `pp_variant` handles: constructors and getters for all 39 Variant types, Array,
//! Dictionary and packed-array access, duplicate/equal/to_string, and the codec (`pp_codec`).
//!
//! Ownership model (restated in the header docs):
//! - every `pp_variant *` a call gives you is yours; free it with `pp_variant_free`;
//! - variants inside containers are not handles: `pp_variant_array_get`, `pp_variant_dictionary_get`
//!   and friends give an owned deep copy, and `append`/`set` copy their inputs, so the container and
//!   your handle never share anything;
//! - borrowed views (`const char *` + length, packed-array data) live until the variant they come
//!   from is modified or freed.
//!
//! Errors, the same for every call: NULL where a pointer is required, a variant of the wrong type,
//! an invalid enum value, a size above INT32_MAX or invalid UTF-8 give `PP_ERR_INVALID_PARAMETER`;
//! an index at or past the end gives `PP_ERR_PARAMETER_RANGE_ERROR`; a missing dictionary key or
//! object property gives `PP_ERR_DOES_NOT_EXIST`.
// Exports take raw pointers because they are the C ABI; each one documents the pointer contract.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use std::ffi::{c_char, CStr, CString};

use super::{
    from_handle, give_handle, guard, guard_or, in_items, in_items_unbounded, in_slice, in_str,
    out_ptr, pp_error, pp_variant, write_out, INVALID,
};
use crate::variant::text::to_text_bounded;
use crate::variant::{
    self, Aabb, Array, Basis, Color, ContainerType, DecodeOptions, Dialect, Dictionary,
    EncodeOptions, FullObject, NodePath, Object, Plane, Projection, Quaternion, Rect2, Rect2i,
    Signal, Transform2D, Transform3D, Variant, VariantError, VariantType, Vector2, Vector2i,
    Vector3, Vector3i, Vector4, Vector4i,
};

type R = Result<(), pp_error>;

const RANGE: pp_error = pp_error::PP_ERR_PARAMETER_RANGE_ERROR;
const MISSING: pp_error = pp_error::PP_ERR_DOES_NOT_EXIST;
/// Godot sizes are `int`.
const MAX_SIZE: usize = i32::MAX as usize;
/// The engine's MAX_RECURSION_DEPTH: a value nested deeper can be neither encoded nor decoded.
const MAX_NESTING: usize = 1024;

// ---------------------------------------------------------------------------------------------
// Enums of the C API.

/// Variant type ids, numbered as in Godot 4.3+ (`Variant::Type`). `PP_VARIANT_TYPE_MAX` is the count,
/// never a type. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_variant_type {
    PP_VARIANT_TYPE_NIL = 0,
    PP_VARIANT_TYPE_BOOL = 1,
    PP_VARIANT_TYPE_INT = 2,
    PP_VARIANT_TYPE_FLOAT = 3,
    PP_VARIANT_TYPE_STRING = 4,
    PP_VARIANT_TYPE_VECTOR2 = 5,
    PP_VARIANT_TYPE_VECTOR2I = 6,
    PP_VARIANT_TYPE_RECT2 = 7,
    PP_VARIANT_TYPE_RECT2I = 8,
    PP_VARIANT_TYPE_VECTOR3 = 9,
    PP_VARIANT_TYPE_VECTOR3I = 10,
    PP_VARIANT_TYPE_TRANSFORM2D = 11,
    PP_VARIANT_TYPE_VECTOR4 = 12,
    PP_VARIANT_TYPE_VECTOR4I = 13,
    PP_VARIANT_TYPE_PLANE = 14,
    PP_VARIANT_TYPE_QUATERNION = 15,
    PP_VARIANT_TYPE_AABB = 16,
    PP_VARIANT_TYPE_BASIS = 17,
    PP_VARIANT_TYPE_TRANSFORM3D = 18,
    PP_VARIANT_TYPE_PROJECTION = 19,
    PP_VARIANT_TYPE_COLOR = 20,
    PP_VARIANT_TYPE_STRING_NAME = 21,
    PP_VARIANT_TYPE_NODE_PATH = 22,
    PP_VARIANT_TYPE_RID = 23,
    PP_VARIANT_TYPE_OBJECT = 24,
    PP_VARIANT_TYPE_CALLABLE = 25,
    PP_VARIANT_TYPE_SIGNAL = 26,
    PP_VARIANT_TYPE_DICTIONARY = 27,
    PP_VARIANT_TYPE_ARRAY = 28,
    PP_VARIANT_TYPE_PACKED_BYTE_ARRAY = 29,
    PP_VARIANT_TYPE_PACKED_INT32_ARRAY = 30,
    PP_VARIANT_TYPE_PACKED_INT64_ARRAY = 31,
    PP_VARIANT_TYPE_PACKED_FLOAT32_ARRAY = 32,
    PP_VARIANT_TYPE_PACKED_FLOAT64_ARRAY = 33,
    PP_VARIANT_TYPE_PACKED_STRING_ARRAY = 34,
    PP_VARIANT_TYPE_PACKED_VECTOR2_ARRAY = 35,
    PP_VARIANT_TYPE_PACKED_VECTOR3_ARRAY = 36,
    PP_VARIANT_TYPE_PACKED_COLOR_ARRAY = 37,
    PP_VARIANT_TYPE_PACKED_VECTOR4_ARRAY = 38,
    PP_VARIANT_TYPE_MAX = 39,
}

impl From<VariantType> for pp_variant_type {
    fn from(t: VariantType) -> Self {
        use pp_variant_type::*;
        use VariantType as T;
        match t {
            T::Nil => PP_VARIANT_TYPE_NIL,
            T::Bool => PP_VARIANT_TYPE_BOOL,
            T::Int => PP_VARIANT_TYPE_INT,
            T::Float => PP_VARIANT_TYPE_FLOAT,
            T::String => PP_VARIANT_TYPE_STRING,
            T::Vector2 => PP_VARIANT_TYPE_VECTOR2,
            T::Vector2i => PP_VARIANT_TYPE_VECTOR2I,
            T::Rect2 => PP_VARIANT_TYPE_RECT2,
            T::Rect2i => PP_VARIANT_TYPE_RECT2I,
            T::Vector3 => PP_VARIANT_TYPE_VECTOR3,
            T::Vector3i => PP_VARIANT_TYPE_VECTOR3I,
            T::Transform2D => PP_VARIANT_TYPE_TRANSFORM2D,
            T::Vector4 => PP_VARIANT_TYPE_VECTOR4,
            T::Vector4i => PP_VARIANT_TYPE_VECTOR4I,
            T::Plane => PP_VARIANT_TYPE_PLANE,
            T::Quaternion => PP_VARIANT_TYPE_QUATERNION,
            T::Aabb => PP_VARIANT_TYPE_AABB,
            T::Basis => PP_VARIANT_TYPE_BASIS,
            T::Transform3D => PP_VARIANT_TYPE_TRANSFORM3D,
            T::Projection => PP_VARIANT_TYPE_PROJECTION,
            T::Color => PP_VARIANT_TYPE_COLOR,
            T::StringName => PP_VARIANT_TYPE_STRING_NAME,
            T::NodePath => PP_VARIANT_TYPE_NODE_PATH,
            T::Rid => PP_VARIANT_TYPE_RID,
            T::Object => PP_VARIANT_TYPE_OBJECT,
            T::Callable => PP_VARIANT_TYPE_CALLABLE,
            T::Signal => PP_VARIANT_TYPE_SIGNAL,
            T::Dictionary => PP_VARIANT_TYPE_DICTIONARY,
            T::Array => PP_VARIANT_TYPE_ARRAY,
            T::PackedByteArray => PP_VARIANT_TYPE_PACKED_BYTE_ARRAY,
            T::PackedInt32Array => PP_VARIANT_TYPE_PACKED_INT32_ARRAY,
            T::PackedInt64Array => PP_VARIANT_TYPE_PACKED_INT64_ARRAY,
            T::PackedFloat32Array => PP_VARIANT_TYPE_PACKED_FLOAT32_ARRAY,
            T::PackedFloat64Array => PP_VARIANT_TYPE_PACKED_FLOAT64_ARRAY,
            T::PackedStringArray => PP_VARIANT_TYPE_PACKED_STRING_ARRAY,
            T::PackedVector2Array => PP_VARIANT_TYPE_PACKED_VECTOR2_ARRAY,
            T::PackedVector3Array => PP_VARIANT_TYPE_PACKED_VECTOR3_ARRAY,
            T::PackedColorArray => PP_VARIANT_TYPE_PACKED_COLOR_ARRAY,
            T::PackedVector4Array => PP_VARIANT_TYPE_PACKED_VECTOR4_ARRAY,
        }
    }
}

/// How a typed container restricts its elements (keys, values), with the wire's numbers
/// (`wire-format.md` §9). `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_container_kind {
    /// Untyped: any Variant.
    PP_CONTAINER_KIND_NONE = 0,
    /// One builtin Variant type (`Array[int]`).
    PP_CONTAINER_KIND_BUILTIN = 1,
    /// Objects of a named class (`Array[Node]`).
    PP_CONTAINER_KIND_CLASS = 2,
    /// Objects of a script class, named by its `res://` path.
    PP_CONTAINER_KIND_SCRIPT = 3,
}

/// What an OBJECT variant holds. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_object_kind {
    /// A null (or freed) object. It is sent as NIL.
    PP_OBJECT_KIND_NULL = 0,
    /// An object sent by instance id (Godot's `EncodedObjectAsID`, the default of `put_var`).
    PP_OBJECT_KIND_ID = 1,
    /// An object sent in full (`full_objects`): a class name and its stored properties.
    PP_OBJECT_KIND_FULL = 2,
}

/// Which type-id table the codec speaks (`wire-format.md` §3). `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_dialect {
    /// Godot 4.3+ and Redot builds without STRUCT. The default.
    PP_DIALECT_GODOT4 = 0,
    /// Redot after the GDScript structs merge: STRUCT at 25, every later type id one higher.
    PP_DIALECT_REDOT_STRUCT = 1,
}

// ---------------------------------------------------------------------------------------------
// Helpers. Everything here is safe Rust except the few functions marked `unsafe`, which only read
// or write C memory under the contract documented on each export.

// Handles may move between threads.
const _: () = {
    const fn send<T: Send>() {}
    send::<pp_variant>();
    send::<pp_codec>();
};

// The packed-array getters lend these as flat arrays of their components (they are repr(C)).
const _: () = {
    assert!(std::mem::size_of::<Vector2>() == 2 * 8);
    assert!(std::mem::size_of::<Vector3>() == 3 * 8);
    assert!(std::mem::size_of::<Vector4>() == 4 * 8);
    assert!(std::mem::size_of::<Color>() == 4 * 4);
};

fn check_size(n: usize) -> R {
    if n > MAX_SIZE {
        Err(INVALID)
    } else {
        Ok(())
    }
}

/// An index into a sequence of `len` items.
fn check_index(index: usize, len: usize) -> Result<usize, pp_error> {
    check_size(index)?;
    if index < len {
        Ok(index)
    } else {
        Err(RANGE)
    }
}

/// A sequence may grow by one item only below Godot's `int` limit.
fn check_room(len: usize) -> R {
    if len >= MAX_SIZE {
        Err(pp_error::PP_ERR_OUT_OF_MEMORY)
    } else {
        Ok(())
    }
}

fn value(v: Option<&pp_variant>) -> Result<&Variant, pp_error> {
    v.map(|p| &p.v).ok_or(INVALID)
}

fn value_mut(v: Option<&mut pp_variant>) -> Result<&mut Variant, pp_error> {
    v.map(|p| &mut p.v).ok_or(INVALID)
}

/// A copy of the variant behind `p`.
///
/// # Safety
/// `p` must be NULL or a live `pp_variant` handle.
unsafe fn read_variant(p: *const pp_variant) -> Result<Variant, pp_error> {
    // SAFETY: NULL or a live handle (caller's contract); the shared borrow ends before we return.
    unsafe { p.as_ref() }.map(|h| h.v.clone()).ok_or(INVALID)
}

/// The variant behind `p`, for modification. Called after every input was read, so an input that is
/// the same handle (`pp_variant_array_append(a, a)`) is never borrowed at the same time.
///
/// # Safety
/// `p` must be NULL or a live `pp_variant` handle not otherwise borrowed.
unsafe fn target<'a>(p: *mut pp_variant) -> Result<&'a mut Variant, pp_error> {
    // SAFETY: NULL or a live handle with no other borrow (caller's contract).
    unsafe { p.as_mut() }.map(|h| &mut h.v).ok_or(INVALID)
}

/// Writes one out-param.
///
/// # Safety
/// `out` must be NULL or writable.
unsafe fn put<T>(out: *mut T, v: T) -> R {
    let out = out_ptr(out)?;
    // SAFETY: non-NULL (checked) and writable (caller's contract).
    unsafe { write_out(out, v) };
    Ok(())
}

/// Fails unless every out-pointer is non-NULL, so that multi-value getters write all or nothing.
fn outs(ptrs: &[*mut ()]) -> R {
    if ptrs.iter().any(|p| p.is_null()) {
        Err(INVALID)
    } else {
        Ok(())
    }
}

/// Hands a new variant to C.
///
/// # Safety
/// `out` must be NULL or writable.
unsafe fn give(out: *mut *mut pp_variant, v: Variant) -> R {
    // SAFETY: forwarded contract.
    unsafe { give_handle(out, pp_variant { v }) }
}

/// `N` values from a C array.
///
/// # Safety
/// A non-NULL `ptr` must point to `N` readable values.
unsafe fn in_array<T: Copy, const N: usize>(ptr: *const T) -> Result<[T; N], pp_error> {
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
unsafe fn put_array<T: Copy>(out: *mut T, vals: &[T]) -> R {
    let out = out_ptr(out)?;
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
unsafe fn in_text(data: *const c_char, len: usize) -> Result<String, pp_error> {
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
unsafe fn in_string(p: *const c_char) -> Result<String, pp_error> {
    // SAFETY: forwarded contract.
    unsafe { in_str(p) }.map(str::to_owned)
}

/// Lends `s` to C as (pointer, length). The bytes are not NUL-terminated; an empty string lends a
/// static `""`.
///
/// # Safety
/// Both pointers must be NULL or writable.
unsafe fn put_view(out_data: *mut *const c_char, out_len: *mut usize, s: &str) -> R {
    outs(&[out_data.cast(), out_len.cast()])?;
    let ptr = if s.is_empty() {
        c"".as_ptr()
    } else {
        s.as_ptr().cast::<c_char>()
    };
    // SAFETY: both checked non-NULL; writable by the caller's contract.
    unsafe {
        write_out(out_data, ptr);
        write_out(out_len, s.len());
    }
    Ok(())
}

/// A caller buffer: `(NULL, 0)` or non-NULL with `cap <= INT32_MAX`.
fn check_buf<T>(buf: *mut T, cap: usize) -> R {
    check_size(cap)?;
    if buf.is_null() && cap > 0 {
        Err(INVALID)
    } else {
        Ok(())
    }
}

/// Copies `s` into a caller buffer with a NUL terminator. `*out_len` (if not NULL) receives the
/// string's length without the NUL, also when the buffer is too small (`PP_ERR_PARAMETER_RANGE_ERROR`,
/// nothing copied). `(NULL, 0)` asks for the length only.
///
/// # Safety
/// A non-NULL `buf` must have `cap` writable bytes; `out_len` must be NULL or writable.
unsafe fn copy_text(s: &str, buf: *mut c_char, cap: usize, out_len: *mut usize) -> R {
    check_buf(buf, cap)?;
    if !out_len.is_null() {
        // SAFETY: non-NULL and writable (caller's contract).
        unsafe { write_out(out_len, s.len()) };
    }
    if cap <= s.len() {
        return Err(RANGE);
    }
    // SAFETY: buf is non-NULL (cap > s.len() >= 0 so cap > 0) with cap >= s.len() + 1 writable bytes.
    unsafe {
        std::ptr::copy_nonoverlapping(s.as_ptr(), buf.cast::<u8>(), s.len());
        buf.add(s.len()).write(0);
    }
    Ok(())
}

/// Nesting height: 0 for a scalar or an empty container, else one more than its tallest child; that
/// is the depth of the deepest value inside. Iterative, so any height is safe to measure.
fn height(v: &Variant) -> usize {
    if !matches!(
        v,
        Variant::Array(_) | Variant::Dictionary(_) | Variant::Object(Object::Full(_))
    ) {
        return 0; // the common case, without allocating the walk's stack
    }
    let mut tallest = 0;
    let mut stack = vec![(v, 0usize)];
    while let Some((v, depth)) = stack.pop() {
        tallest = tallest.max(depth);
        match v {
            Variant::Array(a) => stack.extend(a.elements.iter().map(|c| (c, depth + 1))),
            Variant::Dictionary(d) => {
                stack.extend(d.iter().flat_map(|(k, v)| [(k, depth + 1), (v, depth + 1)]))
            }
            Variant::Object(Object::Full(o)) => {
                stack.extend(o.properties.iter().map(|(_, c)| (c, depth + 1)))
            }
            _ => {}
        }
    }
    tallest
}

/// A value may go into a container only if the result stays within the engine's nesting limit.
fn check_nesting(v: &Variant) -> R {
    if 1 + height(v) > MAX_NESTING {
        Err(pp_error::PP_ERR_OUT_OF_MEMORY)
    } else {
        Ok(())
    }
}

/// Whether a typed container accepts `v` (strict: no int→float conversion). Object-typed containers
/// take any OBJECT (the library cannot check class inheritance) and NIL (a null object).
fn accepts(t: &ContainerType, v: &Variant) -> bool {
    match t {
        ContainerType::Any => true,
        ContainerType::Builtin(VariantType::Object)
        | ContainerType::Class(_)
        | ContainerType::Script(_) => matches!(v, Variant::Object(_) | Variant::Nil),
        ContainerType::Builtin(b) => v.get_type() == *b,
    }
}

/// A container type from its C description. BUILTIN takes a type id 1..38 (NIL means untyped: use
/// NONE); CLASS and SCRIPT take a non-empty name (SCRIPT: a `res://` path); the unused arguments are
/// ignored.
///
/// # Safety
/// `name` must be NULL or a NUL-terminated string.
unsafe fn container_type(
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
        BUILTIN => match VariantType::from_id(builtin_type) {
            Some(VariantType::Nil) | None => Err(INVALID),
            Some(t) => Ok(ContainerType::Builtin(t)),
        },
        CLASS | SCRIPT => {
            // SAFETY: forwarded contract.
            let name = unsafe { in_string(name) }?;
            if name.is_empty() || (kind == SCRIPT && !name.starts_with("res://")) {
                return Err(INVALID);
            }
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
unsafe fn put_container_type(
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
    // SAFETY: all four checked non-NULL above; writable by the caller's contract.
    unsafe {
        write_out(out_kind, kind);
        write_out(out_builtin_type, builtin.into());
        put_view(out_name, out_name_len, name)
    }
}

fn as_array(v: &Variant) -> Result<&Array, pp_error> {
    match v {
        Variant::Array(a) => Ok(a),
        _ => Err(INVALID),
    }
}
fn as_array_mut(v: &mut Variant) -> Result<&mut Array, pp_error> {
    match v {
        Variant::Array(a) => Ok(a),
        _ => Err(INVALID),
    }
}
fn as_dictionary(v: &Variant) -> Result<&Dictionary, pp_error> {
    match v {
        Variant::Dictionary(d) => Ok(d),
        _ => Err(INVALID),
    }
}
fn as_dictionary_mut(v: &mut Variant) -> Result<&mut Dictionary, pp_error> {
    match v {
        Variant::Dictionary(d) => Ok(d),
        _ => Err(INVALID),
    }
}
fn as_full_object(v: &Variant) -> Result<&FullObject, pp_error> {
    match v {
        Variant::Object(Object::Full(o)) => Ok(o),
        _ => Err(INVALID),
    }
}
fn as_node_path(v: &Variant) -> Result<&NodePath, pp_error> {
    match v {
        Variant::NodePath(p) => Ok(p),
        _ => Err(INVALID),
    }
}

/// The element count of any packed array.
fn packed_len(v: &Variant) -> Result<usize, pp_error> {
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
unsafe fn put_items<T, S>(out_data: *mut *const S, out_count: *mut usize, items: &[T]) -> R {
    outs(&[out_data.cast(), out_count.cast()])?;
    let ptr = if items.is_empty() {
        std::ptr::null()
    } else {
        items.as_ptr().cast::<S>()
    };
    // SAFETY: both checked non-NULL; writable by the caller's contract.
    unsafe {
        write_out(out_data, ptr);
        write_out(out_count, items.len());
    }
    Ok(())
}

/// Hands encoded bytes to C as a boxed slice of exactly `len` bytes, freed by `pp_bytes_free`.
///
/// # Safety
/// Both pointers must be non-NULL (checked by the caller with [`outs`]) and writable.
unsafe fn give_bytes(bytes: Vec<u8>, out_data: *mut *mut u8, out_len: *mut usize) {
    let len = bytes.len();
    let ptr = Box::into_raw(bytes.into_boxed_slice()).cast::<u8>();
    // SAFETY: non-NULL and writable (caller's contract).
    unsafe {
        write_out(out_data, ptr);
        write_out(out_len, len);
    }
}

fn codec_error(e: &VariantError) -> pp_error {
    pp_error::from(e.code)
}

// ---------------------------------------------------------------------------------------------
// Lifetime, type, copy, compare, text.

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
    guard_or((), || {
        // SAFETY: NULL or a handle made by this library and not freed yet (caller's contract).
        drop(unsafe { from_handle(variant) });
    })
}

/// The type of a variant, a `PP_VARIANT_TYPE_*` value. NULL gives `PP_VARIANT_TYPE_NIL`.
#[no_mangle]
pub extern "C" fn pp_variant_get_type(variant: Option<&pp_variant>) -> pp_variant_type {
    guard_or(pp_variant_type::PP_VARIANT_TYPE_NIL, || {
        variant.map_or(pp_variant_type::PP_VARIANT_TYPE_NIL, |v| {
            v.v.get_type().into()
        })
    })
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
    guard_or(c"<invalid type>".as_ptr(), || {
        usize::try_from(type_id)
            .ok()
            .and_then(|i| TYPE_NAMES.get(i))
            .map_or(c"<invalid type>".as_ptr(), |n| n.as_ptr())
    })
}

/// A deep copy of a variant (every variant copy is deep: nothing is shared between handles).
/// - `variant`: the variant to copy.
/// - `out_variant`: receives the copy; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_duplicate(
    variant: Option<&pp_variant>,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    guard(|| {
        let v = value(variant)?.clone();
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, v) }
    })
}

/// Strict structural equality: same type and same contents, containers element by element (with their
/// container types), dictionaries in the same order. Floats compare by bit pattern: a NaN equals the
/// same NaN, and `-0.0` differs from `0.0`. String and StringName are never equal to each other.
/// Returns false when either pointer is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_equal(a: Option<&pp_variant>, b: Option<&pp_variant>) -> bool {
    guard_or(false, || match (a, b) {
        (Some(a), Some(b)) => a.v == b.v,
        _ => false,
    })
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
    variant: Option<&pp_variant>,
    max_len: usize,
    out_text: *mut *mut c_char,
) -> pp_error {
    guard(|| {
        let v = value(variant)?;
        check_size(max_len)?;
        let out = out_ptr(out_text)?;
        let mut text = to_text_bounded(v, max_len);
        if text.contains('\0') {
            text = text.replace('\0', "?");
        }
        let text = CString::new(text).map_err(|_| pp_error::PP_ERR_BUG)?;
        // SAFETY: checked non-NULL; writable (caller's contract).
        unsafe { write_out(out, text.into_raw()) };
        Ok(())
    })
}

/// Frees a string returned by `pp_variant_to_string`. NULL is a no-op.
#[no_mangle]
pub extern "C" fn pp_string_free(text: *mut c_char) {
    guard_or((), || {
        if !text.is_null() {
            // SAFETY: made by CString::into_raw in pp_variant_to_string and not freed yet (caller's
            // contract).
            drop(unsafe { CString::from_raw(text) });
        }
    })
}

// ---------------------------------------------------------------------------------------------
// var_to_bytes / bytes_to_var.

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
    guard(|| {
        // SAFETY: (data, len) readable per the caller's contract.
        let bytes = unsafe { in_slice(data, len) }?;
        out_ptr(out_variant)?;
        let opts = DecodeOptions {
            allow_objects,
            ..DecodeOptions::default()
        };
        let (v, _) = variant::decode(bytes, &opts).map_err(|e| codec_error(&e))?;
        // SAFETY: checked non-NULL; writable (caller's contract).
        unsafe { give(out_variant, v) }
    })
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
    variant: Option<&pp_variant>,
    full_objects: bool,
    out_data: *mut *mut u8,
    out_len: *mut usize,
) -> pp_error {
    guard(|| {
        let v = value(variant)?;
        outs(&[out_data.cast(), out_len.cast()])?;
        let opts = EncodeOptions {
            full_objects,
            ..EncodeOptions::default()
        };
        let bytes = variant::encode(v, &opts).map_err(|e| codec_error(&e))?;
        // SAFETY: both checked non-NULL; writable (caller's contract).
        unsafe { give_bytes(bytes, out_data, out_len) };
        Ok(())
    })
}

/// Frees a buffer returned by `pp_var_to_bytes` or `pp_codec_encode`. `len` must be the length that
/// call returned. NULL is a no-op; an empty buffer (length 0) is freed like any other.
#[no_mangle]
pub extern "C" fn pp_bytes_free(data: *mut u8, len: usize) {
    guard_or((), || {
        if !data.is_null() {
            let slice = std::ptr::slice_from_raw_parts_mut(data, len);
            // SAFETY: made by Box::into_raw of a boxed slice of exactly `len` bytes in give_bytes and
            // not freed yet (caller's contract).
            drop(unsafe { Box::from_raw(slice) });
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Scalars and strings.

/// A new NIL variant (`null`).
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_nil(out_variant: *mut *mut pp_variant) -> pp_error {
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe { give(out_variant, Variant::Nil) })
}

/// A new BOOL variant.
/// - `value`: the value.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_bool(value: bool, out_variant: *mut *mut pp_variant) -> pp_error {
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe { give(out_variant, Variant::Bool(value)) })
}

/// The value of a BOOL variant.
/// - `variant`: a BOOL variant.
/// - `out_value`: receives the value.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a BOOL.
#[no_mangle]
pub extern "C" fn pp_variant_get_bool(
    variant: Option<&pp_variant>,
    out_value: *mut bool,
) -> pp_error {
    guard(|| match value(variant)? {
        // SAFETY: out_value is NULL or writable (caller's contract).
        Variant::Bool(b) => unsafe { put(out_value, *b) },
        _ => Err(INVALID),
    })
}

/// A new INT variant (Godot's `int` is 64-bit).
/// - `value`: the value.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_int(value: i64, out_variant: *mut *mut pp_variant) -> pp_error {
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe { give(out_variant, Variant::Int(value)) })
}

/// The value of an INT variant.
/// - `variant`: an INT variant.
/// - `out_value`: receives the value.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not an INT.
#[no_mangle]
pub extern "C" fn pp_variant_get_int(
    variant: Option<&pp_variant>,
    out_value: *mut i64,
) -> pp_error {
    guard(|| match value(variant)? {
        // SAFETY: out_value is NULL or writable (caller's contract).
        Variant::Int(i) => unsafe { put(out_value, *i) },
        _ => Err(INVALID),
    })
}

/// A new FLOAT variant (Godot's `float` is a double). The encoder sends it as 32 bits when that is
/// exact, else as 64 bits (NaN always as 64 bits), like the engine.
/// - `value`: the value.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_float(value: f64, out_variant: *mut *mut pp_variant) -> pp_error {
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe { give(out_variant, Variant::Float(value)) })
}

/// The value of a FLOAT variant (an INT is not converted: it is the wrong type).
/// - `variant`: a FLOAT variant.
/// - `out_value`: receives the value.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a FLOAT.
#[no_mangle]
pub extern "C" fn pp_variant_get_float(
    variant: Option<&pp_variant>,
    out_value: *mut f64,
) -> pp_error {
    guard(|| match value(variant)? {
        // SAFETY: out_value is NULL or writable (caller's contract).
        Variant::Float(x) => unsafe { put(out_value, *x) },
        _ => Err(INVALID),
    })
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
    guard(|| {
        // SAFETY: text is NULL or NUL-terminated (caller's contract).
        let s = unsafe { in_string(text) }?;
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::String(s.into())) }
    })
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
    guard(|| {
        // SAFETY: (data, len) readable (caller's contract).
        let s = unsafe { in_text(data, len) }?;
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::String(s.into())) }
    })
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
    variant: Option<&pp_variant>,
    out_data: *mut *const c_char,
    out_len: *mut usize,
) -> pp_error {
    guard(|| match value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract).
        Variant::String(s) => unsafe { put_view(out_data, out_len, s) },
        _ => Err(INVALID),
    })
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
    variant: Option<&pp_variant>,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
) -> pp_error {
    guard(|| match value(variant)? {
        // SAFETY: buf has cap writable bytes, out_len is NULL or writable (caller's contract).
        Variant::String(s) => unsafe { copy_text(s, buf, cap, out_len) },
        _ => Err(INVALID),
    })
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
    guard(|| {
        // SAFETY: text is NULL or NUL-terminated (caller's contract).
        let s = unsafe { in_string(text) }?;
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::StringName(s.into())) }
    })
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
    guard(|| {
        // SAFETY: (data, len) readable (caller's contract).
        let s = unsafe { in_text(data, len) }?;
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::StringName(s.into())) }
    })
}

/// Lends the text of a STRING_NAME variant; see `pp_variant_get_string` (not NUL-terminated; valid
/// until the variant is modified or freed).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// STRING_NAME.
#[no_mangle]
pub extern "C" fn pp_variant_get_string_name(
    variant: Option<&pp_variant>,
    out_data: *mut *const c_char,
    out_len: *mut usize,
) -> pp_error {
    guard(|| match value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract).
        Variant::StringName(s) => unsafe { put_view(out_data, out_len, s) },
        _ => Err(INVALID),
    })
}

/// Copies the text of a STRING_NAME variant into your buffer, NUL-terminated; see
/// `pp_variant_get_string_copy` for `buf`, `cap`, `out_len` and the codes.
#[no_mangle]
pub extern "C" fn pp_variant_get_string_name_copy(
    variant: Option<&pp_variant>,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
) -> pp_error {
    guard(|| match value(variant)? {
        // SAFETY: buf has cap writable bytes, out_len is NULL or writable (caller's contract).
        Variant::StringName(s) => unsafe { copy_text(s, buf, cap, out_len) },
        _ => Err(INVALID),
    })
}

/// A new RID variant. Only the 64-bit id travels; it means nothing outside the engine that made it.
/// - `id`: the RID's id.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_rid(id: u64, out_variant: *mut *mut pp_variant) -> pp_error {
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe { give(out_variant, Variant::Rid(id)) })
}

/// The id of a RID variant.
/// - `variant`: a RID variant.
/// - `out_id`: receives the id.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a RID.
#[no_mangle]
pub extern "C" fn pp_variant_get_rid(variant: Option<&pp_variant>, out_id: *mut u64) -> pp_error {
    guard(|| match value(variant)? {
        // SAFETY: out_id is NULL or writable (caller's contract).
        Variant::Rid(id) => unsafe { put(out_id, *id) },
        _ => Err(INVALID),
    })
}

/// A new CALLABLE variant. Nothing about a callable travels on the wire (only its type), so there is
/// nothing to set or get: `pp_variant_get_type` tells a callable apart.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_callable(out_variant: *mut *mut pp_variant) -> pp_error {
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe { give(out_variant, Variant::Callable) })
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
    guard(|| {
        // SAFETY: name is NULL or NUL-terminated (caller's contract).
        let name = unsafe { in_string(name) }?;
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::Signal(Signal { name, object_id })) }
    })
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
    variant: Option<&pp_variant>,
    out_name: *mut *const c_char,
    out_name_len: *mut usize,
    out_object_id: *mut u64,
) -> pp_error {
    guard(|| match value(variant)? {
        Variant::Signal(s) => {
            outs(&[out_name.cast(), out_name_len.cast(), out_object_id.cast()])?;
            // SAFETY: all checked non-NULL; writable (caller's contract).
            unsafe {
                put_view(out_name, out_name_len, &s.name)?;
                put(out_object_id, s.object_id)
            }
        }
        _ => Err(INVALID),
    })
}

// ---------------------------------------------------------------------------------------------
// NodePath.

/// A new NODE_PATH variant from Godot's path syntax, as `NodePath("…")` parses it: a leading `/`
/// makes it absolute, names are `/`-separated (empty ones are skipped), subnames follow `:`
/// (`"/root/Player:position:x"`). `""` is the empty path.
/// - `path`: NUL-terminated UTF-8; copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL, `path` is not UTF-8, or
/// it has
/// an empty subname before the end (`"a::b"`).
#[no_mangle]
pub extern "C" fn pp_variant_new_node_path(
    path: *const c_char,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    guard(|| {
        // SAFETY: path is NULL or NUL-terminated (caller's contract).
        let text = unsafe { in_str(path) }?;
        let p = NodePath::parse(text).map_err(pp_error::from)?;
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::NodePath(Box::new(p))) }
    })
}

/// Reads `count` non-empty C strings.
///
/// # Safety
/// A non-NULL `list` must hold `count` pointers, each NULL or NUL-terminated.
unsafe fn in_names(list: *const *const c_char, count: usize) -> Result<Vec<String>, pp_error> {
    // SAFETY: forwarded contract.
    let ptrs = unsafe { in_items(list, count) }?;
    ptrs.iter()
        .map(|p| {
            // SAFETY: each entry is NULL or NUL-terminated (caller's contract).
            let s = unsafe { in_string(*p) }?;
            if s.is_empty() {
                Err(INVALID)
            } else {
                Ok(s)
            }
        })
        .collect()
}

/// A new NODE_PATH variant from its parts, as the wire carries them.
/// - `names`, `name_count`: the `/`-separated names (`{"root", "Player"}`); `(NULL, 0)` for none.
/// - `subnames`, `subname_count`: the `:`-separated subnames (`{"position", "x"}`); `(NULL, 0)` for
///   none.
/// - `absolute`: whether the path starts at the root (`/root/...`).
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Every name is NUL-terminated UTF-8 and non-empty; everything is copied.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers (a list or an entry), a count above
/// INT32_MAX, an empty name or invalid UTF-8.
#[no_mangle]
pub extern "C" fn pp_variant_new_node_path_parts(
    names: *const *const c_char,
    name_count: usize,
    subnames: *const *const c_char,
    subname_count: usize,
    absolute: bool,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    guard(|| {
        // SAFETY: each list holds its count of string pointers (caller's contract).
        let names = unsafe { in_names(names, name_count) }?;
        // SAFETY: as above.
        let subnames = unsafe { in_names(subnames, subname_count) }?;
        let p = NodePath {
            names,
            subnames,
            absolute,
        };
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::NodePath(Box::new(p))) }
    })
}

/// Copies a NODE_PATH variant's text in Godot's path syntax (`"/root/Player:position"`) into your
/// buffer, NUL-terminated; see `pp_variant_get_string_copy` for `buf`, `cap`, `out_len` and the codes.
#[no_mangle]
pub extern "C" fn pp_variant_get_node_path(
    variant: Option<&pp_variant>,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
) -> pp_error {
    guard(|| {
        let text = as_node_path(value(variant)?)?.to_string();
        // SAFETY: buf has cap writable bytes, out_len is NULL or writable (caller's contract).
        unsafe { copy_text(&text, buf, cap, out_len) }
    })
}

/// The number of names of a NODE_PATH variant (`/root/a:b` has 2).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// NODE_PATH.
#[no_mangle]
pub extern "C" fn pp_variant_node_path_get_name_count(
    variant: Option<&pp_variant>,
    out_count: *mut usize,
) -> pp_error {
    guard(|| {
        let p = as_node_path(value(variant)?)?;
        // SAFETY: out_count is NULL or writable (caller's contract).
        unsafe { put(out_count, p.names.len()) }
    })
}

/// Lends name `index` of a NODE_PATH variant (not NUL-terminated; valid until the variant is modified
/// or freed).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the name count;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a NODE_PATH.
#[no_mangle]
pub extern "C" fn pp_variant_node_path_get_name(
    variant: Option<&pp_variant>,
    index: usize,
    out_data: *mut *const c_char,
    out_len: *mut usize,
) -> pp_error {
    guard(|| {
        let p = as_node_path(value(variant)?)?;
        outs(&[out_data.cast(), out_len.cast()])?;
        let name = at(&p.names, index)?;
        // SAFETY: out pointers are NULL or writable (caller's contract).
        unsafe { put_view(out_data, out_len, name) }
    })
}

/// The number of subnames of a NODE_PATH variant (`/root/a:b` has 1).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// NODE_PATH.
#[no_mangle]
pub extern "C" fn pp_variant_node_path_get_subname_count(
    variant: Option<&pp_variant>,
    out_count: *mut usize,
) -> pp_error {
    guard(|| {
        let p = as_node_path(value(variant)?)?;
        // SAFETY: out_count is NULL or writable (caller's contract).
        unsafe { put(out_count, p.subnames.len()) }
    })
}

/// Lends subname `index` of a NODE_PATH variant (not NUL-terminated; valid until the variant is
/// modified or freed).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the subname count;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a NODE_PATH.
#[no_mangle]
pub extern "C" fn pp_variant_node_path_get_subname(
    variant: Option<&pp_variant>,
    index: usize,
    out_data: *mut *const c_char,
    out_len: *mut usize,
) -> pp_error {
    guard(|| {
        let p = as_node_path(value(variant)?)?;
        outs(&[out_data.cast(), out_len.cast()])?;
        let name = at(&p.subnames, index)?;
        // SAFETY: out pointers are NULL or writable (caller's contract).
        unsafe { put_view(out_data, out_len, name) }
    })
}

/// Whether a NODE_PATH variant is absolute (starts with `/`).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// NODE_PATH.
#[no_mangle]
pub extern "C" fn pp_variant_node_path_is_absolute(
    variant: Option<&pp_variant>,
    out_absolute: *mut bool,
) -> pp_error {
    guard(|| {
        let p = as_node_path(value(variant)?)?;
        // SAFETY: out_absolute is NULL or writable (caller's contract).
        unsafe { put(out_absolute, p.absolute) }
    })
}

// ---------------------------------------------------------------------------------------------
// Object.

/// A new OBJECT variant holding a null object. It is sent as NIL, as the engine does.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_object_null(out_variant: *mut *mut pp_variant) -> pp_error {
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe { give(out_variant, Variant::Object(Object::Null)) })
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
    guard(|| {
        let o = if object_id == 0 {
            Object::Null
        } else {
            Object::Id(object_id)
        };
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::Object(o)) }
    })
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
    guard(|| {
        // SAFETY: class_name is NULL or NUL-terminated (caller's contract).
        let class_name = unsafe { in_string(class_name) }?;
        if class_name.is_empty() {
            return Err(INVALID);
        }
        let o = Object::Full(Box::new(FullObject {
            class_name,
            properties: Vec::new(),
        }));
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::Object(o)) }
    })
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
    guard(|| {
        // SAFETY: name is NULL or NUL-terminated (caller's contract).
        let name = unsafe { in_string(name) }?;
        // SAFETY: value is NULL or a live handle (caller's contract).
        let value = unsafe { read_variant(value) }?;
        if name.is_empty() {
            return Err(INVALID);
        }
        if name == "script" {
            match &value {
                Variant::Nil => {}
                Variant::String(path) if path.starts_with("res://") => {}
                _ => return Err(INVALID),
            }
        }
        check_nesting(&value)?;
        // SAFETY: object is NULL or a live handle; every input was read above.
        let Variant::Object(Object::Full(o)) = unsafe { target(object) }? else {
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
    })
}

/// What an OBJECT variant holds: `PP_OBJECT_KIND_NULL`, `_ID` or `_FULL`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not an
/// OBJECT.
#[no_mangle]
pub extern "C" fn pp_variant_get_object_kind(
    variant: Option<&pp_variant>,
    out_kind: *mut pp_object_kind,
) -> pp_error {
    guard(|| {
        let kind = match value(variant)? {
            Variant::Object(Object::Null) => pp_object_kind::PP_OBJECT_KIND_NULL,
            Variant::Object(Object::Id(_)) => pp_object_kind::PP_OBJECT_KIND_ID,
            Variant::Object(Object::Full(_)) => pp_object_kind::PP_OBJECT_KIND_FULL,
            _ => return Err(INVALID),
        };
        // SAFETY: out_kind is NULL or writable (caller's contract).
        unsafe { put(out_kind, kind) }
    })
}

/// The instance id of an OBJECT variant sent by id; 0 for a null object.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL, the variant is not an OBJECT,
/// or it is a full object (which has no id on the wire).
#[no_mangle]
pub extern "C" fn pp_variant_get_object_id(
    variant: Option<&pp_variant>,
    out_object_id: *mut u64,
) -> pp_error {
    guard(|| {
        let id = match value(variant)? {
            Variant::Object(Object::Null) => 0,
            Variant::Object(Object::Id(id)) => *id,
            _ => return Err(INVALID),
        };
        // SAFETY: out_object_id is NULL or writable (caller's contract).
        unsafe { put(out_object_id, id) }
    })
}

/// Lends the class name of a full OBJECT variant (not NUL-terminated; valid until the variant is
/// modified or freed).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a full
/// OBJECT.
#[no_mangle]
pub extern "C" fn pp_variant_get_object_class(
    variant: Option<&pp_variant>,
    out_data: *mut *const c_char,
    out_len: *mut usize,
) -> pp_error {
    guard(|| {
        let o = as_full_object(value(variant)?)?;
        // SAFETY: out pointers are NULL or writable (caller's contract).
        unsafe { put_view(out_data, out_len, &o.class_name) }
    })
}

/// The number of properties of a full OBJECT variant.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a full
/// OBJECT.
#[no_mangle]
pub extern "C" fn pp_variant_object_get_property_count(
    variant: Option<&pp_variant>,
    out_count: *mut usize,
) -> pp_error {
    guard(|| {
        let o = as_full_object(value(variant)?)?;
        // SAFETY: out_count is NULL or writable (caller's contract).
        unsafe { put(out_count, o.properties.len()) }
    })
}

/// Lends the name of property `index` of a full OBJECT variant (not NUL-terminated; valid until the
/// variant is modified or freed).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the property count;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a full OBJECT.
#[no_mangle]
pub extern "C" fn pp_variant_object_get_property_name(
    variant: Option<&pp_variant>,
    index: usize,
    out_data: *mut *const c_char,
    out_len: *mut usize,
) -> pp_error {
    guard(|| {
        let o = as_full_object(value(variant)?)?;
        outs(&[out_data.cast(), out_len.cast()])?;
        let (name, _) = at(&o.properties, index)?;
        // SAFETY: out pointers are NULL or writable (caller's contract).
        unsafe { put_view(out_data, out_len, name) }
    })
}

/// A copy of the value of property `index` of a full OBJECT variant.
/// - `out_variant`: receives the copy; free it with `pp_variant_free`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the property count;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a full OBJECT.
#[no_mangle]
pub extern "C" fn pp_variant_object_get_property_value(
    variant: Option<&pp_variant>,
    index: usize,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    guard(|| {
        let o = as_full_object(value(variant)?)?;
        out_ptr(out_variant)?;
        let (_, v) = at(&o.properties, index)?;
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, v.clone()) }
    })
}

/// A copy of the value of the property called `name` of a full OBJECT variant.
/// - `out_variant`: receives the copy; free it with `pp_variant_free`.
///
/// Returns `PP_OK`; `PP_ERR_DOES_NOT_EXIST` when there is no such property; `PP_ERR_INVALID_PARAMETER`
/// when a pointer is NULL, `name` is not UTF-8 or the variant is not a full OBJECT.
#[no_mangle]
pub extern "C" fn pp_variant_object_get_property(
    variant: Option<&pp_variant>,
    name: *const c_char,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    guard(|| {
        let o = as_full_object(value(variant)?)?;
        // SAFETY: name is NULL or NUL-terminated (caller's contract).
        let name = unsafe { in_str(name) }?;
        out_ptr(out_variant)?;
        let (_, v) = o
            .properties
            .iter()
            .find(|(n, _)| n == name)
            .ok_or(MISSING)?;
        // SAFETY: out_variant is writable (caller's contract).
        unsafe { give(out_variant, v.clone()) }
    })
}

// ---------------------------------------------------------------------------------------------
// Array.

/// A new, empty, untyped ARRAY variant.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_array(out_variant: *mut *mut pp_variant) -> pp_error {
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe { give(out_variant, Variant::Array(Box::default())) })
}

/// The number of elements of an ARRAY variant.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not an
/// ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_array_size(
    array: Option<&pp_variant>,
    out_size: *mut usize,
) -> pp_error {
    guard(|| {
        let a = as_array(value(array)?)?;
        // SAFETY: out_size is NULL or writable (caller's contract).
        unsafe { put(out_size, a.elements.len()) }
    })
}

/// A copy of element `index` of an ARRAY variant (elements are not handles: change the copy and put it
/// back with `pp_variant_array_set`).
/// - `out_variant`: receives the copy; free it with `pp_variant_free`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not an ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_array_get(
    array: Option<&pp_variant>,
    index: usize,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    guard(|| {
        let a = as_array(value(array)?)?;
        out_ptr(out_variant)?;
        let v = at(&a.elements, index)?;
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, v.clone()) }
    })
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
    guard(|| {
        // SAFETY: value is NULL or a live handle (caller's contract).
        let value = unsafe { read_variant(value) }?;
        // SAFETY: array is NULL or a live handle; every input was read above.
        let a = as_array_mut(unsafe { target(array) }?)?;
        if !accepts(&a.element_type, &value) {
            return Err(INVALID);
        }
        check_nesting(&value)?;
        let slot = at_mut(&mut a.elements, index)?;
        *slot = value;
        Ok(())
    })
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
    guard(|| {
        // SAFETY: value is NULL or a live handle (caller's contract).
        let value = unsafe { read_variant(value) }?;
        // SAFETY: array is NULL or a live handle; every input was read above.
        let a = as_array_mut(unsafe { target(array) }?)?;
        if !accepts(&a.element_type, &value) {
            return Err(INVALID);
        }
        check_nesting(&value)?;
        check_room(a.elements.len())?;
        a.elements.push(value);
        Ok(())
    })
}

/// Removes element `index` of an ARRAY variant; later elements move down by one.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `array` is NULL or not an ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_array_remove_at(
    array: Option<&mut pp_variant>,
    index: usize,
) -> pp_error {
    guard(|| {
        let a = as_array_mut(value_mut(array)?)?;
        let i = check_index(index, a.elements.len())?;
        a.elements.remove(i);
        Ok(())
    })
}

/// Removes every element of an ARRAY variant; its element type stays.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `array` is NULL or not an ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_array_clear(array: Option<&mut pp_variant>) -> pp_error {
    guard(|| {
        let a = as_array_mut(value_mut(array)?)?;
        a.elements.clear();
        Ok(())
    })
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
    array: Option<&mut pp_variant>,
    kind: i32,
    builtin_type: i32,
    name: *const c_char,
) -> pp_error {
    guard(|| {
        let a = as_array_mut(value_mut(array)?)?;
        // SAFETY: name is NULL or NUL-terminated (caller's contract).
        let t = unsafe { container_type(kind, builtin_type, name) }?;
        if !a.elements.iter().all(|e| accepts(&t, e)) {
            return Err(INVALID);
        }
        a.element_type = t;
        Ok(())
    })
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
    array: Option<&pp_variant>,
    out_kind: *mut pp_container_kind,
    out_builtin_type: *mut pp_variant_type,
    out_name: *mut *const c_char,
    out_name_len: *mut usize,
) -> pp_error {
    guard(|| {
        let a = as_array(value(array)?)?;
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
    })
}

// ---------------------------------------------------------------------------------------------
// Dictionary.

/// A new, empty, untyped DICTIONARY variant. Dictionaries keep insertion order, which is the order the
/// encoder sends.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_dictionary(out_variant: *mut *mut pp_variant) -> pp_error {
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe { give(out_variant, Variant::Dictionary(Box::default())) })
}

/// The number of entries of a DICTIONARY variant.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_size(
    dictionary: Option<&pp_variant>,
    out_size: *mut usize,
) -> pp_error {
    guard(|| {
        let d = as_dictionary(value(dictionary)?)?;
        // SAFETY: out_size is NULL or writable (caller's contract).
        unsafe { put(out_size, d.len()) }
    })
}

/// Sets `dictionary[key] = value` with copies of both (either may be `dictionary` itself). Keys follow
/// Godot's identity: different types are different keys (1, 1.0 and true are three keys) except that a
/// STRING and a STRING_NAME with the same text are the same key; every NaN is one key and -0.0 is 0.0.
/// An existing key keeps its position and its original key value; only the value changes.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` when the key or value nests deeper than the engine's 1024
/// limit or the dictionary already has INT32_MAX entries; `PP_ERR_INVALID_PARAMETER` when a pointer is
/// NULL, `dictionary` is not a DICTIONARY, or it is typed and the key or value does not match.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_set(
    dictionary: *mut pp_variant,
    key: *const pp_variant,
    value: *const pp_variant,
) -> pp_error {
    guard(|| {
        // SAFETY: key and value are NULL or live handles (caller's contract).
        let (key, value) = unsafe { (read_variant(key)?, read_variant(value)?) };
        // SAFETY: dictionary is NULL or a live handle; every input was read above.
        let d = as_dictionary_mut(unsafe { target(dictionary) }?)?;
        if !accepts(&d.key_type, &key) || !accepts(&d.value_type, &value) {
            return Err(INVALID);
        }
        check_nesting(&key)?;
        check_nesting(&value)?;
        match d.position(&key).and_then(|i| d.get_index_mut(i)) {
            // An existing key keeps its original key value: only the value changes.
            Some((_, slot)) => *slot = value,
            None => {
                check_room(d.len())?;
                d.insert(key, value);
            }
        }
        Ok(())
    })
}

/// A copy of `dictionary[key]` (Godot key identity, see `pp_variant_dictionary_set`).
/// - `out_value`: receives the copy; free it with `pp_variant_free`.
///
/// Returns `PP_OK`; `PP_ERR_DOES_NOT_EXIST` when the key is absent; `PP_ERR_INVALID_PARAMETER` when a
/// pointer is NULL or `dictionary` is not a DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_get(
    dictionary: Option<&pp_variant>,
    key: Option<&pp_variant>,
    out_value: *mut *mut pp_variant,
) -> pp_error {
    guard(|| {
        let d = as_dictionary(value(dictionary)?)?;
        let key = value(key)?;
        out_ptr(out_value)?;
        let v = d.get(key).ok_or(MISSING)?;
        // SAFETY: out_value is writable (caller's contract).
        unsafe { give(out_value, v.clone()) }
    })
}

/// Whether `dictionary` has `key` (Godot key identity, see `pp_variant_dictionary_set`).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or `dictionary` is not a
/// DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_has(
    dictionary: Option<&pp_variant>,
    key: Option<&pp_variant>,
    out_has: *mut bool,
) -> pp_error {
    guard(|| {
        let d = as_dictionary(value(dictionary)?)?;
        let key = value(key)?;
        // SAFETY: out_has is NULL or writable (caller's contract).
        unsafe { put(out_has, d.position(key).is_some()) }
    })
}

/// Removes `key` from `dictionary`; later entries move down by one position.
///
/// Returns `PP_OK`; `PP_ERR_DOES_NOT_EXIST` when the key is absent; `PP_ERR_INVALID_PARAMETER` when a
/// pointer is NULL or `dictionary` is not a DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_erase(
    dictionary: *mut pp_variant,
    key: *const pp_variant,
) -> pp_error {
    guard(|| {
        // SAFETY: key is NULL or a live handle (caller's contract).
        let key = unsafe { read_variant(key) }?;
        // SAFETY: dictionary is NULL or a live handle; every input was read above.
        let d = as_dictionary_mut(unsafe { target(dictionary) }?)?;
        d.remove(&key).ok_or(MISSING)?;
        Ok(())
    })
}

/// Removes every entry of a DICTIONARY variant; its key and value types stay.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `dictionary` is NULL or not a DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_clear(dictionary: Option<&mut pp_variant>) -> pp_error {
    guard(|| {
        let d = as_dictionary_mut(value_mut(dictionary)?)?;
        d.clear();
        Ok(())
    })
}

/// A copy of the key at position `index` (insertion order) of a DICTIONARY variant. With
/// `pp_variant_dictionary_value_at` and `pp_variant_dictionary_size` this iterates the dictionary.
/// - `out_key`: receives the copy; free it with `pp_variant_free`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_key_at(
    dictionary: Option<&pp_variant>,
    index: usize,
    out_key: *mut *mut pp_variant,
) -> pp_error {
    guard(|| {
        let d = as_dictionary(value(dictionary)?)?;
        out_ptr(out_key)?;
        let (k, _) = d.get_index(check_index(index, d.len())?).ok_or(RANGE)?;
        // SAFETY: out_key is NULL or writable (caller's contract).
        unsafe { give(out_key, k.clone()) }
    })
}

/// A copy of the value at position `index` (insertion order) of a DICTIONARY variant.
/// - `out_value`: receives the copy; free it with `pp_variant_free`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_value_at(
    dictionary: Option<&pp_variant>,
    index: usize,
    out_value: *mut *mut pp_variant,
) -> pp_error {
    guard(|| {
        let d = as_dictionary(value(dictionary)?)?;
        out_ptr(out_value)?;
        let (_, v) = d.get_index(check_index(index, d.len())?).ok_or(RANGE)?;
        // SAFETY: out_value is NULL or writable (caller's contract).
        unsafe { give(out_value, v.clone()) }
    })
}

/// Sets the key and value types of a DICTIONARY variant (`Dictionary[String, int]`, Godot 4.4+), which
/// the wire carries. Existing entries must match. Each type is given as in
/// `pp_variant_array_set_typed`: a `pp_container_kind`, a builtin type used with BUILTIN, and a class
/// name or script path used with CLASS and SCRIPT.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `dictionary` is NULL or not a DICTIONARY, a kind
/// or type is out of range, a name is missing or invalid, or an entry does not match.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_set_typed(
    dictionary: Option<&mut pp_variant>,
    key_kind: i32,
    key_builtin_type: i32,
    key_name: *const c_char,
    value_kind: i32,
    value_builtin_type: i32,
    value_name: *const c_char,
) -> pp_error {
    guard(|| {
        let d = as_dictionary_mut(value_mut(dictionary)?)?;
        // SAFETY: names are NULL or NUL-terminated (caller's contract).
        let kt = unsafe { container_type(key_kind, key_builtin_type, key_name) }?;
        // SAFETY: as above.
        let vt = unsafe { container_type(value_kind, value_builtin_type, value_name) }?;
        if !d.iter().all(|(k, v)| accepts(&kt, k) && accepts(&vt, v)) {
            return Err(INVALID);
        }
        d.key_type = kt;
        d.value_type = vt;
        Ok(())
    })
}

/// The key type of a DICTIONARY variant; the out-params are those of `pp_variant_array_get_typed`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_get_typed_key(
    dictionary: Option<&pp_variant>,
    out_kind: *mut pp_container_kind,
    out_builtin_type: *mut pp_variant_type,
    out_name: *mut *const c_char,
    out_name_len: *mut usize,
) -> pp_error {
    guard(|| {
        let d = as_dictionary(value(dictionary)?)?;
        // SAFETY: out pointers are NULL or writable (caller's contract).
        unsafe {
            put_container_type(
                &d.key_type,
                out_kind,
                out_builtin_type,
                out_name,
                out_name_len,
            )
        }
    })
}

/// The value type of a DICTIONARY variant; the out-params are those of `pp_variant_array_get_typed`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_get_typed_value(
    dictionary: Option<&pp_variant>,
    out_kind: *mut pp_container_kind,
    out_builtin_type: *mut pp_variant_type,
    out_name: *mut *const c_char,
    out_name_len: *mut usize,
) -> pp_error {
    guard(|| {
        let d = as_dictionary(value(dictionary)?)?;
        // SAFETY: out pointers are NULL or writable (caller's contract).
        unsafe {
            put_container_type(
                &d.value_type,
                out_kind,
                out_builtin_type,
                out_name,
                out_name_len,
            )
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Packed arrays.

/// The number of elements of any packed-array variant (PACKED_BYTE_ARRAY … PACKED_VECTOR4_ARRAY).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a packed
/// array.
#[no_mangle]
pub extern "C" fn pp_variant_packed_array_size(
    variant: Option<&pp_variant>,
    out_size: *mut usize,
) -> pp_error {
    guard(|| {
        let n = packed_len(value(variant)?)?;
        // SAFETY: out_size is NULL or writable (caller's contract).
        unsafe { put(out_size, n) }
    })
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
    guard(|| {
        // SAFETY: strings holds count string pointers (caller's contract).
        let ptrs = unsafe { in_items(strings, count) }?;
        let list = ptrs
            .iter()
            // SAFETY: each entry is NULL or NUL-terminated (caller's contract).
            .map(|p| unsafe { in_string(*p) })
            .collect::<Result<Vec<_>, _>>()?;
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::PackedStringArray(list)) }
    })
}

/// Appends a string to a PACKED_STRING_ARRAY variant.
/// - `text`: NUL-terminated UTF-8; copied.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when a
/// pointer is NULL, `text` is not UTF-8 or the variant is not a PACKED_STRING_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_string_array_append(
    variant: Option<&mut pp_variant>,
    text: *const c_char,
) -> pp_error {
    guard(|| {
        let Variant::PackedStringArray(a) = value_mut(variant)? else {
            return Err(INVALID);
        };
        // SAFETY: text is NULL or NUL-terminated (caller's contract).
        let s = unsafe { in_string(text) }?;
        check_room(a.len())?;
        a.push(s);
        Ok(())
    })
}

/// Replaces element `index` of a PACKED_STRING_ARRAY variant.
/// - `text`: NUL-terminated UTF-8; copied.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL, `text` is not UTF-8 or the variant is not a
/// PACKED_STRING_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_string_array_set(
    variant: Option<&mut pp_variant>,
    index: usize,
    text: *const c_char,
) -> pp_error {
    guard(|| {
        let Variant::PackedStringArray(a) = value_mut(variant)? else {
            return Err(INVALID);
        };
        // SAFETY: text is NULL or NUL-terminated (caller's contract).
        let s = unsafe { in_string(text) }?;
        *at_mut(a, index)? = s;
        Ok(())
    })
}

/// Lends element `index` of a PACKED_STRING_ARRAY variant (not NUL-terminated; valid until the
/// variant is modified or freed).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_STRING_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_string_array_get(
    variant: Option<&pp_variant>,
    index: usize,
    out_data: *mut *const c_char,
    out_len: *mut usize,
) -> pp_error {
    guard(|| {
        let Variant::PackedStringArray(a) = value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_data.cast(), out_len.cast()])?;
        let s = at(a, index)?;
        // SAFETY: out pointers are NULL or writable (caller's contract).
        unsafe { put_view(out_data, out_len, s) }
    })
}

/// Copies element `index` of a PACKED_STRING_ARRAY variant into your buffer, NUL-terminated; see
/// `pp_variant_get_string_copy` for `buf`, `cap`, `out_len` and the codes.
/// `PP_ERR_PARAMETER_RANGE_ERROR` also means `index` is not below the size (then `out_len` is not
/// written).
#[no_mangle]
pub extern "C" fn pp_variant_packed_string_array_get_copy(
    variant: Option<&pp_variant>,
    index: usize,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
) -> pp_error {
    guard(|| {
        let Variant::PackedStringArray(a) = value(variant)? else {
            return Err(INVALID);
        };
        check_buf(buf, cap)?;
        let s = at(a, index)?;
        // SAFETY: buf has cap writable bytes, out_len is NULL or writable (caller's contract).
        unsafe { copy_text(s, buf, cap, out_len) }
    })
}

// ---------------------------------------------------------------------------------------------
// Math types.

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
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe { give(out_variant, Variant::Vector2(Vector2 { x, y })) })
}

/// The components of a VECTOR2 variant, in the order of `pp_variant_new_vector2`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// VECTOR2.
#[no_mangle]
pub extern "C" fn pp_variant_get_vector2(
    variant: Option<&pp_variant>,
    out_x: *mut f64,
    out_y: *mut f64,
) -> pp_error {
    guard(|| {
        let Variant::Vector2(p) = value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_x.cast(), out_y.cast()])?;
        // SAFETY: every out pointer was checked non-NULL; writable (caller's contract).
        unsafe {
            write_out(out_x, p.x);
            write_out(out_y, p.y);
        }
        Ok(())
    })
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
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe { give(out_variant, Variant::Vector2i(Vector2i { x, y })) })
}

/// The components of a VECTOR2I variant, in the order of `pp_variant_new_vector2i`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// VECTOR2I.
#[no_mangle]
pub extern "C" fn pp_variant_get_vector2i(
    variant: Option<&pp_variant>,
    out_x: *mut i32,
    out_y: *mut i32,
) -> pp_error {
    guard(|| {
        let Variant::Vector2i(p) = value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_x.cast(), out_y.cast()])?;
        // SAFETY: every out pointer was checked non-NULL; writable (caller's contract).
        unsafe {
            write_out(out_x, p.x);
            write_out(out_y, p.y);
        }
        Ok(())
    })
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
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe {
        give(
            out_variant,
            Variant::Rect2(Rect2 {
                position: Vector2 { x, y },
                size: Vector2 {
                    x: width,
                    y: height,
                },
            }),
        )
    })
}

/// The components of a RECT2 variant, in the order of `pp_variant_new_rect2`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a RECT2.
#[no_mangle]
pub extern "C" fn pp_variant_get_rect2(
    variant: Option<&pp_variant>,
    out_x: *mut f64,
    out_y: *mut f64,
    out_width: *mut f64,
    out_height: *mut f64,
) -> pp_error {
    guard(|| {
        let Variant::Rect2(p) = value(variant)? else {
            return Err(INVALID);
        };
        outs(&[
            out_x.cast(),
            out_y.cast(),
            out_width.cast(),
            out_height.cast(),
        ])?;
        // SAFETY: every out pointer was checked non-NULL; writable (caller's contract).
        unsafe {
            write_out(out_x, p.position.x);
            write_out(out_y, p.position.y);
            write_out(out_width, p.size.x);
            write_out(out_height, p.size.y);
        }
        Ok(())
    })
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
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe {
        give(
            out_variant,
            Variant::Rect2i(Rect2i {
                position: Vector2i { x, y },
                size: Vector2i {
                    x: width,
                    y: height,
                },
            }),
        )
    })
}

/// The components of a RECT2I variant, in the order of `pp_variant_new_rect2i`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// RECT2I.
#[no_mangle]
pub extern "C" fn pp_variant_get_rect2i(
    variant: Option<&pp_variant>,
    out_x: *mut i32,
    out_y: *mut i32,
    out_width: *mut i32,
    out_height: *mut i32,
) -> pp_error {
    guard(|| {
        let Variant::Rect2i(p) = value(variant)? else {
            return Err(INVALID);
        };
        outs(&[
            out_x.cast(),
            out_y.cast(),
            out_width.cast(),
            out_height.cast(),
        ])?;
        // SAFETY: every out pointer was checked non-NULL; writable (caller's contract).
        unsafe {
            write_out(out_x, p.position.x);
            write_out(out_y, p.position.y);
            write_out(out_width, p.size.x);
            write_out(out_height, p.size.y);
        }
        Ok(())
    })
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
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe { give(out_variant, Variant::Vector3(Vector3 { x, y, z })) })
}

/// The components of a VECTOR3 variant, in the order of `pp_variant_new_vector3`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// VECTOR3.
#[no_mangle]
pub extern "C" fn pp_variant_get_vector3(
    variant: Option<&pp_variant>,
    out_x: *mut f64,
    out_y: *mut f64,
    out_z: *mut f64,
) -> pp_error {
    guard(|| {
        let Variant::Vector3(p) = value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_x.cast(), out_y.cast(), out_z.cast()])?;
        // SAFETY: every out pointer was checked non-NULL; writable (caller's contract).
        unsafe {
            write_out(out_x, p.x);
            write_out(out_y, p.y);
            write_out(out_z, p.z);
        }
        Ok(())
    })
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
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe { give(out_variant, Variant::Vector3i(Vector3i { x, y, z })) })
}

/// The components of a VECTOR3I variant, in the order of `pp_variant_new_vector3i`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// VECTOR3I.
#[no_mangle]
pub extern "C" fn pp_variant_get_vector3i(
    variant: Option<&pp_variant>,
    out_x: *mut i32,
    out_y: *mut i32,
    out_z: *mut i32,
) -> pp_error {
    guard(|| {
        let Variant::Vector3i(p) = value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_x.cast(), out_y.cast(), out_z.cast()])?;
        // SAFETY: every out pointer was checked non-NULL; writable (caller's contract).
        unsafe {
            write_out(out_x, p.x);
            write_out(out_y, p.y);
            write_out(out_z, p.z);
        }
        Ok(())
    })
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
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe { give(out_variant, Variant::Vector4(Vector4 { x, y, z, w })) })
}

/// The components of a VECTOR4 variant, in the order of `pp_variant_new_vector4`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// VECTOR4.
#[no_mangle]
pub extern "C" fn pp_variant_get_vector4(
    variant: Option<&pp_variant>,
    out_x: *mut f64,
    out_y: *mut f64,
    out_z: *mut f64,
    out_w: *mut f64,
) -> pp_error {
    guard(|| {
        let Variant::Vector4(p) = value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_x.cast(), out_y.cast(), out_z.cast(), out_w.cast()])?;
        // SAFETY: every out pointer was checked non-NULL; writable (caller's contract).
        unsafe {
            write_out(out_x, p.x);
            write_out(out_y, p.y);
            write_out(out_z, p.z);
            write_out(out_w, p.w);
        }
        Ok(())
    })
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
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe { give(out_variant, Variant::Vector4i(Vector4i { x, y, z, w })) })
}

/// The components of a VECTOR4I variant, in the order of `pp_variant_new_vector4i`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// VECTOR4I.
#[no_mangle]
pub extern "C" fn pp_variant_get_vector4i(
    variant: Option<&pp_variant>,
    out_x: *mut i32,
    out_y: *mut i32,
    out_z: *mut i32,
    out_w: *mut i32,
) -> pp_error {
    guard(|| {
        let Variant::Vector4i(p) = value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_x.cast(), out_y.cast(), out_z.cast(), out_w.cast()])?;
        // SAFETY: every out pointer was checked non-NULL; writable (caller's contract).
        unsafe {
            write_out(out_x, p.x);
            write_out(out_y, p.y);
            write_out(out_z, p.z);
            write_out(out_w, p.w);
        }
        Ok(())
    })
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
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe {
        give(
            out_variant,
            Variant::Plane(Plane {
                normal: Vector3 {
                    x: normal_x,
                    y: normal_y,
                    z: normal_z,
                },
                d,
            }),
        )
    })
}

/// The components of a PLANE variant, in the order of `pp_variant_new_plane`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PLANE.
#[no_mangle]
pub extern "C" fn pp_variant_get_plane(
    variant: Option<&pp_variant>,
    out_normal_x: *mut f64,
    out_normal_y: *mut f64,
    out_normal_z: *mut f64,
    out_d: *mut f64,
) -> pp_error {
    guard(|| {
        let Variant::Plane(p) = value(variant)? else {
            return Err(INVALID);
        };
        outs(&[
            out_normal_x.cast(),
            out_normal_y.cast(),
            out_normal_z.cast(),
            out_d.cast(),
        ])?;
        // SAFETY: every out pointer was checked non-NULL; writable (caller's contract).
        unsafe {
            write_out(out_normal_x, p.normal.x);
            write_out(out_normal_y, p.normal.y);
            write_out(out_normal_z, p.normal.z);
            write_out(out_d, p.d);
        }
        Ok(())
    })
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
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe { give(out_variant, Variant::Quaternion(Quaternion { x, y, z, w })) })
}

/// The components of a QUATERNION variant, in the order of `pp_variant_new_quaternion`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// QUATERNION.
#[no_mangle]
pub extern "C" fn pp_variant_get_quaternion(
    variant: Option<&pp_variant>,
    out_x: *mut f64,
    out_y: *mut f64,
    out_z: *mut f64,
    out_w: *mut f64,
) -> pp_error {
    guard(|| {
        let Variant::Quaternion(p) = value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_x.cast(), out_y.cast(), out_z.cast(), out_w.cast()])?;
        // SAFETY: every out pointer was checked non-NULL; writable (caller's contract).
        unsafe {
            write_out(out_x, p.x);
            write_out(out_y, p.y);
            write_out(out_z, p.z);
            write_out(out_w, p.w);
        }
        Ok(())
    })
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
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe {
        give(
            out_variant,
            Variant::Aabb(Box::new(Aabb {
                position: Vector3 { x, y, z },
                size: Vector3 {
                    x: size_x,
                    y: size_y,
                    z: size_z,
                },
            })),
        )
    })
}

/// The components of a AABB variant, in the order of `pp_variant_new_aabb`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a AABB.
#[no_mangle]
pub extern "C" fn pp_variant_get_aabb(
    variant: Option<&pp_variant>,
    out_x: *mut f64,
    out_y: *mut f64,
    out_z: *mut f64,
    out_size_x: *mut f64,
    out_size_y: *mut f64,
    out_size_z: *mut f64,
) -> pp_error {
    guard(|| {
        let Variant::Aabb(p) = value(variant)? else {
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
        // SAFETY: every out pointer was checked non-NULL; writable (caller's contract).
        unsafe {
            write_out(out_x, p.position.x);
            write_out(out_y, p.position.y);
            write_out(out_z, p.position.z);
            write_out(out_size_x, p.size.x);
            write_out(out_size_y, p.size.y);
            write_out(out_size_z, p.size.z);
        }
        Ok(())
    })
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
    // SAFETY: out_variant is NULL or writable (caller's contract).
    guard(|| unsafe { give(out_variant, Variant::Color(Color { r, g, b, a })) })
}

/// The components of a COLOR variant, in the order of `pp_variant_new_color`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a COLOR.
#[no_mangle]
pub extern "C" fn pp_variant_get_color(
    variant: Option<&pp_variant>,
    out_r: *mut f32,
    out_g: *mut f32,
    out_b: *mut f32,
    out_a: *mut f32,
) -> pp_error {
    guard(|| {
        let Variant::Color(p) = value(variant)? else {
            return Err(INVALID);
        };
        outs(&[out_r.cast(), out_g.cast(), out_b.cast(), out_a.cast()])?;
        // SAFETY: every out pointer was checked non-NULL; writable (caller's contract).
        unsafe {
            write_out(out_r, p.r);
            write_out(out_g, p.g);
            write_out(out_b, p.b);
            write_out(out_a, p.a);
        }
        Ok(())
    })
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
    guard(|| {
        // SAFETY: values points to 6 doubles (caller's contract).
        let vals: [f64; 6] = unsafe { in_array(values) }?;
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe {
            give(
                out_variant,
                Variant::Transform2D(Box::new(transform2d_from(&vals))),
            )
        }
    })
}

/// The 6 values of a TRANSFORM2D variant, in wire order: x axis (x, y), y axis (x, y), origin (x, y).
/// - `out_values`: room for 6 doubles.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// TRANSFORM2D.
#[no_mangle]
pub extern "C" fn pp_variant_get_transform2d(
    variant: Option<&pp_variant>,
    out_values: *mut f64,
) -> pp_error {
    guard(|| {
        let Variant::Transform2D(p) = value(variant)? else {
            return Err(INVALID);
        };
        // SAFETY: out_values is NULL or has room for 6 doubles (caller's contract).
        unsafe { put_array(out_values, &transform2d_to(p)) }
    })
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
    guard(|| {
        // SAFETY: values points to 9 doubles (caller's contract).
        let vals: [f64; 9] = unsafe { in_array(values) }?;
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::Basis(Box::new(basis_from(&vals)))) }
    })
}

/// The 9 values of a BASIS variant, in wire order, row-major: `rows[0][0..3]`, `rows[1][0..3]`,
/// `rows[2][0..3]`.
/// - `out_values`: room for 9 doubles.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a BASIS.
#[no_mangle]
pub extern "C" fn pp_variant_get_basis(
    variant: Option<&pp_variant>,
    out_values: *mut f64,
) -> pp_error {
    guard(|| {
        let Variant::Basis(p) = value(variant)? else {
            return Err(INVALID);
        };
        // SAFETY: out_values is NULL or has room for 9 doubles (caller's contract).
        unsafe { put_array(out_values, &basis_to(p)) }
    })
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
    guard(|| {
        // SAFETY: values points to 12 doubles (caller's contract).
        let vals: [f64; 12] = unsafe { in_array(values) }?;
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe {
            give(
                out_variant,
                Variant::Transform3D(Box::new(transform3d_from(&vals))),
            )
        }
    })
}

/// The 12 values of a TRANSFORM3D variant, in wire order: the 9 basis values row-major as for
/// BASIS, then origin (x, y, z).
/// - `out_values`: room for 12 doubles.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// TRANSFORM3D.
#[no_mangle]
pub extern "C" fn pp_variant_get_transform3d(
    variant: Option<&pp_variant>,
    out_values: *mut f64,
) -> pp_error {
    guard(|| {
        let Variant::Transform3D(p) = value(variant)? else {
            return Err(INVALID);
        };
        // SAFETY: out_values is NULL or has room for 12 doubles (caller's contract).
        unsafe { put_array(out_values, &transform3d_to(p)) }
    })
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
    guard(|| {
        // SAFETY: values points to 16 doubles (caller's contract).
        let vals: [f64; 16] = unsafe { in_array(values) }?;
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe {
            give(
                out_variant,
                Variant::Projection(Box::new(projection_from(&vals))),
            )
        }
    })
}

/// The 16 values of a PROJECTION variant, in wire order, column-major: `columns[0][0..4]` …
/// `columns[3][0..4]`.
/// - `out_values`: room for 16 doubles.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// PROJECTION.
#[no_mangle]
pub extern "C" fn pp_variant_get_projection(
    variant: Option<&pp_variant>,
    out_values: *mut f64,
) -> pp_error {
    guard(|| {
        let Variant::Projection(p) = value(variant)? else {
            return Err(INVALID);
        };
        // SAFETY: out_values is NULL or has room for 16 doubles (caller's contract).
        unsafe { put_array(out_values, &projection_to(p)) }
    })
}

// ---------------------------------------------------------------------------------------------
// Packed arrays of numbers and vectors (generated pattern, one block per type).

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
    guard(|| {
        // SAFETY: data holds count items (caller's contract).
        let items = unsafe { in_items(data, count) }?.to_vec();
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::PackedByteArray(items)) }
    })
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
    variant: Option<&pp_variant>,
    out_data: *mut *const u8,
    out_count: *mut usize,
) -> pp_error {
    guard(|| match value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract).
        Variant::PackedByteArray(a) => unsafe { put_items(out_data, out_count, a) },
        _ => Err(INVALID),
    })
}

/// Appends `value` to a PACKED_BYTE_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_BYTE_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_byte_array_append(
    variant: Option<&mut pp_variant>,
    value: u8,
) -> pp_error {
    guard(|| {
        let Variant::PackedByteArray(a) = value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(a.len())?;
        a.push(value);
        Ok(())
    })
}

/// Element `index` of a PACKED_BYTE_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_BYTE_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_byte_array_get(
    variant: Option<&pp_variant>,
    index: usize,
    out_value: *mut u8,
) -> pp_error {
    guard(|| {
        let Variant::PackedByteArray(a) = value(variant)? else {
            return Err(INVALID);
        };
        out_ptr(out_value)?;
        let x = *at(a, index)?;
        // SAFETY: out_value is NULL or writable (caller's contract).
        unsafe { put(out_value, x) }
    })
}

/// Replaces element `index` of a PACKED_BYTE_ARRAY variant with `value`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_BYTE_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_byte_array_set(
    variant: Option<&mut pp_variant>,
    index: usize,
    value: u8,
) -> pp_error {
    guard(|| {
        let Variant::PackedByteArray(a) = value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(a, index)? = value;
        Ok(())
    })
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
    guard(|| {
        // SAFETY: data holds count items (caller's contract).
        let items = unsafe { in_items(data, count) }?.to_vec();
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::PackedInt32Array(items)) }
    })
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
    variant: Option<&pp_variant>,
    out_data: *mut *const i32,
    out_count: *mut usize,
) -> pp_error {
    guard(|| match value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract).
        Variant::PackedInt32Array(a) => unsafe { put_items(out_data, out_count, a) },
        _ => Err(INVALID),
    })
}

/// Appends `value` to a PACKED_INT32_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_INT32_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_int32_array_append(
    variant: Option<&mut pp_variant>,
    value: i32,
) -> pp_error {
    guard(|| {
        let Variant::PackedInt32Array(a) = value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(a.len())?;
        a.push(value);
        Ok(())
    })
}

/// Element `index` of a PACKED_INT32_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_INT32_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_int32_array_get(
    variant: Option<&pp_variant>,
    index: usize,
    out_value: *mut i32,
) -> pp_error {
    guard(|| {
        let Variant::PackedInt32Array(a) = value(variant)? else {
            return Err(INVALID);
        };
        out_ptr(out_value)?;
        let x = *at(a, index)?;
        // SAFETY: out_value is NULL or writable (caller's contract).
        unsafe { put(out_value, x) }
    })
}

/// Replaces element `index` of a PACKED_INT32_ARRAY variant with `value`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_INT32_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_int32_array_set(
    variant: Option<&mut pp_variant>,
    index: usize,
    value: i32,
) -> pp_error {
    guard(|| {
        let Variant::PackedInt32Array(a) = value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(a, index)? = value;
        Ok(())
    })
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
    guard(|| {
        // SAFETY: data holds count items (caller's contract).
        let items = unsafe { in_items(data, count) }?.to_vec();
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::PackedInt64Array(items)) }
    })
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
    variant: Option<&pp_variant>,
    out_data: *mut *const i64,
    out_count: *mut usize,
) -> pp_error {
    guard(|| match value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract).
        Variant::PackedInt64Array(a) => unsafe { put_items(out_data, out_count, a) },
        _ => Err(INVALID),
    })
}

/// Appends `value` to a PACKED_INT64_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_INT64_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_int64_array_append(
    variant: Option<&mut pp_variant>,
    value: i64,
) -> pp_error {
    guard(|| {
        let Variant::PackedInt64Array(a) = value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(a.len())?;
        a.push(value);
        Ok(())
    })
}

/// Element `index` of a PACKED_INT64_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_INT64_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_int64_array_get(
    variant: Option<&pp_variant>,
    index: usize,
    out_value: *mut i64,
) -> pp_error {
    guard(|| {
        let Variant::PackedInt64Array(a) = value(variant)? else {
            return Err(INVALID);
        };
        out_ptr(out_value)?;
        let x = *at(a, index)?;
        // SAFETY: out_value is NULL or writable (caller's contract).
        unsafe { put(out_value, x) }
    })
}

/// Replaces element `index` of a PACKED_INT64_ARRAY variant with `value`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_INT64_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_int64_array_set(
    variant: Option<&mut pp_variant>,
    index: usize,
    value: i64,
) -> pp_error {
    guard(|| {
        let Variant::PackedInt64Array(a) = value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(a, index)? = value;
        Ok(())
    })
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
    guard(|| {
        // SAFETY: data holds count items (caller's contract).
        let items = unsafe { in_items(data, count) }?.to_vec();
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::PackedFloat32Array(items)) }
    })
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
    variant: Option<&pp_variant>,
    out_data: *mut *const f32,
    out_count: *mut usize,
) -> pp_error {
    guard(|| match value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract).
        Variant::PackedFloat32Array(a) => unsafe { put_items(out_data, out_count, a) },
        _ => Err(INVALID),
    })
}

/// Appends `value` to a PACKED_FLOAT32_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_FLOAT32_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_float32_array_append(
    variant: Option<&mut pp_variant>,
    value: f32,
) -> pp_error {
    guard(|| {
        let Variant::PackedFloat32Array(a) = value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(a.len())?;
        a.push(value);
        Ok(())
    })
}

/// Element `index` of a PACKED_FLOAT32_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_FLOAT32_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_float32_array_get(
    variant: Option<&pp_variant>,
    index: usize,
    out_value: *mut f32,
) -> pp_error {
    guard(|| {
        let Variant::PackedFloat32Array(a) = value(variant)? else {
            return Err(INVALID);
        };
        out_ptr(out_value)?;
        let x = *at(a, index)?;
        // SAFETY: out_value is NULL or writable (caller's contract).
        unsafe { put(out_value, x) }
    })
}

/// Replaces element `index` of a PACKED_FLOAT32_ARRAY variant with `value`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_FLOAT32_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_float32_array_set(
    variant: Option<&mut pp_variant>,
    index: usize,
    value: f32,
) -> pp_error {
    guard(|| {
        let Variant::PackedFloat32Array(a) = value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(a, index)? = value;
        Ok(())
    })
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
    guard(|| {
        // SAFETY: data holds count items (caller's contract).
        let items = unsafe { in_items(data, count) }?.to_vec();
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::PackedFloat64Array(items)) }
    })
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
    variant: Option<&pp_variant>,
    out_data: *mut *const f64,
    out_count: *mut usize,
) -> pp_error {
    guard(|| match value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract).
        Variant::PackedFloat64Array(a) => unsafe { put_items(out_data, out_count, a) },
        _ => Err(INVALID),
    })
}

/// Appends `value` to a PACKED_FLOAT64_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_FLOAT64_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_float64_array_append(
    variant: Option<&mut pp_variant>,
    value: f64,
) -> pp_error {
    guard(|| {
        let Variant::PackedFloat64Array(a) = value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(a.len())?;
        a.push(value);
        Ok(())
    })
}

/// Element `index` of a PACKED_FLOAT64_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_FLOAT64_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_float64_array_get(
    variant: Option<&pp_variant>,
    index: usize,
    out_value: *mut f64,
) -> pp_error {
    guard(|| {
        let Variant::PackedFloat64Array(a) = value(variant)? else {
            return Err(INVALID);
        };
        out_ptr(out_value)?;
        let x = *at(a, index)?;
        // SAFETY: out_value is NULL or writable (caller's contract).
        unsafe { put(out_value, x) }
    })
}

/// Replaces element `index` of a PACKED_FLOAT64_ARRAY variant with `value`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_FLOAT64_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_float64_array_set(
    variant: Option<&mut pp_variant>,
    index: usize,
    value: f64,
) -> pp_error {
    guard(|| {
        let Variant::PackedFloat64Array(a) = value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(a, index)? = value;
        Ok(())
    })
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
    guard(|| {
        check_size(count)?;
        // SAFETY: values holds 2 * count items (caller's contract); count <= INT32_MAX so the product
        // cannot overflow on 64-bit targets, and checked_mul covers the others.
        let flat = unsafe { in_items_unbounded(values, count.checked_mul(2).ok_or(INVALID)?) }?;
        let items = flat
            .chunks_exact(2)
            .map(|c| Vector2 { x: c[0], y: c[1] })
            .collect();
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::PackedVector2Array(items)) }
    })
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
    variant: Option<&pp_variant>,
    out_values: *mut *const f64,
    out_count: *mut usize,
) -> pp_error {
    guard(|| match value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract). Vector2 is repr(C) with 2 f64
        // fields, so the elements are a flat f64 array.
        Variant::PackedVector2Array(arr) => unsafe { put_items(out_values, out_count, arr) },
        _ => Err(INVALID),
    })
}

/// Appends (x, y) to a PACKED_VECTOR2_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_VECTOR2_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector2_array_append(
    variant: Option<&mut pp_variant>,
    x: f64,
    y: f64,
) -> pp_error {
    guard(|| {
        let Variant::PackedVector2Array(arr) = value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(arr.len())?;
        arr.push(Vector2 { x, y });
        Ok(())
    })
}

/// Element `index` of a PACKED_VECTOR2_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_VECTOR2_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector2_array_get(
    variant: Option<&pp_variant>,
    index: usize,
    out_x: *mut f64,
    out_y: *mut f64,
) -> pp_error {
    guard(|| {
        let Variant::PackedVector2Array(arr) = value(variant)? else {
            return Err(INVALID);
        };

        outs(&[out_x.cast(), out_y.cast()])?;
        let e = *at(arr, index)?;
        // SAFETY: every out pointer was checked non-NULL; writable (caller's contract).
        unsafe {
            write_out(out_x, e.x);
            write_out(out_y, e.y);
        }
        Ok(())
    })
}

/// Replaces element `index` of a PACKED_VECTOR2_ARRAY variant with (x, y).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_VECTOR2_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector2_array_set(
    variant: Option<&mut pp_variant>,
    index: usize,
    x: f64,
    y: f64,
) -> pp_error {
    guard(|| {
        let Variant::PackedVector2Array(arr) = value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(arr, index)? = Vector2 { x, y };
        Ok(())
    })
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
    guard(|| {
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
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::PackedVector3Array(items)) }
    })
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
    variant: Option<&pp_variant>,
    out_values: *mut *const f64,
    out_count: *mut usize,
) -> pp_error {
    guard(|| match value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract). Vector3 is repr(C) with 3 f64
        // fields, so the elements are a flat f64 array.
        Variant::PackedVector3Array(arr) => unsafe { put_items(out_values, out_count, arr) },
        _ => Err(INVALID),
    })
}

/// Appends (x, y, z) to a PACKED_VECTOR3_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_VECTOR3_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector3_array_append(
    variant: Option<&mut pp_variant>,
    x: f64,
    y: f64,
    z: f64,
) -> pp_error {
    guard(|| {
        let Variant::PackedVector3Array(arr) = value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(arr.len())?;
        arr.push(Vector3 { x, y, z });
        Ok(())
    })
}

/// Element `index` of a PACKED_VECTOR3_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_VECTOR3_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector3_array_get(
    variant: Option<&pp_variant>,
    index: usize,
    out_x: *mut f64,
    out_y: *mut f64,
    out_z: *mut f64,
) -> pp_error {
    guard(|| {
        let Variant::PackedVector3Array(arr) = value(variant)? else {
            return Err(INVALID);
        };

        outs(&[out_x.cast(), out_y.cast(), out_z.cast()])?;
        let e = *at(arr, index)?;
        // SAFETY: every out pointer was checked non-NULL; writable (caller's contract).
        unsafe {
            write_out(out_x, e.x);
            write_out(out_y, e.y);
            write_out(out_z, e.z);
        }
        Ok(())
    })
}

/// Replaces element `index` of a PACKED_VECTOR3_ARRAY variant with (x, y, z).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_VECTOR3_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector3_array_set(
    variant: Option<&mut pp_variant>,
    index: usize,
    x: f64,
    y: f64,
    z: f64,
) -> pp_error {
    guard(|| {
        let Variant::PackedVector3Array(arr) = value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(arr, index)? = Vector3 { x, y, z };
        Ok(())
    })
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
    guard(|| {
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
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::PackedColorArray(items)) }
    })
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
    variant: Option<&pp_variant>,
    out_values: *mut *const f32,
    out_count: *mut usize,
) -> pp_error {
    guard(|| match value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract). Color is repr(C) with 4 f32
        // fields, so the elements are a flat f32 array.
        Variant::PackedColorArray(arr) => unsafe { put_items(out_values, out_count, arr) },
        _ => Err(INVALID),
    })
}

/// Appends (r, g, b, a) to a PACKED_COLOR_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_COLOR_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_color_array_append(
    variant: Option<&mut pp_variant>,
    r: f32,
    g: f32,
    b: f32,
    a: f32,
) -> pp_error {
    guard(|| {
        let Variant::PackedColorArray(arr) = value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(arr.len())?;
        arr.push(Color { r, g, b, a });
        Ok(())
    })
}

/// Element `index` of a PACKED_COLOR_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_COLOR_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_color_array_get(
    variant: Option<&pp_variant>,
    index: usize,
    out_r: *mut f32,
    out_g: *mut f32,
    out_b: *mut f32,
    out_a: *mut f32,
) -> pp_error {
    guard(|| {
        let Variant::PackedColorArray(arr) = value(variant)? else {
            return Err(INVALID);
        };

        outs(&[out_r.cast(), out_g.cast(), out_b.cast(), out_a.cast()])?;
        let e = *at(arr, index)?;
        // SAFETY: every out pointer was checked non-NULL; writable (caller's contract).
        unsafe {
            write_out(out_r, e.r);
            write_out(out_g, e.g);
            write_out(out_b, e.b);
            write_out(out_a, e.a);
        }
        Ok(())
    })
}

/// Replaces element `index` of a PACKED_COLOR_ARRAY variant with (r, g, b, a).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_COLOR_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_color_array_set(
    variant: Option<&mut pp_variant>,
    index: usize,
    r: f32,
    g: f32,
    b: f32,
    a: f32,
) -> pp_error {
    guard(|| {
        let Variant::PackedColorArray(arr) = value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(arr, index)? = Color { r, g, b, a };
        Ok(())
    })
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
    guard(|| {
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
        // SAFETY: out_variant is NULL or writable (caller's contract).
        unsafe { give(out_variant, Variant::PackedVector4Array(items)) }
    })
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
    variant: Option<&pp_variant>,
    out_values: *mut *const f64,
    out_count: *mut usize,
) -> pp_error {
    guard(|| match value(variant)? {
        // SAFETY: out pointers are NULL or writable (caller's contract). Vector4 is repr(C) with 4 f64
        // fields, so the elements are a flat f64 array.
        Variant::PackedVector4Array(arr) => unsafe { put_items(out_values, out_count, arr) },
        _ => Err(INVALID),
    })
}

/// Appends (x, y, z, w) to a PACKED_VECTOR4_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
/// `variant` is NULL or not a PACKED_VECTOR4_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector4_array_append(
    variant: Option<&mut pp_variant>,
    x: f64,
    y: f64,
    z: f64,
    w: f64,
) -> pp_error {
    guard(|| {
        let Variant::PackedVector4Array(arr) = value_mut(variant)? else {
            return Err(INVALID);
        };
        check_room(arr.len())?;
        arr.push(Vector4 { x, y, z, w });
        Ok(())
    })
}

/// Element `index` of a PACKED_VECTOR4_ARRAY variant.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_VECTOR4_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector4_array_get(
    variant: Option<&pp_variant>,
    index: usize,
    out_x: *mut f64,
    out_y: *mut f64,
    out_z: *mut f64,
    out_w: *mut f64,
) -> pp_error {
    guard(|| {
        let Variant::PackedVector4Array(arr) = value(variant)? else {
            return Err(INVALID);
        };

        outs(&[out_x.cast(), out_y.cast(), out_z.cast(), out_w.cast()])?;
        let e = *at(arr, index)?;
        // SAFETY: every out pointer was checked non-NULL; writable (caller's contract).
        unsafe {
            write_out(out_x, e.x);
            write_out(out_y, e.y);
            write_out(out_z, e.z);
            write_out(out_w, e.w);
        }
        Ok(())
    })
}

/// Replaces element `index` of a PACKED_VECTOR4_ARRAY variant with (x, y, z, w).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_VECTOR4_ARRAY.
#[no_mangle]
pub extern "C" fn pp_variant_packed_vector4_array_set(
    variant: Option<&mut pp_variant>,
    index: usize,
    x: f64,
    y: f64,
    z: f64,
    w: f64,
) -> pp_error {
    guard(|| {
        let Variant::PackedVector4Array(arr) = value_mut(variant)? else {
            return Err(INVALID);
        };
        *at_mut(arr, index)? = Vector4 { x, y, z, w };
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Helpers for the generated blocks above.

/// Item `index` of a caller-visible sequence.
fn at<T>(items: &[T], index: usize) -> Result<&T, pp_error> {
    check_size(index)?;
    items.get(index).ok_or(RANGE)
}

fn at_mut<T>(items: &mut [T], index: usize) -> Result<&mut T, pp_error> {
    check_size(index)?;
    items.get_mut(index).ok_or(RANGE)
}

fn transform2d_from(v: &[f64; 6]) -> Transform2D {
    let col = |i: usize| Vector2 {
        x: v[2 * i],
        y: v[2 * i + 1],
    };
    Transform2D {
        columns: [col(0), col(1), col(2)],
    }
}

fn transform2d_to(t: &Transform2D) -> [f64; 6] {
    let c = &t.columns;
    [c[0].x, c[0].y, c[1].x, c[1].y, c[2].x, c[2].y]
}

fn basis_from(v: &[f64]) -> Basis {
    let row = |i: usize| Vector3 {
        x: v[3 * i],
        y: v[3 * i + 1],
        z: v[3 * i + 2],
    };
    Basis {
        rows: [row(0), row(1), row(2)],
    }
}

fn basis_to(b: &Basis) -> [f64; 9] {
    let r = &b.rows;
    [
        r[0].x, r[0].y, r[0].z, r[1].x, r[1].y, r[1].z, r[2].x, r[2].y, r[2].z,
    ]
}

fn transform3d_from(v: &[f64; 12]) -> Transform3D {
    Transform3D {
        basis: basis_from(&v[..9]),
        origin: Vector3 {
            x: v[9],
            y: v[10],
            z: v[11],
        },
    }
}

fn transform3d_to(t: &Transform3D) -> [f64; 12] {
    let mut out = [0.0; 12];
    out[..9].copy_from_slice(&basis_to(&t.basis));
    out[9..].copy_from_slice(&[t.origin.x, t.origin.y, t.origin.z]);
    out
}

fn projection_from(v: &[f64; 16]) -> Projection {
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

fn projection_to(p: &Projection) -> [f64; 16] {
    let mut out = [0.0; 16];
    for (chunk, c) in out.chunks_exact_mut(4).zip(&p.columns) {
        chunk.copy_from_slice(&[c.x, c.y, c.z, c.w]);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The codec handle.

/// Opaque codec settings plus the last error: encode/decode with a dialect, real_t width, object
/// policy and decode limits. Make with `pp_codec_new`, free with `pp_codec_free`. One thread at a time.
pub struct pp_codec {
    enc: EncodeOptions,
    dec: DecodeOptions,
    last_code: pp_error,
    last_offset: usize,
    last_reason: CString,
}

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

impl pp_codec {
    /// Runs one codec call and remembers how it ended.
    fn run(&mut self, f: impl FnOnce(&Self) -> Result<(), Failure>) -> R {
        let r = f(self);
        match &r {
            Ok(()) => {
                self.last_code = pp_error::PP_OK;
                self.last_offset = 0;
                self.last_reason = CString::default();
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
    guard(|| {
        let codec = pp_codec {
            enc: EncodeOptions::default(),
            dec: DecodeOptions::default(),
            last_code: pp_error::PP_OK,
            last_offset: 0,
            last_reason: CString::default(),
        };
        // SAFETY: `out_codec` is NULL or writable (caller's contract).
        unsafe { give_handle(out_codec, codec) }
    })
}

/// Frees a codec. NULL is a no-op.
#[no_mangle]
pub extern "C" fn pp_codec_free(codec: *mut pp_codec) {
    guard_or((), || {
        // SAFETY: NULL or a codec made by pp_codec_new and not freed yet (caller's contract).
        drop(unsafe { from_handle(codec) });
    })
}

/// Sets the type-id table used to encode and decode.
/// - `dialect`: a `pp_dialect` value (`PP_DIALECT_GODOT4`, the default, or `PP_DIALECT_REDOT_STRUCT`).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL or `dialect` is unknown.
#[no_mangle]
pub extern "C" fn pp_codec_set_dialect(codec: Option<&mut pp_codec>, dialect: i32) -> pp_error {
    guard(|| {
        let codec = codec.ok_or(INVALID)?;
        const GODOT4: i32 = pp_dialect::PP_DIALECT_GODOT4 as i32;
        const REDOT_STRUCT: i32 = pp_dialect::PP_DIALECT_REDOT_STRUCT as i32;
        let d = match dialect {
            GODOT4 => Dialect::Godot4,
            REDOT_STRUCT => Dialect::RedotStruct,
            _ => return Err(INVALID),
        };
        codec.enc.dialect = d;
        codec.dec.dialect = d;
        Ok(())
    })
}

/// The codec's dialect; `PP_DIALECT_GODOT4` when `codec` is NULL.
#[no_mangle]
pub extern "C" fn pp_codec_get_dialect(codec: Option<&pp_codec>) -> pp_dialect {
    guard_or(pp_dialect::PP_DIALECT_GODOT4, || {
        match codec.map(|c| c.enc.dialect) {
            Some(Dialect::RedotStruct) => pp_dialect::PP_DIALECT_REDOT_STRUCT,
            Some(Dialect::Godot4) | None => pp_dialect::PP_DIALECT_GODOT4,
        }
    })
}

/// Whether the encoder writes real_t components (vectors, transforms, …) as 64-bit floats with
/// FLAG_64, like a `precision=double` engine build. Default false. The decoder always follows the flag.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL.
#[no_mangle]
pub extern "C" fn pp_codec_set_real_is_double(
    codec: Option<&mut pp_codec>,
    enabled: bool,
) -> pp_error {
    guard(|| {
        codec.ok_or(INVALID)?.enc.real_is_double = enabled;
        Ok(())
    })
}

/// Whether the encoder sends objects in full (`var_to_bytes_with_objects`) instead of as instance ids.
/// Default false.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL.
#[no_mangle]
pub extern "C" fn pp_codec_set_full_objects(
    codec: Option<&mut pp_codec>,
    enabled: bool,
) -> pp_error {
    guard(|| {
        codec.ok_or(INVALID)?.enc.full_objects = enabled;
        Ok(())
    })
}

/// Whether the decoder accepts objects sent in full (`bytes_to_var_with_objects`); when false they
/// fail with `PP_ERR_UNAUTHORIZED`. Default false. Objects sent as ids are always accepted.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL.
#[no_mangle]
pub extern "C" fn pp_codec_set_allow_objects(
    codec: Option<&mut pp_codec>,
    enabled: bool,
) -> pp_error {
    guard(|| {
        codec.ok_or(INVALID)?.dec.allow_objects = enabled;
        Ok(())
    })
}

/// The deepest nesting the decoder accepts; deeper data fails with `PP_ERR_OUT_OF_MEMORY`, the
/// engine's code. Default and maximum: 1024, the engine's limit.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL or `max_depth > 1024`.
#[no_mangle]
pub extern "C" fn pp_codec_set_max_depth(codec: Option<&mut pp_codec>, max_depth: u32) -> pp_error {
    guard(|| {
        let codec = codec.ok_or(INVALID)?;
        if max_depth as usize > MAX_NESTING {
            return Err(INVALID);
        }
        codec.dec.limits.max_depth = max_depth;
        Ok(())
    })
}

/// The most values (elements, keys, values, properties, packed items) one decode may build.
/// Default SIZE_MAX: no limit beyond what the input itself can describe. Any value is accepted.
/// A decode that goes past it fails with `PP_ERR_OUT_OF_MEMORY`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL.
#[no_mangle]
pub extern "C" fn pp_codec_set_max_elements(
    codec: Option<&mut pp_codec>,
    max_elements: usize,
) -> pp_error {
    guard(|| {
        codec.ok_or(INVALID)?.dec.limits.max_elements = max_elements;
        Ok(())
    })
}

/// The most bytes of memory one decoded value may hold (approximate: a fixed size per value plus
/// string and packed-array contents). Default SIZE_MAX: no limit beyond what the input itself can
/// describe. Any value is accepted. A decode that goes past it fails with `PP_ERR_OUT_OF_MEMORY`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL.
#[no_mangle]
pub extern "C" fn pp_codec_set_max_bytes(
    codec: Option<&mut pp_codec>,
    max_bytes: usize,
) -> pp_error {
    guard(|| {
        codec.ok_or(INVALID)?.dec.limits.max_bytes = max_bytes;
        Ok(())
    })
}

/// The number of bytes `pp_codec_encode` would produce for `variant`.
/// - `out_len`: receives the length.
///
/// Returns `PP_OK`, the encoder's error (see `pp_var_to_bytes`), or `PP_ERR_INVALID_PARAMETER` for
/// NULL pointers. Sets the codec's last error.
#[no_mangle]
pub extern "C" fn pp_codec_encoded_len(
    codec: Option<&mut pp_codec>,
    variant: Option<&pp_variant>,
    out_len: *mut usize,
) -> pp_error {
    guard(|| {
        codec.ok_or(INVALID)?.run(|c| {
            let v = value(variant)?;
            out_ptr(out_len)?;
            let n = variant::encoded_len(v, &c.enc)?;
            // SAFETY: checked non-NULL; writable (caller's contract).
            unsafe { write_out(out_len, n) };
            Ok(())
        })
    })
}

/// Encodes `variant` with the codec's settings.
/// - `out_data`, `out_len`: receive a new buffer of exactly `*out_len` bytes; free it with
///   `pp_bytes_free(data, len)`.
///
/// Returns `PP_OK`, the encoder's error (see `pp_var_to_bytes`), or `PP_ERR_INVALID_PARAMETER` for
/// NULL pointers. Sets the codec's last error.
#[no_mangle]
pub extern "C" fn pp_codec_encode(
    codec: Option<&mut pp_codec>,
    variant: Option<&pp_variant>,
    out_data: *mut *mut u8,
    out_len: *mut usize,
) -> pp_error {
    guard(|| {
        codec.ok_or(INVALID)?.run(|c| {
            let v = value(variant)?;
            outs(&[out_data.cast(), out_len.cast()])?;
            let bytes = variant::encode(v, &c.enc)?;
            // SAFETY: both checked non-NULL; writable (caller's contract).
            unsafe { give_bytes(bytes, out_data, out_len) };
            Ok(())
        })
    })
}

/// Encodes `variant` with the codec's settings into your buffer.
/// - `buf`, `cap`: your buffer and its size; `(NULL, 0)` only asks for the size.
/// - `out_len`: receives the encoded length. When `cap` is too small the call returns
///   `PP_ERR_PARAMETER_RANGE_ERROR`, writes nothing to `buf`, and still sets `*out_len` to the size
///   needed (the one failure that writes an out-param).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` as above; the encoder's error (see
/// `pp_var_to_bytes`); `PP_ERR_INVALID_PARAMETER` for NULL pointers, `buf` NULL with `cap > 0`, or
/// `cap > INT32_MAX`. Sets the codec's last error.
#[no_mangle]
pub extern "C" fn pp_codec_encode_into(
    codec: Option<&mut pp_codec>,
    variant: Option<&pp_variant>,
    buf: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> pp_error {
    guard(|| {
        codec.ok_or(INVALID)?.run(|c| {
            let v = value(variant)?;
            out_ptr(out_len)?;
            check_buf(buf, cap)?;
            let bytes = variant::encode(v, &c.enc)?;
            // SAFETY: checked non-NULL; writable (caller's contract).
            unsafe { write_out(out_len, bytes.len()) };
            if bytes.len() > cap {
                return Err(RANGE.into());
            }
            if !bytes.is_empty() {
                // SAFETY: buf is non-NULL (cap >= len > 0) with cap writable bytes (caller's contract).
                unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf, bytes.len()) };
            }
            Ok(())
        })
    })
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
    codec: Option<&mut pp_codec>,
    data: *const u8,
    len: usize,
    out_variant: *mut *mut pp_variant,
    out_consumed: *mut usize,
) -> pp_error {
    guard(|| {
        codec.ok_or(INVALID)?.run(|c| {
            // SAFETY: (data, len) readable per the caller's contract.
            let bytes = unsafe { in_slice(data, len) }?;
            out_ptr(out_variant)?;
            let (v, used) = variant::decode(bytes, &c.dec)?;
            // SAFETY: out_variant checked non-NULL; out_consumed NULL or writable (caller's contract).
            unsafe {
                give(out_variant, v)?;
                if !out_consumed.is_null() {
                    write_out(out_consumed, used.min(len));
                }
            }
            Ok(())
        })
    })
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
    codec: Option<&pp_codec>,
    out_code: *mut pp_error,
    out_offset: *mut usize,
    out_reason: *mut *const c_char,
) -> pp_error {
    guard(|| {
        let c = codec.ok_or(INVALID)?;
        outs(&[out_code.cast(), out_offset.cast(), out_reason.cast()])?;
        // SAFETY: all checked non-NULL; writable (caller's contract).
        unsafe {
            write_out(out_code, c.last_code);
            write_out(out_offset, c.last_offset);
            write_out(out_reason, c.last_reason.as_ptr());
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr::{null, null_mut};

    const OK: pp_error = pp_error::PP_OK;

    /// Owns a handle for the test's duration.
    struct H(*mut pp_variant);
    impl Drop for H {
        fn drop(&mut self) {
            pp_variant_free(self.0);
        }
    }
    impl H {
        fn r(&self) -> Option<&pp_variant> {
            // SAFETY: a live handle owned by this guard.
            unsafe { self.0.as_ref() }
        }
        // Tests hand out the handle like C does: a raw pointer used by one call at a time.
        #[allow(clippy::mut_from_ref)]
        fn m(&self) -> Option<&mut pp_variant> {
            // SAFETY: a live handle owned by this guard, not otherwise borrowed during the call.
            unsafe { self.0.as_mut() }
        }
        fn v(&self) -> &Variant {
            &self.r().unwrap().v
        }
    }
    fn make(f: impl FnOnce(*mut *mut pp_variant) -> pp_error) -> H {
        let mut p = null_mut();
        assert_eq!(f(&mut p), OK);
        assert!(!p.is_null());
        H(p)
    }
    fn int(i: i64) -> H {
        make(|o| pp_variant_new_int(i, o))
    }
    fn string(s: &CStr) -> H {
        make(|o| pp_variant_new_string(s.as_ptr(), o))
    }
    fn view(data: *const c_char, len: usize) -> &'static str {
        // SAFETY: test-only; the views point into handles alive for the assertion.
        std::str::from_utf8(unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len) }).unwrap()
    }

    #[test]
    fn type_numbers_match_the_model() {
        for id in 0..VariantType::COUNT {
            let t = VariantType::from_id(id).unwrap();
            assert_eq!(pp_variant_type::from(t) as i32, id);
            // SAFETY: static NUL-terminated strings.
            let name = unsafe { CStr::from_ptr(pp_variant_type_name(id)) };
            assert_eq!(name.to_str().unwrap(), t.name());
        }
        assert_eq!(
            pp_variant_type::PP_VARIANT_TYPE_MAX as i32,
            VariantType::COUNT
        );
        for bad in [-1, 39, i32::MAX, i32::MIN] {
            // SAFETY: static NUL-terminated string.
            let name = unsafe { CStr::from_ptr(pp_variant_type_name(bad)) };
            assert_eq!(name, c"<invalid type>");
        }
        assert_eq!(
            pp_variant_get_type(None),
            pp_variant_type::PP_VARIANT_TYPE_NIL
        );
    }

    #[test]
    fn scalars_and_wrong_types() {
        let i = int(-5);
        let mut out = 0i64;
        assert_eq!(pp_variant_get_int(i.r(), &mut out), OK);
        assert_eq!(out, -5);
        let mut f = 0.0;
        assert_eq!(pp_variant_get_float(i.r(), &mut f), INVALID);
        assert_eq!(pp_variant_get_int(None, &mut out), INVALID);
        assert_eq!(pp_variant_get_int(i.r(), null_mut()), INVALID);
        assert_eq!(pp_variant_new_int(1, null_mut()), INVALID);
        assert_eq!(
            pp_variant_get_type(i.r()),
            pp_variant_type::PP_VARIANT_TYPE_INT
        );
        let v = make(|o| pp_variant_new_vector2(1.5, -2.0, o));
        let (mut x, mut y) = (0.0, 0.0);
        assert_eq!(pp_variant_get_vector2(v.r(), &mut x, &mut y), OK);
        assert_eq!((x, y), (1.5, -2.0));
        // All-or-nothing: one NULL out-param writes nothing.
        x = 9.0;
        assert_eq!(pp_variant_get_vector2(v.r(), &mut x, null_mut()), INVALID);
        assert_eq!(x, 9.0);
    }

    #[test]
    fn matrices_round_trip_in_wire_order() {
        let vals: Vec<f64> = (1..=16).map(f64::from).collect();
        let t = make(|o| pp_variant_new_transform3d(vals.as_ptr(), o));
        let mut out = [0.0; 12];
        assert_eq!(pp_variant_get_transform3d(t.r(), out.as_mut_ptr()), OK);
        assert_eq!(out[..], vals[..12]);
        let Variant::Transform3D(m) = t.v() else {
            panic!()
        };
        assert_eq!(m.basis.rows[0].y, 2.0);
        assert_eq!(m.origin.z, 12.0);
        let p = make(|o| pp_variant_new_projection(vals.as_ptr(), o));
        let mut out = [0.0; 16];
        assert_eq!(pp_variant_get_projection(p.r(), out.as_mut_ptr()), OK);
        assert_eq!(out[..], vals[..]);
        let Variant::Projection(m) = p.v() else {
            panic!()
        };
        assert_eq!(m.columns[1].x, 5.0);
        assert_eq!(pp_variant_new_basis(null(), &mut null_mut()), INVALID);
    }

    #[test]
    fn strings_views_and_copies() {
        let s = string(c"héllo");
        let (mut data, mut len) = (null(), 0usize);
        assert_eq!(pp_variant_get_string(s.r(), &mut data, &mut len), OK);
        assert_eq!(view(data, len), "héllo");
        // Exact fit needs len + 1.
        let mut buf = [0x55 as c_char; 7];
        let mut n = 0usize;
        assert_eq!(
            pp_variant_get_string_copy(s.r(), buf.as_mut_ptr(), 6, &mut n),
            RANGE
        );
        assert_eq!(n, 6);
        assert_eq!(buf[0], 0x55);
        assert_eq!(
            pp_variant_get_string_copy(s.r(), buf.as_mut_ptr(), 7, &mut n),
            OK
        );
        // SAFETY: NUL-terminated by the call.
        assert_eq!(
            unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str(),
            Ok("héllo")
        );
        // Size query.
        assert_eq!(
            pp_variant_get_string_copy(s.r(), null_mut(), 0, &mut n),
            RANGE
        );
        assert_eq!(n, 6);
        assert_eq!(
            pp_variant_get_string_copy(s.r(), null_mut(), 3, &mut n),
            INVALID
        );
        // Empty strings lend a valid pointer.
        let e = string(c"");
        assert_eq!(pp_variant_get_string(e.r(), &mut data, &mut len), OK);
        assert!(!data.is_null());
        assert_eq!(len, 0);
        // _n rejects NUL and bad UTF-8, accepts (NULL, 0).
        let mut p = null_mut();
        let with_nul = b"a\0b";
        assert_eq!(
            pp_variant_new_string_n(with_nul.as_ptr().cast(), 3, &mut p),
            INVALID
        );
        let bad = [0xffu8 as c_char];
        assert_eq!(pp_variant_new_string_n(bad.as_ptr(), 1, &mut p), INVALID);
        assert_eq!(pp_variant_new_string_n(null(), 1, &mut p), INVALID);
        let e = make(|o| pp_variant_new_string_n(null(), 0, o));
        assert_eq!(e.v(), &Variant::String("".into()));
        // STRING and STRING_NAME getters are strict.
        let n = make(|o| pp_variant_new_string_name(c"n".as_ptr(), o));
        assert_eq!(pp_variant_get_string(n.r(), &mut data, &mut len), INVALID);
        assert_eq!(pp_variant_get_string_name(n.r(), &mut data, &mut len), OK);
    }

    #[test]
    fn node_paths() {
        let p = make(|o| pp_variant_new_node_path(c"/root/a:prop".as_ptr(), o));
        let mut n = 0usize;
        assert_eq!(pp_variant_node_path_get_name_count(p.r(), &mut n), OK);
        assert_eq!(n, 2);
        let (mut data, mut len) = (null(), 0usize);
        assert_eq!(
            pp_variant_node_path_get_subname(p.r(), 0, &mut data, &mut len),
            OK
        );
        assert_eq!(view(data, len), "prop");
        assert_eq!(
            pp_variant_node_path_get_subname(p.r(), 1, &mut data, &mut len),
            RANGE
        );
        let names = [c"root".as_ptr(), c"a".as_ptr()];
        let subs = [c"prop".as_ptr()];
        let q =
            make(|o| pp_variant_new_node_path_parts(names.as_ptr(), 2, subs.as_ptr(), 1, true, o));
        assert!(pp_variant_equal(p.r(), q.r()));
        let mut buf = [0 as c_char; 32];
        assert_eq!(
            pp_variant_get_node_path(q.r(), buf.as_mut_ptr(), 32, null_mut()),
            OK
        );
        // SAFETY: NUL-terminated by the call.
        assert_eq!(unsafe { CStr::from_ptr(buf.as_ptr()) }, c"/root/a:prop");
        let mut out = null_mut();
        assert_eq!(
            pp_variant_new_node_path(c"a::b".as_ptr(), &mut out),
            INVALID
        );
        let empty = [c"".as_ptr()];
        assert_eq!(
            pp_variant_new_node_path_parts(empty.as_ptr(), 1, null(), 0, false, &mut out),
            INVALID
        );
    }

    #[test]
    fn array_append_self_and_copies() {
        let a = make(|o| pp_variant_new_array(o));
        let one = int(1);
        assert_eq!(pp_variant_array_append(a.0, one.0), OK);
        // Appending an array to itself appends a copy of its previous state.
        assert_eq!(pp_variant_array_append(a.0, a.0), OK);
        assert_eq!(a.v().to_string(), "[1, [1]]");
        let mut e = null_mut();
        assert_eq!(pp_variant_array_get(a.r(), 1, &mut e), OK);
        let e = H(e);
        // The copy is independent of the container.
        assert_eq!(pp_variant_array_append(e.0, one.0), OK);
        assert_eq!(a.v().to_string(), "[1, [1]]");
        assert_eq!(pp_variant_array_set(a.0, 0, e.0), OK);
        assert_eq!(a.v().to_string(), "[[1, 1], [1]]");
        assert_eq!(pp_variant_array_set(a.0, 2, e.0), RANGE);
        let mut n = 0;
        assert_eq!(pp_variant_array_size(a.r(), &mut n), OK);
        assert_eq!(n, 2);
        assert_eq!(pp_variant_array_remove_at(a.m(), 0), OK);
        assert_eq!(pp_variant_array_remove_at(a.m(), 5), RANGE);
        assert_eq!(pp_variant_array_clear(a.m()), OK);
        assert_eq!(pp_variant_array_append(null_mut(), one.0), INVALID);
        assert_eq!(pp_variant_array_append(a.0, null()), INVALID);
        assert_eq!(pp_variant_array_append(one.0, one.0), INVALID);
        assert_eq!(
            pp_variant_array_get(a.r(), MAX_SIZE + 1, &mut null_mut()),
            INVALID
        );
    }

    #[test]
    fn typed_arrays() {
        let a = make(|o| pp_variant_new_array(o));
        let one = int(1);
        let s = string(c"x");
        assert_eq!(pp_variant_array_append(a.0, s.0), OK);
        // An existing element must match the new type.
        assert_eq!(pp_variant_array_set_typed(a.m(), 1, 2, null()), INVALID);
        assert_eq!(pp_variant_array_clear(a.m()), OK);
        assert_eq!(pp_variant_array_set_typed(a.m(), 1, 2, null()), OK);
        assert_eq!(pp_variant_array_append(a.0, one.0), OK);
        assert_eq!(pp_variant_array_append(a.0, s.0), INVALID);
        let (mut kind, mut bt) = (
            pp_container_kind::PP_CONTAINER_KIND_NONE,
            pp_variant_type::PP_VARIANT_TYPE_NIL,
        );
        let (mut name, mut len) = (null(), 1usize);
        assert_eq!(
            pp_variant_array_get_typed(a.r(), &mut kind, &mut bt, &mut name, &mut len),
            OK
        );
        assert_eq!(kind, pp_container_kind::PP_CONTAINER_KIND_BUILTIN);
        assert_eq!(bt, pp_variant_type::PP_VARIANT_TYPE_INT);
        assert_eq!(len, 0);
        // Bad descriptors.
        assert_eq!(pp_variant_array_set_typed(a.m(), 1, 0, null()), INVALID);
        assert_eq!(pp_variant_array_set_typed(a.m(), 1, 39, null()), INVALID);
        assert_eq!(pp_variant_array_set_typed(a.m(), 4, 2, null()), INVALID);
        assert_eq!(pp_variant_array_set_typed(a.m(), 2, 0, null()), INVALID);
        assert_eq!(
            pp_variant_array_set_typed(a.m(), 3, 0, c"x.gd".as_ptr()),
            INVALID
        );
        // Class-typed arrays take objects and nil.
        let b = make(|o| pp_variant_new_array(o));
        assert_eq!(
            pp_variant_array_set_typed(b.m(), 2, 0, c"Node".as_ptr()),
            OK
        );
        let obj = make(|o| pp_variant_new_object_id(7, o));
        let nil = make(|o| pp_variant_new_nil(o));
        assert_eq!(pp_variant_array_append(b.0, obj.0), OK);
        assert_eq!(pp_variant_array_append(b.0, nil.0), OK);
        assert_eq!(pp_variant_array_append(b.0, one.0), INVALID);
        assert_eq!(
            pp_variant_array_get_typed(b.r(), &mut kind, &mut bt, &mut name, &mut len),
            OK
        );
        assert_eq!(kind, pp_container_kind::PP_CONTAINER_KIND_CLASS);
        assert_eq!(bt, pp_variant_type::PP_VARIANT_TYPE_OBJECT);
        assert_eq!(view(name, len), "Node");
    }

    #[test]
    fn dictionary_key_identity_and_order() {
        let d = make(|o| pp_variant_new_dictionary(o));
        let k_str = string(c"k");
        let k_name = make(|o| pp_variant_new_string_name(c"k".as_ptr(), o));
        let one = int(1);
        let one_f = make(|o| pp_variant_new_float(1.0, o));
        let nan1 = make(|o| pp_variant_new_float(f64::NAN, o));
        let nan2 = make(|o| pp_variant_new_float(-f64::NAN, o));
        assert_eq!(pp_variant_dictionary_set(d.0, k_str.0, one.0), OK);
        assert_eq!(pp_variant_dictionary_set(d.0, one.0, one.0), OK);
        assert_eq!(pp_variant_dictionary_set(d.0, one_f.0, one.0), OK);
        // Same key as "k": overwrites in place, keeps the original key.
        assert_eq!(pp_variant_dictionary_set(d.0, k_name.0, one_f.0), OK);
        assert_eq!(pp_variant_dictionary_set(d.0, nan1.0, one.0), OK);
        assert_eq!(pp_variant_dictionary_set(d.0, nan2.0, one_f.0), OK);
        assert_eq!(d.v().to_string(), r#"{ "k": 1.0, 1: 1, 1.0: 1, nan: 1.0 }"#);
        let mut has = false;
        assert_eq!(pp_variant_dictionary_has(d.r(), k_name.r(), &mut has), OK);
        assert!(has);
        let mut v = null_mut();
        assert_eq!(pp_variant_dictionary_get(d.r(), one_f.r(), &mut v), OK);
        drop(H(v));
        let mut k = null_mut();
        assert_eq!(pp_variant_dictionary_key_at(d.r(), 0, &mut k), OK);
        let k = H(k);
        assert_eq!(
            pp_variant_get_type(k.r()),
            pp_variant_type::PP_VARIANT_TYPE_STRING
        );
        assert_eq!(pp_variant_dictionary_key_at(d.r(), 4, &mut v), RANGE);
        assert_eq!(pp_variant_dictionary_erase(d.0, one.0), OK);
        assert_eq!(pp_variant_dictionary_erase(d.0, one.0), MISSING);
        assert_eq!(pp_variant_dictionary_get(d.r(), one.r(), &mut v), MISSING);
        // A dictionary may hold a copy of itself.
        assert_eq!(pp_variant_dictionary_set(d.0, d.0, d.0), OK);
        let mut n = 0;
        assert_eq!(pp_variant_dictionary_size(d.r(), &mut n), OK);
        assert_eq!(n, 4);
        // Typed: int keys only.
        let t = make(|o| pp_variant_new_dictionary(o));
        assert_eq!(
            pp_variant_dictionary_set_typed(t.m(), 1, 2, null(), 0, 0, null()),
            OK
        );
        assert_eq!(pp_variant_dictionary_set(t.0, one.0, k_str.0), OK);
        assert_eq!(pp_variant_dictionary_set(t.0, k_str.0, one.0), INVALID);
    }

    #[test]
    fn large_dictionaries_keep_identity_after_erase() {
        let d = make(|o| pp_variant_new_dictionary(o));
        let keys: Vec<H> = (0..40).map(int).collect();
        for k in &keys {
            assert_eq!(pp_variant_dictionary_set(d.0, k.0, k.0), OK);
        }
        for k in keys.iter().step_by(3) {
            assert_eq!(pp_variant_dictionary_erase(d.0, k.0), OK);
        }
        for (i, k) in keys.iter().enumerate() {
            let mut has = false;
            assert_eq!(pp_variant_dictionary_has(d.r(), k.r(), &mut has), OK);
            assert_eq!(has, i % 3 != 0, "key {i}");
        }
        let mut v = null_mut();
        assert_eq!(pp_variant_dictionary_get(d.r(), keys[7].r(), &mut v), OK);
        let v = H(v);
        let mut x = 0;
        assert_eq!(pp_variant_get_int(v.r(), &mut x), OK);
        assert_eq!(x, 7);
        let mut n = 0;
        assert_eq!(pp_variant_dictionary_size(d.r(), &mut n), OK);
        assert_eq!(n, 26);
    }

    #[test]
    fn nesting_is_capped_at_the_engine_limit() {
        // Copies, comparisons and frees never recurse per level (derived Clone, PartialEq and Drop
        // would need MiBs here in a debug build): a small stack is enough.
        std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(nesting_body)
            .unwrap()
            .join()
            .unwrap();
    }

    fn nesting_body() {
        let mut v = make(|o| pp_variant_new_array(o));
        for _ in 0..(MAX_NESTING - 1) {
            let outer = make(|o| pp_variant_new_array(o));
            assert_eq!(pp_variant_array_append(outer.0, v.0), OK);
            v = outer;
        }
        assert_eq!(height(v.v()), MAX_NESTING - 1);
        // One more level is still encodable (innermost array empty) ...
        let outer = make(|o| pp_variant_new_array(o));
        assert_eq!(pp_variant_array_append(outer.0, v.0), OK);
        // ... but nothing can go inside it any more.
        let top = make(|o| pp_variant_new_array(o));
        assert_eq!(
            pp_variant_array_append(top.0, outer.0),
            pp_error::PP_ERR_OUT_OF_MEMORY
        );
        let copy = make(|o| pp_variant_duplicate(outer.r(), o));
        assert!(pp_variant_equal(copy.r(), outer.r()));
        let mut inner = null_mut();
        assert_eq!(pp_variant_array_get(outer.r(), 0, &mut inner), OK);
        let inner = H(inner);
        assert_eq!(pp_variant_array_set(copy.0, 0, inner.0), OK);
        assert_eq!(pp_variant_array_clear(copy.m()), OK);
        let mut text = null_mut();
        assert_eq!(pp_variant_to_string(outer.r(), MAX_SIZE, &mut text), OK);
        // SAFETY: NUL-terminated string from the call.
        let t = unsafe { CStr::from_ptr(text) }.to_str().unwrap().to_owned();
        pp_string_free(text);
        assert!(t.len() < 200 && t.contains("[…]"), "{t}");
    }

    #[test]
    fn objects() {
        let o = make(|p| pp_variant_new_object_full(c"Node".as_ptr(), p));
        let one = int(1);
        let s = string(c"res://a.gd");
        let bad = string(c"a.gd");
        assert_eq!(
            pp_variant_object_set_property(o.0, c"x".as_ptr(), one.0),
            OK
        );
        assert_eq!(
            pp_variant_object_set_property(o.0, c"script".as_ptr(), s.0),
            OK
        );
        assert_eq!(
            pp_variant_object_set_property(o.0, c"script".as_ptr(), bad.0),
            INVALID
        );
        assert_eq!(pp_variant_object_set_property(o.0, c"x".as_ptr(), s.0), OK);
        let mut n = 0;
        assert_eq!(pp_variant_object_get_property_count(o.r(), &mut n), OK);
        assert_eq!(n, 2);
        let mut kind = pp_object_kind::PP_OBJECT_KIND_NULL;
        assert_eq!(pp_variant_get_object_kind(o.r(), &mut kind), OK);
        assert_eq!(kind, pp_object_kind::PP_OBJECT_KIND_FULL);
        let mut id = 5;
        assert_eq!(pp_variant_get_object_id(o.r(), &mut id), INVALID);
        let mut v = null_mut();
        assert_eq!(
            pp_variant_object_get_property(o.r(), c"nope".as_ptr(), &mut v),
            MISSING
        );
        assert_eq!(
            pp_variant_object_get_property(o.r(), c"x".as_ptr(), &mut v),
            OK
        );
        drop(H(v));
        let z = make(|p| pp_variant_new_object_id(0, p));
        assert_eq!(pp_variant_get_object_kind(z.r(), &mut kind), OK);
        assert_eq!(kind, pp_object_kind::PP_OBJECT_KIND_NULL);
        assert_eq!(pp_variant_get_object_id(z.r(), &mut id), OK);
        assert_eq!(id, 0);
        let mut p = null_mut();
        assert_eq!(pp_variant_new_object_full(c"".as_ptr(), &mut p), INVALID);
    }

    #[test]
    fn packed_arrays() {
        let xy = [1.0, 2.0, 3.0, 4.0];
        let a = make(|o| pp_variant_new_packed_vector2_array(xy.as_ptr(), 2, o));
        assert_eq!(pp_variant_packed_vector2_array_append(a.m(), 5.0, 6.0), OK);
        let (mut data, mut n) = (null(), 0usize);
        assert_eq!(
            pp_variant_get_packed_vector2_array(a.r(), &mut data, &mut n),
            OK
        );
        assert_eq!(n, 3);
        // SAFETY: 2 * n doubles lent by the variant.
        let flat = unsafe { std::slice::from_raw_parts(data, 2 * n) };
        assert_eq!(flat, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let (mut x, mut y) = (0.0, 0.0);
        assert_eq!(
            pp_variant_packed_vector2_array_get(a.r(), 1, &mut x, &mut y),
            OK
        );
        assert_eq!((x, y), (3.0, 4.0));
        assert_eq!(
            pp_variant_packed_vector2_array_set(a.m(), 3, 0.0, 0.0),
            RANGE
        );
        let mut size = 0;
        assert_eq!(pp_variant_packed_array_size(a.r(), &mut size), OK);
        assert_eq!(size, 3);
        // Empty arrays lend (NULL, 0).
        let b = make(|o| pp_variant_new_packed_byte_array(null(), 0, o));
        let (mut bytes, mut n) = (null(), 9usize);
        assert_eq!(
            pp_variant_get_packed_byte_array(b.r(), &mut bytes, &mut n),
            OK
        );
        assert!(bytes.is_null());
        assert_eq!(n, 0);
        assert_eq!(pp_variant_packed_byte_array_append(b.m(), 7), OK);
        let mut byte = 0;
        assert_eq!(pp_variant_packed_byte_array_get(b.r(), 0, &mut byte), OK);
        assert_eq!(byte, 7);
        // Wrong packed type, bad counts.
        assert_eq!(pp_variant_packed_int32_array_append(b.m(), 1), INVALID);
        let mut p = null_mut();
        assert_eq!(
            pp_variant_new_packed_int64_array(null(), 2, &mut p),
            INVALID
        );
        assert_eq!(
            pp_variant_new_packed_byte_array([0u8].as_ptr(), MAX_SIZE + 1, &mut p),
            INVALID
        );
        let strs = [c"a".as_ptr(), c"bc".as_ptr()];
        let s = make(|o| pp_variant_new_packed_string_array(strs.as_ptr(), 2, o));
        assert_eq!(
            pp_variant_packed_string_array_set(s.m(), 0, c"z".as_ptr()),
            OK
        );
        let mut buf = [0 as c_char; 4];
        assert_eq!(
            pp_variant_packed_string_array_get_copy(s.r(), 1, buf.as_mut_ptr(), 4, null_mut()),
            OK
        );
        // SAFETY: NUL-terminated by the call.
        assert_eq!(unsafe { CStr::from_ptr(buf.as_ptr()) }, c"bc");
        assert_eq!(s.v().to_string(), r#"["z", "bc"]"#);
        let with_null = [c"a".as_ptr(), null()];
        assert_eq!(
            pp_variant_new_packed_string_array(with_null.as_ptr(), 2, &mut p),
            INVALID
        );
    }

    #[test]
    fn duplicate_equal_to_string() {
        let d = make(|o| pp_variant_new_float(-0.0, o));
        let z = make(|o| pp_variant_new_float(0.0, o));
        assert!(!pp_variant_equal(d.r(), z.r()));
        let nan = make(|o| pp_variant_new_float(f64::NAN, o));
        let copy = make(|o| pp_variant_duplicate(nan.r(), o));
        assert!(pp_variant_equal(nan.r(), copy.r()));
        assert!(!pp_variant_equal(nan.r(), None));
        let bytes = make(|o| pp_variant_new_packed_byte_array([1u8; 4096].as_ptr(), 4096, o));
        let mut text = null_mut();
        assert_eq!(pp_variant_to_string(bytes.r(), 16, &mut text), OK);
        // SAFETY: NUL-terminated string from the call.
        let t = unsafe { CStr::from_ptr(text) }.to_str().unwrap().to_owned();
        pp_string_free(text);
        assert!(t.len() <= 16 && t.ends_with('…'), "{t}");
        assert_eq!(
            pp_variant_to_string(bytes.r(), MAX_SIZE + 1, &mut text),
            INVALID
        );
        pp_string_free(null_mut());
        pp_variant_free(null_mut());
        pp_bytes_free(null_mut(), 3);
        pp_codec_free(null_mut());
    }

    #[test]
    fn byte_buffers_free_exactly() {
        let mut data = null_mut();
        let mut len = 99;
        // SAFETY: both out-params are writable locals.
        unsafe { give_bytes(Vec::new(), &mut data, &mut len) };
        assert_eq!(len, 0);
        assert!(!data.is_null());
        pp_bytes_free(data, len);
        let mut v = Vec::with_capacity(64);
        v.extend_from_slice(&[1, 2, 3]);
        // SAFETY: as above.
        unsafe { give_bytes(v, &mut data, &mut len) };
        assert_eq!(len, 3);
        pp_bytes_free(data, len);
    }

    #[test]
    fn codec_settings_and_errors() {
        let mut c = null_mut();
        assert_eq!(pp_codec_new(&mut c), OK);
        // SAFETY: a live codec, freed at the end.
        let codec = || unsafe { c.as_mut() };
        assert_eq!(pp_codec_set_dialect(codec(), 2), INVALID);
        assert_eq!(pp_codec_set_dialect(codec(), 1), OK);
        assert_eq!(
            pp_codec_get_dialect(codec().map(|c| &*c)),
            pp_dialect::PP_DIALECT_REDOT_STRUCT
        );
        assert_eq!(pp_codec_set_max_depth(codec(), 1025), INVALID);
        assert_eq!(pp_codec_set_max_depth(codec(), 10), OK);
        assert_eq!(pp_codec_set_max_elements(codec(), usize::MAX), OK);
        assert_eq!(pp_codec_set_dialect(None, 0), INVALID);
        // An empty buffer never decodes; the failure is remembered.
        let mut v = null_mut();
        let r = pp_codec_decode(codec(), null(), 0, &mut v, null_mut());
        assert_ne!(r, OK);
        let (mut code, mut off, mut reason) = (OK, 1usize, null());
        assert_eq!(
            pp_codec_get_last_error(codec().map(|c| &*c), &mut code, &mut off, &mut reason),
            OK
        );
        assert_eq!(code, r);
        // SAFETY: NUL-terminated reason owned by the codec.
        assert!(!unsafe { CStr::from_ptr(reason) }.to_bytes().is_empty());
        // Argument errors are remembered too.
        let i = int(1);
        assert_eq!(
            pp_codec_encode(codec(), i.r(), null_mut(), &mut off),
            INVALID
        );
        assert_eq!(
            pp_codec_get_last_error(codec().map(|c| &*c), &mut code, &mut off, &mut reason),
            OK
        );
        assert_eq!(code, INVALID);
        assert_eq!(off, 0);
        pp_codec_free(c);
    }

    #[test]
    fn codec_round_trip_golden() {
        // {"k": 1} from wire-format.md §18.
        let golden: [u8; 28] = [
            0x1b, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0x6b, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0,
            0,
        ];
        let d = make(|o| pp_variant_new_dictionary(o));
        let k = string(c"k");
        let one = int(1);
        assert_eq!(pp_variant_dictionary_set(d.0, k.0, one.0), OK);
        let (mut data, mut len) = (null_mut(), 0usize);
        assert_eq!(pp_var_to_bytes(d.r(), false, &mut data, &mut len), OK);
        // SAFETY: len bytes from the call.
        assert_eq!(unsafe { std::slice::from_raw_parts(data, len) }, golden);
        pp_bytes_free(data, len);
        let back = make(|o| pp_bytes_to_var(golden.as_ptr(), golden.len(), false, o));
        assert!(pp_variant_equal(back.r(), d.r()));
        let mut c = null_mut();
        assert_eq!(pp_codec_new(&mut c), OK);
        // SAFETY: a live codec, freed at the end.
        let codec = || unsafe { c.as_mut() };
        let mut buf = [0u8; 28];
        let mut n = 0;
        assert_eq!(
            pp_codec_encode_into(codec(), d.r(), buf.as_mut_ptr(), 27, &mut n),
            RANGE
        );
        assert_eq!(n, 28);
        assert_eq!(
            pp_codec_encode_into(codec(), d.r(), buf.as_mut_ptr(), 28, &mut n),
            OK
        );
        assert_eq!(buf, golden);
        let mut trailing = golden.to_vec();
        trailing.extend_from_slice(&[9, 9, 9, 9]);
        let mut v = null_mut();
        assert_eq!(
            pp_codec_decode(codec(), trailing.as_ptr(), trailing.len(), &mut v, &mut n),
            OK
        );
        assert_eq!(n, 28);
        pp_variant_free(v);
        pp_codec_free(c);
    }
}
