//! C API of ENetConnection and ENetPacketPeer (`docs/classes.md` §15–§16).
//!
//! ENet peers are `pp_peer` handles lent by their connection: they are owned by the
//! `pp_enet_connection`, stay valid (possibly inactive) until `pp_enet_connection_free`, and must not
//! be passed to `pp_peer_free` (which ignores them). The PacketPeer calls (`pp_get_packet`,
//! `pp_put_packet`, ...) work on them.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use std::collections::HashMap;
use std::ffi::c_char;
use std::sync::Arc;

use super::boundary::c_enum_return;
use super::*;
use crate::enet::compress::CompressionMode;
use crate::enet::connection::{
    ConnectFailure, ENetConnection, ENetPacketPeer, EventType, HostStatistic, PeerStatistic,
    ServiceEvent, SharedPacketPeer,
};
use crate::enet::host::PeerState;
use crate::enet::multiplayer::SharedConnection;
use crate::sync::{shared, LockGuard};

/// Opaque handle to an ENetConnection (an ENet host). Make with `pp_enet_connection_new`, free with
/// `pp_enet_connection_free`.
///
/// The ENet peers it reports are `pp_peer` handles it lends: each stays valid (possibly inactive)
/// until the connection is freed, and costs a few dozen bytes until then. Use a connection and its
/// peers from one thread at a time.
pub struct pp_enet_connection {
    _private: [u8; 0],
}
// SAFETY: unique ID.
unsafe impl Castable for pp_enet_connection {
    type Rust = EnetConnectionObject;
    const ID: u16 = 6;
}

/// The object behind a `pp_enet_connection`.
pub(crate) struct EnetConnectionObject {
    /// Shared with an ENetMultiplayerPeer when it made or adopted this connection.
    conn: SharedConnection,
    /// Peer handles lent to C, by peer object; kept until the connection is freed so that every
    /// pointer C ever received stays valid.
    handles: Excl<HashMap<usize, Lent<pp_peer>>>,
}

/// Godot's `ENetConnection.EventType`: the `type` of a `pp_enet_event`. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_enet_event_type {
    /// A failure inside `service` (Godot's EVENT_ERROR); the call returns an error too.
    PP_ENET_EVENT_TYPE_ERROR = -1,
    /// Nothing happened before the timeout.
    PP_ENET_EVENT_TYPE_NONE = 0,
    /// A peer connected: `peer`, `data` (the remote's connect data).
    PP_ENET_EVENT_TYPE_CONNECT = 1,
    /// A peer disconnected or timed out: `peer`, `data` (the remote's disconnect data, 0 on timeout).
    PP_ENET_EVENT_TYPE_DISCONNECT = 2,
    /// A packet is queued on `peer` (read it with `pp_get_packet`), from ENet channel `channel`.
    PP_ENET_EVENT_TYPE_RECEIVE = 3,
}

/// Godot's `ENetPacketPeer.PeerState`, from `pp_enet_packet_peer_get_state`. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_enet_peer_state {
    PP_ENET_PEER_STATE_DISCONNECTED = 0,
    PP_ENET_PEER_STATE_CONNECTING = 1,
    PP_ENET_PEER_STATE_ACKNOWLEDGING_CONNECT = 2,
    PP_ENET_PEER_STATE_CONNECTION_PENDING = 3,
    PP_ENET_PEER_STATE_CONNECTION_SUCCEEDED = 4,
    PP_ENET_PEER_STATE_CONNECTED = 5,
    PP_ENET_PEER_STATE_DISCONNECT_LATER = 6,
    PP_ENET_PEER_STATE_DISCONNECTING = 7,
    PP_ENET_PEER_STATE_ACKNOWLEDGING_DISCONNECT = 8,
    PP_ENET_PEER_STATE_ZOMBIE = 9,
}

/// Godot's `ENetPacketPeer` packet flags, combined with `|` in `pp_enet_packet_peer_send` /
/// `pp_enet_connection_broadcast` and returned by `pp_enet_packet_peer_get_packet_flags`. No flag is a
/// plain unreliable, sequenced packet. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_enet_packet_flag {
    /// Delivered, once, in order (resent until acknowledged).
    PP_ENET_PACKET_PEER_FLAG_RELIABLE = 1,
    /// Unreliable and not sequenced: may arrive out of order.
    PP_ENET_PACKET_PEER_FLAG_UNSEQUENCED = 2,
    /// An unreliable packet larger than the MTU is sent as unreliable fragments instead of reliably.
    PP_ENET_PACKET_PEER_FLAG_UNRELIABLE_FRAGMENT = 8,
}

/// Godot's `ENetConnection.CompressionMode`, for `pp_enet_connection_compress`. Both ends must use
/// the same mode. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_enet_compression_mode {
    PP_ENET_COMPRESS_NONE = 0,
    PP_ENET_COMPRESS_RANGE_CODER = 1,
    PP_ENET_COMPRESS_FASTLZ = 2,
    PP_ENET_COMPRESS_ZLIB = 3,
    PP_ENET_COMPRESS_ZSTD = 4,
}

/// Godot's `ENetConnection.HostStatistic`, for `pp_enet_connection_pop_statistic`. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_enet_host_statistic {
    /// Bytes sent.
    PP_ENET_HOST_TOTAL_SENT_DATA = 0,
    /// Datagrams sent.
    PP_ENET_HOST_TOTAL_SENT_PACKETS = 1,
    /// Bytes received.
    PP_ENET_HOST_TOTAL_RECEIVED_DATA = 2,
    /// Datagrams received.
    PP_ENET_HOST_TOTAL_RECEIVED_PACKETS = 3,
}

/// Godot's `ENetPacketPeer.PeerStatistic`, for `pp_enet_packet_peer_get_statistic`. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_enet_peer_statistic {
    PP_ENET_PEER_PACKET_LOSS = 0,
    PP_ENET_PEER_PACKET_LOSS_VARIANCE = 1,
    PP_ENET_PEER_PACKET_LOSS_EPOCH = 2,
    /// Mean round-trip time in milliseconds.
    PP_ENET_PEER_ROUND_TRIP_TIME = 3,
    PP_ENET_PEER_ROUND_TRIP_TIME_VARIANCE = 4,
    PP_ENET_PEER_LAST_ROUND_TRIP_TIME = 5,
    PP_ENET_PEER_LAST_ROUND_TRIP_TIME_VARIANCE = 6,
    PP_ENET_PEER_PACKET_THROTTLE = 7,
    PP_ENET_PEER_PACKET_THROTTLE_LIMIT = 8,
    PP_ENET_PEER_PACKET_THROTTLE_COUNTER = 9,
    PP_ENET_PEER_PACKET_THROTTLE_EPOCH = 10,
    PP_ENET_PEER_PACKET_THROTTLE_ACCELERATION = 11,
    PP_ENET_PEER_PACKET_THROTTLE_DECELERATION = 12,
    PP_ENET_PEER_PACKET_THROTTLE_INTERVAL = 13,
}

c_enum_return!(
    pp_enet_peer_state => pp_enet_peer_state::PP_ENET_PEER_STATE_DISCONNECTED,
    pp_enet_connect_failure => pp_enet_connect_failure::PP_ENET_CONNECT_FAILURE_NONE,
);

impl From<EventType> for pp_enet_event_type {
    fn from(t: EventType) -> Self {
        use pp_enet_event_type::*;
        match t {
            EventType::Error => PP_ENET_EVENT_TYPE_ERROR,
            EventType::None => PP_ENET_EVENT_TYPE_NONE,
            EventType::Connect => PP_ENET_EVENT_TYPE_CONNECT,
            EventType::Disconnect => PP_ENET_EVENT_TYPE_DISCONNECT,
            EventType::Receive => PP_ENET_EVENT_TYPE_RECEIVE,
        }
    }
}

impl From<PeerState> for pp_enet_peer_state {
    fn from(s: PeerState) -> Self {
        use pp_enet_peer_state::*;
        match s {
            PeerState::Disconnected => PP_ENET_PEER_STATE_DISCONNECTED,
            PeerState::Connecting => PP_ENET_PEER_STATE_CONNECTING,
            PeerState::AcknowledgingConnect => PP_ENET_PEER_STATE_ACKNOWLEDGING_CONNECT,
            PeerState::ConnectionPending => PP_ENET_PEER_STATE_CONNECTION_PENDING,
            PeerState::ConnectionSucceeded => PP_ENET_PEER_STATE_CONNECTION_SUCCEEDED,
            PeerState::Connected => PP_ENET_PEER_STATE_CONNECTED,
            PeerState::DisconnectLater => PP_ENET_PEER_STATE_DISCONNECT_LATER,
            PeerState::Disconnecting => PP_ENET_PEER_STATE_DISCONNECTING,
            PeerState::AcknowledgingDisconnect => PP_ENET_PEER_STATE_ACKNOWLEDGING_DISCONNECT,
            PeerState::Zombie => PP_ENET_PEER_STATE_ZOMBIE,
        }
    }
}

/// One event from `pp_enet_connection_service` / `pp_enet_connection_check_events`.
#[repr(C)]
pub struct pp_enet_event {
    /// What happened.
    pub r#type: pp_enet_event_type,
    /// The peer (a handle lent by the connection, valid until `pp_enet_connection_free`), or NULL.
    pub peer: *mut pp_peer,
    /// CONNECT: the remote's connect data (0 on the connecting side); DISCONNECT: the remote's
    /// disconnect data (0 on timeout).
    pub data: i32,
    /// RECEIVE: the ENet channel of the packet queued on `peer`.
    pub channel: i32,
}

impl EnetConnectionObject {
    /// A handle object on a connection that others may share (ENetMultiplayerPeer's host).
    pub(crate) fn from_shared(conn: SharedConnection) -> EnetConnectionObject {
        EnetConnectionObject {
            conn,
            handles: Excl::new(HashMap::new()),
        }
    }

    pub(crate) fn shared(&self) -> &SharedConnection {
        &self.conn
    }

    pub(crate) fn conn(&self) -> Result<LockGuard<'_, ENetConnection>, pp_error> {
        Ok(self.conn.lock()?)
    }

    /// The handle lent to C for this peer object (made on first use).
    fn lend(&self, p: &SharedPacketPeer) -> Result<*mut pp_peer, pp_error> {
        Ok(lend_peer(&mut *self.handles.get_mut()?, p))
    }

    fn event(&self, ev: ServiceEvent) -> Result<pp_enet_event, pp_error> {
        Ok(pp_enet_event {
            r#type: ev.kind.into(),
            peer: match &ev.peer {
                Some(p) => self.lend(p)?,
                None => std::ptr::null_mut(),
            },
            data: ev.data,
            channel: ev.channel,
        })
    }
}

/// Creates an ENetConnection without a host (call `pp_enet_connection_create_host[_bound]` next).
///
/// - `out_connection`: receives the handle; free it with `pp_enet_connection_free`.
///
/// Returns `PP_OK` or `PP_ERR_INVALID_PARAMETER` (NULL `out_connection`).
#[no_mangle]
pub extern "C" fn pp_enet_connection_new(out_connection: *mut *mut pp_enet_connection) -> pp_error {
    ffi_boundary! {
        let out = out!(out_connection);
        let c = EnetConnectionObject::from_shared(shared(ENetConnection::new()));
        out.write(new_handle::<pp_enet_connection>(c));
        Ok(())
    }
}

/// Frees the handle and every peer handle it lent. When no ENetMultiplayerPeer shares the connection
/// (see `pp_enet_multiplayer_peer_get_host` / `pp_enet_multiplayer_peer_add_mesh_peer`) its host is
/// destroyed too (nothing is sent: remotes time out); otherwise the host lives on with the
/// multiplayer peer. NULL is a no-op.
#[no_mangle]
pub extern "C" fn pp_enet_connection_free(c: *mut pp_enet_connection) {
    ffi_boundary! {
        let obj = try_ref!(c);
        if Arc::strong_count(&obj.conn) == 1 {
            if let Ok(mut g) = obj.conn() {
                let _ = g.destroy();
            }
        }
        // SAFETY: NULL or a handle from this library, not freed yet (the caller's contract); `obj`
        // is not used past this point.
        unsafe { free_handle(c) }
    }
}

/// `create_host(max_peers, max_channels, in_bandwidth, out_bandwidth)`: a host on a dual-stack socket
/// whose port the OS picks.
///
/// - `max_peers`: 1..4095; `max_channels`: 0..255 (0 = 255), the channel limit for incoming
///   connections; bandwidths in bytes/second, 0 = unlimited.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL handle or a value out of range),
/// `PP_ERR_ALREADY_IN_USE` (already has a host) or `PP_ERR_CANT_CREATE` (socket failure).
#[no_mangle]
pub extern "C" fn pp_enet_connection_create_host(
    c: *mut pp_enet_connection,
    max_peers: i32,
    max_channels: i32,
    in_bandwidth: i32,
    out_bandwidth: i32,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(c);
        map(c
            .conn()?
            .create_host(max_peers, max_channels, in_bandwidth, out_bandwidth))
    }
}

/// `create_host_bound(bind_address, bind_port, max_peers, max_channels, in_bandwidth, out_bandwidth)`.
///
/// - `bind_address`: an IP literal (`"127.0.0.1"`, `"::1"`) or `"*"` (all addresses, dual stack).
/// - `bind_port`: 0..65535 (0 = any free port; read it back with `pp_enet_connection_get_local_port`).
/// - other parameters as in `pp_enet_connection_create_host`.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER`, `PP_ERR_ALREADY_IN_USE` or `PP_ERR_CANT_CREATE`
/// (e.g. the port is taken).
#[no_mangle]
pub extern "C" fn pp_enet_connection_create_host_bound(
    c: *mut pp_enet_connection,
    bind_address: *const c_char,
    bind_port: i32,
    max_peers: i32,
    max_channels: i32,
    in_bandwidth: i32,
    out_bandwidth: i32,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(c);
        // SAFETY: NUL-terminated string by the caller's contract (NULL rejected).
        let addr = unsafe { in_str(bind_address) }?;
        map(c.conn()?.create_host_bound(
            addr,
            bind_port,
            max_peers,
            max_channels,
            in_bandwidth,
            out_bandwidth,
        ))
    }
}

/// `destroy()`: frees the host; every peer becomes inactive (their handles stay valid). Nothing is sent.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL) or `PP_ERR_UNCONFIGURED` (no host).
#[no_mangle]
pub extern "C" fn pp_enet_connection_destroy(c: *mut pp_enet_connection) -> pp_error {
    ffi_boundary! { map(try_ref!(c).conn()?.destroy()) }
}

/// `connect_to_host(address, port, channels, data)`: starts connecting; the peer is CONNECTING until
/// a CONNECT event. A closed port gives a DISCONNECT event within a service step or two where the
/// OS reports the refusal (Linux; `pp_enet_packet_peer_get_connect_failure` then says
/// `PP_ENET_CONNECT_FAILURE_REFUSED`). A server that never answers gives a DISCONNECT event after
/// ENet's peer timeout (31.5 s with the defaults; `PP_ENET_CONNECT_FAILURE_TIMED_OUT`);
/// `pp_enet_packet_peer_set_timeout(peer, 32, 1000, 3000)` on the returned peer gives up after
/// about 3.5 s.
///
/// - `address`: IP literal or host name (resolved now, blocking; first address of any family).
/// - `port`: 1..65535; `channels`: 0..255 (0 = 255); `data`: delivered to the remote's CONNECT event.
/// - `out_peer`: receives a peer handle lent by the connection (valid until
///   `pp_enet_connection_free`; do not `pp_peer_free` it).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL, bad port or channels), `PP_ERR_UNCONFIGURED`
/// (no host) or `PP_ERR_CANT_CONNECT` (the host already has a peer, the name did not resolve, or no
/// peer slot is free — where Godot returns null).
#[no_mangle]
pub extern "C" fn pp_enet_connection_connect_to_host(
    c: *mut pp_enet_connection,
    address: *const c_char,
    port: i32,
    channels: i32,
    data: i32,
    out_peer: *mut *mut pp_peer,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(c);
        // SAFETY: NUL-terminated string by the caller's contract (NULL rejected).
        let address = unsafe { in_str(address) }?;
        let out = out!(out_peer);
        let p = c
            .conn()?
            .try_connect_to_host(address, port, channels, data)
            .map_err(|e| pp_error::from(Error::from(e)))?;
        out.write(c.lend(&p)?);
        Ok(())
    }
}

/// `service(timeout)`: drops inactive peers, runs one ENet service step (waiting up to `timeout_ms`
/// for an event; a negative value does not wait, like 0) and reports at most one event. A RECEIVE event's packet is queued on the event's
/// peer: read it with `pp_get_packet`.
///
/// - `out_event`: receives the event (type NONE when nothing happened, ERROR on a socket error or an
///   event for a peer this connection never knew).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL) or `PP_ERR_UNCONFIGURED` (no host).
#[no_mangle]
pub extern "C" fn pp_enet_connection_service(
    c: *mut pp_enet_connection,
    timeout_ms: i32,
    out_event: *mut pp_enet_event,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(c);
        let out = out!(out_event);
        let ev = {
            // One lock for the check and the call.
            let mut g = c.conn()?;
            if !g.has_host() {
                return Err(pp_error::PP_ERR_UNCONFIGURED);
            }
            g.service(timeout_ms)
        };
        out.write(c.event(ev)?);
        Ok(())
    }
}

/// Redot's `check_events()`: the next event already queued by an earlier service, without network
/// I/O (NONE when there is none). Same event rules and returns as `pp_enet_connection_service`.
#[no_mangle]
pub extern "C" fn pp_enet_connection_check_events(
    c: *mut pp_enet_connection,
    out_event: *mut pp_enet_event,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(c);
        let out = out!(out_event);
        let ev = {
            // One lock for the check and the call.
            let mut g = c.conn()?;
            if !g.has_host() {
                return Err(pp_error::PP_ERR_UNCONFIGURED);
            }
            g.check_events()
        };
        out.write(c.event(ev)?);
        Ok(())
    }
}

/// `flush()`: sends every queued command now. Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER`,
/// `PP_ERR_UNCONFIGURED` (no host) or `PP_FAILED` (socket error).
#[no_mangle]
pub extern "C" fn pp_enet_connection_flush(c: *mut pp_enet_connection) -> pp_error {
    ffi_boundary! { map(try_ref!(c).conn()?.flush()) }
}

/// `bandwidth_limit(in_bandwidth, out_bandwidth)` in bytes/second (0 = unlimited); peers learn it at
/// the next bandwidth recalculation (every second). Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER`
/// (NULL, negative) or `PP_ERR_UNCONFIGURED`.
#[no_mangle]
pub extern "C" fn pp_enet_connection_bandwidth_limit(
    c: *mut pp_enet_connection,
    in_bandwidth: i32,
    out_bandwidth: i32,
) -> pp_error {
    ffi_boundary! {
        map(try_ref!(c)
            .conn()?
            .bandwidth_limit(in_bandwidth, out_bandwidth))
    }
}

/// `channel_limit(limit)` for future incoming connections (0 or >255 -> 255; <1 -> 1).
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL) or `PP_ERR_UNCONFIGURED`.
#[no_mangle]
pub extern "C" fn pp_enet_connection_channel_limit(
    c: *mut pp_enet_connection,
    limit: i32,
) -> pp_error {
    ffi_boundary! { map(try_ref!(c).conn()?.channel_limit(limit)) }
}

/// `broadcast(channel, packet, flags)`: queues a copy of `data` to every connected peer.
///
/// - `channel`: below the host's channel limit; `flags`: a combination of 1 (reliable),
///   2 (unsequenced), 8 (unreliable fragment).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` or `PP_ERR_UNCONFIGURED`.
#[no_mangle]
pub extern "C" fn pp_enet_connection_broadcast(
    c: *mut pp_enet_connection,
    channel: i32,
    data: *const u8,
    len: usize,
    flags: i32,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(c);
        // SAFETY: `len` readable bytes at `data` by the caller's contract.
        let data = unsafe { in_slice(data, len) }?;
        map(c.conn()?.broadcast(channel, data, flags))
    }
}

/// `compress(mode)`: `mode` is a `pp_enet_compression_mode` (`PP_ENET_COMPRESS_NONE`, `_RANGE_CODER`,
/// `_FASTLZ`, `_ZLIB`, `_ZSTD`). Both ends must use the same mode.
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL, unknown mode) or `PP_ERR_UNCONFIGURED`.
#[no_mangle]
pub extern "C" fn pp_enet_connection_compress(c: *mut pp_enet_connection, mode: i32) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(c);
        let mode = CompressionMode::try_from(mode).map_err(|_| INVALID)?;
        map(c.conn()?.compress(mode))
    }
}

/// Beyond the engine: whether a peer still CONNECTING whose address the OS reports refused (ICMP
/// port unreachable; Linux) fails at once — a DISCONNECT event within a service step or two,
/// `pp_enet_packet_peer_get_connect_failure` = `PP_ENET_CONNECT_FAILURE_REFUSED` — (`on` true, the
/// default), or keeps sending its CONNECT until ENet's timeout as the engine does (`on` false), so a
/// client started before its server is still accepted once the server is up. May be set before or
/// after `create_host`; takes effect at the next service step. For an ENetMultiplayerPeer client,
/// call it on the connection from `pp_enet_multiplayer_peer_get_host` right after
/// `pp_enet_multiplayer_peer_create_client`.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (NULL or another class).
#[no_mangle]
pub extern "C" fn pp_enet_connection_set_fail_connect_on_refused(
    c: *mut pp_enet_connection,
    on: bool,
) -> pp_error {
    ffi_boundary! {
        try_ref!(c).conn()?.set_fail_connect_on_refused(on);
        Ok(())
    }
}

/// Whether a refused connect fails at once (`pp_enet_connection_set_fail_connect_on_refused`):
/// true by default; false for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_enet_connection_is_fail_connect_on_refused(
    c: *mut pp_enet_connection,
) -> bool {
    ffi_boundary! {
        let c = try_ref!(c);
        c.conn().map(|g| g.is_fail_connect_on_refused()).unwrap_or(true)
    }
}

/// `refuse_new_connections(refuse)`: only affects DTLS servers; kept for API parity.
/// Returns `PP_OK` or `PP_ERR_INVALID_PARAMETER` (NULL).
#[no_mangle]
pub extern "C" fn pp_enet_connection_refuse_new_connections(
    c: *mut pp_enet_connection,
    refuse: bool,
) -> pp_error {
    ffi_boundary! {
        try_ref!(c).conn()?.refuse_new_connections(refuse);
        Ok(())
    }
}

/// `pop_statistic(statistic)`: `statistic` is a `pp_enet_host_statistic` (`PP_ENET_HOST_TOTAL_*`);
/// returns the counter and resets it.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL, unknown statistic) or `PP_ERR_UNCONFIGURED`.
#[no_mangle]
pub extern "C" fn pp_enet_connection_pop_statistic(
    c: *mut pp_enet_connection,
    statistic: i32,
    out_value: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(c);
        let out = out!(out_value);
        let stat = HostStatistic::try_from(statistic).map_err(|_| INVALID)?;
        let v = {
            // One lock for the check and the call.
            let mut g = c.conn()?;
            if !g.has_host() {
                return Err(pp_error::PP_ERR_UNCONFIGURED);
            }
            g.pop_statistic(stat)
        };
        out.write(v);
        Ok(())
    }
}

/// `get_max_channels()`: the host's channel limit; 0 for NULL or no host.
#[no_mangle]
pub extern "C" fn pp_enet_connection_get_max_channels(c: *mut pp_enet_connection) -> i32 {
    ffi_boundary! {
        let c = try_ref!(c);
        c.conn().map(|g| g.get_max_channels()).unwrap_or(0)
    }
}

/// `get_local_port()`: the bound port; 0 for NULL, no host, or a host made by
/// `pp_enet_connection_create_host` (not explicitly bound).
#[no_mangle]
pub extern "C" fn pp_enet_connection_get_local_port(c: *mut pp_enet_connection) -> i32 {
    ffi_boundary! {
        let c = try_ref!(c);
        c.conn().map(|g| g.get_local_port()).unwrap_or(0)
    }
}

/// `get_peers()`: the peers the connection knows (connecting, connected, disconnecting).
///
/// - `out_peers`: array of `capacity` slots (may be NULL when `capacity` is 0) receiving lent peer
///   handles (valid until `pp_enet_connection_free`).
/// - `out_count`: receives the total number of peers (may exceed `capacity`; then only `capacity` are
///   written).
///
/// Returns `PP_OK` or `PP_ERR_INVALID_PARAMETER` (NULL `c` or `out_count`, NULL `out_peers` with
/// `capacity` > 0, `capacity` > INT32_MAX).
#[no_mangle]
pub extern "C" fn pp_enet_connection_get_peers(
    c: *mut pp_enet_connection,
    out_peers: *mut *mut pp_peer,
    capacity: usize,
    out_count: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(c);
        let out_count = out!(out_count);
        if capacity > i32::MAX as usize || (out_peers.is_null() && capacity > 0) {
            return Err(INVALID);
        }
        let peers = c.conn()?.get_peers();
        for (i, p) in peers.iter().take(capacity).enumerate() {
            let h = c.lend(p)?;
            // SAFETY: `out_peers` has `capacity` writable slots by the caller's contract; i < capacity.
            unsafe { out_peers.add(i).write(h) };
        }
        out_count.write(peers.len());
        Ok(())
    }
}

/// `socket_send(destination_address, destination_port, packet)`: sends `data` as one raw datagram from
/// the host's socket (NAT hole punching). Needs a bound host.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER`, `PP_ERR_UNCONFIGURED` (no host or not bound),
/// `PP_ERR_CANT_RESOLVE` or `PP_FAILED` (send error).
#[no_mangle]
pub extern "C" fn pp_enet_connection_socket_send(
    c: *mut pp_enet_connection,
    destination_address: *const c_char,
    destination_port: i32,
    data: *const u8,
    len: usize,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(c);
        // SAFETY: NUL-terminated string by the caller's contract (NULL rejected).
        let addr = unsafe { in_str(destination_address) }?;
        // SAFETY: `len` readable bytes at `data` by the caller's contract.
        let data = unsafe { in_slice(data, len) }?;
        map(c.conn()?.socket_send(addr, destination_port, data))
    }
}

/// Why the last call or connection attempt on this connection failed, in words (beyond the
/// engine): a socket that could not be bound (`"bind 127.0.0.1 port 7000: Address in use (os error
/// 98)"`), a `connect_to_host` refusal (bad port, name that did not resolve...), a socket error in
/// `service`, a failed `socket_send`, or the last peer whose connect was refused or timed out (that
/// peer's `pp_enet_packet_peer_get_last_error_text`). `""` until something fails; a new host clears
/// it.
///
/// - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
///   (see the header's conventions).
/// - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
#[no_mangle]
pub extern "C" fn pp_enet_connection_get_last_error_text(
    c: *mut pp_enet_connection,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(c);
        let s = c.conn()?.get_last_error_text().to_string();
        let out_len = out_opt!(out_len);
        // SAFETY: `out_text` is NULL or has `out_text_size` writable bytes (caller's contract).
        unsafe { write_text(&s, out_text, out_text_size, out_len) }
    }
}

// ----- ENetPacketPeer -----

fn with_enet<R>(
    peer: *mut pp_peer,
    f: impl FnOnce(&mut ENetPacketPeer) -> Result<R, pp_error>,
) -> Result<R, pp_error> {
    with_class(try_ref!(peer), f)
}

/// `send(channel, packet, flags)`: queues a copy of `data` on an ENet channel.
///
/// - `flags`: `pp_enet_packet_flag` values combined with `|` (`PP_ENET_PACKET_PEER_FLAG_RELIABLE`,
///   `_UNSEQUENCED`, `_UNRELIABLE_FRAGMENT`); 0 for a plain unreliable packet.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL, not an ENet peer, channel < 0 or > channel
/// count, other flags), `PP_ERR_UNCONFIGURED` (inactive peer) or `PP_FAILED` (ENet refused: not
/// connected, channel == count, more than 32 MiB).
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_send(
    peer: *mut pp_peer,
    channel: i32,
    data: *const u8,
    len: usize,
    flags: i32,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: `len` readable bytes at `data` by the caller's contract.
        let data = unsafe { in_slice(data, len) }?;
        with_enet(peer, |p| map(p.send(channel, data, flags)))
    }
}

/// `get_packet_flags()`: the `pp_enet_packet_flag` bits of the next queued packet (0 for a plain
/// unreliable one); 0 when none or for NULL / another class.
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_get_packet_flags(peer: *mut pp_peer) -> i32 {
    ffi_boundary! {
        with_enet(peer, |p| Ok(p.get_packet_flags())).unwrap_or(0)
    }
}

/// `peer_disconnect(data)`: graceful; DISCONNECT events on both sides once acknowledged.
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` or `PP_ERR_UNCONFIGURED` (inactive).
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_peer_disconnect(peer: *mut pp_peer, data: i32) -> pp_error {
    ffi_boundary! { with_enet(peer, |p| map(p.peer_disconnect(data))) }
}

/// `peer_disconnect_later(data)`: disconnects once every queued packet has been sent and acknowledged.
/// Returns as `pp_enet_packet_peer_peer_disconnect`.
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_peer_disconnect_later(
    peer: *mut pp_peer,
    data: i32,
) -> pp_error {
    ffi_boundary! { with_enet(peer, |p| map(p.peer_disconnect_later(data))) }
}

/// `peer_disconnect_now(data)`: sends an unreliable DISCONNECT at once and drops the peer without a
/// local event; the peer becomes inactive. Returns as `pp_enet_packet_peer_peer_disconnect`.
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_peer_disconnect_now(
    peer: *mut pp_peer,
    data: i32,
) -> pp_error {
    ffi_boundary! { with_enet(peer, |p| map(p.peer_disconnect_now(data))) }
}

/// `reset()`: drops the peer without telling the remote (it times out); inactive afterwards.
/// Returns as `pp_enet_packet_peer_peer_disconnect`.
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_reset(peer: *mut pp_peer) -> pp_error {
    ffi_boundary! { with_enet(peer, |p| map(p.reset())) }
}

/// `ping()`: queues a PING now. Returns as `pp_enet_packet_peer_peer_disconnect`.
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_ping(peer: *mut pp_peer) -> pp_error {
    ffi_boundary! { with_enet(peer, |p| map(p.ping())) }
}

/// `ping_interval(ms)`: time between automatic pings (0 = 500). Returns `PP_OK`,
/// `PP_ERR_INVALID_PARAMETER` (NULL, negative) or `PP_ERR_UNCONFIGURED`.
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_ping_interval(
    peer: *mut pp_peer,
    ping_interval: i32,
) -> pp_error {
    ffi_boundary! { with_enet(peer, |p| map(p.ping_interval(ping_interval))) }
}

/// `set_timeout(timeout, timeout_min, timeout_max)` (ms; 0 = ENet defaults 32, 5000, 30000).
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL, another class, or unless timeout <=
/// timeout_min <= timeout_max; `PP_ERR_UNCONFIGURED` when inactive.
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_set_timeout(
    peer: *mut pp_peer,
    timeout: i32,
    timeout_min: i32,
    timeout_max: i32,
) -> pp_error {
    ffi_boundary! {
        with_enet(peer, |p| {
            map(p.set_timeout(timeout, timeout_min, timeout_max))
        })
    }
}

/// `throttle_configure(interval, acceleration, deceleration)`: sets the local throttle and tells the
/// remote. Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL, negative) or `PP_ERR_UNCONFIGURED`.
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_throttle_configure(
    peer: *mut pp_peer,
    interval: i32,
    acceleration: i32,
    deceleration: i32,
) -> pp_error {
    ffi_boundary! {
        with_enet(peer, |p| {
            map(p.throttle_configure(interval, acceleration, deceleration))
        })
    }
}

/// `get_statistic(statistic)`: `statistic` is a `pp_enet_peer_statistic` (e.g.
/// `PP_ENET_PEER_ROUND_TRIP_TIME`, in ms).
/// Returns `PP_OK` (0 for an inactive peer), or `PP_ERR_INVALID_PARAMETER` (NULL, unknown statistic).
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_get_statistic(
    peer: *mut pp_peer,
    statistic: i32,
    out_value: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_value);
        let stat = PeerStatistic::try_from(statistic).map_err(|_| INVALID)?;
        let v = with_enet(peer, |p| Ok(p.get_statistic(stat)))?;
        out.write(v);
        Ok(())
    }
}

/// `get_state()`: the peer's `pp_enet_peer_state` (`PP_ENET_PEER_STATE_DISCONNECTED` when inactive,
/// NULL or another class).
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_get_state(peer: *mut pp_peer) -> pp_enet_peer_state {
    ffi_boundary! {
        with_enet(peer, |p| Ok(p.get_state().into()))
            .unwrap_or(pp_enet_peer_state::PP_ENET_PEER_STATE_DISCONNECTED)
    }
}

/// `get_channels()`: the peer's channel count (0 when inactive, NULL or another class).
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_get_channels(peer: *mut pp_peer) -> i32 {
    ffi_boundary! { with_enet(peer, |p| Ok(p.get_channels())).unwrap_or(0) }
}

/// `get_remote_address()`: the address as NUL-terminated text (dotted IPv4, or eight hex groups for
/// IPv6).
///
/// - `out_buffer`, `capacity`: the caller's buffer (`PP_IP_STRING_SIZE` is always enough), filled by
///   the text-out rule (see the header's conventions).
/// - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` (NULL, another class, bad buffer) or `PP_ERR_UNCONFIGURED` (inactive).
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_get_remote_address(
    peer: *mut pp_peer,
    out_buffer: *mut c_char,
    capacity: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let s = with_enet(peer, |p| {
            if !p.is_active() {
                return Err(pp_error::PP_ERR_UNCONFIGURED);
            }
            Ok(p.get_remote_address())
        })?;
        let out_len = out_opt!(out_len);
        // SAFETY: `out_buffer` is NULL or has `capacity` writable bytes (caller's contract).
        unsafe { write_text(&s, out_buffer, capacity, out_len) }
    }
}

/// `get_remote_port()`: the remote's UDP port (0 when inactive, NULL or another class).
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_get_remote_port(peer: *mut pp_peer) -> i32 {
    ffi_boundary! {
        with_enet(peer, |p| Ok(p.get_remote_port())).unwrap_or(0)
    }
}

/// Why this peer's connection attempt failed (beyond the engine, where the DISCONNECT event alone
/// says nothing), from `pp_enet_packet_peer_get_connect_failure`. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_enet_connect_failure {
    /// The attempt did not fail (still connecting, connected, or a peer that connected to us).
    PP_ENET_CONNECT_FAILURE_NONE = 0,
    /// The server's OS refused it: nothing listens on that port (ICMP port unreachable). Reported
    /// within a service step or two where the OS tells (Linux) instead of after ENet's timeout.
    PP_ENET_CONNECT_FAILURE_REFUSED = 1,
    /// No answer within ENet's peer timeout (31.5 s by default): a silent or filtered port, a wrong
    /// address, a server that did not accept.
    PP_ENET_CONNECT_FAILURE_TIMED_OUT = 2,
}

/// Why the connection attempt of a peer from `pp_enet_connection_connect_to_host` failed, once its
/// DISCONNECT event came: `PP_ENET_CONNECT_FAILURE_REFUSED` or `_TIMED_OUT`; `_NONE` while it did
/// not fail, once it connected, and for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_get_connect_failure(
    peer: *mut pp_peer,
) -> pp_enet_connect_failure {
    ffi_boundary! {
        use pp_enet_connect_failure::*;
        with_enet(peer, |p| {
            Ok(match p.connect_failure() {
                None => PP_ENET_CONNECT_FAILURE_NONE,
                Some(ConnectFailure::Refused) => PP_ENET_CONNECT_FAILURE_REFUSED,
                Some(ConnectFailure::TimedOut) => PP_ENET_CONNECT_FAILURE_TIMED_OUT,
            })
        })
        .unwrap_or(PP_ENET_CONNECT_FAILURE_NONE)
    }
}

/// Why this peer's connection failed or ended, in words (beyond the engine): a refused connect
/// (`"connect to 127.0.0.1:7000: Connection refused (os error 111): nothing listens on that port
/// (ICMP port unreachable)"`), a timed-out one, or a connection the remote ended or that stopped
/// answering. `""` while nothing failed; a disconnect this side asked for leaves it empty. Kept
/// after the peer turned inactive.
///
/// - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
///   (see the header's conventions).
/// - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_get_last_error_text(
    peer: *mut pp_peer,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let s = with_enet(peer, |p| Ok(p.get_last_error_text().to_string()))?;
        let out_len = out_opt!(out_len);
        // SAFETY: `out_text` is NULL or has `out_text_size` writable bytes (caller's contract).
        unsafe { write_text(&s, out_text, out_text_size, out_len) }
    }
}

/// `is_active()`: false after DISCONNECT, reset, disconnect_now or host destruction (and for NULL or
/// another class).
#[no_mangle]
pub extern "C" fn pp_enet_packet_peer_is_active(peer: *mut pp_peer) -> bool {
    ffi_boundary! {
        with_enet(peer, |p| Ok(p.is_active())).unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enet::connection::EventType;

    #[test]
    fn named_constants_match_the_core() {
        use crate::enet::host::{
            PACKET_FLAG_RELIABLE, PACKET_FLAG_UNRELIABLE_FRAGMENT, PACKET_FLAG_UNSEQUENCED,
        };
        use PeerState::*;
        for core in [
            Disconnected,
            Connecting,
            AcknowledgingConnect,
            ConnectionPending,
            ConnectionSucceeded,
            Connected,
            DisconnectLater,
            Disconnecting,
            AcknowledgingDisconnect,
            Zombie,
        ] {
            assert_eq!(pp_enet_peer_state::from(core) as i32, core as i32);
        }
        use pp_enet_packet_flag::*;
        assert_eq!(
            PP_ENET_PACKET_PEER_FLAG_RELIABLE as u32,
            PACKET_FLAG_RELIABLE
        );
        assert_eq!(
            PP_ENET_PACKET_PEER_FLAG_UNSEQUENCED as u32,
            PACKET_FLAG_UNSEQUENCED
        );
        assert_eq!(
            PP_ENET_PACKET_PEER_FLAG_UNRELIABLE_FRAGMENT as u32,
            PACKET_FLAG_UNRELIABLE_FRAGMENT
        );
        use pp_enet_compression_mode::*;
        for (c, n) in [
            (PP_ENET_COMPRESS_NONE, CompressionMode::None),
            (PP_ENET_COMPRESS_RANGE_CODER, CompressionMode::RangeCoder),
            (PP_ENET_COMPRESS_FASTLZ, CompressionMode::FastLz),
            (PP_ENET_COMPRESS_ZLIB, CompressionMode::Zlib),
            (PP_ENET_COMPRESS_ZSTD, CompressionMode::Zstd),
        ] {
            assert_eq!(CompressionMode::try_from(c as i32).unwrap(), n);
        }
        use pp_enet_host_statistic::*;
        assert_eq!(
            HostStatistic::try_from(PP_ENET_HOST_TOTAL_RECEIVED_PACKETS as i32).unwrap(),
            HostStatistic::TotalReceivedPackets
        );
        assert!(HostStatistic::try_from(PP_ENET_HOST_TOTAL_RECEIVED_PACKETS as i32 + 1).is_err());
        use pp_enet_peer_statistic::*;
        assert_eq!(
            PeerStatistic::try_from(PP_ENET_PEER_ROUND_TRIP_TIME as i32).unwrap(),
            PeerStatistic::RoundTripTime
        );
        assert_eq!(
            PeerStatistic::try_from(PP_ENET_PEER_PACKET_THROTTLE_INTERVAL as i32).unwrap(),
            PeerStatistic::PacketThrottleInterval
        );
        assert!(PeerStatistic::try_from(PP_ENET_PEER_PACKET_THROTTLE_INTERVAL as i32 + 1).is_err());
    }

    #[test]
    fn event_numbers_are_godots() {
        assert_eq!(EventType::Error as i32, -1);
        assert_eq!(EventType::None as i32, 0);
        assert_eq!(EventType::Connect as i32, 1);
        assert_eq!(EventType::Disconnect as i32, 2);
        assert_eq!(EventType::Receive as i32, 3);
    }

    #[test]
    fn null_handles_are_invalid() {
        let mut ev = pp_enet_event {
            r#type: pp_enet_event_type::PP_ENET_EVENT_TYPE_NONE,
            peer: std::ptr::null_mut(),
            data: 0,
            channel: 0,
        };
        assert_eq!(pp_enet_connection_new(std::ptr::null_mut()), INVALID);
        assert_eq!(
            pp_enet_connection_service(std::ptr::null_mut(), 0, &mut ev),
            INVALID
        );
        assert_eq!(
            pp_enet_packet_peer_send(std::ptr::null_mut(), 0, std::ptr::null(), 0, 1),
            INVALID
        );
        assert_eq!(
            pp_enet_packet_peer_get_state(std::ptr::null_mut()),
            pp_enet_peer_state::PP_ENET_PEER_STATE_DISCONNECTED
        );
        assert!(!pp_enet_packet_peer_is_active(std::ptr::null_mut()));
        pp_enet_connection_free(std::ptr::null_mut());
        let mut c = std::ptr::null_mut();
        assert_eq!(pp_enet_connection_new(&mut c), pp_error::PP_OK);
        assert_eq!(
            pp_enet_connection_service(c, 0, &mut ev),
            pp_error::PP_ERR_UNCONFIGURED
        );
        assert_eq!(pp_enet_connection_compress(c, 9), INVALID);
        pp_enet_connection_free(c);
    }

    #[test]
    fn negative_service_timeout_does_not_wait() {
        let mut c = std::ptr::null_mut();
        assert_eq!(pp_enet_connection_new(&mut c), pp_error::PP_OK);
        assert_eq!(
            pp_enet_connection_create_host_bound(c, c"127.0.0.1".as_ptr(), 0, 1, 1, 0, 0),
            pp_error::PP_OK
        );
        let mut ev = pp_enet_event {
            r#type: pp_enet_event_type::PP_ENET_EVENT_TYPE_ERROR,
            peer: std::ptr::null_mut(),
            data: 0,
            channel: 0,
        };
        // Nothing can arrive: a wait would block this test for as long as ENet was told to.
        assert_eq!(pp_enet_connection_service(c, -1, &mut ev), pp_error::PP_OK);
        assert_eq!(ev.r#type, pp_enet_event_type::PP_ENET_EVENT_TYPE_NONE);
        assert!(ev.peer.is_null());
        pp_enet_connection_free(c);
    }
}
