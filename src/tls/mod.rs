//! TLS and DTLS on the system OpenSSL (`docs/classes.md` §9, §10, §11): keys and certificates,
//! TLSOptions, StreamPeerTLS over any StreamPeer, PacketPeerDTLS over a connected PacketPeerUDP and
//! DTLSServer with cookies.
//!
//! Nothing here starts a thread or blocks in the background: handshakes, retransmission timers,
//! records and alerts all advance in `poll()` (and in the read/write calls). OpenSSL reads and writes
//! through a Rust object over our own transports (the `openssl` crate's stream BIO), so TLS runs over
//! any StreamPeer and DTLS over our UDP queues.
//!
//! Every object keeps the text of its last failure with OpenSSL's reason
//! (`get_last_error_text`), and counters of what it refused or dropped.
#![forbid(unsafe_code)]

pub mod crypto;
pub mod dtls;
pub mod enet_dtls;
mod io;
pub mod options;
pub mod stream;

pub use crypto::{generate_rsa, generate_self_signed_certificate, CryptoKey, X509Certificate};
pub use dtls::{DtlsServer, DtlsStats, PacketPeerDtls};
pub use io::Datagram;
pub use options::{
    set_certificate_bundle_override, set_certificate_bundle_override_path, TlsOptions,
    TlsOptionsKind,
};
pub use stream::StreamPeerTls;

use crate::error::Error;

/// Status of a TLS or DTLS session (StreamPeerTLS.Status and PacketPeerDTLS.Status share the values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum TlsStatus {
    Disconnected = 0,
    Handshaking = 1,
    Connected = 2,
    Error = 3,
    /// Only for a real name mismatch (the engine also uses it for any immediate handshake failure).
    ErrorHostnameMismatch = 4,
}

/// A failure with the text a user needs to see why (OpenSSL's reasons included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsError {
    pub code: Error,
    pub text: String,
}

impl TlsError {
    pub(crate) fn new(code: Error, what: &str, e: &openssl::error::ErrorStack) -> TlsError {
        TlsError {
            code,
            text: format!("{what}: {}", openssl_text(e)),
        }
    }

    pub(crate) fn plain(code: Error, text: &str) -> TlsError {
        TlsError {
            code,
            text: text.to_owned(),
        }
    }
}

impl std::fmt::Display for TlsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.text, self.code.name())
    }
}

impl From<TlsError> for Error {
    fn from(e: TlsError) -> Error {
        e.code
    }
}

/// OpenSSL's error stack as one line: the reason strings, `; `-separated.
pub(crate) fn openssl_text(e: &openssl::error::ErrorStack) -> String {
    let parts: Vec<String> = e
        .errors()
        .iter()
        .map(|x| {
            let reason = x.reason().unwrap_or("unknown reason");
            match x.data() {
                Some(d) if !d.is_empty() => format!("{reason} ({d})"),
                _ => reason.to_owned(),
            }
        })
        .collect();
    if parts.is_empty() {
        "no OpenSSL reason".to_owned()
    } else {
        parts.join("; ")
    }
}
