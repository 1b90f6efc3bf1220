//! C API of the PacketPeer base class (any `pp_peer`) and of PacketPeerStream.
// The exports take raw pointers from C by design; each dereference is checked and has a SAFETY note.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use crate::ffi::variant::pp_dialect;
use std::ptr;

use super::{
    ffi_boundary, free_handle, in_slice, map, new_handle, new_peer, new_variant, out, pp_error,
    pp_peer, pp_stream_peer, pp_variant, try_opt_ref, try_ref, with_class, StreamPeerObject,
};
use crate::peer::PacketPeerStream;

/// The PacketPeerStream class behind C handles: its stream is any `pp_stream_peer` object.
pub(crate) type FfiPacketPeerStream = PacketPeerStream<dyn StreamPeerObject>;

/// Shared body of the PacketPeerStream getters: checks `out`, reads the value, writes `out`. The
/// pointers are an export's arguments, under its contract.
fn stream_get<V>(
    peer: *mut pp_peer,
    out: *mut V,
    f: impl FnOnce(&mut FfiPacketPeerStream) -> V,
) -> Result<(), pp_error> {
    let out = out!(out);
    let v = with_class::<FfiPacketPeerStream, _, _>(try_ref!(peer), |p| Ok(f(p)))?;
    out.write(v);
    Ok(())
}

/// Sends one packet on any peer (PacketPeer.put_packet).
///
/// - `peer`: the peer.
/// - `data`, `len`: the payload, copied before the call returns. An empty buffer (`len == 0`, `data` may
///   be NULL) returns `PP_OK` and sends nothing, as Godot's script binding does.
///
/// Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL `peer`, `data == NULL` with `len > 0`,
/// `len > INT32_MAX`), or the transport's error (PacketPeerStream: `PP_ERR_UNCONFIGURED` without a stream,
/// `PP_ERR_INVALID_PARAMETER` above `output_buffer_max_size`, the stream's error such as `PP_ERR_BUSY`).
#[no_mangle]
pub extern "C" fn pp_put_packet(peer: *mut pp_peer, data: *const u8, len: usize) -> pp_error {
    ffi_boundary! {
        let peer = try_ref!(peer);
        // SAFETY: the caller passes `len` readable bytes at `data` (or NULL with 0).
        let data = unsafe { in_slice(data, len) }?;
        if data.is_empty() {
            return Ok(());
        }
        map(peer.lock()?.put_packet(data))
    }
}

/// Pops the next packet of any peer (PacketPeer.get_packet). Also records the result for
/// `pp_get_packet_error`.
///
/// - `peer`: the peer.
/// - `out_data`, `out_len`: receive the packet. **Borrowed**: the bytes stay valid until the next
///   `pp_get_packet` or `pp_get_var` on this peer (through any handle) or until the peer is freed; copy
///   them to keep them. An empty packet gives `*out_data == NULL`, `*out_len == 0`.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL argument; else the transport's error
/// (typically `PP_ERR_UNAVAILABLE` when no packet is ready; PacketPeerStream: `PP_ERR_UNCONFIGURED`
/// without a stream, `PP_ERR_OUT_OF_MEMORY` once the remote announced a frame longer than
/// `input_buffer_max_size`).
#[no_mangle]
pub extern "C" fn pp_get_packet(
    peer: *mut pp_peer,
    out_data: *mut *const u8,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let peer = try_ref!(peer);
        let out_data = out!(out_data);
        let out_len = out!(out_len);
        let mut g = peer.lock()?;
        g.base_mut().set_packet_error(None);
        match g.get_packet() {
            Ok(pkt) => {
                let p = if pkt.is_empty() {
                    ptr::null()
                } else {
                    pkt.as_ptr()
                };
                out_data.write(p);
                out_len.write(pkt.len());
                Ok(())
            }
            Err(e) => {
                g.base_mut().set_packet_error(Some(e));
                Err(e.into())
            }
        }
    }
}

/// Encodes a Variant (Godot's binary format) and sends it as one packet (PacketPeer.put_var).
///
/// - `peer`: the peer. `value`: the value, read during the call only.
/// - `full_objects`: send objects in full instead of as instance ids.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL argument; the encoder's error (e.g.
/// `PP_ERR_OUT_OF_MEMORY` when nested too deep); `PP_ERR_OUT_OF_MEMORY` when the encoding is larger than
/// `encode_buffer_max_size`; else what `pp_put_packet` would return.
#[no_mangle]
pub extern "C" fn pp_put_var(
    peer: *mut pp_peer,
    value: *const pp_variant,
    full_objects: bool,
) -> pp_error {
    ffi_boundary! {
        let peer = try_ref!(peer);
        let value = try_ref!(value).get()?;
        map(peer.lock()?.put_var(&value, full_objects))
    }
}

/// Pops the next packet and decodes it as a Variant (PacketPeer.get_var); trailing bytes are ignored.
/// Unlike the engine (which forgets), the result is also recorded for `pp_get_packet_error`.
///
/// - `peer`: the peer.
/// - `allow_objects`: accept objects sent in full; otherwise they give `PP_ERR_UNAUTHORIZED`.
/// - `out_value`: receives a new Variant, **owned** by the caller: free it with `pp_variant_free`.
///
/// Ends the lifetime of the last `pp_get_packet` bytes of this peer. Returns `PP_OK`,
/// `PP_ERR_INVALID_PARAMETER` for a NULL argument, the `pp_get_packet` error, or the decoder's error
/// (e.g. `PP_ERR_INVALID_DATA`).
#[no_mangle]
pub extern "C" fn pp_get_var(
    peer: *mut pp_peer,
    allow_objects: bool,
    out_value: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        let peer = try_ref!(peer);
        let out_value = out!(out_value);
        let v = map(peer.lock()?.get_var(allow_objects))?;
        out_value.write(new_variant(v));
        Ok(())
    }
}

/// Number of packets ready to read (PacketPeer.get_available_packet_count). Transports that poll do it
/// here.
///
/// - `peer`: the peer. `out_count`: receives the count (never negative).
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL argument; `PP_FAILED` where the engine's
/// method returns -1 (PacketPeerUDP whose socket is not open or reported a receive error) and where an
/// extension's `get_available_packet_count` callback returns a negative value: the C API has no -1
/// sentinel.
#[no_mangle]
pub extern "C" fn pp_get_available_packet_count(
    peer: *mut pp_peer,
    out_count: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let peer = try_ref!(peer);
        let out_count = out!(out_count);
        let n = peer.lock()?.get_available_packet_count();
        if n < 0 {
            return Err(pp_error::PP_FAILED);
        }
        out_count.write(n);
        Ok(())
    }
}

/// The error of the last `pp_get_packet` or `pp_get_var` on this peer (PacketPeer.get_packet_error);
/// `PP_OK` before any. Returns `PP_ERR_INVALID_PARAMETER` for a NULL `peer`.
#[no_mangle]
pub extern "C" fn pp_get_packet_error(peer: *mut pp_peer) -> pp_error {
    ffi_boundary! {
        let peer = try_ref!(peer);
        match peer.lock()?.base().packet_error() {
            Some(e) => Err(e.into()),
            None => Ok(()),
        }
    }
}

/// The transport's informational maximum packet size (PacketPeer.get_max_packet_size; PacketPeerStream:
/// the output buffer size including the 4-byte header, 65536 by default).
///
/// - `peer`: the peer. `out_size`: receives the size.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument.
#[no_mangle]
pub extern "C" fn pp_get_max_packet_size(peer: *mut pp_peer, out_size: *mut i32) -> pp_error {
    ffi_boundary! {
        let peer = try_ref!(peer);
        let out_size = out!(out_size);
        let n = peer.lock()?.get_max_packet_size();
        out_size.write(n);
        Ok(())
    }
}

/// The largest encoding `pp_put_var` sends (PacketPeer.encode_buffer_max_size, default 8388608).
///
/// - `peer`: the peer. `out_size`: receives the size.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument.
#[no_mangle]
pub extern "C" fn pp_get_encode_buffer_max_size(
    peer: *mut pp_peer,
    out_size: *mut i32,
) -> pp_error {
    ffi_boundary! {
        let peer = try_ref!(peer);
        let out_size = out!(out_size);
        let n = peer.lock()?.base().encode_buffer_max_size();
        out_size.write(n);
        Ok(())
    }
}

/// Sets the largest encoding `pp_put_var` sends, rounded up to a power of two (2000 → 2048).
///
/// - `peer`: the peer. `size`: 1024 ..= 268435456.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL `peer` or a size out of range (no change;
/// the engine only prints an error).
#[no_mangle]
pub extern "C" fn pp_set_encode_buffer_max_size(peer: *mut pp_peer, size: i32) -> pp_error {
    ffi_boundary! {
        let peer = try_ref!(peer);
        map(peer.lock()?.base_mut().set_encode_buffer_max_size(size))
    }
}

/// Sets the dialect `pp_put_var` encodes and `pp_get_var` decodes with on this peer (the codec's
/// `pp_codec_set_dialect` for a PacketPeer). Default `PP_DIALECT_GODOT4`. A peer talking to a Godot 3
/// game sets `PP_DIALECT_GODOT3` (`docs/wire-format.md` §19).
///
/// - `peer`: the peer. `dialect`: a `pp_dialect` value.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL `peer` or an unknown `dialect` (no change).
#[no_mangle]
pub extern "C" fn pp_set_var_dialect(peer: *mut pp_peer, dialect: i32) -> pp_error {
    ffi_boundary! {
        let peer = try_ref!(peer);
        let d = pp_dialect::from_c(dialect)?;
        let mut p = peer.lock()?;
        let base = p.base_mut();
        base.encode_options.dialect = d;
        base.decode_options.dialect = d;
        Ok(())
    }
}

/// The dialect of this peer's `pp_put_var` / `pp_get_var`.
///
/// - `peer`: the peer. `out_dialect`: receives the `pp_dialect`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument.
#[no_mangle]
pub extern "C" fn pp_get_var_dialect(peer: *mut pp_peer, out_dialect: *mut pp_dialect) -> pp_error {
    ffi_boundary! {
        let peer = try_ref!(peer);
        let out_dialect = out!(out_dialect);
        let d = peer.lock()?.base().encode_options.dialect;
        out_dialect.write(pp_dialect::of(d));
        Ok(())
    }
}

/// Whether this peer's `pp_put_var` in `PP_DIALECT_GODOT3` converts values Godot 3 has no type for,
/// where a conversion is documented, instead of refusing them (the conversions of
/// `pp_codec_set_godot3_lossy`). Default false.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL `peer`.
#[no_mangle]
pub extern "C" fn pp_set_var_godot3_lossy(peer: *mut pp_peer, enabled: bool) -> pp_error {
    ffi_boundary! {
        let peer = try_ref!(peer);
        peer.lock()?.base_mut().encode_options.godot3_lossy = enabled;
        Ok(())
    }
}

/// Frees a peer handle of any class. NULL is a no-op. The object itself lives on while something else
/// still uses it. A lent handle (one that its owner lends out and documents as such, e.g. the peers of
/// an ENet connection) is not freed by this call: its owner releases it. A handle of another type is
/// ignored where the library can tell (best effort).
#[no_mangle]
pub extern "C" fn pp_peer_free(peer: *mut pp_peer) {
    ffi_boundary! {
        // SAFETY: NULL or a handle from this library, not freed yet (the caller's contract).
        unsafe { free_handle(peer) }
    }
}

/// Creates a PacketPeerStream (packets over a StreamPeer, framed as `u32 length (little-endian) +
/// payload`), with no stream yet and the default 65532-byte input and output limits.
///
/// Differences from the engine: a frame of the largest size the sender accepts (65532) is received (the
/// engine never delivers it), and a frame announcing more than `input_buffer_max_size` makes
/// `pp_get_packet` return `PP_ERR_OUT_OF_MEMORY` (the engine stalls silently forever); see
/// `pp_packet_peer_stream_is_input_broken`.
///
/// - `out_peer`: receives the new peer; free it with `pp_peer_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL `out_peer`.
#[no_mangle]
pub extern "C" fn pp_packet_peer_stream_new(out_peer: *mut *mut pp_peer) -> pp_error {
    ffi_boundary! {
        out!(out_peer).write(new_peer(FfiPacketPeerStream::new()));
        Ok(())
    }
}

/// Sets the StreamPeer a PacketPeerStream reads and writes (PacketPeerStream.stream_peer).
///
/// - `peer`: a PacketPeerStream.
/// - `stream`: any stream handle, or NULL to clear. The PacketPeerStream keeps its own reference to the
///   stream object: `stream` stays yours to use and to free with `pp_stream_peer_free`.
///
/// A stream different from the current one (by object, not handle) discards buffered input.
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL `peer` or one that is not a
/// PacketPeerStream.
#[no_mangle]
pub extern "C" fn pp_packet_peer_stream_set_stream_peer(
    peer: *mut pp_peer,
    stream: *mut pp_stream_peer,
) -> pp_error {
    ffi_boundary! {
        let s = try_opt_ref!(stream).cloned();
        with_class::<FfiPacketPeerStream, _, _>(try_ref!(peer), |p| {
            p.set_stream_peer(s);
            Ok(())
        })
    }
}

/// The StreamPeer of a PacketPeerStream.
///
/// - `peer`: a PacketPeerStream.
/// - `out_stream`: receives a **new** handle sharing the stream object (free it with
///   `pp_stream_peer_free`; that does not detach it), or NULL when no stream is set.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a peer of another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_stream_get_stream_peer(
    peer: *mut pp_peer,
    out_stream: *mut *mut pp_stream_peer,
) -> pp_error {
    ffi_boundary! {
        stream_get(peer, out_stream, |p| match p.get_stream_peer() {
                Some(obj) => new_handle::<pp_stream_peer>(obj),
                None => ptr::null_mut(),
            })
    }
}

/// Sets the largest payload received: the input buffer becomes `next_power_of_2(size + 4)` bytes.
///
/// - `peer`: a PacketPeerStream. `size`: 0 ..= 268435452.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL or non-PacketPeerStream `peer` or a size out of
/// range; `PP_ERR_ALREADY_IN_USE` while received bytes are buffered (no change in either case).
#[no_mangle]
pub extern "C" fn pp_packet_peer_stream_set_input_buffer_max_size(
    peer: *mut pp_peer,
    size: i32,
) -> pp_error {
    ffi_boundary! {
        with_class::<FfiPacketPeerStream, _, _>(try_ref!(peer), |p| {
            map(p.set_input_buffer_max_size(size))
        })
    }
}

/// The largest payload received (input buffer size − 4; default 65532).
///
/// - `peer`: a PacketPeerStream. `out_size`: receives the size.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a peer of another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_stream_get_input_buffer_max_size(
    peer: *mut pp_peer,
    out_size: *mut i32,
) -> pp_error {
    ffi_boundary! {
        stream_get(peer, out_size, |p| p.get_input_buffer_max_size())
    }
}

/// Sets the largest payload sent: the output buffer becomes `next_power_of_2(size + 4)` bytes.
///
/// - `peer`: a PacketPeerStream. `size`: 0 ..= 268435452 (the engine does not check; we do).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL or non-PacketPeerStream `peer` or a size out
/// of range (no change).
#[no_mangle]
pub extern "C" fn pp_packet_peer_stream_set_output_buffer_max_size(
    peer: *mut pp_peer,
    size: i32,
) -> pp_error {
    ffi_boundary! {
        with_class::<FfiPacketPeerStream, _, _>(try_ref!(peer), |p| {
            map(p.set_output_buffer_max_size(size))
        })
    }
}

/// The largest payload sent (output buffer size − 4; default 65532).
///
/// - `peer`: a PacketPeerStream. `out_size`: receives the size.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a peer of another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_stream_get_output_buffer_max_size(
    peer: *mut pp_peer,
    out_size: *mut i32,
) -> pp_error {
    ffi_boundary! {
        stream_get(peer, out_size, |p| p.get_output_buffer_max_size())
    }
}

/// Not in the engine: whether the remote announced a frame longer than `input_buffer_max_size`. The
/// framing cannot resynchronise, so the input is then dead: `pp_get_packet` returns
/// `PP_ERR_OUT_OF_MEMORY` once the packets before that frame are read. Setting another stream (or
/// NULL) discards the input and clears this.
///
/// - `peer`: a PacketPeerStream. `out_broken`: receives the state.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a peer of another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_stream_is_input_broken(
    peer: *mut pp_peer,
    out_broken: *mut bool,
) -> pp_error {
    ffi_boundary! {
        stream_get(peer, out_broken, |p| p.is_input_broken())
    }
}
