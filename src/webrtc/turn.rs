//! Relayed candidates: a TURN client over UDP (RFC 8656, which replaces RFC 5766), sans-IO. It
//! builds the datagrams to send to the TURN server and reads the server's datagrams; the connection
//! owns the socket and the clock and drives it from its `poll`.
//!
//! What it does: Allocate with the long-term credential mechanism (the first request goes without
//! credentials; the server's 401 gives REALM and NONCE; later requests carry USERNAME, REALM, NONCE
//! and MESSAGE-INTEGRITY, HMAC-SHA1 keyed with MD5(username ":" realm ":" password)); a 438 (Stale
//! Nonce) takes the new nonce and repeats the request; Refresh before the allocation's lifetime
//! ends; CreatePermission for each remote address (refreshed before its 300 s end); ChannelBind per
//! peer address the connection sends to (refreshed before its 600 s end), data as ChannelData once
//! bound and as Send indications before; Data indications and ChannelData in. Every table is
//! bounded. To the server over UDP (`turn:`), TCP (`turn:…?transport=tcp`) or TLS over TCP
//! (`turns:`); on a stream, messages go back to back with ChannelData padded to 4 bytes (§12.5),
//! requests are not retransmitted (RFC 8489 §6.2.2) and [`StreamFramer`] cuts what arrives into
//! messages. The relayed address is UDP in every case (REQUESTED-TRANSPORT 17).
#![forbid(unsafe_code)]

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::Signer;

const MAGIC: u32 = 0x2112_A442;

const ALLOCATE: u16 = 0x0003;
const REFRESH: u16 = 0x0004;
const SEND_INDICATION: u16 = 0x0016;
const DATA_INDICATION: u16 = 0x0017;
const CREATE_PERMISSION: u16 = 0x0008;
const CHANNEL_BIND: u16 = 0x0009;
/// Class bits of a message type: success response and error response.
const SUCCESS: u16 = 0x0100;
const ERROR: u16 = 0x0110;

const ATTR_XOR_MAPPED_ADDRESS: u16 = 0x0020;
const ATTR_USERNAME: u16 = 0x0006;
const ATTR_MESSAGE_INTEGRITY: u16 = 0x0008;
const ATTR_ERROR_CODE: u16 = 0x0009;
const ATTR_CHANNEL_NUMBER: u16 = 0x000C;
const ATTR_LIFETIME: u16 = 0x000D;
const ATTR_XOR_PEER_ADDRESS: u16 = 0x0012;
const ATTR_DATA: u16 = 0x0013;
const ATTR_REALM: u16 = 0x0014;
const ATTR_NONCE: u16 = 0x0015;
const ATTR_XOR_RELAYED_ADDRESS: u16 = 0x0016;
const ATTR_REQUESTED_ADDRESS_FAMILY: u16 = 0x0017;
const ATTR_REQUESTED_TRANSPORT: u16 = 0x0019;

/// First retransmission timeout of a request (RFC 8489's default RTO), doubled on each retry.
const RTO: Duration = Duration::from_millis(500);
/// Requests sent per transaction (at 0, 0.5, 1.5, 3.5 and 7.5 s) before it times out, 2 s after the
/// last.
const TRIES: u32 = 5;
const LAST_WAIT: Duration = Duration::from_secs(2);
/// On a stream a request is sent once and times out after as long as the five tries over UDP.
const STREAM_WAIT: Duration = Duration::from_millis(9500);
/// 438 (Stale Nonce) answers a request may get before it counts as failed.
const STALE_RETRIES: u32 = 3;
/// Permissions last 300 s (RFC 8656 §9); refreshed after 240 s.
const PERMISSION_REFRESH: Duration = Duration::from_secs(240);
/// Channel bindings last 600 s (§12); refreshed after 540 s.
const CHANNEL_REFRESH: Duration = Duration::from_secs(540);
/// Most peer IPs with a permission and peer addresses with a channel (a connection has a handful of
/// remote candidates; more get Send indications only, or nothing).
pub const MAX_PERMISSIONS: usize = 64;
pub const MAX_CHANNELS: usize = 64;
/// Channel numbers 0x4000..=0x4FFF (RFC 8656 §12).
const FIRST_CHANNEL: u16 = 0x4000;
/// Control datagrams waiting to be sent (the connection drains them on every poll).
const MAX_OUT: usize = 256;

/// How the client reaches its TURN server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TurnTransport {
    Udp,
    Tcp,
    /// TLS over TCP (`turns:`).
    Tls,
}

impl TurnTransport {
    /// A byte stream (TCP, TLS): no retransmissions, ChannelData padded.
    pub fn is_stream(self) -> bool {
        self != TurnTransport::Udp
    }
}

/// Where a TURN URL points: `turn:host[:port][?transport=udp|tcp]` (default port 3478) or
/// `turns:host[:port][?transport=tcp]` (TLS over TCP, default port 5349); IPv6 in brackets.
/// `Ok(None)` for other schemes; `Err(why)` for a `turn:`/`turns:` URL this client cannot use
/// (`turns:` over UDP, which would be DTLS; another transport; unparsable).
pub fn turn_host_port(
    url: &str,
) -> std::result::Result<Option<(String, u16, TurnTransport)>, String> {
    let (rest, tls) = if let Some(r) = url.strip_prefix("turns:") {
        (r, true)
    } else if let Some(r) = url.strip_prefix("turn:") {
        (r, false)
    } else {
        return Ok(None);
    };
    let (addr, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut transport = if tls {
        TurnTransport::Tls
    } else {
        TurnTransport::Udp
    };
    for kv in query.split('&').filter(|s| !s.is_empty()) {
        match (kv.split_once('='), tls) {
            (Some(("transport", "udp")), false) => transport = TurnTransport::Udp,
            (Some(("transport", "tcp")), false) => transport = TurnTransport::Tcp,
            (Some(("transport", "tcp")), true) => {}
            (Some(("transport", "udp")), true) => {
                return Err(format!(
                    "{url}: TURN over DTLS (turns: with transport=udp) is not supported; use \
                     turns: over TCP, or turn: over UDP or TCP"
                ))
            }
            (Some(("transport", t)), _) => {
                return Err(format!(
                    "{url}: TURN transport {t:?} is not supported; only udp and tcp"
                ))
            }
            _ => {}
        }
    }
    let default_port = if tls { 5349 } else { 3478 };
    let bad = || format!("{url}: not a turn:host[:port] URL");
    let bracketed = addr.starts_with('[');
    let (host, port) = if let Some(v6) = addr.strip_prefix('[') {
        let (host, after) = v6.split_once(']').ok_or_else(bad)?;
        match after.strip_prefix(':') {
            Some(p) => (host, p.parse::<u16>().map_err(|_| bad())?),
            None if after.is_empty() => (host, default_port),
            None => return Err(bad()),
        }
    } else {
        match addr.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| bad())?),
            None => (addr, default_port),
        }
    };
    if host.is_empty() || (!bracketed && host.contains(':')) || port == 0 {
        return Err(bad());
    }
    Ok(Some((host.to_string(), port, transport)))
}

/// Largest message on a TURN stream: a STUN message (20-byte header + 65535) or a ChannelData
/// message (4-byte header + 65535, padded).
const MAX_STREAM_MESSAGE: usize = 20 + 0xFFFF;
/// Bytes a [`StreamFramer`] holds at most: one whole message plus what arrived after it.
pub const STREAM_BUFFER: usize = 2 * MAX_STREAM_MESSAGE;

/// Cuts the bytes a TURN server sends on a stream (TCP, TLS) into messages: STUN messages (length
/// in the header) and ChannelData messages (padded to 4 bytes on a stream, RFC 8656 §12.5).
#[derive(Debug, Default)]
pub struct StreamFramer {
    buf: Vec<u8>,
    start: usize,
}

impl StreamFramer {
    /// Room for more bytes (the connection reads at most this many).
    pub fn room(&self) -> usize {
        STREAM_BUFFER.saturating_sub(self.buf.len() - self.start)
    }

    /// Appends bytes read from the stream (at most [`Self::room`]; more are an error).
    pub fn push(&mut self, data: &[u8]) -> std::result::Result<(), String> {
        if data.len() > self.room() {
            return Err("TURN stream: more bytes than one message can hold".into());
        }
        // What was popped goes now (the slices `pop` returned are gone by now).
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(data);
        Ok(())
    }

    /// The next whole message (`Ok(None)`: wait for more bytes); `Err` when the stream does not
    /// carry STUN or ChannelData (it cannot be resynchronised: the connection gives up).
    pub fn pop(&mut self) -> std::result::Result<Option<&[u8]>, String> {
        let b = &self.buf[self.start..];
        if b.len() < 4 {
            return Ok(None);
        }
        let len = u16::from_be_bytes([b[2], b[3]]) as usize;
        let total = match b[0] & 0xC0 {
            // STUN: 20-byte header, the magic cookie at 4..8, length a multiple of 4.
            0x00 => {
                if b.len() >= 8 && b[4..8] != MAGIC.to_be_bytes() || len % 4 != 0 {
                    return Err("TURN stream: not a STUN message".into());
                }
                20 + len
            }
            // Channel numbers are 0x4000..=0x4FFF (0x5000..=0x7FFF are reserved, §12).
            0x40 if b[0] <= 0x4F => (4 + len + 3) & !3,
            _ => return Err("TURN stream: neither STUN nor ChannelData".into()),
        };
        if b.len() < total {
            return Ok(None);
        }
        let at = self.start;
        self.start += total;
        Ok(Some(&self.buf[at..at + total]))
    }
}

/// A STUN message being built: header, then attributes (the length field kept current).
struct Msg(Vec<u8>);

impl Msg {
    fn new(typ: u16, tid: &[u8; 12]) -> Msg {
        let mut m = Vec::with_capacity(128);
        m.extend_from_slice(&typ.to_be_bytes());
        m.extend_from_slice(&[0, 0]);
        m.extend_from_slice(&MAGIC.to_be_bytes());
        m.extend_from_slice(tid);
        Msg(m)
    }

    fn attr(&mut self, t: u16, v: &[u8]) {
        let m = &mut self.0;
        m.extend_from_slice(&t.to_be_bytes());
        m.extend_from_slice(&(v.len() as u16).to_be_bytes());
        m.extend_from_slice(v);
        m.resize(m.len() + (4 - v.len() % 4) % 4, 0);
        let body = (m.len() - 20) as u16;
        m[2..4].copy_from_slice(&body.to_be_bytes());
    }

    fn xor_addr(&mut self, t: u16, a: SocketAddr) {
        let tid: [u8; 12] = self.0[8..20].try_into().unwrap_or([0; 12]);
        self.attr(t, &xor_address(a, &tid));
    }

    /// Appends MESSAGE-INTEGRITY (the length field counts it while the HMAC is computed).
    fn integrity(&mut self, key: &[u8]) {
        let body = (self.0.len() - 20 + 24) as u16;
        self.0[2..4].copy_from_slice(&body.to_be_bytes());
        let mac = hmac_sha1(key, &self.0).unwrap_or([0; 20]);
        self.attr(ATTR_MESSAGE_INTEGRITY, &mac);
    }
}

fn hmac_sha1(key: &[u8], data: &[u8]) -> Option<[u8; 20]> {
    let pkey = PKey::hmac(key).ok()?;
    let mut s = Signer::new(MessageDigest::sha1(), &pkey).ok()?;
    s.update(data).ok()?;
    s.sign_to_vec().ok()?.try_into().ok()
}

/// The long-term credential key: MD5(username ":" realm ":" password) (RFC 8489 §9.2.2; the
/// strings as given, no SASLprep).
fn long_term_key(username: &str, realm: &str, password: &str) -> Option<Vec<u8>> {
    let s = format!("{username}:{realm}:{password}");
    openssl::hash::hash(MessageDigest::md5(), s.as_bytes())
        .ok()
        .map(|d| d.to_vec())
}

fn xor_address(a: SocketAddr, tid: &[u8; 12]) -> Vec<u8> {
    let cookie = MAGIC.to_be_bytes();
    let port = a.port() ^ (MAGIC >> 16) as u16;
    let mut v = vec![0u8];
    match a.ip() {
        IpAddr::V4(ip) => {
            v.push(0x01);
            v.extend_from_slice(&port.to_be_bytes());
            v.extend(ip.octets().iter().zip(cookie).map(|(b, c)| b ^ c));
        }
        IpAddr::V6(ip) => {
            v.push(0x02);
            v.extend_from_slice(&port.to_be_bytes());
            let key = cookie.iter().chain(tid.iter());
            v.extend(ip.octets().iter().zip(key).map(|(b, c)| b ^ c));
        }
    }
    v
}

fn parse_xor_address(v: &[u8], tid: &[u8; 12]) -> Option<SocketAddr> {
    if v.len() < 8 {
        return None;
    }
    let port = u16::from_be_bytes([v[2], v[3]]) ^ (MAGIC >> 16) as u16;
    let cookie = MAGIC.to_be_bytes();
    match v[1] {
        0x01 => {
            let mut a = [0u8; 4];
            for (i, b) in a.iter_mut().enumerate() {
                *b = v[4 + i] ^ cookie[i];
            }
            Some(SocketAddr::new(IpAddr::from(a), port))
        }
        0x02 if v.len() >= 20 => {
            let mut a = [0u8; 16];
            for (i, (b, k)) in a
                .iter_mut()
                .zip(cookie.iter().chain(tid.iter()))
                .enumerate()
            {
                *b = v[4 + i] ^ k;
            }
            Some(SocketAddr::new(IpAddr::from(a), port))
        }
        _ => None,
    }
}

/// A parsed STUN message from the server: type, transaction id, and where its body is.
struct Parsed<'a> {
    typ: u16,
    tid: [u8; 12],
    whole: &'a [u8],
}

impl<'a> Parsed<'a> {
    fn parse(d: &'a [u8]) -> Option<Parsed<'a>> {
        if d.len() < 20 || d[0] & 0xC0 != 0 {
            return None;
        }
        if u32::from_be_bytes([d[4], d[5], d[6], d[7]]) != MAGIC {
            return None;
        }
        let len = u16::from_be_bytes([d[2], d[3]]) as usize;
        if len % 4 != 0 {
            return None;
        }
        let whole = d.get(..20 + len)?;
        Some(Parsed {
            typ: u16::from_be_bytes([d[0], d[1]]),
            tid: d[8..20].try_into().ok()?,
            whole,
        })
    }

    /// Attributes in order: (type, value, offset of the attribute header in the message).
    fn attrs(&self) -> impl Iterator<Item = (u16, &'a [u8], usize)> + 'a {
        let d = self.whole;
        let mut i = 20;
        std::iter::from_fn(move || {
            if i + 4 > d.len() {
                return None;
            }
            let t = u16::from_be_bytes([d[i], d[i + 1]]);
            let l = u16::from_be_bytes([d[i + 2], d[i + 3]]) as usize;
            let v = d.get(i + 4..i + 4 + l)?;
            let at = i;
            i += 4 + l.div_ceil(4) * 4;
            Some((t, v, at))
        })
    }

    fn attr(&self, t: u16) -> Option<&'a [u8]> {
        self.attrs().find(|a| a.0 == t).map(|a| a.1)
    }

    /// Whether the MESSAGE-INTEGRITY checks with `key` (`None`: the message has none).
    fn integrity_ok(&self, key: &[u8]) -> Option<bool> {
        let (_, mac, at) = self.attrs().find(|a| a.0 == ATTR_MESSAGE_INTEGRITY)?;
        let mut m = self.whole[..at].to_vec();
        let body = (at - 20 + 24) as u16;
        m[2..4].copy_from_slice(&body.to_be_bytes());
        Some(hmac_sha1(key, &m).is_some_and(|h| h[..] == *mac))
    }

    /// ERROR-CODE as (code, reason).
    fn error(&self) -> (u16, String) {
        match self.attr(ATTR_ERROR_CODE) {
            Some(v) if v.len() >= 4 => (
                u16::from(v[2] & 7) * 100 + u16::from(v[3]),
                String::from_utf8_lossy(&v[4..]).trim().to_string(),
            ),
            _ => (0, String::new()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Allocate,
    Refresh(u32),
    Permission(IpAddr),
    Bind(u16, SocketAddr),
}

#[derive(Debug)]
struct Txn {
    tid: [u8; 12],
    kind: Kind,
    msg: Vec<u8>,
    tries: u32,
    next: Instant,
    stale: u32,
    /// Whether the request carried credentials (a 401 to it means they are wrong).
    authenticated: bool,
}

#[derive(Debug)]
struct Permission {
    ip: IpAddr,
    refresh_at: Instant,
    pending: bool,
}

#[derive(Debug)]
struct Channel {
    number: u16,
    peer: SocketAddr,
    bound: bool,
    pending: bool,
    refresh_at: Instant,
}

/// Where the allocation stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TurnState {
    Allocating,
    /// The relayed transport address the server holds for us.
    Allocated(SocketAddr),
    /// Why the allocation failed or ended.
    Failed(String),
}

/// What a datagram from the server carried.
#[derive(Debug, PartialEq, Eq)]
pub enum TurnInput<'a> {
    /// Nothing for the connection (a response, or something ignored).
    Nothing,
    /// Data a peer sent to our relayed address.
    Data(SocketAddr, &'a [u8]),
}

/// One allocation on one TURN server, made from one of the connection's sockets (`sock`).
#[derive(Debug)]
pub struct TurnClient {
    pub server: SocketAddr,
    pub sock: usize,
    pub transport: TurnTransport,
    username: String,
    password: String,
    realm: Vec<u8>,
    nonce: Vec<u8>,
    key: Option<Vec<u8>>,
    state: TurnState,
    /// Whether the relayed address (or the failure) was already taken by the connection.
    reported: bool,
    failure_reported: bool,
    refresh_at: Option<Instant>,
    lifetime: u32,
    txns: Vec<Txn>,
    permissions: Vec<Permission>,
    channels: Vec<Channel>,
    out: Vec<Vec<u8>>,
    /// Datagrams to peers that could not be sent (not allocated, queue full).
    pub dropped: u64,
}

fn new_tid() -> [u8; 12] {
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    let mut t = [0u8; 12];
    if openssl::rand::rand_bytes(&mut t).is_err() {
        // Unique within the process when the RNG fails (it does not in practice).
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        t[..8].copy_from_slice(&n.to_le_bytes());
    }
    t
}

impl TurnClient {
    /// Starts an allocation: the first Allocate request is queued at once (see [`Self::pop_out`]).
    pub fn new(
        server: SocketAddr,
        sock: usize,
        transport: TurnTransport,
        username: &str,
        password: &str,
        now: Instant,
    ) -> TurnClient {
        let mut c = TurnClient {
            server,
            sock,
            transport,
            username: username.to_string(),
            password: password.to_string(),
            realm: Vec::new(),
            nonce: Vec::new(),
            key: None,
            state: TurnState::Allocating,
            reported: false,
            failure_reported: false,
            refresh_at: None,
            lifetime: 600,
            txns: Vec::new(),
            permissions: Vec::new(),
            channels: Vec::new(),
            out: Vec::new(),
            dropped: 0,
        };
        c.request(Kind::Allocate, now);
        c
    }

    pub fn state(&self) -> &TurnState {
        &self.state
    }

    /// The relayed address, once, when the allocation succeeded.
    pub fn take_allocated(&mut self) -> Option<SocketAddr> {
        match self.state {
            TurnState::Allocated(a) if !self.reported => {
                self.reported = true;
                Some(a)
            }
            _ => None,
        }
    }

    /// Why the allocation failed, once.
    pub fn take_failure(&mut self) -> Option<String> {
        match &self.state {
            TurnState::Failed(why) if !self.failure_reported => {
                self.failure_reported = true;
                Some(why.clone())
            }
            _ => None,
        }
    }

    pub fn is_failed(&self) -> bool {
        matches!(self.state, TurnState::Failed(_))
    }

    pub fn relayed(&self) -> Option<SocketAddr> {
        match self.state {
            TurnState::Allocated(a) => Some(a),
            _ => None,
        }
    }

    pub fn is_settled(&self) -> bool {
        !matches!(self.state, TurnState::Allocating)
    }

    /// The next control datagram for the server.
    pub fn pop_out(&mut self) -> Option<Vec<u8>> {
        if self.out.is_empty() {
            None
        } else {
            Some(self.out.remove(0))
        }
    }

    fn emit(&mut self, m: Vec<u8>) {
        if self.out.len() < MAX_OUT {
            self.out.push(m);
        } else {
            self.dropped += 1;
        }
    }

    /// The way to the server broke (stream refused, closed, TLS failed): the allocation is lost.
    pub fn transport_failed(&mut self, why: String) {
        if !self.is_failed() {
            self.fail(why);
        }
    }

    fn fail(&mut self, why: String) {
        self.state = TurnState::Failed(why);
        self.txns.clear();
        self.permissions.clear();
        self.channels.clear();
        self.refresh_at = None;
    }

    fn build(&self, kind: Kind, tid: &[u8; 12]) -> Vec<u8> {
        let typ = match kind {
            Kind::Allocate => ALLOCATE,
            Kind::Refresh(_) => REFRESH,
            Kind::Permission(_) => CREATE_PERMISSION,
            Kind::Bind(..) => CHANNEL_BIND,
        };
        let mut m = Msg::new(typ, tid);
        match kind {
            Kind::Allocate => {
                // UDP (17), then three reserved bytes.
                m.attr(ATTR_REQUESTED_TRANSPORT, &[17, 0, 0, 0]);
                if self.server.is_ipv6() {
                    m.attr(ATTR_REQUESTED_ADDRESS_FAMILY, &[0x02, 0, 0, 0]);
                }
            }
            Kind::Refresh(life) => m.attr(ATTR_LIFETIME, &life.to_be_bytes()),
            Kind::Permission(ip) => m.xor_addr(ATTR_XOR_PEER_ADDRESS, SocketAddr::new(ip, 0)),
            Kind::Bind(n, peer) => {
                let mut v = n.to_be_bytes().to_vec();
                v.extend_from_slice(&[0, 0]);
                m.attr(ATTR_CHANNEL_NUMBER, &v);
                m.xor_addr(ATTR_XOR_PEER_ADDRESS, peer);
            }
        }
        if let Some(key) = &self.key {
            m.attr(ATTR_USERNAME, self.username.as_bytes());
            m.attr(ATTR_REALM, &self.realm);
            m.attr(ATTR_NONCE, &self.nonce);
            m.integrity(key);
        }
        m.0
    }

    /// Starts a transaction and queues its first request.
    fn request(&mut self, kind: Kind, now: Instant) {
        self.request_with(kind, now, 0)
    }

    fn request_with(&mut self, kind: Kind, now: Instant, stale: u32) {
        let tid = new_tid();
        let msg = self.build(kind, &tid);
        self.emit(msg.clone());
        let (tries, next) = if self.transport.is_stream() {
            (TRIES, now + STREAM_WAIT)
        } else {
            (1, now + RTO)
        };
        self.txns.push(Txn {
            tid,
            kind,
            msg,
            tries,
            next,
            stale,
            authenticated: self.key.is_some(),
        });
    }

    /// Retransmissions, refreshes, timeouts.
    pub fn poll(&mut self, now: Instant) {
        let mut timed_out = Vec::new();
        let mut resend = Vec::new();
        for t in &mut self.txns {
            if now < t.next {
                continue;
            }
            if t.tries >= TRIES {
                timed_out.push(t.kind);
                t.tries = u32::MAX;
                continue;
            }
            t.tries += 1;
            t.next = now
                + if t.tries >= TRIES {
                    LAST_WAIT
                } else {
                    RTO * (1 << (t.tries - 1))
                };
            resend.push(t.msg.clone());
        }
        self.txns.retain(|t| t.tries != u32::MAX);
        for m in resend {
            self.emit(m);
        }
        for k in timed_out {
            match k {
                Kind::Allocate => {
                    self.fail(format!("TURN server {} did not answer", self.server));
                    return;
                }
                Kind::Refresh(0) => {}
                Kind::Refresh(_) => {
                    self.fail(format!(
                        "TURN server {} did not answer a Refresh; the relay is lost",
                        self.server
                    ));
                    return;
                }
                Kind::Permission(ip) => {
                    self.permissions.retain(|p| p.ip != ip);
                }
                Kind::Bind(n, _) => {
                    self.channels.retain(|c| c.number != n || c.bound);
                    if let Some(c) = self.channels.iter_mut().find(|c| c.number == n) {
                        c.pending = false;
                    }
                }
            }
        }
        if !matches!(self.state, TurnState::Allocated(_)) {
            return;
        }
        if self.refresh_at.is_some_and(|t| now >= t) {
            self.refresh_at = None;
            let life = self.lifetime;
            self.request(Kind::Refresh(life), now);
        }
        let mut perms = Vec::new();
        for p in &mut self.permissions {
            if !p.pending && now >= p.refresh_at {
                p.pending = true;
                perms.push(p.ip);
            }
        }
        for ip in perms {
            self.request(Kind::Permission(ip), now);
        }
        let mut binds = Vec::new();
        for c in &mut self.channels {
            if c.bound && !c.pending && now >= c.refresh_at {
                c.pending = true;
                binds.push((c.number, c.peer));
            }
        }
        for (n, peer) in binds {
            self.request(Kind::Bind(n, peer), now);
        }
    }

    /// When [`Self::poll`] next has work.
    pub fn next_timeout(&self) -> Option<Instant> {
        let txn = self.txns.iter().map(|t| t.next).min();
        let perms = self
            .permissions
            .iter()
            .filter(|p| !p.pending)
            .map(|p| p.refresh_at)
            .min();
        let chans = self
            .channels
            .iter()
            .filter(|c| c.bound && !c.pending)
            .map(|c| c.refresh_at)
            .min();
        [txn, perms, chans, self.refresh_at]
            .into_iter()
            .flatten()
            .min()
    }

    /// Makes sure a permission for `ip` exists (a CreatePermission request when there is none).
    pub fn permit(&mut self, ip: IpAddr, now: Instant) {
        if !matches!(self.state, TurnState::Allocated(_))
            || ip.is_ipv4() != self.relayed().is_some_and(|a| a.is_ipv4())
            || self.permissions.iter().any(|p| p.ip == ip)
            || self.permissions.len() >= MAX_PERMISSIONS
        {
            return;
        }
        self.permissions.push(Permission {
            ip,
            refresh_at: now + PERMISSION_REFRESH,
            pending: true,
        });
        self.request(Kind::Permission(ip), now);
    }

    /// Wraps `data` for `peer` into `out` (ChannelData when a channel is bound, else a Send
    /// indication; a channel is bound on first use). `false`: nothing to send (not allocated).
    pub fn wrap(&mut self, peer: SocketAddr, data: &[u8], now: Instant, out: &mut Vec<u8>) -> bool {
        if !matches!(self.state, TurnState::Allocated(_)) || data.len() > 0xFFFF {
            self.dropped += 1;
            return false;
        }
        self.permit(peer.ip(), now);
        out.clear();
        if let Some(c) = self.channels.iter().find(|c| c.peer == peer && c.bound) {
            out.extend_from_slice(&c.number.to_be_bytes());
            out.extend_from_slice(&(data.len() as u16).to_be_bytes());
            out.extend_from_slice(data);
            if self.transport.is_stream() {
                out.resize((out.len() + 3) & !3, 0);
            }
            return true;
        }
        if !self.channels.iter().any(|c| c.peer == peer) && self.channels.len() < MAX_CHANNELS {
            let number = (FIRST_CHANNEL..FIRST_CHANNEL + MAX_CHANNELS as u16)
                .find(|n| !self.channels.iter().any(|c| c.number == *n));
            if let Some(number) = number {
                self.channels.push(Channel {
                    number,
                    peer,
                    bound: false,
                    pending: true,
                    refresh_at: now + CHANNEL_REFRESH,
                });
                self.request(Kind::Bind(number, peer), now);
            }
        }
        let mut m = Msg(std::mem::take(out));
        m.0.extend_from_slice(&SEND_INDICATION.to_be_bytes());
        m.0.extend_from_slice(&[0, 0]);
        m.0.extend_from_slice(&MAGIC.to_be_bytes());
        m.0.extend_from_slice(&new_tid());
        m.xor_addr(ATTR_XOR_PEER_ADDRESS, peer);
        m.attr(ATTR_DATA, data);
        *out = m.0;
        true
    }

    /// A Refresh with lifetime 0 (deallocation), for when the connection closes; best effort.
    pub fn deallocate(&mut self) -> Option<Vec<u8>> {
        if !matches!(self.state, TurnState::Allocated(_)) {
            return None;
        }
        let tid = new_tid();
        let m = self.build(Kind::Refresh(0), &tid);
        self.fail("TURN allocation released".into());
        self.failure_reported = true;
        Some(m)
    }

    /// Reads one datagram that came from the server.
    pub fn handle<'a>(&mut self, d: &'a [u8], now: Instant) -> TurnInput<'a> {
        // ChannelData: the first two bits are 01 (RFC 8656 §12.4).
        if d.len() >= 4 && d[0] & 0xC0 == 0x40 {
            let number = u16::from_be_bytes([d[0], d[1]]);
            let len = u16::from_be_bytes([d[2], d[3]]) as usize;
            let Some(payload) = d.get(4..4 + len) else {
                return TurnInput::Nothing;
            };
            return match self.channels.iter().find(|c| c.number == number) {
                Some(c) => TurnInput::Data(c.peer, payload),
                None => TurnInput::Nothing,
            };
        }
        let Some(p) = Parsed::parse(d) else {
            return TurnInput::Nothing;
        };
        if p.typ == DATA_INDICATION {
            let peer = p
                .attr(ATTR_XOR_PEER_ADDRESS)
                .and_then(|v| parse_xor_address(v, &p.tid));
            return match (peer, p.attr(ATTR_DATA)) {
                (Some(peer), Some(data)) => TurnInput::Data(peer, data),
                _ => TurnInput::Nothing,
            };
        }
        let Some(i) = self.txns.iter().position(|t| t.tid == p.tid) else {
            return TurnInput::Nothing;
        };
        let class = p.typ & 0x0110;
        if class != SUCCESS && class != ERROR {
            return TurnInput::Nothing;
        }
        // A response that carries MESSAGE-INTEGRITY must check with our key (else it is forged
        // or corrupt, and ignored: the request is retransmitted).
        if let Some(key) = &self.key {
            if p.integrity_ok(key) == Some(false) {
                return TurnInput::Nothing;
            }
        }
        let t = self.txns.swap_remove(i);
        if class == SUCCESS {
            self.on_success(t.kind, &p, now);
        } else {
            self.on_error(t, &p, now);
        }
        TurnInput::Nothing
    }

    fn on_success(&mut self, kind: Kind, p: &Parsed<'_>, now: Instant) {
        let lifetime = p
            .attr(ATTR_LIFETIME)
            .filter(|v| v.len() == 4)
            .map(|v| u32::from_be_bytes([v[0], v[1], v[2], v[3]]));
        match kind {
            Kind::Allocate => {
                let Some(relayed) = p
                    .attr(ATTR_XOR_RELAYED_ADDRESS)
                    .and_then(|v| parse_xor_address(v, &p.tid))
                else {
                    self.fail(format!(
                        "TURN server {}: Allocate answer without a relayed address",
                        self.server
                    ));
                    return;
                };
                let _mapped = p
                    .attr(ATTR_XOR_MAPPED_ADDRESS)
                    .and_then(|v| parse_xor_address(v, &p.tid));
                self.state = TurnState::Allocated(relayed);
                self.schedule_refresh(lifetime.unwrap_or(600), now);
            }
            Kind::Refresh(0) => {}
            Kind::Refresh(_) => self.schedule_refresh(lifetime.unwrap_or(self.lifetime), now),
            Kind::Permission(ip) => {
                if let Some(pm) = self.permissions.iter_mut().find(|pm| pm.ip == ip) {
                    pm.pending = false;
                    pm.refresh_at = now + PERMISSION_REFRESH;
                }
            }
            Kind::Bind(n, _) => {
                if let Some(c) = self.channels.iter_mut().find(|c| c.number == n) {
                    c.bound = true;
                    c.pending = false;
                    c.refresh_at = now + CHANNEL_REFRESH;
                }
            }
        }
    }

    /// Refresh a minute before the end (half-way through for lifetimes up to two minutes).
    fn schedule_refresh(&mut self, secs: u32, now: Instant) {
        self.lifetime = secs.max(1);
        let life = Duration::from_secs(u64::from(self.lifetime));
        let ahead = if life > Duration::from_secs(120) {
            life - Duration::from_secs(60)
        } else {
            life / 2
        };
        self.refresh_at = Some(now + ahead);
    }

    fn on_error(&mut self, t: Txn, p: &Parsed<'_>, now: Instant) {
        let (code, reason) = p.error();
        let realm = p.attr(ATTR_REALM).map(<[u8]>::to_vec);
        let nonce = p.attr(ATTR_NONCE).map(<[u8]>::to_vec);
        let retry = match code {
            401 if !t.authenticated && realm.is_some() && nonce.is_some() => {
                if self.password.is_empty() && self.username.is_empty() {
                    self.fail(format!(
                        "TURN server {} needs credentials (401 Unauthorized); set username and credential",
                        self.server
                    ));
                    return;
                }
                true
            }
            438 if nonce.is_some() && t.stale < STALE_RETRIES => true,
            _ => false,
        };
        if retry {
            if let Some(r) = realm {
                self.realm = r;
            }
            if let Some(n) = nonce {
                self.nonce = n;
            }
            let realm = String::from_utf8_lossy(&self.realm).into_owned();
            self.key = long_term_key(&self.username, &realm, &self.password);
            self.request_with(t.kind, now, t.stale + u32::from(code == 438));
            return;
        }
        let what = match t.kind {
            Kind::Allocate => "Allocate",
            Kind::Refresh(_) => "Refresh",
            Kind::Permission(_) => "CreatePermission",
            Kind::Bind(..) => "ChannelBind",
        };
        let text = if code == 401 {
            format!(
                "TURN server {} refused the username or credential (401 {reason})",
                self.server
            )
        } else {
            format!(
                "TURN server {}: {what} failed ({code} {reason})",
                self.server
            )
        };
        match t.kind {
            Kind::Allocate => self.fail(text),
            Kind::Refresh(0) => {}
            Kind::Refresh(_) => self.fail(text),
            Kind::Permission(ip) => self.permissions.retain(|pm| pm.ip != ip),
            Kind::Bind(n, _) => self.channels.retain(|c| c.number != n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client of user "u" for a server on 127.0.0.1:3478, from socket 0.
    fn client(transport: TurnTransport, password: &str, now: Instant) -> TurnClient {
        TurnClient::new(
            "127.0.0.1:3478".parse().unwrap(),
            0,
            transport,
            "u",
            password,
            now,
        )
    }

    #[test]
    fn urls() {
        use TurnTransport::*;
        assert_eq!(
            turn_host_port("turn:turn.example.org"),
            Ok(Some(("turn.example.org".into(), 3478, Udp)))
        );
        assert_eq!(
            turn_host_port("turn:127.0.0.1:5000?transport=udp"),
            Ok(Some(("127.0.0.1".into(), 5000, Udp)))
        );
        assert_eq!(
            turn_host_port("turn:[::1]:7"),
            Ok(Some(("::1".into(), 7, Udp)))
        );
        assert_eq!(
            turn_host_port("turn:x?transport=tcp"),
            Ok(Some(("x".into(), 3478, Tcp)))
        );
        assert_eq!(turn_host_port("turns:x"), Ok(Some(("x".into(), 5349, Tls))));
        assert_eq!(
            turn_host_port("turns:[::1]:443?transport=tcp"),
            Ok(Some(("::1".into(), 443, Tls)))
        );
        assert_eq!(turn_host_port("stun:x"), Ok(None));
        assert!(turn_host_port("turns:x?transport=udp")
            .unwrap_err()
            .contains("DTLS"));
        assert!(turn_host_port("turn:x?transport=sctp")
            .unwrap_err()
            .contains("sctp"));
        assert!(turn_host_port("turn:x:0").is_err());
        assert!(turn_host_port("turn::1").is_err());
    }

    #[test]
    fn stream_framer_cuts_stun_and_padded_channel_data() {
        let mut f = StreamFramer::default();
        let mut stun = Msg::new(ALLOCATE | SUCCESS, &[7; 12]);
        stun.attr(ATTR_LIFETIME, &600u32.to_be_bytes());
        let stun = stun.0;
        let chan = [0x40, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0];
        let mut all = stun.clone();
        all.extend_from_slice(&chan);
        all.extend_from_slice(&stun);
        // Byte by byte: each message comes out whole, once.
        let mut got = Vec::new();
        for b in &all {
            f.push(&[*b]).unwrap();
            while let Some(m) = f.pop().unwrap() {
                got.push(m.to_vec());
            }
        }
        assert_eq!(got, vec![stun.clone(), chan.to_vec(), stun]);
        // A padded ChannelData message on a channel that is not bound is ignored.
        let mut c = client(TurnTransport::Tcp, "p", Instant::now());
        assert_eq!(c.handle(&chan, Instant::now()), TurnInput::Nothing);
        // Garbage cannot be resynchronised: an error.
        let mut f = StreamFramer::default();
        f.push(b"\x80\x01\x02\x03").unwrap();
        assert!(f.pop().is_err());
        let mut f = StreamFramer::default();
        f.push(b"\x5f\x01\x00\x04abcd").unwrap();
        assert!(f.pop().is_err(), "a reserved channel number");
        let mut f = StreamFramer::default();
        f.push(&[0, 1, 0, 0, 1, 2, 3, 4]).unwrap();
        assert!(f.pop().is_err(), "STUN without the magic cookie");
        // Never more than the bound.
        let mut f = StreamFramer::default();
        assert!(f.push(&vec![0; STREAM_BUFFER + 1]).is_err());
    }

    #[test]
    fn on_a_stream_requests_are_sent_once_and_time_out() {
        let t0 = Instant::now();
        let mut c = client(TurnTransport::Tls, "p", t0);
        assert!(c.pop_out().is_some());
        c.poll(t0 + Duration::from_secs(9));
        assert!(c.pop_out().is_none(), "no retransmission on a stream");
        assert!(!c.is_failed());
        c.poll(t0 + STREAM_WAIT);
        assert!(c.is_failed());
    }

    #[test]
    fn request_integrity_checks_and_xor_round_trip() {
        let now = Instant::now();
        let mut c = client(TurnTransport::Udp, "p", now);
        let first = c.pop_out().unwrap();
        assert_eq!(&first[0..2], &ALLOCATE.to_be_bytes());
        // A 401 with realm and nonce: the request is repeated with credentials.
        let tid: [u8; 12] = first[8..20].try_into().unwrap();
        let mut r = Msg::new(ALLOCATE | ERROR, &tid);
        r.attr(ATTR_ERROR_CODE, &[0, 0, 4, 1, b'U']);
        r.attr(ATTR_REALM, b"realm");
        r.attr(ATTR_NONCE, b"nonce");
        assert_eq!(c.handle(&r.0, now), TurnInput::Nothing);
        let second = c.pop_out().unwrap();
        let p = Parsed::parse(&second).unwrap();
        assert_eq!(p.attr(ATTR_USERNAME), Some(&b"u"[..]));
        let key = long_term_key("u", "realm", "p").unwrap();
        assert_eq!(p.integrity_ok(&key), Some(true));
        assert_eq!(p.integrity_ok(b"other"), Some(false));
        // Success with a relayed address.
        let relayed: SocketAddr = "127.0.0.1:50000".parse().unwrap();
        let mut ok = Msg::new(ALLOCATE | SUCCESS, &p.tid);
        ok.xor_addr(ATTR_XOR_RELAYED_ADDRESS, relayed);
        ok.attr(ATTR_LIFETIME, &600u32.to_be_bytes());
        ok.integrity(&key);
        c.handle(&ok.0, now);
        assert_eq!(c.take_allocated(), Some(relayed));
        assert_eq!(c.take_allocated(), None);
        // A second 401, to an authenticated request, is a failure with a reason.
        let peer: SocketAddr = "[::1]:9".parse().unwrap();
        let t = [3u8; 12];
        assert_eq!(parse_xor_address(&xor_address(peer, &t), &t), Some(peer));
    }

    /// Answers the client's last request (by its transaction id) with `typ` and the attributes.
    fn answer(c: &mut TurnClient, typ: u16, attrs: &[(u16, &[u8])], key: Option<&[u8]>) -> Vec<u8> {
        let req = c.pop_out().expect("a request");
        let tid: [u8; 12] = req[8..20].try_into().unwrap();
        let mut r = Msg::new(typ, &tid);
        for (t, v) in attrs {
            r.attr(*t, v);
        }
        if let Some(k) = key {
            r.integrity(k);
        }
        c.handle(&r.0, Instant::now());
        req
    }

    fn allocated(now: Instant) -> (TurnClient, Vec<u8>) {
        let mut c = client(TurnTransport::Udp, "p", now);
        answer(
            &mut c,
            ALLOCATE | ERROR,
            &[
                (ATTR_ERROR_CODE, &[0, 0, 4, 1]),
                (ATTR_REALM, b"r"),
                (ATTR_NONCE, b"n1"),
            ],
            None,
        );
        let key = long_term_key("u", "r", "p").unwrap();
        let req = c.out[0].clone();
        let tid: [u8; 12] = req[8..20].try_into().unwrap();
        let v = xor_address("127.0.0.1:50000".parse().unwrap(), &tid);
        answer(
            &mut c,
            ALLOCATE | SUCCESS,
            &[
                (ATTR_XOR_RELAYED_ADDRESS, &v),
                (ATTR_LIFETIME, &600u32.to_be_bytes()),
            ],
            Some(&key),
        );
        assert!(c.take_allocated().is_some());
        (c, key)
    }

    /// A 438 (Stale Nonce) makes the client repeat the request with the new nonce.
    #[test]
    fn stale_nonce_is_retried_with_the_new_nonce() {
        let now = Instant::now();
        let (mut c, key) = allocated(now);
        c.permit("127.0.0.2".parse().unwrap(), now);
        answer(
            &mut c,
            CREATE_PERMISSION | ERROR,
            &[(ATTR_ERROR_CODE, &[0, 0, 4, 38]), (ATTR_NONCE, b"n2")],
            Some(&key),
        );
        let again = c.pop_out().expect("the request again");
        let p = Parsed::parse(&again).unwrap();
        assert_eq!(p.typ, CREATE_PERMISSION);
        assert_eq!(p.attr(ATTR_NONCE), Some(&b"n2"[..]));
        assert_eq!(p.integrity_ok(&key), Some(true));
        assert!(!c.is_failed());
    }

    /// Refresh a minute before a 600 s lifetime ends; a forged answer (bad integrity) is ignored.
    #[test]
    fn refresh_before_the_lifetime_ends() {
        let now = Instant::now();
        let (mut c, key) = allocated(now);
        c.poll(now + Duration::from_secs(500));
        assert!(c.pop_out().is_none());
        c.poll(now + Duration::from_secs(541));
        let req = c.out[0].clone();
        assert_eq!(&req[0..2], &REFRESH.to_be_bytes());
        answer(
            &mut c,
            REFRESH | SUCCESS,
            &[(ATTR_LIFETIME, &600u32.to_be_bytes())],
            Some(b"forged"),
        );
        assert_eq!(
            c.txns.len(),
            1,
            "the forged answer did not end the transaction"
        );
        c.out.push(req);
        answer(
            &mut c,
            REFRESH | SUCCESS,
            &[(ATTR_LIFETIME, &600u32.to_be_bytes())],
            Some(&key),
        );
        assert!(c.txns.is_empty());
        assert!(c.relayed().is_some());
    }

    /// Data to a peer: a Send indication (and a ChannelBind) first, ChannelData once bound; both
    /// kinds of incoming data give the peer and the payload.
    #[test]
    fn send_indication_then_channel_data() {
        let now = Instant::now();
        let (mut c, key) = allocated(now);
        let peer: SocketAddr = "127.0.0.3:4000".parse().unwrap();
        let mut out = Vec::new();
        assert!(c.wrap(peer, b"hi", now, &mut out));
        assert_eq!(&out[0..2], &SEND_INDICATION.to_be_bytes());
        let p = Parsed::parse(&out).unwrap();
        assert_eq!(p.attr(ATTR_DATA), Some(&b"hi"[..]));
        // Permission first, then the bind.
        answer(&mut c, CREATE_PERMISSION | SUCCESS, &[], Some(&key));
        answer(&mut c, CHANNEL_BIND | SUCCESS, &[], Some(&key));
        assert!(c.wrap(peer, b"hi", now, &mut out));
        assert_eq!(out, [0x40, 0x00, 0x00, 0x02, b'h', b'i']);
        assert_eq!(
            c.handle(&[0x40, 0x00, 0x00, 0x01, b'x'], now),
            TurnInput::Data(peer, &b"x"[..])
        );
        let mut d = Msg::new(DATA_INDICATION, &[5; 12]);
        d.xor_addr(ATTR_XOR_PEER_ADDRESS, peer);
        d.attr(ATTR_DATA, b"yz");
        assert_eq!(c.handle(&d.0, now), TurnInput::Data(peer, &b"yz"[..]));
    }

    #[test]
    fn wrong_credentials_fail_with_a_reason() {
        let now = Instant::now();
        let mut c = client(TurnTransport::Udp, "bad", now);
        for _ in 0..2 {
            let req = c.pop_out().unwrap();
            let tid: [u8; 12] = req[8..20].try_into().unwrap();
            let mut r = Msg::new(ALLOCATE | ERROR, &tid);
            r.attr(ATTR_ERROR_CODE, &[0, 0, 4, 1]);
            r.attr(ATTR_REALM, b"realm");
            r.attr(ATTR_NONCE, b"nonce");
            c.handle(&r.0, now);
        }
        match c.state() {
            TurnState::Failed(why) => assert!(why.contains("401"), "{why}"),
            s => panic!("{s:?}"),
        }
        assert!(c.pop_out().is_none());
    }

    #[test]
    fn unanswered_allocate_fails_in_bounded_time() {
        let t0 = Instant::now();
        let mut c = client(TurnTransport::Udp, "p", t0);
        let mut sent = 0;
        let mut now = t0;
        while !c.is_settled() {
            c.poll(now);
            while c.pop_out().is_some() {
                sent += 1;
            }
            now += Duration::from_millis(100);
            assert!(now < t0 + Duration::from_secs(12));
        }
        assert_eq!(sent, TRIES);
    }

    #[test]
    fn garbage_from_the_server_is_ignored() {
        let now = Instant::now();
        let mut c = client(TurnTransport::Udp, "p", now);
        for d in [
            &[][..],
            &[0x40, 0x00, 0xff, 0xff][..],
            &[0x00, 0x17, 0x00, 0x04, 0x21, 0x12, 0xa4, 0x42][..],
            &[0u8; 20][..],
        ] {
            assert_eq!(c.handle(d, now), TurnInput::Nothing);
        }
    }
}
