//! Godot's `Error` enum (core/error/error_list.h), numbered exactly like the engine.
//!
//! `OK` is not a variant: success is `Ok(..)` of a `Result<_, Error>`.
//! The C side (`pp_error`) maps these one to one; the numbers are ABI and never change.

/// A Godot `Error` value other than `OK`. The discriminant is the engine's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[repr(i32)]
pub enum Error {
    #[error("generic failure (FAILED)")]
    Failed = 1,
    #[error("unavailable (ERR_UNAVAILABLE)")]
    Unavailable = 2,
    #[error("unconfigured (ERR_UNCONFIGURED)")]
    Unconfigured = 3,
    #[error("unauthorized (ERR_UNAUTHORIZED)")]
    Unauthorized = 4,
    #[error("parameter out of range (ERR_PARAMETER_RANGE_ERROR)")]
    ParameterRangeError = 5,
    #[error("out of memory (ERR_OUT_OF_MEMORY)")]
    OutOfMemory = 6,
    #[error("file not found (ERR_FILE_NOT_FOUND)")]
    FileNotFound = 7,
    #[error("bad drive (ERR_FILE_BAD_DRIVE)")]
    FileBadDrive = 8,
    #[error("bad path (ERR_FILE_BAD_PATH)")]
    FileBadPath = 9,
    #[error("no permission (ERR_FILE_NO_PERMISSION)")]
    FileNoPermission = 10,
    #[error("file already in use (ERR_FILE_ALREADY_IN_USE)")]
    FileAlreadyInUse = 11,
    #[error("can't open file (ERR_FILE_CANT_OPEN)")]
    FileCantOpen = 12,
    #[error("can't write file (ERR_FILE_CANT_WRITE)")]
    FileCantWrite = 13,
    #[error("can't read file (ERR_FILE_CANT_READ)")]
    FileCantRead = 14,
    #[error("unrecognized file (ERR_FILE_UNRECOGNIZED)")]
    FileUnrecognized = 15,
    #[error("corrupt file (ERR_FILE_CORRUPT)")]
    FileCorrupt = 16,
    #[error("missing dependencies (ERR_FILE_MISSING_DEPENDENCIES)")]
    FileMissingDependencies = 17,
    #[error("end of data (ERR_FILE_EOF)")]
    FileEof = 18,
    #[error("can't open (ERR_CANT_OPEN)")]
    CantOpen = 19,
    #[error("can't create (ERR_CANT_CREATE)")]
    CantCreate = 20,
    #[error("query failed (ERR_QUERY_FAILED)")]
    QueryFailed = 21,
    #[error("already in use (ERR_ALREADY_IN_USE)")]
    AlreadyInUse = 22,
    #[error("locked (ERR_LOCKED)")]
    Locked = 23,
    #[error("timeout (ERR_TIMEOUT)")]
    Timeout = 24,
    #[error("can't connect (ERR_CANT_CONNECT)")]
    CantConnect = 25,
    #[error("can't resolve (ERR_CANT_RESOLVE)")]
    CantResolve = 26,
    #[error("connection error (ERR_CONNECTION_ERROR)")]
    ConnectionError = 27,
    #[error("can't acquire resource (ERR_CANT_ACQUIRE_RESOURCE)")]
    CantAcquireResource = 28,
    #[error("can't fork (ERR_CANT_FORK)")]
    CantFork = 29,
    #[error("invalid data (ERR_INVALID_DATA)")]
    InvalidData = 30,
    #[error("invalid parameter (ERR_INVALID_PARAMETER)")]
    InvalidParameter = 31,
    #[error("already exists (ERR_ALREADY_EXISTS)")]
    AlreadyExists = 32,
    #[error("does not exist (ERR_DOES_NOT_EXIST)")]
    DoesNotExist = 33,
    #[error("database can't read (ERR_DATABASE_CANT_READ)")]
    DatabaseCantRead = 34,
    #[error("database can't write (ERR_DATABASE_CANT_WRITE)")]
    DatabaseCantWrite = 35,
    #[error("compilation failed (ERR_COMPILATION_FAILED)")]
    CompilationFailed = 36,
    #[error("method not found (ERR_METHOD_NOT_FOUND)")]
    MethodNotFound = 37,
    #[error("link failed (ERR_LINK_FAILED)")]
    LinkFailed = 38,
    #[error("script failed (ERR_SCRIPT_FAILED)")]
    ScriptFailed = 39,
    #[error("cyclic link (ERR_CYCLIC_LINK)")]
    CyclicLink = 40,
    #[error("invalid declaration (ERR_INVALID_DECLARATION)")]
    InvalidDeclaration = 41,
    #[error("duplicate symbol (ERR_DUPLICATE_SYMBOL)")]
    DuplicateSymbol = 42,
    #[error("parse error (ERR_PARSE_ERROR)")]
    ParseError = 43,
    #[error("busy (ERR_BUSY)")]
    Busy = 44,
    #[error("skip (ERR_SKIP)")]
    Skip = 45,
    #[error("help (ERR_HELP)")]
    Help = 46,
    #[error("bug (ERR_BUG)")]
    Bug = 47,
    #[error("printer on fire (ERR_PRINTER_ON_FIRE)")]
    PrinterOnFire = 48,
}

impl Error {
    /// The engine's number for this error.
    pub const fn code(self) -> i32 {
        self as i32
    }

    /// The engine's constant name, e.g. `"ERR_INVALID_DATA"`.
    pub const fn name(self) -> &'static str {
        match self {
            Error::Failed => "FAILED",
            Error::Unavailable => "ERR_UNAVAILABLE",
            Error::Unconfigured => "ERR_UNCONFIGURED",
            Error::Unauthorized => "ERR_UNAUTHORIZED",
            Error::ParameterRangeError => "ERR_PARAMETER_RANGE_ERROR",
            Error::OutOfMemory => "ERR_OUT_OF_MEMORY",
            Error::FileNotFound => "ERR_FILE_NOT_FOUND",
            Error::FileBadDrive => "ERR_FILE_BAD_DRIVE",
            Error::FileBadPath => "ERR_FILE_BAD_PATH",
            Error::FileNoPermission => "ERR_FILE_NO_PERMISSION",
            Error::FileAlreadyInUse => "ERR_FILE_ALREADY_IN_USE",
            Error::FileCantOpen => "ERR_FILE_CANT_OPEN",
            Error::FileCantWrite => "ERR_FILE_CANT_WRITE",
            Error::FileCantRead => "ERR_FILE_CANT_READ",
            Error::FileUnrecognized => "ERR_FILE_UNRECOGNIZED",
            Error::FileCorrupt => "ERR_FILE_CORRUPT",
            Error::FileMissingDependencies => "ERR_FILE_MISSING_DEPENDENCIES",
            Error::FileEof => "ERR_FILE_EOF",
            Error::CantOpen => "ERR_CANT_OPEN",
            Error::CantCreate => "ERR_CANT_CREATE",
            Error::QueryFailed => "ERR_QUERY_FAILED",
            Error::AlreadyInUse => "ERR_ALREADY_IN_USE",
            Error::Locked => "ERR_LOCKED",
            Error::Timeout => "ERR_TIMEOUT",
            Error::CantConnect => "ERR_CANT_CONNECT",
            Error::CantResolve => "ERR_CANT_RESOLVE",
            Error::ConnectionError => "ERR_CONNECTION_ERROR",
            Error::CantAcquireResource => "ERR_CANT_ACQUIRE_RESOURCE",
            Error::CantFork => "ERR_CANT_FORK",
            Error::InvalidData => "ERR_INVALID_DATA",
            Error::InvalidParameter => "ERR_INVALID_PARAMETER",
            Error::AlreadyExists => "ERR_ALREADY_EXISTS",
            Error::DoesNotExist => "ERR_DOES_NOT_EXIST",
            Error::DatabaseCantRead => "ERR_DATABASE_CANT_READ",
            Error::DatabaseCantWrite => "ERR_DATABASE_CANT_WRITE",
            Error::CompilationFailed => "ERR_COMPILATION_FAILED",
            Error::MethodNotFound => "ERR_METHOD_NOT_FOUND",
            Error::LinkFailed => "ERR_LINK_FAILED",
            Error::ScriptFailed => "ERR_SCRIPT_FAILED",
            Error::CyclicLink => "ERR_CYCLIC_LINK",
            Error::InvalidDeclaration => "ERR_INVALID_DECLARATION",
            Error::DuplicateSymbol => "ERR_DUPLICATE_SYMBOL",
            Error::ParseError => "ERR_PARSE_ERROR",
            Error::Busy => "ERR_BUSY",
            Error::Skip => "ERR_SKIP",
            Error::Help => "ERR_HELP",
            Error::Bug => "ERR_BUG",
            Error::PrinterOnFire => "ERR_PRINTER_ON_FIRE",
        }
    }

    /// The error with this engine number; `None` for 0 (`OK`), 49 (`ERR_MAX`) and anything else.
    pub const fn from_code(code: i32) -> Option<Error> {
        Some(match code {
            1 => Error::Failed,
            2 => Error::Unavailable,
            3 => Error::Unconfigured,
            4 => Error::Unauthorized,
            5 => Error::ParameterRangeError,
            6 => Error::OutOfMemory,
            7 => Error::FileNotFound,
            8 => Error::FileBadDrive,
            9 => Error::FileBadPath,
            10 => Error::FileNoPermission,
            11 => Error::FileAlreadyInUse,
            12 => Error::FileCantOpen,
            13 => Error::FileCantWrite,
            14 => Error::FileCantRead,
            15 => Error::FileUnrecognized,
            16 => Error::FileCorrupt,
            17 => Error::FileMissingDependencies,
            18 => Error::FileEof,
            19 => Error::CantOpen,
            20 => Error::CantCreate,
            21 => Error::QueryFailed,
            22 => Error::AlreadyInUse,
            23 => Error::Locked,
            24 => Error::Timeout,
            25 => Error::CantConnect,
            26 => Error::CantResolve,
            27 => Error::ConnectionError,
            28 => Error::CantAcquireResource,
            29 => Error::CantFork,
            30 => Error::InvalidData,
            31 => Error::InvalidParameter,
            32 => Error::AlreadyExists,
            33 => Error::DoesNotExist,
            34 => Error::DatabaseCantRead,
            35 => Error::DatabaseCantWrite,
            36 => Error::CompilationFailed,
            37 => Error::MethodNotFound,
            38 => Error::LinkFailed,
            39 => Error::ScriptFailed,
            40 => Error::CyclicLink,
            41 => Error::InvalidDeclaration,
            42 => Error::DuplicateSymbol,
            43 => Error::ParseError,
            44 => Error::Busy,
            45 => Error::Skip,
            46 => Error::Help,
            47 => Error::Bug,
            48 => Error::PrinterOnFire,
            _ => return None,
        })
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
        assert_eq!(Error::from_code(49), None);
        assert_eq!(Error::InvalidData.code(), 30);
        assert_eq!(Error::Busy.code(), 44);
        assert_eq!(Error::Bug.code(), 47);
    }
}
