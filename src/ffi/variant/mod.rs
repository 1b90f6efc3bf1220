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
//!
//! Layout: one child module per group of calls, declared in the order of the generated header
//! (cbindgen reads them in this order). The child modules share the imports, limits and helpers of
//! this module through `use super::*`.
// Exports take raw pointers because they are the C ABI; each one documents the pointer contract.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

// Declared in the header's order: cbindgen emits each module's exports in declaration order, and
// the comments keep rustfmt from sorting the declarations.
// Enums of the C API.
mod enums;
// Helpers (the only non-export `unsafe fn`s; each states its contract).
mod helpers;
// Lifetime, type, copy, compare, text.
mod value;
// var_to_bytes / bytes_to_var.
mod bytes;
// Scalars and strings.
mod scalars;
// NodePath.
mod node_path;
// Object.
mod object;
// Array.
mod array;
// Dictionary.
mod dictionary;
// Packed arrays.
mod packed;
// Math types.
mod math;
// Packed arrays of numbers and vectors (generated pattern) and their helpers.
mod packed_numeric;
// The codec handle.
mod codec;
#[cfg(test)]
mod tests;

pub use array::*;
pub use bytes::*;
pub use codec::*;
pub use dictionary::*;
pub use enums::*;
pub use math::*;
pub use node_path::*;
pub use object::*;
pub use packed::*;
pub use packed_numeric::*;
pub use scalars::*;
pub use value::*;

// Shared by the child modules (they see it through `use super::*`).
use helpers::*;

use std::cell::{Ref, RefMut};
use std::ffi::{c_char, CStr, CString};

use super::boundary::{c_enum_return, OutParam};
use super::{
    ffi_boundary, free_handle, in_items, in_items_unbounded, in_slice, in_str, new_handle,
    new_variant, out, out_opt, owned_string, pp_error, pp_variant, try_ref, write_text, Castable,
    Excl, Out, INVALID,
};
use crate::variant::text::to_text_bounded;
use crate::variant::{
    self, Aabb, Array, Basis, Color, ContainerType, DecodeOptions, Dialect, Dictionary,
    EncodeOptions, FullObject, NodePath, Object, Plane, Projection, Quaternion, Rect2, Rect2i,
    Signal, Transform2D, Transform3D, Variant, VariantError, VariantType, Vector2, Vector2i,
    Vector3, Vector3i, Vector4, Vector4i, MAX_RECURSION_DEPTH,
};

type R = Result<(), pp_error>;

const RANGE: pp_error = pp_error::PP_ERR_PARAMETER_RANGE_ERROR;
const MISSING: pp_error = pp_error::PP_ERR_DOES_NOT_EXIST;
/// Godot sizes are `int`.
const MAX_SIZE: usize = i32::MAX as usize;
