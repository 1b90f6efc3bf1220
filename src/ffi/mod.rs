//! The C ABI. The only module with `extern "C"`, `#[no_mangle]` and raw pointers.
//!
//! Every export is written the same way (the conventions restated at the top of the header):
//! - its body is an [`ffi_boundary!`]: a panic becomes `PP_ERR_BUG`, or the neutral value of the
//!   return type for calls that do not return `pp_error` ([`boundary`]);
//! - handle arguments are raw pointers reached only through [`try_ref!`] ([`handle`]): NULL, a handle
//!   of another type and (best effort) a freed one are `PP_ERR_INVALID_PARAMETER`; no `&mut` to a
//!   handle is ever made, so a callback may re-enter any call (and gets `PP_ERR_LOCKED` for the object
//!   whose call is running it);
//! - out-params go through [`out!`] and are written only on `PP_OK`; text into caller buffers follows
//!   [`boundary::write_text`]; strings the library allocates are freed with `pp_string_free`;
//! - buffers are `(pointer, length)` through [`in_slice`] / [`out_slice`]; sizes above `i32::MAX` are
//!   invalid (Godot sizes are `int`).
#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]
// C entry points are safe `extern "C"` functions that take raw pointers by design: each checks its
// arguments (NULL, class, length) and documents the caller's contract in the header.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use std::any::Any;
use std::collections::HashMap;
use std::ffi::{c_char, CStr};

use crate::error::Error;
use crate::multiplayer::MultiplayerPeer;
use crate::peer::{PacketPeer, StreamPeer};
use crate::sync::{shared, Shared};
use crate::variant::Variant;

pub(crate) mod boundary;
pub(crate) mod handle;

pub(crate) use boundary::{ffi_boundary, map, out, out_opt, owned_string, write_text, Out};
pub(crate) use handle::{free_handle, new_handle, try_opt_ref, try_ref, Castable, Excl, Lent};

pub mod conditioner;
pub mod enet;
pub mod enet_multiplayer;
mod error;
pub use error::*;
pub mod extension;
pub mod multiplayer;
pub mod peer;
pub mod stream;
pub mod tcp;
pub mod tls;
pub mod udp;
pub mod variant;
pub mod webrtc;
pub mod webrtc_extension;
pub mod websocket;

/// Major version, from Cargo.toml.
pub const PP_VERSION_MAJOR: u32 = 0;
/// Minor version, from Cargo.toml.
pub const PP_VERSION_MINOR: u32 = 1;
/// Patch version, from Cargo.toml.
pub const PP_VERSION_PATCH: u32 = 0;
/// `MAJOR * 10000 + MINOR * 100 + PATCH`.
pub const PP_VERSION_NUMBER: u32 =
    PP_VERSION_MAJOR * 10000 + PP_VERSION_MINOR * 100 + PP_VERSION_PATCH;

pub(crate) const INVALID: pp_error = pp_error::PP_ERR_INVALID_PARAMETER;

/// `(ptr, len)` from C as a slice: `(NULL, 0)` is empty, `(NULL, n > 0)` and `len > i32::MAX` are invalid.
///
/// # Safety
/// A non-NULL `ptr` must point to `len` readable bytes that stay valid for `'a`.
pub(crate) unsafe fn in_slice<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], pp_error> {
    // SAFETY: forwarded contract.
    unsafe { in_items(ptr, len) }
}

/// `count` items of `T` from C: `(NULL, 0)` is empty, `(NULL, n > 0)` and `count > i32::MAX` are
/// invalid.
///
/// # Safety
/// A non-NULL `ptr` must point to `count` readable, aligned `T`s valid for `'a`.
pub(crate) unsafe fn in_items<'a, T>(ptr: *const T, count: usize) -> Result<&'a [T], pp_error> {
    if count > i32::MAX as usize {
        return Err(INVALID);
    }
    // SAFETY: forwarded contract.
    unsafe { in_items_unbounded(ptr, count) }
}

/// Like [`in_items`] for a count the caller already bounded (a flat array of `N * count` reals may
/// exceed `i32::MAX` items); only the byte size is checked.
///
/// # Safety
/// A non-NULL `ptr` must point to `count` readable, aligned `T`s valid for `'a`.
pub(crate) unsafe fn in_items_unbounded<'a, T>(
    ptr: *const T,
    count: usize,
) -> Result<&'a [T], pp_error> {
    if ptr.is_null() {
        return if count == 0 { Ok(&[]) } else { Err(INVALID) };
    }
    if count
        .checked_mul(std::mem::size_of::<T>())
        .is_none_or(|b| b > isize::MAX as usize)
    {
        return Err(INVALID);
    }
    // SAFETY: non-NULL, `count` readable items (caller's contract), total size below isize::MAX.
    Ok(unsafe { std::slice::from_raw_parts(ptr, count) })
}

/// A NUL-terminated UTF-8 string from C; NULL or bad UTF-8 is invalid.
///
/// # Safety
/// A non-NULL `ptr` must point to a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn in_str<'a>(ptr: *const c_char) -> Result<&'a str, pp_error> {
    if ptr.is_null() {
        return Err(INVALID);
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's contract.
    let s = unsafe { CStr::from_ptr(ptr) };
    s.to_str().map_err(|_| INVALID)
}

/// `(ptr, len)` from C as a writable buffer: `(NULL, 0)` is empty, `(NULL, n > 0)` and `len > i32::MAX`
/// are invalid.
///
/// # Safety
/// A non-NULL `ptr` must point to `len` writable bytes, valid and not aliased for `'a`.
pub(crate) unsafe fn out_slice<'a>(ptr: *mut u8, len: usize) -> Result<&'a mut [u8], pp_error> {
    if len > i32::MAX as usize {
        return Err(INVALID);
    }
    if ptr.is_null() {
        return if len == 0 { Ok(&mut []) } else { Err(INVALID) };
    }
    // SAFETY: non-NULL and the caller promises `len` writable bytes.
    Ok(unsafe { std::slice::from_raw_parts_mut(ptr, len) })
}

/// Copies a C callback table whose first field is `size: usize` (the caller's
/// `sizeof(table)`): NULL or a `size` smaller than this library's table is
/// `PP_ERR_INVALID_PARAMETER`; a larger one (a newer header) is read up to our fields. Each table
/// type asserts `offset_of!(T, size) == 0` next to its definition.
///
/// # Safety
/// A non-NULL `cb` must point to a readable table at least `cb->size` bytes long whose first field is
/// a `usize`.
pub(crate) unsafe fn read_table<T: Copy>(cb: *const T) -> Result<T, pp_error> {
    if cb.is_null() {
        return Err(INVALID);
    }
    // SAFETY: `size` is the first field; reading it needs only `size_of::<usize>()` readable bytes.
    let size = unsafe { std::ptr::read_unaligned(cb.cast::<usize>()) };
    if size < std::mem::size_of::<T>() {
        return Err(INVALID);
    }
    // SAFETY: the caller says the table is `size >= size_of::<T>()` bytes; we read our prefix of it.
    Ok(unsafe { std::ptr::read_unaligned(cb) })
}

/// The packet a `get_packet` callback lent as `(buf, len)`: a negative length, or NULL with a positive
/// length, is `ERR_INVALID_DATA`; length 0 is the empty packet whatever `buf` is.
///
/// # Safety
/// A non-NULL `buf` must point to `len` readable bytes that stay valid for `'a` (the callback
/// contract: until the next `get_packet` callback, which needs the extension mutably and so ends `'a`).
pub(crate) unsafe fn cb_packet<'a>(buf: *const u8, len: i32) -> crate::error::Result<&'a [u8]> {
    if len < 0 || (len > 0 && buf.is_null()) {
        return Err(Error::InvalidData);
    }
    if len == 0 {
        return Ok(&[]);
    }
    // SAFETY: non-NULL with `len` > 0 readable bytes valid for 'a (caller's contract).
    Ok(unsafe { std::slice::from_raw_parts(buf, len as usize) })
}

/// A C callback's `int32_t` return as a core result: 0 is success, a Godot error number is that
/// error, any other number is `FAILED`.
pub(crate) fn cb_result(rc: i32) -> crate::error::Result<()> {
    if rc == 0 {
        return Ok(());
    }
    Err(Error::from_code(rc).unwrap_or(Error::Failed))
}

/// A PacketPeer object behind a `pp_peer` handle. Each class implements it (through
/// [`peer_object!`] or [`multiplayer_object!`]) so that class-specific calls can downcast, and the
/// `pp_multiplayer_peer_*` calls can reach any MultiplayerPeer.
pub trait PacketPeerObject: PacketPeer + Send + 'static {
    fn as_any_mut(&mut self) -> &mut dyn Any;
    /// MultiplayerPeer classes return themselves.
    fn as_multiplayer_mut(&mut self) -> Option<&mut dyn MultiplayerPeer> {
        None
    }
}

/// A StreamPeer object behind a `pp_stream_peer` handle.
pub trait StreamPeerObject: StreamPeer + Send + 'static {
    fn as_any_mut(&mut self) -> &mut dyn Any;
}
impl<T: StreamPeer + Send + 'static> StreamPeerObject for T {
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// Declares PacketPeer classes (not multiplayer) as objects of `pp_peer` handles.
macro_rules! peer_object {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::ffi::PacketPeerObject for $t {
            fn as_any_mut(&mut self) -> &mut dyn ::std::any::Any { self }
        }
    )*};
}

/// Declares MultiplayerPeer classes as objects of `pp_peer` handles.
macro_rules! multiplayer_object {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::ffi::PacketPeerObject for $t {
            fn as_any_mut(&mut self) -> &mut dyn ::std::any::Any { self }
            fn as_multiplayer_mut(
                &mut self,
            ) -> Option<&mut dyn $crate::multiplayer::MultiplayerPeer> {
                Some(self)
            }
        }
    )*};
}

peer_object!(
    crate::net::udp::PacketPeerUdp,
    peer::FfiPacketPeerStream,
    crate::enet::connection::ENetPacketPeer,
    extension::PacketPeerExtension,
    crate::tls::PacketPeerDtls,
    crate::ws::WebSocketPeer,
    crate::webrtc::WebRtcDataChannel,
    webrtc_extension::WebRtcDataChannelExtension,
);
multiplayer_object!(
    crate::multiplayer::OfflineMultiplayerPeer,
    multiplayer::MultiplayerPeerExtension,
    crate::webrtc::WebRtcMultiplayerPeer,
);

/// Shared, reference-counted PacketPeer (Godot's PacketPeer classes are RefCounted).
pub type SharedPeer = Shared<dyn PacketPeerObject>;

/// The object behind the `pp_peer` of a multiplayer class that lends peer handles to C
/// (ENetMultiplayerPeer's ENet peers, WebSocketMultiplayerPeer's WebSocket peers): the peer, plus
/// every handle lent so far, kept until the multiplayer handle is freed so that each pointer C
/// received stays valid (and is the same pointer each time it asks for the same peer).
pub(crate) struct LendingMultiplayer<M> {
    pub(crate) mp: M,
    lent: HashMap<usize, Lent<pp_peer>>,
}

impl<M> LendingMultiplayer<M> {
    pub(crate) fn new(mp: M) -> Self {
        LendingMultiplayer {
            mp,
            lent: HashMap::new(),
        }
    }

    /// The handle lent to C for `p` (made on first use).
    pub(crate) fn lend<T: PacketPeerObject>(&mut self, p: &Shared<T>) -> *mut pp_peer {
        lend_peer(&mut self.lent, p)
    }
}

impl<M: MultiplayerPeer + Send + 'static> PacketPeerObject for LendingMultiplayer<M> {
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn as_multiplayer_mut(&mut self) -> Option<&mut dyn MultiplayerPeer> {
        Some(&mut self.mp)
    }
}

impl<M: PacketPeer> PacketPeer for LendingMultiplayer<M> {
    fn get_available_packet_count(&mut self) -> i32 {
        self.mp.get_available_packet_count()
    }
    fn get_packet(&mut self) -> crate::error::Result<&[u8]> {
        self.mp.get_packet()
    }
    fn put_packet(&mut self, data: &[u8]) -> crate::error::Result<()> {
        self.mp.put_packet(data)
    }
    fn get_max_packet_size(&self) -> i32 {
        self.mp.get_max_packet_size()
    }
    fn get_packet_into(&mut self, buf: &mut [u8]) -> crate::error::Result<Option<usize>> {
        self.mp.get_packet_into(buf)
    }
    fn base(&self) -> &crate::peer::PeerBase {
        self.mp.base()
    }
    fn base_mut(&mut self) -> &mut crate::peer::PeerBase {
        self.mp.base_mut()
    }
}

/// The handle lent to C for a peer object, kept in `handles` under the object's address (made on
/// first use).
pub(crate) fn lend_peer<T: PacketPeerObject>(
    handles: &mut HashMap<usize, Lent<pp_peer>>,
    p: &Shared<T>,
) -> *mut pp_peer {
    let key = std::sync::Arc::as_ptr(p) as *const () as usize;
    handles
        .entry(key)
        .or_insert_with(|| {
            let obj: SharedPeer = p.clone();
            Lent::new(obj)
        })
        .ptr()
}
/// Shared, reference-counted StreamPeer.
pub type SharedStream = Shared<dyn StreamPeerObject>;

/// Opaque handle to any PacketPeer class (PacketPeerStream, PacketPeerUDP, PacketPeerExtension,
/// ENetPacketPeer, MultiplayerPeer …). Free with `pp_peer_free` unless the owning object lends it.
pub struct pp_peer {
    _private: [u8; 0],
}
// SAFETY: unique ID.
unsafe impl Castable for pp_peer {
    type Rust = SharedPeer;
    const ID: u16 = 1;
}

/// Opaque handle to any StreamPeer class (StreamPeerBuffer, StreamPeerTCP, StreamPeerExtension, the
/// in-memory pipe). Free with `pp_stream_peer_free`.
pub struct pp_stream_peer {
    _private: [u8; 0],
}
// SAFETY: unique ID.
unsafe impl Castable for pp_stream_peer {
    type Rust = SharedStream;
    const ID: u16 = 2;
}

/// Opaque handle to one Variant value. Made and read by the `pp_variant_*` calls; free with
/// `pp_variant_free`.
pub struct pp_variant {
    _private: [u8; 0],
}
// SAFETY: unique ID.
unsafe impl Castable for pp_variant {
    type Rust = Excl<Variant>;
    const ID: u16 = 3;
}

/// A new owned peer handle on a new object.
pub(crate) fn new_peer<T: PacketPeerObject>(v: T) -> *mut pp_peer {
    let obj: SharedPeer = shared(v);
    new_handle::<pp_peer>(obj)
}

/// A new owned stream handle on a new object.
pub(crate) fn new_stream<T: StreamPeerObject>(v: T) -> *mut pp_stream_peer {
    let obj: SharedStream = shared(v);
    new_handle::<pp_stream_peer>(obj)
}

/// A new owned variant handle.
pub(crate) fn new_variant(v: Variant) -> *mut pp_variant {
    new_handle::<pp_variant>(Excl::new(v))
}

/// Objects that can be downcast to their class (both kinds of shared objects).
pub(crate) trait Downcast {
    fn any_mut(&mut self) -> &mut dyn Any;
}
impl Downcast for dyn PacketPeerObject {
    fn any_mut(&mut self) -> &mut dyn Any {
        self.as_any_mut()
    }
}
impl Downcast for dyn StreamPeerObject {
    fn any_mut(&mut self) -> &mut dyn Any {
        self.as_any_mut()
    }
}

/// Locks a shared object and runs `f` on it as class `T`; another class is
/// `PP_ERR_INVALID_PARAMETER`, an object this thread already holds `PP_ERR_LOCKED`.
pub(crate) fn with_class<T: 'static, O: ?Sized + Downcast, R>(
    obj: &Shared<O>,
    f: impl FnOnce(&mut T) -> Result<R, pp_error>,
) -> Result<R, pp_error> {
    let mut g = obj.lock()?;
    let obj = g.any_mut().downcast_mut::<T>().ok_or(INVALID)?;
    f(obj)
}

/// Runs `f` on the object of an exclusive handle (a server): NULL or another type is
/// `PP_ERR_INVALID_PARAMETER`, re-entry from a callback `PP_ERR_LOCKED`. `h` is an export's argument,
/// under its contract.
pub(crate) fn with_excl<C, T, R>(
    h: *mut C,
    f: impl FnOnce(&mut T) -> Result<R, pp_error>,
) -> Result<R, pp_error>
where
    C: Castable<Rust = Excl<T>>,
{
    let obj = try_ref!(h);
    let mut g = obj.get_mut()?;
    f(&mut g)
}

static VERSION_STRING: &CStr = c"0.1.0";

/// The library's version as `"MAJOR.MINOR.PATCH"`. Static storage; never NULL. Safe from any thread.
#[no_mangle]
pub extern "C" fn pp_version_string() -> *const c_char {
    VERSION_STRING.as_ptr()
}

/// The library's version as `MAJOR * 10000 + MINOR * 100 + PATCH`, to compare with `PP_VERSION_NUMBER`
/// from the header you compiled against. Safe from any thread.
#[no_mangle]
pub extern "C" fn pp_version_number() -> u32 {
    PP_VERSION_NUMBER
}

/// The constant name of an error number (`"OK"`, `"ERR_INVALID_DATA"`, …); `"ERR_UNKNOWN"` for numbers
/// that are not Godot errors. Static storage; never NULL. Safe from any thread.
#[no_mangle]
pub extern "C" fn pp_error_name(error: i32) -> *const c_char {
    ffi_boundary! { boundary::static_str(error::error_name_cstr(error)) }
}

/// Frees a string the library allocated for you (`pp_variant_to_string`, `pp_stream_peer_get_string`,
/// `pp_stream_peer_get_utf8_string`, and every later call that returns an owned `char *`). NULL is a
/// no-op.
#[no_mangle]
pub extern "C" fn pp_string_free(text: *mut c_char) {
    ffi_boundary! {
        if !text.is_null() {
            // SAFETY: made by CString::into_raw in `owned_string` and not freed yet (the caller's
            // contract).
            drop(unsafe { std::ffi::CString::from_raw(text) });
        }
    }
}

/// Test-only: panics inside the boundary, so C tests can check it returns `PP_ERR_BUG`.
#[cfg(feature = "test-panic")]
#[no_mangle]
pub extern "C" fn pp_test_panic() -> pp_error {
    ffi_boundary! { panic!("pp_test_panic: deliberate panic to test the boundary") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_matches_cargo() {
        assert_eq!(
            PP_VERSION_MAJOR.to_string(),
            env!("CARGO_PKG_VERSION_MAJOR")
        );
        assert_eq!(
            PP_VERSION_MINOR.to_string(),
            env!("CARGO_PKG_VERSION_MINOR")
        );
        assert_eq!(
            PP_VERSION_PATCH.to_string(),
            env!("CARGO_PKG_VERSION_PATCH")
        );
        assert_eq!(VERSION_STRING.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    }
}
