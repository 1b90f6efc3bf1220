//! Enums of the C API.

use super::*;

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
/// (`docs/wire-format.md` §9). `int32_t` in C.
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

/// Which type-id table the codec speaks (`docs/wire-format.md` §3). `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_dialect {
    /// Godot 4.3+ and Redot builds without STRUCT. The default.
    PP_DIALECT_GODOT4 = 0,
    /// Redot after the GDScript structs merge: STRUCT at 25, every later type id one higher.
    PP_DIALECT_REDOT_STRUCT = 1,
    /// Godot 3.x (`var2bytes` / `bytes2var`, `docs/wire-format.md` §19): Godot 3's type ids, RID
    /// without payload, math types always 32-bit, no typed containers. Values Godot 3 has no type
    /// for are refused with `PP_ERR_INVALID_PARAMETER` and a reason naming the type, unless the
    /// Godot 3 lossy option is on (`pp_codec_set_godot3_lossy`, `pp_set_var_godot3_lossy`).
    PP_DIALECT_GODOT3 = 2,
}

impl pp_dialect {
    /// The dialect for a C `int32_t`, or `PP_ERR_INVALID_PARAMETER` when it is not a `pp_dialect`.
    pub(crate) fn from_c(d: i32) -> Result<Dialect, pp_error> {
        const GODOT4: i32 = pp_dialect::PP_DIALECT_GODOT4 as i32;
        const REDOT_STRUCT: i32 = pp_dialect::PP_DIALECT_REDOT_STRUCT as i32;
        const GODOT3: i32 = pp_dialect::PP_DIALECT_GODOT3 as i32;
        match d {
            GODOT4 => Ok(Dialect::Godot4),
            REDOT_STRUCT => Ok(Dialect::RedotStruct),
            GODOT3 => Ok(Dialect::Godot3),
            _ => Err(INVALID),
        }
    }

    pub(crate) fn of(d: Dialect) -> pp_dialect {
        match d {
            Dialect::Godot4 => pp_dialect::PP_DIALECT_GODOT4,
            Dialect::RedotStruct => pp_dialect::PP_DIALECT_REDOT_STRUCT,
            Dialect::Godot3 => pp_dialect::PP_DIALECT_GODOT3,
        }
    }
}

c_enum_return!(
    pp_variant_type => pp_variant_type::PP_VARIANT_TYPE_NIL,
    pp_dialect => pp_dialect::PP_DIALECT_GODOT4,
);
