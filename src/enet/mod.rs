//! ENet 1.3 (wire compatible with the C library and with Godot/Redot 4's ENet), in safe Rust.
//!
//! - [`protocol`]: datagram header and commands, parser and encoder.
#![forbid(unsafe_code)]

pub mod protocol;
