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
        match e {
            Error::Failed => pp_error::PP_FAILED,
            Error::Unavailable => pp_error::PP_ERR_UNAVAILABLE,
            Error::Unconfigured => pp_error::PP_ERR_UNCONFIGURED,
            Error::Unauthorized => pp_error::PP_ERR_UNAUTHORIZED,
            Error::ParameterRangeError => pp_error::PP_ERR_PARAMETER_RANGE_ERROR,
            Error::OutOfMemory => pp_error::PP_ERR_OUT_OF_MEMORY,
            Error::FileNotFound => pp_error::PP_ERR_FILE_NOT_FOUND,
            Error::FileBadDrive => pp_error::PP_ERR_FILE_BAD_DRIVE,
            Error::FileBadPath => pp_error::PP_ERR_FILE_BAD_PATH,
            Error::FileNoPermission => pp_error::PP_ERR_FILE_NO_PERMISSION,
            Error::FileAlreadyInUse => pp_error::PP_ERR_FILE_ALREADY_IN_USE,
            Error::FileCantOpen => pp_error::PP_ERR_FILE_CANT_OPEN,
            Error::FileCantWrite => pp_error::PP_ERR_FILE_CANT_WRITE,
            Error::FileCantRead => pp_error::PP_ERR_FILE_CANT_READ,
            Error::FileUnrecognized => pp_error::PP_ERR_FILE_UNRECOGNIZED,
            Error::FileCorrupt => pp_error::PP_ERR_FILE_CORRUPT,
            Error::FileMissingDependencies => pp_error::PP_ERR_FILE_MISSING_DEPENDENCIES,
            Error::FileEof => pp_error::PP_ERR_FILE_EOF,
            Error::CantOpen => pp_error::PP_ERR_CANT_OPEN,
            Error::CantCreate => pp_error::PP_ERR_CANT_CREATE,
            Error::QueryFailed => pp_error::PP_ERR_QUERY_FAILED,
            Error::AlreadyInUse => pp_error::PP_ERR_ALREADY_IN_USE,
            Error::Locked => pp_error::PP_ERR_LOCKED,
            Error::Timeout => pp_error::PP_ERR_TIMEOUT,
            Error::CantConnect => pp_error::PP_ERR_CANT_CONNECT,
            Error::CantResolve => pp_error::PP_ERR_CANT_RESOLVE,
            Error::ConnectionError => pp_error::PP_ERR_CONNECTION_ERROR,
            Error::CantAcquireResource => pp_error::PP_ERR_CANT_ACQUIRE_RESOURCE,
            Error::CantFork => pp_error::PP_ERR_CANT_FORK,
            Error::InvalidData => pp_error::PP_ERR_INVALID_DATA,
            Error::InvalidParameter => pp_error::PP_ERR_INVALID_PARAMETER,
            Error::AlreadyExists => pp_error::PP_ERR_ALREADY_EXISTS,
            Error::DoesNotExist => pp_error::PP_ERR_DOES_NOT_EXIST,
            Error::DatabaseCantRead => pp_error::PP_ERR_DATABASE_CANT_READ,
            Error::DatabaseCantWrite => pp_error::PP_ERR_DATABASE_CANT_WRITE,
            Error::CompilationFailed => pp_error::PP_ERR_COMPILATION_FAILED,
            Error::MethodNotFound => pp_error::PP_ERR_METHOD_NOT_FOUND,
            Error::LinkFailed => pp_error::PP_ERR_LINK_FAILED,
            Error::ScriptFailed => pp_error::PP_ERR_SCRIPT_FAILED,
            Error::CyclicLink => pp_error::PP_ERR_CYCLIC_LINK,
            Error::InvalidDeclaration => pp_error::PP_ERR_INVALID_DECLARATION,
            Error::DuplicateSymbol => pp_error::PP_ERR_DUPLICATE_SYMBOL,
            Error::ParseError => pp_error::PP_ERR_PARSE_ERROR,
            Error::Busy => pp_error::PP_ERR_BUSY,
            Error::Skip => pp_error::PP_ERR_SKIP,
            Error::Help => pp_error::PP_ERR_HELP,
            Error::Bug => pp_error::PP_ERR_BUG,
            Error::PrinterOnFire => pp_error::PP_ERR_PRINTER_ON_FIRE,
        }
    }
}

impl pp_error {
    /// `Ok(())` for `PP_OK`, the core error otherwise.
    pub fn to_result(self) -> Result<(), Error> {
        match self {
            pp_error::PP_OK => Ok(()),
            pp_error::PP_FAILED => Err(Error::Failed),
            pp_error::PP_ERR_UNAVAILABLE => Err(Error::Unavailable),
            pp_error::PP_ERR_UNCONFIGURED => Err(Error::Unconfigured),
            pp_error::PP_ERR_UNAUTHORIZED => Err(Error::Unauthorized),
            pp_error::PP_ERR_PARAMETER_RANGE_ERROR => Err(Error::ParameterRangeError),
            pp_error::PP_ERR_OUT_OF_MEMORY => Err(Error::OutOfMemory),
            pp_error::PP_ERR_FILE_NOT_FOUND => Err(Error::FileNotFound),
            pp_error::PP_ERR_FILE_BAD_DRIVE => Err(Error::FileBadDrive),
            pp_error::PP_ERR_FILE_BAD_PATH => Err(Error::FileBadPath),
            pp_error::PP_ERR_FILE_NO_PERMISSION => Err(Error::FileNoPermission),
            pp_error::PP_ERR_FILE_ALREADY_IN_USE => Err(Error::FileAlreadyInUse),
            pp_error::PP_ERR_FILE_CANT_OPEN => Err(Error::FileCantOpen),
            pp_error::PP_ERR_FILE_CANT_WRITE => Err(Error::FileCantWrite),
            pp_error::PP_ERR_FILE_CANT_READ => Err(Error::FileCantRead),
            pp_error::PP_ERR_FILE_UNRECOGNIZED => Err(Error::FileUnrecognized),
            pp_error::PP_ERR_FILE_CORRUPT => Err(Error::FileCorrupt),
            pp_error::PP_ERR_FILE_MISSING_DEPENDENCIES => Err(Error::FileMissingDependencies),
            pp_error::PP_ERR_FILE_EOF => Err(Error::FileEof),
            pp_error::PP_ERR_CANT_OPEN => Err(Error::CantOpen),
            pp_error::PP_ERR_CANT_CREATE => Err(Error::CantCreate),
            pp_error::PP_ERR_QUERY_FAILED => Err(Error::QueryFailed),
            pp_error::PP_ERR_ALREADY_IN_USE => Err(Error::AlreadyInUse),
            pp_error::PP_ERR_LOCKED => Err(Error::Locked),
            pp_error::PP_ERR_TIMEOUT => Err(Error::Timeout),
            pp_error::PP_ERR_CANT_CONNECT => Err(Error::CantConnect),
            pp_error::PP_ERR_CANT_RESOLVE => Err(Error::CantResolve),
            pp_error::PP_ERR_CONNECTION_ERROR => Err(Error::ConnectionError),
            pp_error::PP_ERR_CANT_ACQUIRE_RESOURCE => Err(Error::CantAcquireResource),
            pp_error::PP_ERR_CANT_FORK => Err(Error::CantFork),
            pp_error::PP_ERR_INVALID_DATA => Err(Error::InvalidData),
            pp_error::PP_ERR_INVALID_PARAMETER => Err(Error::InvalidParameter),
            pp_error::PP_ERR_ALREADY_EXISTS => Err(Error::AlreadyExists),
            pp_error::PP_ERR_DOES_NOT_EXIST => Err(Error::DoesNotExist),
            pp_error::PP_ERR_DATABASE_CANT_READ => Err(Error::DatabaseCantRead),
            pp_error::PP_ERR_DATABASE_CANT_WRITE => Err(Error::DatabaseCantWrite),
            pp_error::PP_ERR_COMPILATION_FAILED => Err(Error::CompilationFailed),
            pp_error::PP_ERR_METHOD_NOT_FOUND => Err(Error::MethodNotFound),
            pp_error::PP_ERR_LINK_FAILED => Err(Error::LinkFailed),
            pp_error::PP_ERR_SCRIPT_FAILED => Err(Error::ScriptFailed),
            pp_error::PP_ERR_CYCLIC_LINK => Err(Error::CyclicLink),
            pp_error::PP_ERR_INVALID_DECLARATION => Err(Error::InvalidDeclaration),
            pp_error::PP_ERR_DUPLICATE_SYMBOL => Err(Error::DuplicateSymbol),
            pp_error::PP_ERR_PARSE_ERROR => Err(Error::ParseError),
            pp_error::PP_ERR_BUSY => Err(Error::Busy),
            pp_error::PP_ERR_SKIP => Err(Error::Skip),
            pp_error::PP_ERR_HELP => Err(Error::Help),
            pp_error::PP_ERR_BUG => Err(Error::Bug),
            pp_error::PP_ERR_PRINTER_ON_FIRE => Err(Error::PrinterOnFire),
        }
    }

    /// The pp_error with this number, if it is one.
    pub fn from_i32(code: i32) -> Option<pp_error> {
        if code == 0 {
            Some(pp_error::PP_OK)
        } else {
            Error::from_code(code).map(pp_error::from)
        }
    }
}

pub(crate) fn error_name_cstr(code: i32) -> &'static CStr {
    match code {
        0 => c"OK",
        1 => c"FAILED",
        2 => c"ERR_UNAVAILABLE",
        3 => c"ERR_UNCONFIGURED",
        4 => c"ERR_UNAUTHORIZED",
        5 => c"ERR_PARAMETER_RANGE_ERROR",
        6 => c"ERR_OUT_OF_MEMORY",
        7 => c"ERR_FILE_NOT_FOUND",
        8 => c"ERR_FILE_BAD_DRIVE",
        9 => c"ERR_FILE_BAD_PATH",
        10 => c"ERR_FILE_NO_PERMISSION",
        11 => c"ERR_FILE_ALREADY_IN_USE",
        12 => c"ERR_FILE_CANT_OPEN",
        13 => c"ERR_FILE_CANT_WRITE",
        14 => c"ERR_FILE_CANT_READ",
        15 => c"ERR_FILE_UNRECOGNIZED",
        16 => c"ERR_FILE_CORRUPT",
        17 => c"ERR_FILE_MISSING_DEPENDENCIES",
        18 => c"ERR_FILE_EOF",
        19 => c"ERR_CANT_OPEN",
        20 => c"ERR_CANT_CREATE",
        21 => c"ERR_QUERY_FAILED",
        22 => c"ERR_ALREADY_IN_USE",
        23 => c"ERR_LOCKED",
        24 => c"ERR_TIMEOUT",
        25 => c"ERR_CANT_CONNECT",
        26 => c"ERR_CANT_RESOLVE",
        27 => c"ERR_CONNECTION_ERROR",
        28 => c"ERR_CANT_ACQUIRE_RESOURCE",
        29 => c"ERR_CANT_FORK",
        30 => c"ERR_INVALID_DATA",
        31 => c"ERR_INVALID_PARAMETER",
        32 => c"ERR_ALREADY_EXISTS",
        33 => c"ERR_DOES_NOT_EXIST",
        34 => c"ERR_DATABASE_CANT_READ",
        35 => c"ERR_DATABASE_CANT_WRITE",
        36 => c"ERR_COMPILATION_FAILED",
        37 => c"ERR_METHOD_NOT_FOUND",
        38 => c"ERR_LINK_FAILED",
        39 => c"ERR_SCRIPT_FAILED",
        40 => c"ERR_CYCLIC_LINK",
        41 => c"ERR_INVALID_DECLARATION",
        42 => c"ERR_DUPLICATE_SYMBOL",
        43 => c"ERR_PARSE_ERROR",
        44 => c"ERR_BUSY",
        45 => c"ERR_SKIP",
        46 => c"ERR_HELP",
        47 => c"ERR_BUG",
        48 => c"ERR_PRINTER_ON_FIRE",
        _ => c"ERR_UNKNOWN",
    }
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
