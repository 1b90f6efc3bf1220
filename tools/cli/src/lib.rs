//! The `packetpeer` command-line tool's pieces, as a library so that its tests can reach them:
//! the typed text form ([`vartext`]), the JSON form ([`json`]) and the command implementations.

pub mod json;
pub mod math;
pub mod relay;
pub mod vartext;
