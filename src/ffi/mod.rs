//! The C ABI. The only module with `extern "C"`, `#[no_mangle]` and raw pointers.
//!
//! Conventions (also restated at the top of the generated header):
//! - every export runs inside [`guard`] / [`guard_or`]: a panic becomes `PP_ERR_BUG` (or the
//!   documented neutral value for calls that do not return `pp_error`);
//! - pointers arrive as `Option<&T>` / raw pointers and are checked; NULL is `PP_ERR_INVALID_PARAMETER`;
//! - out-params are written only on `PP_OK`;
//! - sizes above `i32::MAX` are invalid (Godot sizes are `int`).
#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]

use std::any::Any;
use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::error::Error;
use crate::peer::{PacketPeer, StreamPeer};

pub mod enet;
pub mod enet_multiplayer;
mod error;
pub use error::*;
pub mod extension;
pub mod multiplayer;
pub mod peer;
pub mod stream;
pub mod tcp;
pub mod udp;
pub mod variant;

/// Major version, from Cargo.toml.
pub const PP_VERSION_MAJOR: u32 = 0;
/// Minor version, from Cargo.toml.
pub const PP_VERSION_MINOR: u32 = 1;
/// Patch version, from Cargo.toml.
pub const PP_VERSION_PATCH: u32 = 0;
/// `MAJOR * 10000 + MINOR * 100 + PATCH`.
pub const PP_VERSION_NUMBER: u32 =
    PP_VERSION_MAJOR * 10000 + PP_VERSION_MINOR * 100 + PP_VERSION_PATCH;

/// Runs an export body that returns `Result<(), pp_error>`; a panic becomes `PP_ERR_BUG`.
pub(crate) fn guard(f: impl FnOnce() -> Result<(), pp_error>) -> pp_error {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => pp_error::PP_OK,
        Ok(Err(e)) => e,
        Err(_) => pp_error::PP_ERR_BUG,
    }
}

/// Runs an export body whose return is not a `pp_error`; a panic returns `on_panic`.
pub(crate) fn guard_or<T>(on_panic: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(on_panic)
}

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

/// Writes `s` + NUL into a caller buffer of `size` bytes; NULL, too small or `size > i32::MAX` is
/// `PP_ERR_INVALID_PARAMETER` and nothing is written. (The address getters use this; the variant
/// `_copy` getters have their own rule: they report the needed size with `PP_ERR_PARAMETER_RANGE_ERROR`.)
///
/// # Safety
/// `out` must be NULL or point to `size` writable bytes.
pub(crate) unsafe fn write_cstr(out: *mut c_char, size: usize, s: &str) -> Result<(), pp_error> {
    let out = out_ptr(out)?;
    if s.len() >= size || size > i32::MAX as usize {
        return Err(INVALID);
    }
    // SAFETY: `out` is non-NULL with `size` > s.len() writable bytes (caller's contract, checked).
    unsafe {
        std::ptr::copy_nonoverlapping(s.as_ptr(), out.cast::<u8>(), s.len());
        out.add(s.len()).write(0);
    }
    Ok(())
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

/// Checks an out-pointer for NULL before any work is done.
pub(crate) fn out_ptr<T>(p: *mut T) -> Result<*mut T, pp_error> {
    if p.is_null() {
        Err(INVALID)
    } else {
        Ok(p)
    }
}

/// Writes an out-param that [`out_ptr`] already checked.
///
/// # Safety
/// `p` must be non-NULL, aligned and writable.
pub(crate) unsafe fn write_out<T>(p: *mut T, v: T) {
    // SAFETY: the caller checked `p` with `out_ptr`; writing does not drop the old (uninitialised) value.
    unsafe { p.write(v) }
}

/// Hands a Rust value to C as an owned opaque pointer.
pub(crate) fn into_handle<T>(v: T) -> *mut T {
    Box::into_raw(Box::new(v))
}

/// Hands a new object to C through an out-pointer: a NULL `out` is `PP_ERR_INVALID_PARAMETER` and `v`
/// is dropped, so use it only where making `v` has no effect worth keeping (check the out-pointer
/// with [`out_ptr`] before any work that has one).
///
/// # Safety
/// `out` must be NULL or writable.
pub(crate) unsafe fn give_handle<T>(out: *mut *mut T, v: T) -> Result<(), pp_error> {
    let out = out_ptr(out)?;
    // SAFETY: non-NULL (checked) and writable (caller's contract).
    unsafe { write_out(out, into_handle(v)) };
    Ok(())
}

/// Takes back ownership of a handle made by [`into_handle`]; NULL gives `None`.
///
/// # Safety
/// `p` must be NULL or come from `into_handle::<T>` and not have been freed.
pub(crate) unsafe fn from_handle<T>(p: *mut T) -> Option<Box<T>> {
    if p.is_null() {
        None
    } else {
        // SAFETY: made by Box::into_raw in into_handle and not freed yet (caller's contract).
        Some(unsafe { Box::from_raw(p) })
    }
}

/// A PacketPeer object behind a `pp_peer` handle. Each class implements it (usually with the
/// blanket impl below) so class-specific calls can downcast.
pub trait PacketPeerObject: PacketPeer + Send + 'static {
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn as_any(&self) -> &dyn Any;
}
impl<T: PacketPeer + Send + 'static> PacketPeerObject for T {
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A StreamPeer object behind a `pp_stream_peer` handle.
pub trait StreamPeerObject: StreamPeer + Send + 'static {
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn as_any(&self) -> &dyn Any;
}
impl<T: StreamPeer + Send + 'static> StreamPeerObject for T {
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Shared, reference-counted PacketPeer (Godot's PacketPeer classes are RefCounted).
pub type SharedPeer = Arc<Mutex<dyn PacketPeerObject>>;
/// Shared, reference-counted StreamPeer.
pub type SharedStream = Arc<Mutex<dyn StreamPeerObject>>;

/// Locks a shared object; a mutex poisoned by an earlier panic is still usable (every export is a
/// panic boundary, and the objects keep their invariants between calls).
pub(crate) fn lock<T: ?Sized>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Opaque handle to any PacketPeer class (PacketPeerStream, PacketPeerUDP, PacketPeerExtension,
/// ENetPacketPeer, MultiplayerPeer …). Free with `pp_peer_free` unless the owning object says otherwise.
pub struct pp_peer {
    pub(crate) obj: SharedPeer,
    /// Handles lent by an owner (ENet peers of a connection) are not freed by `pp_peer_free`.
    pub(crate) borrowed: bool,
}

/// Opaque handle to any StreamPeer class (StreamPeerBuffer, StreamPeerTCP, StreamPeerExtension, the
/// in-memory pipe). Free with `pp_stream_peer_free`.
pub struct pp_stream_peer {
    pub(crate) obj: SharedStream,
}

/// Opaque handle to one Variant value. Made and read by the `pp_variant_*` calls; free with
/// `pp_variant_free`.
pub struct pp_variant {
    pub(crate) v: crate::variant::Variant,
}

impl pp_peer {
    pub(crate) fn new<T: PacketPeerObject>(v: T) -> pp_peer {
        pp_peer {
            obj: Arc::new(Mutex::new(v)),
            borrowed: false,
        }
    }
}
impl pp_stream_peer {
    pub(crate) fn new<T: StreamPeerObject>(v: T) -> pp_stream_peer {
        pp_stream_peer {
            obj: Arc::new(Mutex::new(v)),
        }
    }
}

/// Runs `f` on the peer's object if it is a `T`; otherwise `PP_ERR_INVALID_PARAMETER` (the handle is
/// a different class, or NULL).
pub(crate) fn with_peer_class<T: 'static, R>(
    peer: Option<&pp_peer>,
    f: impl FnOnce(&mut T) -> Result<R, pp_error>,
) -> Result<R, pp_error> {
    let peer = peer.ok_or(INVALID)?;
    let mut g = lock(&peer.obj);
    let obj = g.as_any_mut().downcast_mut::<T>().ok_or(INVALID)?;
    f(obj)
}

/// Same as [`with_peer_class`] for stream handles.
pub(crate) fn with_stream_class<T: 'static, R>(
    stream: Option<&pp_stream_peer>,
    f: impl FnOnce(&mut T) -> Result<R, pp_error>,
) -> Result<R, pp_error> {
    let stream = stream.ok_or(INVALID)?;
    let mut g = lock(&stream.obj);
    let obj = g.as_any_mut().downcast_mut::<T>().ok_or(INVALID)?;
    f(obj)
}

/// Maps a core result to the C error.
pub(crate) fn map<T>(r: Result<T, Error>) -> Result<T, pp_error> {
    r.map_err(pp_error::from)
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
    guard_or(c"ERR_UNKNOWN".as_ptr(), || {
        error::error_name_cstr(error).as_ptr()
    })
}

/// Test-only: panics inside the boundary, so C tests can check it returns `PP_ERR_BUG`.
#[cfg(feature = "test-panic")]
#[no_mangle]
pub extern "C" fn pp_test_panic() -> pp_error {
    guard(|| panic!("pp_test_panic: deliberate panic to test the boundary"))
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

    #[test]
    fn panics_become_err_bug() {
        assert_eq!(guard(|| panic!("x")), pp_error::PP_ERR_BUG);
        assert_eq!(guard_or(7, || panic!("x")), 7);
    }
}
