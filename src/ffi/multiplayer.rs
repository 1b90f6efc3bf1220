//! MultiplayerPeer C API (`docs/classes.md` §12–§14, Appendix B): the calls every multiplayer `pp_peer`
//! answers (`pp_multiplayer_peer_*`), its event queue (Godot's `peer_connected` / `peer_disconnected`
//! signals), OfflineMultiplayerPeer, MultiplayerPeerExtension (a multiplayer peer implemented by C
//! callbacks) and the SceneMultiplayer framing helpers (`pp_scene_multiplayer_*`).
//!
//! A multiplayer `pp_peer` is also a plain PacketPeer: `pp_put_packet`, `pp_get_packet`,
//! `pp_get_available_packet_count`, `pp_put_var`, `pp_get_var` and `pp_peer_free` work on it.
//! The `pp_multiplayer_peer_*` calls on a handle of another class return `PP_ERR_INVALID_PARAMETER`.
//!
//! Handles here arrive as `pp_peer *` but are only ever used through shared references (the object
//! sits behind a mutex), so an extension callback may re-enter the emit calls while its own call is
//! running.
// Exports take C pointers by contract (documented per call); they are not `unsafe fn` for C.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use std::cell::RefCell;
use std::ffi::c_void;
use std::mem::offset_of;
use std::ptr;
use std::sync::Arc;

use super::{
    cb_packet, cb_result, ffi_boundary, in_slice, map, new_handle, new_peer, out, pp_error,
    pp_peer, read_table, try_ref, SharedPeer, INVALID,
};
use crate::error::{Error, Result};
use crate::multiplayer::scene::{self, SceneCommand, ScenePacket, SysCommand};
use crate::multiplayer::{
    check_transfer_channel, is_valid_peer_id, ConnectionStatus, EventQueue, MultiplayerBase,
    MultiplayerEvent, MultiplayerPeer, OfflineMultiplayerPeer, Target, TransferMode,
};
use crate::peer::{PacketPeer, PeerBase};
use crate::sync::shared;

/// `TARGET_PEER_BROADCAST`: `pp_multiplayer_peer_set_target_peer` value that sends to every peer.
pub const PP_MULTIPLAYER_PEER_TARGET_PEER_BROADCAST: i32 = 0;
/// `TARGET_PEER_SERVER`: the server's peer ID, always 1.
pub const PP_MULTIPLAYER_PEER_TARGET_PEER_SERVER: i32 = 1;

/// Godot's `MultiplayerPeer.TransferMode`. Passed and returned as `int32_t`.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_multiplayer_peer_transfer_mode {
    /// Packets may be lost, duplicated or reordered.
    PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE = 0,
    /// Packets may be lost but arrive in order (late ones are dropped).
    PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE_ORDERED = 1,
    /// Packets arrive, once, in order. The default.
    PP_MULTIPLAYER_PEER_TRANSFER_MODE_RELIABLE = 2,
}

/// Godot's `MultiplayerPeer.ConnectionStatus`. Returned as `int32_t`.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_multiplayer_peer_connection_status {
    PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED = 0,
    PP_MULTIPLAYER_PEER_CONNECTION_CONNECTING = 1,
    PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED = 2,
}

impl From<TransferMode> for pp_multiplayer_peer_transfer_mode {
    fn from(m: TransferMode) -> Self {
        use pp_multiplayer_peer_transfer_mode::*;
        match m {
            TransferMode::Unreliable => PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE,
            TransferMode::UnreliableOrdered => PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE_ORDERED,
            TransferMode::Reliable => PP_MULTIPLAYER_PEER_TRANSFER_MODE_RELIABLE,
        }
    }
}

impl From<ConnectionStatus> for pp_multiplayer_peer_connection_status {
    fn from(s: ConnectionStatus) -> Self {
        use pp_multiplayer_peer_connection_status::*;
        match s {
            ConnectionStatus::Disconnected => PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED,
            ConnectionStatus::Connecting => PP_MULTIPLAYER_PEER_CONNECTION_CONNECTING,
            ConnectionStatus::Connected => PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED,
        }
    }
}

/// Kind of a `pp_multiplayer_event`.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_multiplayer_event_type {
    /// Godot's `peer_connected(id)` signal.
    PP_MULTIPLAYER_EVENT_PEER_CONNECTED = 0,
    /// Godot's `peer_disconnected(id)` signal.
    PP_MULTIPLAYER_EVENT_PEER_DISCONNECTED = 1,
    /// The event queue was full: `dropped` events that belonged here were lost (the events before and
    /// after this one are intact and in order).
    PP_MULTIPLAYER_EVENT_OVERFLOW = 2,
    /// A client's connection attempt failed because the server (`peer_id` 1) did not answer within
    /// ENet's peer timeout (31.5 s by default: a closed port, a wrong address, a server that never
    /// accepted); the peer is DISCONNECTED. Without this event the only sign is the status going from
    /// CONNECTING to DISCONNECTED (what Godot's SceneMultiplayer reports as `connection_failed`). A
    /// server that accepts and then drops the client gives `PP_MULTIPLAYER_EVENT_PEER_DISCONNECTED`.
    PP_MULTIPLAYER_EVENT_CONNECT_TIMED_OUT = 3,
    /// A client's connection attempt failed because the server's OS refused it: nothing listens on
    /// that port (ICMP port unreachable). Reported as soon as the OS says so (Linux: within a
    /// service step or two, instead of ENet's 31.5 s timeout); the peer (`peer_id` 1) is
    /// DISCONNECTED. Where the OS does not tell (other systems, a firewall that drops silently) the
    /// attempt ends with `PP_MULTIPLAYER_EVENT_CONNECT_TIMED_OUT` instead. The reason in words:
    /// `pp_enet_multiplayer_peer_get_last_error_text`.
    PP_MULTIPLAYER_EVENT_CONNECT_REFUSED = 4,
}

/// One event popped by `pp_multiplayer_peer_pop_event`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct pp_multiplayer_event {
    /// What happened.
    pub kind: pp_multiplayer_event_type,
    /// The peer that connected or disconnected; 0 for `PP_MULTIPLAYER_EVENT_OVERFLOW`.
    pub peer_id: i32,
    /// `PP_MULTIPLAYER_EVENT_OVERFLOW`: how many events were lost (saturates at `UINT32_MAX`); else 0.
    pub dropped: u32,
}

impl From<MultiplayerEvent> for pp_multiplayer_event {
    fn from(e: MultiplayerEvent) -> Self {
        use pp_multiplayer_event_type::*;
        let (kind, peer_id, dropped) = match e {
            MultiplayerEvent::PeerConnected(id) => (PP_MULTIPLAYER_EVENT_PEER_CONNECTED, id, 0),
            MultiplayerEvent::PeerDisconnected(id) => {
                (PP_MULTIPLAYER_EVENT_PEER_DISCONNECTED, id, 0)
            }
            MultiplayerEvent::Overflow { dropped } => (PP_MULTIPLAYER_EVENT_OVERFLOW, 0, dropped),
            MultiplayerEvent::ConnectTimedOut(id) => {
                (PP_MULTIPLAYER_EVENT_CONNECT_TIMED_OUT, id, 0)
            }
            MultiplayerEvent::ConnectRefused(id) => (PP_MULTIPLAYER_EVENT_CONNECT_REFUSED, id, 0),
        };
        pp_multiplayer_event {
            kind,
            peer_id,
            dropped,
        }
    }
}

/// Runs `f` on the handle's MultiplayerPeer; NULL or another class is `PP_ERR_INVALID_PARAMETER`,
/// a call from one of the peer's own callbacks `PP_ERR_LOCKED`. `peer` is an export's argument, under
/// its contract.
fn with_mp<R>(
    peer: *mut pp_peer,
    f: impl FnOnce(&mut dyn MultiplayerPeer) -> Result<R>,
) -> std::result::Result<R, pp_error> {
    let mut g = try_ref!(peer).lock()?;
    let mp = g.as_multiplayer_mut().ok_or(INVALID)?;
    map(f(mp))
}

/// Shared body of the getters: checks `out`, runs `f`, writes `out` on success.
fn get<T>(
    peer: *mut pp_peer,
    out: *mut T,
    f: impl FnOnce(&mut dyn MultiplayerPeer) -> Result<T>,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out);
        let v = with_mp(peer, f)?;
        out.write(v);
        Ok(())
    }
}

/// Shared body of the calls without an output.
fn call(peer: *mut pp_peer, f: impl FnOnce(&mut dyn MultiplayerPeer) -> Result<()>) -> pp_error {
    ffi_boundary! { with_mp(peer, f) }
}

/// Sets where the following `pp_put_packet` calls go: `PP_MULTIPLAYER_PEER_TARGET_PEER_BROADCAST` (0)
/// every peer, N > 0 peer N (`PP_MULTIPLAYER_PEER_TARGET_PEER_SERVER` = 1 is the server), −N every
/// peer except N.
///
/// - `peer`: a multiplayer peer.
/// - `target_peer`: the target; `INT32_MIN` (no such peer can exist) is refused.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL, a non-multiplayer handle or `INT32_MIN`; or the
/// class's own error.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_set_target_peer(
    peer: *mut pp_peer,
    target_peer: i32,
) -> pp_error {
    call(peer, |mp| {
        Target::parse(target_peer)?;
        mp.set_target_peer(target_peer)
    })
}

/// Sets the transfer mode of the following `pp_put_packet` calls (Godot's `transfer_mode` property;
/// default `PP_MULTIPLAYER_PEER_TRANSFER_MODE_RELIABLE`).
///
/// - `peer`: a multiplayer peer.
/// - `mode`: a `pp_multiplayer_peer_transfer_mode` value.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL, a non-multiplayer handle or an unknown mode.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_set_transfer_mode(peer: *mut pp_peer, mode: i32) -> pp_error {
    call(peer, |mp| {
        mp.set_transfer_mode(TransferMode::try_from(mode)?)
    })
}

/// Reads the `transfer_mode` property.
///
/// - `peer`: a multiplayer peer.
/// - `out_mode`: receives a `pp_multiplayer_peer_transfer_mode` value.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle, or
/// `PP_ERR_INVALID_DATA` when an extension's callback returned an unknown mode.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_get_transfer_mode(
    peer: *mut pp_peer,
    out_mode: *mut pp_multiplayer_peer_transfer_mode,
) -> pp_error {
    get(peer, out_mode, |mp| mp.get_transfer_mode().map(Into::into))
}

/// Sets the channel of the following `pp_put_packet` calls (Godot's `transfer_channel` property;
/// default 0, which transports split into one lane per transfer mode).
///
/// - `peer`: a multiplayer peer.
/// - `channel`: 0..255.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL, a non-multiplayer handle or a channel
/// outside 0..255 (nothing changes).
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_set_transfer_channel(
    peer: *mut pp_peer,
    channel: i32,
) -> pp_error {
    call(peer, |mp| {
        check_transfer_channel(channel)?;
        mp.set_transfer_channel(channel)
    })
}

/// Reads the `transfer_channel` property.
///
/// - `peer`: a multiplayer peer.
/// - `out_channel`: receives the channel.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_get_transfer_channel(
    peer: *mut pp_peer,
    out_channel: *mut i32,
) -> pp_error {
    get(peer, out_channel, |mp| Ok(mp.get_transfer_channel()))
}

/// The sender's peer ID of the packet the next `pp_get_packet` returns.
///
/// - `peer`: a multiplayer peer.
/// - `out_peer_id`: receives the ID.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_get_packet_peer(
    peer: *mut pp_peer,
    out_peer_id: *mut i32,
) -> pp_error {
    get(peer, out_peer_id, |mp| Ok(mp.get_packet_peer()))
}

/// The channel of the packet the next `pp_get_packet` returns.
///
/// - `peer`: a multiplayer peer.
/// - `out_channel`: receives the channel.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_get_packet_channel(
    peer: *mut pp_peer,
    out_channel: *mut i32,
) -> pp_error {
    get(peer, out_channel, |mp| Ok(mp.get_packet_channel()))
}

/// The transfer mode of the packet the next `pp_get_packet` returns.
///
/// - `peer`: a multiplayer peer.
/// - `out_mode`: receives a `pp_multiplayer_peer_transfer_mode` value.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle, or
/// `PP_ERR_INVALID_DATA` when an extension's callback returned an unknown mode.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_get_packet_mode(
    peer: *mut pp_peer,
    out_mode: *mut pp_multiplayer_peer_transfer_mode,
) -> pp_error {
    get(peer, out_mode, |mp| mp.get_packet_mode().map(Into::into))
}

/// Processes network events. `peer_connected` / `peer_disconnected` become events to drain with
/// `pp_multiplayer_peer_pop_event` afterwards.
///
/// - `peer`: a multiplayer peer.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for NULL or a non-multiplayer handle, or the class's own
/// error (e.g. `PP_ERR_UNCONFIGURED` for an inactive transport).
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_poll(peer: *mut pp_peer) -> pp_error {
    call(peer, |mp| mp.poll())
}

/// Closes at once: status becomes DISCONNECTED and remote peers are dropped without
/// `peer_disconnected` events. Events queued before the call stay queued. (OfflineMultiplayerPeer:
/// a no-op; it stays CONNECTED.)
///
/// - `peer`: a multiplayer peer (still valid afterwards; free it with `pp_peer_free`).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or a non-multiplayer handle.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_close(peer: *mut pp_peer) -> pp_error {
    call(peer, |mp| mp.close())
}

/// Disconnects one remote peer.
///
/// - `peer`: a multiplayer peer.
/// - `peer_id`: the remote peer.
/// - `force`: true = drop it now with no `peer_disconnected` event; false = graceful, with the event.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for NULL or a non-multiplayer handle (extensions also
/// refuse IDs < 1 before calling out), or the class's own error.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_disconnect_peer(
    peer: *mut pp_peer,
    peer_id: i32,
    force: bool,
) -> pp_error {
    call(peer, |mp| mp.disconnect_peer(peer_id, force))
}

/// This peer's unique ID (1 for a server, 2..2147483647 for a client; 0 from a transport that is not
/// active, as in Godot).
///
/// - `peer`: a multiplayer peer.
/// - `out_id`: receives the ID.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle, or
/// `PP_ERR_INVALID_DATA` when an extension's callback returned an ID outside 1..2147483647.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_get_unique_id(
    peer: *mut pp_peer,
    out_id: *mut i32,
) -> pp_error {
    get(peer, out_id, |mp| mp.get_unique_id())
}

/// Godot's `generate_unique_id()`: a random ID in 2..2147483647 (never 0 or 1), e.g. for a mesh member.
/// IDs come from OS-seeded hashing of the clock, a counter and the thread.
///
/// - `peer`: a multiplayer peer (Godot's method is an instance method; the peer is not changed).
/// - `out_id`: receives the ID.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_generate_unique_id(
    peer: *mut pp_peer,
    out_id: *mut i32,
) -> pp_error {
    get(peer, out_id, |mp| Ok(mp.generate_unique_id()))
}

/// Whether this peer is the server.
///
/// - `peer`: a multiplayer peer.
/// - `out_is_server`: receives the answer.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_is_server(
    peer: *mut pp_peer,
    out_is_server: *mut bool,
) -> pp_error {
    get(peer, out_is_server, |mp| Ok(mp.is_server()))
}

/// Whether the transport lets SceneMultiplayer announce peers and relay through the server (Godot's
/// `is_server_relay_supported()`; false unless the class says otherwise).
///
/// - `peer`: a multiplayer peer.
/// - `out_supported`: receives the answer.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_is_server_relay_supported(
    peer: *mut pp_peer,
    out_supported: *mut bool,
) -> pp_error {
    get(peer, out_supported, |mp| Ok(mp.is_server_relay_supported()))
}

/// Sets the `refuse_new_connections` property (default false): when true, servers turn new peers away.
///
/// - `peer`: a multiplayer peer.
/// - `refuse`: the new value.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or a non-multiplayer handle.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_set_refuse_new_connections(
    peer: *mut pp_peer,
    refuse: bool,
) -> pp_error {
    call(peer, |mp| mp.set_refuse_new_connections(refuse))
}

/// Reads the `refuse_new_connections` property.
///
/// - `peer`: a multiplayer peer.
/// - `out_refusing`: receives the value.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_is_refusing_new_connections(
    peer: *mut pp_peer,
    out_refusing: *mut bool,
) -> pp_error {
    get(
        peer,
        out_refusing,
        |mp| Ok(mp.is_refusing_new_connections()),
    )
}

/// The connection status.
///
/// - `peer`: a multiplayer peer.
/// - `out_status`: receives a `pp_multiplayer_peer_connection_status` value.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle, or
/// `PP_ERR_INVALID_DATA` when an extension's callback returned an unknown status.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_get_connection_status(
    peer: *mut pp_peer,
    out_status: *mut pp_multiplayer_peer_connection_status,
) -> pp_error {
    get(peer, out_status, |mp| {
        mp.get_connection_status().map(Into::into)
    })
}

/// Takes the oldest queued event (Godot's `peer_connected` / `peer_disconnected` signals, which the
/// engine emits from `poll`). Call it after `pp_multiplayer_peer_poll` until it returns
/// `PP_ERR_UNAVAILABLE`.
///
/// The queue holds 1024 events (unless the class documents another size). When it is full, nothing already queued is dropped: new events are
/// counted in one `PP_MULTIPLAYER_EVENT_OVERFLOW` event placed where they would have been, so you learn
/// what was lost and where.
///
/// - `peer`: a multiplayer peer.
/// - `out_event`: receives the event.
///
/// Returns `PP_OK`, `PP_ERR_UNAVAILABLE` when the queue is empty, or `PP_ERR_INVALID_PARAMETER` for NULL
/// arguments or a non-multiplayer handle.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_pop_event(
    peer: *mut pp_peer,
    out_event: *mut pp_multiplayer_event,
) -> pp_error {
    get(peer, out_event, |mp| {
        mp.pop_event().map(Into::into).ok_or(Error::Unavailable)
    })
}

/// Creates an OfflineMultiplayerPeer: always a connected server (ID 1) with no peers and no events.
/// `pp_put_packet` discards; `pp_get_packet` returns `PP_OK` with an empty packet although the packet
/// count is 0 (the engine does the same; kept for fidelity).
///
/// - `out_peer`: receives the peer; free it with `pp_peer_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_peer` is NULL.
#[no_mangle]
pub extern "C" fn pp_offline_multiplayer_peer_new(out_peer: *mut *mut pp_peer) -> pp_error {
    ffi_boundary! {
        out!(out_peer).write(new_peer(OfflineMultiplayerPeer::new()));
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------------
// MultiplayerPeerExtension
// ---------------------------------------------------------------------------------------------------

/// The callbacks of a MultiplayerPeerExtension (Godot's `_get_packet`, `_put_packet`, … virtuals).
/// Fill it, set `size = sizeof(pp_multiplayer_peer_extension_callbacks)` (later versions may append
/// fields), and pass it to `pp_multiplayer_peer_extension_new`, which copies it.
///
/// Callbacks returning `int32_t` status return a `pp_error` value (`PP_OK` normally); a number that is
/// not a Godot error counts as `PP_FAILED`. Required callbacks must be non-NULL; `get_packet` /
/// `put_packet` may be NULL (their calls then return `PP_FAILED`, as in Godot); the optional ones
/// have the defaults written on them.
///
/// Re-entrancy (the library's one rule): a callback may call
/// `pp_multiplayer_peer_extension_emit_peer_connected` / `_emit_peer_disconnected` on its own peer
/// (that is how `poll` raises signals); every other call on that peer, the base calls
/// (`pp_put_packet`, …) included, returns `PP_ERR_LOCKED` while the callback runs.
///
/// Thread rule: `userdata` travels with the peer. Callbacks run on whichever thread is calling into the
/// peer, one at a time, and `destroy` on the thread that releases the last reference, so `userdata`
/// must be usable from any thread, one at a time.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct pp_multiplayer_peer_extension_callbacks {
    /// `sizeof(pp_multiplayer_peer_extension_callbacks)` as the caller compiled it.
    pub size: usize,
    /// Passed as the first argument of every callback.
    pub userdata: *mut c_void,
    /// Called once when the peer object goes away (may be NULL).
    pub destroy: Option<unsafe extern "C" fn(userdata: *mut c_void)>,
    /// Pops one packet: sets `*out_buf`, `*out_len`, returns a pp_error. The bytes must stay valid until
    /// the next `get_packet` callback (or `destroy`). A negative length, or NULL with a positive length,
    /// makes the call fail with `PP_ERR_INVALID_DATA`. NULL → `pp_get_packet` returns `PP_FAILED`.
    pub get_packet: Option<
        unsafe extern "C" fn(
            userdata: *mut c_void,
            out_buf: *mut *const u8,
            out_len: *mut i32,
        ) -> i32,
    >,
    /// Sends one packet to the current target with the current mode and channel; the bytes are only
    /// valid during the call. Returns a pp_error. NULL → `pp_put_packet` returns `PP_FAILED`.
    pub put_packet:
        Option<unsafe extern "C" fn(userdata: *mut c_void, buf: *const u8, len: i32) -> i32>,
    /// Packets ready to read. Required. A negative value reports an error (as the engine's -1 does):
    /// `pp_get_available_packet_count` then returns `PP_FAILED`.
    pub get_available_packet_count: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// Informational maximum packet size (negative counts as 0). Required.
    pub get_max_packet_size: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// Channel of the next packet. Required.
    pub get_packet_channel: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// Transfer mode of the next packet (a `pp_multiplayer_peer_transfer_mode`). Required.
    pub get_packet_mode: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// Sender of the next packet. Required.
    pub get_packet_peer: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// Stores the transfer channel (already checked to be 0..255). Returns a pp_error. Required.
    pub set_transfer_channel:
        Option<unsafe extern "C" fn(userdata: *mut c_void, channel: i32) -> i32>,
    /// The transfer channel. Required.
    pub get_transfer_channel: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// Stores the transfer mode (already checked to be a known mode). Returns a pp_error. Required.
    pub set_transfer_mode: Option<unsafe extern "C" fn(userdata: *mut c_void, mode: i32) -> i32>,
    /// The transfer mode (a `pp_multiplayer_peer_transfer_mode`). Required.
    pub get_transfer_mode: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// Stores the target (already checked: never `INT32_MIN`). Returns a pp_error. Required.
    pub set_target_peer:
        Option<unsafe extern "C" fn(userdata: *mut c_void, target_peer: i32) -> i32>,
    /// Whether this peer is the server. Required.
    pub is_server: Option<unsafe extern "C" fn(userdata: *mut c_void) -> bool>,
    /// Processes events; may call the emit functions. Returns a pp_error. Required.
    pub poll: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// Closes at once (no disconnect events). Returns a pp_error. Required.
    pub close: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// Disconnects `peer_id` (already checked ≥ 1); with `force`, without emitting
    /// `peer_disconnected`. Returns a pp_error. Required.
    pub disconnect_peer:
        Option<unsafe extern "C" fn(userdata: *mut c_void, peer_id: i32, force: bool) -> i32>,
    /// This peer's ID; must be 1..2147483647 (else the call fails with `PP_ERR_INVALID_DATA`). Required.
    pub get_unique_id: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// A `pp_multiplayer_peer_connection_status`. Required.
    pub get_connection_status: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// Optional; told of every change. The library keeps the flag as well, and reports it when
    /// `is_refusing_new_connections` is NULL. Returns a pp_error.
    pub set_refuse_new_connections:
        Option<unsafe extern "C" fn(userdata: *mut c_void, refuse: bool) -> i32>,
    /// Optional; NULL → the flag last set through `pp_multiplayer_peer_set_refuse_new_connections`.
    pub is_refusing_new_connections: Option<unsafe extern "C" fn(userdata: *mut c_void) -> bool>,
    /// Optional; NULL → false.
    pub is_server_relay_supported: Option<unsafe extern "C" fn(userdata: *mut c_void) -> bool>,
}

// `read_table` reads `size` as the table's first field.
const _: () = assert!(offset_of!(pp_multiplayer_peer_extension_callbacks, size) == 0);

thread_local! {
    /// Extensions whose callback is running on this thread (innermost last): the handle's key and its
    /// event queue, so an emit call from inside the callback reaches the queue without the lock the
    /// running call holds.
    static IN_CALLBACK: RefCell<Vec<(usize, EventQueue)>> = const { RefCell::new(Vec::new()) };
}

/// Marks "a callback of this extension runs on this thread" for its lifetime.
struct CallbackScope;

impl CallbackScope {
    fn enter(key: usize, events: &EventQueue) -> CallbackScope {
        IN_CALLBACK.with(|s| s.borrow_mut().push((key, events.clone())));
        CallbackScope
    }
}

impl Drop for CallbackScope {
    fn drop(&mut self) {
        // try_with: never panic in drop, even during thread teardown.
        let _ = IN_CALLBACK.try_with(|s| s.borrow_mut().pop());
    }
}

/// The event queue of the extension with this key if one of its callbacks runs on this thread.
fn running_callback_queue(key: usize) -> Option<EventQueue> {
    IN_CALLBACK
        .try_with(|s| {
            s.borrow()
                .iter()
                .rev()
                .find(|(k, _)| *k == key)
                .map(|(_, q)| q.clone())
        })
        .ok()
        .flatten()
}

/// The identity of a handle's object (stable: the `Arc` allocation never moves).
fn handle_key(peer: &SharedPeer) -> usize {
    Arc::as_ptr(peer) as *const () as usize
}

/// A MultiplayerPeer implemented by C callbacks (Godot's MultiplayerPeerExtension).
pub(crate) struct MultiplayerPeerExtension {
    base: PeerBase,
    mp: MultiplayerBase,
    cb: pp_multiplayer_peer_extension_callbacks,
    /// [`handle_key`] of the handle that owns this object (set right after construction).
    key: usize,
}

// SAFETY: the header states the thread rule for `userdata` (usable from any thread, one at a time);
// the object is only used under its mutex, so calls never overlap.
unsafe impl Send for MultiplayerPeerExtension {}

impl Drop for MultiplayerPeerExtension {
    fn drop(&mut self) {
        if let Some(d) = self.cb.destroy {
            // SAFETY: a C callback with the userdata it was registered with; called once, on drop.
            unsafe { d(self.cb.userdata) }
        }
    }
}

/// Calls a required callback (checked non-NULL at construction) inside a [`CallbackScope`].
macro_rules! callout {
    ($self:ident, $name:ident $(, $arg:expr)*) => {{
        let _scope = CallbackScope::enter($self.key, &$self.mp.events);
        match $self.cb.$name {
            // SAFETY: a C callback from the caller's table, with its own userdata.
            Some(f) => Some(unsafe { f($self.cb.userdata $(, $arg)*) }),
            None => None,
        }
    }};
}

impl MultiplayerPeerExtension {
    /// Required callbacks are checked at construction, so `None` here means a bug: `ERR_BUG`.
    fn required<T>(v: Option<T>) -> Result<T> {
        v.ok_or(Error::Bug)
    }
}

impl PacketPeer for MultiplayerPeerExtension {
    fn get_available_packet_count(&mut self) -> i32 {
        callout!(self, get_available_packet_count).unwrap_or(0)
    }

    fn get_packet(&mut self) -> Result<&[u8]> {
        let mut buf: *const u8 = ptr::null();
        let mut len: i32 = 0;
        let rc = callout!(self, get_packet, &mut buf, &mut len).ok_or(Error::Failed)?;
        cb_result(rc)?;
        // SAFETY: the callback contract: `len` readable bytes at `buf`, valid until the next
        // get_packet callback, which needs `&mut self` and so ends this borrow first.
        unsafe { cb_packet(buf, len) }
    }

    /// Lengths above `i32::MAX` (Godot's "negative length") are `ERR_INVALID_PARAMETER` before calling
    /// out.
    fn put_packet(&mut self, data: &[u8]) -> Result<()> {
        let len = i32::try_from(data.len()).map_err(|_| Error::InvalidParameter)?;
        let rc = callout!(self, put_packet, data.as_ptr(), len).ok_or(Error::Failed)?;
        cb_result(rc)
    }

    fn get_max_packet_size(&self) -> i32 {
        callout!(self, get_max_packet_size).unwrap_or(0).max(0)
    }

    fn base(&self) -> &PeerBase {
        &self.base
    }

    fn base_mut(&mut self) -> &mut PeerBase {
        &mut self.base
    }
}

impl MultiplayerPeer for MultiplayerPeerExtension {
    fn mp_base(&self) -> &MultiplayerBase {
        &self.mp
    }
    fn mp_base_mut(&mut self) -> &mut MultiplayerBase {
        &mut self.mp
    }

    fn set_target_peer(&mut self, target: i32) -> Result<()> {
        Target::parse(target)?;
        cb_result(Self::required(callout!(self, set_target_peer, target))?)
    }
    fn get_packet_peer(&self) -> i32 {
        callout!(self, get_packet_peer).unwrap_or(0)
    }
    fn get_packet_mode(&self) -> Result<TransferMode> {
        let m = Self::required(callout!(self, get_packet_mode))?;
        TransferMode::try_from(m).map_err(|_| Error::InvalidData)
    }
    fn get_packet_channel(&self) -> i32 {
        callout!(self, get_packet_channel).unwrap_or(0)
    }
    fn poll(&mut self) -> Result<()> {
        cb_result(Self::required(callout!(self, poll))?)
    }
    fn close(&mut self) -> Result<()> {
        cb_result(Self::required(callout!(self, close))?)
    }
    fn disconnect_peer(&mut self, peer: i32, force: bool) -> Result<()> {
        if !is_valid_peer_id(peer) {
            return Err(Error::InvalidParameter);
        }
        cb_result(Self::required(callout!(
            self,
            disconnect_peer,
            peer,
            force
        ))?)
    }
    fn get_unique_id(&self) -> Result<i32> {
        let id = Self::required(callout!(self, get_unique_id))?;
        if is_valid_peer_id(id) {
            Ok(id)
        } else {
            Err(Error::InvalidData)
        }
    }
    fn is_server(&self) -> bool {
        callout!(self, is_server).unwrap_or(false)
    }
    fn get_connection_status(&self) -> Result<ConnectionStatus> {
        let s = Self::required(callout!(self, get_connection_status))?;
        ConnectionStatus::try_from(s).map_err(|_| Error::InvalidData)
    }

    fn set_transfer_channel(&mut self, channel: i32) -> Result<()> {
        check_transfer_channel(channel)?;
        cb_result(Self::required(callout!(
            self,
            set_transfer_channel,
            channel
        ))?)
    }
    fn get_transfer_channel(&self) -> i32 {
        callout!(self, get_transfer_channel).unwrap_or(0)
    }
    fn set_transfer_mode(&mut self, mode: TransferMode) -> Result<()> {
        cb_result(Self::required(callout!(
            self,
            set_transfer_mode,
            mode as i32
        ))?)
    }
    fn get_transfer_mode(&self) -> Result<TransferMode> {
        let m = Self::required(callout!(self, get_transfer_mode))?;
        TransferMode::try_from(m).map_err(|_| Error::InvalidData)
    }
    fn set_refuse_new_connections(&mut self, refuse: bool) -> Result<()> {
        self.mp.refuse_new_connections = refuse;
        match callout!(self, set_refuse_new_connections, refuse) {
            Some(rc) => cb_result(rc),
            None => Ok(()),
        }
    }
    fn is_refusing_new_connections(&self) -> bool {
        callout!(self, is_refusing_new_connections).unwrap_or(self.mp.refuse_new_connections)
    }
    fn is_server_relay_supported(&self) -> bool {
        callout!(self, is_server_relay_supported).unwrap_or(false)
    }
}

/// Creates a MultiplayerPeerExtension: a multiplayer peer whose methods are your callbacks. Every base
/// call (`pp_put_packet`, `pp_get_packet`, `pp_put_var`, …) and every `pp_multiplayer_peer_*` call works
/// on it; raise signals with `pp_multiplayer_peer_extension_emit_peer_connected` /
/// `_emit_peer_disconnected`.
///
/// - `callbacks`: copied; `size` must be at least `sizeof(pp_multiplayer_peer_extension_callbacks)` and
///   every callback marked Required must be set.
/// - `out_peer`: receives the peer; free it with `pp_peer_free`. `destroy(userdata)` runs once when the
///   peer object goes away. If this call fails nothing is kept and `destroy` is not called.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument, a too small `size` or a missing
/// required callback.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_extension_new(
    callbacks: *const pp_multiplayer_peer_extension_callbacks,
    out_peer: *mut *mut pp_peer,
) -> pp_error {
    ffi_boundary! {
        let out_peer = out!(out_peer);
        // SAFETY: the caller passes a table of `size` bytes (or NULL, rejected).
        let cb = unsafe { read_table(callbacks) }?;
        let required = [
            cb.get_available_packet_count.is_some(),
            cb.get_max_packet_size.is_some(),
            cb.get_packet_channel.is_some(),
            cb.get_packet_mode.is_some(),
            cb.get_packet_peer.is_some(),
            cb.set_transfer_channel.is_some(),
            cb.get_transfer_channel.is_some(),
            cb.set_transfer_mode.is_some(),
            cb.get_transfer_mode.is_some(),
            cb.set_target_peer.is_some(),
            cb.is_server.is_some(),
            cb.poll.is_some(),
            cb.close.is_some(),
            cb.disconnect_peer.is_some(),
            cb.get_unique_id.is_some(),
            cb.get_connection_status.is_some(),
        ];
        if required.contains(&false) {
            return Err(INVALID);
        }
        let ext = MultiplayerPeerExtension {
            base: PeerBase::default(),
            mp: MultiplayerBase::default(),
            cb,
            key: 0,
        };
        let obj: SharedPeer = shared(ext);
        let key = handle_key(&obj);
        if let Some(e) = obj.lock()?
            .as_any_mut()
            .downcast_mut::<MultiplayerPeerExtension>()
        {
            e.key = key;
        }
        out_peer.write(new_handle::<pp_peer>(obj));
        Ok(())
    }
}

/// Queues an event on an extension peer. From one of the peer's own callbacks the peer is locked
/// (by the call running the callback), so the queue comes from the callback scope instead: the one
/// call designed to be made from inside a callback on its own object.
fn emit(peer: *mut pp_peer, peer_id: i32, ev: fn(i32) -> MultiplayerEvent) -> pp_error {
    ffi_boundary! {
        if !is_valid_peer_id(peer_id) {
            return Err(INVALID);
        }
        let peer = try_ref!(peer);
        let events = match peer.lock() {
            Ok(mut g) => g
                .as_any_mut()
                .downcast_mut::<MultiplayerPeerExtension>()
                .ok_or(INVALID)?
                .mp
                .events
                .clone(),
            Err(_) => running_callback_queue(handle_key(peer)).ok_or(pp_error::PP_ERR_LOCKED)?,
        };
        map(events.push(ev(peer_id)))
    }
}

/// Raises `peer_connected(peer_id)` on a MultiplayerPeerExtension: queues the event for
/// `pp_multiplayer_peer_pop_event`. May be called from the extension's own callbacks (typically
/// `poll`) or from any thread.
///
/// - `peer`: a peer made by `pp_multiplayer_peer_extension_new`.
/// - `peer_id`: the peer that connected, 1..2147483647.
///
/// Returns `PP_OK`; `PP_ERR_BUSY` when the queue is full (the event is counted in an overflow event:
/// do not retry); `PP_ERR_INVALID_PARAMETER` for NULL, another class or an invalid ID.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_extension_emit_peer_connected(
    peer: *mut pp_peer,
    peer_id: i32,
) -> pp_error {
    emit(peer, peer_id, MultiplayerEvent::PeerConnected)
}

/// Raises `peer_disconnected(peer_id)` on a MultiplayerPeerExtension; same rules as
/// `pp_multiplayer_peer_extension_emit_peer_connected`.
///
/// - `peer`: a peer made by `pp_multiplayer_peer_extension_new`.
/// - `peer_id`: the peer that disconnected, 1..2147483647.
///
/// Returns `PP_OK`, `PP_ERR_BUSY` (queue full; counted, do not retry), or `PP_ERR_INVALID_PARAMETER`.
#[no_mangle]
pub extern "C" fn pp_multiplayer_peer_extension_emit_peer_disconnected(
    peer: *mut pp_peer,
    peer_id: i32,
) -> pp_error {
    emit(peer, peer_id, MultiplayerEvent::PeerDisconnected)
}

// ---------------------------------------------------------------------------------------------------
// SceneMultiplayer framing
// ---------------------------------------------------------------------------------------------------

/// SceneMultiplayer's command in the low 3 bits of a packet's first byte.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_scene_multiplayer_command {
    /// RPC (body uses node-path caches and the Variant encoding; not parsed).
    PP_SCENE_MULTIPLAYER_COMMAND_REMOTE_CALL = 0,
    PP_SCENE_MULTIPLAYER_COMMAND_SIMPLIFY_PATH = 1,
    PP_SCENE_MULTIPLAYER_COMMAND_CONFIRM_PATH = 2,
    /// `send_bytes` / `peer_packet`: `[0x03][payload]`.
    PP_SCENE_MULTIPLAYER_COMMAND_RAW = 3,
    PP_SCENE_MULTIPLAYER_COMMAND_SPAWN = 4,
    PP_SCENE_MULTIPLAYER_COMMAND_DESPAWN = 5,
    PP_SCENE_MULTIPLAYER_COMMAND_SYNC = 6,
    /// System messages: see `pp_scene_multiplayer_sys_command`.
    PP_SCENE_MULTIPLAYER_COMMAND_SYS = 7,
}

impl From<SceneCommand> for pp_scene_multiplayer_command {
    fn from(c: SceneCommand) -> Self {
        use pp_scene_multiplayer_command::*;
        match c {
            SceneCommand::RemoteCall => PP_SCENE_MULTIPLAYER_COMMAND_REMOTE_CALL,
            SceneCommand::SimplifyPath => PP_SCENE_MULTIPLAYER_COMMAND_SIMPLIFY_PATH,
            SceneCommand::ConfirmPath => PP_SCENE_MULTIPLAYER_COMMAND_CONFIRM_PATH,
            SceneCommand::Raw => PP_SCENE_MULTIPLAYER_COMMAND_RAW,
            SceneCommand::Spawn => PP_SCENE_MULTIPLAYER_COMMAND_SPAWN,
            SceneCommand::Despawn => PP_SCENE_MULTIPLAYER_COMMAND_DESPAWN,
            SceneCommand::Sync => PP_SCENE_MULTIPLAYER_COMMAND_SYNC,
            SceneCommand::Sys => PP_SCENE_MULTIPLAYER_COMMAND_SYS,
        }
    }
}

/// The sub-command (byte 1) of a SYS packet.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_scene_multiplayer_sys_command {
    /// Not a SYS packet.
    PP_SCENE_MULTIPLAYER_SYS_NONE = -1,
    /// `[0x07][0x00][auth data]`; no data = "my side finished authentication".
    PP_SCENE_MULTIPLAYER_SYS_AUTH = 0,
    /// `[0x07][0x01][peer i32 LE]`: server → clients, a peer joined.
    PP_SCENE_MULTIPLAYER_SYS_ADD_PEER = 1,
    /// `[0x07][0x02][peer i32 LE]`: server → clients, a peer left.
    PP_SCENE_MULTIPLAYER_SYS_DEL_PEER = 2,
    /// `[0x07][0x03][peer i32 LE][inner packet]`: peer = target (client → server) or source (server →
    /// client).
    PP_SCENE_MULTIPLAYER_SYS_RELAY = 3,
}

/// What `pp_scene_multiplayer_parse` found in a packet.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct pp_scene_multiplayer_message {
    /// The command (low 3 bits of byte 0).
    pub command: pp_scene_multiplayer_command,
    /// The SYS sub-command; `PP_SCENE_MULTIPLAYER_SYS_NONE` unless `command` is SYS.
    pub sys_command: pp_scene_multiplayer_sys_command,
    /// ADD_PEER/DEL_PEER: the peer; RELAY: target or source; otherwise 0.
    pub peer_id: i32,
    /// Bits 4–7 of byte 0 (per-command flags), shifted down: 0..15.
    pub flags: u8,
    /// Where the payload starts in the parsed buffer: RAW the user bytes, AUTH the auth data, RELAY the
    /// inner packet, ADD/DEL_PEER bytes after the 6-byte message (normally none), other commands
    /// everything after byte 0.
    pub payload_offset: usize,
    /// Payload length (may be 0 for AUTH, ADD/DEL_PEER and unparsed commands; ≥ 1 for RAW and RELAY).
    pub payload_len: usize,
}

/// Parses a SceneMultiplayer packet (what a Godot game puts inside MultiplayerPeer packets). Reads
/// only `data[0..len)`.
///
/// - `data`, `len`: the packet (as returned by `pp_get_packet`).
/// - `out_message`: receives the result; the payload is `data + payload_offset`, `payload_len` bytes.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_DATA` for a malformed packet (empty, RAW without payload, SYS too
/// short, unknown SYS command, ADD/DEL_PEER with an ID < 1, RELAY with an empty inner packet or peer
/// `INT32_MIN`); `PP_ERR_INVALID_PARAMETER` for NULL `out_message`, `(NULL, len > 0)` or
/// `len > INT32_MAX`. Safe from any thread.
#[no_mangle]
pub extern "C" fn pp_scene_multiplayer_parse(
    data: *const u8,
    len: usize,
    out_message: *mut pp_scene_multiplayer_message,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_message);
        // SAFETY: the caller passes `len` readable bytes (or NULL, 0).
        let data = unsafe { in_slice(data, len) }?;
        let m = map(scene::parse(data))?;
        let sys_command = match m.sys {
            None => pp_scene_multiplayer_sys_command::PP_SCENE_MULTIPLAYER_SYS_NONE,
            Some(SysCommand::Auth) => {
                pp_scene_multiplayer_sys_command::PP_SCENE_MULTIPLAYER_SYS_AUTH
            }
            Some(SysCommand::AddPeer) => {
                pp_scene_multiplayer_sys_command::PP_SCENE_MULTIPLAYER_SYS_ADD_PEER
            }
            Some(SysCommand::DelPeer) => {
                pp_scene_multiplayer_sys_command::PP_SCENE_MULTIPLAYER_SYS_DEL_PEER
            }
            Some(SysCommand::Relay) => {
                pp_scene_multiplayer_sys_command::PP_SCENE_MULTIPLAYER_SYS_RELAY
            }
        };
        let msg = pp_scene_multiplayer_message {
            command: m.command.into(),
            sys_command,
            peer_id: m.peer,
            flags: m.flags,
            payload_offset: m.payload.start,
            payload_len: m.payload.len(),
        };
        out.write(msg);
        Ok(())
    }
}

/// Whether `[a, a+alen)` and `[b, b+blen)` share a byte.
fn overlaps(a: *const u8, alen: usize, b: *const u8, blen: usize) -> bool {
    let (a, b) = (a as usize, b as usize);
    alen > 0 && blen > 0 && a < b.saturating_add(blen) && b < a.saturating_add(alen)
}

/// Shared body of the builders: size query or write into the caller's buffer.
///
/// # Safety
/// `input` is a slice made from the caller's pointer; a non-NULL `out_buf` must point to `buf_cap`
/// writable bytes.
unsafe fn build(
    pkt: ScenePacket<'_>,
    out_buf: *mut u8,
    buf_cap: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let out_len = out!(out_len);
        if buf_cap > i32::MAX as usize {
            return Err(INVALID);
        }
        let needed = map(pkt.encoded_len())?;
        if out_buf.is_null() {
            if buf_cap != 0 {
                return Err(INVALID);
            }
            out_len.write(needed);
            return Ok(());
        }
        if buf_cap < needed {
            return Err(pp_error::PP_ERR_PARAMETER_RANGE_ERROR);
        }
        let input = match pkt {
            ScenePacket::Raw(p) | ScenePacket::Auth(p) | ScenePacket::Relay { packet: p, .. } => p,
            ScenePacket::AddPeer(_) | ScenePacket::DelPeer(_) => &[],
        };
        if overlaps(input.as_ptr(), input.len(), out_buf, needed) {
            return Err(INVALID);
        }
        // SAFETY: non-NULL, `buf_cap >= needed` writable bytes (caller's contract), not overlapping
        // the input slice (checked above).
        let out = unsafe { std::slice::from_raw_parts_mut(out_buf, needed) };
        let n = map(pkt.write_into(out))?;
        out_len.write(n);
        Ok(())
    }
}

/// Builds a RAW packet `[0x03][payload]`: what `SceneMultiplayer.send_bytes` sends and what a Godot
/// game receives through its `peer_packet` signal. Send it with `pp_put_packet`.
///
/// - `payload`, `payload_len`: the user bytes (at least 1).
/// - `out_buf`, `buf_cap`: where to write. `(NULL, 0)` asks for the size only: `*out_len` = bytes
///   needed (`payload_len + 1`), nothing written. Must not overlap `payload`.
/// - `out_len`: receives the bytes written (or needed).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_DATA` for an empty payload (as `send_bytes`);
/// `PP_ERR_PARAMETER_RANGE_ERROR` when `buf_cap` is too small (nothing written);
/// `PP_ERR_INVALID_PARAMETER` for NULL `out_len`, `(NULL, n > 0)` buffers, overlapping buffers or sizes
/// above `INT32_MAX`. Safe from any thread.
#[no_mangle]
pub extern "C" fn pp_scene_multiplayer_build_raw(
    payload: *const u8,
    payload_len: usize,
    out_buf: *mut u8,
    buf_cap: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: the caller passes `payload_len` readable bytes (or NULL, 0).
        let p = unsafe { in_slice(payload, payload_len) }?;
        // SAFETY: `out_buf` is NULL or `buf_cap` writable bytes (caller's contract).
        match unsafe { build(ScenePacket::Raw(p), out_buf, buf_cap, out_len) } {
            pp_error::PP_OK => Ok(()),
            e => Err(e),
        }
    }
}

/// Builds a SYS AUTH packet `[0x07][0x00][data]` (`SceneMultiplayer.send_auth`); with no data it is the
/// "my side finished authentication" message (`complete_auth`).
///
/// - `data`, `data_len`: the authentication bytes; `(NULL, 0)` = the completion message.
/// - `out_buf`, `buf_cap`, `out_len`: as `pp_scene_multiplayer_build_raw` (needed = `data_len + 2`).
///
/// Returns `PP_OK`, `PP_ERR_PARAMETER_RANGE_ERROR` (buffer too small) or `PP_ERR_INVALID_PARAMETER`.
/// Safe from any thread.
#[no_mangle]
pub extern "C" fn pp_scene_multiplayer_build_auth(
    data: *const u8,
    data_len: usize,
    out_buf: *mut u8,
    buf_cap: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: the caller passes `data_len` readable bytes (or NULL, 0).
        let d = unsafe { in_slice(data, data_len) }?;
        // SAFETY: `out_buf` is NULL or `buf_cap` writable bytes (caller's contract).
        match unsafe { build(ScenePacket::Auth(d), out_buf, buf_cap, out_len) } {
            pp_error::PP_OK => Ok(()),
            e => Err(e),
        }
    }
}

/// Builds a SYS ADD_PEER packet `[0x07][0x01][peer_id i32 LE]` (6 bytes; server → clients, sent
/// reliable on channel 0 when a peer joins).
///
/// - `peer_id`: the peer that joined, 1..2147483647.
/// - `out_buf`, `buf_cap`, `out_len`: as `pp_scene_multiplayer_build_raw` (needed = 6).
///
/// Returns `PP_OK`, `PP_ERR_PARAMETER_RANGE_ERROR` (buffer too small) or `PP_ERR_INVALID_PARAMETER`
/// (bad ID, NULL `out_len`, `(NULL, n > 0)` buffer). Safe from any thread.
#[no_mangle]
pub extern "C" fn pp_scene_multiplayer_build_add_peer(
    peer_id: i32,
    out_buf: *mut u8,
    buf_cap: usize,
    out_len: *mut usize,
) -> pp_error {
    // SAFETY: `out_buf` is NULL or `buf_cap` writable bytes (caller's contract).
    unsafe { build(ScenePacket::AddPeer(peer_id), out_buf, buf_cap, out_len) }
}

/// Builds a SYS DEL_PEER packet `[0x07][0x02][peer_id i32 LE]` (6 bytes; server → clients when a peer
/// leaves).
///
/// - `peer_id`: the peer that left, 1..2147483647.
/// - `out_buf`, `buf_cap`, `out_len`: as `pp_scene_multiplayer_build_raw` (needed = 6).
///
/// Returns `PP_OK`, `PP_ERR_PARAMETER_RANGE_ERROR` (buffer too small) or `PP_ERR_INVALID_PARAMETER`.
/// Safe from any thread.
#[no_mangle]
pub extern "C" fn pp_scene_multiplayer_build_del_peer(
    peer_id: i32,
    out_buf: *mut u8,
    buf_cap: usize,
    out_len: *mut usize,
) -> pp_error {
    // SAFETY: `out_buf` is NULL or `buf_cap` writable bytes (caller's contract).
    unsafe { build(ScenePacket::DelPeer(peer_id), out_buf, buf_cap, out_len) }
}

/// Builds a SYS RELAY packet `[0x07][0x03][peer_id i32 LE][inner packet]`. A client sends it to the
/// server (ID 1) with `peer_id` = the target (0 all, N a peer, −N all but N); the server forwards it
/// with `peer_id` = the source, on the mode and channel it arrived on.
///
/// - `peer_id`: target or source; `INT32_MIN` is refused.
/// - `packet`, `packet_len`: the inner SceneMultiplayer packet (at least 1 byte, e.g. a RAW packet).
/// - `out_buf`, `buf_cap`, `out_len`: as `pp_scene_multiplayer_build_raw` (needed = `packet_len + 6`).
///
/// Returns `PP_OK`, `PP_ERR_PARAMETER_RANGE_ERROR` (buffer too small) or `PP_ERR_INVALID_PARAMETER`
/// (empty inner packet, `INT32_MIN`, NULL `out_len`, bad or overlapping buffers). Safe from any thread.
#[no_mangle]
pub extern "C" fn pp_scene_multiplayer_build_relay(
    peer_id: i32,
    packet: *const u8,
    packet_len: usize,
    out_buf: *mut u8,
    buf_cap: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: the caller passes `packet_len` readable bytes (or NULL, 0).
        let p = unsafe { in_slice(packet, packet_len) }?;
        let pkt = ScenePacket::Relay {
            peer: peer_id,
            packet: p,
        };
        // SAFETY: `out_buf` is NULL or `buf_cap` writable bytes (caller's contract).
        match unsafe { build(pkt, out_buf, buf_cap, out_len) } {
            pp_error::PP_OK => Ok(()),
            e => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::peer::pp_peer_free;

    /// State behind the test extension's userdata.
    struct St {
        handle: *mut pp_peer,
        uid: i32,
        emit_on_poll: i32,
        emit_rc: Option<pp_error>,
        destroyed: u32,
    }

    fn st(ud: *mut c_void) -> &'static mut St {
        // SAFETY: tests pass a live `St` as userdata and use it from one thread at a time.
        unsafe { &mut *ud.cast::<St>() }
    }
    unsafe extern "C" fn zero(_: *mut c_void) -> i32 {
        0
    }
    unsafe extern "C" fn set_ok(_: *mut c_void, _: i32) -> i32 {
        0
    }
    unsafe extern "C" fn no(_: *mut c_void) -> bool {
        false
    }
    unsafe extern "C" fn disc(_: *mut c_void, _: i32, _: bool) -> i32 {
        0
    }
    unsafe extern "C" fn uid(ud: *mut c_void) -> i32 {
        st(ud).uid
    }
    unsafe extern "C" fn poll(ud: *mut c_void) -> i32 {
        let s = st(ud);
        if s.emit_on_poll != 0 {
            s.emit_rc = Some(pp_multiplayer_peer_extension_emit_peer_connected(
                s.handle,
                s.emit_on_poll,
            ));
        }
        0
    }
    unsafe extern "C" fn destroy(ud: *mut c_void) {
        st(ud).destroyed += 1;
    }

    fn table(s: &StBox) -> pp_multiplayer_peer_extension_callbacks {
        pp_multiplayer_peer_extension_callbacks {
            size: size_of::<pp_multiplayer_peer_extension_callbacks>(),
            userdata: s.0.cast(),
            destroy: Some(destroy),
            get_packet: None,
            put_packet: None,
            get_available_packet_count: Some(zero),
            get_max_packet_size: Some(zero),
            get_packet_channel: Some(zero),
            get_packet_mode: Some(zero),
            get_packet_peer: Some(zero),
            set_transfer_channel: Some(set_ok),
            get_transfer_channel: Some(zero),
            set_transfer_mode: Some(set_ok),
            get_transfer_mode: Some(zero),
            set_target_peer: Some(set_ok),
            is_server: Some(no),
            poll: Some(poll),
            close: Some(zero),
            disconnect_peer: Some(disc),
            get_unique_id: Some(uid),
            get_connection_status: Some(zero),
            set_refuse_new_connections: None,
            is_refusing_new_connections: None,
            is_server_relay_supported: None,
        }
    }

    /// The state behind the userdata, held as C code would hold it: a raw pointer from which the
    /// callbacks and the test each derive a fresh reference, never kept across a library call.
    struct StBox(*mut St);
    impl StBox {
        fn get(&self) -> &mut St {
            st(self.0.cast())
        }
    }
    impl Drop for StBox {
        fn drop(&mut self) {
            // SAFETY: made by Box::into_raw in new_state, freed once.
            drop(unsafe { Box::from_raw(self.0) });
        }
    }

    fn new_state() -> StBox {
        StBox(Box::into_raw(Box::new(St {
            handle: ptr::null_mut(),
            uid: 1,
            emit_on_poll: 0,
            emit_rc: None,
            destroyed: 0,
        })))
    }

    #[test]
    fn table_validation() {
        let s = new_state();
        let mut out: *mut pp_peer = ptr::null_mut();
        assert_eq!(
            pp_multiplayer_peer_extension_new(ptr::null(), &mut out),
            INVALID
        );
        let mut t = table(&s);
        assert_eq!(
            pp_multiplayer_peer_extension_new(&t, ptr::null_mut()),
            INVALID
        );
        t.size -= 1;
        assert_eq!(pp_multiplayer_peer_extension_new(&t, &mut out), INVALID);
        // Each required callback missing is refused.
        let clears: [fn(&mut pp_multiplayer_peer_extension_callbacks); 16] = [
            |t| t.get_available_packet_count = None,
            |t| t.get_max_packet_size = None,
            |t| t.get_packet_channel = None,
            |t| t.get_packet_mode = None,
            |t| t.get_packet_peer = None,
            |t| t.set_transfer_channel = None,
            |t| t.get_transfer_channel = None,
            |t| t.set_transfer_mode = None,
            |t| t.get_transfer_mode = None,
            |t| t.set_target_peer = None,
            |t| t.is_server = None,
            |t| t.poll = None,
            |t| t.close = None,
            |t| t.disconnect_peer = None,
            |t| t.get_unique_id = None,
            |t| t.get_connection_status = None,
        ];
        for clear in clears {
            let mut t = table(&s);
            clear(&mut t);
            assert_eq!(pp_multiplayer_peer_extension_new(&t, &mut out), INVALID);
        }
        assert!(out.is_null());
        assert_eq!(s.get().destroyed, 0, "a failed constructor keeps nothing");
        // A bigger table (a newer caller) is fine; get/put absent give FAILED.
        let t = table(&s);
        let mut bigger = [0usize; 40];
        let sz = size_of::<pp_multiplayer_peer_extension_callbacks>();
        // SAFETY: `bigger` is larger than the table; both are plain bytes.
        unsafe {
            ptr::copy_nonoverlapping(
                (&t as *const pp_multiplayer_peer_extension_callbacks).cast::<u8>(),
                bigger.as_mut_ptr().cast::<u8>(),
                sz,
            )
        };
        bigger[0] = sz + 8;
        let tp = bigger
            .as_ptr()
            .cast::<pp_multiplayer_peer_extension_callbacks>();
        assert_eq!(
            pp_multiplayer_peer_extension_new(tp, &mut out),
            pp_error::PP_OK
        );
        {
            // SAFETY: a live handle made just above.
            let h = unsafe { crate::ffi::handle::get(out) }.unwrap();
            let mut g = h.lock().unwrap();
            assert_eq!(g.put_packet(b"x"), Err(Error::Failed));
            assert_eq!(g.get_packet().err(), Some(Error::Failed));
        }
        pp_peer_free(out);
        assert_eq!(s.get().destroyed, 1);
    }

    #[test]
    fn emit_from_inside_poll_and_from_another_thread() {
        let s = new_state();
        let mut out: *mut pp_peer = ptr::null_mut();
        let t = table(&s);
        assert_eq!(
            pp_multiplayer_peer_extension_new(&t, &mut out),
            pp_error::PP_OK
        );
        s.get().handle = out;
        s.get().emit_on_poll = 5;
        assert_eq!(pp_multiplayer_peer_poll(out), pp_error::PP_OK);
        assert_eq!(s.get().emit_rc, Some(pp_error::PP_OK));
        let addr = out as usize;
        std::thread::spawn(move || {
            let p = addr as *mut pp_peer;
            assert_eq!(
                pp_multiplayer_peer_extension_emit_peer_disconnected(p, 5),
                pp_error::PP_OK
            );
        })
        .join()
        .unwrap();
        let mut ev = pp_multiplayer_event {
            kind: pp_multiplayer_event_type::PP_MULTIPLAYER_EVENT_OVERFLOW,
            peer_id: 0,
            dropped: 0,
        };
        assert_eq!(pp_multiplayer_peer_pop_event(out, &mut ev), pp_error::PP_OK);
        assert_eq!(
            ev.kind,
            pp_multiplayer_event_type::PP_MULTIPLAYER_EVENT_PEER_CONNECTED
        );
        assert_eq!(ev.peer_id, 5);
        assert_eq!(pp_multiplayer_peer_pop_event(out, &mut ev), pp_error::PP_OK);
        assert_eq!(
            ev.kind,
            pp_multiplayer_event_type::PP_MULTIPLAYER_EVENT_PEER_DISCONNECTED
        );
        assert_eq!(
            pp_multiplayer_peer_pop_event(out, &mut ev),
            pp_error::PP_ERR_UNAVAILABLE
        );
        IN_CALLBACK.with(|v| assert!(v.borrow().is_empty(), "scopes are popped"));
        pp_peer_free(out);
        assert_eq!(s.get().destroyed, 1);
    }

    #[test]
    fn unique_id_is_validated() {
        let s = new_state();
        let mut out: *mut pp_peer = ptr::null_mut();
        let t = table(&s);
        assert_eq!(
            pp_multiplayer_peer_extension_new(&t, &mut out),
            pp_error::PP_OK
        );
        let mut id = 0;
        for (v, want) in [
            (1, pp_error::PP_OK),
            (i32::MAX, pp_error::PP_OK),
            (0, pp_error::PP_ERR_INVALID_DATA),
            (-4, pp_error::PP_ERR_INVALID_DATA),
            (i32::MIN, pp_error::PP_ERR_INVALID_DATA),
        ] {
            s.get().uid = v;
            assert_eq!(pp_multiplayer_peer_get_unique_id(out, &mut id), want, "{v}");
        }
        assert_eq!(id, i32::MAX, "out-param untouched on failure");
        pp_peer_free(out);
    }

    #[test]
    fn callback_codes() {
        assert_eq!(cb_result(0), Ok(()));
        assert_eq!(cb_result(2), Err(Error::Unavailable));
        assert_eq!(cb_result(44), Err(Error::Busy));
        for odd in [-1, 49, 1000, i32::MIN] {
            assert_eq!(cb_result(odd), Err(Error::Failed));
        }
    }

    #[test]
    fn overlap_rule() {
        let b = [0u8; 8];
        let p = b.as_ptr();
        assert!(overlaps(p, 4, p.wrapping_add(3), 2));
        assert!(!overlaps(p, 4, p.wrapping_add(4), 2));
        assert!(!overlaps(p, 0, p, 2));
    }
}
