//! packetpeer: the Redot/Godot 4 PacketPeer family and binary Variant format in Rust, with a C ABI.
//!
//! Modules:
//! - [`error`]: Godot's `Error` codes as a Rust error type.
//! - [`variant`]: the Variant model and its binary codec (`docs/wire-format.md`).
//! - [`peer`]: PacketPeer and StreamPeer, PacketPeerStream, StreamPeerBuffer, the in-memory pipe
//!   (`docs/classes.md` §1–§6).
//! - [`net`]: PacketPeerUDP, UDPServer, StreamPeerTCP, TCPServer over OS sockets
//!   (`docs/classes.md` §4, §5, §7, §8).
//! - [`enet`]: ENet 1.3 in safe Rust, ENetConnection / ENetPacketPeer and ENetMultiplayerPeer
//!   (`docs/classes.md` §15–§18).
//! - [`multiplayer`]: MultiplayerPeer, OfflineMultiplayerPeer and the SceneMultiplayer framing
//!   (`docs/classes.md` §12–§14, Appendix B; `docs/scene-multiplayer.md`).
//! - [`ws`]: WebSocketPeer (own RFC 6455 handshake and frame codec; wss over StreamPeerTLS) and
//!   WebSocketMultiplayerPeer (`docs/classes.md` §19, §20; Godot 3 mode:
//!   `docs/godot3-multiplayer.md` §2).
//! - [`conditioner`]: a seeded network conditioner (loss, delay, jitter, duplication, reordering,
//!   bandwidth) for PacketPeerUDP and an ENetConnection's socket.
//! - [`ffi`]: the C ABI, the only module with `extern "C"` and raw pointers;
//!   `include/packetpeer.h` is generated from it.
//! - `simd` (private): bulk float conversions for the codec.
//!
//! `unsafe` lives only in `ffi`, `simd` and `net::sys` (the OS calls); the other modules are
//! `#![forbid(unsafe_code)]` and know nothing of C. Where we deliberately differ from the engine is
//! listed in `docs/engine-differences.md`.

pub mod conditioner;
pub mod enet;
pub mod error;
pub mod ffi;
pub mod multiplayer;
pub mod net;
pub mod peer;
pub mod tls;
pub mod variant;
pub mod webrtc;
pub mod ws;

mod real_vectors;
mod simd;
pub mod sync;

pub use error::{Error, Result};
