//! TLSOptions (`docs/classes.md` §9): the immutable configuration shared by StreamPeerTLS,
//! PacketPeerDTLS, DTLSServer (and later ENet over DTLS and `wss://`).
//!
//! Same as the engine: the three constructors and their getters; `client` verifies the peer's chain
//! (against `trusted_chain`, else the default CA bundle) and its name (`common_name_override`, else
//! the connect call's hostname), which is also sent as SNI; `client_unsafe` checks no name and sends
//! no SNI, and verifies the chain only when one is given; `server` sends the whole certificate chain
//! and asks for no client certificate. The default CA bundle is the system's (OpenSSL's default
//! paths) unless [`set_certificate_bundle_override`] (the engine's
//! `network/tls/certificate_bundle_override`) is set.
//!
//! Beyond the engine, opt-in:
//! - [`TlsOptions::with_pinned_sha256`]: the peer's certificate must have one of the given SHA-256
//!   fingerprints (of its DER). The pin replaces chain verification (so a self-signed server can be
//!   trusted without turning verification off); the name is still checked for `client` options.
//! - [`TlsOptions::with_tls13`]: per options rather than the engine's global
//!   `network/tls/enable_tls_v1.3` (default on; DTLS is always 1.2).
#![forbid(unsafe_code)]

use std::sync::{Arc, Mutex};

use openssl::ssl::{
    SslContext, SslContextBuilder, SslMethod, SslMode, SslOptions, SslVerifyMode, SslVersion,
};
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::{X509StoreContextRef, X509};

use super::crypto::{fingerprint, CryptoKey, X509Certificate};
use super::TlsError;
use crate::error::Error;

/// `X509_V_ERR_HOSTNAME_MISMATCH` (OpenSSL's x509_vfy.h).
pub(crate) const X509_V_ERR_HOSTNAME_MISMATCH: i32 = 62;

/// Cipher list for DTLS: OpenSSL's defaults less finite-field DHE and (3)DES, like Godot's mbedTLS
/// configuration (`docs/classes.md` §10).
const DTLS_CIPHERS: &str = "DEFAULT:!kDHE:!DES:!3DES:!aNULL:!eNULL";

static BUNDLE_OVERRIDE: Mutex<Option<Vec<X509>>> = Mutex::new(None);

/// Sets (Some: PEM bundle) or clears (None) the CA bundle used instead of the system's by `client`
/// options without a trusted chain. A bundle with no certificate is `ERR_INVALID_DATA`.
pub fn set_certificate_bundle_override(pem: Option<&[u8]>) -> Result<(), TlsError> {
    let certs = match pem {
        None => None,
        Some(p) => Some(X509Certificate::from_pem(p)?.chain().to_vec()),
    };
    *BUNDLE_OVERRIDE.lock().unwrap_or_else(|p| p.into_inner()) = certs;
    Ok(())
}

/// Largest CA bundle file [`set_certificate_bundle_override_path`] reads (the system's bundle is
/// about 200 kB).
pub const BUNDLE_FILE_MAX: u64 = 16 << 20;

/// Like [`set_certificate_bundle_override`], from a PEM file: the engine's
/// `network/tls/certificate_bundle_override` is a path. The file is read once, now; later changes
/// to it are not seen. None or an empty path clears the override (the engine: an empty setting
/// means the default bundle). Errors: `ERR_FILE_NOT_FOUND`, `ERR_FILE_NO_PERMISSION`,
/// `ERR_FILE_CANT_READ` (a directory, an I/O error, or larger than [`BUNDLE_FILE_MAX`]),
/// `ERR_INVALID_DATA` (no certificate in it); the override is unchanged on error.
pub fn set_certificate_bundle_override_path(
    path: Option<&std::path::Path>,
) -> Result<(), TlsError> {
    let Some(path) = path.filter(|p| !p.as_os_str().is_empty()) else {
        return set_certificate_bundle_override(None);
    };
    let fail = |code, why: &dyn std::fmt::Display| {
        TlsError::plain(code, &format!("CA bundle {}: {why}", path.display()))
    };
    let f = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => fail(Error::FileNotFound, &e),
        std::io::ErrorKind::PermissionDenied => fail(Error::FileNoPermission, &e),
        _ => fail(Error::FileCantOpen, &e),
    })?;
    let mut pem = Vec::new();
    use std::io::Read;
    f.take(BUNDLE_FILE_MAX + 1)
        .read_to_end(&mut pem)
        .map_err(|e| fail(Error::FileCantRead, &e))?;
    if pem.len() as u64 > BUNDLE_FILE_MAX {
        return Err(fail(
            Error::FileCantRead,
            &format_args!("larger than {BUNDLE_FILE_MAX} bytes"),
        ));
    }
    set_certificate_bundle_override(Some(&pem)).map_err(|e| TlsError {
        code: e.code,
        text: format!("CA bundle {}: {}", path.display(), e.text),
    })
}

/// Which constructor made the options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsOptionsKind {
    Client,
    ClientUnsafe,
    Server,
}

#[derive(Debug)]
struct Inner {
    kind: TlsOptionsKind,
    trusted: Option<X509Certificate>,
    common_name_override: String,
    key: Option<CryptoKey>,
    cert: Option<X509Certificate>,
    pins: Vec<[u8; 32]>,
    tls13: bool,
}

/// Immutable TLS configuration; cloning shares it (the engine's `Ref<TLSOptions>`).
#[derive(Debug, Clone)]
pub struct TlsOptions(Arc<Inner>);

impl TlsOptions {
    fn make(kind: TlsOptionsKind) -> Inner {
        Inner {
            kind,
            trusted: None,
            common_name_override: String::new(),
            key: None,
            cert: None,
            pins: Vec::new(),
            tls13: true,
        }
    }

    /// `TLSOptions.client(trusted_chain = null, common_name_override = "")`.
    pub fn client(trusted_chain: Option<X509Certificate>, common_name_override: &str) -> Self {
        let mut i = Self::make(TlsOptionsKind::Client);
        i.trusted = trusted_chain;
        i.common_name_override = common_name_override.to_owned();
        TlsOptions(Arc::new(i))
    }

    /// `TLSOptions.client_unsafe(trusted_chain = null)`.
    pub fn client_unsafe(trusted_chain: Option<X509Certificate>) -> Self {
        let mut i = Self::make(TlsOptionsKind::ClientUnsafe);
        i.trusted = trusted_chain;
        TlsOptions(Arc::new(i))
    }

    /// `TLSOptions.server(key, certificate)`. A public-only key is `ERR_INVALID_PARAMETER`, and so is
    /// a key that does not match the certificate (the engine finds out at the first handshake).
    pub fn server(key: CryptoKey, certificate: X509Certificate) -> Result<Self, TlsError> {
        let Some(pk) = key.private() else {
            return Err(TlsError::plain(
                Error::InvalidParameter,
                "TLSOptions.server: the key is public-only",
            ));
        };
        let leaf_key = certificate
            .leaf()
            .public_key()
            .map_err(|e| TlsError::new(Error::InvalidParameter, "certificate key", &e))?;
        if !pk.public_eq(&leaf_key) {
            return Err(TlsError::plain(
                Error::InvalidParameter,
                "TLSOptions.server: the key does not match the certificate",
            ));
        }
        let mut i = Self::make(TlsOptionsKind::Server);
        i.key = Some(key);
        i.cert = Some(certificate);
        Ok(TlsOptions(Arc::new(i)))
    }

    /// New options equal to these plus fingerprint pins (see the module doc). Server options ignore
    /// pins (no client certificates are requested).
    pub fn with_pinned_sha256(&self, pins: &[[u8; 32]]) -> Self {
        let mut i = self.copy();
        i.pins = pins.to_vec();
        TlsOptions(Arc::new(i))
    }

    /// New options equal to these with TLS 1.3 allowed or not (stream TLS only).
    pub fn with_tls13(&self, enabled: bool) -> Self {
        let mut i = self.copy();
        i.tls13 = enabled;
        TlsOptions(Arc::new(i))
    }

    fn copy(&self) -> Inner {
        Inner {
            kind: self.0.kind,
            trusted: self.0.trusted.clone(),
            common_name_override: self.0.common_name_override.clone(),
            key: self.0.key.clone(),
            cert: self.0.cert.clone(),
            pins: self.0.pins.clone(),
            tls13: self.0.tls13,
        }
    }

    pub fn kind(&self) -> TlsOptionsKind {
        self.0.kind
    }
    pub fn is_server(&self) -> bool {
        self.0.kind == TlsOptionsKind::Server
    }
    pub fn is_unsafe_client(&self) -> bool {
        self.0.kind == TlsOptionsKind::ClientUnsafe
    }
    pub fn get_common_name_override(&self) -> &str {
        &self.0.common_name_override
    }
    pub fn get_trusted_ca_chain(&self) -> Option<&X509Certificate> {
        self.0.trusted.as_ref()
    }
    pub fn get_private_key(&self) -> Option<&CryptoKey> {
        self.0.key.as_ref()
    }
    pub fn get_own_certificate(&self) -> Option<&X509Certificate> {
        self.0.cert.as_ref()
    }
    pub fn pins(&self) -> &[[u8; 32]] {
        &self.0.pins
    }
    pub fn tls13(&self) -> bool {
        self.0.tls13
    }

    /// Whether the options verify the peer at all.
    fn verifies(&self) -> bool {
        match self.0.kind {
            TlsOptionsKind::Client => true,
            TlsOptionsKind::ClientUnsafe => self.0.trusted.is_some() || !self.0.pins.is_empty(),
            TlsOptionsKind::Server => false,
        }
    }

    /// The name to check and send as SNI for a connection to `hostname` (None: none).
    pub(crate) fn expected_name<'a>(&'a self, hostname: &'a str) -> Option<&'a str> {
        if self.0.kind != TlsOptionsKind::Client {
            return None;
        }
        let n = if self.0.common_name_override.is_empty() {
            hostname
        } else {
            &self.0.common_name_override
        };
        (!n.is_empty()).then_some(n)
    }

    /// A client context (TLS, or DTLS 1.2 when `dtls`) with the trust and verification settings.
    pub(crate) fn client_context(&self, dtls: bool) -> Result<SslContext, TlsError> {
        if self.is_server() {
            return Err(TlsError::plain(
                Error::InvalidParameter,
                "server options given where client options are needed",
            ));
        }
        let mut b = base_builder(dtls, self.0.tls13)?;
        let fail = |e| TlsError::new(Error::Failed, "client context", &e);
        if self.verifies() {
            if let Some(t) = &self.0.trusted {
                b.set_verify_cert_store(store_of(t.chain())?)
                    .map_err(fail)?;
            } else if self.0.kind == TlsOptionsKind::Client {
                let over = BUNDLE_OVERRIDE
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .clone();
                match over {
                    Some(certs) => b.set_verify_cert_store(store_of(&certs)?).map_err(fail)?,
                    None => b
                        .set_default_verify_paths()
                        .map_err(|e| TlsError::new(Error::Unconfigured, "system CA bundle", &e))?,
                }
            }
            let pins = self.0.pins.clone();
            if pins.is_empty() {
                b.set_verify(SslVerifyMode::PEER);
            } else {
                b.set_verify_callback(SslVerifyMode::PEER, move |ok, ctx| {
                    pinned_verify(&pins, ok, ctx)
                });
            }
        } else {
            b.set_verify(SslVerifyMode::NONE);
        }
        Ok(b.build())
    }

    /// A server context builder (the DTLS server adds its cookie callbacks before building).
    pub(crate) fn server_builder(&self, dtls: bool) -> Result<SslContextBuilder, TlsError> {
        let (Some(key), Some(cert)) = (self.0.key.as_ref(), self.0.cert.as_ref()) else {
            return Err(TlsError::plain(
                Error::InvalidParameter,
                "client options given where server options are needed",
            ));
        };
        let Some(pk) = key.private() else {
            return Err(TlsError::plain(Error::InvalidParameter, "public-only key"));
        };
        let mut b = base_builder(dtls, self.0.tls13)?;
        let fail = |e| TlsError::new(Error::InvalidParameter, "server certificate", &e);
        b.set_private_key(pk).map_err(fail)?;
        b.set_certificate(cert.leaf()).map_err(fail)?;
        for extra in cert.chain().iter().skip(1) {
            b.add_extra_chain_cert(extra.clone()).map_err(fail)?;
        }
        b.check_private_key().map_err(fail)?;
        b.set_verify(SslVerifyMode::NONE);
        Ok(b)
    }
}

/// The verify callback with pins: chain errors are forgiven when the leaf's fingerprint is pinned;
/// a name mismatch is not; a leaf that is not pinned fails.
fn pinned_verify(pins: &[[u8; 32]], _ok: bool, ctx: &mut X509StoreContextRef) -> bool {
    if ctx.error_depth() > 0 {
        return true;
    }
    if ctx.error().as_raw() == X509_V_ERR_HOSTNAME_MISMATCH {
        return false;
    }
    match ctx.current_cert().map(fingerprint) {
        Some(Ok(fp)) => pins.contains(&fp),
        _ => false,
    }
}

fn store_of(certs: &[X509]) -> Result<openssl::x509::store::X509Store, TlsError> {
    let fail = |e| TlsError::new(Error::InvalidData, "trusted chain", &e);
    let mut s = X509StoreBuilder::new().map_err(fail)?;
    for c in certs {
        s.add_cert(c.clone()).map_err(fail)?;
    }
    Ok(s.build())
}

fn base_builder(dtls: bool, tls13: bool) -> Result<SslContextBuilder, TlsError> {
    let fail = |e| TlsError::new(Error::Failed, "TLS context", &e);
    let method = if dtls {
        SslMethod::dtls()
    } else {
        SslMethod::tls()
    };
    let mut b = SslContextBuilder::new(method).map_err(fail)?;
    if dtls {
        b.set_min_proto_version(Some(SslVersion::DTLS1_2))
            .map_err(fail)?;
        b.set_max_proto_version(Some(SslVersion::DTLS1_2))
            .map_err(fail)?;
        b.set_cipher_list(DTLS_CIPHERS).map_err(fail)?;
        // The MTU is set on each session; never ask the transport (it is not a socket BIO).
        b.set_options(SslOptions::NO_QUERY_MTU);
    } else {
        b.set_min_proto_version(Some(SslVersion::TLS1_2))
            .map_err(fail)?;
        let max = if tls13 {
            SslVersion::TLS1_3
        } else {
            SslVersion::TLS1_2
        };
        b.set_max_proto_version(Some(max)).map_err(fail)?;
    }
    b.set_options(SslOptions::NO_COMPRESSION | SslOptions::NO_RENEGOTIATION);
    b.set_mode(SslMode::ENABLE_PARTIAL_WRITE | SslMode::ACCEPT_MOVING_WRITE_BUFFER);
    Ok(b)
}
