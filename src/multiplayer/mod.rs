//! MultiplayerPeer (`docs/classes.md` §12): a PacketPeer that talks to several remote peers identified by
//! integer IDs, plus the classes that need no network: [`OfflineMultiplayerPeer`] (`docs/classes.md` §14) and the
//! SceneMultiplayer framing helpers ([`scene`], `docs/classes.md` Appendix B).
//!
//! Godot's `peer_connected` / `peer_disconnected` signals become [`MultiplayerEvent`]s in a bounded
//! [`EventQueue`] that the caller drains with [`MultiplayerPeer::pop_event`] (after `poll`, where the
//! engine would have emitted them).
//!
//! A transport plugs in by implementing [`MultiplayerPeer`] next to `PacketPeer`, holding a
//! [`MultiplayerBase`]; the C API declares it with `multiplayer_object!` (in `ffi`), which is how it
//! recognises a multiplayer handle: every `pp_multiplayer_peer_*` call then works on its `pp_peer`
//! with no further C code. Its own calls (e.g. `pp_enet_multiplayer_peer_create_server`) go in its
//! ffi file through `with_class`. In `poll` it pushes `peer_connected` /
//! `peer_disconnected` with `mp_base().events.push(..)`; `put_packet` routes with
//! [`Target::parse`] / [`Target::select`] over its connected IDs and reads `transfer_mode` /
//! `transfer_channel` from the base (the provided setters validate them); a client draws its ID with
//! [`generate_unique_id`]; `get_unique_id` is `Ok(0)` while inactive, like Godot.
#![forbid(unsafe_code)]

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};
use crate::peer::PacketPeer;

pub mod events;
pub mod offline;
pub mod scene;

pub use events::{EventQueue, MultiplayerEvent, DEFAULT_EVENT_QUEUE_CAPACITY};
pub use offline::OfflineMultiplayerPeer;

/// `TARGET_PEER_BROADCAST`: every connected peer.
pub const TARGET_PEER_BROADCAST: i32 = 0;
/// `TARGET_PEER_SERVER`: the server's ID, always 1.
pub const TARGET_PEER_SERVER: i32 = 1;
/// Highest valid peer ID (IDs travel as 32-bit values; IDs ≥ 2^31 are invalid).
pub const MAX_PEER_ID: i32 = i32::MAX;
/// Highest valid transfer channel (`transfer_channel` hint 0..255).
pub const MAX_TRANSFER_CHANNEL: i32 = 255;

/// Godot's `MultiplayerPeer.TransferMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[repr(i32)]
pub enum TransferMode {
    Unreliable = 0,
    UnreliableOrdered = 1,
    #[default]
    Reliable = 2,
}

impl TryFrom<i32> for TransferMode {
    type Error = Error;
    /// Unknown numbers are `ERR_INVALID_PARAMETER`.
    fn try_from(v: i32) -> Result<TransferMode> {
        match v {
            0 => Ok(TransferMode::Unreliable),
            1 => Ok(TransferMode::UnreliableOrdered),
            2 => Ok(TransferMode::Reliable),
            _ => Err(Error::InvalidParameter),
        }
    }
}

/// Godot's `MultiplayerPeer.ConnectionStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[repr(i32)]
pub enum ConnectionStatus {
    #[default]
    Disconnected = 0,
    Connecting = 1,
    Connected = 2,
}

impl TryFrom<i32> for ConnectionStatus {
    type Error = Error;
    /// Unknown numbers are `ERR_INVALID_PARAMETER`.
    fn try_from(v: i32) -> Result<ConnectionStatus> {
        match v {
            0 => Ok(ConnectionStatus::Disconnected),
            1 => Ok(ConnectionStatus::Connecting),
            2 => Ok(ConnectionStatus::Connected),
            _ => Err(Error::InvalidParameter),
        }
    }
}

/// What a `set_target_peer` value means (`docs/classes.md` §12: 0 = all, N > 0 = that peer, −N = all but N).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// 0: every connected peer.
    Broadcast,
    /// N > 0: only peer N.
    Peer(i32),
    /// −N: every connected peer except N.
    AllExcept(i32),
}

impl Target {
    /// Reads a target value. `i32::MIN` would mean "all but 2^31", an ID that cannot exist, so it is
    /// `ERR_INVALID_PARAMETER` (the only value refused).
    pub fn parse(target: i32) -> Result<Target> {
        match target {
            0 => Ok(Target::Broadcast),
            t if t > 0 => Ok(Target::Peer(t)),
            i32::MIN => Err(Error::InvalidParameter),
            t => Ok(Target::AllExcept(-t)),
        }
    }

    /// The value `set_target_peer` takes for this target.
    pub fn to_i32(self) -> i32 {
        match self {
            Target::Broadcast => 0,
            Target::Peer(id) => id,
            Target::AllExcept(id) => -id,
        }
    }

    /// Whether a packet sent to this target goes to `peer`.
    pub fn includes(self, peer: i32) -> bool {
        match self {
            Target::Broadcast => true,
            Target::Peer(id) => id == peer,
            Target::AllExcept(id) => id != peer,
        }
    }

    /// The peers of `peers` (the connected IDs, in any order) this target reaches, in that order.
    pub fn select<'a>(self, peers: impl IntoIterator<Item = &'a i32>) -> impl Iterator<Item = i32> {
        peers
            .into_iter()
            .copied()
            .filter(move |p| self.includes(*p))
    }
}

/// Whether `id` is a valid peer ID (1..=2^31−1).
pub fn is_valid_peer_id(id: i32) -> bool {
    id >= 1
}

/// Godot's `generate_unique_id()`: a random ID in 2..=2^31−1 (never 0 or 1, the broadcast and server
/// IDs). Randomness comes from std's `RandomState` (keys seeded from the OS) hashed with the clock, a
/// process-wide counter and a per-thread address, so IDs differ between calls, threads and processes.
pub fn generate_unique_id() -> i32 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    loop {
        let mut h = RandomState::new().build_hasher();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        h.write_u128(now);
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        // The address of a thread-local tells threads apart without allocating (unlike
        // `thread::current()`, which leaks a handle on threads Rust did not start).
        thread_local! { static MARK: u8 = const { 0 }; }
        MARK.with(|m| h.write_usize(m as *const u8 as usize));
        let v = (h.finish() & 0x7fff_ffff) as i32;
        if v >= 2 {
            return v;
        }
    }
}

/// Checks a transfer channel (0..=255): anything else is `ERR_INVALID_PARAMETER`.
pub fn check_transfer_channel(channel: i32) -> Result<()> {
    if (0..=MAX_TRANSFER_CHANNEL).contains(&channel) {
        Ok(())
    } else {
        Err(Error::InvalidParameter)
    }
}

/// State every MultiplayerPeer carries (the engine's MultiplayerPeer base fields) plus the event queue
/// that stands in for its signals.
#[derive(Debug, Default)]
pub struct MultiplayerBase {
    /// `transfer_mode` property (default RELIABLE).
    pub transfer_mode: TransferMode,
    /// `transfer_channel` property (default 0; 0..=255).
    pub transfer_channel: i32,
    /// `refuse_new_connections` property (default false).
    pub refuse_new_connections: bool,
    /// `peer_connected` / `peer_disconnected`, queued for the caller.
    pub events: EventQueue,
}

/// Godot's `MultiplayerPeer`. Methods whose engine version returns `void` return `Result<()>` so a
/// transport can say why nothing happened (e.g. `poll` on an inactive peer → `ERR_UNCONFIGURED`).
pub trait MultiplayerPeer: PacketPeer {
    fn mp_base(&self) -> &MultiplayerBase;
    fn mp_base_mut(&mut self) -> &mut MultiplayerBase;

    /// Destination of the following `put_packet`s: 0 broadcast, N a peer, −N all but N
    /// (see [`Target::parse`]).
    fn set_target_peer(&mut self, target: i32) -> Result<()>;
    /// Sender of the packet the next `get_packet` returns.
    fn get_packet_peer(&self) -> i32;
    /// Transfer mode of the packet the next `get_packet` returns.
    fn get_packet_mode(&self) -> Result<TransferMode>;
    /// Channel of the packet the next `get_packet` returns.
    fn get_packet_channel(&self) -> i32;
    /// Processes network events; queues `peer_connected`/`peer_disconnected` events.
    fn poll(&mut self) -> Result<()>;
    /// Back to DISCONNECTED at once; remote peers are dropped without `peer_disconnected`.
    fn close(&mut self) -> Result<()>;
    /// Disconnects one peer; with `force`, no `peer_disconnected` event is queued for it.
    fn disconnect_peer(&mut self, peer: i32, force: bool) -> Result<()>;
    /// This peer's ID (1 for a server). A transport that is not active returns `Ok(0)`, as Godot does.
    fn get_unique_id(&self) -> Result<i32>;
    fn is_server(&self) -> bool;
    fn get_connection_status(&self) -> Result<ConnectionStatus>;

    /// Sets `transfer_channel`; outside 0..=255 is `ERR_INVALID_PARAMETER` (no change).
    fn set_transfer_channel(&mut self, channel: i32) -> Result<()> {
        check_transfer_channel(channel)?;
        self.mp_base_mut().transfer_channel = channel;
        Ok(())
    }
    fn get_transfer_channel(&self) -> i32 {
        self.mp_base().transfer_channel
    }
    fn set_transfer_mode(&mut self, mode: TransferMode) -> Result<()> {
        self.mp_base_mut().transfer_mode = mode;
        Ok(())
    }
    fn get_transfer_mode(&self) -> Result<TransferMode> {
        Ok(self.mp_base().transfer_mode)
    }
    fn set_refuse_new_connections(&mut self, refuse: bool) -> Result<()> {
        self.mp_base_mut().refuse_new_connections = refuse;
        Ok(())
    }
    fn is_refusing_new_connections(&self) -> bool {
        self.mp_base().refuse_new_connections
    }
    /// True tells SceneMultiplayer to announce peers and relay through the server. Default false.
    fn is_server_relay_supported(&self) -> bool {
        false
    }
    /// A random ID in 2..=2^31−1 ([`generate_unique_id`]).
    fn generate_unique_id(&self) -> i32 {
        generate_unique_id()
    }
    /// Takes the oldest queued event (`None` when empty).
    fn pop_event(&mut self) -> Option<MultiplayerEvent> {
        self.mp_base().events.pop()
    }
}
