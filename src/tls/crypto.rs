//! CryptoKey, X509Certificate and the Crypto helpers a TLS server needs (`docs/classes.md` §9): keys
//! and certificates from PEM or DER, saved as PEM, certificate chains as PEM concatenation,
//! public-only keys, `generate_rsa` and `generate_self_signed_certificate` with Godot's argument
//! formats.
//!
//! Differences from the engine: a private key is saved as PKCS#8 (`-----BEGIN PRIVATE KEY-----`)
//! where mbedTLS writes the algorithm's own format (`BEGIN RSA PRIVATE KEY`); both load anywhere.
//! Loading rejects trailing garbage after the last PEM certificate only as far as OpenSSL's PEM
//! reader does (it skips text between blocks, as mbedTLS does).
#![forbid(unsafe_code)]

use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::BigNum;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private, Public};
use openssl::rsa::Rsa;
use openssl::x509::extension::{BasicConstraints, KeyUsage, SubjectKeyIdentifier};
use openssl::x509::{X509Builder, X509NameBuilder, X509};

use super::{openssl_text, TlsError};
use crate::error::Error;

/// Smallest and largest RSA key `generate_rsa` makes (the engine leaves this to mbedTLS, which
/// accepts 128..=8192 bits; below 1024 OpenSSL's default security level refuses to use the key).
pub const RSA_BITS_MIN: i32 = 1024;
pub const RSA_BITS_MAX: i32 = 8192;

/// A private key (with its public half) or a public-only key (Godot's `CryptoKey`).
#[derive(Clone)]
pub enum CryptoKey {
    Private(PKey<Private>),
    Public(PKey<Public>),
}

impl std::fmt::Debug for CryptoKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CryptoKey {{ public_only: {} }}", self.is_public_only())
    }
}

impl CryptoKey {
    /// Loads a PEM key. `public_only`: a `PUBLIC KEY` block; otherwise a private key (PKCS#8,
    /// PKCS#1 RSA or SEC1 EC, unencrypted). Bad data is `ERR_INVALID_DATA` with OpenSSL's reason.
    pub fn from_pem(pem: &[u8], public_only: bool) -> Result<CryptoKey, TlsError> {
        if public_only {
            PKey::public_key_from_pem(pem)
                .map(CryptoKey::Public)
                .map_err(|e| TlsError::new(Error::InvalidData, "public key PEM", &e))
        } else {
            PKey::private_key_from_pem(pem)
                .map(CryptoKey::Private)
                .map_err(|e| TlsError::new(Error::InvalidData, "private key PEM", &e))
        }
    }

    /// Loads a DER key (SubjectPublicKeyInfo when `public_only`, else PKCS#8 / traditional).
    pub fn from_der(der: &[u8], public_only: bool) -> Result<CryptoKey, TlsError> {
        if public_only {
            PKey::public_key_from_der(der)
                .map(CryptoKey::Public)
                .map_err(|e| TlsError::new(Error::InvalidData, "public key DER", &e))
        } else {
            PKey::private_key_from_der(der)
                .map(CryptoKey::Private)
                .map_err(|e| TlsError::new(Error::InvalidData, "private key DER", &e))
        }
    }

    /// `save_to_string(public_only)`: PEM. A public-only key always saves its public half.
    pub fn to_pem(&self, public_only: bool) -> Result<String, TlsError> {
        let bytes = match self {
            CryptoKey::Private(k) if !public_only => k.private_key_to_pem_pkcs8(),
            CryptoKey::Private(k) => k.public_key_to_pem(),
            CryptoKey::Public(k) => k.public_key_to_pem(),
        }
        .map_err(|e| TlsError::new(Error::Failed, "key to PEM", &e))?;
        String::from_utf8(bytes).map_err(|_| TlsError::plain(Error::Failed, "key PEM is not text"))
    }

    /// `is_public_only()`.
    pub fn is_public_only(&self) -> bool {
        matches!(self, CryptoKey::Public(_))
    }

    /// The private key, if this is one.
    pub fn private(&self) -> Option<&PKey<Private>> {
        match self {
            CryptoKey::Private(k) => Some(k),
            CryptoKey::Public(_) => None,
        }
    }
}

/// One certificate or a chain (leaf first), Godot's `X509Certificate`.
#[derive(Clone)]
pub struct X509Certificate {
    chain: Vec<X509>,
}

impl std::fmt::Debug for X509Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "X509Certificate {{ {} certificate(s) }}",
            self.chain.len()
        )
    }
}

impl X509Certificate {
    /// Loads one or more concatenated PEM certificates. No certificate at all is `ERR_INVALID_DATA`.
    pub fn from_pem(pem: &[u8]) -> Result<X509Certificate, TlsError> {
        let chain = X509::stack_from_pem(pem)
            .map_err(|e| TlsError::new(Error::InvalidData, "certificate PEM", &e))?;
        if chain.is_empty() {
            return Err(TlsError::plain(
                Error::InvalidData,
                "certificate PEM: no certificate found",
            ));
        }
        Ok(X509Certificate { chain })
    }

    /// Loads one DER certificate.
    pub fn from_der(der: &[u8]) -> Result<X509Certificate, TlsError> {
        let c = X509::from_der(der)
            .map_err(|e| TlsError::new(Error::InvalidData, "certificate DER", &e))?;
        Ok(X509Certificate { chain: vec![c] })
    }

    /// A chain from certificates already parsed (leaf first). Empty is `ERR_INVALID_PARAMETER`.
    pub fn from_chain(chain: Vec<X509>) -> Result<X509Certificate, Error> {
        if chain.is_empty() {
            return Err(Error::InvalidParameter);
        }
        Ok(X509Certificate { chain })
    }

    /// `save_to_string()`: every certificate of the chain as PEM, concatenated.
    pub fn to_pem(&self) -> Result<String, TlsError> {
        let mut out = String::new();
        for c in &self.chain {
            let pem = c
                .to_pem()
                .map_err(|e| TlsError::new(Error::Failed, "certificate to PEM", &e))?;
            out.push_str(&String::from_utf8_lossy(&pem));
        }
        Ok(out)
    }

    /// The certificates, leaf first.
    pub fn chain(&self) -> &[X509] {
        &self.chain
    }

    /// The first certificate.
    pub fn leaf(&self) -> &X509 {
        // `chain` is never empty (checked by every constructor).
        &self.chain[0]
    }

    /// SHA-256 fingerprint of the first certificate's DER encoding (what pinning compares).
    pub fn sha256_fingerprint(&self) -> Result<[u8; 32], TlsError> {
        fingerprint(self.leaf())
    }
}

/// SHA-256 of a certificate's DER encoding.
pub fn fingerprint(c: &openssl::x509::X509Ref) -> Result<[u8; 32], TlsError> {
    let d = c
        .digest(MessageDigest::sha256())
        .map_err(|e| TlsError::new(Error::Failed, "certificate digest", &e))?;
    let mut out = [0u8; 32];
    out.copy_from_slice(&d);
    Ok(out)
}

/// `Crypto.generate_rsa(size)`: a new RSA private key, public exponent 65537.
/// Sizes outside [`RSA_BITS_MIN`]..=[`RSA_BITS_MAX`] are `ERR_INVALID_PARAMETER`.
pub fn generate_rsa(bits: i32) -> Result<CryptoKey, TlsError> {
    if !(RSA_BITS_MIN..=RSA_BITS_MAX).contains(&bits) {
        return Err(TlsError::plain(
            Error::InvalidParameter,
            "generate_rsa: size must be 1024..=8192 bits",
        ));
    }
    let rsa =
        Rsa::generate(bits as u32).map_err(|e| TlsError::new(Error::Failed, "RSA key", &e))?;
    PKey::from_rsa(rsa)
        .map(CryptoKey::Private)
        .map_err(|e| TlsError::new(Error::Failed, "RSA key", &e))
}

/// Parses Godot's issuer name format, `"CN=myserver,O=myorganisation,C=IT"` (comma-separated
/// `KEY=value` pairs, as mbedTLS's `x509_string_to_names`; a `\,` is a literal comma).
fn parse_name(s: &str) -> Result<openssl::x509::X509Name, TlsError> {
    let mut b = X509NameBuilder::new().map_err(|e| TlsError::new(Error::Failed, "name", &e))?;
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ',' => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    parts.push(cur);
    let mut any = false;
    for p in parts.iter().filter(|p| !p.trim().is_empty()) {
        let (k, v) = p.split_once('=').ok_or_else(|| {
            TlsError::plain(
                Error::InvalidParameter,
                "issuer_name: expected KEY=value pairs",
            )
        })?;
        b.append_entry_by_text(k.trim(), v)
            .map_err(|e| TlsError::new(Error::InvalidParameter, "issuer_name", &e))?;
        any = true;
    }
    if !any {
        return Err(TlsError::plain(
            Error::InvalidParameter,
            "issuer_name: empty",
        ));
    }
    Ok(b.build())
}

/// Godot's date format `YYYYMMDDhhmmss` (UTC) to an ASN.1 time.
fn parse_time(s: &str, what: &str) -> Result<Asn1Time, TlsError> {
    if s.len() != 14 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return Err(TlsError::plain(
            Error::InvalidParameter,
            &format!("{what}: expected YYYYMMDDhhmmss"),
        ));
    }
    Asn1Time::from_str(&format!("{s}Z"))
        .map_err(|e| TlsError::new(Error::InvalidParameter, what, &e))
}

/// `Crypto.generate_self_signed_certificate(key, issuer_name = "CN=myserver,O=myorganisation,C=IT",
/// not_before = "20140101000000", not_after = "20340101000000")`: subject = issuer = the name,
/// serial 1, SHA-256 signature, basic constraints CA:TRUE (like the engine, so the certificate can
/// also be a client's `trusted_chain`). The key must be a private key (`ERR_INVALID_PARAMETER`).
pub fn generate_self_signed_certificate(
    key: &CryptoKey,
    issuer_name: &str,
    not_before: &str,
    not_after: &str,
) -> Result<X509Certificate, TlsError> {
    let pkey = key.private().ok_or_else(|| {
        TlsError::plain(
            Error::InvalidParameter,
            "generate_self_signed_certificate: the key is public-only",
        )
    })?;
    let name = parse_name(issuer_name)?;
    let nb = parse_time(not_before, "not_before")?;
    let na = parse_time(not_after, "not_after")?;
    let fail = |e: openssl::error::ErrorStack| TlsError::new(Error::Failed, "certificate", &e);
    let mut b = X509Builder::new().map_err(fail)?;
    b.set_version(2).map_err(fail)?;
    let serial = BigNum::from_u32(1)
        .and_then(|n| Asn1Integer::from_bn(&n))
        .map_err(fail)?;
    b.set_serial_number(&serial).map_err(fail)?;
    b.set_subject_name(&name).map_err(fail)?;
    b.set_issuer_name(&name).map_err(fail)?;
    b.set_not_before(&nb).map_err(fail)?;
    b.set_not_after(&na).map_err(fail)?;
    b.set_pubkey(pkey).map_err(fail)?;
    let bc = BasicConstraints::new()
        .critical()
        .ca()
        .build()
        .map_err(fail)?;
    b.append_extension(bc).map_err(fail)?;
    let ku = KeyUsage::new()
        .digital_signature()
        .key_encipherment()
        .key_cert_sign()
        .build()
        .map_err(fail)?;
    b.append_extension(ku).map_err(fail)?;
    let ski = SubjectKeyIdentifier::new()
        .build(&b.x509v3_context(None, None))
        .map_err(fail)?;
    b.append_extension(ski).map_err(fail)?;
    b.sign(pkey, MessageDigest::sha256()).map_err(fail)?;
    Ok(X509Certificate {
        chain: vec![b.build()],
    })
}

/// The reason text of the OpenSSL error stack, for tests and callers.
pub fn describe(e: &openssl::error::ErrorStack) -> String {
    openssl_text(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_and_cert_round_trip() {
        let k = generate_rsa(2048).unwrap();
        let c = generate_self_signed_certificate(
            &k,
            "CN=localhost,O=t,C=IT",
            "20140101000000",
            "20340101000000",
        )
        .unwrap();
        let pem = c.to_pem().unwrap();
        let c2 = X509Certificate::from_pem(pem.as_bytes()).unwrap();
        assert_eq!(
            c.sha256_fingerprint().unwrap(),
            c2.sha256_fingerprint().unwrap()
        );
        let kp = k.to_pem(false).unwrap();
        assert!(!CryptoKey::from_pem(kp.as_bytes(), false)
            .unwrap()
            .is_public_only());
        let pp = k.to_pem(true).unwrap();
        let pubk = CryptoKey::from_pem(pp.as_bytes(), true).unwrap();
        assert!(pubk.is_public_only());
        assert_eq!(pubk.to_pem(false).unwrap(), pp);
        let der = c.leaf().to_der().unwrap();
        assert_eq!(
            X509Certificate::from_der(&der).unwrap().to_pem().unwrap(),
            pem
        );
        // chain = concatenation
        let two = format!("{pem}{pem}");
        assert_eq!(
            X509Certificate::from_pem(two.as_bytes())
                .unwrap()
                .chain()
                .len(),
            2
        );
        assert!(X509Certificate::from_pem(b"garbage").is_err());
        assert!(CryptoKey::from_pem(b"garbage", false).is_err());
        assert!(generate_self_signed_certificate(
            &pubk,
            "CN=x",
            "20140101000000",
            "20340101000000"
        )
        .is_err());
        assert!(generate_self_signed_certificate(&k, "CN=x", "2014", "20340101000000").is_err());
        assert!(generate_self_signed_certificate(
            &k,
            "nonsense",
            "20140101000000",
            "20340101000000"
        )
        .is_err());
        assert!(generate_rsa(100).is_err());
    }
}
