//! PacketPeerExtension and StreamPeerExtension: PacketPeer / StreamPeer classes implemented by C
//! callbacks (`docs/classes.md` §2, §3).
//!
//! Callbacks return `int32_t` holding a `pp_error` value (so that any number C returns is safe to read);
//! a number that is not a Godot error counts as `PP_FAILED`. They run on the thread that made the call
//! into the library, one call at a time per object. Re-entry follows the library's one rule: a callback
//! may call anything, and a call that reaches an object busy in the call running the callback (its own
//! peer or stream, a PacketPeerStream using that stream) returns `PP_ERR_LOCKED`.
// The exports take raw pointers from C by design; each dereference is checked and has a SAFETY note.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use std::ffi::c_void;
use std::mem::offset_of;
use std::ptr;

use super::{
    cb_packet, cb_result, ffi_boundary, new_peer, new_stream, out, pp_error, pp_peer,
    pp_stream_peer, read_table, INVALID,
};
use crate::error::{Error, Result};
use crate::peer::{PacketPeer, PeerBase, StreamPeer};

/// The callbacks of a PacketPeerExtension. Fill every field, set
/// `size = sizeof(pp_packet_peer_extension_callbacks)` (so later versions can add fields), and pass it to
/// `pp_packet_peer_extension_new`, which copies it.
///
/// Thread rule: `userdata` travels with the peer. Callbacks run on whichever thread is calling into the
/// peer (one at a time), and `destroy` runs on the thread that releases the last reference; so
/// `userdata` must be usable from any thread, one at a time. A callback that calls back into the same
/// peer gets `PP_ERR_LOCKED` (the library's re-entrancy rule; see the header's conventions).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct pp_packet_peer_extension_callbacks {
    /// `sizeof(pp_packet_peer_extension_callbacks)` as the caller compiled it.
    pub size: usize,
    /// Passed as the first argument of every callback.
    pub userdata: *mut c_void,
    /// Pops one packet: sets `*out_buf`, `*out_len` and returns a pp_error. The bytes must stay valid
    /// until the next `get_packet` callback (or `destroy`). A negative length, or a NULL buffer with a
    /// positive length, makes the call fail with `PP_ERR_INVALID_DATA`. NULL callback → `PP_FAILED`.
    pub get_packet: Option<
        unsafe extern "C" fn(
            userdata: *mut c_void,
            out_buf: *mut *const u8,
            out_len: *mut i32,
        ) -> i32,
    >,
    /// Sends one packet (the bytes are only valid during the call); returns a pp_error. NULL callback →
    /// `PP_FAILED`.
    pub put_packet:
        Option<unsafe extern "C" fn(userdata: *mut c_void, buf: *const u8, len: i32) -> i32>,
    /// Packets ready to read. Required. A negative value reports an error (as the engine's -1 does):
    /// `pp_get_available_packet_count` then returns `PP_FAILED`.
    pub get_available_packet_count: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// Informational maximum packet size (negative counts as 0). Required.
    pub get_max_packet_size: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// Called once when the peer is destroyed (may be NULL).
    pub destroy: Option<unsafe extern "C" fn(userdata: *mut c_void)>,
}

/// The callbacks of a StreamPeerExtension; same rules as `pp_packet_peer_extension_callbacks`
/// (`size` first, copied by `pp_stream_peer_extension_new`, thread rule). Counts are `int32_t`; the
/// library sets `*out_sent` / `*out_received` before each call (to `len` for the blocking calls, to 0
/// for the partial ones), so a callback may leave them alone when that is right. A count outside
/// `0 ..= len` (or other than `len` for the blocking calls, when they return `PP_OK`) makes the call fail
/// with `PP_ERR_INVALID_DATA`. A NULL callback makes its call return `PP_FAILED`, except
/// `get_available_bytes`, which is required.
///
/// The library never blocks on your behalf: "blocking" calls mean "all bytes or an error", and a
/// stream that cannot do that now should return `PP_ERR_BUSY`. A callback that calls back into the same
/// stream, or into a PacketPeerStream that is using it, gets `PP_ERR_LOCKED`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct pp_stream_peer_extension_callbacks {
    /// `sizeof(pp_stream_peer_extension_callbacks)` as the caller compiled it.
    pub size: usize,
    /// Passed as the first argument of every callback.
    pub userdata: *mut c_void,
    /// Writes all `len` bytes (blocking in Godot's sense); returns a pp_error.
    pub put_data: Option<
        unsafe extern "C" fn(
            userdata: *mut c_void,
            data: *const u8,
            len: i32,
            out_sent: *mut i32,
        ) -> i32,
    >,
    /// Writes what fits now; `*out_sent` = bytes written; returns a pp_error.
    pub put_partial_data: Option<
        unsafe extern "C" fn(
            userdata: *mut c_void,
            data: *const u8,
            len: i32,
            out_sent: *mut i32,
        ) -> i32,
    >,
    /// Reads exactly `len` bytes into `buf`; returns a pp_error.
    pub get_data: Option<
        unsafe extern "C" fn(
            userdata: *mut c_void,
            buf: *mut u8,
            len: i32,
            out_received: *mut i32,
        ) -> i32,
    >,
    /// Reads up to `len` bytes available now; `*out_received` = bytes read; returns a pp_error.
    pub get_partial_data: Option<
        unsafe extern "C" fn(
            userdata: *mut c_void,
            buf: *mut u8,
            len: i32,
            out_received: *mut i32,
        ) -> i32,
    >,
    /// Bytes readable now; a negative value means an error. Required.
    pub get_available_bytes: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// Called once when the stream is destroyed (may be NULL).
    pub destroy: Option<unsafe extern "C" fn(userdata: *mut c_void)>,
}

// `read_table` reads `size` as the table's first field.
const _: () = assert!(offset_of!(pp_packet_peer_extension_callbacks, size) == 0);
const _: () = assert!(offset_of!(pp_stream_peer_extension_callbacks, size) == 0);

/// A PacketPeer implemented by C callbacks (what `pp_packet_peer_extension_new` wraps in a handle).
pub struct PacketPeerExtension {
    base: PeerBase,
    cb: pp_packet_peer_extension_callbacks,
}

// SAFETY: the header states the thread rule for `userdata` (usable from any thread, one at a time);
// the object is only used under its mutex, so calls never overlap.
unsafe impl Send for PacketPeerExtension {}

impl Drop for PacketPeerExtension {
    fn drop(&mut self) {
        if let Some(d) = self.cb.destroy {
            // SAFETY: a C callback with the userdata it was registered with; called once, on drop.
            unsafe { d(self.cb.userdata) }
        }
    }
}

impl PacketPeerExtension {
    /// Checks and copies a callback table (the checks of `pp_packet_peer_extension_new`).
    ///
    /// # Safety
    /// `callbacks` must be NULL or point to a table of at least `callbacks->size` readable bytes, and the
    /// callbacks must honour the contract documented on `pp_packet_peer_extension_callbacks`.
    pub unsafe fn from_callbacks(
        callbacks: *const pp_packet_peer_extension_callbacks,
    ) -> std::result::Result<Self, pp_error> {
        // SAFETY: forwarded caller contract.
        let cb = unsafe { read_table(callbacks) }?;
        if cb.get_available_packet_count.is_none() || cb.get_max_packet_size.is_none() {
            return Err(INVALID);
        }
        Ok(PacketPeerExtension {
            base: PeerBase::default(),
            cb,
        })
    }
}

impl PacketPeer for PacketPeerExtension {
    fn get_available_packet_count(&mut self) -> i32 {
        match self.cb.get_available_packet_count {
            // SAFETY: a C callback with its userdata (required at construction).
            Some(f) => unsafe { f(self.cb.userdata) },
            None => 0,
        }
    }

    fn get_packet(&mut self) -> Result<&[u8]> {
        let f = self.cb.get_packet.ok_or(Error::Failed)?;
        let mut buf: *const u8 = ptr::null();
        let mut len: i32 = 0;
        // SAFETY: a C callback with its userdata and two valid out-pointers.
        cb_result(unsafe { f(self.cb.userdata, &mut buf, &mut len) })?;
        // SAFETY: the callback contract: `len` readable bytes at `buf`, valid until the next
        // get_packet callback, which needs `&mut self` and so ends this borrow first.
        unsafe { cb_packet(buf, len) }
    }

    fn put_packet(&mut self, data: &[u8]) -> Result<()> {
        let f = self.cb.put_packet.ok_or(Error::Failed)?;
        let len = i32::try_from(data.len()).map_err(|_| Error::InvalidParameter)?;
        // SAFETY: a C callback with its userdata and `len` readable bytes.
        cb_result(unsafe { f(self.cb.userdata, data.as_ptr(), len) })
    }

    fn get_max_packet_size(&self) -> i32 {
        match self.cb.get_max_packet_size {
            // SAFETY: a C callback with its userdata (required at construction).
            Some(f) => unsafe { f(self.cb.userdata) }.max(0),
            None => 0,
        }
    }

    fn base(&self) -> &PeerBase {
        &self.base
    }

    fn base_mut(&mut self) -> &mut PeerBase {
        &mut self.base
    }
}

/// Creates a PacketPeerExtension: a peer whose four primitives are your callbacks. Every base call
/// works on it (`pp_put_packet`, `pp_get_packet`, `pp_put_var`, `pp_get_var`, …); `pp_get_packet`'s
/// bytes are your `get_packet` buffer, valid under your callback's rule.
///
/// - `callbacks`: copied; `size` must be at least `sizeof(pp_packet_peer_extension_callbacks)`, and
///   `get_available_packet_count` and `get_max_packet_size` must be set.
/// - `out_peer`: receives the peer; free it with `pp_peer_free`. `destroy(userdata)` runs once when the
///   peer object goes away. If this call fails, nothing is kept and `destroy` is not called.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument, a too small `size` or a missing
/// required callback.
#[no_mangle]
pub extern "C" fn pp_packet_peer_extension_new(
    callbacks: *const pp_packet_peer_extension_callbacks,
    out_peer: *mut *mut pp_peer,
) -> pp_error {
    ffi_boundary! {
        let out_peer = out!(out_peer);
        // SAFETY: the caller passes a table of `size` bytes (or NULL, rejected).
        let ext = unsafe { PacketPeerExtension::from_callbacks(callbacks) }?;
        out_peer.write(new_peer(ext));
        Ok(())
    }
}

/// A StreamPeer implemented by C callbacks.
pub(crate) struct StreamPeerExtension {
    cb: pp_stream_peer_extension_callbacks,
    big_endian: bool,
}

// SAFETY: see PacketPeerExtension.
unsafe impl Send for StreamPeerExtension {}

impl Drop for StreamPeerExtension {
    fn drop(&mut self) {
        if let Some(d) = self.cb.destroy {
            // SAFETY: a C callback with the userdata it was registered with; called once, on drop.
            unsafe { d(self.cb.userdata) }
        }
    }
}

type StreamWriteFn = unsafe extern "C" fn(*mut c_void, *const u8, i32, *mut i32) -> i32;
type StreamReadFn = unsafe extern "C" fn(*mut c_void, *mut u8, i32, *mut i32) -> i32;

impl StreamPeerExtension {
    fn write(&mut self, f: Option<StreamWriteFn>, data: &[u8], blocking: bool) -> Result<usize> {
        let f = f.ok_or(Error::Failed)?;
        let len = i32::try_from(data.len()).map_err(|_| Error::InvalidParameter)?;
        let mut sent = if blocking { len } else { 0 };
        // SAFETY: a C callback with its userdata, `len` readable bytes and a valid out-pointer.
        cb_result(unsafe { f(self.cb.userdata, data.as_ptr(), len, &mut sent) })?;
        if sent < 0 || sent > len || (blocking && sent != len) {
            return Err(Error::InvalidData);
        }
        Ok(sent as usize)
    }

    fn read(&mut self, f: Option<StreamReadFn>, buf: &mut [u8], blocking: bool) -> Result<usize> {
        let f = f.ok_or(Error::Failed)?;
        let len = i32::try_from(buf.len()).map_err(|_| Error::InvalidParameter)?;
        let mut got = if blocking { len } else { 0 };
        // SAFETY: a C callback with its userdata, `len` writable bytes and a valid out-pointer.
        cb_result(unsafe { f(self.cb.userdata, buf.as_mut_ptr(), len, &mut got) })?;
        if got < 0 || got > len || (blocking && got != len) {
            return Err(Error::InvalidData);
        }
        Ok(got as usize)
    }
}

impl StreamPeer for StreamPeerExtension {
    fn put_data(&mut self, data: &[u8]) -> Result<()> {
        self.write(self.cb.put_data, data, true).map(|_| ())
    }

    fn put_partial_data(&mut self, data: &[u8]) -> Result<usize> {
        self.write(self.cb.put_partial_data, data, false)
    }

    fn get_data(&mut self, buf: &mut [u8]) -> Result<()> {
        self.read(self.cb.get_data, buf, true).map(|_| ())
    }

    fn get_partial_data(&mut self, buf: &mut [u8]) -> Result<usize> {
        self.read(self.cb.get_partial_data, buf, false)
    }

    fn get_available_bytes(&self) -> i32 {
        match self.cb.get_available_bytes {
            // SAFETY: a C callback with its userdata (required at construction).
            Some(f) => unsafe { f(self.cb.userdata) },
            None => -1,
        }
    }

    fn is_big_endian(&self) -> bool {
        self.big_endian
    }

    fn set_big_endian(&mut self, big_endian: bool) {
        self.big_endian = big_endian;
    }
}

/// Creates a StreamPeerExtension: a stream whose primitives are your callbacks. Every
/// `pp_stream_peer_*` base call works on it, and it can carry a PacketPeerStream
/// (`pp_packet_peer_stream_set_stream_peer`).
///
/// - `callbacks`: copied; `size` must be at least `sizeof(pp_stream_peer_extension_callbacks)`, and
///   `get_available_bytes` must be set.
/// - `out_stream`: receives the stream; free it with `pp_stream_peer_free`. `destroy(userdata)` runs once
///   when the stream object goes away (which may be later, if a PacketPeerStream still uses it). If
///   this call fails, nothing is kept and `destroy` is not called.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument, a too small `size` or a missing
/// `get_available_bytes`.
#[no_mangle]
pub extern "C" fn pp_stream_peer_extension_new(
    callbacks: *const pp_stream_peer_extension_callbacks,
    out_stream: *mut *mut pp_stream_peer,
) -> pp_error {
    ffi_boundary! {
        let out_stream = out!(out_stream);
        // SAFETY: the caller passes a table of `size` bytes (or NULL, rejected).
        let cb = unsafe { read_table(callbacks) }?;
        if cb.get_available_bytes.is_none() {
            return Err(INVALID);
        }
        out_stream.write(new_stream(StreamPeerExtension {
            cb,
            big_endian: false,
        }));
        Ok(())
    }
}
