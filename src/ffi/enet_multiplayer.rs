//! C API of ENetMultiplayerPeer (`docs/classes.md` §17).
//!
//! The multiplayer peer is a `pp_peer`: the PacketPeer calls (`pp_put_packet`, `pp_get_packet`,
//! `pp_put_var`, ...) and every `pp_multiplayer_peer_*` call work on it; free it with `pp_peer_free`.
//! ENet peers from `pp_enet_multiplayer_peer_get_peer` are lent by the multiplayer peer (valid until
//! it is freed); the connection from `pp_enet_multiplayer_peer_get_host` is a new handle sharing the
//! multiplayer peer's host (free it with `pp_enet_connection_free`).
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use std::ffi::c_char;

use super::enet::{pp_enet_connection, EnetConnectionObject};
use super::*;
use crate::enet::multiplayer::ENetMultiplayerPeer;
use crate::multiplayer::MultiplayerPeer;

/// The object behind an ENetMultiplayerPeer `pp_peer`.
type EnetMultiplayerObject = LendingMultiplayer<ENetMultiplayerPeer>;

fn with_emp<R>(
    peer: *mut pp_peer,
    f: impl FnOnce(&mut EnetMultiplayerObject) -> Result<R, pp_error>,
) -> Result<R, pp_error> {
    with_class(try_ref!(peer), f)
}

/// Creates an inactive ENetMultiplayerPeer (call `pp_enet_multiplayer_peer_create_server`,
/// `_create_client` or `_create_mesh` next). Its bind address is `"*"` until
/// `pp_enet_multiplayer_peer_set_bind_ip`.
///
/// - `out_peer`: receives the peer; free it with `pp_peer_free` (which also closes it: connected
///   remotes get an immediate ENet DISCONNECT).
///
/// Returns `PP_OK` or `PP_ERR_INVALID_PARAMETER` (NULL `out_peer`).
#[no_mangle]
pub extern "C" fn pp_enet_multiplayer_peer_new(out_peer: *mut *mut pp_peer) -> pp_error {
    ffi_boundary! {
        let out = out!(out_peer);
        out.write(new_peer(EnetMultiplayerObject::new(ENetMultiplayerPeer::new())));
        Ok(())
    }
}

/// `create_server(port, max_clients, max_channels, in_bandwidth, out_bandwidth)`: an ENet host bound
/// to the bind address (`"*"` by default) and `port`; this peer becomes the server (ID 1, CONNECTED).
/// Clients are admitted in `pp_multiplayer_peer_poll` with the ID they send as ENet connect data
/// (2..2147483647, not already in use, and only while not refusing new connections); others are
/// dropped silently and time out.
///
/// - `port`: 0..65535 (0 = a free port; read it with `pp_enet_connection_get_local_port` on the
///   host from `pp_enet_multiplayer_peer_get_host`).
/// - `max_clients`: 1..4095. Godot's default is 32.
/// - `max_channels`: user channels 0..253 (0 = as many as ENet allows): the host accepts
///   `max_channels + 2` ENet channels (255 for 0). Godot's engine passes this value as the host's
///   incoming bandwidth instead and never limits channels, and ignores `in_bandwidth` (an argument
///   shift); this library implements the intended mapping. A Godot client sees the difference only
///   through ENet flow control.
/// - `in_bandwidth`, `out_bandwidth`: bytes/second, 0 = unlimited.
///
/// In Godot 3 mode (`pp_enet_multiplayer_peer_set_godot3_compat`) `max_channels` is 0..252 and the
/// host accepts `3 + max_channels` ENet channels (3 = Godot 3's default `channel_count`).
///
/// Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` if the peer is active; `PP_ERR_INVALID_PARAMETER` for NULL,
/// another class or a value out of range; `PP_ERR_CANT_CREATE` if the socket cannot be bound.
#[no_mangle]
pub extern "C" fn pp_enet_multiplayer_peer_create_server(
    peer: *mut pp_peer,
    port: i32,
    max_clients: i32,
    max_channels: i32,
    in_bandwidth: i32,
    out_bandwidth: i32,
) -> pp_error {
    ffi_boundary! {
        with_emp(peer, |o| {
            map(o
                .mp
                .create_server(port, max_clients, max_channels, in_bandwidth, out_bandwidth))
        })
    }
}

/// `create_client(address, port, channel_count, in_bandwidth, out_bandwidth, local_port)`: draws this
/// peer's unique ID (2..2147483647) and starts connecting to a server. The status is CONNECTING
/// until `pp_multiplayer_peer_poll` sees the ENet CONNECT (then CONNECTED and a `peer_connected(1)`
/// event). On the wire the ENet CONNECT carries the ID as its data and asks for `channel_count + 2`
/// channels (255 for 0), as a Godot client does.
///
/// A closed port (nothing listens there) is reported at once where the OS tells (Linux: ICMP port
/// unreachable, read from the socket's error queue): DISCONNECTED with a
/// `PP_MULTIPLAYER_EVENT_CONNECT_REFUSED` event within a poll or two. A server that never answers
/// (a silent or filtered port, a wrong address) leaves the status CONNECTING for ENet's
/// peer timeout, **31.5 s** with the defaults, then DISCONNECTED with a
/// `PP_MULTIPLAYER_EVENT_CONNECT_TIMED_OUT` event. Either way
/// `pp_enet_multiplayer_peer_get_last_error_text` says why. To give up
/// sooner, shorten the timeout right after this call: `pp_enet_multiplayer_peer_get_peer(peer, 1,
/// &server)` then `pp_enet_packet_peer_set_timeout(server, 32, 1000, 3000)` (about 3.5 s).
///
/// - `address`: IP literal or host name (resolved now, blocking).
/// - `port`: the server's port, 1..65535.
/// - `channel_count`: user channels, 0..253 (0 = 255 ENet channels).
/// - `in_bandwidth`, `out_bandwidth`: bytes/second, 0 = unlimited.
/// - `local_port`: 0 = any; otherwise the socket is bound to the bind address and this port.
///
/// In Godot 3 mode (`pp_enet_multiplayer_peer_set_godot3_compat`) the CONNECT asks for
/// `3 + channel_count` channels (3 = Godot 3's default `channel_count`).
///
/// Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` if active; `PP_ERR_INVALID_PARAMETER` for NULL, another
/// class, a negative `channel_count`, a bad `local_port` or a negative bandwidth; `PP_ERR_CANT_CREATE`
/// if the socket cannot be made or the connection cannot start (bad port, unresolvable address,
/// `channel_count` above 253).
#[no_mangle]
pub extern "C" fn pp_enet_multiplayer_peer_create_client(
    peer: *mut pp_peer,
    address: *const c_char,
    port: i32,
    channel_count: i32,
    in_bandwidth: i32,
    out_bandwidth: i32,
    local_port: i32,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: NUL-terminated string by the caller's contract (NULL rejected).
        let address = unsafe { in_str(address) }?;
        with_emp(peer, |o| {
            map(o.mp.create_client(
                address,
                port,
                channel_count,
                in_bandwidth,
                out_bandwidth,
                local_port,
            ))
        })
    }
}

/// `create_mesh(unique_id)`: mesh mode with this ID, CONNECTED at once. Add each remote with
/// `pp_enet_multiplayer_peer_add_mesh_peer`.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL, another class or `unique_id` ≤ 0;
/// `PP_ERR_ALREADY_IN_USE` if active.
#[no_mangle]
pub extern "C" fn pp_enet_multiplayer_peer_create_mesh(
    peer: *mut pp_peer,
    unique_id: i32,
) -> pp_error {
    ffi_boundary! { with_emp(peer, |o| map(o.mp.create_mesh(unique_id))) }
}

/// `add_mesh_peer(peer_id, host)`: adds a mesh member reached through `host`, an ENetConnection with
/// exactly one peer, already CONNECTED (connect it yourself with `pp_enet_connection_*`). Queues a
/// `peer_connected(peer_id)` event. From now on `pp_multiplayer_peer_poll` services `host`.
///
/// - `peer_id`: the member's ID, 1..2147483647, not already added (Godot silently replaces a
///   duplicate; this library refuses it).
/// - `host`: shared, not taken: the multiplayer peer keeps the connection alive; you may still free
///   your handle (the host then lives as long as the multiplayer peer uses it).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL arguments, another class, a bad or duplicate
/// ID, or a host without exactly one CONNECTED peer; `PP_ERR_UNCONFIGURED` if not in mesh mode.
#[no_mangle]
pub extern "C" fn pp_enet_multiplayer_peer_add_mesh_peer(
    peer: *mut pp_peer,
    peer_id: i32,
    host: *mut pp_enet_connection,
) -> pp_error {
    ffi_boundary! {
        let host = try_ref!(host);
        let shared = host.shared().clone();
        with_emp(peer, |o| map(o.mp.add_mesh_peer(peer_id, shared)))
    }
}

/// `set_bind_ip(ip)`: the address later `create_server` / `create_client` (with a local port) bind.
///
/// - `ip`: an IP literal (`"127.0.0.1"`, `"::1"`) or `"*"` (all addresses, dual stack; the default).
///
/// Returns `PP_OK` or `PP_ERR_INVALID_PARAMETER` (NULL, another class, not an IP literal or `"*"`;
/// nothing changes).
#[no_mangle]
pub extern "C" fn pp_enet_multiplayer_peer_set_bind_ip(
    peer: *mut pp_peer,
    ip: *const c_char,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: NUL-terminated string by the caller's contract (NULL rejected).
        let ip = unsafe { in_str(ip) }?;
        with_emp(peer, |o| map(o.mp.set_bind_ip(ip)))
    }
}

/// `get_host()`: the ENetConnection of a server or client.
///
/// - `out_host`: receives a **new handle sharing** the multiplayer peer's connection (owned by you:
///   free it with `pp_enet_connection_free`, which leaves the host running while the multiplayer
///   peer uses it). Calls on it act on the multiplayer peer's host: `pp_enet_connection_service`
///   would take events the multiplayer peer needs, `pp_enet_connection_destroy` ends it (the next
///   poll closes the multiplayer peer). Statistics, `get_local_port`, `compress` etc. are safe.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL arguments or another class;
/// `PP_ERR_UNCONFIGURED` when inactive or in mesh mode (Godot returns null).
#[no_mangle]
pub extern "C" fn pp_enet_multiplayer_peer_get_host(
    peer: *mut pp_peer,
    out_host: *mut *mut pp_enet_connection,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_host);
        let conn = with_emp(peer, |o| {
            o.mp.get_host().ok_or(pp_error::PP_ERR_UNCONFIGURED)
        })?;
        out.write(new_handle::<pp_enet_connection>(EnetConnectionObject::from_shared(conn)));
        Ok(())
    }
}

/// `get_peer(id)`: the ENet peer (ENetPacketPeer) of a connected remote, to use with the
/// `pp_enet_packet_peer_*` calls (statistics, timeouts, ping...).
///
/// - `id`: the remote's ID (a client knows only the server, 1).
/// - `out_peer`: receives a handle **lent** by the multiplayer peer: valid until the multiplayer peer
///   is freed (inactive once that remote is gone); do not `pp_peer_free` it (that is ignored). Each
///   distinct ENet peer lent costs a few dozen bytes until then.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL arguments or another class;
/// `PP_ERR_UNCONFIGURED` when inactive; `PP_ERR_DOES_NOT_EXIST` for an unknown ID (Godot returns null).
#[no_mangle]
pub extern "C" fn pp_enet_multiplayer_peer_get_peer(
    peer: *mut pp_peer,
    id: i32,
    out_peer: *mut *mut pp_peer,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_peer);
        let h = with_emp(peer, |o| {
            if o.mp.get_unique_id() == Ok(0) {
                return Err(pp_error::PP_ERR_UNCONFIGURED);
            }
            let p = o.mp.get_peer(id).ok_or(pp_error::PP_ERR_DOES_NOT_EXIST)?;
            Ok(o.lend(&p))
        })?;
        out.write(h);
        Ok(())
    }
}

/// Speaks Godot 3.x's `NetworkedMultiplayerENet` (`docs/godot3-multiplayer.md` §1) instead of Godot
/// 4's ENetMultiplayerPeer, to talk to Godot 3.x games (a Godot 3 peer and a Godot 4 peer cannot talk).
/// Off by default. In this mode:
///
/// - every data packet carries an 8-byte `[u32 source id][i32 target id]` header (added by
///   `pp_put_packet`, removed before `pp_get_packet`); ENet channel 0 carries the server's config
///   messages, channel 1 RELIABLE, channel 2 both unreliable modes (UNRELIABLE unsequenced,
///   UNRELIABLE_ORDERED sequenced), user transfer channel N ENet channel N + 2 (Godot 3's
///   `transfer_channel` N + 2); `max_channels` / `channel_count` of `create_server` /
///   `create_client` count user channels on top of the 3 system ones (0 = Godot 3's default of 3
///   ENet channels, at most 252);
/// - clients send every packet to the server with the real target in the header; the server relays
///   client-to-client packets, broadcasts and "all but N" by that target, and tells every client
///   who joins and leaves (a client gets `peer_connected` / `peer_disconnected` events for the
///   other clients and may target them);
/// - what Godot 3 drops (a packet shorter than the header, a spoofed source id, a config message
///   reaching a server, a relay to an unknown id) is dropped and counted
///   (`pp_enet_multiplayer_peer_get_dropped_packets`);
/// - `pp_multiplayer_peer_disconnect_peer` on a server with `force` queues `peer_disconnected`
///   at once (Godot 3's `now`); `pp_multiplayer_peer_close` sends the own id as disconnect data;
///   `pp_multiplayer_peer_is_server_relay_supported` is false (the peer relays by itself);
///   `pp_enet_multiplayer_peer_create_mesh` gives `PP_ERR_UNAVAILABLE` (Godot 3 has no mesh mode).
///
/// Engine differences: Godot 3's `server_relay` is always on (its default) and `always_ordered`
/// off (its default); compression is set on the host (`pp_enet_connection_compress`) and must
/// match the Godot 3 side (Godot 3.2's default is none).
///
/// Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` while active (set it before `create_*`);
/// `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_enet_multiplayer_peer_set_godot3_compat(
    peer: *mut pp_peer,
    enabled: bool,
) -> pp_error {
    ffi_boundary! { with_emp(peer, |o| map(o.mp.set_godot3_compat(enabled))) }
}

/// Packets received and dropped by Godot 3's rules since the peer was created (see
/// `pp_enet_multiplayer_peer_set_godot3_compat`); always 0 in Godot 4 mode.
///
/// - `out_count`: receives the count.
///
/// Returns `PP_OK` or `PP_ERR_INVALID_PARAMETER` (NULL arguments or another class).
#[no_mangle]
pub extern "C" fn pp_enet_multiplayer_peer_get_dropped_packets(
    peer: *mut pp_peer,
    out_count: *mut u64,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_count);
        let n = with_emp(peer, |o| Ok(o.mp.dropped_packets()))?;
        out.write(n);
        Ok(())
    }
}

/// Why the last create_server / create_client / create_mesh failed (the socket's OS error, e.g.
/// `"bind 127.0.0.1 port 7000: Address in use (os error 98)"`, or an address that did not resolve)
/// or why this client's connection attempt failed or ended: refused (nothing listens on that port:
/// `PP_MULTIPLAYER_EVENT_CONNECT_REFUSED`), timed out (`PP_MULTIPLAYER_EVENT_CONNECT_TIMED_OUT`),
/// or the server that ended the connection. `""` while nothing failed since the last `create_*`.
/// Beyond the engine, which turns DISCONNECTED without a reason.
///
/// - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
///   (see the header's conventions).
/// - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
#[no_mangle]
pub extern "C" fn pp_enet_multiplayer_peer_get_last_error_text(
    peer: *mut pp_peer,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let s = with_emp(peer, |o| Ok(o.mp.get_last_error_text().to_string()))?;
        let out_len = out_opt!(out_len);
        // SAFETY: `out_text` is NULL or has `out_text_size` writable bytes (caller's contract).
        unsafe { write_text(&s, out_text, out_text_size, out_len) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::peer::pp_peer_free;

    #[test]
    fn null_and_wrong_class() {
        assert_eq!(pp_enet_multiplayer_peer_new(std::ptr::null_mut()), INVALID);
        assert_eq!(
            pp_enet_multiplayer_peer_create_mesh(std::ptr::null_mut(), 2),
            INVALID
        );
        let mut p = std::ptr::null_mut();
        assert_eq!(pp_enet_multiplayer_peer_new(&mut p), pp_error::PP_OK);
        let mut h = std::ptr::null_mut();
        assert_eq!(
            pp_enet_multiplayer_peer_get_host(p, &mut h),
            pp_error::PP_ERR_UNCONFIGURED
        );
        assert_eq!(
            pp_enet_multiplayer_peer_set_godot3_compat(std::ptr::null_mut(), true),
            INVALID
        );
        assert_eq!(
            pp_enet_multiplayer_peer_get_dropped_packets(p, std::ptr::null_mut()),
            INVALID
        );
        let mut n = 7u64;
        assert_eq!(
            pp_enet_multiplayer_peer_get_dropped_packets(std::ptr::null_mut(), &mut n),
            INVALID
        );
        assert_eq!(
            pp_enet_multiplayer_peer_get_dropped_packets(p, &mut n),
            pp_error::PP_OK
        );
        assert_eq!(n, 0);
        assert_eq!(
            pp_enet_multiplayer_peer_set_godot3_compat(p, true),
            pp_error::PP_OK
        );
        assert_eq!(
            pp_enet_multiplayer_peer_create_mesh(p, 2),
            pp_error::PP_ERR_UNAVAILABLE
        );
        assert_eq!(
            pp_enet_multiplayer_peer_set_godot3_compat(p, false),
            pp_error::PP_OK
        );
        assert_eq!(pp_enet_multiplayer_peer_create_mesh(p, 2), pp_error::PP_OK);
        assert_eq!(
            pp_enet_multiplayer_peer_set_godot3_compat(p, true),
            pp_error::PP_ERR_ALREADY_IN_USE
        );
        let mut e = std::ptr::null_mut();
        assert_eq!(
            pp_enet_multiplayer_peer_get_peer(p, 3, &mut e),
            pp_error::PP_ERR_DOES_NOT_EXIST
        );
        pp_peer_free(p);
    }
}
