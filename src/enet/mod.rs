//! ENet 1.3 (wire compatible with the C library and with Godot/Redot 4's ENet), in safe Rust.
//!
//! - [`protocol`]: datagram header and commands, parser and encoder.
//! - [`host`]: the sans-IO host/peer state machine (`Host`), fed with datagrams, producing datagrams
//!   and events through a [`host::Transport`].
//! - [`socket`]: the UDP transport.
#![forbid(unsafe_code)]

pub mod compress;
pub mod connection;
pub mod host;
pub mod protocol;
pub mod range_coder;
pub mod socket;

pub use host::{Event, Host, HostConfig, Packet, PeerState, Transport};
pub use socket::UdpTransport;
