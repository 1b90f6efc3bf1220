//! StreamPeerTLS (`docs/classes.md` §9) over any StreamPeer: TLS 1.2 and 1.3 on OpenSSL.
//!
//! Same as the engine: `connect_to_stream` / `accept_stream` / `poll` / `get_status` /
//! `get_stream` / `disconnect_from_stream`, the Status values, reads and writes outside CONNECTED are
//! `ERR_UNCONFIGURED`, a peer's close_notify is answered and ends in DISCONNECTED, the transport
//! closing under the session also ends in DISCONNECTED. It is a StreamPeer, so PacketPeerStream
//! and `put_var` work over it.
//!
//! Differences, on purpose:
//! - ERROR_HOSTNAME_MISMATCH only for a real name mismatch; any other failure is ERROR, and
//!   [`StreamPeerTls::get_last_error_text`] says why (OpenSSL's reason and the verify result).
//! - Plaintext that arrived before the peer closed can still be read after the status changed to
//!   DISCONNECTED (the engine drops it).
//! - A handshake that does not finish within [`StreamPeerTls::set_handshake_timeout`] (60 s by
//!   default) fails with ERROR (the engine waits forever).
//! - The blocking `put_data` / `get_data` give up with `ERR_TIMEOUT` after the same time instead of
//!   spinning forever on a stalled peer.
#![forbid(unsafe_code)]

use std::net::IpAddr;
use std::time::{Duration, Instant};

use openssl::ssl::{ErrorCode, ShutdownResult, Ssl, SslStream};

use super::crypto::fingerprint;
use super::io::StreamIo;
use super::options::{TlsOptions, X509_V_ERR_HOSTNAME_MISMATCH};
use super::{TlsError, TlsStatus};
use crate::error::{Error, Result};
use crate::peer::StreamPeer;
use crate::sync::Shared;

/// Default handshake (and blocking read/write) time limit.
pub const DEFAULT_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(60);
/// Decrypted bytes buffered before `poll` stops reading records (the rest waits in the transport).
const IN_BUFFER_MAX: usize = 64 * 1024;
/// Encrypted bytes queued for a slow transport before writes are refused (return 0 sent).
const OUT_QUEUE_MAX: usize = 64 * 1024;
/// Plaintext per record.
const RECORD_MAX: usize = 16 * 1024;

/// Counters of one StreamPeerTLS.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TlsStats {
    pub handshakes_completed: u64,
    pub handshakes_failed: u64,
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// Writes refused (0 sent) because the transport was not taking the queued bytes.
    pub writes_refused: u64,
}

/// A TLS session over a shared StreamPeer `S` (concrete or `dyn`).
pub struct StreamPeerTls<S: ?Sized + StreamPeer + Send + 'static> {
    status: TlsStatus,
    stream: Option<Shared<S>>,
    ssl: Option<SslStream<StreamIo<S>>>,
    inbuf: Vec<u8>,
    in_pos: usize,
    pins: Vec<[u8; 32]>,
    big_endian: bool,
    last_error: String,
    handshake_timeout: Duration,
    deadline: Option<Instant>,
    stats: TlsStats,
}

impl<S: ?Sized + StreamPeer + Send + 'static> Default for StreamPeerTls<S> {
    fn default() -> Self {
        Self::new()
    }
}

/// OpenSSL's reason for a failed call, with the certificate verify result when there is one.
pub(crate) fn ssl_error_text(e: &openssl::ssl::Error, ssl: &openssl::ssl::SslRef) -> String {
    let mut t = match e.ssl_error() {
        Some(stack) => super::openssl_text(stack),
        None => match e.io_error() {
            Some(io) => format!("transport: {io}"),
            None => format!("{e}"),
        },
    };
    let v = ssl.verify_result();
    if v.as_raw() != 0 {
        t.push_str(&format!(
            "; certificate verify result {}: {}",
            v.as_raw(),
            v.error_string()
        ));
    }
    t
}

/// What one `do_handshake` step means for a TLS or DTLS session (the same rules for both): done (and,
/// with pins, the peer's certificate is pinned), still under way (unless `deadline` passed), or
/// failed with the status and the text a user needs.
pub(crate) enum HandshakeStep {
    Connected,
    Pending,
    Failed(TlsStatus, String),
}

pub(crate) fn handshake_step_outcome<S>(
    s: &SslStream<S>,
    r: std::result::Result<(), openssl::ssl::Error>,
    pins: &[[u8; 32]],
    deadline: Option<Instant>,
) -> HandshakeStep {
    match r {
        Ok(()) => {
            if !pins.is_empty() {
                let ok = s
                    .ssl()
                    .peer_certificate()
                    .and_then(|c| fingerprint(&c).ok())
                    .is_some_and(|fp| pins.contains(&fp));
                if !ok {
                    return HandshakeStep::Failed(
                        TlsStatus::Error,
                        "peer certificate is not pinned".into(),
                    );
                }
            }
            HandshakeStep::Connected
        }
        Err(e) if matches!(e.code(), ErrorCode::WANT_READ | ErrorCode::WANT_WRITE) => {
            if deadline.is_some_and(|d| Instant::now() >= d) {
                HandshakeStep::Failed(TlsStatus::Error, "handshake timed out".into())
            } else {
                HandshakeStep::Pending
            }
        }
        Err(e) => {
            let text = ssl_error_text(&e, s.ssl());
            let st = if s.ssl().verify_result().as_raw() == X509_V_ERR_HOSTNAME_MISMATCH {
                TlsStatus::ErrorHostnameMismatch
            } else {
                TlsStatus::Error
            };
            HandshakeStep::Failed(st, format!("handshake failed: {text}"))
        }
    }
}

impl<S: ?Sized + StreamPeer + Send + 'static> StreamPeerTls<S> {
    pub fn new() -> Self {
        StreamPeerTls {
            status: TlsStatus::Disconnected,
            stream: None,
            ssl: None,
            inbuf: Vec::new(),
            in_pos: 0,
            pins: Vec::new(),
            big_endian: false,
            last_error: String::new(),
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
            deadline: None,
            stats: TlsStats::default(),
        }
    }

    pub fn get_status(&self) -> TlsStatus {
        self.status
    }

    /// The transport given to `connect_to_stream` / `accept_stream` (None after a disconnect).
    pub fn get_stream(&self) -> Option<Shared<S>> {
        self.stream.clone()
    }

    /// Why the last handshake, read or write failed ("" if nothing failed yet).
    pub fn get_last_error_text(&self) -> &str {
        &self.last_error
    }

    pub fn stats(&self) -> TlsStats {
        self.stats
    }

    pub fn set_handshake_timeout(&mut self, t: Duration) {
        self.handshake_timeout = t;
    }

    pub fn get_handshake_timeout(&self) -> Duration {
        self.handshake_timeout
    }

    /// Starts a client handshake over `stream`. `options` None = `TLSOptions.client()`.
    /// Server options are `ERR_INVALID_PARAMETER`; a handshake already under way or connected is
    /// `ERR_ALREADY_IN_USE`; a first handshake step that fails is `FAILED` (status tells which).
    pub fn connect_to_stream(
        &mut self,
        stream: Shared<S>,
        common_name: &str,
        options: Option<&TlsOptions>,
    ) -> Result<()> {
        let opts = options
            .cloned()
            .unwrap_or_else(|| TlsOptions::client(None, ""));
        let r = self.setup_client(&opts, common_name);
        let ssl = match r {
            Ok(s) => s,
            Err(e) => {
                self.last_error = e.text.clone();
                return Err(e.code);
            }
        };
        self.start(ssl, stream, opts.pins().to_vec(), true)
    }

    fn setup_client(
        &mut self,
        opts: &TlsOptions,
        common_name: &str,
    ) -> std::result::Result<Ssl, TlsError> {
        if matches!(self.status, TlsStatus::Handshaking | TlsStatus::Connected) {
            return Err(TlsError::plain(Error::AlreadyInUse, "already connected"));
        }
        let ctx = opts.client_context(false)?;
        let mut ssl = Ssl::new(&ctx).map_err(|e| TlsError::new(Error::Failed, "session", &e))?;
        if let Some(name) = opts.expected_name(common_name) {
            set_expected_name(&mut ssl, name)?;
        }
        Ok(ssl)
    }

    /// Starts a server handshake over `stream` with server `options` (client options are
    /// `ERR_INVALID_PARAMETER`).
    pub fn accept_stream(&mut self, stream: Shared<S>, options: &TlsOptions) -> Result<()> {
        if matches!(self.status, TlsStatus::Handshaking | TlsStatus::Connected) {
            self.last_error = "already connected".into();
            return Err(Error::AlreadyInUse);
        }
        let ssl = options.server_builder(false).and_then(|b| {
            Ssl::new(&b.build()).map_err(|e| TlsError::new(Error::Failed, "session", &e))
        });
        match ssl {
            Ok(s) => self.start(s, stream, Vec::new(), false),
            Err(e) => {
                self.last_error = e.text.clone();
                Err(e.code)
            }
        }
    }

    fn start(
        &mut self,
        mut ssl: Ssl,
        stream: Shared<S>,
        pins: Vec<[u8; 32]>,
        client: bool,
    ) -> Result<()> {
        if client {
            ssl.set_connect_state();
        } else {
            ssl.set_accept_state();
        }
        let s = match SslStream::new(ssl, StreamIo::new(stream.clone())) {
            Ok(s) => s,
            Err(e) => {
                self.last_error = TlsError::new(Error::Failed, "session", &e).text;
                return Err(Error::Failed);
            }
        };
        self.ssl = Some(s);
        self.stream = Some(stream);
        self.pins = pins;
        self.inbuf.clear();
        self.in_pos = 0;
        self.last_error.clear();
        self.status = TlsStatus::Handshaking;
        self.deadline = Some(Instant::now() + self.handshake_timeout);
        self.handshake_step();
        match self.status {
            TlsStatus::Handshaking | TlsStatus::Connected => Ok(()),
            _ => Err(Error::Failed),
        }
    }

    fn handshake_step(&mut self) {
        let Some(s) = self.ssl.as_mut() else { return };
        let r = s.do_handshake();
        let _ = s.get_mut().push();
        match handshake_step_outcome(s, r, &self.pins, self.deadline) {
            HandshakeStep::Connected => {
                self.status = TlsStatus::Connected;
                self.deadline = None;
                self.stats.handshakes_completed += 1;
            }
            HandshakeStep::Pending => {}
            HandshakeStep::Failed(st, text) => self.fail(st, text),
        }
    }

    fn fail(&mut self, status: TlsStatus, text: String) {
        if self.status == TlsStatus::Handshaking {
            self.stats.handshakes_failed += 1;
        }
        if let Some(mut s) = self.ssl.take() {
            let _ = s.get_mut().push();
        }
        self.stream = None;
        self.status = status;
        self.deadline = None;
        self.last_error = text;
    }

    /// Advances the handshake, or reads records (answering a close_notify) when connected.
    pub fn poll(&mut self) {
        match self.status {
            TlsStatus::Handshaking => self.handshake_step(),
            TlsStatus::Connected => self.pump(),
            _ => {}
        }
    }

    /// Reads records into the plaintext buffer while it has room.
    fn pump(&mut self) {
        let mut tmp = [0u8; RECORD_MAX];
        loop {
            if self.status != TlsStatus::Connected {
                return;
            }
            let Some(s) = self.ssl.as_mut() else { return };
            let _ = s.get_mut().push();
            if self.inbuf.len() - self.in_pos >= IN_BUFFER_MAX {
                return;
            }
            match s.ssl_read(&mut tmp) {
                Ok(n) => {
                    if self.in_pos > 0 && self.in_pos == self.inbuf.len() {
                        self.inbuf.clear();
                        self.in_pos = 0;
                    }
                    self.inbuf.extend_from_slice(&tmp[..n]);
                    self.stats.bytes_in += n as u64;
                }
                Err(e) if e.code() == ErrorCode::WANT_READ || e.code() == ErrorCode::WANT_WRITE => {
                    return
                }
                Err(e) if e.code() == ErrorCode::ZERO_RETURN => {
                    // The peer's close_notify: answer it.
                    let _ = s.shutdown();
                    let _ = s.get_mut().push();
                    self.ssl = None;
                    self.stream = None;
                    self.status = TlsStatus::Disconnected;
                    self.last_error = "peer closed the session (close_notify)".into();
                    return;
                }
                Err(e) => {
                    if s.get_ref().error == Some(Error::FileEof) {
                        self.ssl = None;
                        self.stream = None;
                        self.status = TlsStatus::Disconnected;
                        self.last_error = "transport closed without close_notify".into();
                    } else {
                        let text = ssl_error_text(&e, s.ssl());
                        self.fail(TlsStatus::Error, format!("read failed: {text}"));
                    }
                    return;
                }
            }
        }
    }

    /// Sends close_notify when connected and releases the session and the stream.
    pub fn disconnect_from_stream(&mut self) {
        if let Some(mut s) = self.ssl.take() {
            if self.status == TlsStatus::Connected {
                let _: std::result::Result<ShutdownResult, _> = s.shutdown();
            }
            let _ = s.get_mut().push();
        }
        self.stream = None;
        self.deadline = None;
        self.status = TlsStatus::Disconnected;
    }

    fn buffered(&self) -> usize {
        self.inbuf.len() - self.in_pos
    }

    fn blocking_deadline(&self) -> Instant {
        Instant::now() + self.handshake_timeout
    }
}

fn set_expected_name(ssl: &mut Ssl, name: &str) -> std::result::Result<(), TlsError> {
    let fail = |e| TlsError::new(Error::InvalidParameter, "hostname", &e);
    match name.parse::<IpAddr>() {
        // An address is checked against the certificate's IP entries and not sent as SNI.
        Ok(ip) => ssl.param_mut().set_ip(ip).map_err(fail)?,
        Err(_) => {
            ssl.set_hostname(name).map_err(fail)?;
            ssl.param_mut().set_host(name).map_err(fail)?;
        }
    }
    Ok(())
}

impl<S: ?Sized + StreamPeer + Send + 'static> StreamPeer for StreamPeerTls<S> {
    fn put_data(&mut self, data: &[u8]) -> Result<()> {
        let deadline = self.blocking_deadline();
        let mut done = 0;
        while done < data.len() {
            let n = self.put_partial_data(&data[done..])?;
            done += n;
            if n == 0 {
                if Instant::now() >= deadline {
                    return Err(Error::Timeout);
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        Ok(())
    }

    fn put_partial_data(&mut self, data: &[u8]) -> Result<usize> {
        if self.status != TlsStatus::Connected {
            return Err(Error::Unconfigured);
        }
        let Some(s) = self.ssl.as_mut() else {
            return Err(Error::Unconfigured);
        };
        if let Err(e) = s.get_mut().push() {
            self.fail(
                TlsStatus::Error,
                format!("transport write failed: {}", e.name()),
            );
            return Err(Error::ConnectionError);
        }
        if data.is_empty() {
            return Ok(0);
        }
        if s.get_ref().queued() >= OUT_QUEUE_MAX {
            self.stats.writes_refused += 1;
            return Ok(0);
        }
        let n = data.len().min(RECORD_MAX);
        match s.ssl_write(&data[..n]) {
            Ok(k) => {
                let _ = s.get_mut().push();
                self.stats.bytes_out += k as u64;
                Ok(k)
            }
            Err(e) if matches!(e.code(), ErrorCode::WANT_READ | ErrorCode::WANT_WRITE) => Ok(0),
            Err(e) => {
                let text = ssl_error_text(&e, s.ssl());
                self.fail(TlsStatus::Error, format!("write failed: {text}"));
                Err(Error::ConnectionError)
            }
        }
    }

    fn get_data(&mut self, buf: &mut [u8]) -> Result<()> {
        let deadline = self.blocking_deadline();
        let mut done = 0;
        while done < buf.len() {
            let n = self.get_partial_data(&mut buf[done..])?;
            done += n;
            if n == 0 {
                if Instant::now() >= deadline {
                    return Err(Error::Timeout);
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        Ok(())
    }

    fn get_partial_data(&mut self, buf: &mut [u8]) -> Result<usize> {
        if self.buffered() == 0 {
            if self.status != TlsStatus::Connected {
                return Err(Error::Unconfigured);
            }
            self.pump();
        }
        let n = self.buffered().min(buf.len());
        buf[..n].copy_from_slice(&self.inbuf[self.in_pos..self.in_pos + n]);
        self.in_pos += n;
        if self.in_pos == self.inbuf.len() {
            self.inbuf.clear();
            self.in_pos = 0;
        }
        if n == 0 && self.status != TlsStatus::Connected {
            return Err(Error::Unconfigured);
        }
        Ok(n)
    }

    /// Decrypted bytes ready: buffered here plus what OpenSSL holds decrypted.
    fn get_available_bytes(&self) -> i32 {
        let pending = self.ssl.as_ref().map_or(0, |s| s.ssl().pending());
        (self.buffered() + pending).min(i32::MAX as usize) as i32
    }

    fn is_big_endian(&self) -> bool {
        self.big_endian
    }

    fn set_big_endian(&mut self, big_endian: bool) {
        self.big_endian = big_endian;
    }
}
