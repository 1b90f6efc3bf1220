//! C API of PacketPeerUDP (a `pp_peer`) and UDPServer (`pp_udp_server`).
//!
//! A PacketPeerUDP is a `pp_peer`: send and receive with the base calls (`pp_put_packet`,
//! `pp_get_packet`, `pp_get_available_packet_count`, `pp_put_var`, `pp_get_var`) and free it with
//! `pp_peer_free`. The calls here are the class-specific ones; given a `pp_peer` of another class
//! they return `PP_ERR_INVALID_PARAMETER` (getters: 0 / false).
//!
//! Receiving: the socket is read (drained into the receive ring) by `pp_get_available_packet_count`
//! always, and by `pp_get_packet`/`pp_get_var` when the ring is empty — same packets, same order as
//! the engine (which drains on every call), one system call less per packet. Nothing is read in the
//! background.
//!
//! Differences from the engine (documented on each call): `connect_to_host` also resets the packet
//! count; `set_dest_address` on a connected peer is `PP_ERR_UNAVAILABLE`; queue-full drops are
//! counted (`pp_packet_peer_udp_get_stats`); `wait` returns at once when packets are queued;
//! `set_broadcast_enabled`/`set_reuse_*` on a UDPServer peer return `PP_ERR_LOCKED` (the engine
//! ignores them); `set_max_pending_connections` trims the newest pending peers (the engine's loop
//! is inverted).
// The exports take raw pointers from C by design; each dereference is checked and has a SAFETY note.
#![allow(clippy::not_unsafe_ptr_arg_deref)]
use std::ffi::c_char;
use std::net::IpAddr;

use super::{
    ffi_boundary, free_handle, in_items, in_slice, in_str, map, new_handle, new_peer, out, out_opt,
    out_slice, pp_error, pp_peer, try_ref, with_class, with_excl, write_text, Castable, Excl,
    SharedPeer, INVALID,
};
use crate::net::addr;
use crate::net::udp::{PacketInfo, PacketPeerUdp};
use crate::net::udp_server::UdpServer;
use crate::net::NetStats;

/// Bytes a buffer needs for any address text from this library, NUL included: the longest is a
/// full IPv6 address, eight groups of four hex digits and seven colons (39) + NUL.
pub const PP_IP_STRING_SIZE: usize = 40;

/// Traffic counters of a socket object (`pp_packet_peer_udp_get_stats`, `pp_udp_server_get_stats`,
/// `pp_stream_peer_tcp_get_stats`). For UDP a packet is a datagram; for TCP it is one write or read
/// call that moved bytes. Counters start at 0 when the object is made and only grow.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct pp_net_stats {
    /// Datagrams (UDP) or successful writes (TCP) sent.
    pub packets_sent: u64,
    /// Payload bytes handed to the OS.
    pub bytes_sent: u64,
    /// Datagrams read from the OS, including those then dropped (UDP); reads that got data (TCP).
    pub packets_received: u64,
    /// Payload bytes read from the OS.
    pub bytes_received: u64,
    /// Datagrams dropped because the receive queue (or, for a UDPServer, the pending list) was full.
    pub packets_dropped: u64,
    /// Bytes of those dropped datagrams.
    pub bytes_dropped: u64,
}

impl From<NetStats> for pp_net_stats {
    fn from(s: NetStats) -> Self {
        pp_net_stats {
            packets_sent: s.packets_sent,
            bytes_sent: s.bytes_sent,
            packets_received: s.packets_received,
            bytes_received: s.bytes_received,
            packets_dropped: s.packets_dropped,
            bytes_dropped: s.bytes_dropped,
        }
    }
}

/// One datagram to send with `pp_packet_peer_udp_put_packets`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct pp_packet_data {
    /// The payload (may be NULL when `len` is 0).
    pub data: *const u8,
    /// Payload length in bytes (at most INT32_MAX).
    pub len: usize,
}

/// Where one datagram received by `pp_packet_peer_udp_get_packets` landed.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct pp_udp_packet_info {
    /// Offset of the payload in the caller's buffer.
    pub offset: usize,
    /// Payload bytes stored at `offset`.
    pub len: usize,
    /// Sender address, 16 bytes; IPv4 senders are IPv4-mapped (`::ffff:a.b.c.d`). Text with
    /// `pp_ip_address_to_string`.
    pub ip: [u8; 16],
    /// Sender port.
    pub port: u16,
    /// True when the datagram was longer than its slot and was cut to `len` bytes.
    pub truncated: bool,
}

/// Opaque handle to a UDPServer. Free with `pp_udp_server_free`.
pub struct pp_udp_server {
    _private: [u8; 0],
}
// SAFETY: unique ID.
unsafe impl Castable for pp_udp_server {
    type Rust = Excl<UdpServer>;
    const ID: u16 = 4;
}

/// `f` on a PacketPeerUDP handle (an export's argument, under its contract).
fn with_udp<R>(
    peer: *mut pp_peer,
    f: impl FnOnce(&mut PacketPeerUdp) -> Result<R, pp_error>,
) -> Result<R, pp_error> {
    with_class(try_ref!(peer), f)
}

/// Makes a PacketPeerUDP: unbound, no destination, broadcast off, blocking sends, 65 536-byte
/// receive ring.
///
/// Use it with the base calls: `pp_put_packet` sends one datagram to the destination
/// (`PP_ERR_UNCONFIGURED` without one, `PP_FAILED` for an OS error such as a datagram over 65 507
/// bytes on IPv4 or a broadcast without `set_broadcast_enabled`, `PP_ERR_BUSY` on a full socket in
/// non-blocking mode); `pp_get_packet` returns the oldest queued datagram (`PP_ERR_UNAVAILABLE`
/// when none, `PP_FAILED` if the socket is not open or the OS reports an error, e.g. ICMP port
/// unreachable on a connected socket); `pp_get_available_packet_count` returns `PP_FAILED` in those
/// error cases (the engine's -1); `pp_get_max_packet_size` is 512 (nominal, not enforced). The socket is read into the
/// receive ring by `pp_get_available_packet_count` always and by `pp_get_packet` when the ring is
/// empty (the engine reads on every call; same packets, same order, one system call less per
/// packet). Nothing is read in the background. Datagrams that do not fit the ring are dropped and
/// counted (`pp_packet_peer_udp_get_stats`).
///
/// - `out_peer`: receives the new peer; free it with `pp_peer_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_peer` is NULL.
#[no_mangle]
pub extern "C" fn pp_packet_peer_udp_new(out_peer: *mut *mut pp_peer) -> pp_error {
    ffi_boundary! {
        out!(out_peer).write(new_peer(PacketPeerUdp::new()));
        Ok(())
    }
}

/// Binds the socket (`bind(port, bind_address, recv_buf_size)`).
///
/// - `port`: 0..65535; 0 lets the OS pick (read it back with `pp_packet_peer_udp_get_local_port`).
/// - `bind_address`: `"*"` (all addresses, dual-stack IPv6 socket), or an IPv4 / IPv6 literal
///   (that family only). Names are not resolved.
/// - `recv_buf_size`: sizes the receive ring to the smallest power of two strictly greater than it
///   (the engine's default is 65536 → 131 072 bytes). Each queued datagram takes its size + 24
///   bytes; datagrams that do not fit are dropped and counted. At most 2^28 - 1.
///
/// Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` if the socket is already open (also when opened
/// implicitly by a send, `connect_to_host` or a multicast join); `PP_ERR_INVALID_PARAMETER` for a
/// bad address, port or size, NULL, or another class; `PP_ERR_CANT_CREATE` if no socket could be
/// made; `PP_ERR_UNAVAILABLE` if the OS bind fails (e.g. port in use; the socket is closed again).
#[no_mangle]
pub unsafe extern "C" fn pp_packet_peer_udp_bind(
    peer: *mut pp_peer,
    port: i32,
    bind_address: *const c_char,
    recv_buf_size: i32,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: a non-NULL `bind_address` is a NUL-terminated string (caller's contract).
        let a = unsafe { in_str(bind_address) }?;
        with_udp(peer, |u| map(u.bind(port, a, recv_buf_size)))
    }
}

/// Closes the socket (or detaches from the owning UDPServer), empties the receive queue, ring back
/// to 65 536 bytes, not connected. The destination address is kept.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_udp_close(peer: *mut pp_peer) -> pp_error {
    ffi_boundary! {
        with_udp(peer, |u| {
            u.close();
            Ok(())
        })
    }
}

/// Connects the socket to `host:port` (OS-level connect: only datagrams from there are received,
/// sends go there). Opens the socket if needed (family of `host`, ephemeral port). Sends nothing.
/// Clears the receive queue and its packet count (the engine forgets the count).
///
/// - `host`: an IP literal; names are refused, like the engine.
/// - `port`: 1..65535.
///
/// Returns `PP_OK`; `PP_ERR_LOCKED` on a peer handed out by a UDPServer; `PP_ERR_INVALID_PARAMETER`
/// for a bad address or port, NULL, or another class; `PP_ERR_CANT_OPEN` if a socket could not be
/// opened; `PP_FAILED` if the OS refuses the connect (the socket is closed).
#[no_mangle]
pub unsafe extern "C" fn pp_packet_peer_udp_connect_to_host(
    peer: *mut pp_peer,
    host: *const c_char,
    port: i32,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: a non-NULL `host` is a NUL-terminated string (caller's contract).
        let h = unsafe { in_str(host) }?;
        with_udp(peer, |u| map(u.connect_to_host(h, port)))
    }
}

/// Why the last failing call on this PacketPeerUDP failed, in words, beside its `pp_error` (beyond
/// the engine, which prints it): the OS error of a bind (`"bind 127.0.0.1:7000: Address in use (os
/// error 98)"`), a connect, a send or a receive — a connected peer whose destination has no listener
/// gets `"recv: Connection refused (os error 111)"` with `PP_FAILED` from `pp_get_packet` — or the
/// argument that was refused. `""` until a call fails; bind, connect_to_host and close clear it.
///
/// - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
///   (see the header's conventions).
/// - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
#[no_mangle]
pub extern "C" fn pp_packet_peer_udp_get_last_error_text(
    peer: *mut pp_peer,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let s = with_udp(peer, |u| Ok(u.get_last_error_text().to_string()))?;
        let out_len = out_opt!(out_len);
        // SAFETY: `out_text` is NULL or has `out_text_size` writable bytes (caller's contract).
        unsafe { write_text(&s, out_text, out_text_size, out_len) }
    }
}

/// True if the socket is connected (`connect_to_host`, or a UDPServer peer). False for NULL or
/// another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_udp_is_socket_connected(peer: *mut pp_peer) -> bool {
    ffi_boundary! {
        with_udp(peer, |u| Ok(u.is_socket_connected())).unwrap_or(false)
    }
}

/// Sets where `pp_put_packet` sends. Resolves host names (blocking, first address of any family).
///
/// - `host`: IP literal or name (e.g. `"localhost"`); `"255.255.255.255"` needs broadcast enabled
///   to send.
/// - `port`: 0..65535.
///
/// Returns `PP_OK`; `PP_ERR_CANT_RESOLVE` if the name does not resolve; `PP_ERR_UNAVAILABLE` on a
/// connected socket (the engine's script binding prints an error and returns OK);
/// `PP_ERR_INVALID_PARAMETER` for a bad port, NULL, or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_packet_peer_udp_set_dest_address(
    peer: *mut pp_peer,
    host: *const c_char,
    port: i32,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: a non-NULL `host` is a NUL-terminated string (caller's contract).
        let h = unsafe { in_str(host) }?;
        with_udp(peer, |u| map(u.set_dest_address(h, port)))
    }
}

/// The sender address of the last packet returned by `pp_get_packet` / `pp_get_var` /
/// `pp_packet_peer_udp_get_packets` (for a connected socket: the connected address), as text:
/// dotted IPv4 for IPv4 (and IPv4-mapped) senders, eight lowercase hex groups without zero
/// compression for IPv6 (`0:0:0:0:0:0:0:1`), `""` before any packet.
///
/// - `out_ip`, `out_ip_size`: buffer for the NUL-terminated text (`PP_IP_STRING_SIZE` bytes always
///   suffice), filled by the text-out rule (see the header's conventions).
/// - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` for a NULL or bad handle, another class, or a bad buffer.
#[no_mangle]
pub unsafe extern "C" fn pp_packet_peer_udp_get_packet_ip(
    peer: *mut pp_peer,
    out_ip: *mut c_char,
    out_ip_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let s = with_udp(peer, |u| Ok(u.get_packet_ip_string()))?;
        let out_len = out_opt!(out_len);
        // SAFETY: `out_ip` is NULL or has `out_ip_size` writable bytes (caller's contract).
        unsafe { write_text(&s, out_ip, out_ip_size, out_len) }
    }
}

/// The sender port of the last packet returned (see `pp_packet_peer_udp_get_packet_ip`); 0 before
/// any packet, for NULL, or another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_udp_get_packet_port(peer: *mut pp_peer) -> i32 {
    ffi_boundary! {
        with_udp(peer, |u| Ok(i32::from(u.get_packet_port()))).unwrap_or(0)
    }
}

/// The local port, 0 if not bound (or NULL / another class). A UDPServer peer reports the server's.
#[no_mangle]
pub extern "C" fn pp_packet_peer_udp_get_local_port(peer: *mut pp_peer) -> i32 {
    ffi_boundary! {
        with_udp(peer, |u| Ok(i32::from(u.get_local_port()))).unwrap_or(0)
    }
}

/// True if the socket is open (bound explicitly or implicitly, or a UDPServer peer). False for NULL
/// or another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_udp_is_bound(peer: *mut pp_peer) -> bool {
    ffi_boundary! {
        with_udp(peer, |u| Ok(u.is_bound())).unwrap_or(false)
    }
}

/// Blocks, with no timeout, until a packet can be read (`wait()`); returns at once when packets are
/// already queued. Does not dequeue. A UDPServer peer waits on the server socket (its packets
/// still arrive only through `pp_udp_server_poll`). Prefer `pp_packet_peer_udp_wait_timeout`.
///
/// Returns `PP_OK`; `PP_ERR_UNCONFIGURED` if the socket is not open; `PP_FAILED` on a poll error;
/// `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_udp_wait(peer: *mut pp_peer) -> pp_error {
    ffi_boundary! { with_udp(peer, |u| map(u.wait())) }
}

/// `wait()` with a bound.
///
/// - `timeout_ms`: milliseconds; negative waits forever, 0 only checks.
///
/// Returns as `pp_packet_peer_udp_wait`, plus `PP_ERR_BUSY` when the time passed first (the
/// engine's NetSocket::poll code for a timeout).
#[no_mangle]
pub extern "C" fn pp_packet_peer_udp_wait_timeout(peer: *mut pp_peer, timeout_ms: i32) -> pp_error {
    ffi_boundary! { with_udp(peer, |u| map(u.wait_timeout(timeout_ms))) }
}

/// Enables or disables sending to broadcast addresses (SO_BROADCAST; off by default). Applied now
/// if the socket is open and remembered for later opens. Without it, a send to 255.255.255.255
/// fails with `PP_FAILED`.
///
/// Returns `PP_OK`; `PP_ERR_LOCKED` on a UDPServer peer; `PP_FAILED` if the OS refuses;
/// `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_udp_set_broadcast_enabled(
    peer: *mut pp_peer,
    enabled: bool,
) -> pp_error {
    ffi_boundary! { with_udp(peer, |u| map(u.set_broadcast_enabled(enabled))) }
}

/// Joins a multicast group on one interface. Opens the socket if needed, so bind first (a later
/// bind would fail with `PP_ERR_ALREADY_IN_USE`). IPv4 groups use the interface's first IPv4
/// address (also on a dual-stack socket); IPv6 groups use its index. TTL and loopback stay at the
/// OS defaults.
///
/// - `multicast_address`: IPv4 or IPv6 group literal.
/// - `interface_name`: OS interface name, e.g. `"lo"`, `"eth0"`.
///
/// Returns `PP_OK`; `PP_ERR_LOCKED` on a UDPServer peer; `PP_ERR_INVALID_PARAMETER` for a bad
/// address, unknown interface, an IPv4 group on an interface without IPv4, a group of a family the
/// socket cannot use, NULL, or another class; `PP_FAILED` if the OS refuses.
#[no_mangle]
pub unsafe extern "C" fn pp_packet_peer_udp_join_multicast_group(
    peer: *mut pp_peer,
    multicast_address: *const c_char,
    interface_name: *const c_char,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: non-NULL pointers are NUL-terminated strings (caller's contract).
        let (g, i) = unsafe { (in_str(multicast_address)?, in_str(interface_name)?) };
        with_udp(peer, |u| map(u.join_multicast_group(g, i)))
    }
}

/// Leaves a multicast group joined with `pp_packet_peer_udp_join_multicast_group`.
///
/// Returns as join, plus `PP_ERR_UNCONFIGURED` if the socket is not open.
#[no_mangle]
pub unsafe extern "C" fn pp_packet_peer_udp_leave_multicast_group(
    peer: *mut pp_peer,
    multicast_address: *const c_char,
    interface_name: *const c_char,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: non-NULL pointers are NUL-terminated strings (caller's contract).
        let (g, i) = unsafe { (in_str(multicast_address)?, in_str(interface_name)?) };
        with_udp(peer, |u| map(u.leave_multicast_group(g, i)))
    }
}

/// Redot's `set_reuse_address`: SO_REUSEADDR for the next bind (off by default).
///
/// Returns `PP_OK`; `PP_ERR_LOCKED` on a UDPServer peer; `PP_ERR_INVALID_PARAMETER` for NULL or
/// another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_udp_set_reuse_address(
    peer: *mut pp_peer,
    enabled: bool,
) -> pp_error {
    ffi_boundary! { with_udp(peer, |u| map(u.set_reuse_address(enabled))) }
}

/// Redot's `set_reuse_port`: SO_REUSEPORT for the next bind (off by default; no-op where the OS has
/// none).
///
/// Returns `PP_OK`; `PP_ERR_LOCKED` on a UDPServer peer; `PP_ERR_INVALID_PARAMETER` for NULL or
/// another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_udp_set_reuse_port(peer: *mut pp_peer, enabled: bool) -> pp_error {
    ffi_boundary! { with_udp(peer, |u| map(u.set_reuse_port(enabled))) }
}

/// The engine's internal `set_blocking_mode`. Blocking (true, the default): a send on a full
/// socket waits until it goes out. Non-blocking: such a send returns `PP_ERR_BUSY` and sends
/// nothing. Receiving never blocks either way.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_udp_set_blocking_mode(
    peer: *mut pp_peer,
    blocking: bool,
) -> pp_error {
    ffi_boundary! {
        with_udp(peer, |u| {
            u.set_blocking_mode(blocking);
            Ok(())
        })
    }
}

/// The peer's traffic counters, including datagrams dropped because the receive queue was full.
///
/// - `out_stats`: receives the counters.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_packet_peer_udp_get_stats(
    peer: *mut pp_peer,
    out_stats: *mut pp_net_stats,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_stats);
        let s = with_udp(peer, |u| Ok(u.stats()))?;
        out.write(s.into());
        Ok(())
    }
}

/// Sends several datagrams to the destination (as `pp_put_packet` would, one datagram each) with
/// as few system calls as the OS allows (sendmmsg on Linux, up to 64 per call).
///
/// - `packets`: `count` entries; each `data` is copied, no pointer is kept.
/// - `count`: number of entries (0 is allowed: nothing happens, `*out_sent` = 0).
/// - `out_sent`: receives how many were sent, in order.
///
/// Blocking mode (default): returns when all were sent. Non-blocking mode: sends what the socket
/// takes now (`*out_sent` may be less than `count`). An OS error on a later datagram stops there
/// with `PP_OK` and the count so far (the next call reports it).
///
/// Returns `PP_OK`; `PP_ERR_UNCONFIGURED` without a destination; `PP_ERR_BUSY` if, in non-blocking
/// mode, none could be sent; `PP_FAILED` if the first datagram fails (too large, broadcast
/// without the flag, …); `PP_ERR_INVALID_PARAMETER` for NULL `packets` with `count` > 0, `count` >
/// INT32_MAX, an entry with NULL data and `len` > 0 or `len` > INT32_MAX, NULL `out_sent`, or another
/// class.
#[no_mangle]
pub unsafe extern "C" fn pp_packet_peer_udp_put_packets(
    peer: *mut pp_peer,
    packets: *const pp_packet_data,
    count: usize,
    out_sent: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_sent);
        // SAFETY: a non-NULL `packets` has `count` readable entries (caller's contract).
        let entries = unsafe { in_items(packets, count) }?;
        let mut slices = Vec::with_capacity(entries.len());
        for e in entries {
            // SAFETY: each entry's (data, len) is a readable buffer by the caller's contract.
            slices.push(unsafe { in_slice(e.data, e.len) }?);
        }
        let n = with_udp(peer, |u| {
            if slices.is_empty() {
                Ok(0)
            } else {
                map(u.put_packets(&slices))
            }
        })?;
        out.write(n);
        Ok(())
    }
}

/// Receives several datagrams at once: first those already queued, then fresh ones straight from
/// the OS into `buf` (recvmmsg on Linux; no intermediate copy). Never blocks.
///
/// Layout: `buf` is cut into `max_packets` equal slots of `buf_size / max_packets` bytes; datagram
/// i is stored at `out_infos[i].offset` = i × slot. A datagram longer than its slot is cut to the
/// slot and flagged `truncated` (size slots for your largest datagram, e.g. 2048 bytes for
/// 1200-byte game traffic, 65 536 for anything).
///
/// - `buf`, `buf_size`: the caller's buffer; its contents are valid until you reuse it.
/// - `out_infos`, `max_packets`: at least `max_packets` entries; the first `*out_count` are written.
///   At most 4096 datagrams are returned per call.
/// - `out_count`: receives the number of datagrams (0 when none is pending).
///
/// Also sets what `pp_packet_peer_udp_get_packet_ip/_port` report (the last datagram returned).
///
/// Returns `PP_OK`; `PP_FAILED` if the socket is not open or the OS reports a receive error before
/// anything was received; `PP_ERR_INVALID_PARAMETER` for NULL pointers (with non-zero sizes),
/// `buf_size` or `max_packets` above INT32_MAX, or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_packet_peer_udp_get_packets(
    peer: *mut pp_peer,
    buf: *mut u8,
    buf_size: usize,
    out_infos: *mut pp_udp_packet_info,
    max_packets: usize,
    out_count: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_count);
        if max_packets > i32::MAX as usize || (out_infos.is_null() && max_packets > 0) {
            return Err(INVALID);
        }
        // SAFETY: a non-NULL `buf` has `buf_size` writable bytes, not aliased (caller's contract).
        let buf = unsafe { out_slice(buf, buf_size) }?;
        let blank = PacketInfo {
            offset: 0,
            len: 0,
            ip: IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
            port: 0,
            truncated: false,
        };
        // Slots are buf_size / max_packets bytes; at most 4096 are filled per call (bounded memory).
        let slot = buf_size.checked_div(max_packets).unwrap_or(0);
        let take = max_packets.min(4096);
        let mut infos = vec![blank; take];
        let buf = &mut buf[..take * slot];
        let n = with_udp(peer, |u| map(u.get_packets(buf, &mut infos)))?;
        for (i, inf) in infos.iter().take(n).enumerate() {
            let c = pp_udp_packet_info {
                offset: inf.offset,
                len: inf.len,
                ip: addr::to_bytes16(inf.ip),
                port: inf.port,
                truncated: inf.truncated,
            };
            // SAFETY: i < n ≤ max_packets and `out_infos` has `max_packets` writable entries.
            unsafe { out_infos.add(i).write(c) };
        }
        out.write(n);
        Ok(())
    }
}

/// Text form of a 16-byte address (as in `pp_udp_packet_info.ip`): dotted IPv4 for IPv4-mapped
/// addresses, eight lowercase hex groups without zero compression otherwise. Safe from any thread.
///
/// - `ip`: 16 readable bytes.
/// - `out_text`, `out_text_size`: buffer for the NUL-terminated text (`PP_IP_STRING_SIZE` suffices),
///   filled by the text-out rule (see the header's conventions).
/// - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` for a NULL `ip` or a bad buffer.
#[no_mangle]
pub unsafe extern "C" fn pp_ip_address_to_string(
    ip: *const u8,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: a non-NULL `ip` points to 16 readable bytes (caller's contract).
        let b = unsafe { in_slice(ip, 16) }?;
        let mut a = [0u8; 16];
        a.copy_from_slice(b);
        let s = addr::ip_to_string(addr::from_bytes16(a));
        let out_len = out_opt!(out_len);
        // SAFETY: `out_text` is NULL or has `out_text_size` writable bytes (caller's contract).
        unsafe { write_text(&s, out_text, out_text_size, out_len) }
    }
}

/// Makes a UDPServer (not listening; `max_pending_connections` 16).
///
/// - `out_server`: receives the server; free it with `pp_udp_server_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_server` is NULL.
#[no_mangle]
pub extern "C" fn pp_udp_server_new(out_server: *mut *mut pp_udp_server) -> pp_error {
    ffi_boundary! {
        out!(out_server).write(new_handle::<pp_udp_server>(Excl::new(UdpServer::new())));
        Ok(())
    }
}

/// Frees a UDPServer (stopping it: peers already taken become closed, unbound peers and stay
/// valid until their own `pp_peer_free`). NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn pp_udp_server_free(server: *mut pp_udp_server) {
    ffi_boundary! {
        // SAFETY: NULL or a handle from this library, not freed yet (the caller's contract).
        unsafe { free_handle(server) }
    }
}

/// Starts listening (`listen(port, bind_address)`): non-blocking socket, SO_REUSEADDR.
///
/// - `port`: 0..65535 (0: the OS picks; see `pp_udp_server_get_local_port`).
/// - `bind_address`: `"*"` (dual stack) or an IPv4 / IPv6 literal.
///
/// Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` if already listening; `PP_ERR_INVALID_PARAMETER` for a
/// bad address or port, NULL; `PP_ERR_CANT_CREATE` if no socket could be made; `PP_ERR_UNAVAILABLE`
/// if the OS bind fails.
#[no_mangle]
pub unsafe extern "C" fn pp_udp_server_listen(
    server: *mut pp_udp_server,
    port: i32,
    bind_address: *const c_char,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: a non-NULL `bind_address` is a NUL-terminated string (caller's contract).
        let a = unsafe { in_str(bind_address) }?;
        with_excl(server, |s| map(s.listen(port, a)))
    }
}

/// Reads every pending datagram and hands each to its peer: a known sender's datagram goes to its
/// peer's queue (dropped and counted there when full); an unknown sender becomes a new pending
/// connection unless `max_pending_connections` are pending (then it is dropped and counted in
/// `pp_udp_server_get_stats`). Call it regularly; taken peers receive nothing otherwise.
///
/// Returns `PP_OK`; `PP_ERR_UNCONFIGURED` if not listening; `PP_FAILED` on an OS receive error;
/// `PP_ERR_INVALID_PARAMETER` for NULL.
#[no_mangle]
pub extern "C" fn pp_udp_server_poll(server: *mut pp_udp_server) -> pp_error {
    ffi_boundary! { with_excl(server, |s| map(s.poll())) }
}

/// True if a pending connection waits (and the server listens). False for NULL.
#[no_mangle]
pub extern "C" fn pp_udp_server_is_connection_available(server: *mut pp_udp_server) -> bool {
    ffi_boundary! {
        with_excl(server, |s| Ok(s.is_connection_available())).unwrap_or(false)
    }
}

/// Takes the oldest pending connection: a PacketPeerUDP connected to that sender through the
/// server's socket, holding what it sent so far. Read it with the base calls; its sends go out of
/// the server's port; `connect_to_host`, multicast, broadcast and reuse calls are `PP_ERR_LOCKED`.
/// Closing or freeing it makes the server forget the sender.
///
/// - `out_peer`: receives the peer; free it with `pp_peer_free` (it may outlive the server).
///
/// Returns `PP_OK`; `PP_ERR_UNAVAILABLE` if none is pending (or not listening);
/// `PP_ERR_INVALID_PARAMETER` for NULL.
#[no_mangle]
pub unsafe extern "C" fn pp_udp_server_take_connection(
    server: *mut pp_udp_server,
    out_peer: *mut *mut pp_peer,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_peer);
        let peer = with_excl(server, |s| {
            s.take_connection().ok_or(pp_error::PP_ERR_UNAVAILABLE)
        })?;
        let obj: SharedPeer = peer;
        out.write(new_handle::<pp_peer>(obj));
        Ok(())
    }
}

/// Stops listening: closes the socket; taken peers become closed, unbound peers; pending ones are
/// dropped. Remote ends are not told (UDP).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL.
#[no_mangle]
pub extern "C" fn pp_udp_server_stop(server: *mut pp_udp_server) -> pp_error {
    ffi_boundary! {
        with_excl(server, |s| {
            s.stop();
            Ok(())
        })
    }
}

/// True while listening. False for NULL.
#[no_mangle]
pub extern "C" fn pp_udp_server_is_listening(server: *mut pp_udp_server) -> bool {
    ffi_boundary! {
        with_excl(server, |s| Ok(s.is_listening())).unwrap_or(false)
    }
}

/// The local port while listening; 0 otherwise or for NULL.
#[no_mangle]
pub extern "C" fn pp_udp_server_get_local_port(server: *mut pp_udp_server) -> i32 {
    ffi_boundary! {
        with_excl(server, |s| Ok(i32::from(s.get_local_port()))).unwrap_or(0)
    }
}

/// Sets how many unknown senders may wait as pending connections (default 16). When lowered below
/// the current count, the newest pending connections are dropped until the count fits (the
/// engine's loop is inverted and would empty the list when *raising* the limit).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a negative value or NULL.
#[no_mangle]
pub extern "C" fn pp_udp_server_set_max_pending_connections(
    server: *mut pp_udp_server,
    max_pending_connections: i32,
) -> pp_error {
    ffi_boundary! {
        with_excl(server, |s| {
            map(s.set_max_pending_connections(max_pending_connections))
        })
    }
}

/// The maximum number of pending connections; 0 for NULL.
#[no_mangle]
pub extern "C" fn pp_udp_server_get_max_pending_connections(server: *mut pp_udp_server) -> i32 {
    ffi_boundary! {
        with_excl(server, |s| {
            Ok(s.get_max_pending_connections().min(i32::MAX as usize) as i32)
        })
        .unwrap_or(0)
    }
}

/// Counters of the listening socket: datagrams received, and dropped because the pending list was
/// full. (Drops in a peer's queue are in that peer's `pp_packet_peer_udp_get_stats`.)
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL.
#[no_mangle]
pub unsafe extern "C" fn pp_udp_server_get_stats(
    server: *mut pp_udp_server,
    out_stats: *mut pp_net_stats,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_stats);
        let st = with_excl(server, |s| Ok(s.stats()))?;
        out.write(st.into());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn handles_are_send() {
        fn is_send<T: Send>() {}
        is_send::<super::PacketPeerUdp>();
        is_send::<super::pp_udp_server>();
    }
}
