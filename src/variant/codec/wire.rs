//! Wire constants: header bits and the per-dialect type-id tables (`docs/wire-format.md` §2, §3, §9).

use super::Dialect;
use crate::variant::VariantType;

/// Bit 16: 64-bit payload (INT, FLOAT, real_t types) or object-as-id (OBJECT).
pub const FLAG_64: u32 = 1 << 16;
pub const FLAG_OBJECT_AS_ID: u32 = 1 << 16;

/// Typed-container descriptor kinds (2-bit fields at bits 16 and 18).
pub const KIND_NONE: u32 = 0;
pub const KIND_BUILTIN: u32 = 1;
pub const KIND_CLASS_NAME: u32 = 2;
pub const KIND_SCRIPT: u32 = 3;
pub const KEY_KIND_SHIFT: u32 = 16;
pub const VALUE_KIND_SHIFT: u32 = 18;

/// The class name that stands for "an object sent by id" in typed-container descriptors.
pub const ENCODED_OBJECT_AS_ID: &str = "EncodedObjectAsID";

/// The STRUCT id in the redot-struct dialect.
const REDOT_STRUCT_ID: u32 = 25;

/// What a wire type id means in a dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireType {
    Type(VariantType),
    /// Redot's STRUCT: no decoder in the engine (ERR_BUG).
    Struct,
    /// ≥ VARIANT_MAX.
    Invalid,
}

/// Godot 3's `VARIANT_MAX` (`docs/wire-format.md` §19).
pub const GODOT3_VARIANT_MAX: u32 = 27;

/// Godot 3 wire id → model type (`docs/wire-format.md` §19). Ids 0–5 coincide with Godot 4.
const GODOT3_TYPES: [VariantType; GODOT3_VARIANT_MAX as usize] = {
    use VariantType::*;
    [
        Nil,
        Bool,
        Int,
        Float, // REAL
        String,
        Vector2,
        Rect2,
        Vector3,
        Transform2D,
        Plane,
        Quaternion, // QUAT
        Aabb,
        Basis,
        Transform3D, // TRANSFORM
        Color,
        NodePath,
        Rid, // _RID
        Object,
        Dictionary,
        Array,
        PackedByteArray,    // POOL_BYTE_ARRAY
        PackedInt32Array,   // POOL_INT_ARRAY
        PackedFloat32Array, // POOL_REAL_ARRAY
        PackedStringArray,  // POOL_STRING_ARRAY
        PackedVector2Array, // POOL_VECTOR2_ARRAY
        PackedVector3Array, // POOL_VECTOR3_ARRAY
        PackedColorArray,   // POOL_COLOR_ARRAY
    ]
};

/// Model type (Godot 4 id) → Godot 3 wire id, `NO_GODOT3_ID` for the types Godot 3 lacks.
const NO_GODOT3_ID: u8 = u8::MAX;
const GODOT3_IDS: [u8; VariantType::COUNT as usize] = {
    let mut t = [NO_GODOT3_ID; VariantType::COUNT as usize];
    let mut i = 0;
    while i < GODOT3_TYPES.len() {
        t[GODOT3_TYPES[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// The Godot 3 wire id of `t`, or None when Godot 3 has no such type (`docs/wire-format.md` §19).
#[inline]
pub fn godot3_id(t: VariantType) -> Option<u32> {
    match GODOT3_IDS[t as usize] {
        NO_GODOT3_ID => None,
        id => Some(u32::from(id)),
    }
}

/// The Godot 3.x name of `t` (`Variant::get_type_name` in 3.2), or None when Godot 3 has no such type.
pub fn godot3_name(t: VariantType) -> Option<&'static str> {
    const NAMES: [&str; GODOT3_VARIANT_MAX as usize] = [
        "Nil",
        "bool",
        "int",
        "float",
        "String",
        "Vector2",
        "Rect2",
        "Vector3",
        "Transform2D",
        "Plane",
        "Quat",
        "AABB",
        "Basis",
        "Transform",
        "Color",
        "NodePath",
        "RID",
        "Object",
        "Dictionary",
        "Array",
        "PoolByteArray",
        "PoolIntArray",
        "PoolRealArray",
        "PoolStringArray",
        "PoolVector2Array",
        "PoolVector3Array",
        "PoolColorArray",
    ];
    godot3_id(t).map(|id| NAMES[id as usize])
}

/// The id of `t` on the wire. For Godot 3 the caller has already refused or converted the types
/// Godot 3 lacks; should one get here anyway it is written as `VARIANT_MAX`, which every Godot 3
/// decoder rejects, never as some other type.
#[inline]
pub fn wire_id(t: VariantType, dialect: Dialect) -> u32 {
    let id = t as u32;
    match dialect {
        Dialect::RedotStruct if id >= REDOT_STRUCT_ID => id + 1,
        // Ids 0–5 coincide (§19): with a constant `t` this arm folds away for the hot types.
        Dialect::Godot3 if id > 5 => godot3_id(t).unwrap_or(GODOT3_VARIANT_MAX),
        _ => id,
    }
}

/// The meaning of wire id `id` (any u32; the header's low byte or a descriptor word).
#[inline]
pub fn from_wire_id(id: u32, dialect: Dialect) -> WireType {
    let godot4 = match dialect {
        Dialect::Godot4 => id,
        Dialect::Godot3 => {
            return match GODOT3_TYPES.get(id as usize) {
                Some(&t) => WireType::Type(t),
                None => WireType::Invalid,
            }
        }
        Dialect::RedotStruct => {
            if id == REDOT_STRUCT_ID {
                return WireType::Struct;
            } else if id > REDOT_STRUCT_ID {
                id - 1
            } else {
                id
            }
        }
    };
    match i32::try_from(godot4).ok().and_then(VariantType::from_id) {
        Some(t) => WireType::Type(t),
        None => WireType::Invalid,
    }
}

/// [`from_wire_id`] of every header low byte in `dialect`, as one table: the decoder looks a
/// value's type up with one load instead of branching on the dialect per value.
pub fn wire_types(dialect: Dialect) -> &'static [WireType; 256] {
    static TABLES: std::sync::OnceLock<[[WireType; 256]; 3]> = std::sync::OnceLock::new();
    const DIALECTS: [Dialect; 3] = [Dialect::Godot4, Dialect::RedotStruct, Dialect::Godot3];
    let tables = TABLES.get_or_init(|| {
        let mut t = [[WireType::Invalid; 256]; 3];
        for (table, d) in t.iter_mut().zip(DIALECTS) {
            for (id, w) in table.iter_mut().enumerate() {
                *w = from_wire_id(id as u32, d);
            }
        }
        t
    });
    match dialect {
        Dialect::Godot4 => &tables[0],
        Dialect::RedotStruct => &tables[1],
        Dialect::Godot3 => &tables[2],
    }
}

/// `pad4(n)`: zero bytes after `n` bytes so the next item is 4-aligned.
#[inline]
pub fn pad4(n: usize) -> usize {
    (4 - n % 4) % 4
}
