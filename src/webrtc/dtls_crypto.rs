//! The DTLS layer of WebRTC connections: str0m's sans-IO DTLS state machine (the `dimpl` crate,
//! which str0m's `openssl-dimpl` feature also uses) over OpenSSL primitives of our own. Three
//! things differ from that feature's provider, and are why this exists:
//!
//! - The AEAD keeps one keyed OpenSSL context per direction and only sets the nonce per record.
//!   Setting a context up per record (key schedule, algorithm fetch) cost about a fifth of the
//!   CPU of a bulk transfer.
//! - The dimpl configuration is built and checked once per process (per MTU). dimpl checks a
//!   provider with known-answer tests and test key exchanges whenever a configuration is built,
//!   which was more than half of the CPU time of setting up a connection.
//! - dimpl's receive queue holds 64 records instead of 30 (the connection also drains str0m
//!   every 16 datagrams: `FEED_BEFORE_DRAIN` in mod.rs).
//!
//! Algorithms: the ECDHE-ECDSA AES-GCM suites (128/SHA-256, 256/SHA-384) for DTLS 1.2, AES-GCM
//! for DTLS 1.3 (dimpl requires one; str0m speaks DTLS 1.2), key exchange on X25519, P-256 and
//! P-384, ECDSA P-256/P-384 signatures. That is what browsers, libdatachannel and aiortc offer.
#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use dimpl::crypto::{
    check_verify_scheme, Aad, ActiveKeyExchange, Buf, Cipher, CryptoProvider as DimplProvider,
    Dtls12CipherSuite, Dtls13CipherSuite, HashAlgorithm, HashContext, HashProvider, HmacProvider,
    KeyProvider, NamedGroup, Nonce, SecureRandom, SignatureAlgorithm, SignatureVerifier,
    SigningKey, SupportedDtls12CipherSuite, SupportedDtls13CipherSuite, SupportedKxGroup, TmpBuf,
};
use dimpl::{CryptoError, CryptoOperation};
use openssl::bn::BigNumContext;
use openssl::cipher::{Cipher as OsslCipher, CipherRef};
use openssl::cipher_ctx::CipherCtx;
use openssl::derive::Deriver;
use openssl::ec::{EcGroup, EcKey, EcPoint, PointConversionForm};
use openssl::hash::{Hasher, MessageDigest};
use openssl::nid::Nid;
use openssl::pkey::{Id, PKey, Private};
use openssl::sign::{Signer, Verifier};
use openssl::x509::X509;
use str0m::crypto::dtls::{
    DtlsCert, DtlsImplError, DtlsInstance, DtlsOutput, DtlsProvider, DtlsVersion, ProtocolVersion,
};
use str0m::crypto::CryptoError as Str0mCryptoError;

const TAG_LEN: usize = 16;
/// Records dimpl holds before they are polled out (its default is 30).
const MAX_QUEUE_RX: usize = 64;

fn failed(op: CryptoOperation) -> impl Fn(openssl::error::ErrorStack) -> CryptoError {
    move |_| CryptoError::OperationFailed(op)
}

// ---------------------------------------------------------------------------------------------
// AES-GCM with a keyed context per direction
// ---------------------------------------------------------------------------------------------

struct AesGcm {
    cipher: &'static CipherRef,
    key: Vec<u8>,
    /// Keyed on first use; each record only sets its nonce.
    enc: Option<CipherCtx>,
    dec: Option<CipherCtx>,
}

impl std::fmt::Debug for AesGcm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AesGcm").finish_non_exhaustive()
    }
}

// dimpl's traits ask for unwind safety. OpenSSL's context is opaque to the compiler, so it is
// stated here: nothing reads a context through `&self`, and every record starts by setting its
// nonce (which resets the context), so one left half-way by a panic is never observed.
impl std::panic::UnwindSafe for AesGcm {}
impl std::panic::RefUnwindSafe for AesGcm {}

impl AesGcm {
    fn new(key: &[u8]) -> Result<AesGcm, CryptoError> {
        let cipher = match key.len() {
            16 => OsslCipher::aes_128_gcm(),
            32 => OsslCipher::aes_256_gcm(),
            n => {
                return Err(CryptoError::InvalidAesGcmKeySize {
                    actual: n.min(u16::MAX as usize) as u16,
                })
            }
        };
        Ok(AesGcm {
            cipher,
            key: key.to_vec(),
            enc: None,
            dec: None,
        })
    }

    fn keyed(&self, encrypt: bool) -> Result<CipherCtx, openssl::error::ErrorStack> {
        let mut ctx = CipherCtx::new()?;
        if encrypt {
            ctx.encrypt_init(Some(self.cipher), Some(&self.key), None)?;
        } else {
            ctx.decrypt_init(Some(self.cipher), Some(&self.key), None)?;
        }
        Ok(ctx)
    }
}

impl Drop for AesGcm {
    fn drop(&mut self) {
        self.key.iter_mut().for_each(|b| *b = 0);
    }
}

impl Cipher for AesGcm {
    fn encrypt(&mut self, plaintext: &mut Buf, aad: Aad, nonce: Nonce) -> Result<(), CryptoError> {
        let op = failed(CryptoOperation::Encrypt);
        if self.enc.is_none() {
            self.enc = Some(self.keyed(true).map_err(&op)?);
        }
        let Some(ctx) = self.enc.as_mut() else {
            return Err(CryptoError::OperationFailed(CryptoOperation::Encrypt));
        };
        ctx.encrypt_init(None, None, Some(&nonce[..]))
            .map_err(&op)?;
        ctx.cipher_update(&aad, None).map_err(&op)?;
        let n = plaintext.len();
        let done = ctx.cipher_update_inplace(plaintext, n).map_err(&op)?;
        let last = ctx.cipher_final(&mut []).map_err(&op)?;
        if done + last != n {
            return Err(CryptoError::OperationFailed(CryptoOperation::Encrypt));
        }
        let mut tag = [0u8; TAG_LEN];
        ctx.tag(&mut tag).map_err(&op)?;
        plaintext.extend_from_slice(&tag);
        Ok(())
    }

    fn decrypt(
        &mut self,
        ciphertext: &mut TmpBuf,
        aad: Aad,
        nonce: Nonce,
    ) -> Result<(), CryptoError> {
        let op = failed(CryptoOperation::Decrypt);
        let len = ciphertext.len();
        if len < TAG_LEN {
            return Err(CryptoError::CiphertextTooShort {
                minimum: TAG_LEN as u8,
                actual: len.min(u8::MAX as usize) as u8,
            });
        }
        if self.dec.is_none() {
            self.dec = Some(self.keyed(false).map_err(&op)?);
        }
        let Some(ctx) = self.dec.as_mut() else {
            return Err(CryptoError::OperationFailed(CryptoOperation::Decrypt));
        };
        let body = len - TAG_LEN;
        let data = ciphertext.as_mut();
        let mut tag = [0u8; TAG_LEN];
        tag.copy_from_slice(&data[body..len]);
        ctx.decrypt_init(None, None, Some(&nonce[..]))
            .map_err(&op)?;
        ctx.cipher_update(&aad, None).map_err(&op)?;
        let done = ctx
            .cipher_update_inplace(&mut data[..body], body)
            .map_err(&op)?;
        ctx.set_tag(&tag).map_err(&op)?;
        // The tag check: a forged or damaged record fails here.
        let last = ctx.cipher_final(&mut []).map_err(&op)?;
        if done + last != body {
            return Err(CryptoError::OperationFailed(CryptoOperation::Decrypt));
        }
        ciphertext.truncate(body);
        Ok(())
    }
}

#[derive(Debug)]
struct Suite12 {
    suite: Dtls12CipherSuite,
    hash: HashAlgorithm,
    key_len: usize,
}

impl SupportedDtls12CipherSuite for Suite12 {
    fn suite(&self) -> Dtls12CipherSuite {
        self.suite
    }
    fn hash_algorithm(&self) -> HashAlgorithm {
        self.hash
    }
    fn key_lengths(&self) -> (usize, usize, usize) {
        // No MAC key; the GCM salt is 4 bytes, the other 8 of the nonce travel in each record.
        (0, self.key_len, 4)
    }
    fn explicit_nonce_len(&self) -> usize {
        8
    }
    fn tag_len(&self) -> usize {
        TAG_LEN
    }
    fn create_cipher(&self, key: &[u8]) -> Result<Box<dyn Cipher>, CryptoError> {
        Ok(Box::new(AesGcm::new(key)?))
    }
}

static AES128_SHA256: Suite12 = Suite12 {
    suite: Dtls12CipherSuite::ECDHE_ECDSA_AES128_GCM_SHA256,
    hash: HashAlgorithm::SHA256,
    key_len: 16,
};
static AES256_SHA384: Suite12 = Suite12 {
    suite: Dtls12CipherSuite::ECDHE_ECDSA_AES256_GCM_SHA384,
    hash: HashAlgorithm::SHA384,
    key_len: 32,
};
static SUITES_12: &[&dyn SupportedDtls12CipherSuite] = &[&AES128_SHA256, &AES256_SHA384];

#[derive(Debug)]
struct Suite13;

impl SupportedDtls13CipherSuite for Suite13 {
    fn suite(&self) -> Dtls13CipherSuite {
        Dtls13CipherSuite::AES_128_GCM_SHA256
    }
    fn hash_algorithm(&self) -> HashAlgorithm {
        HashAlgorithm::SHA256
    }
    fn key_len(&self) -> usize {
        16
    }
    fn iv_len(&self) -> usize {
        12
    }
    fn tag_len(&self) -> usize {
        TAG_LEN
    }
    fn create_cipher(&self, key: &[u8]) -> Result<Box<dyn Cipher>, CryptoError> {
        Ok(Box::new(AesGcm::new(key)?))
    }
    /// RFC 9147 §4.2.3: the record number mask is AES-ECB of the ciphertext sample.
    fn encrypt_sn(&self, sn_key: &[u8], sample: &[u8; 16]) -> [u8; 16] {
        let mut out = [0u8; 16];
        let mut run = || -> Result<(), openssl::error::ErrorStack> {
            let mut ctx = CipherCtx::new()?;
            ctx.encrypt_init(Some(OsslCipher::aes_128_ecb()), Some(sn_key), None)?;
            ctx.set_padding(false);
            let mut buf = [0u8; 32];
            let n = ctx.cipher_update(sample, Some(&mut buf))?;
            out.copy_from_slice(&buf[..16.min(n)]);
            Ok(())
        };
        // A wrong key length gives a zero mask, which dimpl's checks reject.
        if sn_key.len() != 16 || run().is_err() {
            return [0u8; 16];
        }
        out
    }
}

static SUITE_13: Suite13 = Suite13;
static SUITES_13: &[&dyn SupportedDtls13CipherSuite] = &[&SUITE_13];

// ---------------------------------------------------------------------------------------------
// Key exchange
// ---------------------------------------------------------------------------------------------

struct Exchange {
    group: NamedGroup,
    key: PKey<Private>,
    public: Buf,
}

impl std::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exchange")
            .field("group", &self.group)
            .finish_non_exhaustive()
    }
}

fn curve_nid(group: NamedGroup) -> Option<Nid> {
    match group {
        NamedGroup::Secp256r1 => Some(Nid::X9_62_PRIME256V1),
        NamedGroup::Secp384r1 => Some(Nid::SECP384R1),
        _ => None,
    }
}

impl Exchange {
    fn start(group: NamedGroup, mut public: Buf) -> Result<Exchange, CryptoError> {
        let op = failed(CryptoOperation::GenerateEphemeralKey);
        public.clear();
        let key = if group == NamedGroup::X25519 {
            let key = PKey::generate_x25519().map_err(&op)?;
            public.extend_from_slice(&key.raw_public_key().map_err(&op)?);
            key
        } else {
            let nid = curve_nid(group).ok_or(CryptoError::UnsupportedKeyExchangeGroup(group))?;
            let g = EcGroup::from_curve_name(nid).map_err(&op)?;
            let ec = EcKey::generate(&g).map_err(&op)?;
            let mut ctx = BigNumContext::new().map_err(&op)?;
            let point = ec
                .public_key()
                .to_bytes(&g, PointConversionForm::UNCOMPRESSED, &mut ctx)
                .map_err(&op)?;
            public.extend_from_slice(&point);
            PKey::from_ec_key(ec).map_err(&op)?
        };
        Ok(Exchange { group, key, public })
    }

    fn peer_key(&self, peer: &[u8]) -> Result<PKey<openssl::pkey::Public>, CryptoError> {
        let bad = |_| CryptoError::InvalidPublicKey(self.group);
        if self.group == NamedGroup::X25519 {
            return PKey::public_key_from_raw_bytes(peer, Id::X25519).map_err(bad);
        }
        let nid = curve_nid(self.group).ok_or(CryptoError::InvalidPublicKey(self.group))?;
        let g = EcGroup::from_curve_name(nid).map_err(bad)?;
        let mut ctx = BigNumContext::new().map_err(bad)?;
        // Decoding checks that the point is on the curve.
        let point = EcPoint::from_bytes(&g, peer, &mut ctx).map_err(bad)?;
        let ec = EcKey::from_public_key(&g, &point).map_err(bad)?;
        ec.check_key().map_err(bad)?;
        PKey::from_ec_key(ec).map_err(bad)
    }
}

impl ActiveKeyExchange for Exchange {
    fn pub_key(&self) -> &[u8] {
        &self.public
    }

    fn complete(self: Box<Self>, peer_pub: &[u8], out: &mut Buf) -> Result<(), CryptoError> {
        let peer = self.peer_key(peer_pub)?;
        let bad = |_| CryptoError::InvalidPublicKey(self.group);
        let mut d = Deriver::new(&self.key).map_err(bad)?;
        d.set_peer(&peer).map_err(bad)?;
        let secret = d.derive_to_vec().map_err(bad)?;
        // X25519 with a low-order peer key gives all zeros (RFC 7748 §6.1): refused.
        if secret.iter().all(|b| *b == 0) {
            return Err(CryptoError::InvalidPublicKey(self.group));
        }
        out.clear();
        out.extend_from_slice(&secret);
        Ok(())
    }

    fn group(&self) -> NamedGroup {
        self.group
    }
}

#[derive(Debug)]
struct Kx(NamedGroup);

impl SupportedKxGroup for Kx {
    fn name(&self) -> NamedGroup {
        self.0
    }
    fn start_exchange(&self, buf: Buf) -> Result<Box<dyn ActiveKeyExchange>, CryptoError> {
        Ok(Box::new(Exchange::start(self.0, buf)?))
    }
}

static KX_X25519: Kx = Kx(NamedGroup::X25519);
static KX_P256: Kx = Kx(NamedGroup::Secp256r1);
static KX_P384: Kx = Kx(NamedGroup::Secp384r1);
static KX_GROUPS: &[&dyn SupportedKxGroup] = &[&KX_X25519, &KX_P256, &KX_P384];

// ---------------------------------------------------------------------------------------------
// Signatures
// ---------------------------------------------------------------------------------------------

fn md(hash: HashAlgorithm) -> Option<MessageDigest> {
    match hash {
        HashAlgorithm::SHA256 => Some(MessageDigest::sha256()),
        HashAlgorithm::SHA384 => Some(MessageDigest::sha384()),
        _ => None,
    }
}

/// The named group of an EC key (P-256, P-384), or None.
fn ec_group_of<T: openssl::pkey::HasPublic>(key: &PKey<T>) -> Option<NamedGroup> {
    let ec = key.ec_key().ok()?;
    match ec.group().curve_name()? {
        Nid::X9_62_PRIME256V1 => Some(NamedGroup::Secp256r1),
        Nid::SECP384R1 => Some(NamedGroup::Secp384r1),
        _ => None,
    }
}

struct EcdsaKey {
    key: PKey<Private>,
    hash: [HashAlgorithm; 1],
}

impl std::fmt::Debug for EcdsaKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EcdsaKey").finish_non_exhaustive()
    }
}

impl SigningKey for EcdsaKey {
    fn sign(
        &mut self,
        data: &[u8],
        hash_alg: HashAlgorithm,
        out: &mut Buf,
    ) -> Result<(), CryptoError> {
        if hash_alg != self.hash[0] {
            return Err(CryptoError::SigningKeyHashMismatch {
                key_hash: self.hash[0],
                requested: hash_alg,
            });
        }
        let op = failed(CryptoOperation::Sign);
        let digest = md(hash_alg).ok_or(CryptoError::OperationFailed(CryptoOperation::Sign))?;
        let mut s = Signer::new(digest, &self.key).map_err(&op)?;
        // DER-encoded ECDSA-Sig-Value, as TLS sends it.
        let sig = s.sign_oneshot_to_vec(data).map_err(&op)?;
        out.clear();
        out.extend_from_slice(&sig);
        Ok(())
    }
    fn algorithm(&self) -> SignatureAlgorithm {
        SignatureAlgorithm::ECDSA
    }
    fn hash_algorithm(&self) -> HashAlgorithm {
        self.hash[0]
    }
    fn supported_hash_algorithms(&self) -> &[HashAlgorithm] {
        &self.hash
    }
}

#[derive(Debug)]
struct Keys;

impl KeyProvider for Keys {
    /// An EC private key (PKCS#8 or SEC1 DER, or PEM); P-256 signs with SHA-256, P-384 with
    /// SHA-384.
    fn load_private_key(&self, key_der: &[u8]) -> Result<Box<dyn SigningKey>, CryptoError> {
        let key = PKey::private_key_from_der(key_der)
            .or_else(|_| PKey::private_key_from_pem(key_der))
            .map_err(|_| CryptoError::InvalidPrivateKey)?;
        let hash = match ec_group_of(&key) {
            Some(NamedGroup::Secp256r1) => HashAlgorithm::SHA256,
            Some(NamedGroup::Secp384r1) => HashAlgorithm::SHA384,
            _ => return Err(CryptoError::InvalidPrivateKey),
        };
        Ok(Box::new(EcdsaKey { key, hash: [hash] }))
    }
}

#[derive(Debug)]
struct Verify;

impl SignatureVerifier for Verify {
    fn verify_signature(
        &self,
        cert_der: &[u8],
        data: &[u8],
        signature: &[u8],
        hash_alg: HashAlgorithm,
        sig_alg: SignatureAlgorithm,
    ) -> Result<(), CryptoError> {
        if sig_alg != SignatureAlgorithm::ECDSA {
            return Err(CryptoError::UnsupportedSignatureAlgorithm(sig_alg));
        }
        let cert = X509::from_der(cert_der).map_err(|_| CryptoError::CertificateParseFailed)?;
        let key = cert
            .public_key()
            .map_err(|_| CryptoError::InvalidSubjectPublicKey)?;
        if key.id() != Id::EC {
            return Err(CryptoError::UnsupportedPublicKeyAlgorithm);
        }
        let group = ec_group_of(&key).ok_or(CryptoError::UnsupportedEcCurve)?;
        check_verify_scheme(sig_alg, hash_alg, group)?;
        let digest = md(hash_alg).ok_or(CryptoError::UnsupportedHmacHash(hash_alg))?;
        let op = failed(CryptoOperation::VerifySignature);
        let mut v = Verifier::new(digest, &key).map_err(&op)?;
        match v.verify_oneshot(signature, data) {
            Ok(true) => Ok(()),
            _ => Err(CryptoError::SignatureVerificationFailed {
                signature: sig_alg,
                hash: hash_alg,
                group,
            }),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Hashes, HMAC, randomness
// ---------------------------------------------------------------------------------------------

struct Hash(Hasher);

impl std::fmt::Debug for Hash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hash").finish_non_exhaustive()
    }
}

impl HashContext for Hash {
    fn update(&mut self, data: &[u8]) {
        // Fails only on allocation failure inside OpenSSL; then the finished hash is wrong and
        // the handshake's Finished check fails, which ends the handshake.
        let _ = self.0.update(data);
    }
    fn clone_and_finalize(&self, out: &mut Buf) {
        out.clear();
        let mut h = self.0.clone();
        if let Ok(d) = h.finish() {
            out.extend_from_slice(&d);
        }
    }
}

#[derive(Debug)]
struct Hashes;

impl HashProvider for Hashes {
    fn create_hash(&self, algorithm: HashAlgorithm) -> Box<dyn HashContext> {
        // dimpl asks only for the suites' hashes (SHA-256, SHA-384); anything else is SHA-384's
        // length-mismatched twin, which its checks reject.
        let digest = md(algorithm).unwrap_or_else(MessageDigest::sha384);
        match Hasher::new(digest) {
            Ok(h) => Box::new(Hash(h)),
            // An OpenSSL that cannot hash cannot run DTLS at all; abort rather than lie.
            Err(e) => panic!("OpenSSL cannot create a hash context: {e}"),
        }
    }
}

#[derive(Debug)]
struct Hmac;

impl HmacProvider for Hmac {
    fn hmac(
        &self,
        hash: HashAlgorithm,
        key: &[u8],
        data: &[u8],
        out: &mut [u8],
    ) -> Result<usize, CryptoError> {
        let op = failed(CryptoOperation::ComputeHmac);
        let digest = md(hash).ok_or(CryptoError::UnsupportedHmacHash(hash))?;
        let k = PKey::hmac(key).map_err(&op)?;
        let mut s = Signer::new(digest, &k).map_err(&op)?;
        s.update(data).map_err(&op)?;
        let tag = s.sign_to_vec().map_err(&op)?;
        if out.len() < tag.len() {
            return Err(CryptoError::OperationFailed(CryptoOperation::ComputeHmac));
        }
        out[..tag.len()].copy_from_slice(&tag);
        Ok(tag.len())
    }
}

#[derive(Debug)]
struct Random;

impl SecureRandom for Random {
    fn fill(&self, buf: &mut [u8]) -> Result<(), CryptoError> {
        openssl::rand::rand_bytes(buf).map_err(failed(CryptoOperation::FillRandom))
    }
}

static VERIFY: Verify = Verify;
static KEYS: Keys = Keys;
static RANDOM: Random = Random;
static HASHES: Hashes = Hashes;
static HMAC: Hmac = Hmac;

fn dimpl_provider() -> DimplProvider {
    DimplProvider {
        kx_groups: KX_GROUPS,
        signature_verification: &VERIFY,
        key_provider: &KEYS,
        secure_random: &RANDOM,
        hash_provider: &HASHES,
        hmac_provider: &HMAC,
        cipher_suites: SUITES_12,
        dtls13_cipher_suites: SUITES_13,
    }
}

// ---------------------------------------------------------------------------------------------
// str0m's DTLS provider
// ---------------------------------------------------------------------------------------------

/// The dimpl configurations built so far, by MTU (a connection's MTU is str0m's default unless
/// set, so in practice there is one). Built and checked once each.
fn config_for(mtu: Option<usize>) -> Result<Arc<dimpl::Config>, String> {
    static CONFIGS: OnceLock<Mutex<HashMap<Option<usize>, Arc<dimpl::Config>>>> = OnceLock::new();
    let map = CONFIGS.get_or_init(|| Mutex::new(HashMap::new()));
    let mut m = match map.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    if let Some(c) = m.get(&mtu) {
        return Ok(c.clone());
    }
    // ICE has checked return routability before DTLS starts: no server cookie round trip.
    let mut b = dimpl::Config::builder()
        .use_server_cookie(false)
        .max_queue_rx(MAX_QUEUE_RX);
    if let Some(mtu) = mtu {
        b = b.mtu(mtu);
    }
    let c = Arc::new(
        b.with_crypto_provider(dimpl_provider())
            .build()
            .map_err(|e| format!("DTLS configuration: {e}"))?,
    );
    m.insert(mtu, c.clone());
    Ok(c)
}

/// The DTLS provider given to str0m (see the module docs).
#[derive(Debug)]
pub(crate) struct Dtls;

impl DtlsProvider for Dtls {
    fn generate_certificate(&self) -> Option<DtlsCert> {
        // str0m's own OpenSSL certificate maker (ECDSA P-256, self-signed).
        str0m::crypto::from_feature_flags()
            .dtls_provider
            .generate_certificate()
    }

    fn new_dtls(
        &self,
        cert: &DtlsCert,
        now: Instant,
        dtls_version: DtlsVersion,
        mtu: Option<usize>,
    ) -> Result<Box<dyn DtlsInstance>, Str0mCryptoError> {
        let config = config_for(mtu).map_err(Str0mCryptoError::Other)?;
        let c = dimpl::DtlsCertificate {
            certificate: cert.certificate.clone(),
            private_key: cert.private_key.clone(),
        };
        let dtls = match dtls_version {
            DtlsVersion::Dtls12 => dimpl::Dtls::new_12(config, c, now),
            DtlsVersion::Dtls13 => dimpl::Dtls::new_13(config, c, now),
            DtlsVersion::Auto => dimpl::Dtls::new_auto(config, c, now),
            v => return Err(Str0mCryptoError::Other(format!("DTLS version {v} unknown"))),
        };
        Ok(Box::new(Instance(dtls)))
    }
}

struct Instance(dimpl::Dtls);

impl std::fmt::Debug for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Instance").finish_non_exhaustive()
    }
}

impl DtlsInstance for Instance {
    fn set_active(&mut self, active: bool) {
        self.0.set_active(active);
    }
    fn handle_packet(&mut self, packet: &[u8]) -> Result<(), DtlsImplError> {
        self.0.handle_packet(packet)
    }
    fn poll_output<'a>(&mut self, buf: &'a mut [u8]) -> DtlsOutput<'a> {
        self.0.poll_output(buf)
    }
    fn handle_timeout(&mut self, now: Instant) -> Result<(), DtlsImplError> {
        self.0.handle_timeout(now)
    }
    fn send_application_data(&mut self, data: &[u8]) -> Result<(), DtlsImplError> {
        self.0.send_application_data(data)
    }
    fn is_active(&self) -> bool {
        self.0.is_active()
    }
    fn protocol_version(&self) -> Option<ProtocolVersion> {
        self.0.protocol_version()
    }
    fn is_closing(&self) -> bool {
        self.0.is_closing()
    }
    fn is_closed(&self) -> bool {
        self.0.is_closed()
    }
    fn close(&mut self) -> Result<(), DtlsImplError> {
        self.0.close()
    }
}

/// str0m's crypto with our DTLS provider (SRTP, STUN's HMAC-SHA1 and fingerprints stay str0m's
/// OpenSSL ones).
pub(crate) fn provider() -> Arc<str0m::crypto::CryptoProvider> {
    static DTLS: Dtls = Dtls;
    static P: OnceLock<Arc<str0m::crypto::CryptoProvider>> = OnceLock::new();
    P.get_or_init(|| {
        let base = str0m::crypto::from_feature_flags();
        Arc::new(str0m::crypto::CryptoProvider {
            dtls_provider: &DTLS,
            ..base
        })
    })
    .clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::symm::{encrypt_aead, Cipher as Symm};

    fn aad(bytes: &[u8]) -> Aad {
        let mut a = arrayvec::ArrayVec::new();
        a.try_extend_from_slice(bytes).unwrap();
        Aad(a)
    }

    /// One keyed context per direction gives, record after record, what a fresh one-shot
    /// AES-GCM gives; decryption undoes it and refuses a damaged record.
    #[test]
    fn aes_gcm_matches_one_shot_and_refuses_damage() {
        for key in [vec![7u8; 16], vec![9u8; 32]] {
            let symm = if key.len() == 16 {
                Symm::aes_128_gcm()
            } else {
                Symm::aes_256_gcm()
            };
            let mut enc = AesGcm::new(&key).unwrap();
            let mut dec = AesGcm::new(&key).unwrap();
            for i in 0..5u8 {
                let nonce = Nonce([i; 12]);
                let header = [i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
                let msg: Vec<u8> = (0..(100 + 300 * i as usize)).map(|k| k as u8).collect();
                let mut tag = [0u8; 16];
                let mut want =
                    encrypt_aead(symm, &key, Some(&nonce.0), &header, &msg, &mut tag).unwrap();
                want.extend_from_slice(&tag);
                let mut buf = Buf::new();
                buf.extend_from_slice(&msg);
                enc.encrypt(&mut buf, aad(&header), Nonce([i; 12])).unwrap();
                assert_eq!(&buf[..], &want[..], "record {i}");
                let mut bytes = buf.to_vec();
                let mut t = TmpBuf::new(&mut bytes);
                dec.decrypt(&mut t, aad(&header), Nonce([i; 12])).unwrap();
                assert_eq!(t.as_ref(), &msg[..]);
                let mut bad = buf.to_vec();
                bad[3] ^= 1;
                let mut t = TmpBuf::new(&mut bad);
                assert!(dec.decrypt(&mut t, aad(&header), Nonce([i; 12])).is_err());
                // The context still works after a refused record.
            }
            let mut short = [0u8; 15];
            let mut t = TmpBuf::new(&mut short);
            assert!(dec.decrypt(&mut t, aad(&[]), Nonce([0; 12])).is_err());
        }
        assert!(AesGcm::new(&[0u8; 24]).is_err());
    }

    #[test]
    fn key_exchanges_agree_and_refuse_bad_points() {
        for g in [
            NamedGroup::X25519,
            NamedGroup::Secp256r1,
            NamedGroup::Secp384r1,
        ] {
            let a = Exchange::start(g, Buf::new()).unwrap();
            let b = Exchange::start(g, Buf::new()).unwrap();
            let (pa, pb) = (a.pub_key().to_vec(), b.pub_key().to_vec());
            let (mut sa, mut sb) = (Buf::new(), Buf::new());
            Box::new(a).complete(&pb, &mut sa).unwrap();
            Box::new(b).complete(&pa, &mut sb).unwrap();
            assert_eq!(&sa[..], &sb[..], "{g:?}");
            assert!(!sa.is_empty());
            // Garbage, and (X25519) the all-zero point, are refused.
            let c = Exchange::start(g, Buf::new()).unwrap();
            let zero = vec![0u8; pa.len()];
            assert!(
                Box::new(c).complete(&zero, &mut Buf::new()).is_err(),
                "{g:?}"
            );
            let c = Exchange::start(g, Buf::new()).unwrap();
            assert!(Box::new(c)
                .complete(&[4, 1, 2, 3], &mut Buf::new())
                .is_err());
        }
    }

    fn cert_for(key: &PKey<Private>) -> Vec<u8> {
        let mut name = openssl::x509::X509NameBuilder::new().unwrap();
        name.append_entry_by_text("CN", "test").unwrap();
        let name = name.build();
        let mut b = openssl::x509::X509Builder::new().unwrap();
        b.set_version(2).unwrap();
        let serial = openssl::bn::BigNum::from_u32(1).unwrap();
        b.set_serial_number(&serial.to_asn1_integer().unwrap())
            .unwrap();
        b.set_subject_name(&name).unwrap();
        b.set_issuer_name(&name).unwrap();
        b.set_not_before(&openssl::asn1::Asn1Time::days_from_now(0).unwrap())
            .unwrap();
        b.set_not_after(&openssl::asn1::Asn1Time::days_from_now(1).unwrap())
            .unwrap();
        b.set_pubkey(key).unwrap();
        b.sign(key, MessageDigest::sha256()).unwrap();
        b.build().to_der().unwrap()
    }

    #[test]
    fn ecdsa_signatures_verify_and_forgeries_do_not() {
        for (nid, hash) in [
            (Nid::X9_62_PRIME256V1, HashAlgorithm::SHA256),
            (Nid::SECP384R1, HashAlgorithm::SHA384),
        ] {
            let g = EcGroup::from_curve_name(nid).unwrap();
            let key = PKey::from_ec_key(EcKey::generate(&g).unwrap()).unwrap();
            let cert = cert_for(&key);
            let mut sk = KEYS
                .load_private_key(&key.private_key_to_pkcs8().unwrap())
                .unwrap();
            assert_eq!(sk.hash_algorithm(), hash);
            let mut sig = Buf::new();
            sk.sign(b"server key exchange", hash, &mut sig).unwrap();
            VERIFY
                .verify_signature(
                    &cert,
                    b"server key exchange",
                    &sig,
                    hash,
                    SignatureAlgorithm::ECDSA,
                )
                .unwrap();
            assert!(VERIFY
                .verify_signature(
                    &cert,
                    b"server key exchangE",
                    &sig,
                    hash,
                    SignatureAlgorithm::ECDSA
                )
                .is_err());
            // SEC1 DER loads too.
            let sec1 = key.ec_key().unwrap().private_key_to_der().unwrap();
            assert!(KEYS.load_private_key(&sec1).is_ok());
        }
        // An RSA certificate is not ECDSA.
        let rsa = PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap();
        let cert = cert_for(&rsa);
        assert!(VERIFY
            .verify_signature(
                &cert,
                b"x",
                &[0; 8],
                HashAlgorithm::SHA256,
                SignatureAlgorithm::ECDSA
            )
            .is_err());
        assert!(KEYS.load_private_key(b"not a key").is_err());
    }

    /// dimpl's own checks of the provider (known answers, test exchanges) pass, once.
    #[test]
    fn dimpl_accepts_the_provider() {
        let a = config_for(Some(1150)).unwrap();
        let b = config_for(Some(1150)).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert!(config_for(None).is_ok());
    }
}
