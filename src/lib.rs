//! packetpeer: the Redot/Godot 4 PacketPeer family and binary Variant format in Rust, with a C ABI.
//!
//! The core (`error`, `variant`, `peer`) is safe Rust that knows nothing of C; `ffi` is the only
//! module with `extern "C"` and raw pointers, and `include/packetpeer.h` is generated from it.

pub mod enet;
pub mod error;
pub mod ffi;
pub mod multiplayer;
pub mod net;
pub mod peer;
pub mod variant;
pub mod ws;

mod real_vectors;
mod simd;
pub mod sync;

pub use error::{Error, Result};
