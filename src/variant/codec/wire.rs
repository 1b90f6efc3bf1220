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

/// The id of `t` on the wire.
#[inline]
pub fn wire_id(t: VariantType, dialect: Dialect) -> u32 {
    let id = t as u32;
    match dialect {
        Dialect::RedotStruct if id >= REDOT_STRUCT_ID => id + 1,
        _ => id,
    }
}

/// The meaning of wire id `id` (any u32; the header's low byte or a descriptor word).
#[inline]
pub fn from_wire_id(id: u32, dialect: Dialect) -> WireType {
    let godot4 = match dialect {
        Dialect::Godot4 => id,
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

/// `pad4(n)`: zero bytes after `n` bytes so the next item is 4-aligned.
#[inline]
pub fn pad4(n: usize) -> usize {
    (4 - n % 4) % 4
}
