//! The panic boundary, the out-parameter helper and the text-out rule: the three pieces every export
//! is written with (modelled on rustls-ffi's `ffi_panic_boundary!` and wasmtime's `handle_result`).
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::NonNull;

use super::handle::NullOr;
use super::pp_error;
use crate::error::Error;

/// How an export's return type is made from its body, and what it is when the body panics.
pub(crate) trait FfiReturn: Sized {
    /// What the body returns (for `pp_error`, a `Result` so that `?` works).
    type Body: NullOr;
    fn finish(body: Self::Body) -> Self;
    fn on_panic() -> Self;
}

impl FfiReturn for pp_error {
    type Body = Result<(), pp_error>;
    fn finish(body: Self::Body) -> Self {
        match body {
            Ok(()) => pp_error::PP_OK,
            Err(e) => e,
        }
    }
    fn on_panic() -> Self {
        pp_error::PP_ERR_BUG
    }
}

macro_rules! neutral_on_panic {
    ($($t:ty),*) => {$(
        impl FfiReturn for $t {
            type Body = $t;
            fn finish(body: $t) -> $t { body }
            fn on_panic() -> $t { <$t as NullOr>::null_parameter() }
        }
    )*};
}
neutral_on_panic!((), bool, i32, u32, i64, u64, usize, *const c_char);

impl<T> FfiReturn for *mut T {
    type Body = *mut T;
    fn finish(body: *mut T) -> *mut T {
        body
    }
    fn on_panic() -> *mut T {
        std::ptr::null_mut()
    }
}

/// Calls that return a static string never return NULL, not even for a bad argument or a panic.
impl NullOr for *const c_char {
    fn null_parameter() -> Self {
        c"".as_ptr()
    }
}

/// Declares a C enum (`repr(i32)`) as the return type of exports, with the value they return for a
/// NULL or wrong handle and after a panic (its "none" state).
macro_rules! c_enum_return {
    ($($t:ty => $neutral:expr),* $(,)?) => {$(
        impl $crate::ffi::handle::NullOr for $t {
            fn null_parameter() -> Self {
                $neutral
            }
        }
        impl $crate::ffi::boundary::FfiReturn for $t {
            type Body = $t;
            fn finish(body: $t) -> $t {
                body
            }
            fn on_panic() -> $t {
                $neutral
            }
        }
    )*};
}
pub(crate) use c_enum_return;

/// Runs an export's body inside the panic boundary; see [`ffi_boundary!`].
pub(crate) fn run<R: FfiReturn>(body: impl FnOnce() -> R::Body) -> R {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(b) => R::finish(b),
        Err(_) => R::on_panic(),
    }
}

/// The body of every export:
///
/// ```ignore
/// pub extern "C" fn pp_x(peer: *mut pp_peer, out_n: *mut i32) -> pp_error {
///     ffi_boundary! {
///         let peer = try_ref!(peer);
///         let out_n = out!(out_n);
///         out_n.write(lock(peer)?.n());
///         Ok(())
///     }
/// }
/// ```
///
/// A panic inside becomes the return type's fallback ([`FfiReturn::on_panic`]): `PP_ERR_BUG` for
/// `pp_error`, the neutral value (false, 0, NULL, an empty static string) otherwise.
macro_rules! ffi_boundary {
    ($($body:tt)*) => {
        $crate::ffi::boundary::run(move || { $($body)* })
    };
}
pub(crate) use ffi_boundary;

/// An out-parameter checked non-NULL: write it once the call has succeeded. (Out-params are written
/// only on `PP_OK`, so check them all first, do the work, then write.)
pub(crate) struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    /// `None` for NULL.
    ///
    /// # Safety
    /// A non-NULL `p` must be valid for writing a `T` until the export returns (its contract).
    pub(crate) unsafe fn new(p: *mut T) -> Option<Out<T>> {
        NonNull::new(p).map(Out)
    }

    /// [`Out::new`] as a result (NULL is `PP_ERR_INVALID_PARAMETER`), for bodies that check an
    /// out-parameter early and write it later. `p` is an export's out-parameter, under its contract.
    pub(crate) fn checked(p: *mut T) -> Result<Out<T>, pp_error> {
        // SAFETY: the export's contract: NULL or writable until it returns.
        unsafe { Out::new(p) }.ok_or(pp_error::PP_ERR_INVALID_PARAMETER)
    }

    pub(crate) fn write(self, v: T) {
        // SAFETY: non-NULL and writable by the export's contract (see `new`); `write` does not drop
        // whatever uninitialised memory was there.
        unsafe { self.0.as_ptr().write(v) }
    }
}

/// An out-parameter, raw (an export's argument, checked on use) or already checked.
pub(crate) trait OutParam<T> {
    fn checked(self) -> Result<Out<T>, pp_error>;
}
impl<T> OutParam<T> for *mut T {
    fn checked(self) -> Result<Out<T>, pp_error> {
        Out::checked(self)
    }
}
impl<T> OutParam<T> for Out<T> {
    fn checked(self) -> Result<Out<T>, pp_error> {
        Ok(self)
    }
}

/// `let out = out!(out_count);` — an out-parameter of the export as an [`Out`], or an early return
/// of the body's "invalid parameter" value when it is NULL.
macro_rules! out {
    ($p:expr) => {
        // SAFETY: every export's contract: an out-parameter is NULL or writable until it returns.
        match unsafe { $crate::ffi::boundary::Out::new($p) } {
            Some(o) => o,
            None => return $crate::ffi::handle::NullOr::null_parameter(),
        }
    };
}
pub(crate) use out;

/// An optional out-parameter (NULL means "not wanted").
macro_rules! out_opt {
    ($p:expr) => {
        // SAFETY: every export's contract: an out-parameter is NULL or writable until it returns.
        unsafe { $crate::ffi::boundary::Out::new($p) }
    };
}
pub(crate) use out_opt;

/// The one text-out rule, for every call that copies a string into a caller buffer `(buf, size)`:
/// `*out_len` (when not NULL) receives the string's length in bytes without the NUL, whether or not it
/// fits; the string and its NUL are copied when `size > len`; otherwise nothing is copied and the call
/// returns `PP_ERR_PARAMETER_RANGE_ERROR`. `(NULL, 0)` asks for the length only (and so returns
/// `PP_ERR_PARAMETER_RANGE_ERROR` with `*out_len` set). `(NULL, size > 0)` and `size > INT32_MAX` are
/// `PP_ERR_INVALID_PARAMETER`, with nothing written.
///
/// # Safety
/// A non-NULL `buf` must have `size` writable bytes.
pub(crate) unsafe fn write_text(
    s: &str,
    buf: *mut c_char,
    size: usize,
    out_len: Option<Out<usize>>,
) -> Result<(), pp_error> {
    if size > i32::MAX as usize || (buf.is_null() && size > 0) {
        return Err(pp_error::PP_ERR_INVALID_PARAMETER);
    }
    if let Some(o) = out_len {
        o.write(s.len());
    }
    if size <= s.len() {
        return Err(pp_error::PP_ERR_PARAMETER_RANGE_ERROR);
    }
    // SAFETY: `buf` is non-NULL (size > len >= 0) with `size >= len + 1` writable bytes (contract).
    unsafe {
        std::ptr::copy_nonoverlapping(s.as_ptr(), buf.cast::<u8>(), s.len());
        buf.add(s.len()).write(0);
    }
    Ok(())
}

/// A string handed to C, owned by the caller and freed with `pp_string_free`. Interior NULs (which
/// C cannot see past) become `?`.
pub(crate) fn owned_string(s: String) -> *mut c_char {
    let s = if s.contains('\0') {
        s.replace('\0', "?")
    } else {
        s
    };
    match std::ffi::CString::new(s) {
        Ok(c) => c.into_raw(),
        // Unreachable: the NULs were replaced.
        Err(_) => std::ptr::null_mut(),
    }
}

/// Maps a core result to the C error (the export bodies' `?` does this through `From`).
pub(crate) fn map<T>(r: Result<T, Error>) -> Result<T, pp_error> {
    r.map_err(pp_error::from)
}

/// A `&'static CStr`'s pointer (for the calls that return static strings).
pub(crate) fn static_str(s: &'static CStr) -> *const c_char {
    s.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_err() -> pp_error {
        ffi_boundary! {
            Err(pp_error::PP_ERR_BUSY)
        }
    }
    fn body_panic() -> pp_error {
        ffi_boundary! {
            panic!("boundary test")
        }
    }
    fn body_panic_bool() -> bool {
        ffi_boundary! {
            if std::hint::black_box(true) { panic!("boundary test") }
            true
        }
    }
    fn body_panic_str() -> *const c_char {
        ffi_boundary! {
            if std::hint::black_box(true) { panic!("boundary test") }
            c"x".as_ptr()
        }
    }

    #[test]
    fn fallback_comes_from_the_return_type() {
        assert_eq!(body_err(), pp_error::PP_ERR_BUSY);
        assert_eq!(body_panic(), pp_error::PP_ERR_BUG);
        assert!(!body_panic_bool());
        assert!(!body_panic_str().is_null());
    }

    #[test]
    fn text_rule() {
        let mut buf = [1 as c_char; 4];
        let mut n = 99usize;
        // SAFETY: local buffers.
        unsafe {
            assert_eq!(
                write_text("abcd", buf.as_mut_ptr(), 4, Out::new(&mut n)),
                Err(pp_error::PP_ERR_PARAMETER_RANGE_ERROR)
            );
            assert_eq!((n, buf[0]), (4, 1));
            assert_eq!(write_text("abc", buf.as_mut_ptr(), 4, None), Ok(()));
            assert_eq!(buf, [97, 98, 99, 0]);
            assert_eq!(
                write_text("a", std::ptr::null_mut(), 0, Out::new(&mut n)),
                Err(pp_error::PP_ERR_PARAMETER_RANGE_ERROR)
            );
            assert_eq!(n, 1);
            assert_eq!(
                write_text("a", std::ptr::null_mut(), 3, None),
                Err(pp_error::PP_ERR_INVALID_PARAMETER)
            );
        }
    }
}
