//! `pp_error`: Godot's `Error`, every value written out. Numbers are ABI: never renumber or reuse.
use std::ffi::CStr;

use crate::error::Error;
/// Godot's `Error` enum, numbered exactly like the engine (core/error/error_list.h).
/// `PP_OK` (0) is success; every other value is a failure. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum pp_error {
    PP_OK = 0,
    PP_FAILED = 1,
    PP_ERR_UNAVAILABLE = 2,
    PP_ERR_UNCONFIGURED = 3,
    PP_ERR_UNAUTHORIZED = 4,
    PP_ERR_PARAMETER_RANGE_ERROR = 5,
    PP_ERR_OUT_OF_MEMORY = 6,
    PP_ERR_FILE_NOT_FOUND = 7,
    PP_ERR_FILE_BAD_DRIVE = 8,
    PP_ERR_FILE_BAD_PATH = 9,
    PP_ERR_FILE_NO_PERMISSION = 10,
    PP_ERR_FILE_ALREADY_IN_USE = 11,
    PP_ERR_FILE_CANT_OPEN = 12,
    PP_ERR_FILE_CANT_WRITE = 13,
    PP_ERR_FILE_CANT_READ = 14,
    PP_ERR_FILE_UNRECOGNIZED = 15,
    PP_ERR_FILE_CORRUPT = 16,
    PP_ERR_FILE_MISSING_DEPENDENCIES = 17,
    PP_ERR_FILE_EOF = 18,
    PP_ERR_CANT_OPEN = 19,
    PP_ERR_CANT_CREATE = 20,
    PP_ERR_QUERY_FAILED = 21,
    PP_ERR_ALREADY_IN_USE = 22,
    PP_ERR_LOCKED = 23,
    PP_ERR_TIMEOUT = 24,
    PP_ERR_CANT_CONNECT = 25,
    PP_ERR_CANT_RESOLVE = 26,
    PP_ERR_CONNECTION_ERROR = 27,
    PP_ERR_CANT_ACQUIRE_RESOURCE = 28,
    PP_ERR_CANT_FORK = 29,
    PP_ERR_INVALID_DATA = 30,
    PP_ERR_INVALID_PARAMETER = 31,
    PP_ERR_ALREADY_EXISTS = 32,
    PP_ERR_DOES_NOT_EXIST = 33,
    PP_ERR_DATABASE_CANT_READ = 34,
    PP_ERR_DATABASE_CANT_WRITE = 35,
    PP_ERR_COMPILATION_FAILED = 36,
    PP_ERR_METHOD_NOT_FOUND = 37,
    PP_ERR_LINK_FAILED = 38,
    PP_ERR_SCRIPT_FAILED = 39,
    PP_ERR_CYCLIC_LINK = 40,
    PP_ERR_INVALID_DECLARATION = 41,
    PP_ERR_DUPLICATE_SYMBOL = 42,
    PP_ERR_PARSE_ERROR = 43,
    PP_ERR_BUSY = 44,
    PP_ERR_SKIP = 45,
    PP_ERR_HELP = 46,
    PP_ERR_BUG = 47,
    PP_ERR_PRINTER_ON_FIRE = 48,
}

impl From<Error> for pp_error {
    fn from(e: Error) -> pp_error {
        pp_error::from_i32(e.code()).unwrap_or(pp_error::PP_ERR_BUG)
    }
}

/// The last number of the enum; every number from 0 to it is a variant (pinned by a test).
const LAST: i32 = pp_error::PP_ERR_PRINTER_ON_FIRE as i32;

impl pp_error {
    /// `Ok(())` for `PP_OK`, the core error otherwise.
    pub fn to_result(self) -> Result<(), Error> {
        match Error::from_code(self as i32) {
            None => Ok(()),
            Some(e) => Err(e),
        }
    }

    /// The pp_error with this number, if it is one.
    pub fn from_i32(code: i32) -> Option<pp_error> {
        if (0..=LAST).contains(&code) {
            // SAFETY: `pp_error` is `repr(i32)` with a variant for every number 0..=LAST (the test
            // `numbers_are_godots` checks each one against the core's table), so `code` is a valid
            // discriminant.
            Some(unsafe { std::mem::transmute::<i32, pp_error>(code) })
        } else {
            None
        }
    }
}

/// The engine's constant name for any number (`"ERR_UNKNOWN"` for numbers that are not errors).
pub(crate) fn error_name_cstr(code: i32) -> &'static CStr {
    Error::name_cstr(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_godots() {
        assert_eq!(pp_error::PP_OK as i32, 0);
        assert_eq!(pp_error::PP_FAILED as i32, 1);
        assert_eq!(pp_error::PP_ERR_UNAVAILABLE as i32, 2);
        assert_eq!(pp_error::PP_ERR_UNCONFIGURED as i32, 3);
        assert_eq!(pp_error::PP_ERR_UNAUTHORIZED as i32, 4);
        assert_eq!(pp_error::PP_ERR_PARAMETER_RANGE_ERROR as i32, 5);
        assert_eq!(pp_error::PP_ERR_OUT_OF_MEMORY as i32, 6);
        assert_eq!(pp_error::PP_ERR_FILE_NOT_FOUND as i32, 7);
        assert_eq!(pp_error::PP_ERR_FILE_BAD_DRIVE as i32, 8);
        assert_eq!(pp_error::PP_ERR_FILE_BAD_PATH as i32, 9);
        assert_eq!(pp_error::PP_ERR_FILE_NO_PERMISSION as i32, 10);
        assert_eq!(pp_error::PP_ERR_FILE_ALREADY_IN_USE as i32, 11);
        assert_eq!(pp_error::PP_ERR_FILE_CANT_OPEN as i32, 12);
        assert_eq!(pp_error::PP_ERR_FILE_CANT_WRITE as i32, 13);
        assert_eq!(pp_error::PP_ERR_FILE_CANT_READ as i32, 14);
        assert_eq!(pp_error::PP_ERR_FILE_UNRECOGNIZED as i32, 15);
        assert_eq!(pp_error::PP_ERR_FILE_CORRUPT as i32, 16);
        assert_eq!(pp_error::PP_ERR_FILE_MISSING_DEPENDENCIES as i32, 17);
        assert_eq!(pp_error::PP_ERR_FILE_EOF as i32, 18);
        assert_eq!(pp_error::PP_ERR_CANT_OPEN as i32, 19);
        assert_eq!(pp_error::PP_ERR_CANT_CREATE as i32, 20);
        assert_eq!(pp_error::PP_ERR_QUERY_FAILED as i32, 21);
        assert_eq!(pp_error::PP_ERR_ALREADY_IN_USE as i32, 22);
        assert_eq!(pp_error::PP_ERR_LOCKED as i32, 23);
        assert_eq!(pp_error::PP_ERR_TIMEOUT as i32, 24);
        assert_eq!(pp_error::PP_ERR_CANT_CONNECT as i32, 25);
        assert_eq!(pp_error::PP_ERR_CANT_RESOLVE as i32, 26);
        assert_eq!(pp_error::PP_ERR_CONNECTION_ERROR as i32, 27);
        assert_eq!(pp_error::PP_ERR_CANT_ACQUIRE_RESOURCE as i32, 28);
        assert_eq!(pp_error::PP_ERR_CANT_FORK as i32, 29);
        assert_eq!(pp_error::PP_ERR_INVALID_DATA as i32, 30);
        assert_eq!(pp_error::PP_ERR_INVALID_PARAMETER as i32, 31);
        assert_eq!(pp_error::PP_ERR_ALREADY_EXISTS as i32, 32);
        assert_eq!(pp_error::PP_ERR_DOES_NOT_EXIST as i32, 33);
        assert_eq!(pp_error::PP_ERR_DATABASE_CANT_READ as i32, 34);
        assert_eq!(pp_error::PP_ERR_DATABASE_CANT_WRITE as i32, 35);
        assert_eq!(pp_error::PP_ERR_COMPILATION_FAILED as i32, 36);
        assert_eq!(pp_error::PP_ERR_METHOD_NOT_FOUND as i32, 37);
        assert_eq!(pp_error::PP_ERR_LINK_FAILED as i32, 38);
        assert_eq!(pp_error::PP_ERR_SCRIPT_FAILED as i32, 39);
        assert_eq!(pp_error::PP_ERR_CYCLIC_LINK as i32, 40);
        assert_eq!(pp_error::PP_ERR_INVALID_DECLARATION as i32, 41);
        assert_eq!(pp_error::PP_ERR_DUPLICATE_SYMBOL as i32, 42);
        assert_eq!(pp_error::PP_ERR_PARSE_ERROR as i32, 43);
        assert_eq!(pp_error::PP_ERR_BUSY as i32, 44);
        assert_eq!(pp_error::PP_ERR_SKIP as i32, 45);
        assert_eq!(pp_error::PP_ERR_HELP as i32, 46);
        assert_eq!(pp_error::PP_ERR_BUG as i32, 47);
        assert_eq!(pp_error::PP_ERR_PRINTER_ON_FIRE as i32, 48);
        for code in -3..60 {
            let name = error_name_cstr(code).to_str().unwrap();
            match pp_error::from_i32(code) {
                Some(e) => {
                    assert_eq!(e as i32, code);
                    assert_eq!(format!("{e:?}"), format!("PP_{name}"));
                    if code != 0 {
                        assert_eq!(e.to_result().unwrap_err().name(), name);
                    }
                }
                None => assert_eq!(name, "ERR_UNKNOWN"),
            }
        }
    }
}
