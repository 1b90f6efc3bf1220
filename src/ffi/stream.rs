//! C API of the StreamPeer base class (any `pp_stream_peer`), StreamPeerBuffer and the in-memory pipe.
// The exports take raw pointers from C by design; each dereference is checked and has a SAFETY note.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use std::ffi::c_char;

use super::{
    ffi_boundary, free_handle, in_slice, in_str, map, new_stream, new_variant, out, out_slice,
    owned_string, pp_error, pp_stream_peer, pp_variant, try_ref, with_class, StreamPeerObject,
    INVALID,
};
use crate::peer::{StreamPeerBuffer, StreamPeerExt, StreamPeerPipe};

/// Writes all of `data` to any stream (StreamPeer.put_data; blocking in Godot's sense: all bytes or an
/// error). Input is copied.
///
/// - `stream`: the stream. `data`, `len`: the bytes; `(NULL, 0)` is an empty write.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for bad arguments, or the stream's error (pipe: `PP_ERR_BUSY`
/// when the bytes do not all fit now — nothing is written; TCP: `PP_FAILED` when not connected …).
#[no_mangle]
pub extern "C" fn pp_stream_peer_put_data(
    stream: *mut pp_stream_peer,
    data: *const u8,
    len: usize,
) -> pp_error {
    ffi_boundary! {
        let s = try_ref!(stream);
        // SAFETY: the caller passes `len` readable bytes at `data` (or NULL with 0).
        let data = unsafe { in_slice(data, len) }?;
        map(s.lock()?.put_data(data))
    }
}

/// Writes what fits now (StreamPeer.put_partial_data; non-blocking).
///
/// - `stream`: the stream. `data`, `len`: the bytes. `out_sent`: receives how many were written (maybe 0).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for bad arguments, or the stream's error.
#[no_mangle]
pub extern "C" fn pp_stream_peer_put_partial_data(
    stream: *mut pp_stream_peer,
    data: *const u8,
    len: usize,
    out_sent: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let s = try_ref!(stream);
        // SAFETY: the caller passes `len` readable bytes at `data` (or NULL with 0).
        let data = unsafe { in_slice(data, len) }?;
        let out_sent = out!(out_sent);
        let n = map(s.lock()?.put_partial_data(data))?;
        out_sent.write(n);
        Ok(())
    }
}

/// Reads exactly `len` bytes into `buf` (StreamPeer.get_data; blocking in Godot's sense).
///
/// - `stream`: the stream. `buf`, `len`: where to put them (`(NULL, 0)` reads nothing). On error the
///   contents of `buf` are unspecified (StreamPeerBuffer, like the engine, copies and consumes what is
///   left before failing).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for bad arguments, or the stream's error (StreamPeerBuffer:
/// `PP_ERR_INVALID_PARAMETER` when fewer bytes are left; pipe: `PP_ERR_BUSY` when not all are there yet —
/// nothing consumed — and `PP_ERR_FILE_EOF` after the other end closed).
#[no_mangle]
pub extern "C" fn pp_stream_peer_get_data(
    stream: *mut pp_stream_peer,
    buf: *mut u8,
    len: usize,
) -> pp_error {
    ffi_boundary! {
        let s = try_ref!(stream);
        // SAFETY: the caller passes `len` writable bytes at `buf` (or NULL with 0).
        let buf = unsafe { out_slice(buf, len) }?;
        map(s.lock()?.get_data(buf))
    }
}

/// Reads what is available now, up to `len` bytes (StreamPeer.get_partial_data; non-blocking).
///
/// - `stream`: the stream. `buf`, `len`: where to put them. `out_received`: receives the count (maybe 0).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for bad arguments, or the stream's error (pipe:
/// `PP_ERR_FILE_EOF` once the other end closed and everything was read).
#[no_mangle]
pub extern "C" fn pp_stream_peer_get_partial_data(
    stream: *mut pp_stream_peer,
    buf: *mut u8,
    len: usize,
    out_received: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let s = try_ref!(stream);
        // SAFETY: the caller passes `len` writable bytes at `buf` (or NULL with 0).
        let buf = unsafe { out_slice(buf, len) }?;
        let out_received = out!(out_received);
        let n = map(s.lock()?.get_partial_data(buf))?;
        out_received.write(n);
        Ok(())
    }
}

/// Bytes readable now without blocking (StreamPeer.get_available_bytes).
///
/// - `stream`: the stream. `out_bytes`: receives the count.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL argument; `PP_FAILED` when the stream reports an
/// error (the engine's -1).
#[no_mangle]
pub extern "C" fn pp_stream_peer_get_available_bytes(
    stream: *mut pp_stream_peer,
    out_bytes: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let s = try_ref!(stream);
        let out_bytes = out!(out_bytes);
        let n = s.lock()?.get_available_bytes();
        if n < 0 {
            return Err(pp_error::PP_FAILED);
        }
        out_bytes.write(n);
        Ok(())
    }
}

/// Sets the byte order of the typed helpers (StreamPeer.big_endian; default false = little-endian).
/// It never affects PacketPeerStream framing.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL `stream`.
#[no_mangle]
pub extern "C" fn pp_stream_peer_set_big_endian(
    stream: *mut pp_stream_peer,
    big_endian: bool,
) -> pp_error {
    ffi_boundary! {
        let s = try_ref!(stream);
        s.lock()?.set_big_endian(big_endian);
        Ok(())
    }
}

/// Whether the typed helpers use big-endian. False for a NULL `stream`.
#[no_mangle]
pub extern "C" fn pp_stream_peer_is_big_endian(stream: *mut pp_stream_peer) -> bool {
    ffi_boundary! {
        let s = try_ref!(stream);
        s.lock().is_ok_and(|g| g.is_big_endian())
    }
}

fn typed_get<T>(
    stream: *mut pp_stream_peer,
    out_value: *mut T,
    get: impl FnOnce(&mut dyn StreamPeerObject) -> crate::error::Result<T>,
) -> Result<(), pp_error> {
    let s = try_ref!(stream);
    let out_value = out!(out_value);
    let v = map(get(&mut *s.lock()?))?;
    out_value.write(v);
    Ok(())
}

/// Writes a signed 8-bit integer in the stream's byte order with a blocking put_data (StreamPeer.put_8).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
#[no_mangle]
pub extern "C" fn pp_stream_peer_put_8(stream: *mut pp_stream_peer, value: i8) -> pp_error {
    ffi_boundary! { map(try_ref!(stream).lock()?.put_8(value)) }
}

/// Reads a signed 8-bit integer in the stream's byte order with a blocking get_data (StreamPeer.get_8) into `out_value`.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
/// (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
#[no_mangle]
pub extern "C" fn pp_stream_peer_get_8(
    stream: *mut pp_stream_peer,
    out_value: *mut i8,
) -> pp_error {
    ffi_boundary! { typed_get(stream, out_value, |s| s.get_8()) }
}

/// Writes an unsigned 8-bit integer in the stream's byte order with a blocking put_data (StreamPeer.put_u8).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
#[no_mangle]
pub extern "C" fn pp_stream_peer_put_u8(stream: *mut pp_stream_peer, value: u8) -> pp_error {
    ffi_boundary! { map(try_ref!(stream).lock()?.put_u8(value)) }
}

/// Reads an unsigned 8-bit integer in the stream's byte order with a blocking get_data (StreamPeer.get_u8) into `out_value`.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
/// (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
#[no_mangle]
pub extern "C" fn pp_stream_peer_get_u8(
    stream: *mut pp_stream_peer,
    out_value: *mut u8,
) -> pp_error {
    ffi_boundary! { typed_get(stream, out_value, |s| s.get_u8()) }
}

/// Writes a signed 16-bit integer in the stream's byte order with a blocking put_data (StreamPeer.put_16).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
#[no_mangle]
pub extern "C" fn pp_stream_peer_put_16(stream: *mut pp_stream_peer, value: i16) -> pp_error {
    ffi_boundary! { map(try_ref!(stream).lock()?.put_16(value)) }
}

/// Reads a signed 16-bit integer in the stream's byte order with a blocking get_data (StreamPeer.get_16) into `out_value`.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
/// (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
#[no_mangle]
pub extern "C" fn pp_stream_peer_get_16(
    stream: *mut pp_stream_peer,
    out_value: *mut i16,
) -> pp_error {
    ffi_boundary! { typed_get(stream, out_value, |s| s.get_16()) }
}

/// Writes an unsigned 16-bit integer in the stream's byte order with a blocking put_data (StreamPeer.put_u16).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
#[no_mangle]
pub extern "C" fn pp_stream_peer_put_u16(stream: *mut pp_stream_peer, value: u16) -> pp_error {
    ffi_boundary! { map(try_ref!(stream).lock()?.put_u16(value)) }
}

/// Reads an unsigned 16-bit integer in the stream's byte order with a blocking get_data (StreamPeer.get_u16) into `out_value`.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
/// (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
#[no_mangle]
pub extern "C" fn pp_stream_peer_get_u16(
    stream: *mut pp_stream_peer,
    out_value: *mut u16,
) -> pp_error {
    ffi_boundary! { typed_get(stream, out_value, |s| s.get_u16()) }
}

/// Writes a signed 32-bit integer in the stream's byte order with a blocking put_data (StreamPeer.put_32).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
#[no_mangle]
pub extern "C" fn pp_stream_peer_put_32(stream: *mut pp_stream_peer, value: i32) -> pp_error {
    ffi_boundary! { map(try_ref!(stream).lock()?.put_32(value)) }
}

/// Reads a signed 32-bit integer in the stream's byte order with a blocking get_data (StreamPeer.get_32) into `out_value`.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
/// (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
#[no_mangle]
pub extern "C" fn pp_stream_peer_get_32(
    stream: *mut pp_stream_peer,
    out_value: *mut i32,
) -> pp_error {
    ffi_boundary! { typed_get(stream, out_value, |s| s.get_32()) }
}

/// Writes an unsigned 32-bit integer in the stream's byte order with a blocking put_data (StreamPeer.put_u32).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
#[no_mangle]
pub extern "C" fn pp_stream_peer_put_u32(stream: *mut pp_stream_peer, value: u32) -> pp_error {
    ffi_boundary! { map(try_ref!(stream).lock()?.put_u32(value)) }
}

/// Reads an unsigned 32-bit integer in the stream's byte order with a blocking get_data (StreamPeer.get_u32) into `out_value`.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
/// (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
#[no_mangle]
pub extern "C" fn pp_stream_peer_get_u32(
    stream: *mut pp_stream_peer,
    out_value: *mut u32,
) -> pp_error {
    ffi_boundary! { typed_get(stream, out_value, |s| s.get_u32()) }
}

/// Writes a signed 64-bit integer in the stream's byte order with a blocking put_data (StreamPeer.put_64).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
#[no_mangle]
pub extern "C" fn pp_stream_peer_put_64(stream: *mut pp_stream_peer, value: i64) -> pp_error {
    ffi_boundary! { map(try_ref!(stream).lock()?.put_64(value)) }
}

/// Reads a signed 64-bit integer in the stream's byte order with a blocking get_data (StreamPeer.get_64) into `out_value`.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
/// (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
#[no_mangle]
pub extern "C" fn pp_stream_peer_get_64(
    stream: *mut pp_stream_peer,
    out_value: *mut i64,
) -> pp_error {
    ffi_boundary! { typed_get(stream, out_value, |s| s.get_64()) }
}

/// Writes an unsigned 64-bit integer in the stream's byte order with a blocking put_data (StreamPeer.put_u64).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
#[no_mangle]
pub extern "C" fn pp_stream_peer_put_u64(stream: *mut pp_stream_peer, value: u64) -> pp_error {
    ffi_boundary! { map(try_ref!(stream).lock()?.put_u64(value)) }
}

/// Reads an unsigned 64-bit integer in the stream's byte order with a blocking get_data (StreamPeer.get_u64) into `out_value`.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
/// (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
#[no_mangle]
pub extern "C" fn pp_stream_peer_get_u64(
    stream: *mut pp_stream_peer,
    out_value: *mut u64,
) -> pp_error {
    ffi_boundary! { typed_get(stream, out_value, |s| s.get_u64()) }
}

/// Writes a half float (2 bytes; converted like the engine: mantissa truncated, magnitudes below 2^-14 become +0) in the stream's byte order with a blocking put_data (StreamPeer.put_half).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
#[no_mangle]
pub extern "C" fn pp_stream_peer_put_half(stream: *mut pp_stream_peer, value: f32) -> pp_error {
    ffi_boundary! { map(try_ref!(stream).lock()?.put_half(value)) }
}

/// Reads a half float (2 bytes; converted like the engine: mantissa truncated, magnitudes below 2^-14 become +0) in the stream's byte order with a blocking get_data (StreamPeer.get_half) into `out_value`.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
/// (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
#[no_mangle]
pub extern "C" fn pp_stream_peer_get_half(
    stream: *mut pp_stream_peer,
    out_value: *mut f32,
) -> pp_error {
    ffi_boundary! { typed_get(stream, out_value, |s| s.get_half()) }
}

/// Writes a 32-bit float in the stream's byte order with a blocking put_data (StreamPeer.put_float).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
#[no_mangle]
pub extern "C" fn pp_stream_peer_put_float(stream: *mut pp_stream_peer, value: f32) -> pp_error {
    ffi_boundary! { map(try_ref!(stream).lock()?.put_float(value)) }
}

/// Reads a 32-bit float in the stream's byte order with a blocking get_data (StreamPeer.get_float) into `out_value`.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
/// (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
#[no_mangle]
pub extern "C" fn pp_stream_peer_get_float(
    stream: *mut pp_stream_peer,
    out_value: *mut f32,
) -> pp_error {
    ffi_boundary! { typed_get(stream, out_value, |s| s.get_float()) }
}

/// Writes a 64-bit float in the stream's byte order with a blocking put_data (StreamPeer.put_double).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
#[no_mangle]
pub extern "C" fn pp_stream_peer_put_double(stream: *mut pp_stream_peer, value: f64) -> pp_error {
    ffi_boundary! { map(try_ref!(stream).lock()?.put_double(value)) }
}

/// Reads a 64-bit float in the stream's byte order with a blocking get_data (StreamPeer.get_double) into `out_value`.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
/// (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
#[no_mangle]
pub extern "C" fn pp_stream_peer_get_double(
    stream: *mut pp_stream_peer,
    out_value: *mut f64,
) -> pp_error {
    ffi_boundary! { typed_get(stream, out_value, |s| s.get_double()) }
}

/// Writes a string as u32 length (stream byte order) + ASCII bytes, no terminator (StreamPeer.put_string).
/// Like the engine, each character that is not ASCII is written as `?`.
///
/// - `stream`: the stream. `string`: NUL-terminated UTF-8.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument or invalid UTF-8, or the stream's error.
#[no_mangle]
pub extern "C" fn pp_stream_peer_put_string(
    stream: *mut pp_stream_peer,
    string: *const c_char,
) -> pp_error {
    ffi_boundary! {
        let s = try_ref!(stream);
        // SAFETY: the caller passes a NUL-terminated string (or NULL, rejected).
        let text = unsafe { in_str(string) }?;
        map(s.lock()?.put_string(text))
    }
}

/// Writes a string as u32 length (stream byte order) + UTF-8 bytes, no terminator
/// (StreamPeer.put_utf8_string).
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument or invalid UTF-8, or the stream's error.
#[no_mangle]
pub extern "C" fn pp_stream_peer_put_utf8_string(
    stream: *mut pp_stream_peer,
    string: *const c_char,
) -> pp_error {
    ffi_boundary! {
        let s = try_ref!(stream);
        // SAFETY: the caller passes a NUL-terminated string (or NULL, rejected).
        let text = unsafe { in_str(string) }?;
        map(s.lock()?.put_utf8_string(text))
    }
}

fn string_out(
    stream: *mut pp_stream_peer,
    bytes: i32,
    out_string: *mut *mut c_char,
    utf8: bool,
) -> Result<(), pp_error> {
    let s = try_ref!(stream);
    let out_string = out!(out_string);
    let text = {
        let mut g = s.lock()?;
        map(if utf8 {
            g.get_utf8_string(bytes)
        } else {
            g.get_string(bytes)
        })?
    };
    out_string.write(owned_string(text));
    Ok(())
}

/// Reads a string (StreamPeer.get_string): `bytes` bytes, or when `bytes < 0` an i32 length (stream byte
/// order) first. The bytes are Latin-1, as in the engine; the string ends at the first NUL.
///
/// - `out_string`: receives a new NUL-terminated UTF-8 string, **owned**: free it with
///   `pp_string_free`.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, `PP_ERR_INVALID_DATA` for a negative
/// length on the stream, or the stream's error.
#[no_mangle]
pub extern "C" fn pp_stream_peer_get_string(
    stream: *mut pp_stream_peer,
    bytes: i32,
    out_string: *mut *mut c_char,
) -> pp_error {
    ffi_boundary! { string_out(stream, bytes, out_string, false) }
}

/// Reads a UTF-8 string (StreamPeer.get_utf8_string), like `pp_stream_peer_get_string`; invalid UTF-8
/// becomes U+FFFD.
///
/// - `out_string`: receives a new string, **owned**: free it with `pp_string_free`.
///
/// Returns as `pp_stream_peer_get_string`.
#[no_mangle]
pub extern "C" fn pp_stream_peer_get_utf8_string(
    stream: *mut pp_stream_peer,
    bytes: i32,
    out_string: *mut *mut c_char,
) -> pp_error {
    ffi_boundary! { string_out(stream, bytes, out_string, true) }
}

/// Writes a Variant as u32 length (in the stream's byte order, unlike PacketPeerStream framing) + its
/// binary encoding (StreamPeer.put_var).
///
/// - `stream`: the stream. `value`: read during the call only. `full_objects`: send objects in full.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, the encoder's error,
/// `PP_ERR_OUT_OF_MEMORY` above 256 MiB, or the stream's error.
#[no_mangle]
pub extern "C" fn pp_stream_peer_put_var(
    stream: *mut pp_stream_peer,
    value: *const pp_variant,
    full_objects: bool,
) -> pp_error {
    ffi_boundary! {
        let s = try_ref!(stream);
        let value = try_ref!(value).get()?;
        map(s.lock()?.put_var(&value, full_objects))
    }
}

/// Reads a Variant written by `pp_stream_peer_put_var` (StreamPeer.get_var).
///
/// - `allow_objects`: accept objects sent in full.
/// - `out_value`: receives a new Variant, **owned**: free it with `pp_variant_free`.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, `PP_ERR_INVALID_DATA` for a negative
/// length, `PP_ERR_OUT_OF_MEMORY` for a length above 256 MiB (nothing more is read), the stream's error, or
/// the decoder's error.
#[no_mangle]
pub extern "C" fn pp_stream_peer_get_var(
    stream: *mut pp_stream_peer,
    allow_objects: bool,
    out_value: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        let s = try_ref!(stream);
        let out_value = out!(out_value);
        let v = map(s.lock()?.get_var(allow_objects))?;
        out_value.write(new_variant(v));
        Ok(())
    }
}

/// Frees a stream handle of any class. NULL is a no-op. The stream object lives on while something else
/// (another handle, a PacketPeerStream) still uses it; a pipe end closes when its last user lets go.
#[no_mangle]
pub extern "C" fn pp_stream_peer_free(stream: *mut pp_stream_peer) {
    ffi_boundary! {
        // SAFETY: NULL or a handle from this library, not freed yet (the caller's contract).
        unsafe { free_handle(stream) }
    }
}

/// Creates an empty StreamPeerBuffer (an in-memory stream with a cursor; writes grow it).
///
/// - `out_stream`: receives the handle; free it with `pp_stream_peer_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL `out_stream`.
#[no_mangle]
pub extern "C" fn pp_stream_peer_buffer_new(out_stream: *mut *mut pp_stream_peer) -> pp_error {
    ffi_boundary! {
        out!(out_stream).write(new_stream(StreamPeerBuffer::new()));
        Ok(())
    }
}

/// Moves the cursor of a StreamPeerBuffer (StreamPeerBuffer.seek).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL or non-StreamPeerBuffer `stream` or a
/// position outside `0 ..= size` (no change; the engine only prints an error).
#[no_mangle]
pub extern "C" fn pp_stream_peer_buffer_seek(
    stream: *mut pp_stream_peer,
    position: i32,
) -> pp_error {
    ffi_boundary! { with_class::<StreamPeerBuffer, _, _>(try_ref!(stream), |b| map(b.seek(position))) }
}

/// The cursor of a StreamPeerBuffer (StreamPeerBuffer.get_position), into `out_position`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a stream of another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_buffer_get_position(
    stream: *mut pp_stream_peer,
    out_position: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_position);
        let n =
            with_class::<StreamPeerBuffer, _, _>(try_ref!(stream), |b| Ok(b.get_position()))?;
        out.write(n);
        Ok(())
    }
}

/// The size of a StreamPeerBuffer's array (StreamPeerBuffer.get_size), into `out_size`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a stream of another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_buffer_get_size(
    stream: *mut pp_stream_peer,
    out_size: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_size);
        let n = with_class::<StreamPeerBuffer, _, _>(try_ref!(stream), |b| Ok(b.get_size()))?;
        out.write(n);
        Ok(())
    }
}

/// Grows (with zeros) or truncates a StreamPeerBuffer's array; the cursor is unchanged
/// (StreamPeerBuffer.resize).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL or non-StreamPeerBuffer `stream` or a
/// negative size.
#[no_mangle]
pub extern "C" fn pp_stream_peer_buffer_resize(stream: *mut pp_stream_peer, size: i32) -> pp_error {
    ffi_boundary! { with_class::<StreamPeerBuffer, _, _>(try_ref!(stream), |b| map(b.resize(size))) }
}

/// Empties a StreamPeerBuffer and moves its cursor to 0 (StreamPeerBuffer.clear).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL or non-StreamPeerBuffer `stream`.
#[no_mangle]
pub extern "C" fn pp_stream_peer_buffer_clear(stream: *mut pp_stream_peer) -> pp_error {
    ffi_boundary! {
        with_class::<StreamPeerBuffer, _, _>(try_ref!(stream), |b| {
            b.clear();
            Ok(())
        })
    }
}

/// A new StreamPeerBuffer with a copy of the array, cursor at 0 (StreamPeerBuffer.duplicate).
///
/// - `out_copy`: receives the new handle; free it with `pp_stream_peer_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a stream of another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_buffer_duplicate(
    stream: *mut pp_stream_peer,
    out_copy: *mut *mut pp_stream_peer,
) -> pp_error {
    ffi_boundary! {
        let out_copy = out!(out_copy);
        let copy =
            with_class::<StreamPeerBuffer, _, _>(try_ref!(stream), |b| Ok(b.duplicate()))?;
        out_copy.write(new_stream(copy));
        Ok(())
    }
}

/// Replaces a StreamPeerBuffer's array with a copy of `data` and moves the cursor to 0
/// (StreamPeerBuffer.data_array setter).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL or non-StreamPeerBuffer `stream` or a bad
/// buffer.
#[no_mangle]
pub extern "C" fn pp_stream_peer_buffer_set_data_array(
    stream: *mut pp_stream_peer,
    data: *const u8,
    len: usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: the caller passes `len` readable bytes at `data` (or NULL with 0).
        let data = unsafe { in_slice(data, len) }?;
        with_class::<StreamPeerBuffer, _, _>(try_ref!(stream), |b| {
            map(b.set_data_array(data.to_vec()))
        })
    }
}

/// Copies a StreamPeerBuffer's whole array (StreamPeerBuffer.data_array getter) into the caller's buffer.
///
/// - `out_buf`, `buf_len`: where to copy; `buf_len` must be at least the size (see
///   `pp_stream_peer_buffer_get_size`). `(NULL, 0)` works for an empty array.
/// - `out_len`: receives the number of bytes copied (the size).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument, a stream of another class or a
/// buffer too small (nothing copied).
#[no_mangle]
pub extern "C" fn pp_stream_peer_buffer_get_data_array(
    stream: *mut pp_stream_peer,
    out_buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let out_len = out!(out_len);
        // SAFETY: the caller passes `buf_len` writable bytes at `out_buf` (or NULL with 0).
        let buf = unsafe { out_slice(out_buf, buf_len) }?;
        let n = with_class::<StreamPeerBuffer, _, _>(try_ref!(stream), |b| {
            let data = b.data_array();
            let dst = buf.get_mut(..data.len()).ok_or(INVALID)?;
            dst.copy_from_slice(data);
            Ok(data.len())
        })?;
        out_len.write(n);
        Ok(())
    }
}

fn pipe_out(
    capacity: usize,
    out_a: *mut *mut pp_stream_peer,
    out_b: *mut *mut pp_stream_peer,
) -> Result<(), pp_error> {
    let out_a = out!(out_a);
    let out_b = out!(out_b);
    let (a, b) = map(StreamPeerPipe::pair_with_capacity(capacity))?;
    out_a.write(new_stream(a));
    out_b.write(new_stream(b));
    Ok(())
}

/// Creates a connected in-memory stream pair, like `socketpair`: bytes written on one end are read on
/// the other. Each direction holds up to 1 MiB (see `pp_stream_peer_pipe_new_with_capacity`).
///
/// Non-blocking rules (a pipe used from one thread cannot block): `pp_stream_peer_put_data` writes all
/// or nothing and returns `PP_ERR_BUSY` when the bytes do not fit now; `pp_stream_peer_get_data` reads
/// all or nothing and returns `PP_ERR_BUSY` when they are not all there; more than the capacity is
/// `PP_ERR_INVALID_PARAMETER`. Closing an end (`pp_stream_peer_pipe_close`, or freeing its last user)
/// works like closing a TCP socket: the other end reads what was sent, then gets `PP_ERR_FILE_EOF`; its
/// writes get `PP_FAILED`. Each end may be used from its own thread. The typed helpers are all or
/// nothing per read, but a string or Variant read is two reads (length, then bytes): when only the
/// length has arrived it is consumed and the call returns `PP_ERR_BUSY`, so check
/// `pp_stream_peer_get_available_bytes` first (PacketPeerStream framing has no such issue).
///
/// - `out_a`, `out_b`: receive the two ends; free each with `pp_stream_peer_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument (nothing is created).
#[no_mangle]
pub extern "C" fn pp_stream_peer_pipe_new(
    out_a: *mut *mut pp_stream_peer,
    out_b: *mut *mut pp_stream_peer,
) -> pp_error {
    ffi_boundary! { pipe_out(crate::peer::pipe::PIPE_DEFAULT_CAPACITY, out_a, out_b) }
}

/// Like `pp_stream_peer_pipe_new`, with `capacity` bytes per direction (1 ..= INT32_MAX; memory is
/// allocated as data arrives).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a capacity out of range.
#[no_mangle]
pub extern "C" fn pp_stream_peer_pipe_new_with_capacity(
    capacity: usize,
    out_a: *mut *mut pp_stream_peer,
    out_b: *mut *mut pp_stream_peer,
) -> pp_error {
    ffi_boundary! { pipe_out(capacity, out_a, out_b) }
}

/// Closes one end of a pipe (like closing a socket): its unread input is dropped; the other end reads
/// what was already sent, then `PP_ERR_FILE_EOF`. Calls on the closed end return `PP_FAILED`. Closing
/// twice is harmless.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL `stream` or one that is not a pipe end.
#[no_mangle]
pub extern "C" fn pp_stream_peer_pipe_close(stream: *mut pp_stream_peer) -> pp_error {
    ffi_boundary! {
        with_class::<StreamPeerPipe, _, _>(try_ref!(stream), |p| {
            p.close();
            Ok(())
        })
    }
}

/// Whether a pipe end is open: not closed itself, and the other end is open or still has data for it.
///
/// - `out_open`: receives the state.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a stream that is not a pipe end.
#[no_mangle]
pub extern "C" fn pp_stream_peer_pipe_is_open(
    stream: *mut pp_stream_peer,
    out_open: *mut bool,
) -> pp_error {
    ffi_boundary! {
        let out_open = out!(out_open);
        let open = with_class::<StreamPeerPipe, _, _>(try_ref!(stream), |p| Ok(p.is_open()))?;
        out_open.write(open);
        Ok(())
    }
}
