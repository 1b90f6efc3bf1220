//! Godot's `Error` enum (core/error/error_list.h), numbered exactly like the engine.
//!
//! `OK` is not a variant: success is `Ok(..)` of a `Result<_, Error>`.
//! The C side (`pp_error`) maps these one to one; the numbers are ABI and never change.
//!
//! The table below is the one place the numbers, the engine's names and the messages are written:
//! the enum, [`Error::name`], [`Error::name_cstr`] and [`Error::from_code`] are generated from it.
#![forbid(unsafe_code)]

use std::ffi::CStr;

macro_rules! godot_errors {
    ($($variant:ident = $code:literal, $name:literal, $msg:literal;)*) => {
        /// A Godot `Error` value other than `OK`. The discriminant is the engine's number.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
        #[repr(i32)]
        pub enum Error {
            $(
                #[error($msg)]
                $variant = $code,
            )*
        }

        impl Error {
            /// The engine's constant name, e.g. `"ERR_INVALID_DATA"`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Error::$variant => $name,)*
                }
            }

            /// The error with this engine number, if it is one (0, `OK`, is not an error).
            pub const fn from_code(code: i32) -> Option<Error> {
                match code {
                    $($code => Some(Error::$variant),)*
                    _ => None,
                }
            }

            /// The engine's constant name for any number: `"OK"` for 0, `"ERR_UNKNOWN"` for numbers
            /// that are not Godot errors.
            pub const fn name_cstr(code: i32) -> &'static CStr {
                match code {
                    0 => c"OK",
                    $($code => match CStr::from_bytes_with_nul(concat!($name, "\0").as_bytes()) {
                        Ok(c) => c,
                        Err(_) => c"ERR_UNKNOWN",
                    },)*
                    _ => c"ERR_UNKNOWN",
                }
            }
        }
    };
}

godot_errors! {
    Failed = 1, "FAILED", "generic failure (FAILED)";
    Unavailable = 2, "ERR_UNAVAILABLE", "unavailable (ERR_UNAVAILABLE)";
    Unconfigured = 3, "ERR_UNCONFIGURED", "unconfigured (ERR_UNCONFIGURED)";
    Unauthorized = 4, "ERR_UNAUTHORIZED", "unauthorized (ERR_UNAUTHORIZED)";
    ParameterRangeError = 5, "ERR_PARAMETER_RANGE_ERROR", "parameter out of range (ERR_PARAMETER_RANGE_ERROR)";
    OutOfMemory = 6, "ERR_OUT_OF_MEMORY", "out of memory (ERR_OUT_OF_MEMORY)";
    FileNotFound = 7, "ERR_FILE_NOT_FOUND", "file not found (ERR_FILE_NOT_FOUND)";
    FileBadDrive = 8, "ERR_FILE_BAD_DRIVE", "bad drive (ERR_FILE_BAD_DRIVE)";
    FileBadPath = 9, "ERR_FILE_BAD_PATH", "bad path (ERR_FILE_BAD_PATH)";
    FileNoPermission = 10, "ERR_FILE_NO_PERMISSION", "no permission (ERR_FILE_NO_PERMISSION)";
    FileAlreadyInUse = 11, "ERR_FILE_ALREADY_IN_USE", "file already in use (ERR_FILE_ALREADY_IN_USE)";
    FileCantOpen = 12, "ERR_FILE_CANT_OPEN", "can't open file (ERR_FILE_CANT_OPEN)";
    FileCantWrite = 13, "ERR_FILE_CANT_WRITE", "can't write file (ERR_FILE_CANT_WRITE)";
    FileCantRead = 14, "ERR_FILE_CANT_READ", "can't read file (ERR_FILE_CANT_READ)";
    FileUnrecognized = 15, "ERR_FILE_UNRECOGNIZED", "unrecognized file (ERR_FILE_UNRECOGNIZED)";
    FileCorrupt = 16, "ERR_FILE_CORRUPT", "corrupt file (ERR_FILE_CORRUPT)";
    FileMissingDependencies = 17, "ERR_FILE_MISSING_DEPENDENCIES", "missing dependencies (ERR_FILE_MISSING_DEPENDENCIES)";
    FileEof = 18, "ERR_FILE_EOF", "end of data (ERR_FILE_EOF)";
    CantOpen = 19, "ERR_CANT_OPEN", "can't open (ERR_CANT_OPEN)";
    CantCreate = 20, "ERR_CANT_CREATE", "can't create (ERR_CANT_CREATE)";
    QueryFailed = 21, "ERR_QUERY_FAILED", "query failed (ERR_QUERY_FAILED)";
    AlreadyInUse = 22, "ERR_ALREADY_IN_USE", "already in use (ERR_ALREADY_IN_USE)";
    Locked = 23, "ERR_LOCKED", "locked (ERR_LOCKED)";
    Timeout = 24, "ERR_TIMEOUT", "timeout (ERR_TIMEOUT)";
    CantConnect = 25, "ERR_CANT_CONNECT", "can't connect (ERR_CANT_CONNECT)";
    CantResolve = 26, "ERR_CANT_RESOLVE", "can't resolve (ERR_CANT_RESOLVE)";
    ConnectionError = 27, "ERR_CONNECTION_ERROR", "connection error (ERR_CONNECTION_ERROR)";
    CantAcquireResource = 28, "ERR_CANT_ACQUIRE_RESOURCE", "can't acquire resource (ERR_CANT_ACQUIRE_RESOURCE)";
    CantFork = 29, "ERR_CANT_FORK", "can't fork (ERR_CANT_FORK)";
    InvalidData = 30, "ERR_INVALID_DATA", "invalid data (ERR_INVALID_DATA)";
    InvalidParameter = 31, "ERR_INVALID_PARAMETER", "invalid parameter (ERR_INVALID_PARAMETER)";
    AlreadyExists = 32, "ERR_ALREADY_EXISTS", "already exists (ERR_ALREADY_EXISTS)";
    DoesNotExist = 33, "ERR_DOES_NOT_EXIST", "does not exist (ERR_DOES_NOT_EXIST)";
    DatabaseCantRead = 34, "ERR_DATABASE_CANT_READ", "database can't read (ERR_DATABASE_CANT_READ)";
    DatabaseCantWrite = 35, "ERR_DATABASE_CANT_WRITE", "database can't write (ERR_DATABASE_CANT_WRITE)";
    CompilationFailed = 36, "ERR_COMPILATION_FAILED", "compilation failed (ERR_COMPILATION_FAILED)";
    MethodNotFound = 37, "ERR_METHOD_NOT_FOUND", "method not found (ERR_METHOD_NOT_FOUND)";
    LinkFailed = 38, "ERR_LINK_FAILED", "link failed (ERR_LINK_FAILED)";
    ScriptFailed = 39, "ERR_SCRIPT_FAILED", "script failed (ERR_SCRIPT_FAILED)";
    CyclicLink = 40, "ERR_CYCLIC_LINK", "cyclic link (ERR_CYCLIC_LINK)";
    InvalidDeclaration = 41, "ERR_INVALID_DECLARATION", "invalid declaration (ERR_INVALID_DECLARATION)";
    DuplicateSymbol = 42, "ERR_DUPLICATE_SYMBOL", "duplicate symbol (ERR_DUPLICATE_SYMBOL)";
    ParseError = 43, "ERR_PARSE_ERROR", "parse error (ERR_PARSE_ERROR)";
    Busy = 44, "ERR_BUSY", "busy (ERR_BUSY)";
    Skip = 45, "ERR_SKIP", "skip (ERR_SKIP)";
    Help = 46, "ERR_HELP", "help (ERR_HELP)";
    Bug = 47, "ERR_BUG", "bug (ERR_BUG)";
    PrinterOnFire = 48, "ERR_PRINTER_ON_FIRE", "printer on fire (ERR_PRINTER_ON_FIRE)";
}

impl Error {
    /// The engine's number for this error.
    pub const fn code(self) -> i32 {
        self as i32
    }
}

/// Result type of the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_and_names_are_unique() {
        let mut names = std::collections::HashSet::new();
        for code in 1..=48 {
            let e = Error::from_code(code).expect("every code 1..=48 exists");
            assert_eq!(e.code(), code);
            assert!(names.insert(e.name()));
        }
        assert_eq!(Error::from_code(0), None);
        assert_eq!(Error::name_cstr(0), c"OK");
        assert_eq!(Error::name_cstr(44), c"ERR_BUSY");
        assert_eq!(Error::name_cstr(49), c"ERR_UNKNOWN");
        assert_eq!(Error::name_cstr(-1), c"ERR_UNKNOWN");
        assert_eq!(Error::from_code(49), None);
        assert_eq!(Error::InvalidData.code(), 30);
        assert_eq!(Error::Busy.code(), 44);
        assert_eq!(Error::Bug.code(), 47);
    }
}
