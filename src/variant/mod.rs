//! Godot 4's `Variant` and its binary encoding (`var_to_bytes` / `bytes_to_var`).
//!
//! The model keeps everything the wire can carry and nothing it cannot: objects are never
//! instantiated, callables carry nothing, real components are kept as `f64` so that values from
//! double-precision engine builds survive a round trip.
#![forbid(unsafe_code)]

pub mod codec;
pub mod pickle;
pub mod text;
mod value;

pub use codec::{
    decode, encode, encode_into, encoded_len, godot3_name, translate, translate_into,
    DecodeOptions, Dialect, EncodeOptions, Limits, TranslateError, VariantError,
};
pub use value::*;
