//! C API of StreamPeerTCP (a `pp_stream_peer`) and TCPServer (`pp_tcp_server`).
//!
//! A StreamPeerTCP is a `pp_stream_peer`: read and write it with the StreamPeer base calls, hand it
//! to `pp_packet_peer_stream_set_stream_peer` for framed packets, free it with
//! `pp_stream_peer_free`. The calls here are class-specific; given a stream of another class they
//! return `PP_ERR_INVALID_PARAMETER` (getters: 0 / false).
//!
//! Beyond the engine: a non-blocking write mode (`pp_stream_peer_tcp_set_blocking_writes`), write
//! coalescing (`pp_stream_peer_tcp_set_write_coalescing` + `pp_stream_peer_tcp_flush`), a settable
//! connect timeout, counters. Differences: a non-blocking partial write reports the bytes really
//! sent; a failed `bind` closes the socket again; `set_no_delay` without a socket returns
//! `PP_ERR_UNCONFIGURED` (the engine fails silently).
// The exports take raw pointers from C by design; each dereference is checked and has a SAFETY note.
#![allow(clippy::not_unsafe_ptr_arg_deref)]
use std::ffi::c_char;
use std::time::Duration;

use super::boundary::c_enum_return;
use super::udp::pp_net_stats;
use super::{
    ffi_boundary, free_handle, in_str, map, new_handle, new_stream, out, out_opt, pp_error,
    pp_stream_peer, try_ref, with_class, with_excl, write_text, Castable, Excl, INVALID,
};
use crate::net::tcp::{PollType, StreamPeerTcp, TcpStatus};
use crate::net::tcp_server::TcpServer;

/// Godot's `StreamPeerTCP.Status`, from `pp_stream_peer_tcp_get_status`. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_stream_peer_tcp_status {
    /// Not connected.
    PP_STREAM_PEER_TCP_STATUS_NONE = 0,
    /// Connect in progress (call `pp_stream_peer_tcp_poll`).
    PP_STREAM_PEER_TCP_STATUS_CONNECTING = 1,
    /// Connected.
    PP_STREAM_PEER_TCP_STATUS_CONNECTED = 2,
    /// The connect failed or timed out, or a socket error occurred.
    PP_STREAM_PEER_TCP_STATUS_ERROR = 3,
}
c_enum_return!(pp_stream_peer_tcp_status => pp_stream_peer_tcp_status::PP_STREAM_PEER_TCP_STATUS_NONE);

/// What `pp_stream_peer_tcp_wait` waits for (the engine's `NetSocket::PollType`). `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_poll_type {
    /// Until readable.
    PP_POLL_TYPE_IN = 0,
    /// Until writable.
    PP_POLL_TYPE_OUT = 1,
    /// Until readable or writable.
    PP_POLL_TYPE_IN_OUT = 2,
}

/// Opaque handle to a TCPServer. Free with `pp_tcp_server_free`.
pub struct pp_tcp_server {
    _private: [u8; 0],
}
// SAFETY: unique ID.
unsafe impl Castable for pp_tcp_server {
    type Rust = Excl<TcpServer>;
    const ID: u16 = 5;
}

/// `f` on a StreamPeerTCP handle (an export's argument, under its contract).
fn with_tcp<R>(
    stream: *mut pp_stream_peer,
    f: impl FnOnce(&mut StreamPeerTcp) -> Result<R, pp_error>,
) -> Result<R, pp_error> {
    with_class(try_ref!(stream), f)
}

/// Makes a StreamPeerTCP: status NONE, no socket, 30 s connect timeout, blocking writes,
/// coalescing off.
///
/// - `out_stream`: receives the stream; free it with `pp_stream_peer_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_stream` is NULL.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tcp_new(out_stream: *mut *mut pp_stream_peer) -> pp_error {
    ffi_boundary! {
        out!(out_stream).write(new_stream(StreamPeerTcp::new()));
        Ok(())
    }
}

/// Fixes the local address and port before connecting (`bind(port, host)`).
///
/// - `port`: 0..65535 (0: the OS picks).
/// - `host`: `"*"` (dual stack) or an IPv4 / IPv6 literal.
///
/// Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` if the socket is already open;
/// `PP_ERR_INVALID_PARAMETER` for a bad port or address, NULL, or another class;
/// `PP_ERR_CANT_CREATE` if no socket could be made; `PP_ERR_UNAVAILABLE` if the OS bind fails (the
/// socket is closed again, so you may retry).
#[no_mangle]
pub unsafe extern "C" fn pp_stream_peer_tcp_bind(
    stream: *mut pp_stream_peer,
    port: i32,
    host: *const c_char,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: a non-NULL `host` is a NUL-terminated string (caller's contract).
        let h = unsafe { in_str(host) }?;
        with_tcp(stream, |t| map(t.bind(port, h)))
    }
}

/// Starts connecting (`connect_to_host(host, port)`); non-blocking: drive it with
/// `pp_stream_peer_tcp_poll` until the status is CONNECTED or ERROR. The connect deadline starts
/// now (see `pp_stream_peer_tcp_set_connect_timeout`).
///
/// - `host`: IP literal or name (resolved, blocking, first address of any family).
/// - `port`: 1..65535.
///
/// Returns `PP_OK` (status CONNECTING, or CONNECTED when the OS finished at once);
/// `PP_ERR_CANT_RESOLVE`; `PP_ERR_ALREADY_IN_USE` unless the status is NONE;
/// `PP_ERR_INVALID_PARAMETER` for a bad port, NULL, or another class; `PP_FAILED` if the OS refuses
/// at once (status NONE).
#[no_mangle]
pub unsafe extern "C" fn pp_stream_peer_tcp_connect_to_host(
    stream: *mut pp_stream_peer,
    host: *const c_char,
    port: i32,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: a non-NULL `host` is a NUL-terminated string (caller's contract).
        let h = unsafe { in_str(host) }?;
        with_tcp(stream, |t| map(t.connect_to_host(h, port)))
    }
}

/// Updates the status (`poll()`). CONNECTING: finished → CONNECTED; refused or past the deadline →
/// ERROR and `PP_ERR_CONNECTION_ERROR`. CONNECTED: the peer closed → NONE and `PP_OK`; a socket
/// error → ERROR and that error. Also sends bytes queued by coalescing or non-blocking writes.
///
/// Returns `PP_OK`, the errors above, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tcp_poll(stream: *mut pp_stream_peer) -> pp_error {
    ffi_boundary! { with_tcp(stream, |t| map(t.poll())) }
}

/// The status, a `pp_stream_peer_tcp_status`. It changes only in calls on this stream
/// (`pp_stream_peer_tcp_poll`, reads, writes). `PP_STREAM_PEER_TCP_STATUS_NONE` for NULL or another
/// class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tcp_get_status(
    stream: *mut pp_stream_peer,
) -> pp_stream_peer_tcp_status {
    use pp_stream_peer_tcp_status::*;
    ffi_boundary! {
        with_tcp(stream, |t| {
            Ok(match t.get_status() {
                TcpStatus::None => PP_STREAM_PEER_TCP_STATUS_NONE,
                TcpStatus::Connecting => PP_STREAM_PEER_TCP_STATUS_CONNECTING,
                TcpStatus::Connected => PP_STREAM_PEER_TCP_STATUS_CONNECTED,
                TcpStatus::Error => PP_STREAM_PEER_TCP_STATUS_ERROR,
            })
        })
        .unwrap_or(PP_STREAM_PEER_TCP_STATUS_NONE)
    }
}

/// Closes the connection (status NONE, address cleared, queued output discarded).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tcp_disconnect_from_host(stream: *mut pp_stream_peer) -> pp_error {
    ffi_boundary! {
        with_tcp(stream, |t| {
            t.disconnect_from_host();
            Ok(())
        })
    }
}

/// The remote address as text (dotted IPv4, or eight lowercase hex groups for IPv6); `""` when not
/// connecting or connected.
///
/// - `out_host`, `out_host_size`: buffer for the NUL-terminated text (`PP_IP_STRING_SIZE` suffices),
///   filled by the text-out rule (see the header's conventions).
/// - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` for a NULL or bad handle, another class, or a bad buffer.
#[no_mangle]
pub unsafe extern "C" fn pp_stream_peer_tcp_get_connected_host(
    stream: *mut pp_stream_peer,
    out_host: *mut c_char,
    out_host_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let s = with_tcp(stream, |t| Ok(t.get_connected_host_string()))?;
        let out_len = out_opt!(out_len);
        // SAFETY: `out_host` is NULL or has `out_host_size` writable bytes (caller's contract).
        unsafe { write_text(&s, out_host, out_host_size, out_len) }
    }
}

/// Why the last connect failed, in words: the OS error (`"connect: Connection refused (os error
/// 111)"`), `"connect timed out after N ms"`, or `"cannot resolve host ..."`; `""` when the last
/// connect did not fail. Beside the `pp_error` code, for logs and users (not a Godot method).
///
/// - `buf`, `size`: buffer for the NUL-terminated text, filled by the text-out rule (see the
///   header's conventions).
/// - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` for a NULL or bad handle, another class, or a bad buffer.
#[no_mangle]
pub unsafe extern "C" fn pp_stream_peer_tcp_get_last_error_text(
    stream: *mut pp_stream_peer,
    buf: *mut c_char,
    size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let s = with_tcp(stream, |t| Ok(t.get_last_error_text().to_owned()))?;
        let out_len = out_opt!(out_len);
        // SAFETY: `buf` is NULL or has `size` writable bytes (caller's contract).
        unsafe { write_text(&s, buf, size, out_len) }
    }
}

/// The remote port; 0 when not connected, for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tcp_get_connected_port(stream: *mut pp_stream_peer) -> i32 {
    ffi_boundary! {
        with_tcp(stream, |t| Ok(i32::from(t.get_connected_port()))).unwrap_or(0)
    }
}

/// The local port; 0 if the socket is not bound, for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tcp_get_local_port(stream: *mut pp_stream_peer) -> i32 {
    ffi_boundary! {
        with_tcp(stream, |t| Ok(i32::from(t.get_local_port()))).unwrap_or(0)
    }
}

/// TCP_NODELAY on or off (default off: Nagle on).
///
/// Returns `PP_OK`; `PP_ERR_UNCONFIGURED` if the socket is not open; `PP_FAILED` if the OS refuses;
/// `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tcp_set_no_delay(
    stream: *mut pp_stream_peer,
    enabled: bool,
) -> pp_error {
    ffi_boundary! { with_tcp(stream, |t| map(t.set_no_delay(enabled))) }
}

/// Waits until the socket is ready (the engine's internal `wait(type, timeout)`).
///
/// - `poll_type`: a `pp_poll_type` (`PP_POLL_TYPE_IN`, `_OUT`, `_IN_OUT`).
/// - `timeout_ms`: milliseconds; negative waits forever, 0 only checks.
///
/// Returns `PP_OK` when ready; `PP_ERR_BUSY` on timeout; `PP_ERR_UNAVAILABLE` without a socket;
/// `PP_FAILED` on a socket error; `PP_ERR_INVALID_PARAMETER` for a bad `poll_type`, NULL, or
/// another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tcp_wait(
    stream: *mut pp_stream_peer,
    poll_type: i32,
    timeout_ms: i32,
) -> pp_error {
    ffi_boundary! {
        let pt = map(PollType::try_from(poll_type))?;
        with_tcp(stream, |t| map(t.wait(pt, timeout_ms)))
    }
}

/// Sets the connect deadline used by later `pp_stream_peer_tcp_connect_to_host` calls (the
/// engine's `network/limits/tcp/connect_timeout_seconds`, default 30 000 ms).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a negative value, NULL, or another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tcp_set_connect_timeout(
    stream: *mut pp_stream_peer,
    timeout_ms: i32,
) -> pp_error {
    ffi_boundary! {
        if timeout_ms < 0 {
            return Err(INVALID);
        }
        with_tcp(stream, |t| {
            t.set_connect_timeout(Duration::from_millis(timeout_ms as u64));
            Ok(())
        })
    }
}

/// Chooses how writes (`put_data`, and so `pp_put_packet` through a PacketPeerStream) behave when
/// the socket is full.
///
/// - `blocking` true (default, the engine's): wait until every byte is written.
/// - `blocking` false: a write either accepts *all* its bytes — sending what the OS takes now and
///   queueing the rest, which `pp_stream_peer_tcp_poll`, `_flush` and later writes push out — or
///   returns `PP_ERR_BUSY` having accepted none, so frames are never cut. The queue holds at most
///   `max(out_buffer_max_size, one write)` bytes.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tcp_set_blocking_writes(
    stream: *mut pp_stream_peer,
    blocking: bool,
) -> pp_error {
    ffi_boundary! {
        with_tcp(stream, |t| {
            t.set_blocking_writes(blocking);
            Ok(())
        })
    }
}

/// Write coalescing (off by default). On: writes are appended to the output buffer without a
/// system call while they fit in `out_buffer_max_size` bytes; `pp_stream_peer_tcp_flush`,
/// `pp_stream_peer_tcp_poll`, or a write that does not fit sends everything with one vectored
/// send. Many small frames then cost one system call. Nothing leaves until then: flush once per
/// frame of your loop. Turning it off does not send what is queued.
///
/// Reads are batched the same way: while output is queued, once a non-blocking read
/// (`pp_stream_peer_get_partial_data`, and the pull PacketPeerStream does before every
/// `pp_put_packet`, and before a `pp_get_packet` that has no whole frame buffered) has found nothing, further non-blocking reads report 0 bytes
/// without a system call until the next `_flush`/`_poll` or a write that reaches the OS. Blocking
/// reads always ask the OS.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tcp_set_write_coalescing(
    stream: *mut pp_stream_peer,
    enabled: bool,
) -> pp_error {
    ffi_boundary! {
        with_tcp(stream, |t| {
            t.set_write_coalescing(enabled);
            Ok(())
        })
    }
}

/// Bound of the output buffer used by coalescing and non-blocking writes (default 65 536 bytes).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a value below 1, NULL, or another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tcp_set_out_buffer_max_size(
    stream: *mut pp_stream_peer,
    max_size: i32,
) -> pp_error {
    ffi_boundary! {
        if max_size < 1 {
            return Err(INVALID);
        }
        with_tcp(stream, |t| {
            t.set_out_buffer_max_size(max_size as usize);
            Ok(())
        })
    }
}

/// Bytes written but still queued (coalescing or non-blocking writes); 0 for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tcp_get_queued_bytes(stream: *mut pp_stream_peer) -> i32 {
    ffi_boundary! {
        with_tcp(stream, |t| {
            Ok(t.get_queued_bytes().min(i32::MAX as usize) as i32)
        })
        .unwrap_or(0)
    }
}

/// Sends everything queued. Blocking writes: waits until done. Non-blocking: sends what the OS
/// takes now.
///
/// Returns `PP_OK` when nothing is left queued; `PP_ERR_BUSY` (non-blocking) when bytes remain;
/// `PP_FAILED` when not connected or on a socket error (the connection is closed);
/// `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tcp_flush(stream: *mut pp_stream_peer) -> pp_error {
    ffi_boundary! {
        with_tcp(stream, |t| {
            map(t.flush())?;
            if t.get_queued_bytes() > 0 {
                return Err(pp_error::PP_ERR_BUSY);
            }
            Ok(())
        })
    }
}

/// The stream's traffic counters (bytes in and out; "packets" = write / read calls that moved
/// bytes).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_stream_peer_tcp_get_stats(
    stream: *mut pp_stream_peer,
    out_stats: *mut pp_net_stats,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_stats);
        let s = with_tcp(stream, |t| Ok(t.stats()))?;
        out.write(s.into());
        Ok(())
    }
}

/// Makes a TCPServer (not listening).
///
/// - `out_server`: receives the server; free it with `pp_tcp_server_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_server` is NULL.
#[no_mangle]
pub extern "C" fn pp_tcp_server_new(out_server: *mut *mut pp_tcp_server) -> pp_error {
    ffi_boundary! {
        out!(out_server).write(new_handle::<pp_tcp_server>(Excl::new(TcpServer::new())));
        Ok(())
    }
}

/// Starts listening (`listen(port, bind_address)`): SO_REUSEADDR, backlog 8, non-blocking.
///
/// - `port`: 0..65535 (0: the OS picks; see `pp_tcp_server_get_local_port`).
/// - `bind_address`: `"*"` (dual-stack IPv6 socket), or an IPv4 / IPv6 literal (`"0.0.0.0"` /
///   `"::"`: that family only).
///
/// Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` if already listening or if the OS bind fails (port in
/// use — the engine's code); `PP_ERR_INVALID_PARAMETER` for a bad address or port, NULL;
/// `PP_ERR_CANT_CREATE` if no socket could be made; `PP_FAILED` if listen() fails.
#[no_mangle]
pub unsafe extern "C" fn pp_tcp_server_listen(
    server: *mut pp_tcp_server,
    port: i32,
    bind_address: *const c_char,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: a non-NULL `bind_address` is a NUL-terminated string (caller's contract).
        let a = unsafe { in_str(bind_address) }?;
        with_excl(server, |s| map(s.listen(port, a)))
    }
}

/// True if a connection waits to be taken (listening socket readable). False for NULL.
#[no_mangle]
pub extern "C" fn pp_tcp_server_is_connection_available(server: *mut pp_tcp_server) -> bool {
    ffi_boundary! {
        with_excl(server, |s| Ok(s.is_connection_available())).unwrap_or(false)
    }
}

/// Accepts one connection: a StreamPeerTCP, status CONNECTED, non-blocking, remote address set.
///
/// - `out_stream`: receives it; free it with `pp_stream_peer_free` (it may outlive the server).
///
/// Returns `PP_OK`; `PP_ERR_UNAVAILABLE` if none is waiting (or not listening);
/// `PP_ERR_INVALID_PARAMETER` for NULL.
#[no_mangle]
pub unsafe extern "C" fn pp_tcp_server_take_connection(
    server: *mut pp_tcp_server,
    out_stream: *mut *mut pp_stream_peer,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_stream);
        let conn = with_excl(server, |s| {
            s.take_connection().ok_or(pp_error::PP_ERR_UNAVAILABLE)
        })?;
        out.write(new_stream(conn));
        Ok(())
    }
}

/// Stops listening (closes the listening socket; taken connections are unaffected).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL.
#[no_mangle]
pub extern "C" fn pp_tcp_server_stop(server: *mut pp_tcp_server) -> pp_error {
    ffi_boundary! {
        with_excl(server, |s| {
            s.stop();
            Ok(())
        })
    }
}

/// True while listening. False for NULL.
#[no_mangle]
pub extern "C" fn pp_tcp_server_is_listening(server: *mut pp_tcp_server) -> bool {
    ffi_boundary! {
        with_excl(server, |s| Ok(s.is_listening())).unwrap_or(false)
    }
}

/// The local port while listening; 0 otherwise or for NULL.
#[no_mangle]
pub extern "C" fn pp_tcp_server_get_local_port(server: *mut pp_tcp_server) -> i32 {
    ffi_boundary! {
        with_excl(server, |s| Ok(i32::from(s.get_local_port()))).unwrap_or(0)
    }
}

/// Frees a TCPServer (closing the listening socket). NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn pp_tcp_server_free(server: *mut pp_tcp_server) {
    ffi_boundary! {
        // SAFETY: NULL or a handle from this library, not freed yet (the caller's contract).
        unsafe { free_handle(server) }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn handles_are_send() {
        fn is_send<T: Send>() {}
        is_send::<super::StreamPeerTcp>();
        is_send::<super::Excl<super::TcpServer>>();
    }
}
