//! WebSocketPeer (`docs/classes.md` §19): one RFC 6455 connection, as a client (`connect_to_url`) or
//! as the server side of an accepted stream (`accept_stream`), byte for byte like the engine's
//! (handshake §19.1 in [`handshake`], frames §19.2 in [`frame`]). Every message is one packet.
//!
//! Non-blocking and driven by [`WebSocketPeer::poll`], like the engine: `send` queues, `poll` writes,
//! reads, answers pings, echoes closes and keeps the heartbeat.
//!
//! Transport: anything implementing [`WsStream`]: a [`StreamPeerTcp`], or for `wss://` a
//! StreamPeerTLS over one ([`tls::TlsWsStream`]). A `wss://` client wraps its connected TCP stream
//! in TLS with the TLSOptions given to [`WebSocketPeer::connect_to_url_tls`] (default
//! `TLSOptions.client()`: system CAs, the URL's host checked and sent as SNI); a server hands
//! `accept_stream` a TLS stream. Why a connection failed (TLS status and OpenSSL's reason, TCP
//! connect, a refused handshake) is kept: [`WebSocketPeer::get_last_error_text`],
//! [`WebSocketPeer::get_tls_status`] (beyond the engine, which only prints it).
//!
//! Name resolution: numeric hosts connect at once; a name is resolved inside `connect_to_url`
//! (`getaddrinfo` through std), blocking up to the system resolver's timeout, because the library
//! starts no threads (the engine resolves in the background); then each resolved address is tried in
//! order until a TCP connect succeeds — the engine's order.
//!
//! Differences from the engine (each only helps callers):
//! - **No silent loss.** Messages queued when the state turns CLOSING (or CLOSED) stay readable
//!   (the engine makes them unreadable). A full inbound queue stops reading the socket
//!   (back-pressure), it never drops. Refused sends (`ERR_OUT_OF_MEMORY`: queue full or message too
//!   big for `outbound_buffer_size`) are counted in [`WsStats`].
//! - `close` with a reason over 123 bytes is `ERR_INVALID_PARAMETER` and changes nothing (the engine
//!   turns CLOSING and sends nothing).
//! - `send` in text mode refuses bytes that are not UTF-8 (`ERR_INVALID_PARAMETER`; a Godot receiver
//!   would close with 1007). `handshake_headers` entries with CR or LF are refused (header injection).
//! - A CLOSING connection whose close handshake does not finish within [`WebSocketPeer::set_close_timeout`]
//!   (10 s by default) is dropped (CLOSED); an optional handshake timeout bounds CONNECTING
//!   ([`WebSocketPeer::set_handshake_timeout`], off by default like the engine).
//! - A peer's close frame with an invalid code is answered with 1002 and reported as 1002.
#![forbid(unsafe_code)]

pub mod frame;
pub mod handshake;
pub mod multiplayer;
pub mod tls;

pub use multiplayer::WebSocketMultiplayerPeer;
pub use tls::TlsWsStream;

use std::collections::hash_map::RandomState;
use std::collections::VecDeque;
use std::hash::{BuildHasher, Hasher};
use std::net::IpAddr;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::net::addr;
use crate::net::tcp::{StreamPeerTcp, TcpStatus};
use crate::peer::{PacketPeer, PeerBase, StreamPeer};
use crate::tls::{TlsOptions, TlsStatus};
use frame::{Decoder, Event};
use handshake::WsUrl;

/// `WebSocketPeer.State`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum State {
    Connecting = 0,
    Open = 1,
    Closing = 2,
    Closed = 3,
}

/// `WebSocketPeer.WriteMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum WriteMode {
    Text = 0,
    Binary = 1,
}

impl TryFrom<i32> for WriteMode {
    type Error = Error;
    fn try_from(v: i32) -> Result<WriteMode> {
        match v {
            0 => Ok(WriteMode::Text),
            1 => Ok(WriteMode::Binary),
            _ => Err(Error::InvalidParameter),
        }
    }
}

/// Defaults of the engine's properties.
pub const DEFAULT_BUFFER_SIZE: i32 = 65535;
pub const DEFAULT_MAX_QUEUED_PACKETS: i32 = 4096;
/// Largest `inbound_buffer_size` / `outbound_buffer_size` accepted (1 GiB).
pub const MAX_BUFFER_SIZE: i32 = 1 << 30;
/// Default bound on the close handshake (beyond the engine, which waits forever).
pub const DEFAULT_CLOSE_TIMEOUT: Duration = Duration::from_secs(10);

/// After this side aborted with a close code, how long input is drained before the socket is closed.
pub const FAIL_DRAIN: Duration = Duration::from_secs(2);

/// Bytes read from the socket per read call.
const READ_CHUNK: usize = 64 * 1024;
/// Control frames (pongs, close echo) queued unsent beyond this stop reading: a peer that pings
/// without reading cannot grow our output.
const MAX_CONTROL_QUEUED: usize = 64 * 1024;

/// What a transport tells the peer while it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamStatus {
    Connecting,
    Open,
    Closed,
}

/// A byte stream a WebSocket can run over: StreamPeerTCP, or a TLS stream over one (wss).
/// Reads and writes are the non-blocking `get_partial_data` / `put_partial_data`.
pub trait WsStream: StreamPeer + std::fmt::Debug + Send {
    /// Advances connecting (TCP connect, TLS handshake); called only until it returns `Open`.
    fn poll_stream(&mut self) -> StreamStatus;
    fn set_no_delay(&mut self, enabled: bool) -> Result<()>;
    /// Remote address and port.
    fn remote(&self) -> Option<(IpAddr, u16)>;
    /// True for TLS streams (the server's `get_requested_url` then says `wss://`).
    fn is_tls(&self) -> bool {
        false
    }
    /// A TLS stream that failed: its status (ERROR or ERROR_HOSTNAME_MISMATCH) and why.
    fn tls_failure(&self) -> Option<(TlsStatus, String)> {
        None
    }
    /// Ends the stream gracefully once the close handshake is done (TLS: close_notify).
    fn shutdown(&mut self) {}
    /// Hands the transport what the stream itself still holds (TLS records written while the
    /// socket was full), so that output never waits for the next write or read.
    fn push_pending(&mut self) {}
}

impl WsStream for StreamPeerTcp {
    fn poll_stream(&mut self) -> StreamStatus {
        if self.get_status() == TcpStatus::Connecting {
            let _ = self.poll();
        }
        match self.get_status() {
            TcpStatus::Connecting => StreamStatus::Connecting,
            TcpStatus::Connected => StreamStatus::Open,
            _ => StreamStatus::Closed,
        }
    }
    fn set_no_delay(&mut self, enabled: bool) -> Result<()> {
        StreamPeerTcp::set_no_delay(self, enabled)
    }
    fn remote(&self) -> Option<(IpAddr, u16)> {
        self.get_connected_host()
            .map(|h| (h, self.get_connected_port()))
    }
}

/// Counters of one peer (beyond the engine). Refusals are the calls that returned an error and sent
/// nothing; nothing is ever dropped without one.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WsStats {
    pub messages_sent: u64,
    pub bytes_sent: u64,
    pub messages_received: u64,
    pub bytes_received: u64,
    /// `send` refused because `max_queued_packets` messages were queued.
    pub refused_queue_full: u64,
    /// `send` refused because the message did not fit `outbound_buffer_size`.
    pub refused_too_big: u64,
    /// Times `poll` stopped reading because the inbound queue was full (back-pressure).
    pub read_throttled: u64,
}

#[derive(Debug, Clone)]
struct Config {
    protocols: Vec<String>,
    headers: Vec<String>,
    inbound: usize,
    outbound: usize,
    max_queued: usize,
    heartbeat: Option<Duration>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            protocols: Vec::new(),
            headers: Vec::new(),
            inbound: DEFAULT_BUFFER_SIZE as usize,
            outbound: DEFAULT_BUFFER_SIZE as usize,
            max_queued: DEFAULT_MAX_QUEUED_PACKETS as usize,
            heartbeat: None,
        }
    }
}

enum Phase {
    Idle,
    TcpConnecting,
    /// TLS handshake over the connected TCP stream (wss), client or server.
    TlsConnecting,
    /// Client: request queued, waiting for the response head.
    ClientHandshake,
    /// Server: waiting for the request head.
    ServerRequest,
    /// Server: response queued; OPEN once it is written.
    ServerResponse,
    Running,
}

impl std::fmt::Debug for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = match self {
            Phase::Idle => "Idle",
            Phase::TcpConnecting => "TcpConnecting",
            Phase::TlsConnecting => "TlsConnecting",
            Phase::ClientHandshake => "ClientHandshake",
            Phase::ServerRequest => "ServerRequest",
            Phase::ServerResponse => "ServerResponse",
            Phase::Running => "Running",
        };
        f.write_str(s)
    }
}

/// Godot's WebSocketPeer.
#[derive(Debug)]
pub struct WebSocketPeer {
    base: PeerBase,
    cfg: Config,
    /// Limits of the current connection (copied from `cfg` when it starts).
    act: Config,
    state: State,
    phase: Phase,
    stream: Option<Box<dyn WsStream>>,
    /// Client: the TCP connect in progress.
    pending_tcp: Option<StreamPeerTcp>,
    /// Client options of the current `wss://` connection (None: `TLSOptions.client()`).
    tls_options: Option<TlsOptions>,
    /// Why the last connection failed ("" if it did not), and the TLS status it ended in.
    last_error: String,
    tls_status: TlsStatus,
    is_server: bool,
    url: Option<WsUrl>,
    candidates: Vec<IpAddr>,
    next_candidate: usize,
    key: String,
    requested_url: String,
    selected_protocol: String,
    started: Instant,
    handshake_timeout: Option<Duration>,
    close_timeout: Duration,
    closing_since: Option<Instant>,
    // Output: encoded frames; `out_msgs` holds (absolute end offset, payload length) of unsent messages.
    out: Vec<u8>,
    out_pos: usize,
    out_abs_base: u64,
    out_msgs: VecDeque<(u64, usize)>,
    out_queued_payload: usize,
    out_control: usize,
    // Input.
    /// Read buffer: `rbuf[rpos..rend]` is unparsed input; its length is the read window (4096 bytes
    /// during the handshake, READ_CHUNK after).
    rbuf: Vec<u8>,
    rpos: usize,
    rend: usize,
    decoder: Decoder,
    inq: VecDeque<(Vec<u8>, bool)>,
    inq_bytes: usize,
    ring: usize,
    last_packet: Vec<u8>,
    last_was_string: bool,
    // Close.
    close_sent: bool,
    close_received: bool,
    /// This side aborted (protocol error): close frame sent, input drained until the peer closes.
    failing: bool,
    close_code: i32,
    close_reason: String,
    // Heartbeat.
    last_ping: Instant,
    ping_pending: bool,
    rng: RandomState,
    rng_counter: u64,
    stats: WsStats,
}

impl Default for WebSocketPeer {
    fn default() -> Self {
        Self::new()
    }
}

/// The receive ring size for an inbound buffer size: 2^(floor(log2(n))+1) (the engine's rule).
fn ring_size(n: usize) -> usize {
    let n = n.max(1);
    1usize << (usize::BITS - n.leading_zeros())
}

impl WebSocketPeer {
    pub fn new() -> Self {
        let cfg = Config::default();
        WebSocketPeer {
            base: PeerBase::default(),
            act: cfg.clone(),
            cfg,
            state: State::Closed,
            phase: Phase::Idle,
            stream: None,
            pending_tcp: None,
            tls_options: None,
            last_error: String::new(),
            tls_status: TlsStatus::Disconnected,
            is_server: false,
            url: None,
            candidates: Vec::new(),
            next_candidate: 0,
            key: String::new(),
            requested_url: String::new(),
            selected_protocol: String::new(),
            started: Instant::now(),
            handshake_timeout: None,
            close_timeout: DEFAULT_CLOSE_TIMEOUT,
            closing_since: None,
            out: Vec::new(),
            out_pos: 0,
            out_abs_base: 0,
            out_msgs: VecDeque::new(),
            out_queued_payload: 0,
            out_control: 0,
            rbuf: Vec::new(),
            rpos: 0,
            rend: 0,
            decoder: Decoder::new(false, DEFAULT_BUFFER_SIZE as usize),
            inq: VecDeque::new(),
            inq_bytes: 0,
            ring: ring_size(DEFAULT_BUFFER_SIZE as usize),
            last_packet: Vec::new(),
            last_was_string: false,
            close_sent: false,
            close_received: false,
            failing: false,
            close_code: -1,
            close_reason: String::new(),
            last_ping: Instant::now(),
            ping_pending: false,
            rng: RandomState::new(),
            rng_counter: 0,
            stats: WsStats::default(),
        }
    }

    // ---- properties ----

    /// `supported_protocols`; entries are whitespace-trimmed. Refused (`ERR_INVALID_PARAMETER`):
    /// an entry that is empty after trimming or holds a comma, CR or LF.
    pub fn set_supported_protocols(&mut self, protocols: &[&str]) -> Result<()> {
        let v: Vec<String> = protocols.iter().map(|p| p.trim().to_string()).collect();
        if v.iter()
            .any(|p| p.is_empty() || p.contains([',', '\r', '\n']))
        {
            return Err(Error::InvalidParameter);
        }
        self.cfg.protocols = v;
        Ok(())
    }
    pub fn get_supported_protocols(&self) -> &[String] {
        &self.cfg.protocols
    }
    /// `handshake_headers`: raw `Name: value` lines sent verbatim. Lines with CR or LF are refused.
    pub fn set_handshake_headers(&mut self, headers: &[&str]) -> Result<()> {
        if headers.iter().any(|h| h.contains(['\r', '\n'])) {
            return Err(Error::InvalidParameter);
        }
        self.cfg.headers = headers.iter().map(|h| h.to_string()).collect();
        Ok(())
    }
    pub fn get_handshake_headers(&self) -> &[String] {
        &self.cfg.headers
    }
    /// `inbound_buffer_size` (1..=1 GiB, else `ERR_INVALID_PARAMETER`).
    pub fn set_inbound_buffer_size(&mut self, n: i32) -> Result<()> {
        if !(1..=MAX_BUFFER_SIZE).contains(&n) {
            return Err(Error::InvalidParameter);
        }
        self.cfg.inbound = n as usize;
        Ok(())
    }
    pub fn get_inbound_buffer_size(&self) -> i32 {
        self.cfg.inbound as i32
    }
    /// `outbound_buffer_size` (0 = unlimited; up to 1 GiB).
    pub fn set_outbound_buffer_size(&mut self, n: i32) -> Result<()> {
        if !(0..=MAX_BUFFER_SIZE).contains(&n) {
            return Err(Error::InvalidParameter);
        }
        self.cfg.outbound = n as usize;
        Ok(())
    }
    pub fn get_outbound_buffer_size(&self) -> i32 {
        self.cfg.outbound as i32
    }
    /// `max_queued_packets` (≥ 1).
    pub fn set_max_queued_packets(&mut self, n: i32) -> Result<()> {
        if n < 1 {
            return Err(Error::InvalidParameter);
        }
        self.cfg.max_queued = n as usize;
        Ok(())
    }
    pub fn get_max_queued_packets(&self) -> i32 {
        self.cfg.max_queued as i32
    }
    /// `heartbeat_interval` in seconds (0 = off; negative or not finite: `ERR_INVALID_PARAMETER`).
    /// Unlike the other properties it applies at once, as in the engine.
    pub fn set_heartbeat_interval(&mut self, seconds: f64) -> Result<()> {
        if !seconds.is_finite() || !(0.0..=1e9).contains(&seconds) {
            return Err(Error::InvalidParameter);
        }
        self.cfg.heartbeat = (seconds > 0.0).then(|| Duration::from_secs_f64(seconds));
        self.act.heartbeat = self.cfg.heartbeat;
        Ok(())
    }
    pub fn get_heartbeat_interval(&self) -> f64 {
        self.cfg.heartbeat.map(|d| d.as_secs_f64()).unwrap_or(0.0)
    }
    /// Bound on CONNECTING (resolve + connect + handshake); `None` (default, like the engine) waits forever.
    pub fn set_handshake_timeout(&mut self, t: Option<Duration>) {
        self.handshake_timeout = t;
    }
    /// Bound on CLOSING before the connection is dropped.
    pub fn set_close_timeout(&mut self, t: Duration) {
        self.close_timeout = t;
    }

    // ---- getters ----

    pub fn get_ready_state(&self) -> State {
        self.state
    }
    pub fn get_close_code(&self) -> i32 {
        self.close_code
    }
    pub fn get_close_reason(&self) -> &str {
        &self.close_reason
    }
    pub fn get_selected_protocol(&self) -> &str {
        &self.selected_protocol
    }
    pub fn get_requested_url(&self) -> &str {
        &self.requested_url
    }
    /// Godot's text of the remote address (`""` when there is no connection).
    pub fn get_connected_host(&self) -> String {
        self.stream
            .as_ref()
            .and_then(|s| s.remote())
            .map(|(h, _)| addr::ip_to_string(h))
            .unwrap_or_default()
    }
    pub fn get_connected_port(&self) -> u16 {
        self.stream
            .as_ref()
            .and_then(|s| s.remote())
            .map(|(_, p)| p)
            .unwrap_or(0)
    }
    /// Payload bytes of queued, not yet fully written messages (0 unless OPEN, like the engine).
    pub fn get_current_outbound_buffered_amount(&self) -> i32 {
        if self.state == State::Open {
            self.out_queued_payload.min(i32::MAX as usize) as i32
        } else {
            0
        }
    }
    /// Whether the last message read was a text message.
    pub fn was_string_packet(&self) -> bool {
        self.last_was_string
    }
    pub fn stats(&self) -> WsStats {
        self.stats
    }
    /// Why the last connection failed to start or ended without a close handshake: a TCP connect
    /// that failed, the TLS handshake's failure (OpenSSL's reason and the verify result), a refused
    /// opening handshake, a timeout, an unanswered heartbeat ping, a connection that just ended. `""`
    /// while nothing failed since the last connect/accept (beyond the engine, which prints it).
    pub fn get_last_error_text(&self) -> &str {
        &self.last_error
    }
    /// The TLS session's status: DISCONNECTED for `ws://` or before the TLS handshake starts;
    /// HANDSHAKING, CONNECTED, then ERROR or ERROR_HOSTNAME_MISMATCH if the handshake failed (kept
    /// after the connection ended, until the next connect/accept).
    pub fn get_tls_status(&self) -> TlsStatus {
        self.tls_status
    }
    /// `set_no_delay`: ERR_UNCONFIGURED without a connection (the engine fails silently).
    pub fn set_no_delay(&mut self, enabled: bool) -> Result<()> {
        self.stream
            .as_mut()
            .ok_or(Error::Unconfigured)?
            .set_no_delay(enabled)
    }

    // ---- starting ----

    fn reset(&mut self, server: bool) {
        self.act = self.cfg.clone();
        self.phase = Phase::Idle;
        self.stream = None;
        self.pending_tcp = None;
        self.is_server = server;
        self.url = None;
        self.candidates.clear();
        self.next_candidate = 0;
        self.key.clear();
        self.requested_url.clear();
        self.selected_protocol.clear();
        self.started = Instant::now();
        self.closing_since = None;
        self.out.clear();
        self.out_pos = 0;
        self.out_abs_base = 0;
        self.out_msgs.clear();
        self.out_queued_payload = 0;
        self.out_control = 0;
        self.rbuf = Vec::new();
        self.rpos = 0;
        self.rend = 0;
        self.decoder = Decoder::new(server, self.act.inbound);
        self.inq.clear();
        self.inq_bytes = 0;
        self.ring = ring_size(self.act.inbound);
        self.close_sent = false;
        self.close_received = false;
        self.failing = false;
        self.close_code = -1;
        self.close_reason.clear();
        self.ping_pending = false;
        self.last_error.clear();
        self.tls_status = TlsStatus::Disconnected;
    }

    /// Records why the connection failed (the first reason wins).
    fn note_error(&mut self, text: String) {
        if self.last_error.is_empty() {
            self.last_error = text;
        }
    }

    /// Records a TLS stream's failure before it is dropped.
    fn note_tls(&mut self) {
        if let Some((st, text)) = self.stream.as_ref().and_then(|s| s.tls_failure()) {
            self.tls_status = st;
            self.note_error(format!("TLS: {text}"));
        }
    }

    fn random_u64(&mut self) -> u64 {
        // SipHash keyed from the OS (std's RandomState) over a counter: unpredictable to the peer.
        let mut h = self.rng.build_hasher();
        self.rng_counter = self.rng_counter.wrapping_add(1);
        h.write_u64(self.rng_counter);
        h.finish()
    }

    /// `connect_to_url(url)` with the default TLS options (see [`Self::connect_to_url_tls`]).
    pub fn connect_to_url(&mut self, url: &str) -> Result<()> {
        self.connect_to_url_tls(url, None)
    }

    /// `connect_to_url(url, tls_client_options)`: `ERR_INVALID_PARAMETER` for an empty or
    /// unparsable URL, a scheme other than ws/wss, or server options; `ERR_ALREADY_IN_USE` unless
    /// CLOSED or CLOSING; `ERR_CANT_RESOLVE` for a name without addresses (resolved here, blocking up
    /// to the system resolver's timeout; numeric hosts never wait); `FAILED` if no TCP connect can
    /// start. OK: CONNECTING. For `wss://`, `options` None is `TLSOptions.client()` (system CAs,
    /// the URL's host checked and sent as SNI); `ws://` ignores them, like the engine.
    pub fn connect_to_url_tls(&mut self, url: &str, options: Option<&TlsOptions>) -> Result<()> {
        if url.is_empty() || options.is_some_and(|o| o.is_server()) {
            return Err(Error::InvalidParameter);
        }
        if !matches!(self.state, State::Closed | State::Closing) {
            return Err(Error::AlreadyInUse);
        }
        let u = handshake::parse_url(url).ok_or(Error::InvalidParameter)?;
        self.reset(false);
        self.tls_options = options.cloned();
        let mut k = [0u8; 16];
        k[..8].copy_from_slice(&self.random_u64().to_le_bytes());
        k[8..].copy_from_slice(&self.random_u64().to_le_bytes());
        self.key = handshake::base64(&k);
        self.requested_url = url.to_string();
        // A name is resolved here, blocking, because the library starts no threads (the engine
        // resolves in the background): the wait is bounded by the system resolver's own timeout
        // (resolv.conf), and a numeric host never waits. Every address is tried in order.
        let candidates = match addr::parse_ip(&u.host) {
            Some(ip) => vec![ip],
            None => {
                use std::net::ToSocketAddrs;
                let v: Vec<IpAddr> = (u.host.as_str(), u.port)
                    .to_socket_addrs()
                    .map(|it| it.map(|a| addr::canonical(a.ip())).collect())
                    .unwrap_or_default();
                if v.is_empty() {
                    self.state = State::Closed;
                    self.note_error(format!("cannot resolve {}", u.host));
                    return Err(Error::CantResolve);
                }
                v
            }
        };
        self.url = Some(u);
        self.candidates = candidates;
        if !self.try_next_candidate() {
            self.state = State::Closed;
            self.note_error("no TCP connect could start".into());
            return Err(Error::Failed);
        }
        self.state = State::Connecting;
        Ok(())
    }

    /// Starts a TCP connect to the next candidate; false when none could start.
    fn try_next_candidate(&mut self) -> bool {
        let port = match &self.url {
            Some(u) => u.port as i32,
            None => return false,
        };
        while let Some(ip) = self.candidates.get(self.next_candidate).copied() {
            self.next_candidate += 1;
            let mut tcp = StreamPeerTcp::new();
            if tcp.connect_to_host(&addr::ip_to_string(ip), port).is_ok() {
                self.pending_tcp = Some(tcp);
                self.phase = Phase::TcpConnecting;
                return true;
            }
        }
        false
    }

    /// `accept_stream(stream)`: the server side over an accepted stream. `ERR_ALREADY_IN_USE` unless
    /// CLOSED or CLOSING; `ERR_INVALID_PARAMETER` if the stream is not connected. OK: CONNECTING.
    pub fn accept_stream(&mut self, mut stream: Box<dyn WsStream>) -> Result<()> {
        if !matches!(self.state, State::Closed | State::Closing) {
            return Err(Error::AlreadyInUse);
        }
        let st = stream.poll_stream();
        if st == StreamStatus::Closed {
            return Err(Error::InvalidParameter);
        }
        self.reset(true);
        let _ = stream.set_no_delay(true);
        self.stream = Some(stream);
        // Over TLS, the WebSocket handshake waits for the TLS handshake.
        self.phase = if st == StreamStatus::Connecting {
            self.tls_status = TlsStatus::Handshaking;
            Phase::TlsConnecting
        } else {
            if self.stream.as_ref().is_some_and(|s| s.is_tls()) {
                self.tls_status = TlsStatus::Connected;
            }
            Phase::ServerRequest
        };
        self.state = State::Connecting;
        Ok(())
    }

    /// `accept_stream` over a StreamPeerTCP.
    pub fn accept_tcp(&mut self, tcp: StreamPeerTcp) -> Result<()> {
        if tcp.get_status() != TcpStatus::Connected {
            return Err(Error::InvalidParameter);
        }
        self.accept_stream(Box::new(tcp))
    }

    // ---- sending ----

    /// `send(message, write_mode)`: FAILED unless OPEN; `ERR_OUT_OF_MEMORY` (counted) if
    /// `max_queued_packets` messages are queued or the queued bytes plus this message exceed
    /// `outbound_buffer_size` (0 = unlimited); text that is not UTF-8: `ERR_INVALID_PARAMETER`.
    /// One unfragmented frame, written by `poll`.
    pub fn send(&mut self, data: &[u8], mode: WriteMode) -> Result<()> {
        if self.state != State::Open {
            return Err(Error::Failed);
        }
        if mode == WriteMode::Text && std::str::from_utf8(data).is_err() {
            return Err(Error::InvalidParameter);
        }
        if self.out_msgs.len() >= self.act.max_queued {
            self.stats.refused_queue_full += 1;
            return Err(Error::OutOfMemory);
        }
        if self.act.outbound != 0 && self.out_queued_payload + data.len() > self.act.outbound {
            self.stats.refused_too_big += 1;
            return Err(Error::OutOfMemory);
        }
        let op = match mode {
            WriteMode::Text => frame::OP_TEXT,
            WriteMode::Binary => frame::OP_BINARY,
        };
        self.queue_frame(op, data);
        let end = self.out_abs_base + self.out.len() as u64;
        self.out_msgs.push_back((end, data.len()));
        self.out_queued_payload += data.len();
        self.stats.messages_sent += 1;
        self.stats.bytes_sent += data.len() as u64;
        Ok(())
    }

    /// `send_text(message)`.
    pub fn send_text(&mut self, text: &str) -> Result<()> {
        self.send(text.as_bytes(), WriteMode::Text)
    }

    fn queue_frame(&mut self, op: u8, payload: &[u8]) {
        let mask = if self.is_server {
            None
        } else {
            Some((self.random_u64() as u32).to_ne_bytes())
        };
        frame::encode_frame(&mut self.out, op, payload, mask);
    }

    fn queue_control(&mut self, op: u8, payload: &[u8]) {
        let before = self.out.len();
        self.queue_frame(op, payload);
        self.out_control += self.out.len() - before;
    }

    /// `close(code, reason)`: code < 0 drops the connection at once (no close frame, CLOSED, close
    /// code −1). OPEN: queues a close frame (code 0 = empty body) and turns CLOSING; CLOSED follows
    /// in `poll` when the peer's close arrives. CONNECTING: dropped (CLOSED). A reason over 123
    /// bytes, or a code outside 0..=65535: `ERR_INVALID_PARAMETER`, nothing changes.
    pub fn close(&mut self, code: i32, reason: &str) -> Result<()> {
        if code > 0xFFFF || reason.len() > frame::MAX_CLOSE_REASON {
            return Err(Error::InvalidParameter);
        }
        if code < 0 {
            self.drop_connection();
            self.close_code = -1;
            self.close_reason.clear();
            return Ok(());
        }
        match self.state {
            State::Connecting => {
                self.drop_connection();
            }
            State::Open => {
                let p = frame::close_payload(code as u16, reason);
                self.queue_control(frame::OP_CLOSE, &p);
                self.close_sent = true;
                self.state = State::Closing;
                self.closing_since = Some(Instant::now());
                let _ = self.flush();
            }
            State::Closing | State::Closed => {}
        }
        Ok(())
    }

    fn drop_connection(&mut self) {
        self.end_tls();
        self.stream = None;
        self.pending_tcp = None;
        self.phase = Phase::Idle;
        self.state = State::Closed;
        self.out.clear();
        self.out_pos = 0;
        self.out_msgs.clear();
        self.out_queued_payload = 0;
        self.out_control = 0;
    }

    /// Ends the connection after a local violation: sends the close frame, then CLOSED.
    fn fail(&mut self, f: frame::Fail) {
        self.close_code = f.code as i32;
        self.close_reason = f.reason.to_string();
        if !self.close_sent {
            let p = frame::close_payload(f.code, f.reason);
            self.queue_control(frame::OP_CLOSE, &p);
            self.close_sent = true;
        }
        self.failing = true;
        self.state = State::Closing;
        self.closing_since.get_or_insert_with(Instant::now);
        let _ = self.flush();
    }

    // ---- I/O ----

    /// Writes queued output; Err when the stream failed (the connection is then dropped).
    fn flush(&mut self) -> Result<()> {
        if self.out_pos == self.out.len() {
            if let Some(s) = self.stream.as_mut() {
                s.push_pending();
            }
        }
        while self.out_pos < self.out.len() {
            let Some(s) = self.stream.as_mut() else {
                return Err(Error::Failed);
            };
            match s.put_partial_data(&self.out[self.out_pos..]) {
                Ok(0) => break,
                Ok(n) => self.out_pos += n,
                Err(e) => {
                    self.abnormal();
                    return Err(e);
                }
            }
        }
        let written = self.out_abs_base + self.out_pos as u64;
        while let Some(&(end, len)) = self.out_msgs.front() {
            if end > written {
                break;
            }
            self.out_msgs.pop_front();
            self.out_queued_payload -= len;
        }
        if self.out_pos == self.out.len() {
            self.out_abs_base += self.out.len() as u64;
            self.out.clear();
            self.out_pos = 0;
            self.out_control = 0;
        } else if self.out_pos > 0 && self.out_pos >= self.out.len() / 2 {
            self.out_abs_base += self.out_pos as u64;
            self.out.drain(..self.out_pos);
            self.out_pos = 0;
        }
        if self.out.is_empty() && self.close_sent && self.close_received {
            self.finish_close();
        }
        Ok(())
    }

    /// The stream ended without a finished close handshake.
    fn abnormal(&mut self) {
        if !self.failing {
            self.close_code = -1;
            self.close_reason.clear();
        }
        self.note_tls();
        self.note_error(match (self.state, &self.phase) {
            (State::Connecting, Phase::TcpConnecting) => "TCP connect failed".into(),
            (State::Connecting, Phase::TlsConnecting) => "TLS handshake failed".into(),
            (State::Connecting, _) => "the connection ended during the opening handshake".into(),
            _ => "the connection ended without a close handshake".into(),
        });
        self.drop_connection();
    }

    /// Frees the read and write buffers once the connection is gone (messages already received
    /// stay readable). For peers a multiplayer peer dropped while a C handle still holds them.
    pub(crate) fn release_buffers(&mut self) {
        if self.stream.is_some() || self.pending_tcp.is_some() {
            return;
        }
        self.rbuf = Vec::new();
        self.rpos = 0;
        self.rend = 0;
        self.out = Vec::new();
        self.out_pos = 0;
        self.out_msgs = VecDeque::new();
        self.decoder = Decoder::new(self.is_server, 1);
    }

    /// The TLS session ends with the connection (a failure stays recorded).
    fn end_tls(&mut self) {
        if matches!(
            self.tls_status,
            TlsStatus::Handshaking | TlsStatus::Connected
        ) {
            self.tls_status = TlsStatus::Disconnected;
        }
    }

    fn finish_close(&mut self) {
        if let Some(s) = self.stream.as_mut() {
            s.shutdown();
        }
        self.end_tls();
        self.stream = None;
        self.phase = Phase::Idle;
        self.state = State::Closed;
    }

    fn inbound_room(&self) -> bool {
        self.inq.len() < self.act.max_queued && self.inq_bytes < self.ring
    }

    /// Reads what the socket has into `rbuf` (after the unparsed bytes); false on end of stream or
    /// error. The window is 4096 bytes until the connection is open (a handshake head may not be
    /// longer), so a thousand half-open connections hold 4 KiB each.
    fn fill(&mut self) -> bool {
        if self.rpos == self.rend {
            self.rpos = 0;
            self.rend = 0;
        } else if self.rpos > 0 && self.rend == self.rbuf.len() {
            self.rbuf.copy_within(self.rpos..self.rend, 0);
            self.rend -= self.rpos;
            self.rpos = 0;
        }
        let window = match self.phase {
            Phase::Running => READ_CHUNK,
            _ => handshake::MAX_HEAD,
        };
        if self.rbuf.len() < window {
            self.rbuf.resize(window, 0);
        }
        if self.rend == self.rbuf.len() {
            return true;
        }
        let Some(s) = self.stream.as_mut() else {
            return false;
        };
        match s.get_partial_data(&mut self.rbuf[self.rend..]) {
            Ok(n) => {
                self.rend += n;
                true
            }
            Err(_) => false,
        }
    }

    /// `poll()`: drives resolving, connecting, the handshake, frame I/O, heartbeat and closing.
    pub fn poll(&mut self) {
        if let (Some(t), State::Connecting) = (self.handshake_timeout, self.state) {
            if self.started.elapsed() > t {
                self.note_tls();
                self.note_error("handshake timed out".into());
                self.drop_connection();
                self.close_code = -1;
                return;
            }
        }
        if self.state == State::Closing
            && self
                .closing_since
                .is_some_and(|t| t.elapsed() > self.close_timeout)
        {
            self.note_error("the close handshake did not finish within the close timeout".into());
            self.abnormal();
            return;
        }
        match self.phase {
            Phase::Idle => {}
            Phase::TcpConnecting => self.poll_connecting(),
            Phase::TlsConnecting => self.poll_tls(),
            Phase::ClientHandshake | Phase::ServerRequest => self.poll_handshake(),
            Phase::ServerResponse => {
                if self.flush().is_ok() && self.out.is_empty() {
                    self.open();
                    self.poll_running();
                }
            }
            Phase::Running => self.poll_running(),
        }
    }

    fn poll_connecting(&mut self) {
        let st = match self.pending_tcp.as_mut() {
            Some(t) => t.poll_stream(),
            None => StreamStatus::Closed,
        };
        match st {
            StreamStatus::Connecting => {}
            StreamStatus::Closed => {
                self.pending_tcp = None;
                if !self.try_next_candidate() {
                    self.abnormal();
                }
            }
            StreamStatus::Open => {
                let Some(mut tcp) = self.pending_tcp.take() else {
                    return;
                };
                let _ = tcp.set_no_delay(true);
                let tls_host = self.url.as_ref().filter(|u| u.tls).map(|u| u.host.clone());
                match tls_host {
                    None => {
                        self.stream = Some(Box::new(tcp));
                        self.start_client_handshake();
                    }
                    Some(host) => {
                        match tls::TlsWsStream::client(tcp, &host, self.tls_options.as_ref()) {
                            Ok(s) => {
                                self.stream = Some(Box::new(s));
                                self.phase = Phase::TlsConnecting;
                                self.tls_status = TlsStatus::Handshaking;
                                self.poll_tls();
                            }
                            Err((_, st, text)) => {
                                self.tls_status = st;
                                self.note_error(format!("TLS: {text}"));
                                self.abnormal();
                            }
                        }
                    }
                }
            }
        }
    }

    fn poll_tls(&mut self) {
        match self.stream.as_mut().map(|s| s.poll_stream()) {
            Some(StreamStatus::Open) => {
                self.tls_status = TlsStatus::Connected;
                if self.is_server {
                    self.phase = Phase::ServerRequest;
                    self.poll_handshake();
                } else {
                    self.start_client_handshake();
                }
            }
            Some(StreamStatus::Connecting) => {}
            _ => self.abnormal(),
        }
    }

    fn start_client_handshake(&mut self) {
        let Some(u) = self.url.as_ref() else {
            self.abnormal();
            return;
        };
        let req = handshake::client_request(u, &self.key, &self.act.protocols, &self.act.headers);
        self.out.extend_from_slice(&req);
        self.phase = Phase::ClientHandshake;
        self.poll_handshake();
    }

    fn poll_handshake(&mut self) {
        if self.flush().is_err() {
            return;
        }
        loop {
            if let Some(end) = handshake::head_end(&self.rbuf[self.rpos..self.rend]) {
                let head = self.rbuf[self.rpos..self.rpos + end].to_vec();
                self.rpos += end;
                self.handshake_head(&head);
                return;
            }
            if self.rend - self.rpos >= handshake::MAX_HEAD {
                // 4096 bytes without the blank line: refused like the engine.
                self.abnormal();
                return;
            }
            let before = self.rend;
            if !self.fill() {
                self.abnormal();
                return;
            }
            if self.rend == before {
                return;
            }
        }
    }

    fn handshake_head(&mut self, head: &[u8]) {
        if self.is_server {
            match handshake::check_request(head, &self.act.protocols) {
                Some(r) => {
                    let scheme = if self.stream.as_ref().is_some_and(|s| s.is_tls()) {
                        "wss://"
                    } else {
                        "ws://"
                    };
                    self.requested_url = format!("{scheme}{}{}", r.host, r.path);
                    self.selected_protocol = r.protocol.clone().unwrap_or_default();
                    let resp = handshake::server_response(
                        &r.key,
                        r.protocol.as_deref(),
                        &self.act.headers,
                    );
                    self.out.extend_from_slice(&resp);
                    self.phase = Phase::ServerResponse;
                    self.poll();
                }
                None => {
                    self.note_error("the client's opening handshake was refused".into());
                    self.abnormal()
                }
            }
        } else {
            match handshake::check_response(head, &self.key, &self.act.protocols) {
                Some(p) => {
                    self.selected_protocol = p;
                    self.open();
                    self.poll_running();
                }
                None => {
                    self.note_error("the server's opening handshake response was refused".into());
                    self.abnormal()
                }
            }
        }
    }

    fn open(&mut self) {
        self.state = State::Open;
        self.phase = Phase::Running;
        self.last_ping = Instant::now();
        self.ping_pending = false;
    }

    fn poll_running(&mut self) {
        if self.flush().is_err() || self.stream.is_none() {
            return;
        }
        if self.state == State::Open {
            if let Some(iv) = self.act.heartbeat {
                if self.last_ping.elapsed() >= iv {
                    if self.ping_pending {
                        self.note_error("no pong within heartbeat_interval".into());
                        self.abnormal();
                        return;
                    }
                    self.queue_control(frame::OP_PING, &[]);
                    self.ping_pending = true;
                    self.last_ping = Instant::now();
                }
            }
        }
        if self.failing {
            self.drain_after_fail();
            return;
        }
        // Bounded: at most this many socket reads per poll, so one busy peer cannot hold the caller.
        let mut reads = 0;
        loop {
            if self.failing || self.stream.is_none() {
                break;
            }
            if !self.inbound_room() || self.out_control > MAX_CONTROL_QUEUED {
                self.stats.read_throttled += 1;
                break;
            }
            if self.rpos < self.rend {
                let r = self.decoder.feed(&self.rbuf[self.rpos..self.rend]);
                match r {
                    Err(f) => {
                        self.fail(f);
                        return;
                    }
                    Ok((n, ev)) => {
                        self.rpos += n;
                        if let Some(ev) = ev {
                            self.event(ev);
                            continue;
                        }
                    }
                }
            }
            if reads >= 16 {
                break;
            }
            reads += 1;
            let before = self.rend - self.rpos;
            if !self.fill() {
                // End of stream: what was decoded stays readable.
                if self.state != State::Closed {
                    self.abnormal();
                }
                return;
            }
            if self.rend - self.rpos == before {
                break;
            }
        }
        let _ = self.flush();
    }

    /// After a violation the close frame is out: input is read and discarded (frame boundaries are
    /// lost) until the peer closes the socket or [`FAIL_DRAIN`] passes, so the peer can finish its
    /// write and read our close frame instead of meeting a reset.
    fn drain_after_fail(&mut self) {
        if !self.out.is_empty() {
            return;
        }
        if self.closing_since.is_some_and(|t| t.elapsed() > FAIL_DRAIN) {
            self.finish_close();
            return;
        }
        for _ in 0..16 {
            self.rpos = 0;
            self.rend = 0;
            if !self.fill() {
                self.finish_close();
                return;
            }
            if self.rend == 0 {
                break;
            }
        }
        self.rpos = 0;
        self.rend = 0;
    }

    fn event(&mut self, ev: Event) {
        match ev {
            Event::Message { data, text } => {
                self.stats.messages_received += 1;
                self.stats.bytes_received += data.len() as u64;
                self.inq_bytes += data.len();
                self.inq.push_back((data, text));
            }
            Event::Ping(p) => {
                if !self.close_sent {
                    self.queue_control(frame::OP_PONG, &p);
                }
            }
            Event::Pong(_) => self.ping_pending = false,
            Event::Close { code, reason } => {
                self.close_received = true;
                self.close_code = code as i32;
                self.close_reason = reason;
                if !self.close_sent {
                    let p = frame::close_payload(code, &self.close_reason);
                    self.queue_control(frame::OP_CLOSE, &p);
                    self.close_sent = true;
                }
                self.state = State::Closing;
                self.closing_since.get_or_insert_with(Instant::now);
                let _ = self.flush();
            }
        }
    }
}

impl PacketPeer for WebSocketPeer {
    /// Messages ready to read, in any state (see the module docs: no loss on close).
    fn get_available_packet_count(&mut self) -> i32 {
        self.inq.len().min(i32::MAX as usize) as i32
    }

    /// Pops the next message: `ERR_UNAVAILABLE` if none while OPEN or CLOSING, FAILED if none
    /// otherwise.
    fn get_packet(&mut self) -> Result<&[u8]> {
        match self.inq.pop_front() {
            Some((data, text)) => {
                self.inq_bytes -= data.len();
                self.last_packet = data;
                self.last_was_string = text;
                self.base.set_packet_error(None);
                Ok(&self.last_packet)
            }
            None => {
                let e = if matches!(self.state, State::Open | State::Closing) {
                    Error::Unavailable
                } else {
                    Error::Failed
                };
                self.base.set_packet_error(Some(e));
                Err(e)
            }
        }
    }

    /// A binary message (`send(data, WRITE_MODE_BINARY)`).
    fn put_packet(&mut self, data: &[u8]) -> Result<()> {
        self.send(data, WriteMode::Binary)
    }

    /// `inbound_buffer_size` of the connection once it opened; 0 before.
    fn get_max_packet_size(&self) -> i32 {
        match self.phase {
            Phase::Running => self.act.inbound as i32,
            _ => 0,
        }
    }

    fn base(&self) -> &PeerBase {
        &self.base
    }
    fn base_mut(&mut self) -> &mut PeerBase {
        &mut self.base
    }
}
