//! Helpers of the C API before the handle scheme of `handle.rs` / `boundary.rs`, still used by the
//! variant calls until they are converted. Nothing new uses them.
#![allow(dead_code)]

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::{pp_error, INVALID};

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
