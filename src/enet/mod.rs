//! ENet 1.3 in safe Rust, wire compatible with the C library and with Godot/Redot 4's ENet (`docs/classes.md` §18).
//!
//! - [`protocol`]: datagram header and the 12 commands (big-endian), bounded no-panic parser, encoder.
//! - [`host`]: the sans-IO host/peer state machine ([`Host`]): fed with received datagrams, producing
//!   datagrams through a [`Transport`] and events; handshake, acknowledgements, reliable windows,
//!   sequencing, unsequenced groups, fragments, ping/RTT/throttle, bandwidth limits, timeouts,
//!   bundling of up to 32 commands per datagram, optional CRC32.
//! - [`socket`]: the UDP transport (dual-stack, like Godot's patched ENet socket).
//! - [`range_coder`]: ENet's range coder, bit-exact with `enet_host_compress_with_range_coder`.
//! - [`compress`]: the compressors of `ENetConnection.compress()` (range coder, FastLZ, zlib, zstd).
//! - [`connection`]: Godot's `ENetConnection` / `ENetPacketPeer` API on top of the host.
//!
//! Hostile input is bounded: per-peer received data waiting for reassembly, ordering or delivery is
//! capped (`HostConfig::maximum_waiting_data`, 32 MiB like ENet, charged per stored command too),
//! fragment reassembly allocates only for fragments that arrived, and refused input is counted in
//! [`host::Anomalies`].
//!
//! Known difference from C ENet (not visible on the wire): unsequenced packets are delivered as soon as
//! they arrive; C ENet may hold one behind sequenced-unreliable packets still waiting for a reliable
//! predecessor on the same channel.
#![forbid(unsafe_code)]

pub mod compress;
pub mod connection;
pub mod host;
pub mod multiplayer;
pub mod protocol;
pub mod range_coder;
pub mod socket;

pub use host::{Event, Host, HostConfig, Packet, PeerState, SendError, Transport};
pub use socket::UdpTransport;
