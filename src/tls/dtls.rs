//! PacketPeerDTLS (`docs/classes.md` §10) over a connected PacketPeerUDP, and DTLSServer
//! (`docs/classes.md` §11) with HelloVerifyRequest cookies. DTLS 1.2 on OpenSSL; one `put_packet` =
//! one application-data record in one datagram.
//!
//! Same as the engine: the Status values, `connect_to_peer` refusing a UDP peer that is not
//! connected or server options (`ERR_INVALID_PARAMETER`), `poll` driving the handshake and its
//! retransmission timer, a peer's close_notify answered and ending in DISCONNECTED, `put_packet`
//! of 0 bytes is OK, `get_max_packet_size` 488; DTLSServer's `setup` refuses client options and a
//! second call (`ERR_ALREADY_IN_USE`); `take_connection` always returns a peer whose status tells
//! the result, and the caller-visible cookie round: the server-side peer that received a ClientHello
//! without a valid cookie answers with a HelloVerifyRequest and ends in STATUS_ERROR, releasing its
//! UDP peer, so the client's second ClientHello arrives as a new UDPServer connection. The cookie is
//! an HMAC-SHA256 (per-server random secret) of the client's 16-byte address and 2-byte port as the
//! server sees them; the object that answered the first ClientHello is freed within
//! `take_connection`, so no state outlives a source whose cookie was not verified.
//!
//! How the second ClientHello reaches a fresh session: it carries `message_seq` 1, and a new OpenSSL
//! server session expects 0 (OpenSSL's own answer, `DTLSv1_listen`, is not in the safe API). When
//! the first datagram of a new source is an unfragmented ClientHello with a cookie that verifies,
//! the session is first given the same ClientHello without the cookie, as message 0 and one record
//! number earlier; its HelloVerifyRequest answer is dropped, and then it reads the real one. The
//! session is then exactly where a stateful cookie exchange leaves it (the first ClientHello and the
//! HelloVerifyRequest are not part of the handshake transcript, RFC 6347 §4.2.1).
//!
//! Differences, on purpose:
//! - `get_packet` with nothing ready is `ERR_UNAVAILABLE` (the engine: OK with an empty packet).
//! - A `put_packet` whose datagram the socket would not take is `ERR_BUSY` and counted (the engine
//!   reports OK and the data is lost silently).
//! - `get_available_packet_count` counts the decrypted packets queued (the engine: 0 or 1), and reads
//!   the transport itself (the engine needs a `poll` first). The queue is bounded
//!   ([`DTLS_QUEUE_MAX_PACKETS`] packets, [`DTLS_QUEUE_MAX_BYTES`] bytes); overflow is dropped and
//!   counted.
//! - Packets that arrived before the peer's close_notify can still be read after the status changed.
//! - ERROR_HOSTNAME_MISMATCH only for a real name mismatch; the reason of every failure is in
//!   `get_last_error_text`.
//! - A handshake is abandoned after `handshake_timeout` (60 s default; mbedTLS's retransmission gives
//!   up after about 63 s). DTLSServer bounds the handshakes it has under way after the cookie round
//!   (`max_handshakes`, 128 default): beyond it the new peer ends in STATUS_ERROR and is counted.
//! - A new source whose first datagram is neither a ClientHello without a cookie (answered by the
//!   cookie round) nor a ClientHello with a valid cookie ends in STATUS_ERROR at once (the engine
//!   keeps a HANDSHAKING object that waits for its timeout), and is counted.
//! - A ClientHello fragmented over several datagrams (RFC 6347 §4.2.3; OpenSSL clients fragment at
//!   their MTU) is reassembled from the datagrams already queued when `take_connection` runs (the
//!   client sends them back to back; at most 64 fragments, 64 KiB): with a cookie it is replayed
//!   into the session whole, as one record. Nothing is kept between calls, so a ClientHello whose
//!   fragments are not all there yet ends in STATUS_ERROR and is counted (`failed_first_steps`);
//!   the client's retransmission tries again. (mbedTLS's stateless cookie check does not take a
//!   fragmented ClientHello at all; mbedTLS itself sends whole messages.)
//! - `disconnect_from_peer` during a handshake drops the session too (the engine ignores it).
//! - OpenSSL fragments handshake messages at a 1400-byte MTU (mbedTLS as Godot configures it sends
//!   whole messages and lets IP fragment them); both are valid DTLS.
#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use openssl::ex_data::Index;
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::Signer;
use openssl::ssl::{ErrorCode, Ssl, SslContext, SslOptions, SslStream};

use super::io::{Datagram, DgramConditioner, DgramIo};
use super::options::TlsOptions;
use super::stream::{
    handshake_step_outcome, ssl_error_text, HandshakeStep, DEFAULT_HANDSHAKE_TIMEOUT,
};
use super::{TlsError, TlsStatus};
use crate::conditioner::{ConditionerOptions, ConditionerStats};
use crate::error::{Error, Result};
use crate::net::udp::PacketPeerUdp;
use crate::peer::{PacketPeer, PeerBase};
use crate::sync::Shared;

/// Decrypted packets queued at most (beyond: dropped and counted).
pub const DTLS_QUEUE_MAX_PACKETS: usize = 1024;
/// Decrypted bytes queued at most.
pub const DTLS_QUEUE_MAX_BYTES: usize = 1 << 20;
/// Largest plaintext of one record (`put_packet` beyond it is `ERR_INVALID_PARAMETER`).
pub const DTLS_MAX_RECORD: usize = 16 * 1024;
/// The datagram size the handshake is fragmented to.
pub const DTLS_MTU: u32 = 1400;
/// Default bound of DTLSServer's handshakes under way.
pub const DEFAULT_MAX_HANDSHAKES: usize = 128;

/// Counters of one PacketPeerDTLS (server-side counters are in [`DtlsServer::stats`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DtlsStats {
    pub handshakes_completed: u64,
    pub handshakes_failed: u64,
    pub datagrams_in: u64,
    pub datagrams_out: u64,
    pub packets_in: u64,
    pub packets_out: u64,
    /// `put_packet` calls (or handshake datagrams) the socket would not take.
    pub send_busy: u64,
    /// Decrypted packets dropped because the queue was full.
    pub queue_drops: u64,
    /// Failed reads or writes of records after the handshake.
    pub record_errors: u64,
    /// Datagrams read after the handshake that delivered no packet, which OpenSSL discards without
    /// a word: replayed records (the DTLS replay window, RFC 6347 §4.1.2.6), records failing
    /// authentication or of another epoch (§4.1.2.7), and handshake retransmissions.
    pub records_discarded: u64,
}

/// What the server needs of a datagram that may be a DTLS ClientHello.
struct ClientHello {
    record_seq: u64,
    message_seq: u16,
    /// Offset of the cookie length byte in the datagram, and the cookie's length.
    cookie_at: usize,
    cookie_len: usize,
}

fn be(b: &[u8]) -> u64 {
    b.iter().fold(0, |a, &x| (a << 8) | x as u64)
}

/// Parses an unfragmented ClientHello alone in one record (RFC 6347 §4.1, §4.2.2, §4.2.1).
fn parse_client_hello(d: &[u8]) -> Option<ClientHello> {
    // Record header: type, version, epoch, sequence (6), length.
    if d.len() < 13 || d[0] != 22 || be(&d[3..5]) != 0 {
        return None;
    }
    let rec_len = be(&d[11..13]) as usize;
    if 13 + rec_len != d.len() {
        return None;
    }
    let h = &d[13..];
    // Handshake header: type 1 (ClientHello), length (3), message_seq (2), fragment offset (3),
    // fragment length (3).
    if h.len() < 12 || h[0] != 1 {
        return None;
    }
    let len = be(&h[1..4]) as usize;
    if be(&h[6..9]) != 0 || be(&h[9..12]) as usize != len || 12 + len != h.len() {
        return None;
    }
    let body = &h[12..];
    // client_version (2), random (32), session_id, cookie.
    let sid_at = 34;
    let sid_len = *body.get(sid_at)? as usize;
    let cookie_at = sid_at + 1 + sid_len;
    let cookie_len = *body.get(cookie_at)? as usize;
    if cookie_at + 1 + cookie_len > body.len() {
        return None;
    }
    Some(ClientHello {
        record_seq: be(&d[5..11]),
        message_seq: be(&h[4..6]) as u16,
        cookie_at: 13 + 12 + cookie_at,
        cookie_len,
    })
}

/// Fragments of one ClientHello taken at most (RFC 6347 §4.2.3), and the largest ClientHello
/// reassembled.
const HELLO_FRAGMENTS_MAX: usize = 64;
const HELLO_MAX: usize = 1 << 16;

/// A ClientHello fragment alone in one epoch-0 record: (record seq, message length, message_seq,
/// fragment offset, fragment bytes).
fn fragment_of_hello(d: &[u8]) -> Option<(u64, usize, u16, usize, &[u8])> {
    if d.len() < 25 || d[0] != 22 || be(&d[3..5]) != 0 || 13 + be(&d[11..13]) as usize != d.len() {
        return None;
    }
    let h = &d[13..];
    if h[0] != 1 {
        return None;
    }
    let (len, off, flen) = (
        be(&h[1..4]) as usize,
        be(&h[6..9]) as usize,
        be(&h[9..12]) as usize,
    );
    if 12 + flen != h.len() || off + flen > len || len > HELLO_MAX {
        return None;
    }
    Some((be(&d[5..11]), len, be(&h[4..6]) as u16, off, &h[12..]))
}

/// Reassembles a ClientHello whose first fragment is `first` from the datagrams already waiting in
/// `t` (read into `more`, at most [`HELLO_FRAGMENTS_MAX`]): the whole message as one unfragmented
/// record with the highest record number of its fragments, or None if it is not complete yet.
/// Reads only what is queued now; nothing is kept for a later call.
fn reassemble_client_hello(
    first: &[u8],
    t: &mut dyn Datagram,
    more: &mut Vec<Vec<u8>>,
) -> Option<(Vec<u8>, ClientHello)> {
    let (seq0, len, mseq, off, bytes) = fragment_of_hello(first)?;
    let mut body = vec![0u8; len];
    let mut have = vec![false; len];
    fn add(body: &mut [u8], have: &mut [bool], off: usize, bytes: &[u8]) {
        body[off..off + bytes.len()].copy_from_slice(bytes);
        have[off..off + bytes.len()].fill(true);
    }
    add(&mut body, &mut have, off, bytes);
    let mut seq = seq0;
    let mut buf = vec![0u8; 65536];
    while more.len() < HELLO_FRAGMENTS_MAX && have.iter().any(|h| !h) {
        let Ok(Some(n)) = t.recv(&mut buf) else {
            break;
        };
        let d = buf[..n].to_vec();
        if let Some((s, l, m, o, b)) = fragment_of_hello(&d) {
            if l == len && m == mseq {
                add(&mut body, &mut have, o, b);
                seq = seq.max(s);
            }
        }
        more.push(d);
    }
    if have.iter().any(|h| !h) {
        return None;
    }
    let mut d = first[..3].to_vec();
    d.extend_from_slice(&[0, 0]);
    d.extend_from_slice(&seq.to_be_bytes()[2..]);
    d.extend_from_slice(&((12 + len) as u16).to_be_bytes());
    d.push(1);
    d.extend_from_slice(&(len as u32).to_be_bytes()[1..]);
    d.extend_from_slice(&mseq.to_be_bytes());
    d.extend_from_slice(&[0, 0, 0]);
    d.extend_from_slice(&(len as u32).to_be_bytes()[1..]);
    d.extend_from_slice(&body);
    let ch = parse_client_hello(&d)?;
    Some((d, ch))
}

/// The same ClientHello without its cookie, as message 0, one record number earlier.
fn first_hello_of(d: &[u8], ch: &ClientHello) -> Vec<u8> {
    let mut out = Vec::with_capacity(d.len());
    out.extend_from_slice(&d[..ch.cookie_at]);
    out.push(0);
    out.extend_from_slice(&d[ch.cookie_at + 1 + ch.cookie_len..]);
    let rec_len = out.len() - 13;
    let hs_len = rec_len - 12;
    out[5..11].copy_from_slice(&(ch.record_seq - 1).to_be_bytes()[2..]);
    out[11..13].copy_from_slice(&(rec_len as u16).to_be_bytes());
    out[14..17].copy_from_slice(&(hs_len as u32).to_be_bytes()[1..]);
    out[17..19].copy_from_slice(&0u16.to_be_bytes());
    out[22..25].copy_from_slice(&(hs_len as u32).to_be_bytes()[1..]);
    out
}

/// A server session's transport: first the datagrams already read (and possibly the synthesized
/// first ClientHello), then the real transport; while `drop_hvr`, an outgoing HelloVerifyRequest
/// (the answer to the synthesized ClientHello) is dropped.
struct Primed {
    pre: VecDeque<Vec<u8>>,
    drop_hvr: bool,
    /// False for a session that only answers the source's first datagram (no verified cookie): it
    /// must not read on, or OpenSSL would do the cookie exchange statefully with a second
    /// ClientHello queued behind the first and answer it from a session that is then dropped.
    read_inner: bool,
    inner: Box<dyn Datagram>,
}

impl Datagram for Primed {
    fn recv(&mut self, buf: &mut [u8]) -> std::result::Result<Option<usize>, Error> {
        if let Some(d) = self.pre.pop_front() {
            let n = d.len().min(buf.len());
            buf[..n].copy_from_slice(&d[..n]);
            return Ok(Some(n));
        }
        if !self.read_inner {
            return Ok(None);
        }
        self.inner.recv(buf)
    }

    fn send(&mut self, data: &[u8]) -> std::result::Result<(), Error> {
        if self.drop_hvr && data.len() > 13 && data[0] == 22 && data[13] == 3 {
            self.drop_hvr = false;
            return Ok(());
        }
        self.inner.send(data)
    }
}

/// Decrements a DTLSServer's count of handshakes under way when the peer leaves HANDSHAKING.
struct HalfOpen(Arc<AtomicUsize>);

impl Drop for HalfOpen {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A DTLS session over a datagram transport.
pub struct PacketPeerDtls {
    base: PeerBase,
    status: TlsStatus,
    ssl: Option<SslStream<DgramIo>>,
    udp: Option<Shared<PacketPeerUdp>>,
    queue: VecDeque<Vec<u8>>,
    queued_bytes: usize,
    packet: Vec<u8>,
    scratch: Vec<u8>,
    pins: Vec<[u8; 32]>,
    last_error: String,
    handshake_timeout: Duration,
    deadline: Option<Instant>,
    half_open: Option<HalfOpen>,
    stats: DtlsStats,
    /// The conditioner's options, given to every session this peer starts.
    cond_opts: Option<ConditionerOptions>,
    /// What the conditioner of the last session did, kept when the session ended.
    cond_stats: Option<ConditionerStats>,
}

impl Default for PacketPeerDtls {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for PacketPeerDtls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PacketPeerDtls {{ status: {:?} }}", self.status)
    }
}

impl PacketPeerDtls {
    pub fn new() -> Self {
        PacketPeerDtls {
            base: PeerBase::default(),
            status: TlsStatus::Disconnected,
            ssl: None,
            udp: None,
            queue: VecDeque::new(),
            queued_bytes: 0,
            packet: Vec::new(),
            scratch: Vec::new(),
            pins: Vec::new(),
            last_error: String::new(),
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
            deadline: None,
            half_open: None,
            stats: DtlsStats::default(),
            cond_opts: None,
            cond_stats: None,
        }
    }

    /// Puts a network conditioner (`crate::conditioner`) between the DTLS session and its UDP
    /// peer, or removes it (`None`; datagrams it holds are dropped with it). It applies to the
    /// session under way from now on and to every later session of this peer (a new connect starts
    /// it afresh). Held datagrams leave or arrive on this peer's own calls (`poll`, `get_packet`,
    /// `get_available_packet_count`, `put_packet`). `ERR_INVALID_PARAMETER` for bad options.
    pub fn set_conditioner(&mut self, opts: Option<ConditionerOptions>) -> Result<()> {
        let c = match opts {
            Some(o) => Some(Box::new(DgramConditioner::new(o)?)),
            None => None,
        };
        self.cond_opts = opts;
        self.cond_stats = None;
        if let Some(s) = self.ssl.as_mut() {
            s.get_mut().cond = c;
        }
        Ok(())
    }

    /// What the conditioner did in the current (or last) session; None without a conditioner.
    pub fn conditioner_stats(&self) -> Option<ConditionerStats> {
        self.cond_opts?;
        match self.ssl.as_ref() {
            Some(s) => s.get_ref().cond.as_ref().map(|c| c.c.stats()),
            None => Some(self.cond_stats.unwrap_or_default()),
        }
    }

    pub fn get_status(&self) -> TlsStatus {
        self.status
    }

    pub fn get_last_error_text(&self) -> &str {
        &self.last_error
    }

    pub fn stats(&self) -> DtlsStats {
        let mut s = self.stats;
        if let Some(io) = self.ssl.as_ref().map(|s| s.get_ref()) {
            s.datagrams_in += io.datagrams_in;
            s.datagrams_out += io.datagrams_out;
            s.send_busy += io.busy_drops;
        }
        s
    }

    pub fn set_handshake_timeout(&mut self, t: Duration) {
        self.handshake_timeout = t;
    }

    /// The UDP peer under the session (None once released).
    pub fn get_udp_peer(&self) -> Option<Shared<PacketPeerUdp>> {
        self.udp.clone()
    }

    /// `connect_to_peer(packet_peer, hostname, client_options = null)`: starts a client handshake
    /// (sends the ClientHello). See the module doc for the codes.
    pub fn connect_to_peer(
        &mut self,
        udp: Shared<PacketPeerUdp>,
        hostname: &str,
        options: Option<&TlsOptions>,
    ) -> Result<()> {
        if !udp.lock()?.is_socket_connected() {
            self.last_error = "the UDP peer is not connected".into();
            return Err(Error::InvalidParameter);
        }
        self.connect_over(Box::new(udp.clone()), hostname, options)?;
        self.udp = Some(udp);
        Ok(())
    }

    /// A client handshake over any datagram transport (ENet over DTLS uses this).
    pub fn connect_over(
        &mut self,
        t: Box<dyn Datagram>,
        hostname: &str,
        options: Option<&TlsOptions>,
    ) -> Result<()> {
        if matches!(self.status, TlsStatus::Handshaking | TlsStatus::Connected) {
            self.last_error = "already connected".into();
            return Err(Error::AlreadyInUse);
        }
        let opts = options
            .cloned()
            .unwrap_or_else(|| TlsOptions::client(None, ""));
        let ssl = (|| -> std::result::Result<Ssl, TlsError> {
            let ctx = opts.client_context(true)?;
            let mut ssl =
                Ssl::new(&ctx).map_err(|e| TlsError::new(Error::Failed, "session", &e))?;
            ssl.set_mtu(DTLS_MTU)
                .map_err(|e| TlsError::new(Error::Failed, "MTU", &e))?;
            if let Some(name) = opts.expected_name(hostname) {
                let fail = |e| TlsError::new(Error::InvalidParameter, "hostname", &e);
                match name.parse::<IpAddr>() {
                    Ok(ip) => ssl.param_mut().set_ip(ip).map_err(fail)?,
                    Err(_) => {
                        ssl.set_hostname(name).map_err(fail)?;
                        ssl.param_mut().set_host(name).map_err(fail)?;
                    }
                }
            }
            ssl.set_connect_state();
            Ok(ssl)
        })();
        let ssl = match ssl {
            Ok(s) => s,
            Err(e) => {
                self.last_error = e.text;
                return Err(e.code);
            }
        };
        self.pins = opts.pins().to_vec();
        self.start(ssl, t)?;
        self.step();
        match self.status {
            TlsStatus::Handshaking | TlsStatus::Connected => Ok(()),
            _ => Err(Error::Failed),
        }
    }

    fn start(&mut self, ssl: Ssl, t: Box<dyn Datagram>) -> Result<()> {
        let mut io = DgramIo::new(t);
        if let Some(o) = self.cond_opts {
            io.cond = DgramConditioner::new(o).ok().map(Box::new);
            self.cond_stats = None;
        }
        let s = SslStream::new(ssl, io).map_err(|e| {
            self.last_error = TlsError::new(Error::Failed, "session", &e).text;
            Error::Failed
        })?;
        self.ssl = Some(s);
        self.queue.clear();
        self.queued_bytes = 0;
        self.last_error.clear();
        self.status = TlsStatus::Handshaking;
        self.deadline = Some(Instant::now() + self.handshake_timeout);
        Ok(())
    }

    /// One handshake step.
    fn step(&mut self) {
        let Some(s) = self.ssl.as_mut() else { return };
        let r = s.do_handshake();
        match handshake_step_outcome(s, r, &self.pins, self.deadline) {
            HandshakeStep::Connected => {
                self.status = TlsStatus::Connected;
                self.deadline = None;
                self.half_open = None;
                self.stats.handshakes_completed += 1;
            }
            HandshakeStep::Pending => {}
            HandshakeStep::Failed(st, text) => self.fail(st, text),
        }
    }

    /// Ends the session in `status`, releasing the OpenSSL session and the UDP peer.
    fn fail(&mut self, status: TlsStatus, text: String) {
        if self.status == TlsStatus::Handshaking {
            self.stats.handshakes_failed += 1;
        } else {
            self.stats.record_errors += 1;
        }
        self.release();
        self.status = status;
        self.last_error = text;
    }

    fn release(&mut self) {
        if let Some(s) = self.ssl.take() {
            let io = s.get_ref();
            if let Some(c) = &io.cond {
                self.cond_stats = Some(c.c.stats());
            }
            self.stats.datagrams_in += io.datagrams_in;
            self.stats.datagrams_out += io.datagrams_out;
            self.stats.send_busy += io.busy_drops;
        }
        self.udp = None;
        self.deadline = None;
        self.half_open = None;
    }

    /// `poll()`: advances the handshake (and its retransmission timer), or reads records.
    pub fn poll(&mut self) {
        match self.status {
            TlsStatus::Handshaking => self.step(),
            TlsStatus::Connected => self.pump(),
            _ => {}
        }
    }

    /// Decrypts every waiting record into the queue.
    fn pump(&mut self) {
        while let Some(n) = self.read_one() {
            if self.queue.len() >= DTLS_QUEUE_MAX_PACKETS
                || self.queued_bytes + n > DTLS_QUEUE_MAX_BYTES
            {
                self.stats.queue_drops += 1;
            } else {
                self.queued_bytes += n;
                self.queue.push_back(self.scratch[..n].to_vec());
            }
        }
    }

    /// Decrypts the next waiting record into `scratch`; its length, or None when nothing is ready
    /// (or the session ended: close_notify answered, or a fatal error).
    fn read_one(&mut self) -> Option<usize> {
        if self.status != TlsStatus::Connected {
            return None;
        }
        if self.scratch.len() < 65536 {
            self.scratch.resize(65536, 0);
        }
        let s = self.ssl.as_mut()?;
        let before = s.get_ref().datagrams_in;
        let r = s.ssl_read(&mut self.scratch);
        let read = s.get_ref().datagrams_in - before;
        // A close_notify is used, not discarded.
        let delivered = u64::from(match &r {
            Ok(_) => true,
            Err(e) => e.code() == ErrorCode::ZERO_RETURN,
        });
        self.stats.records_discarded += read.saturating_sub(delivered);
        match r {
            Ok(n) => {
                self.stats.packets_in += 1;
                Some(n)
            }
            Err(e) if matches!(e.code(), ErrorCode::WANT_READ | ErrorCode::WANT_WRITE) => None,
            Err(e) if e.code() == ErrorCode::ZERO_RETURN => {
                let _ = s.shutdown();
                self.release();
                self.status = TlsStatus::Disconnected;
                self.last_error = "peer closed the session (close_notify)".into();
                None
            }
            Err(e) => {
                let text = ssl_error_text(&e, s.ssl());
                self.fail(TlsStatus::Error, format!("read failed: {text}"));
                None
            }
        }
    }

    /// `disconnect_from_peer()`: close_notify when connected, then the session is dropped.
    pub fn disconnect_from_peer(&mut self) {
        if self.status == TlsStatus::Connected {
            if let Some(s) = self.ssl.as_mut() {
                let _ = s.shutdown();
            }
        }
        if matches!(self.status, TlsStatus::Connected | TlsStatus::Handshaking) {
            self.release();
            self.status = TlsStatus::Disconnected;
        }
    }
}

impl PacketPeer for PacketPeerDtls {
    fn get_available_packet_count(&mut self) -> i32 {
        self.pump();
        self.queue.len().min(i32::MAX as usize) as i32
    }

    fn get_packet(&mut self) -> Result<&[u8]> {
        let was_connected = self.status == TlsStatus::Connected;
        if self.queue.is_empty() {
            // One record straight into the packet buffer: no queueing, and no read past it.
            if let Some(n) = self.read_one() {
                self.packet.clear();
                self.packet.extend_from_slice(&self.scratch[..n]);
                return Ok(&self.packet);
            }
        }
        match self.queue.pop_front() {
            Some(p) => {
                self.queued_bytes -= p.len();
                self.packet = p;
                Ok(&self.packet)
            }
            None if !was_connected => Err(Error::Unconfigured),
            None if self.status != TlsStatus::Connected => Err(Error::ConnectionError),
            None => Err(Error::Unavailable),
        }
    }

    fn put_packet(&mut self, data: &[u8]) -> Result<()> {
        if self.status != TlsStatus::Connected {
            return Err(Error::Unconfigured);
        }
        if data.is_empty() {
            return Ok(());
        }
        if data.len() > DTLS_MAX_RECORD {
            return Err(Error::InvalidParameter);
        }
        let Some(s) = self.ssl.as_mut() else {
            return Err(Error::Unconfigured);
        };
        s.get_mut().busy = false;
        match s.ssl_write(data) {
            Ok(_) if s.get_ref().busy => Err(Error::Busy),
            Ok(_) => {
                self.stats.packets_out += 1;
                Ok(())
            }
            Err(e) if matches!(e.code(), ErrorCode::WANT_READ | ErrorCode::WANT_WRITE) => {
                Err(Error::Busy)
            }
            Err(e) => {
                let text = ssl_error_text(&e, s.ssl());
                self.fail(TlsStatus::Error, format!("write failed: {text}"));
                Err(Error::ConnectionError)
            }
        }
    }

    /// 488, nominal (512 − 24), like the engine.
    fn get_max_packet_size(&self) -> i32 {
        488
    }

    fn base(&self) -> &PeerBase {
        &self.base
    }

    fn base_mut(&mut self) -> &mut PeerBase {
        &mut self.base
    }
}

/// Counters of a DTLSServer.
#[derive(Debug, Default)]
pub struct DtlsServerStats {
    /// ClientHellos answered with a HelloVerifyRequest (the cookie round).
    pub cookie_rounds: u64,
    /// Peers refused because `max_handshakes` were under way.
    pub refused_handshakes: u64,
    /// Peers whose first step failed for another reason (garbage, bad cookie, ...).
    pub failed_first_steps: u64,
    /// Handshakes started after a verified cookie.
    pub handshakes_started: u64,
}

fn peer_id_index() -> Option<Index<Ssl, [u8; 18]>> {
    static IDX: OnceLock<Option<Index<Ssl, [u8; 18]>>> = OnceLock::new();
    *IDX.get_or_init(|| Ssl::new_ex_index().ok())
}

fn hvr_index() -> Option<Index<Ssl, bool>> {
    static IDX: OnceLock<Option<Index<Ssl, bool>>> = OnceLock::new();
    *IDX.get_or_init(|| Ssl::new_ex_index().ok())
}

/// The transport id a cookie is bound to: 16-byte address (IPv4 mapped) + 2-byte port.
pub fn transport_id(ip: IpAddr, port: u16) -> [u8; 18] {
    let v6 = match ip {
        IpAddr::V4(v) => v.to_ipv6_mapped(),
        IpAddr::V6(v) => v,
    };
    let mut id = [0u8; 18];
    id[..16].copy_from_slice(&v6.octets());
    id[16..].copy_from_slice(&port.to_be_bytes());
    id
}

fn cookie_of(secret: &[u8; 32], id: &[u8; 18]) -> Option<Vec<u8>> {
    let key = PKey::hmac(secret).ok()?;
    let mut s = Signer::new(MessageDigest::sha256(), &key).ok()?;
    s.update(id).ok()?;
    s.sign_to_vec().ok()
}

/// DTLSServer: the server configuration and cookie secret; turns UDPServer peers into
/// PacketPeerDTLS sessions.
pub struct DtlsServer {
    ctx: Option<SslContext>,
    secret: [u8; 32],
    max_handshakes: usize,
    under_way: Arc<AtomicUsize>,
    handshake_timeout: Duration,
    stats: DtlsServerStats,
    last_error: String,
    /// Conditioner options for the peers this server hands out, and how many got one.
    cond_opts: Option<ConditionerOptions>,
    cond_peers: u64,
}

impl Default for DtlsServer {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for DtlsServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DtlsServer {{ set_up: {} }}", self.ctx.is_some())
    }
}

impl DtlsServer {
    pub fn new() -> Self {
        DtlsServer {
            ctx: None,
            secret: [0; 32],
            max_handshakes: DEFAULT_MAX_HANDSHAKES,
            under_way: Arc::new(AtomicUsize::new(0)),
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
            stats: DtlsServerStats::default(),
            last_error: String::new(),
            cond_opts: None,
            cond_peers: 0,
        }
    }

    /// Gives every peer `take_connection` hands out from now on a network conditioner with these
    /// options (the n-th such peer seeded `seed + n`, n from 0, so runs repeat), or none (`None`).
    /// It acts once the cookie round is over: from the server's answer to the verified ClientHello
    /// on. Each peer's counters: [`PacketPeerDtls::conditioner_stats`]. `ERR_INVALID_PARAMETER`
    /// for bad options.
    pub fn set_conditioner(&mut self, opts: Option<ConditionerOptions>) -> Result<()> {
        if let Some(o) = opts {
            o.check()?;
        }
        self.cond_opts = opts;
        self.cond_peers = 0;
        Ok(())
    }

    pub fn stats(&self) -> &DtlsServerStats {
        &self.stats
    }

    pub fn get_last_error_text(&self) -> &str {
        &self.last_error
    }

    /// Handshakes under way (after their cookie round) of peers this server handed out.
    pub fn handshakes_under_way(&self) -> usize {
        self.under_way.load(Ordering::Relaxed)
    }

    pub fn set_max_handshakes(&mut self, n: usize) {
        self.max_handshakes = n;
    }

    pub fn get_max_handshakes(&self) -> usize {
        self.max_handshakes
    }

    /// Handshake time limit given to the peers this server hands out.
    pub fn set_handshake_timeout(&mut self, t: Duration) {
        self.handshake_timeout = t;
    }

    /// `setup(server_options)`: client options are `ERR_INVALID_PARAMETER`, a second call
    /// `ERR_ALREADY_IN_USE`.
    pub fn setup(&mut self, options: &TlsOptions) -> Result<()> {
        if !options.is_server() {
            self.last_error = "DTLSServer.setup needs server options".into();
            return Err(Error::InvalidParameter);
        }
        if self.ctx.is_some() {
            self.last_error = "DTLSServer is already set up".into();
            return Err(Error::AlreadyInUse);
        }
        let r = (|| -> std::result::Result<(SslContext, [u8; 32]), TlsError> {
            let mut b = options.server_builder(true)?;
            let mut secret = [0u8; 32];
            openssl::rand::rand_bytes(&mut secret)
                .map_err(|e| TlsError::new(Error::Failed, "cookie secret", &e))?;
            let (pid, hvr) = peer_id_index()
                .zip(hvr_index())
                .ok_or_else(|| TlsError::plain(Error::Failed, "no OpenSSL ex_data index"))?;
            b.set_options(SslOptions::COOKIE_EXCHANGE);
            b.set_cookie_generate_cb(move |ssl, out| {
                let id = ssl.ex_data(pid).copied().unwrap_or([0; 18]);
                ssl.set_ex_data(hvr, true);
                let c = cookie_of(&secret, &id).unwrap_or_default();
                let n = c.len().min(out.len());
                out[..n].copy_from_slice(&c[..n]);
                Ok(n)
            });
            b.set_cookie_verify_cb(move |ssl, cookie| {
                let Some(id) = ssl.ex_data(pid).copied() else {
                    return false;
                };
                match cookie_of(&secret, &id) {
                    Some(c) => c.len() == cookie.len() && openssl::memcmp::eq(&c, cookie),
                    None => false,
                }
            });
            Ok((b.build(), secret))
        })();
        match r {
            Ok((ctx, secret)) => {
                self.ctx = Some(ctx);
                self.secret = secret;
                Ok(())
            }
            Err(e) => {
                self.last_error = e.text;
                Err(e.code)
            }
        }
    }

    pub fn is_set_up(&self) -> bool {
        self.ctx.is_some()
    }

    /// `take_connection(udp_peer)`: None if not set up; otherwise a new peer whose status is the
    /// result (HANDSHAKING, ERROR — including the cookie round — or DISCONNECTED when the UDP peer
    /// is not connected). The UDP peer is switched to non-blocking mode.
    pub fn take_connection(&mut self, udp: Shared<PacketPeerUdp>) -> Option<PacketPeerDtls> {
        let (ip, port) = {
            let Ok(mut u) = udp.lock() else {
                return None;
            };
            if !u.is_socket_connected() {
                let mut p = PacketPeerDtls::new();
                p.last_error = "the UDP peer is not connected".into();
                return self.ctx.as_ref().map(|_| p);
            }
            u.set_blocking_mode(false);
            (u.get_packet_ip(), u.get_packet_port())
        };
        let ip = ip.unwrap_or(IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED));
        let mut p = self.accept_over(Box::new(udp.clone()), transport_id(ip, port))?;
        if p.status == TlsStatus::Handshaking {
            p.udp = Some(udp);
        }
        self.condition_new_peer(&mut p);
        Some(p)
    }

    /// Gives a peer just handed out (HANDSHAKING) the conditioner of `set_conditioner`, the n-th
    /// such peer seeded `seed + n`; other peers are left alone. Every path that hands out peers
    /// (`take_connection`, the C API's) calls it.
    pub(crate) fn condition_new_peer(&mut self, p: &mut PacketPeerDtls) {
        if p.status != TlsStatus::Handshaking {
            return;
        }
        if let Some(mut o) = self.cond_opts {
            o.seed = o.seed.wrapping_add(self.cond_peers);
            self.cond_peers += 1;
            let _ = p.set_conditioner(Some(o));
        }
    }

    /// Ends a new peer refused because `max_handshakes` are under way (counted).
    fn refuse(&mut self, mut p: PacketPeerDtls) -> PacketPeerDtls {
        self.stats.refused_handshakes += 1;
        p.release();
        p.status = TlsStatus::Error;
        p.last_error = format!(
            "refused: {} handshakes already under way (max_handshakes)",
            self.max_handshakes
        );
        self.last_error = p.last_error.clone();
        p
    }

    /// A server session over any datagram transport whose source is `id` (ENet over DTLS uses
    /// this). None if not set up.
    pub fn accept_over(
        &mut self,
        mut t: Box<dyn Datagram>,
        id: [u8; 18],
    ) -> Option<PacketPeerDtls> {
        let ctx = self.ctx.as_ref()?;
        // The source's first datagram: a ClientHello whose cookie verifies is replayed into the new
        // session behind a synthesized first ClientHello (see the module doc).
        let mut pre = VecDeque::new();
        let mut priming = false;
        let mut first = vec![0u8; 65536];
        if let Ok(Some(n)) = t.recv(&mut first) {
            first.truncate(n);
            // Datagrams read after the first (the rest of a fragmented ClientHello, and whatever
            // came with it), in arrival order.
            let mut more = Vec::new();
            let hello = match parse_client_hello(&first) {
                Some(ch) => Some((first.clone(), ch)),
                None => reassemble_client_hello(&first, &mut *t, &mut more),
            };
            if let Some((d, ch)) = hello {
                let cookie = &d[ch.cookie_at + 1..ch.cookie_at + 1 + ch.cookie_len];
                let valid = cookie_of(&self.secret, &id)
                    .is_some_and(|c| c.len() == cookie.len() && openssl::memcmp::eq(&c, cookie));
                if valid && ch.message_seq >= 1 && ch.record_seq >= 1 {
                    pre.push_back(first_hello_of(&d, &ch));
                    pre.push_back(d);
                    priming = true;
                }
            }
            if priming {
                // The fragments were replaced by the whole message; anything else goes on.
                pre.extend(more.into_iter().filter(|m| fragment_of_hello(m).is_none()));
            } else {
                pre.push_back(first);
                pre.extend(more);
            }
        }
        let mut p = PacketPeerDtls::new();
        p.handshake_timeout = self.handshake_timeout;
        // The bound is checked before any session exists: a refused source costs no key exchange,
        // no signature and no answer on the wire.
        if priming && self.under_way.load(Ordering::Relaxed) >= self.max_handshakes {
            return Some(self.refuse(p));
        }
        let t: Box<dyn Datagram> = Box::new(Primed {
            pre,
            drop_hvr: priming,
            read_inner: priming,
            inner: t,
        });
        let ssl = (|| -> std::result::Result<Ssl, TlsError> {
            let (pid, hvr) = peer_id_index()
                .zip(hvr_index())
                .ok_or_else(|| TlsError::plain(Error::Failed, "no OpenSSL ex_data index"))?;
            let mut ssl = Ssl::new(ctx).map_err(|e| TlsError::new(Error::Failed, "session", &e))?;
            ssl.set_mtu(DTLS_MTU)
                .map_err(|e| TlsError::new(Error::Failed, "MTU", &e))?;
            ssl.set_ex_data(pid, id);
            ssl.set_ex_data(hvr, false);
            ssl.set_accept_state();
            Ok(ssl)
        })();
        let ssl = match ssl {
            Ok(s) => s,
            Err(e) => {
                p.last_error = e.text;
                return Some(p);
            }
        };
        if p.start(ssl, t).is_err() {
            p.status = TlsStatus::Disconnected;
            return Some(p);
        }
        p.step();
        let hvr_sent = p
            .ssl
            .as_ref()
            .zip(hvr_index())
            .and_then(|(s, i)| s.ssl().ex_data(i).copied())
            .unwrap_or(false);
        if hvr_sent && !priming {
            self.stats.cookie_rounds += 1;
            p.release();
            p.status = TlsStatus::Error;
            p.last_error = "cookie round: answered with a HelloVerifyRequest".into();
            return Some(p);
        }
        if !priming && p.status == TlsStatus::Handshaking {
            // Not a ClientHello (garbage, a stray record of an old session, a fragment): no state
            // is kept for a source whose cookie was not verified.
            self.stats.failed_first_steps += 1;
            p.release();
            p.status = TlsStatus::Error;
            p.last_error = "the source's first datagram is not a ClientHello".into();
            return Some(p);
        }
        match p.status {
            TlsStatus::Handshaking => {
                if self.under_way.load(Ordering::Relaxed) >= self.max_handshakes {
                    return Some(self.refuse(p));
                }
                self.stats.handshakes_started += 1;
                self.under_way.fetch_add(1, Ordering::Relaxed);
                p.half_open = Some(HalfOpen(self.under_way.clone()));
            }
            TlsStatus::Connected => self.stats.handshakes_started += 1,
            _ => {
                self.stats.failed_first_steps += 1;
                self.last_error = p.last_error.clone();
            }
        }
        Some(p)
    }
}
