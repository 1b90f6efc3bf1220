//! C API of the network conditioner (`crate::conditioner`): one options struct, settable on a
//! PacketPeerUDP and on an ENetConnection's socket, and its counters.
// The exports take raw pointers from C by design; each dereference is checked and has a SAFETY note.
#![allow(clippy::not_unsafe_ptr_arg_deref)]
use std::mem::offset_of;

use super::enet::pp_enet_connection;
use super::tls::pp_dtls_server;
use super::webrtc::pp_webrtc_peer_connection;
use super::{
    ffi_boundary, map, out, pp_error, pp_peer, read_table, try_ref, with_class, with_excl, INVALID,
};
use crate::conditioner::{
    ConditionerOptions, ConditionerStats, DirectionOptions, DirectionStats, DEFAULT_MAX_QUEUED,
};
use crate::net::udp::PacketPeerUdp;
use crate::tls::{DtlsServer, PacketPeerDtls};

/// What the conditioner does to datagrams going one way. Probabilities are in 0.0..=1.0.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct pp_conditioner_direction {
    /// Probability that a datagram is dropped.
    pub loss: f64,
    /// Probability that a datagram is sent twice.
    pub duplicate: f64,
    /// Probability that a datagram is held 20 ms longer than its delay, so later ones overtake it.
    pub reorder: f64,
    /// Delay in milliseconds (at most 60 000).
    pub delay_ms: u32,
    /// Each datagram's delay varies by up to this many milliseconds either way (at most 60 000);
    /// jitter alone never reorders.
    pub jitter_ms: u32,
    /// Bytes per second the link carries; 0 = unlimited. A burst is spread out, not dropped.
    pub bandwidth: u64,
}

/// Options of a network conditioner. Fill it with `pp_conditioner_options_init` (which sets `size`
/// and the defaults: nothing dropped or delayed, seed 0, 4096 datagrams held per direction at
/// most), then change what you need: later versions may add fields at the end.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct pp_conditioner_options {
    /// `sizeof(pp_conditioner_options)` as the caller compiled it (set by the init call).
    pub size: usize,
    /// Seed of the random decisions: one seed, one fate for the n-th datagram each way.
    pub seed: u64,
    /// Datagrams the socket sends.
    pub outgoing: pp_conditioner_direction,
    /// Datagrams the socket receives.
    pub incoming: pp_conditioner_direction,
    /// Datagrams held per direction at most (1..=1 048 576); more are dropped and counted.
    pub max_queued: u32,
}
// `read_table` reads `size` as the first field.
const _: () = assert!(offset_of!(pp_conditioner_options, size) == 0);

/// What the conditioner did to datagrams going one way. Counters only grow, except `queued`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct pp_conditioner_direction_stats {
    /// Datagrams offered to the conditioner.
    pub offered: u64,
    /// Bytes offered.
    pub bytes_offered: u64,
    /// Datagrams released to the socket or the receiver (duplicates included).
    pub released: u64,
    /// Dropped on purpose (`loss`).
    pub dropped_loss: u64,
    /// Dropped because `max_queued` datagrams were held.
    pub dropped_overflow: u64,
    /// Extra copies made (`duplicate`).
    pub duplicated: u64,
    /// Held back to be overtaken (`reorder`).
    pub reordered: u64,
    /// Released but refused by the socket (full send buffer or OS error); outgoing only.
    pub send_failed: u64,
    /// Datagrams held now.
    pub queued: u64,
}

/// What the conditioner did, both ways.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct pp_conditioner_stats {
    pub outgoing: pp_conditioner_direction_stats,
    pub incoming: pp_conditioner_direction_stats,
}

impl From<pp_conditioner_direction> for DirectionOptions {
    fn from(d: pp_conditioner_direction) -> Self {
        DirectionOptions {
            loss: d.loss,
            duplicate: d.duplicate,
            reorder: d.reorder,
            delay_ms: d.delay_ms,
            jitter_ms: d.jitter_ms,
            bandwidth: d.bandwidth,
        }
    }
}

impl From<DirectionStats> for pp_conditioner_direction_stats {
    fn from(s: DirectionStats) -> Self {
        pp_conditioner_direction_stats {
            offered: s.offered,
            bytes_offered: s.bytes_offered,
            released: s.released,
            dropped_loss: s.dropped_loss,
            dropped_overflow: s.dropped_overflow,
            duplicated: s.duplicated,
            reordered: s.reordered,
            send_failed: s.send_failed,
            queued: s.queued,
        }
    }
}

impl From<ConditionerStats> for pp_conditioner_stats {
    fn from(s: ConditionerStats) -> Self {
        pp_conditioner_stats {
            outgoing: s.outgoing.into(),
            incoming: s.incoming.into(),
        }
    }
}

/// NULL = off; else the checked options (too small `size` or bad values: invalid).
///
/// # Safety
/// A non-NULL `opts` must point to at least `opts->size` readable bytes.
unsafe fn read_options(
    opts: *const pp_conditioner_options,
) -> Result<Option<ConditionerOptions>, pp_error> {
    if opts.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded caller contract.
    let o = unsafe { read_table(opts) }?;
    let r = ConditionerOptions {
        seed: o.seed,
        outgoing: o.outgoing.into(),
        incoming: o.incoming.into(),
        max_queued: o.max_queued,
    };
    r.check().map_err(|_| INVALID)?;
    Ok(Some(r))
}

/// Fills `out_options` with the defaults: `size` set, seed 0, no loss, delay, duplication,
/// reordering or bandwidth cap either way, at most 4096 datagrams held per direction.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_options` is NULL.
#[no_mangle]
pub extern "C" fn pp_conditioner_options_init(
    out_options: *mut pp_conditioner_options,
) -> pp_error {
    ffi_boundary! {
        out!(out_options).write(pp_conditioner_options {
            size: std::mem::size_of::<pp_conditioner_options>(),
            seed: 0,
            outgoing: pp_conditioner_direction::default(),
            incoming: pp_conditioner_direction::default(),
            max_queued: DEFAULT_MAX_QUEUED,
        });
        Ok(())
    }
}

/// Puts a network conditioner between a PacketPeerUDP and its socket, or removes it.
///
/// Seeded and deterministic: loss, delay with jitter, duplication, reordering and a bandwidth cap,
/// for outgoing and incoming datagrams. No thread or timer: held datagrams leave or arrive on the
/// peer's own calls (`pp_put_packet`, `pp_get_available_packet_count`, `pp_get_packet`,
/// `pp_packet_peer_udp_put_packets` / `_get_packets`, and `pp_packet_peer_udp_wait`, which wakes up
/// when the next one is due), so call one of them regularly. Off (the default) it costs nothing
/// measurable. Setting it again starts afresh (held datagrams and counters are dropped).
///
/// - `options`: copied; NULL removes the conditioner. `size` must be at least
///   `sizeof(pp_conditioner_options)` (use `pp_conditioner_options_init`).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL or other-class `peer`, a too small `size`,
/// a probability outside 0..1 (or NaN), a delay or jitter over 60 000 ms or `max_queued` outside
/// 1..=1 048 576; `PP_ERR_UNAVAILABLE` on a peer handed out by a UDPServer.
#[no_mangle]
pub extern "C" fn pp_packet_peer_udp_set_conditioner(
    peer: *mut pp_peer,
    options: *const pp_conditioner_options,
) -> pp_error {
    ffi_boundary! {
        let p = try_ref!(peer);
        // SAFETY: the caller passes NULL or a struct of `size` bytes.
        let opts = unsafe { read_options(options) }?;
        with_class(p, |u: &mut PacketPeerUdp| map(u.set_conditioner(opts)))
    }
}

/// What the PacketPeerUDP's conditioner did.
///
/// - `out_stats`: receives the counters.
///
/// Returns `PP_OK`; `PP_ERR_UNCONFIGURED` when no conditioner is set; `PP_ERR_INVALID_PARAMETER`
/// for NULL arguments or a peer of another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_udp_get_conditioner_stats(
    peer: *mut pp_peer,
    out_stats: *mut pp_conditioner_stats,
) -> pp_error {
    ffi_boundary! {
        let p = try_ref!(peer);
        let out = out!(out_stats);
        let s = with_class(p, |u: &mut PacketPeerUdp| Ok(u.conditioner_stats()))?;
        out.write(s.ok_or(pp_error::PP_ERR_UNCONFIGURED)?.into());
        Ok(())
    }
}

/// Puts a network conditioner on an ENetConnection's socket (under ENet, and under DTLS when the
/// connection uses it), or removes it. Every datagram of every peer goes through it, so reliable
/// traffic is resent by ENet as over a real lossy link. Held datagrams leave or arrive during
/// `pp_enet_connection_service` (which wakes up when the next one is due) and `_flush`. A new host
/// (`create_host*`) starts without one.
///
/// - `options`: copied; NULL removes the conditioner (see `pp_packet_peer_udp_set_conditioner`).
///
/// Returns `PP_OK`; `PP_ERR_UNCONFIGURED` without a host; `PP_ERR_INVALID_PARAMETER` for a NULL
/// connection or bad options (as `pp_packet_peer_udp_set_conditioner`).
#[no_mangle]
pub extern "C" fn pp_enet_connection_set_conditioner(
    c: *mut pp_enet_connection,
    options: *const pp_conditioner_options,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(c);
        // SAFETY: the caller passes NULL or a struct of `size` bytes.
        let opts = unsafe { read_options(options) }?;
        map(c.conn()?.set_conditioner(opts))
    }
}

/// Puts a network conditioner between a PacketPeerDTLS session and its UDP peer, or removes it. It
/// acts on the session under way from now on (records and handshake datagrams alike) and on every
/// later session of this peer (each starts it afresh); DTLS retransmits lost handshake datagrams,
/// application records lost stay lost (DTLS is unreliable, like UDP). Held datagrams leave or
/// arrive on the peer's own calls (`pp_packet_peer_dtls_poll`, `pp_get_packet`,
/// `pp_get_available_packet_count`, `pp_put_packet`).
///
/// - `options`: copied; NULL removes the conditioner (see `pp_packet_peer_udp_set_conditioner`).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL or other-class `dtls` or bad options (as
/// `pp_packet_peer_udp_set_conditioner`).
#[no_mangle]
pub extern "C" fn pp_packet_peer_dtls_set_conditioner(
    dtls: *mut pp_peer,
    options: *const pp_conditioner_options,
) -> pp_error {
    ffi_boundary! {
        let p = try_ref!(dtls);
        // SAFETY: the caller passes NULL or a struct of `size` bytes.
        let opts = unsafe { read_options(options) }?;
        with_class(p, |d: &mut PacketPeerDtls| map(d.set_conditioner(opts)))
    }
}

/// What the PacketPeerDTLS's conditioner did in its current (or last) session.
///
/// - `out_stats`: receives the counters.
///
/// Returns `PP_OK`; `PP_ERR_UNCONFIGURED` when no conditioner is set; `PP_ERR_INVALID_PARAMETER`
/// for NULL arguments or a peer of another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_dtls_get_conditioner_stats(
    dtls: *mut pp_peer,
    out_stats: *mut pp_conditioner_stats,
) -> pp_error {
    ffi_boundary! {
        let p = try_ref!(dtls);
        let out = out!(out_stats);
        let s = with_class(p, |d: &mut PacketPeerDtls| Ok(d.conditioner_stats()))?;
        out.write(s.ok_or(pp_error::PP_ERR_UNCONFIGURED)?.into());
        Ok(())
    }
}

/// Gives every PacketPeerDTLS that `pp_dtls_server_take_connection` hands out from now on a network
/// conditioner with these options, the n-th such peer (from 0) seeded `seed + n` so runs repeat;
/// NULL stops doing so (peers handed out keep theirs). It acts once the cookie round is over, from
/// the server's answer to the verified ClientHello on. Each peer's counters:
/// `pp_packet_peer_dtls_get_conditioner_stats`; change one peer's with
/// `pp_packet_peer_dtls_set_conditioner`.
///
/// - `options`: copied; NULL stops (see `pp_packet_peer_udp_set_conditioner`).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL `server` or bad options.
#[no_mangle]
pub extern "C" fn pp_dtls_server_set_conditioner(
    server: *mut pp_dtls_server,
    options: *const pp_conditioner_options,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: the caller passes NULL or a struct of `size` bytes.
        let opts = unsafe { read_options(options) }?;
        with_excl(server, |s: &mut DtlsServer| map(s.set_conditioner(opts)))
    }
}

/// Puts a network conditioner on a WebRTCPeerConnection's UDP sockets (every ICE, DTLS and SCTP
/// datagram, both ways), or removes it. Reliable channels stay reliable and ordered (SCTP resends
/// what is lost); unreliable ones lose what is lost. Held datagrams leave or arrive on
/// `pp_webrtc_peer_connection_poll` and on sends. It stays through `initialize` and `close`,
/// which start it afresh (held datagrams dropped, counters from 0).
///
/// - `options`: copied; NULL removes the conditioner (see `pp_packet_peer_udp_set_conditioner`).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL `connection` or bad options;
/// `PP_ERR_UNAVAILABLE` for a connection made by a C extension (its sockets are not ours).
#[no_mangle]
pub extern "C" fn pp_webrtc_peer_connection_set_conditioner(
    connection: *mut pp_webrtc_peer_connection,
    options: *const pp_conditioner_options,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(connection);
        // SAFETY: the caller passes NULL or a struct of `size` bytes.
        let opts = unsafe { read_options(options) }?;
        c.set_conditioner(opts)
    }
}

/// What the conditioner on a WebRTCPeerConnection's sockets did.
///
/// - `out_stats`: receives the counters.
///
/// Returns `PP_OK`; `PP_ERR_UNCONFIGURED` when no conditioner is set; `PP_ERR_INVALID_PARAMETER`
/// for NULL arguments; `PP_ERR_UNAVAILABLE` for a connection made by a C extension.
#[no_mangle]
pub extern "C" fn pp_webrtc_peer_connection_get_conditioner_stats(
    connection: *mut pp_webrtc_peer_connection,
    out_stats: *mut pp_conditioner_stats,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(connection);
        let out = out!(out_stats);
        let s = c.conditioner_stats()?;
        out.write(s.ok_or(pp_error::PP_ERR_UNCONFIGURED)?.into());
        Ok(())
    }
}

/// What the conditioner on an ENetConnection's socket did.
///
/// - `out_stats`: receives the counters.
///
/// Returns `PP_OK`; `PP_ERR_UNCONFIGURED` without a host or conditioner;
/// `PP_ERR_INVALID_PARAMETER` for NULL arguments.
#[no_mangle]
pub extern "C" fn pp_enet_connection_get_conditioner_stats(
    c: *mut pp_enet_connection,
    out_stats: *mut pp_conditioner_stats,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(c);
        let out = out!(out_stats);
        let s = c.conn()?.conditioner_stats();
        out.write(s.ok_or(pp_error::PP_ERR_UNCONFIGURED)?.into());
        Ok(())
    }
}
