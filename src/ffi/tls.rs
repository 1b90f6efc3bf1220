//! C API of TLS and DTLS (`docs/classes.md` §9, §10, §11): CryptoKey (`pp_crypto_key`),
//! X509Certificate (`pp_x509_certificate`), the Crypto helpers, TLSOptions (`pp_tls_options`),
//! StreamPeerTLS (a `pp_stream_peer`), PacketPeerDTLS (a `pp_peer`) and DTLSServer
//! (`pp_dtls_server`), on the system OpenSSL.
//!
//! Keys, certificates and options are immutable once made; their handles may be used from any
//! thread and freed in any order (objects that use them keep what they need). A StreamPeerTLS is
//! read and written with the StreamPeer base calls (`pp_stream_peer_put_data`, …; so it can also be
//! the stream of a PacketPeerStream); a PacketPeerDTLS with the PacketPeer base calls
//! (`pp_put_packet`, `pp_get_packet`, `pp_put_var`, …). Nothing runs in the background: handshakes,
//! retransmissions and incoming records advance in the `_poll` calls (and in reads and writes).
//!
//! Why a handshake failed: `pp_stream_peer_tls_get_last_error_text`,
//! `pp_packet_peer_dtls_get_last_error_text`, `pp_dtls_server_get_last_error_text` (OpenSSL's reason
//! and the certificate verify result); why a load or constructor failed: `pp_tls_get_last_error_text`
//! (per thread).
//!
//! Differences from the engine, on purpose (details on each call): `PP_TLS_STATUS_ERROR_HOSTNAME_MISMATCH`
//! only for a real name mismatch; a DTLS `get_packet` with nothing ready is `PP_ERR_UNAVAILABLE` (the
//! engine: an empty OK); a DTLS datagram the socket would not take is `PP_ERR_BUSY` and counted (the
//! engine reports OK and loses it); a new DTLS source that is not a ClientHello gets no state;
//! handshakes time out (60 s by default); a DTLSServer bounds its handshakes under way; optional
//! SHA-256 pinning; a private key is saved as PKCS#8 PEM.
// The exports take raw pointers from C by design; each dereference is checked and has a SAFETY note.
#![allow(clippy::not_unsafe_ptr_arg_deref)]
use std::cell::RefCell;
use std::ffi::c_char;
use std::time::Duration;

use super::boundary::c_enum_return;
use super::{
    ffi_boundary, free_handle, in_slice, in_str, map, new_handle, new_peer, new_stream, out,
    out_opt, out_slice, pp_error, pp_peer, pp_stream_peer, try_opt_ref, try_ref, with_class,
    with_excl, write_text, Castable, Excl, SharedStream, StreamPeerObject, INVALID,
};
use crate::net::udp::PacketPeerUdp;
use crate::tls::dtls::{transport_id, DtlsServer, PacketPeerDtls};
use crate::tls::{
    generate_rsa, generate_self_signed_certificate, set_certificate_bundle_override,
    set_certificate_bundle_override_path, CryptoKey, StreamPeerTls, TlsError, TlsOptions,
    TlsStatus, X509Certificate,
};

/// The StreamPeerTLS class behind a `pp_stream_peer`.
pub(crate) type FfiStreamPeerTls = StreamPeerTls<dyn StreamPeerObject>;

/// Status of a StreamPeerTLS or a PacketPeerDTLS (Godot's `StreamPeerTLS.Status` and
/// `PacketPeerDTLS.Status`, same values). `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_tls_status {
    /// No session (never connected, closed by either side, or released).
    PP_TLS_STATUS_DISCONNECTED = 0,
    /// Handshake under way: keep calling the object's `_poll`.
    PP_TLS_STATUS_HANDSHAKING = 1,
    /// Connected: data can be read and written.
    PP_TLS_STATUS_CONNECTED = 2,
    /// The handshake or the session failed (see the object's `_get_last_error_text`).
    PP_TLS_STATUS_ERROR = 3,
    /// The peer's certificate does not match the expected name. Only for a real mismatch (the
    /// engine also uses it for any immediate handshake failure).
    PP_TLS_STATUS_ERROR_HOSTNAME_MISMATCH = 4,
}
c_enum_return!(pp_tls_status => pp_tls_status::PP_TLS_STATUS_DISCONNECTED);

pub(crate) fn c_status(s: TlsStatus) -> pp_tls_status {
    use pp_tls_status::*;
    match s {
        TlsStatus::Disconnected => PP_TLS_STATUS_DISCONNECTED,
        TlsStatus::Handshaking => PP_TLS_STATUS_HANDSHAKING,
        TlsStatus::Connected => PP_TLS_STATUS_CONNECTED,
        TlsStatus::Error => PP_TLS_STATUS_ERROR,
        TlsStatus::ErrorHostnameMismatch => PP_TLS_STATUS_ERROR_HOSTNAME_MISMATCH,
    }
}

/// Which constructor made a `pp_tls_options` (`pp_tls_options_get_kind`). `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_tls_options_kind {
    /// `pp_tls_options_client`.
    PP_TLS_OPTIONS_CLIENT = 0,
    /// `pp_tls_options_client_unsafe`.
    PP_TLS_OPTIONS_CLIENT_UNSAFE = 1,
    /// `pp_tls_options_server`.
    PP_TLS_OPTIONS_SERVER = 2,
}
c_enum_return!(pp_tls_options_kind => pp_tls_options_kind::PP_TLS_OPTIONS_CLIENT);

/// Opaque handle to a CryptoKey (private, or public-only). Free with `pp_crypto_key_free`.
pub struct pp_crypto_key {
    _private: [u8; 0],
}
// SAFETY: unique ID.
unsafe impl Castable for pp_crypto_key {
    type Rust = CryptoKey;
    const ID: u16 = 20;
}

/// Opaque handle to an X509Certificate: one certificate or a chain, leaf first. Free with
/// `pp_x509_certificate_free`.
pub struct pp_x509_certificate {
    _private: [u8; 0],
}
// SAFETY: unique ID.
unsafe impl Castable for pp_x509_certificate {
    type Rust = X509Certificate;
    const ID: u16 = 21;
}

/// Opaque handle to a TLSOptions (immutable). Free with `pp_tls_options_free`.
pub struct pp_tls_options {
    _private: [u8; 0],
}
// SAFETY: unique ID.
unsafe impl Castable for pp_tls_options {
    type Rust = TlsOptions;
    const ID: u16 = 22;
}

/// Opaque handle to a DTLSServer. Free with `pp_dtls_server_free`.
pub struct pp_dtls_server {
    _private: [u8; 0],
}
// SAFETY: unique ID.
unsafe impl Castable for pp_dtls_server {
    type Rust = Excl<DtlsServer>;
    const ID: u16 = 23;
}

/// Counters of a PacketPeerDTLS (`pp_packet_peer_dtls_get_stats`); they start at 0 and only grow.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct pp_dtls_stats {
    /// Handshakes that completed.
    pub handshakes_completed: u64,
    /// Handshakes that failed (verification, alert, timeout, pin).
    pub handshakes_failed: u64,
    /// Datagrams read from the UDP peer (including ones OpenSSL then discarded as invalid).
    pub datagrams_in: u64,
    /// Datagrams sent.
    pub datagrams_out: u64,
    /// Application packets decrypted.
    pub packets_in: u64,
    /// Application packets sent.
    pub packets_out: u64,
    /// Datagrams the socket would not take (dropped; `pp_put_packet` returned `PP_ERR_BUSY`).
    pub send_busy: u64,
    /// Decrypted packets dropped because the receive queue was full (1024 packets or 1 MiB).
    pub queue_drops: u64,
    /// Fatal record errors after the handshake.
    pub record_errors: u64,
    /// Datagrams read after the handshake that delivered no packet, which OpenSSL discards silently:
    /// replayed records (the DTLS replay window), records failing authentication or of another
    /// epoch, handshake retransmissions. Nothing is delivered twice.
    pub records_discarded: u64,
}

/// Counters of a StreamPeerTLS (`pp_stream_peer_tls_get_stats`); they start at 0 and only grow
/// (a new `connect_to_stream`/`accept_stream` on the same stream keeps counting).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct pp_tls_stats {
    /// Handshakes that completed.
    pub handshakes_completed: u64,
    /// Handshakes that failed (verification, alert, timeout, pin, transport error).
    pub handshakes_failed: u64,
    /// Plaintext bytes decrypted from the peer (read by the caller or waiting to be).
    pub bytes_in: u64,
    /// Plaintext bytes the put calls took (encrypted and queued for the transport).
    pub bytes_out: u64,
    /// Put calls refused (nothing taken) because the transport had not taken the bytes queued
    /// before (the caller retries; `pp_stream_peer_put_partial_data` returns 0 sent).
    pub writes_refused: u64,
}

/// Counters of an ENet host's DTLS layer (`pp_enet_connection_get_dtls_stats`); they start at 0
/// when DTLS is set up and only grow.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct pp_enet_dtls_stats {
    /// Datagrams from sources without a live session (dropped; on a server also a first datagram
    /// that is no ClientHello, and each ClientHello answered by the cookie round).
    pub dropped_no_session: u64,
    /// New sources refused (server): the handshakes from new sources were at their bound (16), or
    /// new connections are refused.
    pub refused_sources: u64,
    /// ENet datagrams dropped because their session was still handshaking (ENet resends them).
    pub dropped_handshaking: u64,
    /// Datagrams dropped because a session's input queue or the decrypted inbox was full.
    pub dropped_queue_full: u64,
    /// Sessions removed after an error or a close.
    pub sessions_closed: u64,
    /// Sessions that completed their handshake.
    pub sessions_connected: u64,
}

/// Counters of a DTLSServer (`pp_dtls_server_get_stats`).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct pp_dtls_server_stats {
    /// ClientHellos without a valid cookie, answered with a HelloVerifyRequest (the cookie round).
    pub cookie_rounds: u64,
    /// Verified handshakes refused because `max_handshakes` were under way.
    pub refused_handshakes: u64,
    /// New sources whose first datagram was not a usable ClientHello (garbage, fragments, …).
    pub failed_first_steps: u64,
    /// Handshakes started after a verified cookie.
    pub handshakes_started: u64,
    /// Handshakes under way now (started, not yet connected, failed or freed).
    pub handshakes_under_way: u64,
}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Records a constructor's failure text for `pp_tls_get_last_error_text`; the C code.
fn note(e: TlsError) -> pp_error {
    LAST_ERROR.with(|l| *l.borrow_mut() = e.text.clone());
    pp_error::from(e.code)
}

/// Copies the text of the last failed key/certificate load, Crypto helper or TLSOptions
/// constructor of the calling thread (OpenSSL's reason included; `""` if none failed yet), with the
/// library's text rule: `*out_len` (if not NULL) gets the length without the NUL; the text and its
/// NUL are copied when `size > length`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` if `buf` is too small (nothing copied);
/// `PP_ERR_INVALID_PARAMETER` for `(NULL, size > 0)`.
#[no_mangle]
pub unsafe extern "C" fn pp_tls_get_last_error_text(
    buf: *mut c_char,
    size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let t = LAST_ERROR.with(|l| l.borrow().clone());
        let out_len = out_opt!(out_len);
        // SAFETY: a non-NULL `buf` has `size` writable bytes (caller's contract).
        unsafe { write_text(&t, buf, size, out_len) }
    }
}

// ---------------------------------------------------------------- CryptoKey / X509Certificate

/// Loads a key from PEM (`CryptoKey.load_from_string`).
///
/// - `pem`, `len`: the PEM text (no NUL needed). With `public_only`, a `PUBLIC KEY` block; without,
///   an unencrypted private key (PKCS#8, PKCS#1 RSA or SEC1 EC).
/// - `out_key`: receives the key; free it with `pp_crypto_key_free`.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_DATA` if the text is not such a key (reason:
/// `pp_tls_get_last_error_text`); `PP_ERR_INVALID_PARAMETER` for NULL arguments.
#[no_mangle]
pub unsafe extern "C" fn pp_crypto_key_load_pem(
    pem: *const u8,
    len: usize,
    public_only: bool,
    out_key: *mut *mut pp_crypto_key,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_key);
        // SAFETY: a non-NULL `pem` has `len` readable bytes (caller's contract).
        let pem = unsafe { in_slice(pem, len) }?;
        let k = CryptoKey::from_pem(pem, public_only).map_err(note)?;
        out.write(new_handle::<pp_crypto_key>(k));
        Ok(())
    }
}

/// Loads a key from DER (SubjectPublicKeyInfo with `public_only`, else a private key). As
/// `pp_crypto_key_load_pem` otherwise.
#[no_mangle]
pub unsafe extern "C" fn pp_crypto_key_load_der(
    der: *const u8,
    len: usize,
    public_only: bool,
    out_key: *mut *mut pp_crypto_key,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_key);
        // SAFETY: a non-NULL `der` has `len` readable bytes (caller's contract).
        let der = unsafe { in_slice(der, len) }?;
        let k = CryptoKey::from_der(der, public_only).map_err(note)?;
        out.write(new_handle::<pp_crypto_key>(k));
        Ok(())
    }
}

/// Saves a key as PEM (`CryptoKey.save_to_string`): the private key as PKCS#8 (`BEGIN PRIVATE KEY`;
/// mbedTLS writes `BEGIN RSA PRIVATE KEY` for RSA — both load anywhere), or with `public_only` (and
/// always for a public-only key) the public key. Text rule as `pp_tls_get_last_error_text`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` if `buf` is too small (`*out_len` tells the
/// size); `PP_ERR_INVALID_PARAMETER` for NULL `key` or `(NULL, size > 0)`.
#[no_mangle]
pub unsafe extern "C" fn pp_crypto_key_save_pem(
    key: *const pp_crypto_key,
    public_only: bool,
    buf: *mut c_char,
    size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let k = try_ref!(key);
        let pem = k.to_pem(public_only).map_err(note)?;
        let out_len = out_opt!(out_len);
        // SAFETY: a non-NULL `buf` has `size` writable bytes (caller's contract).
        unsafe { write_text(&pem, buf, size, out_len) }
    }
}

/// Whether the key has no private part (`CryptoKey.is_public_only`). False for NULL.
#[no_mangle]
pub extern "C" fn pp_crypto_key_is_public_only(key: *const pp_crypto_key) -> bool {
    ffi_boundary! { try_ref!(key).is_public_only() }
}

/// Frees a key handle. NULL is a no-op; options made with it keep their own reference.
#[no_mangle]
pub unsafe extern "C" fn pp_crypto_key_free(key: *mut pp_crypto_key) {
    ffi_boundary! {
        // SAFETY: NULL or a handle from this library, not freed yet (the caller's contract).
        unsafe { free_handle(key) }
    }
}

/// Loads one certificate or a chain (PEM blocks concatenated, leaf first) from PEM
/// (`X509Certificate.load_from_string`).
///
/// - `out_cert`: receives the certificate; free it with `pp_x509_certificate_free`.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_DATA` if there is no valid certificate (reason:
/// `pp_tls_get_last_error_text`); `PP_ERR_INVALID_PARAMETER` for NULL arguments.
#[no_mangle]
pub unsafe extern "C" fn pp_x509_certificate_load_pem(
    pem: *const u8,
    len: usize,
    out_cert: *mut *mut pp_x509_certificate,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_cert);
        // SAFETY: a non-NULL `pem` has `len` readable bytes (caller's contract).
        let pem = unsafe { in_slice(pem, len) }?;
        let c = X509Certificate::from_pem(pem).map_err(note)?;
        out.write(new_handle::<pp_x509_certificate>(c));
        Ok(())
    }
}

/// Loads one certificate from DER. As `pp_x509_certificate_load_pem` otherwise.
#[no_mangle]
pub unsafe extern "C" fn pp_x509_certificate_load_der(
    der: *const u8,
    len: usize,
    out_cert: *mut *mut pp_x509_certificate,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_cert);
        // SAFETY: a non-NULL `der` has `len` readable bytes (caller's contract).
        let der = unsafe { in_slice(der, len) }?;
        let c = X509Certificate::from_der(der).map_err(note)?;
        out.write(new_handle::<pp_x509_certificate>(c));
        Ok(())
    }
}

/// Saves every certificate of the chain as PEM, concatenated (`X509Certificate.save_to_string`).
/// Text rule and codes as `pp_crypto_key_save_pem`.
#[no_mangle]
pub unsafe extern "C" fn pp_x509_certificate_save_pem(
    cert: *const pp_x509_certificate,
    buf: *mut c_char,
    size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(cert);
        let pem = c.to_pem().map_err(note)?;
        let out_len = out_opt!(out_len);
        // SAFETY: a non-NULL `buf` has `size` writable bytes (caller's contract).
        unsafe { write_text(&pem, buf, size, out_len) }
    }
}

/// Number of certificates in the chain (at least 1); 0 for NULL.
#[no_mangle]
pub extern "C" fn pp_x509_certificate_get_count(cert: *const pp_x509_certificate) -> i32 {
    ffi_boundary! { try_ref!(cert).chain().len().min(i32::MAX as usize) as i32 }
}

/// Size of a SHA-256 fingerprint (`pp_x509_certificate_get_sha256`).
pub const PP_SHA256_SIZE: usize = 32;

/// The SHA-256 fingerprint of the first certificate's DER encoding (what
/// `pp_tls_options_with_pinned_sha256` compares), written to `out_sha256` (`PP_SHA256_SIZE` bytes).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments.
#[no_mangle]
pub unsafe extern "C" fn pp_x509_certificate_get_sha256(
    cert: *const pp_x509_certificate,
    out_sha256: *mut u8,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(cert);
        // SAFETY: a non-NULL `out_sha256` has PP_SHA256_SIZE writable bytes (caller's contract).
        let out = unsafe { out_slice(out_sha256, PP_SHA256_SIZE) }?;
        out.copy_from_slice(&c.sha256_fingerprint().map_err(note)?);
        Ok(())
    }
}

/// Frees a certificate handle. NULL is a no-op; options made with it keep their own reference.
#[no_mangle]
pub unsafe extern "C" fn pp_x509_certificate_free(cert: *mut pp_x509_certificate) {
    ffi_boundary! {
        // SAFETY: NULL or a handle from this library, not freed yet (the caller's contract).
        unsafe { free_handle(cert) }
    }
}

/// `Crypto.generate_rsa(size)`: a new RSA private key, public exponent 65537.
///
/// - `bits`: 1024..=8192 (the engine leaves the range to mbedTLS).
/// - `out_key`: receives the key; free it with `pp_crypto_key_free`.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a size out of range or NULL `out_key`;
/// `PP_FAILED` if OpenSSL fails.
#[no_mangle]
pub unsafe extern "C" fn pp_crypto_generate_rsa(
    bits: i32,
    out_key: *mut *mut pp_crypto_key,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_key);
        let k = generate_rsa(bits).map_err(note)?;
        out.write(new_handle::<pp_crypto_key>(k));
        Ok(())
    }
}

/// `Crypto.generate_self_signed_certificate(key, issuer_name, not_before, not_after)`: subject =
/// issuer = the name, serial 1, SHA-256 signature, CA:TRUE (so it can also be a client's trusted
/// chain), like the engine.
///
/// - `key`: a private key (RSA or EC).
/// - `issuer_name`: Godot's format, e.g. `"CN=myserver,O=myorganisation,C=IT"`; NULL = that default.
/// - `not_before`, `not_after`: UTC `"YYYYMMDDhhmmss"`; NULL = `"20140101000000"` /
///   `"20340101000000"` (the engine's defaults).
/// - `out_cert`: receives the certificate; free it with `pp_x509_certificate_free`.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a public-only key, a malformed name or date,
/// NULL `key`/`out_cert` (reason: `pp_tls_get_last_error_text`); `PP_FAILED` if OpenSSL fails.
#[no_mangle]
pub unsafe extern "C" fn pp_crypto_generate_self_signed_certificate(
    key: *const pp_crypto_key,
    issuer_name: *const c_char,
    not_before: *const c_char,
    not_after: *const c_char,
    out_cert: *mut *mut pp_x509_certificate,
) -> pp_error {
    ffi_boundary! {
        let k = try_ref!(key);
        let out = out!(out_cert);
        let opt = |p: *const c_char, d: &'static str| -> Result<&str, pp_error> {
            if p.is_null() {
                Ok(d)
            } else {
                // SAFETY: a non-NULL pointer is a NUL-terminated string (caller's contract).
                unsafe { in_str(p) }
            }
        };
        let name = opt(issuer_name, "CN=myserver,O=myorganisation,C=IT")?;
        let nb = opt(not_before, "20140101000000")?;
        let na = opt(not_after, "20340101000000")?;
        let c = generate_self_signed_certificate(k, name, nb, na).map_err(note)?;
        out.write(new_handle::<pp_x509_certificate>(c));
        Ok(())
    }
}

// ---------------------------------------------------------------- TLSOptions

/// `TLSOptions.client(trusted_chain, common_name_override)`: verify the peer's chain (against
/// `trusted_chain`, else the CA bundle: the system's unless `pp_tls_set_certificate_bundle_override`)
/// and its name (`common_name_override` if not NULL/empty, else the connect call's name), which is
/// also sent as SNI (an IP address is checked against the certificate's IP entries, not sent).
///
/// - `trusted_chain`: NULL or a certificate handle (copied; free yours when you like).
/// - `out_options`: receives the options; free them with `pp_tls_options_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL `out_options`, a handle of another type,
/// or a name that is not UTF-8.
#[no_mangle]
pub unsafe extern "C" fn pp_tls_options_client(
    trusted_chain: *const pp_x509_certificate,
    common_name_override: *const c_char,
    out_options: *mut *mut pp_tls_options,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_options);
        let chain = try_opt_ref!(trusted_chain).cloned();
        let cn = if common_name_override.is_null() {
            ""
        } else {
            // SAFETY: a non-NULL pointer is a NUL-terminated string (caller's contract).
            unsafe { in_str(common_name_override) }?
        };
        out.write(new_handle::<pp_tls_options>(TlsOptions::client(chain, cn)));
        Ok(())
    }
}

/// `TLSOptions.client_unsafe(trusted_chain)`: no name check, no SNI; the chain is verified against
/// `trusted_chain` when one is given, otherwise nothing is verified. Codes as
/// `pp_tls_options_client`.
#[no_mangle]
pub unsafe extern "C" fn pp_tls_options_client_unsafe(
    trusted_chain: *const pp_x509_certificate,
    out_options: *mut *mut pp_tls_options,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_options);
        let chain = try_opt_ref!(trusted_chain).cloned();
        out.write(new_handle::<pp_tls_options>(TlsOptions::client_unsafe(chain)));
        Ok(())
    }
}

/// `TLSOptions.server(key, certificate)`: the certificate may be a chain (sent whole); no client
/// certificates are asked for.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL arguments, a public-only key, or a key that
/// does not match the certificate (the engine finds that out at the first handshake; reason:
/// `pp_tls_get_last_error_text`).
#[no_mangle]
pub unsafe extern "C" fn pp_tls_options_server(
    key: *const pp_crypto_key,
    certificate: *const pp_x509_certificate,
    out_options: *mut *mut pp_tls_options,
) -> pp_error {
    ffi_boundary! {
        let k = try_ref!(key);
        let c = try_ref!(certificate);
        let out = out!(out_options);
        let o = TlsOptions::server(k.clone(), c.clone()).map_err(note)?;
        out.write(new_handle::<pp_tls_options>(o));
        Ok(())
    }
}

/// Beyond the engine: new options equal to `options` that also require the peer's certificate to
/// have one of `count` SHA-256 fingerprints (`PP_SHA256_SIZE` bytes each, back to back in
/// `sha256s`; see
/// `pp_x509_certificate_get_sha256`). A pin replaces chain verification (a self-signed server can be
/// trusted without turning verification off); client options still check the name. Server options
/// ignore pins. `count` 0 removes the pins.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments (`sha256s` may be NULL when
/// `count` is 0).
#[no_mangle]
pub unsafe extern "C" fn pp_tls_options_with_pinned_sha256(
    options: *const pp_tls_options,
    sha256s: *const u8,
    count: usize,
    out_options: *mut *mut pp_tls_options,
) -> pp_error {
    ffi_boundary! {
        let o = try_ref!(options);
        let out = out!(out_options);
        let bytes = count.checked_mul(PP_SHA256_SIZE).ok_or(INVALID)?;
        // SAFETY: a non-NULL `sha256s` has `count * PP_SHA256_SIZE` readable bytes (caller's
        // contract).
        let raw = unsafe { in_slice(sha256s, bytes) }?;
        let pins: Vec<[u8; 32]> = raw
            .chunks_exact(PP_SHA256_SIZE)
            .map(|c| {
                let mut a = [0u8; 32];
                a.copy_from_slice(c);
                a
            })
            .collect();
        out.write(new_handle::<pp_tls_options>(o.with_pinned_sha256(&pins)));
        Ok(())
    }
}

/// New options equal to `options` with TLS 1.3 allowed (`true`, the default) or not (stream TLS
/// only; DTLS is always 1.2). The engine has one global setting (`network/tls/enable_tls_v1.3`).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments.
#[no_mangle]
pub unsafe extern "C" fn pp_tls_options_with_tls13(
    options: *const pp_tls_options,
    enabled: bool,
    out_options: *mut *mut pp_tls_options,
) -> pp_error {
    ffi_boundary! {
        let o = try_ref!(options);
        let out = out!(out_options);
        out.write(new_handle::<pp_tls_options>(o.with_tls13(enabled)));
        Ok(())
    }
}

/// Which constructor made the options; `PP_TLS_OPTIONS_CLIENT` for NULL.
#[no_mangle]
pub extern "C" fn pp_tls_options_get_kind(options: *const pp_tls_options) -> pp_tls_options_kind {
    use crate::tls::TlsOptionsKind as K;
    ffi_boundary! {
        match try_ref!(options).kind() {
            K::Client => pp_tls_options_kind::PP_TLS_OPTIONS_CLIENT,
            K::ClientUnsafe => pp_tls_options_kind::PP_TLS_OPTIONS_CLIENT_UNSAFE,
            K::Server => pp_tls_options_kind::PP_TLS_OPTIONS_SERVER,
        }
    }
}

/// `is_server()`; false for NULL.
#[no_mangle]
pub extern "C" fn pp_tls_options_is_server(options: *const pp_tls_options) -> bool {
    ffi_boundary! { try_ref!(options).is_server() }
}

/// `is_unsafe_client()`; false for NULL.
#[no_mangle]
pub extern "C" fn pp_tls_options_is_unsafe_client(options: *const pp_tls_options) -> bool {
    ffi_boundary! { try_ref!(options).is_unsafe_client() }
}

/// `get_common_name_override()` copied with the text rule of `pp_tls_get_last_error_text`
/// (`""` when none). `PP_ERR_INVALID_PARAMETER` for NULL `options`.
#[no_mangle]
pub unsafe extern "C" fn pp_tls_options_get_common_name_override(
    options: *const pp_tls_options,
    buf: *mut c_char,
    size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let o = try_ref!(options);
        let out_len = out_opt!(out_len);
        // SAFETY: a non-NULL `buf` has `size` writable bytes (caller's contract).
        unsafe { write_text(o.get_common_name_override(), buf, size, out_len) }
    }
}

/// `get_trusted_ca_chain()`: a new handle on the trusted chain in `*out_cert` (free it with
/// `pp_x509_certificate_free`). `PP_ERR_UNAVAILABLE` when the options have none;
/// `PP_ERR_INVALID_PARAMETER` for NULL arguments.
#[no_mangle]
pub unsafe extern "C" fn pp_tls_options_get_trusted_ca_chain(
    options: *const pp_tls_options,
    out_cert: *mut *mut pp_x509_certificate,
) -> pp_error {
    ffi_boundary! {
        let o = try_ref!(options);
        let out = out!(out_cert);
        let c = o.get_trusted_ca_chain().ok_or(pp_error::PP_ERR_UNAVAILABLE)?;
        out.write(new_handle::<pp_x509_certificate>(c.clone()));
        Ok(())
    }
}

/// `get_private_key()` of server options: a new key handle in `*out_key` (free it with
/// `pp_crypto_key_free`). `PP_ERR_UNAVAILABLE` for client options; `PP_ERR_INVALID_PARAMETER` for
/// NULL arguments.
#[no_mangle]
pub unsafe extern "C" fn pp_tls_options_get_private_key(
    options: *const pp_tls_options,
    out_key: *mut *mut pp_crypto_key,
) -> pp_error {
    ffi_boundary! {
        let o = try_ref!(options);
        let out = out!(out_key);
        let k = o.get_private_key().ok_or(pp_error::PP_ERR_UNAVAILABLE)?;
        out.write(new_handle::<pp_crypto_key>(k.clone()));
        Ok(())
    }
}

/// `get_own_certificate()` of server options: a new certificate handle in `*out_cert`.
/// `PP_ERR_UNAVAILABLE` for client options; `PP_ERR_INVALID_PARAMETER` for NULL arguments.
#[no_mangle]
pub unsafe extern "C" fn pp_tls_options_get_own_certificate(
    options: *const pp_tls_options,
    out_cert: *mut *mut pp_x509_certificate,
) -> pp_error {
    ffi_boundary! {
        let o = try_ref!(options);
        let out = out!(out_cert);
        let c = o.get_own_certificate().ok_or(pp_error::PP_ERR_UNAVAILABLE)?;
        out.write(new_handle::<pp_x509_certificate>(c.clone()));
        Ok(())
    }
}

/// Frees an options handle. NULL is a no-op; sessions started with the options are not affected.
#[no_mangle]
pub unsafe extern "C" fn pp_tls_options_free(options: *mut pp_tls_options) {
    ffi_boundary! {
        // SAFETY: NULL or a handle from this library, not freed yet (the caller's contract).
        unsafe { free_handle(options) }
    }
}

/// The CA bundle `pp_tls_options_client` options without a trusted chain use instead of the
/// system's (the engine's `network/tls/certificate_bundle_override`), process-wide, for sessions
/// started afterwards. `(NULL, 0)` goes back to the system bundle.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_DATA` if the PEM holds no certificate (reason:
/// `pp_tls_get_last_error_text`); `PP_ERR_INVALID_PARAMETER` for `(NULL, len > 0)`.
#[no_mangle]
pub unsafe extern "C" fn pp_tls_set_certificate_bundle_override(
    pem: *const u8,
    len: usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: a non-NULL `pem` has `len` readable bytes (caller's contract).
        let pem = unsafe { in_slice(pem, len) }?;
        set_certificate_bundle_override(if pem.is_empty() { None } else { Some(pem) })
            .map_err(note)
    }
}

/// The CA bundle override from a PEM file, as the engine's `network/tls/certificate_bundle_override`
/// (a path): same effect as `pp_tls_set_certificate_bundle_override` with the file's content. The
/// file is read once, now (at most 16 MiB); NULL or `""` goes back to the system bundle. On error
/// the override is unchanged.
///
/// Returns `PP_OK`; `PP_ERR_FILE_NOT_FOUND`, `PP_ERR_FILE_NO_PERMISSION`, `PP_ERR_FILE_CANT_OPEN`,
/// `PP_ERR_FILE_CANT_READ` (a directory, an I/O error, a file over 16 MiB), `PP_ERR_INVALID_DATA`
/// (no certificate in it) — the reason in `pp_tls_get_last_error_text`; `PP_ERR_INVALID_PARAMETER`
/// for a path that is not UTF-8.
#[no_mangle]
pub unsafe extern "C" fn pp_tls_set_certificate_bundle_override_path(
    path: *const c_char,
) -> pp_error {
    ffi_boundary! {
        let path = if path.is_null() {
            None
        } else {
            // SAFETY: a non-NULL `path` is a NUL-terminated string (caller's contract).
            Some(unsafe { in_str(path) }?)
        };
        set_certificate_bundle_override_path(path.map(std::path::Path::new)).map_err(note)
    }
}

// ---------------------------------------------------------------- StreamPeerTLS

fn with_tls<R>(
    stream: *mut pp_stream_peer,
    f: impl FnOnce(&mut FfiStreamPeerTls) -> Result<R, pp_error>,
) -> Result<R, pp_error> {
    with_class(try_ref!(stream), f)
}

/// Makes a StreamPeerTLS (status DISCONNECTED). It is a `pp_stream_peer`: once CONNECTED, read and
/// write it with the StreamPeer base calls (before that they return `PP_ERR_UNCONFIGURED`; the
/// blocking `put_data`/`get_data` give up with `PP_ERR_TIMEOUT` after the handshake timeout instead
/// of spinning forever). Plaintext that arrived before the peer closed can still be read after the
/// status changed (the engine drops it).
///
/// - `out_stream`: receives the stream; free it with `pp_stream_peer_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_stream` is NULL.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tls_new(out_stream: *mut *mut pp_stream_peer) -> pp_error {
    ffi_boundary! {
        out!(out_stream).write(new_stream(FfiStreamPeerTls::new()));
        Ok(())
    }
}

/// `connect_to_stream(stream, common_name, client_options)`: starts a client handshake over
/// `stream` (any `pp_stream_peer`, e.g. a connected StreamPeerTCP; the TLS object keeps a reference,
/// so you may free your handle).
///
/// - `common_name`: the name checked in the certificate and sent as SNI (unless the options have a
///   `common_name_override` or are `client_unsafe`).
/// - `options`: client options, or NULL for `pp_tls_options_client(NULL, NULL)`.
///
/// Returns `PP_OK` (status HANDSHAKING, or already CONNECTED); `PP_ERR_INVALID_PARAMETER` for NULL
/// `tls`/`stream`/`common_name`, a `tls` of another class, `stream` being `tls` itself, or server
/// options; `PP_ERR_ALREADY_IN_USE` while handshaking or connected; `PP_FAILED` if the first
/// handshake step failed (the status says how; `pp_stream_peer_tls_get_last_error_text` says why).
#[no_mangle]
pub unsafe extern "C" fn pp_stream_peer_tls_connect_to_stream(
    tls: *mut pp_stream_peer,
    stream: *mut pp_stream_peer,
    common_name: *const c_char,
    options: *const pp_tls_options,
) -> pp_error {
    ffi_boundary! {
        let inner: SharedStream = try_ref!(stream).clone();
        if std::sync::Arc::ptr_eq(&inner, try_ref!(tls)) {
            return Err(INVALID);
        }
        // SAFETY: a non-NULL `common_name` is a NUL-terminated string (caller's contract).
        let name = unsafe { in_str(common_name) }?;
        let opts = try_opt_ref!(options);
        if opts.is_some_and(|o| o.is_server()) {
            return Err(INVALID);
        }
        with_tls(tls, |t| map(t.connect_to_stream(inner, name, opts)))
    }
}

/// `accept_stream(stream, server_options)`: starts a server handshake over `stream`.
///
/// Returns `PP_OK` (HANDSHAKING); `PP_ERR_INVALID_PARAMETER` for NULL arguments, another class,
/// `stream` being `tls` itself, or client options; `PP_ERR_ALREADY_IN_USE` while handshaking or connected; `PP_FAILED` if the first
/// step failed.
#[no_mangle]
pub unsafe extern "C" fn pp_stream_peer_tls_accept_stream(
    tls: *mut pp_stream_peer,
    stream: *mut pp_stream_peer,
    options: *const pp_tls_options,
) -> pp_error {
    ffi_boundary! {
        let inner: SharedStream = try_ref!(stream).clone();
        if std::sync::Arc::ptr_eq(&inner, try_ref!(tls)) {
            return Err(INVALID);
        }
        let opts = try_ref!(options);
        if !opts.is_server() {
            return Err(INVALID);
        }
        with_tls(tls, |t| map(t.accept_stream(inner, opts)))
    }
}

/// `poll()`: advances the handshake, or when connected reads incoming records (a close_notify from
/// the peer is answered and the status becomes DISCONNECTED; the transport closing under the
/// session also gives DISCONNECTED; other failures ERROR). Call it regularly.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tls_poll(tls: *mut pp_stream_peer) -> pp_error {
    ffi_boundary! {
        with_tls(tls, |t| {
            t.poll();
            Ok(())
        })
    }
}

/// `get_status()`. `PP_TLS_STATUS_DISCONNECTED` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tls_get_status(tls: *mut pp_stream_peer) -> pp_tls_status {
    ffi_boundary! {
        with_tls(tls, |t| Ok(c_status(t.get_status())))
            .unwrap_or(pp_tls_status::PP_TLS_STATUS_DISCONNECTED)
    }
}

/// `get_stream()`: a new handle on the transport stream in `*out_stream` (free it with
/// `pp_stream_peer_free`). `PP_ERR_UNAVAILABLE` when there is none (never connected, or released
/// after a disconnect or failure); `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_stream_peer_tls_get_stream(
    tls: *mut pp_stream_peer,
    out_stream: *mut *mut pp_stream_peer,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_stream);
        let s = with_tls(tls, |t| t.get_stream().ok_or(pp_error::PP_ERR_UNAVAILABLE))?;
        out.write(new_handle::<pp_stream_peer>(s));
        Ok(())
    }
}

/// `disconnect_from_stream()`: sends close_notify when connected, then releases the session and the
/// transport (which stays open: close it yourself). Status DISCONNECTED.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tls_disconnect_from_stream(tls: *mut pp_stream_peer) -> pp_error {
    ffi_boundary! {
        with_tls(tls, |t| {
            t.disconnect_from_stream();
            Ok(())
        })
    }
}

/// Sets the handshake time limit (default 60 000 ms; the engine has none), also the limit of the
/// blocking `put_data`/`get_data`. `ms` must be > 0.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for `ms <= 0`, NULL or another class.
#[no_mangle]
pub extern "C" fn pp_stream_peer_tls_set_handshake_timeout(
    tls: *mut pp_stream_peer,
    ms: i32,
) -> pp_error {
    ffi_boundary! {
        if ms <= 0 {
            return Err(INVALID);
        }
        with_tls(tls, |t| {
            t.set_handshake_timeout(Duration::from_millis(ms as u64));
            Ok(())
        })
    }
}

/// Why the last handshake, read or write failed (`""` if nothing failed): OpenSSL's reason and the
/// certificate verify result. Text rule as `pp_tls_get_last_error_text`; `PP_ERR_INVALID_PARAMETER`
/// for NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_stream_peer_tls_get_last_error_text(
    tls: *mut pp_stream_peer,
    buf: *mut c_char,
    size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let t = with_tls(tls, |t| Ok(t.get_last_error_text().to_owned()))?;
        let out_len = out_opt!(out_len);
        // SAFETY: a non-NULL `buf` has `size` writable bytes (caller's contract).
        unsafe { write_text(&t, buf, size, out_len) }
    }
}

/// The stream's counters into `*out_stats`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_stream_peer_tls_get_stats(
    tls: *mut pp_stream_peer,
    out_stats: *mut pp_tls_stats,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_stats);
        let s = with_tls(tls, |t| Ok(t.stats()))?;
        out.write(pp_tls_stats {
            handshakes_completed: s.handshakes_completed,
            handshakes_failed: s.handshakes_failed,
            bytes_in: s.bytes_in,
            bytes_out: s.bytes_out,
            writes_refused: s.writes_refused,
        });
        Ok(())
    }
}

// ---------------------------------------------------------------- PacketPeerDTLS

fn with_dtls<R>(
    peer: *mut pp_peer,
    f: impl FnOnce(&mut PacketPeerDtls) -> Result<R, pp_error>,
) -> Result<R, pp_error> {
    with_class(try_ref!(peer), f)
}

/// Makes a PacketPeerDTLS (status DISCONNECTED). It is a `pp_peer`: once CONNECTED use the base
/// calls. `pp_put_packet` sends one application-data record in one datagram: `PP_OK`;
/// `PP_ERR_UNCONFIGURED` when not connected; `PP_ERR_BUSY` when the socket would not take the
/// datagram (it is dropped and counted; the engine says OK and loses it); `PP_ERR_INVALID_PARAMETER`
/// above 16 384 bytes; `PP_ERR_CONNECTION_ERROR` on a fatal error (status ERROR). A 0-byte packet
/// is OK and sends nothing. `pp_get_packet`: the oldest decrypted packet; `PP_ERR_UNAVAILABLE` when
/// none is ready (the engine: OK with an empty packet); `PP_ERR_UNCONFIGURED` when not connected
/// and nothing is queued; `PP_ERR_CONNECTION_ERROR` when this very call found the session closed or
/// failed. `pp_get_available_packet_count` reads the socket and counts the queued packets (the
/// engine: 0 or 1 after a poll). `pp_get_max_packet_size`: 488 (nominal, like the engine).
///
/// - `out_peer`: receives the peer; free it with `pp_peer_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_peer` is NULL.
#[no_mangle]
pub extern "C" fn pp_packet_peer_dtls_new(out_peer: *mut *mut pp_peer) -> pp_error {
    ffi_boundary! {
        out!(out_peer).write(new_peer(PacketPeerDtls::new()));
        Ok(())
    }
}

/// `connect_to_peer(packet_peer, hostname, client_options)`: starts a client handshake (sends the
/// ClientHello) over a connected PacketPeerUDP (`pp_packet_peer_udp_connect_to_host`). The DTLS peer
/// keeps a reference to the UDP peer until the session ends; do not read the UDP peer yourself
/// meanwhile.
///
/// - `hostname`: the name checked in the certificate and sent as SNI.
/// - `options`: client options, or NULL for `pp_tls_options_client(NULL, NULL)`.
///
/// Returns `PP_OK` (HANDSHAKING, or already CONNECTED); `PP_ERR_INVALID_PARAMETER` for NULL
/// `dtls`/`udp_peer`/`hostname`, a `dtls` that is not a PacketPeerDTLS, a `udp_peer` that is not a
/// connected PacketPeerUDP, or server options; `PP_ERR_ALREADY_IN_USE` while handshaking or
/// connected; `PP_FAILED` if the first step failed (status ERROR, or ERROR_HOSTNAME_MISMATCH only
/// for a real mismatch — the engine sets that status for any immediate failure).
#[no_mangle]
pub unsafe extern "C" fn pp_packet_peer_dtls_connect_to_peer(
    dtls: *mut pp_peer,
    udp_peer: *mut pp_peer,
    hostname: *const c_char,
    options: *const pp_tls_options,
) -> pp_error {
    ffi_boundary! {
        let udp = try_ref!(udp_peer).clone();
        // SAFETY: a non-NULL `hostname` is a NUL-terminated string (caller's contract).
        let name = unsafe { in_str(hostname) }?;
        let opts = try_opt_ref!(options);
        if opts.is_some_and(|o| o.is_server()) {
            return Err(INVALID);
        }
        if !with_class(&udp, |u: &mut PacketPeerUdp| Ok(u.is_socket_connected()))? {
            return Err(INVALID);
        }
        with_dtls(dtls, |d| map(d.connect_over(Box::new(udp), name, opts)))
    }
}

/// `poll()`: advances the handshake (and its retransmission timer: 1 s, doubling), or when
/// connected decrypts waiting records into the queue (a close_notify from the peer is answered and
/// the status becomes DISCONNECTED; fatal errors ERROR). Call it regularly.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_dtls_poll(dtls: *mut pp_peer) -> pp_error {
    ffi_boundary! {
        with_dtls(dtls, |d| {
            d.poll();
            Ok(())
        })
    }
}

/// `get_status()`. `PP_TLS_STATUS_DISCONNECTED` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_dtls_get_status(dtls: *mut pp_peer) -> pp_tls_status {
    ffi_boundary! {
        with_dtls(dtls, |d| Ok(c_status(d.get_status())))
            .unwrap_or(pp_tls_status::PP_TLS_STATUS_DISCONNECTED)
    }
}

/// `disconnect_from_peer()`: sends close_notify when connected and drops the session (also during a
/// handshake, which the engine ignores). Status DISCONNECTED; the UDP peer is released.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_dtls_disconnect_from_peer(dtls: *mut pp_peer) -> pp_error {
    ffi_boundary! {
        with_dtls(dtls, |d| {
            d.disconnect_from_peer();
            Ok(())
        })
    }
}

/// Sets the handshake time limit (default 60 000 ms, about mbedTLS's retransmission limit). `ms`
/// must be > 0.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for `ms <= 0`, NULL or another class.
#[no_mangle]
pub extern "C" fn pp_packet_peer_dtls_set_handshake_timeout(
    dtls: *mut pp_peer,
    ms: i32,
) -> pp_error {
    ffi_boundary! {
        if ms <= 0 {
            return Err(INVALID);
        }
        with_dtls(dtls, |d| {
            d.set_handshake_timeout(Duration::from_millis(ms as u64));
            Ok(())
        })
    }
}

/// Why the handshake or session failed (`""` if nothing failed). Text rule as
/// `pp_tls_get_last_error_text`; `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_packet_peer_dtls_get_last_error_text(
    dtls: *mut pp_peer,
    buf: *mut c_char,
    size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let t = with_dtls(dtls, |d| Ok(d.get_last_error_text().to_owned()))?;
        let out_len = out_opt!(out_len);
        // SAFETY: a non-NULL `buf` has `size` writable bytes (caller's contract).
        unsafe { write_text(&t, buf, size, out_len) }
    }
}

/// The peer's counters into `*out_stats`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_packet_peer_dtls_get_stats(
    dtls: *mut pp_peer,
    out_stats: *mut pp_dtls_stats,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_stats);
        let s = with_dtls(dtls, |d| Ok(d.stats()))?;
        out.write(pp_dtls_stats {
            handshakes_completed: s.handshakes_completed,
            handshakes_failed: s.handshakes_failed,
            datagrams_in: s.datagrams_in,
            datagrams_out: s.datagrams_out,
            packets_in: s.packets_in,
            packets_out: s.packets_out,
            send_busy: s.send_busy,
            queue_drops: s.queue_drops,
            record_errors: s.record_errors,
            records_discarded: s.records_discarded,
        });
        Ok(())
    }
}

// ---------------------------------------------------------------- DTLSServer

/// Makes a DTLSServer (not set up; at most 128 handshakes under way after their cookie round).
///
/// - `out_server`: receives the server; free it with `pp_dtls_server_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_server` is NULL.
#[no_mangle]
pub extern "C" fn pp_dtls_server_new(out_server: *mut *mut pp_dtls_server) -> pp_error {
    ffi_boundary! {
        out!(out_server).write(new_handle::<pp_dtls_server>(Excl::new(DtlsServer::new())));
        Ok(())
    }
}

/// Frees a DTLSServer. NULL is a no-op. Peers it handed out keep working.
#[no_mangle]
pub unsafe extern "C" fn pp_dtls_server_free(server: *mut pp_dtls_server) {
    ffi_boundary! {
        // SAFETY: NULL or a handle from this library, not freed yet (the caller's contract).
        unsafe { free_handle(server) }
    }
}

/// `setup(server_options)`: takes the certificate and key and makes a random cookie secret.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL or client options; `PP_ERR_ALREADY_IN_USE`
/// for a second call (like the engine).
#[no_mangle]
pub unsafe extern "C" fn pp_dtls_server_setup(
    server: *mut pp_dtls_server,
    options: *const pp_tls_options,
) -> pp_error {
    ffi_boundary! {
        let o = try_ref!(options);
        with_excl(server, |s| map(s.setup(o)))
    }
}

/// `take_connection(udp_peer)`: a new PacketPeerDTLS for a peer from `pp_udp_server_take_connection`,
/// whose status is the result: HANDSHAKING (keep it and poll it); ERROR — including the expected
/// cookie round: a ClientHello without a valid cookie is answered with a HelloVerifyRequest, this
/// peer ends in ERROR and releases the UDP peer, and the client's retry comes back as a new UDPServer
/// connection (free both of your handles of such a peer so its address is forgotten) — also for a
/// first datagram that is not a ClientHello (the engine keeps a HANDSHAKING object), and when
/// `max_handshakes` are under way (counted); DISCONNECTED if the UDP peer is not connected. The UDP
/// peer is switched to non-blocking sends. Cookies are HMAC-SHA256 of the client's address and port.
/// A ClientHello fragmented over several datagrams is taken when all its fragments are already
/// queued on the UDP peer (a client sends them back to back; at most 64 fragments, 64 KiB);
/// otherwise the peer ends in ERROR, counted in `failed_first_steps`, and the client's
/// retransmission tries again (no state is kept for a source before its cookie is verified).
///
/// - `out_peer`: receives the new peer; free it with `pp_peer_free`.
///
/// Returns `PP_OK`; `PP_ERR_UNCONFIGURED` if the server is not set up; `PP_ERR_INVALID_PARAMETER`
/// for NULL arguments or a `udp_peer` that is not a PacketPeerUDP.
#[no_mangle]
pub unsafe extern "C" fn pp_dtls_server_take_connection(
    server: *mut pp_dtls_server,
    udp_peer: *mut pp_peer,
    out_peer: *mut *mut pp_peer,
) -> pp_error {
    ffi_boundary! {
        let udp = try_ref!(udp_peer).clone();
        let out = out!(out_peer);
        let (connected, ip, port) = with_class(&udp, |u: &mut PacketPeerUdp| {
            let c = u.is_socket_connected();
            if c {
                u.set_blocking_mode(false);
            }
            Ok((c, u.get_packet_ip(), u.get_packet_port()))
        })?;
        let p = with_excl(server, |s| {
            if !s.is_set_up() {
                return Err(pp_error::PP_ERR_UNCONFIGURED);
            }
            if !connected {
                return Ok(PacketPeerDtls::new());
            }
            let ip = ip.unwrap_or(std::net::IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED));
            let mut p = s
                .accept_over(Box::new(udp), transport_id(ip, port))
                .ok_or(pp_error::PP_ERR_UNCONFIGURED)?;
            // The conditioner of pp_dtls_server_set_conditioner, as take_connection gives it.
            s.condition_new_peer(&mut p);
            Ok(p)
        })?;
        out.write(new_peer(p));
        Ok(())
    }
}

/// Sets how many handshakes (after their cookie round) may be under way at once; beyond it a new
/// peer ends in ERROR and is counted. Default 128; 0 refuses every handshake.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or a negative `max`.
#[no_mangle]
pub extern "C" fn pp_dtls_server_set_max_handshakes(
    server: *mut pp_dtls_server,
    max: i32,
) -> pp_error {
    ffi_boundary! {
        if max < 0 {
            return Err(INVALID);
        }
        with_excl(server, |s| {
            s.set_max_handshakes(max as usize);
            Ok(())
        })
    }
}

/// The server's counters into `*out_stats`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments.
#[no_mangle]
pub unsafe extern "C" fn pp_dtls_server_get_stats(
    server: *mut pp_dtls_server,
    out_stats: *mut pp_dtls_server_stats,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_stats);
        let st = with_excl(server, |s| {
            let t = s.stats();
            Ok(pp_dtls_server_stats {
                cookie_rounds: t.cookie_rounds,
                refused_handshakes: t.refused_handshakes,
                failed_first_steps: t.failed_first_steps,
                handshakes_started: t.handshakes_started,
                handshakes_under_way: s.handshakes_under_way() as u64,
            })
        })?;
        out.write(st);
        Ok(())
    }
}

/// Why the last setup or new peer failed (`""` if none did). Text rule as
/// `pp_tls_get_last_error_text`; `PP_ERR_INVALID_PARAMETER` for NULL.
#[no_mangle]
pub unsafe extern "C" fn pp_dtls_server_get_last_error_text(
    server: *mut pp_dtls_server,
    buf: *mut c_char,
    size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let t = with_excl(server, |s| Ok(s.get_last_error_text().to_owned()))?;
        let out_len = out_opt!(out_len);
        // SAFETY: a non-NULL `buf` has `size` writable bytes (caller's contract).
        unsafe { write_text(&t, buf, size, out_len) }
    }
}

// ---------------------------------------------------------------- ENet over DTLS

/// `ENetConnection.dtls_server_setup(server_options)`: from now on the host speaks ENet over DTLS
/// 1.2 as a server on its socket (`docs/classes.md` §18.5): each ENet datagram is the plaintext of
/// one record, one session per remote address:port, every new source answered with the cookie round,
/// at most 16 handshakes from new sources at once (none while `refuse_new_connections`), failed or
/// closed sessions removed, datagrams from sources without a live session dropped and counted
/// (`pp_enet_connection_get_dtls_stats`). A fragmented ClientHello is taken when its fragments
/// arrive in one read burst of the host (as `pp_dtls_server_take_connection`). A
/// plain ENet client cannot connect (and a DTLS client cannot reach a plain host), as in Godot.
/// `pp_enet_connection_socket_send` still sends raw datagrams, like the engine.
///
/// Returns `PP_OK`; `PP_ERR_UNCONFIGURED` without a host (`pp_enet_connection_create_host*`);
/// `PP_ERR_INVALID_PARAMETER` for NULL or client options; `PP_ERR_ALREADY_IN_USE` if the host
/// already uses DTLS (the engine would wrap it twice).
#[no_mangle]
pub unsafe extern "C" fn pp_enet_connection_dtls_server_setup(
    connection: *mut super::enet::pp_enet_connection,
    options: *const pp_tls_options,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(connection);
        let o = try_ref!(options);
        if !o.is_server() {
            return Err(INVALID);
        }
        map(c.shared().lock()?.dtls_server_setup(o))
    }
}

/// `ENetConnection.dtls_client_setup(hostname, client_options)`: from now on the host speaks ENet
/// over DTLS 1.2 as a client. The first ENet send towards an address (the CONNECT of
/// `pp_enet_connection_connect_to_host`) starts a DTLS handshake with it, checking `hostname` per the
/// options; while it runs, ENet's sends are dropped and ENet's retransmission resends the CONNECT
/// once the session is up (so connecting takes a few hundred ms longer than plain ENet).
///
/// - `options`: client options, or NULL for `pp_tls_options_client(NULL, NULL)`.
///
/// Returns `PP_OK`; `PP_ERR_UNCONFIGURED` without a host; `PP_ERR_INVALID_PARAMETER` for NULL
/// `connection`/`hostname` or server options; `PP_ERR_ALREADY_IN_USE` if the host already uses DTLS.
#[no_mangle]
pub unsafe extern "C" fn pp_enet_connection_dtls_client_setup(
    connection: *mut super::enet::pp_enet_connection,
    hostname: *const c_char,
    options: *const pp_tls_options,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(connection);
        // SAFETY: a non-NULL `hostname` is a NUL-terminated string (caller's contract).
        let name = unsafe { in_str(hostname) }?;
        let o = try_opt_ref!(options);
        if o.is_some_and(|o| o.is_server()) {
            return Err(INVALID);
        }
        map(c.shared().lock()?.dtls_client_setup(name, o))
    }
}

/// The counters of the host's DTLS layer into `*out_stats` (`docs/classes.md` §18.5): what it
/// dropped, refused, and the sessions it connected and closed.
///
/// Returns `PP_OK`; `PP_ERR_UNAVAILABLE` without a host or when the host does not use DTLS;
/// `PP_ERR_INVALID_PARAMETER` for NULL arguments.
#[no_mangle]
pub unsafe extern "C" fn pp_enet_connection_get_dtls_stats(
    connection: *mut super::enet::pp_enet_connection,
    out_stats: *mut pp_enet_dtls_stats,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(connection);
        let out = out!(out_stats);
        let s = c
            .shared()
            .lock()?
            .dtls_stats()
            .ok_or(pp_error::PP_ERR_UNAVAILABLE)?;
        out.write(pp_enet_dtls_stats {
            dropped_no_session: s.dropped_no_session,
            refused_sources: s.refused_sources,
            dropped_handshaking: s.dropped_handshaking,
            dropped_queue_full: s.dropped_queue_full,
            sessions_closed: s.sessions_closed,
            sessions_connected: s.sessions_connected,
        });
        Ok(())
    }
}
