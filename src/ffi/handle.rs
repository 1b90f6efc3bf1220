//! The one handle scheme of the C API (modelled on rustls-ffi's `Castable`).
//!
//! Every C handle type (`pp_peer`, `pp_variant`, …) is an opaque marker that C only ever holds by
//! pointer. [`Castable`] names the Rust object behind it; the library allocates a [`Handle`] — a type
//! tag followed by that object — and hands C a pointer to it. Every export reaches its handles the
//! same way:
//!
//! - [`try_ref!`] turns a pointer from C into a **shared** reference to the Rust
//!   object, or returns the call's "invalid parameter" value (see [`NullOr`]) when the pointer is NULL,
//!   of another handle type, or (best effort) already freed. No export ever makes a `&mut` to a handle:
//!   objects that can change sit behind a [`Lock`](crate::sync::Lock) (shared, may call out to C) or an
//!   [`Excl`] (owned by one handle, never calls out), both of which refuse re-entry with
//!   `PP_ERR_LOCKED` rather than alias. So a callback may call anything on any handle, and at worst
//!   gets `PP_ERR_LOCKED` for the object whose call is running it.
//! - [`new_handle`] makes an **owned** handle (C frees it with the type's `_free`, through
//!   [`free_handle`]); [`Lent`] makes a **lent** one (owned by another object, which frees it; the
//!   type's `_free` ignores it). Owned and lent are two tags, so the kind is part of the handle, not a
//!   flag to remember.
//!
//! The tag is checked on entry and overwritten on free. This catches a handle of the wrong type (a
//! `pp_variant *` passed where a `pp_peer *` belongs, as a ctypes user easily does) and usually a freed
//! one; it is a diagnosis, not a guarantee: a freed handle's memory may have been reused, and a pointer
//! the library never made is undefined behaviour whatever we check.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use std::cell::{Ref, RefCell, RefMut};

use super::pp_error;

/// Tags start with these bits: no user-space pointer (what the allocator writes into freed memory)
/// and no small integer can look like one.
const TAG_BASE: u64 = 0x7070_5eed_0000_0000;
/// The low bit tells a lent handle from an owned one.
const LENT: u64 = 1;
/// What a handle's tag becomes when it is freed.
const DEAD: u64 = 0x7070_dead_dead_0000;

/// A C handle type: an opaque marker struct (no fields C can see) and the Rust object behind it.
///
/// # Safety
/// `ID` must be unique among the implementations (it makes the type tag).
pub(crate) unsafe trait Castable {
    /// The object a handle of this type points to.
    type Rust;
    /// Unique per handle type.
    const ID: u16;
}

const fn owned_tag<C: Castable>() -> u64 {
    TAG_BASE | ((C::ID as u64) << 8)
}

const fn lent_tag<C: Castable>() -> u64 {
    owned_tag::<C>() | LENT
}

/// What a C pointer of type `*mut C` points to. `repr(C)`: the tag is at offset 0 in every handle, so
/// it can be read before the type is known to be right.
#[repr(C)]
pub(crate) struct Handle<T> {
    tag: u64,
    value: T,
}

/// Makes an owned handle: C frees it with the type's `_free` (see [`free_handle`]).
pub(crate) fn new_handle<C: Castable>(value: C::Rust) -> *mut C {
    Box::into_raw(Box::new(Handle {
        tag: owned_tag::<C>(),
        value,
    }))
    .cast()
}

/// The object behind a handle from C; `None` for NULL, a handle of another type, or one whose tag says
/// it was freed (best effort, see the module doc).
///
/// # Safety
/// `p` must be NULL or a pointer this library handed out as a `*mut C`, and the object must stay
/// alive and unmoved for `'a` (the contract of every export: a handle is valid until its `_free`).
pub(crate) unsafe fn get<'a, C: Castable>(p: *const C) -> Option<&'a C::Rust> {
    if p.is_null() {
        return None;
    }
    // SAFETY: every handle this library makes is a `Handle<_>` whose `repr(C)` puts a `u64` tag at
    // offset 0, so reading the first 8 bytes is valid for any of them before we know the type.
    let tag = unsafe { p.cast::<u64>().read() };
    if tag != owned_tag::<C>() && tag != lent_tag::<C>() {
        return None;
    }
    // SAFETY: the tag says this is a live `Handle<C::Rust>`; only shared references are ever made.
    Some(unsafe { &(*p.cast::<Handle<C::Rust>>()).value })
}

/// Frees an owned handle. NULL, a lent handle, a handle of another type and (best effort) a freed one
/// are ignored.
///
/// # Safety
/// As [`get`]; after the call `p` is dangling.
pub(crate) unsafe fn free_handle<C: Castable>(p: *mut C) {
    if p.is_null() {
        return;
    }
    // SAFETY: as in `get`: the tag is at offset 0 of every handle.
    let tag = unsafe { p.cast::<u64>().read() };
    if tag != owned_tag::<C>() {
        return;
    }
    // SAFETY: an owned handle made by `new_handle::<C>` (the tag says so) and not freed yet.
    let mut b = unsafe { Box::from_raw(p.cast::<Handle<C::Rust>>()) };
    b.tag = DEAD;
    drop(b);
}

/// A handle lent to C by the object that owns this value: valid while the `Lent` lives; the type's
/// `_free` ignores it. Dropping it invalidates the handle.
pub(crate) struct Lent<C: Castable> {
    handle: Box<Handle<C::Rust>>,
}

impl<C: Castable> Lent<C> {
    pub(crate) fn new(value: C::Rust) -> Self {
        Lent {
            handle: Box::new(Handle {
                tag: lent_tag::<C>(),
                value,
            }),
        }
    }

    /// The pointer C receives. Stable while `self` lives (the handle is boxed).
    pub(crate) fn ptr(&self) -> *mut C {
        (&*self.handle as *const Handle<C::Rust>).cast_mut().cast()
    }
}

impl<C: Castable> Drop for Lent<C> {
    fn drop(&mut self) {
        self.handle.tag = DEAD;
    }
}

/// An object owned by one handle that never calls out to C (a Variant, a codec): exclusive access
/// through a `RefCell`, so that a callback reaching it while another call of the same thread reads it
/// gets `PP_ERR_LOCKED` instead of an aliased `&mut`.
pub(crate) struct Excl<T>(RefCell<T>);

impl<T> Excl<T> {
    pub(crate) fn new(v: T) -> Self {
        Excl(RefCell::new(v))
    }

    /// Reads the object; `PP_ERR_LOCKED` while this thread is changing it.
    pub(crate) fn get(&self) -> Result<Ref<'_, T>, pp_error> {
        self.0.try_borrow().map_err(|_| pp_error::PP_ERR_LOCKED)
    }

    /// Changes the object; `PP_ERR_LOCKED` while this thread reads or changes it in an outer call.
    pub(crate) fn get_mut(&self) -> Result<RefMut<'_, T>, pp_error> {
        self.0.try_borrow_mut().map_err(|_| pp_error::PP_ERR_LOCKED)
    }
}

/// The value a call returns when a pointer argument is NULL or not a live handle of the right type:
/// `PP_ERR_INVALID_PARAMETER` for calls that return `pp_error`, the documented neutral value (false,
/// 0, NULL, nothing) for the others. Implemented for the bodies that [`ffi_boundary!`] runs.
pub(crate) trait NullOr {
    fn null_parameter() -> Self;
}

impl<T> NullOr for Result<T, pp_error> {
    fn null_parameter() -> Self {
        Err(pp_error::PP_ERR_INVALID_PARAMETER)
    }
}

macro_rules! null_or_default {
    ($($t:ty),*) => { $(impl NullOr for $t { fn null_parameter() -> Self { <$t>::default() } })* };
}
null_or_default!((), bool, i32, u32, i64, u64, usize, f32, f64);

impl<T> NullOr for *mut T {
    fn null_parameter() -> Self {
        std::ptr::null_mut()
    }
}

/// `let peer = try_ref!(peer);` — the object behind a handle argument, or an early return of the
/// body's [`NullOr`] value. For use inside [`ffi_boundary!`] bodies; the pointer must be an argument
/// of the export (whose contract says it is NULL or a live handle).
macro_rules! try_ref {
    ($p:expr) => {
        // SAFETY: every export's contract: a handle argument is NULL or a live handle from this
        // library; the tag check turns the wrong type or a freed handle into the NULL case.
        match unsafe { $crate::ffi::handle::get($p) } {
            Some(r) => r,
            None => return $crate::ffi::handle::NullOr::null_parameter(),
        }
    };
}
pub(crate) use try_ref;

/// `let s = try_opt_ref!(stream);` — like [`try_ref!`] for an argument that may be NULL ("none"):
/// NULL gives `None`, a handle of another type or a freed one the early return.
macro_rules! try_opt_ref {
    ($p:expr) => {
        if $p.is_null() {
            None
        } else {
            Some($crate::ffi::handle::try_ref!($p))
        }
    };
}
pub(crate) use try_opt_ref;

#[cfg(test)]
mod tests {
    use super::*;

    struct a_t {
        _private: [u8; 0],
    }
    struct b_t {
        _private: [u8; 0],
    }
    // SAFETY: distinct IDs (test-only types).
    unsafe impl Castable for a_t {
        type Rust = String;
        const ID: u16 = 0xfff0;
    }
    // SAFETY: distinct IDs (test-only types).
    unsafe impl Castable for b_t {
        type Rust = u64;
        const ID: u16 = 0xfff1;
    }

    #[test]
    fn tags_tell_types_and_kinds_apart() {
        let a = new_handle::<a_t>("hello".to_string());
        let b = new_handle::<b_t>(7);
        // SAFETY: handles made above.
        unsafe {
            assert_eq!(get(a).map(String::as_str), Some("hello"));
            assert_eq!(get(b), Some(&7));
            assert!(get(a.cast::<b_t>()).is_none());
            assert!(get(b.cast::<a_t>()).is_none());
            assert!(get::<a_t>(std::ptr::null()).is_none());
            free_handle(b.cast::<a_t>()); // wrong type: ignored
            assert_eq!(get(b), Some(&7));
            free_handle(a);
            free_handle(b);
        }
        let lent = Lent::<a_t>::new("lent".into());
        // SAFETY: `lent` is alive.
        unsafe {
            assert_eq!(get(lent.ptr()).map(String::as_str), Some("lent"));
            free_handle(lent.ptr()); // lent: ignored
            assert_eq!(get(lent.ptr()).map(String::as_str), Some("lent"));
        }
    }

    #[test]
    fn excl_refuses_reentry() {
        let e = Excl::new(1);
        let r = e.get().unwrap();
        assert_eq!(e.get_mut().err(), Some(pp_error::PP_ERR_LOCKED));
        assert_eq!(*e.get().unwrap(), 1);
        drop(r);
        *e.get_mut().unwrap() = 2;
        assert_eq!(*e.get().unwrap(), 2);
    }
}
