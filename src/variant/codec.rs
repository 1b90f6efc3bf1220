//! Encoder and decoder. PLACEHOLDER SIGNATURES: the codec work (issue 2) replaces the bodies;
//! the public signatures below are the contract the rest of the crate codes against.

use super::Variant;
use crate::error::Error;

/// Which type-id table is on the wire (`wire-format.md` §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// Godot 4.3+ and Redot without STRUCT.
    #[default]
    Godot4,
    /// Redot master after the GDScript structs merge: STRUCT at 25, later ids shifted by one.
    RedotStruct,
}

/// Bounds on what one decode may build. The default never allocates more than the input can describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Maximum nesting depth (the engine's `MAX_RECURSION_DEPTH`, 1024).
    pub max_depth: u32,
    /// Maximum number of values (elements, keys, values, properties, packed items) in one decode.
    pub max_elements: usize,
    /// Maximum bytes the decoded value may hold in memory.
    pub max_bytes: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EncodeOptions {
    /// Send objects in full instead of as instance ids (`full_objects`).
    pub full_objects: bool,
    /// Encode real_t components as f64 with FLAG_64, like a `precision=double` engine build.
    pub real_is_double: bool,
    pub dialect: Dialect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Accept objects sent in full (`allow_objects`); otherwise they fail with ERR_UNAUTHORIZED.
    pub allow_objects: bool,
    pub dialect: Dialect,
    pub limits: Limits,
}

/// A codec failure: the engine's Error code, the byte offset where it was detected, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} at byte {offset}: {reason}")]
pub struct VariantError {
    pub code: Error,
    pub offset: usize,
    pub reason: &'static str,
}

/// Bytes `encode` would produce for `v`.
pub fn encoded_len(v: &Variant, opts: &EncodeOptions) -> Result<usize, VariantError> {
    let _ = (v, opts);
    Err(VariantError {
        code: Error::Bug,
        offset: 0,
        reason: "codec not built yet",
    })
}

/// Appends the encoding of `v` to `out`. On error `out` is left as it was.
pub fn encode_into(
    v: &Variant,
    opts: &EncodeOptions,
    out: &mut Vec<u8>,
) -> Result<(), VariantError> {
    let _ = (v, opts, out);
    Err(VariantError {
        code: Error::Bug,
        offset: 0,
        reason: "codec not built yet",
    })
}

/// The encoding of `v`.
pub fn encode(v: &Variant, opts: &EncodeOptions) -> Result<Vec<u8>, VariantError> {
    let mut out = Vec::new();
    encode_into(v, opts, &mut out)?;
    Ok(out)
}

/// Decodes one value from the start of `data`; returns it with the bytes consumed (clamped to
/// `data.len()`). Trailing bytes are not an error.
pub fn decode(data: &[u8], opts: &DecodeOptions) -> Result<(Variant, usize), VariantError> {
    let _ = (data, opts);
    Err(VariantError {
        code: Error::Bug,
        offset: 0,
        reason: "codec not built yet",
    })
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 1024,
            max_elements: usize::MAX,
            max_bytes: usize::MAX,
        }
    }
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            allow_objects: false,
            dialect: Dialect::Godot4,
            limits: Limits::default(),
        }
    }
}
