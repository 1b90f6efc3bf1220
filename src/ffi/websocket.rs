//! C API of WebSocketPeer (`docs/classes.md` §19) and WebSocketMultiplayerPeer (§20).
//!
//! A WebSocketPeer is a `pp_peer`: `pp_put_packet` sends a binary message, `pp_get_packet` pops a
//! message of either kind (`pp_websocket_peer_was_string_packet` tells which), `pp_put_var` /
//! `pp_get_var` work, `pp_peer_free` frees it (dropping the connection without a close frame). A
//! WebSocketMultiplayerPeer is a `pp_peer` too, driven by the `pp_multiplayer_peer_*` calls.
//!
//! `wss://` runs over StreamPeerTLS (`docs/classes.md` §9): `connect_to_url` and the multiplayer
//! `create_client` take client `pp_tls_options` (NULL: `pp_tls_options_client(NULL, NULL)`, the
//! system CAs and the URL's host), `accept_stream` takes a StreamPeerTLS as well as a StreamPeerTCP,
//! the multiplayer `create_server` takes server options.
//!
//! Differences from the engine (each documented on its call): no silent loss (messages queued when
//! the state turns CLOSING or CLOSED stay readable; a full inbound queue throttles the socket; every
//! refused send returns its code and is counted in `pp_websocket_stats`); a close reason over 123
//! bytes is `PP_ERR_INVALID_PARAMETER`; text that is not UTF-8 is refused on send; handshake lines
//! with CR/LF are refused; a CLOSING connection is dropped after a close timeout (10 s); why a
//! connection failed is kept (`pp_websocket_peer_get_last_error_text`, `_get_tls_status`).
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use std::ffi::c_char;
use std::time::Duration;

use super::boundary::c_enum_return;
use super::tls::{c_status, pp_tls_options, pp_tls_status, FfiStreamPeerTls};
use super::*;
use crate::multiplayer::MultiplayerPeer;
use crate::net::tcp::{StreamPeerTcp, TcpStatus};
use crate::tls::TlsStatus;
use crate::ws::{
    State, TlsWsStream, WebSocketMultiplayerPeer, WebSocketPeer, WriteMode, WsStats, WsStream,
};

/// `WebSocketPeer.State`, from `pp_websocket_peer_get_ready_state`. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_websocket_peer_state {
    /// Resolving, connecting or in the opening handshake (call `pp_websocket_peer_poll`).
    PP_WEBSOCKET_PEER_STATE_CONNECTING = 0,
    /// Open: messages flow.
    PP_WEBSOCKET_PEER_STATE_OPEN = 1,
    /// A close frame was sent or received; keep polling until CLOSED.
    PP_WEBSOCKET_PEER_STATE_CLOSING = 2,
    /// No connection (also the initial state).
    PP_WEBSOCKET_PEER_STATE_CLOSED = 3,
}
c_enum_return!(pp_websocket_peer_state => pp_websocket_peer_state::PP_WEBSOCKET_PEER_STATE_CLOSED);

/// `WebSocketPeer.WriteMode`, the `write_mode` of `pp_websocket_peer_send`. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_websocket_write_mode {
    /// A text message (opcode 1); the bytes must be UTF-8.
    PP_WEBSOCKET_WRITE_MODE_TEXT = 0,
    /// A binary message (opcode 2).
    PP_WEBSOCKET_WRITE_MODE_BINARY = 1,
}

/// Counters of a WebSocketPeer, from `pp_websocket_peer_get_stats` (beyond the engine). They start at 0
/// when the peer is made and only grow.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct pp_websocket_stats {
    /// Messages accepted by the send calls.
    pub messages_sent: u64,
    /// Payload bytes of those messages.
    pub bytes_sent: u64,
    /// Messages received (and queued for reading).
    pub messages_received: u64,
    /// Payload bytes of those messages.
    pub bytes_received: u64,
    /// Sends refused with `PP_ERR_OUT_OF_MEMORY` because `max_queued_packets` messages were queued.
    pub refused_queue_full: u64,
    /// Sends refused with `PP_ERR_OUT_OF_MEMORY` because the message did not fit `outbound_buffer_size`.
    pub refused_too_big: u64,
    /// Polls that stopped reading the socket because the inbound queue was full (back-pressure).
    pub read_throttled: u64,
}

impl From<WsStats> for pp_websocket_stats {
    fn from(s: WsStats) -> Self {
        pp_websocket_stats {
            messages_sent: s.messages_sent,
            bytes_sent: s.bytes_sent,
            messages_received: s.messages_received,
            bytes_received: s.bytes_received,
            refused_queue_full: s.refused_queue_full,
            refused_too_big: s.refused_too_big,
            read_throttled: s.read_throttled,
        }
    }
}

fn with_ws<R>(
    peer: *mut pp_peer,
    f: impl FnOnce(&mut WebSocketPeer) -> Result<R, pp_error>,
) -> Result<R, pp_error> {
    with_class(try_ref!(peer), f)
}

/// The object behind a WebSocketMultiplayerPeer `pp_peer`.
type WsMultiplayerObject = LendingMultiplayer<WebSocketMultiplayerPeer>;

fn with_wmp_obj<R>(
    peer: *mut pp_peer,
    f: impl FnOnce(&mut WsMultiplayerObject) -> Result<R, pp_error>,
) -> Result<R, pp_error> {
    with_class(try_ref!(peer), f)
}

fn with_wmp<R>(
    peer: *mut pp_peer,
    f: impl FnOnce(&mut WebSocketMultiplayerPeer) -> Result<R, pp_error>,
) -> Result<R, pp_error> {
    with_wmp_obj(peer, |o| f(&mut o.mp))
}

/// TCP_NODELAY on the transport under a StreamPeerTLS from C (any StreamPeer; only TCP has it).
fn dyn_no_delay(s: &mut dyn StreamPeerObject, on: bool) -> crate::error::Result<()> {
    match s.as_any_mut().downcast_mut::<StreamPeerTcp>() {
        Some(t) => t.set_no_delay(on),
        None => Err(crate::error::Error::Unconfigured),
    }
}

/// The address of the TCP connection under a StreamPeerTLS from C (None if it is not TCP).
fn tls_remote(t: &FfiStreamPeerTls) -> Option<(std::net::IpAddr, u16)> {
    let inner = t.get_stream()?;
    let mut g = inner.lock().ok()?;
    let tcp = g.as_any_mut().downcast_mut::<StreamPeerTcp>()?;
    tcp.get_connected_host()
        .map(|h| (h, tcp.get_connected_port()))
}

/// `count` NUL-terminated strings from C.
///
/// # Safety
/// A non-NULL `items` points to `count` pointers, each a NUL-terminated string.
unsafe fn in_strs<'a>(items: *const *const c_char, count: usize) -> Result<Vec<&'a str>, pp_error> {
    // SAFETY: forwarded contract.
    let ptrs = unsafe { in_items(items, count) }?;
    ptrs.iter()
        // SAFETY: each entry is a NUL-terminated string (caller's contract); NULL is refused.
        .map(|&p| unsafe { in_str(p) })
        .collect()
}

/// Makes a WebSocketPeer: state CLOSED, the engine's defaults (no protocols or extra headers, 65535-byte
/// inbound and outbound buffers, 4096 queued messages, no heartbeat).
///
/// - `out_peer`: receives the peer; free it with `pp_peer_free` (an open connection is dropped
///   without a close frame).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_peer` is NULL.
#[no_mangle]
pub extern "C" fn pp_websocket_peer_new(out_peer: *mut *mut pp_peer) -> pp_error {
    ffi_boundary! {
        out!(out_peer).write(new_peer(WebSocketPeer::new()));
        Ok(())
    }
}

/// Starts a client connection (`connect_to_url(url, tls_client_options)`); non-blocking: state
/// CONNECTING, progress in `pp_websocket_peer_poll`. A numeric host (`127.0.0.1`, `[::1]`) never
/// waits; a name is resolved in this call, blocking up to the system resolver's timeout (the library
/// starts no threads; the engine resolves in the background), and each address is tried in order
/// (the engine's order). Default port 80 (443 for wss), default path `/`; the path keeps its query,
/// the fragment and any credentials are dropped, the host is lower-cased.
///
/// - `url`: `ws://host[:port][/path]` or `wss://…` (a missing scheme means `ws://`).
/// - `tls_client_options`: for `wss://`, client options (`pp_tls_options_client` or
///   `_client_unsafe`, optionally pinned; copied, you may free yours), or NULL for
///   `pp_tls_options_client(NULL, NULL)`: the system CA bundle, and the certificate must name the
///   URL's host (also sent as SNI unless it is an IP address). Ignored for `ws://`, like the engine.
///   The TLS handshake runs in `pp_websocket_peer_poll` before the WebSocket handshake, bounded by
///   StreamPeerTLS's 60 s (the engine: no bound); if it fails the peer turns CLOSED (close code -1)
///   and `pp_websocket_peer_get_tls_status` / `pp_websocket_peer_get_last_error_text` say why (the
///   engine only prints it).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for an empty or unparsable URL (unclosed `[`, port
/// outside 1..65535), a scheme other than ws/wss, server options, options of another handle type,
/// NULL or another class; `PP_ERR_ALREADY_IN_USE` unless CLOSED or CLOSING; `PP_ERR_CANT_RESOLVE`
/// for a name without addresses; `PP_FAILED` if no TCP connect can start.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_connect_to_url(
    peer: *mut pp_peer,
    url: *const c_char,
    tls_client_options: *const pp_tls_options,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: a non-NULL `url` is a NUL-terminated string (caller's contract).
        let u = unsafe { in_str(url) }?;
        let opts = try_opt_ref!(tls_client_options);
        if opts.is_some_and(|o| o.is_server()) {
            return Err(INVALID);
        }
        with_ws(peer, |w| map(w.connect_to_url_tls(u, opts)))
    }
}

/// Server side over an accepted connection (`accept_stream(stream)`): state CONNECTING, the handshake
/// completes in `pp_websocket_peer_poll` (a request the engine would refuse closes the connection,
/// no HTTP response). TCP_NODELAY is set.
///
/// - `stream`: a CONNECTED StreamPeerTCP (from `pp_tcp_server_take_connection`), or for `wss` a
///   StreamPeerTLS that `pp_stream_peer_tls_accept_stream` started (HANDSHAKING or CONNECTED; the
///   WebSocket handshake waits for the TLS handshake, `pp_websocket_peer_poll` drives both). Its
///   connection moves into the WebSocketPeer: afterwards `stream` is an unconnected StreamPeerTCP
///   (status NONE) or a DISCONNECTED StreamPeerTLS, that you still free with `pp_stream_peer_free`.
///
/// Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` unless CLOSED or CLOSING (the stream is untouched);
/// `PP_ERR_INVALID_PARAMETER` for NULL, another class, a StreamPeerTCP that is not connected or a
/// StreamPeerTLS that is neither handshaking nor connected.
#[no_mangle]
pub extern "C" fn pp_websocket_peer_accept_stream(
    peer: *mut pp_peer,
    stream: *mut pp_stream_peer,
) -> pp_error {
    ffi_boundary! {
        let s = try_ref!(stream);
        with_ws(peer, |w| {
            if !matches!(w.get_ready_state(), State::Closed | State::Closing) {
                return Err(pp_error::PP_ERR_ALREADY_IN_USE);
            }
            let taken: Box<dyn WsStream> = {
                let mut g = s.lock()?;
                let any = g.as_any_mut();
                if let Some(t) = any.downcast_mut::<StreamPeerTcp>() {
                    if t.get_status() != TcpStatus::Connected {
                        return Err(INVALID);
                    }
                    Box::new(std::mem::take(t))
                } else if let Some(t) = any.downcast_mut::<FfiStreamPeerTls>() {
                    if !matches!(t.get_status(), TlsStatus::Handshaking | TlsStatus::Connected) {
                        return Err(INVALID);
                    }
                    let remote = tls_remote(t);
                    let tls = std::mem::take(t);
                    Box::new(map(TlsWsStream::from_tls(tls, remote, dyn_no_delay))?)
                } else {
                    return Err(INVALID);
                }
            };
            map(w.accept_stream(taken))
        })
    }
}

/// Why the last connection failed to start or ended without a close handshake (beyond the engine,
/// which prints it): a TCP connect that failed, the TLS handshake's failure with OpenSSL's reason and
/// the certificate verify result, a refused opening handshake, a timeout, an unanswered heartbeat
/// ping, a close handshake that did not finish, a connection that just ended. `""` while nothing
/// failed since the last connect/accept (a normal close leaves it empty).
///
/// - `out_text`, `out_text_size`, `out_len`: the text-out rule (see the header's conventions).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_get_last_error_text(
    peer: *mut pp_peer,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: the caller's contract for the buffer and `out_len`.
        unsafe { text_out(peer, |w| w.get_last_error_text().to_string(), out_text, out_text_size, out_len) }
    }
}

/// The status of the connection's TLS session (beyond the engine): `PP_TLS_STATUS_DISCONNECTED` for
/// `ws://` and after a `wss` connection ended normally; HANDSHAKING, then CONNECTED; ERROR, or
/// ERROR_HOSTNAME_MISMATCH when the certificate does not name the host, if the TLS handshake failed
/// (kept until the next connect/accept). `PP_TLS_STATUS_DISCONNECTED` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_websocket_peer_get_tls_status(peer: *mut pp_peer) -> pp_tls_status {
    ffi_boundary! {
        with_ws(peer, |w| Ok(c_status(w.get_tls_status())))
            .unwrap_or(pp_tls_status::PP_TLS_STATUS_DISCONNECTED)
    }
}

/// Drives the connection (`poll()`): resolving, TCP connect, opening handshake, writing queued
/// messages, reading (while the inbound queue has room), answering pings, echoing a close, the
/// heartbeat, and finishing a close. Call it regularly, also while CLOSING.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class. (What happened shows
/// in the ready state and the close code.)
#[no_mangle]
pub extern "C" fn pp_websocket_peer_poll(peer: *mut pp_peer) -> pp_error {
    ffi_boundary! {
        with_ws(peer, |w| {
            w.poll();
            Ok(())
        })
    }
}

/// Queues one message (`send(message, write_mode)`), sent unfragmented by the next
/// `pp_websocket_peer_poll`. `pp_put_packet` is the same with BINARY.
///
/// - `data`, `len`: the payload (copied); `(NULL, 0)` is an empty message.
/// - `write_mode`: a `pp_websocket_write_mode`.
///
/// Returns `PP_OK`; `PP_FAILED` unless OPEN; `PP_ERR_OUT_OF_MEMORY` (counted in the stats) if
/// `max_queued_packets` messages are queued or the queued bytes plus this message exceed
/// `outbound_buffer_size` (so with the default 65535 a larger message cannot be sent: raise it);
/// `PP_ERR_INVALID_PARAMETER` for TEXT bytes that are not UTF-8 (the engine sends them and a Godot
/// receiver closes with 1007), an unknown mode, a bad buffer, NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_send(
    peer: *mut pp_peer,
    data: *const u8,
    len: usize,
    write_mode: i32,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: a non-NULL `data` has `len` readable bytes (caller's contract).
        let d = unsafe { in_slice(data, len) }?;
        let mode = map(WriteMode::try_from(write_mode))?;
        with_ws(peer, |w| map(w.send(d, mode)))
    }
}

/// Queues a text message (`send_text(message)`); as `pp_websocket_peer_send` with TEXT.
///
/// - `text`: NUL-terminated UTF-8 (copied).
///
/// Returns as `pp_websocket_peer_send`.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_send_text(
    peer: *mut pp_peer,
    text: *const c_char,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: a non-NULL `text` is a NUL-terminated string (caller's contract).
        let t = unsafe { in_str(text) }?;
        with_ws(peer, |w| map(w.send_text(t)))
    }
}

/// Whether the message the last `pp_get_packet` / `pp_get_var` returned was a text message. False for
/// NULL or another class.
#[no_mangle]
pub extern "C" fn pp_websocket_peer_was_string_packet(peer: *mut pp_peer) -> bool {
    ffi_boundary! { with_ws(peer, |w| Ok(w.was_string_packet())).unwrap_or(false) }
}

/// Closes (`close(code, reason)`). `code` < 0: the connection is dropped at once (no close frame,
/// CLOSED, close code -1). OPEN: queues a close frame (code 0 sends an empty body) and turns CLOSING;
/// CLOSED follows in `pp_websocket_peer_poll` when the peer's close arrives (or after 10 s).
/// CONNECTING: dropped at once. CLOSING / CLOSED: nothing.
///
/// - `code`: -1 (abrupt), 0 (no code) or 1..65535; the engine's default is 1000.
/// - `reason`: NULL or NUL-terminated UTF-8, at most 123 bytes (the engine accepts longer reasons,
///   sends nothing and still turns CLOSING).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (nothing changes) for a reason over 123 bytes, a code
/// above 65535, NULL `peer` or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_close(
    peer: *mut pp_peer,
    code: i32,
    reason: *const c_char,
) -> pp_error {
    ffi_boundary! {
        let r = if reason.is_null() {
            ""
        } else {
            // SAFETY: a non-NULL `reason` is a NUL-terminated string (caller's contract).
            unsafe { in_str(reason) }?
        };
        with_ws(peer, |w| map(w.close(code, r)))
    }
}

/// The close status (`get_close_code()`): the code of the peer's close frame (0 if it had none); the
/// code this side sent when it aborted (1002 protocol error, 1007 invalid payload data, 1009 message
/// too big); -1 when the connection ended without a close handshake (or never opened).
///
/// - `out_code`: receives it.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_get_close_code(
    peer: *mut pp_peer,
    out_code: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_code);
        out.write(with_ws(peer, |w| Ok(w.get_close_code()))?);
        Ok(())
    }
}

/// A text property of a WebSocketPeer into the caller's buffer (the text-out rule).
///
/// # Safety
/// `out_text` is NULL or has `out_text_size` writable bytes; `out_len` is NULL or writable.
unsafe fn text_out(
    peer: *mut pp_peer,
    get: impl FnOnce(&WebSocketPeer) -> String,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> Result<(), pp_error> {
    let s = with_ws(peer, |w| Ok(get(w)))?;
    // SAFETY: forwarded contract (NULL or writable).
    let out_len = unsafe { boundary::Out::new(out_len) };
    // SAFETY: forwarded contract.
    unsafe { write_text(&s, out_text, out_text_size, out_len) }
}

/// The reason of the close status (`get_close_reason()`), UTF-8; `""` when none.
///
/// - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
///   (see the header's conventions).
/// - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_get_close_reason(
    peer: *mut pp_peer,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: the caller's contract for the buffer and `out_len`.
        unsafe { text_out(peer, |w| w.get_close_reason().to_string(), out_text, out_text_size, out_len) }
    }
}

/// The sub-protocol the handshake selected (`get_selected_protocol()`); `""` when none.
///
/// - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
///   (see the header's conventions).
/// - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_get_selected_protocol(
    peer: *mut pp_peer,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: the caller's contract for the buffer and `out_len`.
        unsafe { text_out(peer, |w| w.get_selected_protocol().to_string(), out_text, out_text_size, out_len) }
    }
}

/// `get_requested_url()`: the client's URL as given; on the server side `ws://` + the request's
/// Host header + its path.
///
/// - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
///   (see the header's conventions).
/// - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_get_requested_url(
    peer: *mut pp_peer,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: the caller's contract for the buffer and `out_len`.
        unsafe { text_out(peer, |w| w.get_requested_url().to_string(), out_text, out_text_size, out_len) }
    }
}

/// The remote address (`get_connected_host()`), dotted IPv4 or eight lowercase hex groups for
/// IPv6; `""` without a connection. `PP_IP_STRING_SIZE` bytes always suffice.
///
/// - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
///   (see the header's conventions).
/// - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_get_connected_host(
    peer: *mut pp_peer,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: the caller's contract for the buffer and `out_len`.
        unsafe { text_out(peer, |w| w.get_connected_host(), out_text, out_text_size, out_len) }
    }
}

/// `supported_protocols`, the entries joined with `\n` (`""` when empty).
///
/// - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
///   (see the header's conventions).
/// - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_get_supported_protocols(
    peer: *mut pp_peer,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: the caller's contract for the buffer and `out_len`.
        unsafe { text_out(peer, |w| w.get_supported_protocols().join("\n"), out_text, out_text_size, out_len) }
    }
}

/// `handshake_headers`, the lines joined with `\n` (`""` when empty).
///
/// - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
///   (see the header's conventions).
/// - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_get_handshake_headers(
    peer: *mut pp_peer,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: the caller's contract for the buffer and `out_len`.
        unsafe { text_out(peer, |w| w.get_handshake_headers().join("\n"), out_text, out_text_size, out_len) }
    }
}

/// The ready state (`get_ready_state()`), a `pp_websocket_peer_state`. It changes only in calls on this
/// peer. `PP_WEBSOCKET_PEER_STATE_CLOSED` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_websocket_peer_get_ready_state(peer: *mut pp_peer) -> pp_websocket_peer_state {
    use pp_websocket_peer_state::*;
    ffi_boundary! {
        with_ws(peer, |w| {
            Ok(match w.get_ready_state() {
                State::Connecting => PP_WEBSOCKET_PEER_STATE_CONNECTING,
                State::Open => PP_WEBSOCKET_PEER_STATE_OPEN,
                State::Closing => PP_WEBSOCKET_PEER_STATE_CLOSING,
                State::Closed => PP_WEBSOCKET_PEER_STATE_CLOSED,
            })
        })
        .unwrap_or(PP_WEBSOCKET_PEER_STATE_CLOSED)
    }
}

/// The remote port (`get_connected_port()`); 0 without a connection, for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_websocket_peer_get_connected_port(peer: *mut pp_peer) -> i32 {
    ffi_boundary! { with_ws(peer, |w| Ok(i32::from(w.get_connected_port()))).unwrap_or(0) }
}

/// Payload bytes of queued messages not yet fully written (`get_current_outbound_buffered_amount()`);
/// 0 unless OPEN, for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_websocket_peer_get_current_outbound_buffered_amount(
    peer: *mut pp_peer,
) -> i32 {
    ffi_boundary! {
        with_ws(peer, |w| Ok(w.get_current_outbound_buffered_amount())).unwrap_or(0)
    }
}

/// TCP_NODELAY on the connection (`set_no_delay(enabled)`; on by default).
///
/// Returns `PP_OK`; `PP_ERR_UNCONFIGURED` without a connection (the engine fails silently);
/// `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_websocket_peer_set_no_delay(peer: *mut pp_peer, enabled: bool) -> pp_error {
    ffi_boundary! { with_ws(peer, |w| map(w.set_no_delay(enabled))) }
}

/// Sets `supported_protocols` (used by the next connection): a client offers them in this order, a
/// server selects the first of the client's offers that is in this list. Entries are
/// whitespace-trimmed.
///
/// - `protocols`, `count`: `count` NUL-terminated UTF-8 strings (copied); `(NULL, 0)` clears.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for an entry that is NULL, empty after
/// trimming, or holds a comma, CR or LF, a bad array, NULL `peer` or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_set_supported_protocols(
    peer: *mut pp_peer,
    protocols: *const *const c_char,
    count: usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: `protocols` is NULL or `count` string pointers (caller's contract).
        let v = unsafe { in_strs(protocols, count) }?;
        with_ws(peer, |w| map(w.set_supported_protocols(&v)))
    }
}

/// Sets `handshake_headers` (used by the next connection): raw `Name: value` lines added to the
/// request (client) or response (server), verbatim and in this order.
///
/// - `headers`, `count`: `count` NUL-terminated UTF-8 strings (copied); `(NULL, 0)` clears.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a line holding CR or LF (the engine
/// sends it), a NULL entry, a bad array, NULL `peer` or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_set_handshake_headers(
    peer: *mut pp_peer,
    headers: *const *const c_char,
    count: usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: `headers` is NULL or `count` string pointers (caller's contract).
        let v = unsafe { in_strs(headers, count) }?;
        with_ws(peer, |w| map(w.set_handshake_headers(&v)))
    }
}

/// Sets `inbound_buffer_size` (next connection): the largest message accepted (a larger one is
/// answered with close 1009), 1..1073741824; the engine's default 65535.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a value out of range, NULL or another
/// class.
#[no_mangle]
pub extern "C" fn pp_websocket_peer_set_inbound_buffer_size(
    peer: *mut pp_peer,
    value: i32,
) -> pp_error {
    ffi_boundary! { with_ws(peer, |w| map(w.set_inbound_buffer_size(value))) }
}

/// `inbound_buffer_size`.
///
/// - `out_value`: receives it.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_get_inbound_buffer_size(
    peer: *mut pp_peer,
    out_value: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_value);
        out.write(with_ws(peer, |w| Ok(w.get_inbound_buffer_size()))?);
        Ok(())
    }
}

/// Sets `outbound_buffer_size` (next connection): the most payload bytes queued unsent, 0 =
/// unlimited, up to 1073741824; the engine's default 65535.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a value out of range, NULL or another
/// class.
#[no_mangle]
pub extern "C" fn pp_websocket_peer_set_outbound_buffer_size(
    peer: *mut pp_peer,
    value: i32,
) -> pp_error {
    ffi_boundary! { with_ws(peer, |w| map(w.set_outbound_buffer_size(value))) }
}

/// `outbound_buffer_size`.
///
/// - `out_value`: receives it.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_get_outbound_buffer_size(
    peer: *mut pp_peer,
    out_value: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_value);
        out.write(with_ws(peer, |w| Ok(w.get_outbound_buffer_size()))?);
        Ok(())
    }
}

/// Sets `max_queued_packets` (next connection): the most messages queued in each direction, >= 1;
/// the engine's default 4096. A full inbound queue throttles the socket (nothing is dropped).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a value out of range, NULL or another
/// class.
#[no_mangle]
pub extern "C" fn pp_websocket_peer_set_max_queued_packets(
    peer: *mut pp_peer,
    value: i32,
) -> pp_error {
    ffi_boundary! { with_ws(peer, |w| map(w.set_max_queued_packets(value))) }
}

/// `max_queued_packets`.
///
/// - `out_value`: receives it.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_get_max_queued_packets(
    peer: *mut pp_peer,
    out_value: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_value);
        out.write(with_ws(peer, |w| Ok(w.get_max_queued_packets()))?);
        Ok(())
    }
}

/// Sets `heartbeat_interval` in seconds (applies at once): while OPEN an empty ping goes out every
/// interval, and if the previous one was not answered by then the connection is dropped (close code
/// -1). 0 turns it off (the default).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a negative or non-finite value, NULL
/// or another class.
#[no_mangle]
pub extern "C" fn pp_websocket_peer_set_heartbeat_interval(
    peer: *mut pp_peer,
    seconds: f64,
) -> pp_error {
    ffi_boundary! { with_ws(peer, |w| map(w.set_heartbeat_interval(seconds))) }
}

/// `heartbeat_interval` in seconds (0 when off).
///
/// - `out_seconds`: receives it.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_get_heartbeat_interval(
    peer: *mut pp_peer,
    out_seconds: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_seconds);
        out.write(with_ws(peer, |w| Ok(w.get_heartbeat_interval()))?);
        Ok(())
    }
}

/// Bounds CONNECTING (resolve, connect, handshake) of later connections (beyond the engine, which
/// waits forever): past it the connection is dropped (CLOSED, close code -1).
///
/// - `seconds`: > 0, or 0 for no bound (the default).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a negative or non-finite value, NULL or another
/// class.
#[no_mangle]
pub extern "C" fn pp_websocket_peer_set_handshake_timeout(
    peer: *mut pp_peer,
    seconds: f64,
) -> pp_error {
    ffi_boundary! {
        if !seconds.is_finite() || !(0.0..=1e9).contains(&seconds) {
            return Err(INVALID);
        }
        with_ws(peer, |w| {
            w.set_handshake_timeout((seconds > 0.0).then(|| Duration::from_secs_f64(seconds)));
            Ok(())
        })
    }
}

/// The peer's counters (beyond the engine).
///
/// - `out_stats`: receives them.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_peer_get_stats(
    peer: *mut pp_peer,
    out_stats: *mut pp_websocket_stats,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_stats);
        out.write(with_ws(peer, |w| Ok(w.stats().into()))?);
        Ok(())
    }
}

// ---- WebSocketMultiplayerPeer ----

/// Makes an inactive WebSocketMultiplayerPeer (Godot 4's protocol, `docs/classes.md` §20). Drive it with
/// the `pp_multiplayer_peer_*` calls (poll, events, targets, disconnect_peer, close) and the PacketPeer
/// calls; its WebSocket settings are the engine's defaults, its handshake timeout 3 s.
///
/// - `out_peer`: receives the peer; free it with `pp_peer_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_peer` is NULL.
#[no_mangle]
pub extern "C" fn pp_websocket_multiplayer_peer_new(out_peer: *mut *mut pp_peer) -> pp_error {
    ffi_boundary! {
        out!(out_peer).write(new_peer(WsMultiplayerObject::new(WebSocketMultiplayerPeer::new())));
        Ok(())
    }
}

/// `create_server(port, bind_address, tls_server_options)`: listens; this peer becomes the server
/// (ID 1, CONNECTED). Clients are accepted in `pp_multiplayer_peer_poll` (not while refusing new
/// connections), get a random ID (2..2147483647) sent as their first message (4 bytes,
/// little-endian), and must finish the handshake (TLS included) within the handshake timeout.
///
/// - `port`: 0..65535 (0: the OS picks; read it with `pp_websocket_multiplayer_peer_get_local_port`).
/// - `bind_address`: NULL or `"*"` (all, dual stack), or an IP literal.
/// - `tls_server_options`: NULL for `ws`, or server options (`pp_tls_options_server`; copied) for
///   `wss`: every connection then runs a TLS handshake first.
///
/// Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` unless DISCONNECTED or if the port is taken;
/// `PP_ERR_INVALID_PARAMETER` for a bad port or address, client options, options of another handle
/// type, NULL `peer` or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_multiplayer_peer_create_server(
    peer: *mut pp_peer,
    port: i32,
    bind_address: *const c_char,
    tls_server_options: *const pp_tls_options,
) -> pp_error {
    ffi_boundary! {
        let b = if bind_address.is_null() {
            "*"
        } else {
            // SAFETY: a non-NULL `bind_address` is a NUL-terminated string (caller's contract).
            unsafe { in_str(bind_address) }?
        };
        let opts = try_opt_ref!(tls_server_options);
        if opts.is_some_and(|o| !o.is_server()) {
            return Err(INVALID);
        }
        with_wmp(peer, |m| map(m.create_server_tls(port, b, opts)))
    }
}

/// `create_client(url, tls_client_options)`: connects to a server (as
/// `pp_websocket_peer_connect_to_url`, `wss://` included); CONNECTING until the server's ID message
/// arrives (then CONNECTED and a `peer_connected(1)` event). If that does not happen within the
/// handshake timeout (or the connection fails, TLS included) the peer silently returns to
/// DISCONNECTED, like the engine.
///
/// - `tls_client_options`: as in `pp_websocket_peer_connect_to_url` (NULL: the default client
///   options; server options are refused).
///
/// Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` unless DISCONNECTED; the errors of
/// `pp_websocket_peer_connect_to_url`.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_multiplayer_peer_create_client(
    peer: *mut pp_peer,
    url: *const c_char,
    tls_client_options: *const pp_tls_options,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: a non-NULL `url` is a NUL-terminated string (caller's contract).
        let u = unsafe { in_str(url) }?;
        let opts = try_opt_ref!(tls_client_options);
        if opts.is_some_and(|o| o.is_server()) {
            return Err(INVALID);
        }
        with_wmp(peer, |m| map(m.create_client_tls(u, opts)))
    }
}

/// `get_peer(id)`: the WebSocketPeer of a connected remote (a client knows only the server, 1), to
/// read its state, close code, TLS status, selected protocol, connected host and counters with the
/// `pp_websocket_peer_*` calls. Reading packets from it or sending on it bypasses the multiplayer
/// peer (as in the engine).
///
/// - `id`: the remote's ID.
/// - `out_peer`: receives a handle **lent** by the multiplayer peer: valid until the multiplayer peer
///   is freed (its connection is closed once that remote is gone or the multiplayer peer closes); do
///   not `pp_peer_free` it (that is ignored). Each distinct peer lent costs a few hundred bytes until
///   then; asking again for the same peer gives the same handle.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL arguments or another class;
/// `PP_ERR_UNCONFIGURED` when inactive; `PP_ERR_DOES_NOT_EXIST` for an unknown ID (Godot returns
/// null).
#[no_mangle]
pub extern "C" fn pp_websocket_multiplayer_peer_get_peer(
    peer: *mut pp_peer,
    id: i32,
    out_peer: *mut *mut pp_peer,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_peer);
        let h = with_wmp_obj(peer, |o| {
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

/// Why this client's last connection failed or ended (beyond the engine, whose client turns
/// DISCONNECTED silently): the WebSocketPeer's reason (`pp_websocket_peer_get_last_error_text`, TLS
/// included), no server ID within the handshake timeout, or the close code the server ended with.
/// `""` if nothing failed, until the next create_server / create_client.
///
/// - `out_text`, `out_text_size`, `out_len`: the text-out rule (see the header's conventions).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_multiplayer_peer_get_last_error_text(
    peer: *mut pp_peer,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let s = with_wmp(peer, |m| Ok(m.get_last_error_text().to_owned()))?;
        let out_len = out_opt!(out_len);
        // SAFETY: `out_text` is NULL or has `out_text_size` writable bytes (caller's contract).
        unsafe { write_text(&s, out_text, out_text_size, out_len) }
    }
}

/// The port the server listens on; 0 when not a server, for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_websocket_multiplayer_peer_get_local_port(peer: *mut pp_peer) -> i32 {
    ffi_boundary! { with_wmp(peer, |m| Ok(i32::from(m.get_local_port()))).unwrap_or(0) }
}

/// The address of a connected peer (`get_peer_address(id)`; a client knows only the server, ID 1).
///
/// - `out_text`, `out_text_size`, `out_len`: the text-out rule; `PP_IP_STRING_SIZE` bytes suffice.
///
/// Returns `PP_OK`; `PP_ERR_DOES_NOT_EXIST` for an unknown ID; `PP_ERR_PARAMETER_RANGE_ERROR` when the
/// buffer is too small; `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_multiplayer_peer_get_peer_address(
    peer: *mut pp_peer,
    id: i32,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let s = with_wmp(peer, |m| m.get_peer_address(id).ok_or(pp_error::PP_ERR_DOES_NOT_EXIST))?;
        let out_len = out_opt!(out_len);
        // SAFETY: `out_text` is NULL or has `out_text_size` writable bytes (caller's contract).
        unsafe { write_text(&s, out_text, out_text_size, out_len) }
    }
}

/// The port of a connected peer (`get_peer_port(id)`).
///
/// - `out_port`: receives it.
///
/// Returns `PP_OK`; `PP_ERR_DOES_NOT_EXIST` for an unknown ID; `PP_ERR_INVALID_PARAMETER` for NULL or
/// another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_multiplayer_peer_get_peer_port(
    peer: *mut pp_peer,
    id: i32,
    out_port: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_port);
        let p = with_wmp(peer, |m| m.get_peer_port(id).ok_or(pp_error::PP_ERR_DOES_NOT_EXIST))?;
        out.write(i32::from(p));
        Ok(())
    }
}

/// Sets `handshake_timeout` in seconds (> 0; the engine's default 3).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a value <= 0 or not finite, NULL or
/// another class.
#[no_mangle]
pub extern "C" fn pp_websocket_multiplayer_peer_set_handshake_timeout(
    peer: *mut pp_peer,
    seconds: f64,
) -> pp_error {
    ffi_boundary! { with_wmp(peer, |m| map(m.set_handshake_timeout(seconds))) }
}

/// `handshake_timeout` in seconds.
///
/// - `out_seconds`: receives it.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_multiplayer_peer_get_handshake_timeout(
    peer: *mut pp_peer,
    out_seconds: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_seconds);
        out.write(with_wmp(peer, |m| Ok(m.get_handshake_timeout()))?);
        Ok(())
    }
}

/// Runs `f` on the WebSocket settings every later connection of a multiplayer peer copies.
fn with_wmp_settings<R>(
    peer: *mut pp_peer,
    f: impl FnOnce(&mut WebSocketPeer) -> crate::error::Result<R>,
) -> Result<R, pp_error> {
    with_wmp(peer, |m| map(f(m.settings_mut())))
}

/// Sets `supported_protocols` for later connections (rules of
/// `pp_websocket_peer_set_supported_protocols`). Connections already open keep theirs.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a bad entry or array, NULL `peer` or
/// another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_multiplayer_peer_set_supported_protocols(
    peer: *mut pp_peer,
    protocols: *const *const c_char,
    count: usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: `protocols` is NULL or `count` string pointers (caller's contract).
        let v = unsafe { in_strs(protocols, count) }?;
        with_wmp_settings(peer, |w| w.set_supported_protocols(&v))
    }
}

/// `supported_protocols`, the entries joined with `\n`; the text-out rule as
/// `pp_websocket_peer_get_supported_protocols`.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_multiplayer_peer_get_supported_protocols(
    peer: *mut pp_peer,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let s = with_wmp_settings(peer, |w| Ok(w.get_supported_protocols().join("\n")))?;
        let out_len = out_opt!(out_len);
        // SAFETY: `out_text` is NULL or has `out_text_size` writable bytes (caller's contract).
        unsafe { write_text(&s, out_text, out_text_size, out_len) }
    }
}

/// Sets `handshake_headers` for later connections: raw `Name: value` lines the server adds to each
/// handshake response (a client to its request), rules of `pp_websocket_peer_set_handshake_headers`.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a line with CR or LF, a bad array,
/// NULL `peer` or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_multiplayer_peer_set_handshake_headers(
    peer: *mut pp_peer,
    headers: *const *const c_char,
    count: usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: `headers` is NULL or `count` string pointers (caller's contract).
        let v = unsafe { in_strs(headers, count) }?;
        with_wmp_settings(peer, |w| w.set_handshake_headers(&v))
    }
}

/// `handshake_headers`, the lines joined with `\n`; the text-out rule as
/// `pp_websocket_peer_get_handshake_headers`.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_multiplayer_peer_get_handshake_headers(
    peer: *mut pp_peer,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let s = with_wmp_settings(peer, |w| Ok(w.get_handshake_headers().join("\n")))?;
        let out_len = out_opt!(out_len);
        // SAFETY: `out_text` is NULL or has `out_text_size` writable bytes (caller's contract).
        unsafe { write_text(&s, out_text, out_text_size, out_len) }
    }
}

/// Sets `inbound_buffer_size` for later connections (1..1073741824; the engine's default 65535).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a value out of range, NULL or another
/// class.
#[no_mangle]
pub extern "C" fn pp_websocket_multiplayer_peer_set_inbound_buffer_size(
    peer: *mut pp_peer,
    value: i32,
) -> pp_error {
    ffi_boundary! { with_wmp_settings(peer, |w| w.set_inbound_buffer_size(value)) }
}

/// `inbound_buffer_size`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_multiplayer_peer_get_inbound_buffer_size(
    peer: *mut pp_peer,
    out_value: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_value);
        out.write(with_wmp_settings(peer, |w| Ok(w.get_inbound_buffer_size()))?);
        Ok(())
    }
}

/// Sets `outbound_buffer_size` for later connections (0 = unlimited, up to 1073741824; the engine's
/// default 65535). `pp_get_max_packet_size` on the multiplayer peer is this minus 9.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a value out of range, NULL or another
/// class.
#[no_mangle]
pub extern "C" fn pp_websocket_multiplayer_peer_set_outbound_buffer_size(
    peer: *mut pp_peer,
    value: i32,
) -> pp_error {
    ffi_boundary! { with_wmp_settings(peer, |w| w.set_outbound_buffer_size(value)) }
}

/// `outbound_buffer_size`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_multiplayer_peer_get_outbound_buffer_size(
    peer: *mut pp_peer,
    out_value: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_value);
        out.write(with_wmp_settings(peer, |w| Ok(w.get_outbound_buffer_size()))?);
        Ok(())
    }
}

/// Sets `max_queued_packets` (>= 1; the engine's default 4096): per connection, the most messages
/// queued in each direction, and the size of the multiplayer peer's incoming queue (when it is
/// full the sockets are throttled; nothing is dropped).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a value out of range, NULL or another
/// class.
#[no_mangle]
pub extern "C" fn pp_websocket_multiplayer_peer_set_max_queued_packets(
    peer: *mut pp_peer,
    value: i32,
) -> pp_error {
    ffi_boundary! { with_wmp_settings(peer, |w| w.set_max_queued_packets(value)) }
}

/// `max_queued_packets`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_multiplayer_peer_get_max_queued_packets(
    peer: *mut pp_peer,
    out_value: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_value);
        out.write(with_wmp_settings(peer, |w| Ok(w.get_max_queued_packets()))?);
        Ok(())
    }
}

/// Sets the `heartbeat_interval` (seconds, 0 = off) of later connections (beyond the engine, whose
/// WebSocketMultiplayerPeer has no such property): each connection pings every interval and is
/// dropped if the previous ping was not answered, as `pp_websocket_peer_set_heartbeat_interval`.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a negative or non-finite value, NULL
/// or another class.
#[no_mangle]
pub extern "C" fn pp_websocket_multiplayer_peer_set_heartbeat_interval(
    peer: *mut pp_peer,
    seconds: f64,
) -> pp_error {
    ffi_boundary! { with_wmp_settings(peer, |w| w.set_heartbeat_interval(seconds)) }
}

/// The `heartbeat_interval` of later connections in seconds (0 when off).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_multiplayer_peer_get_heartbeat_interval(
    peer: *mut pp_peer,
    out_seconds: *mut f64,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_seconds);
        out.write(with_wmp_settings(peer, |w| Ok(w.get_heartbeat_interval()))?);
        Ok(())
    }
}

/// Sets four WebSocket settings every later connection of this multiplayer peer copies
/// (`supported_protocols`, `inbound_buffer_size`, `outbound_buffer_size`, `max_queued_packets`) in
/// one call, with the rules of the WebSocketPeer setters; all or nothing. The same as the four
/// `pp_websocket_multiplayer_peer_set_*` calls; `handshake_headers` and `heartbeat_interval` are
/// left as they are.
///
/// - `protocols`, `count`: as `pp_websocket_peer_set_supported_protocols`.
/// - `inbound_buffer_size`, `outbound_buffer_size`, `max_queued_packets`: as the WebSocketPeer
///   properties.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a bad value, NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_websocket_multiplayer_peer_configure(
    peer: *mut pp_peer,
    protocols: *const *const c_char,
    count: usize,
    inbound_buffer_size: i32,
    outbound_buffer_size: i32,
    max_queued_packets: i32,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: `protocols` is NULL or `count` string pointers (caller's contract).
        let v = unsafe { in_strs(protocols, count) }?;
        with_wmp(peer, |m| {
            let mut t = WebSocketPeer::new();
            map(t.set_supported_protocols(&v))?;
            map(t.set_inbound_buffer_size(inbound_buffer_size))?;
            map(t.set_outbound_buffer_size(outbound_buffer_size))?;
            map(t.set_max_queued_packets(max_queued_packets))?;
            // Validated on `t`: the same values cannot fail now; other settings stay.
            let w = m.settings_mut();
            map(w.set_supported_protocols(&v))?;
            map(w.set_inbound_buffer_size(inbound_buffer_size))?;
            map(w.set_outbound_buffer_size(outbound_buffer_size))?;
            map(w.set_max_queued_packets(max_queued_packets))?;
            Ok(())
        })
    }
}

/// Speaks Godot 3's WebSocketMultiplayerPeer protocol (`gd_mp_api`: a 9-byte `[u8 type][i32 from][i32 to]`
/// header on every message, SYS_ID/SYS_ADD/SYS_DEL announcements, the server relaying between clients)
/// instead of Godot 4's, to talk to Godot 3.x games. Off by default. In this mode
/// `pp_multiplayer_peer_is_server_relay_supported` is false, and a client is CONNECTED once the
/// server announced itself (SYS_ADD(1)).
///
/// Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` unless DISCONNECTED; `PP_ERR_INVALID_PARAMETER` for NULL
/// or another class.
#[no_mangle]
pub extern "C" fn pp_websocket_multiplayer_peer_set_godot3_compat(
    peer: *mut pp_peer,
    enabled: bool,
) -> pp_error {
    ffi_boundary! { with_wmp(peer, |m| map(m.set_godot3_compat(enabled))) }
}
