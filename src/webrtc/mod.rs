//! WebRTCPeerConnection (`docs/classes.md` §21) and WebRTCDataChannel (§22), data channels only.
//!
//! The stack is str0m (ICE, DTLS, SCTP, DCEP), which is sans-IO: it never touches a socket or a
//! clock. We own the UDP sockets (one per local address we gather a host candidate on) and drive
//! everything from [`WebRtcPeerConnection::poll`]: read datagrams, feed them to str0m, hand it the
//! time, send what it asks to send, turn its events into our polled event queue and the data
//! channels' receive queues. No threads, no callbacks.
//!
//! A connection is a reference to shared state (Godot's `Ref<WebRTCPeerConnection>`); each
//! [`WebRtcDataChannel`] holds another reference plus its slot, and locks the state for each call.
#![forbid(unsafe_code)]

pub mod config;
mod dtls_crypto;
pub mod multiplayer;
pub mod stun;
pub mod turn;
mod turn_stream;

use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use str0m::change::{SdpAnswer, SdpOffer, SdpPendingOffer};
use str0m::channel::{ChannelConfig, ChannelId, Reliability};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event as RtcEvent, IceConnectionState, Input, Output, Rtc, RtcConfig};

pub use config::{ChannelOptions, Configuration, IceServer, IceTransportPolicy};
pub use multiplayer::WebRtcMultiplayerPeer;

use crate::conditioner::{Conditioner, ConditionerOptions, ConditionerStats, Direction};
use crate::error::{Error, Result};
use crate::peer::{PacketPeer, PeerBase};
use crate::sync::lock;
use crate::tls::TlsOptions;
use crate::variant::Variant;
use turn::TurnTransport;
use turn_stream::TurnStream;

/// `WebRTCPeerConnection.ConnectionState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionState {
    New = 0,
    Connecting = 1,
    Connected = 2,
    Disconnected = 3,
    Failed = 4,
    Closed = 5,
}

/// `WebRTCPeerConnection.GatheringState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatheringState {
    New = 0,
    Gathering = 1,
    Complete = 2,
}

/// `WebRTCPeerConnection.SignalingState` (the two PRANSWER states never occur: no provisional
/// answers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalingState {
    Stable = 0,
    HaveLocalOffer = 1,
    HaveRemoteOffer = 2,
    HaveLocalPranswer = 3,
    HaveRemotePranswer = 4,
    Closed = 5,
}

/// `WebRTCDataChannel.ChannelState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelState {
    Connecting = 0,
    Open = 1,
    Closing = 2,
    Closed = 3,
}

/// `WebRTCDataChannel.WriteMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    Text = 0,
    Binary = 1,
}

/// A signal of the connection, delivered by [`WebRtcPeerConnection::pop_event`].
#[derive(Debug)]
pub enum PeerEvent {
    /// `session_description_created(type, sdp)`: send it to the remote (and, as in the engine, you
    /// may pass it to `set_local_description`, which is a no-op here).
    SessionDescriptionCreated {
        kind: String,
        sdp: String,
    },
    /// `ice_candidate_created(media, index, name)`: send it to the remote's `add_ice_candidate`.
    IceCandidateCreated {
        media: String,
        index: i32,
        name: String,
    },
    /// `data_channel_received(channel)`: the remote opened an in-band (DCEP) channel.
    DataChannelReceived(WebRtcDataChannel),
    /// The connection state changed (beyond the engine, which has only the getter).
    ConnectionStateChanged(ConnectionState),
    GatheringStateChanged(GatheringState),
    SignalingStateChanged(SignalingState),
}

/// Most events kept for [`WebRtcPeerConnection::pop_event`]; more are refused and counted.
pub const MAX_EVENTS: usize = 1024;
/// A channel's receive queue: past this many messages (or [`RECV_QUEUE_BYTES`]) the connection
/// stops reading its sockets until the application reads (back-pressure; the remote's SCTP
/// retransmits). Past twice either, messages are refused and counted.
pub const RECV_QUEUE_MESSAGES: usize = 4096;
pub const RECV_QUEUE_BYTES: usize = 16 << 20;
/// A channel's send buffer takes a message only while it holds less than this many messages of the
/// message's size (e.g. 32 KiB of 64 B messages; from 256 B up, str0m's own 128 KiB limit is the
/// lower one). sctp-proto walks every chunk in flight, with a hash lookup each, on every transmit
/// poll (`Association::expire_inflight_messages`, `gather_data_packets_to_retransmit`), so with
/// thousands of small messages in flight most of the CPU went there (benches/webrtc.rs).
pub const SEND_QUEUE_MESSAGES: usize = 512;
/// Datagrams read from one socket in one poll.
const READ_BATCH: usize = 512;
/// Datagrams given to str0m between two drains of its output. dimpl (the DTLS layer) holds
/// received records until they are polled out and drops what comes past 30 (its default
/// `max_queue_rx`, which str0m does not expose); a dropped record is an SCTP retransmission.
const FEED_BEFORE_DRAIN: usize = 16;
/// Largest datagram we read (bigger ones are cut, fail to parse and are counted as garbage).
const DATAGRAM_MAX: usize = 2048;
/// `get_max_packet_size()`: webrtc-native's value (RFC 8831's safe message size; §22).
pub const MAX_PACKET_SIZE: i32 = 16384;
/// What the getters of unset values return (§22: the documented value, not webrtc-native's −1).
pub const UNSET: i32 = 65535;

/// Counters of a connection (beyond the engine). They only grow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RtcStats {
    /// Datagrams that were not STUN, DTLS or for this connection.
    pub garbage_datagrams: u64,
    /// Datagrams str0m accepted but failed to process.
    pub input_errors: u64,
    /// Datagrams the socket would not take (the layers above retransmit what is reliable).
    pub send_dropped: u64,
    /// Events refused because [`MAX_EVENTS`] were queued.
    pub events_refused: u64,
    /// Messages refused because a channel's receive queue was over twice its limit.
    pub messages_refused: u64,
    /// Polls that did not read the sockets because a receive queue was full.
    pub read_throttled: u64,
    /// Remote candidates ignored (mDNS `.local` names, other transports).
    pub candidates_ignored: u64,
}

struct Sock {
    sock: UdpSocket,
    local: SocketAddr,
}

struct Chan {
    label: String,
    opts: ChannelOptions,
    rtc_id: Option<ChannelId>,
    /// Waiting for the first offer or answer to reach str0m.
    pending: bool,
    stream_id: Option<u16>,
    state: ChannelState,
    queue: VecDeque<(Vec<u8>, bool)>,
    queued_bytes: usize,
    refused: u64,
}

impl Chan {
    fn new(label: String, opts: ChannelOptions) -> Chan {
        Chan {
            stream_id: opts.id,
            label,
            opts,
            rtc_id: None,
            pending: true,
            state: ChannelState::Connecting,
            queue: VecDeque::new(),
            queued_bytes: 0,
            refused: 0,
        }
    }

    fn str0m_config(&self) -> ChannelConfig {
        let reliability = match (self.opts.max_retransmits, self.opts.max_packet_life_time) {
            (Some(n), _) => Reliability::MaxRetransmits { retransmits: n },
            (None, Some(ms)) => Reliability::MaxPacketLifetime { lifetime: ms },
            (None, None) => Reliability::Reliable,
        };
        ChannelConfig {
            label: self.label.clone(),
            ordered: self.opts.ordered,
            reliability,
            negotiated: if self.opts.negotiated {
                self.opts.id
            } else {
                None
            },
            protocol: self.opts.protocol.clone(),
        }
    }
}

enum QueuedEvent {
    Sdp(String, String),
    Candidate(String, i32, String),
    Channel(usize),
    Conn(ConnectionState),
    Gathering(GatheringState),
    Signaling(SignalingState),
}

struct Conn {
    /// Changes on every `initialize` and `close`, so channels of an older connection read CLOSED.
    generation: u64,
    rtc: Option<Rtc>,
    config: Configuration,
    sockets: Vec<Sock>,
    pending_offer: Option<SdpPendingOffer>,
    state: ConnectionState,
    gathering: GatheringState,
    signaling: SignalingState,
    /// When the connection left NEW (or became DISCONNECTED): FAILED after the ICE timeout.
    waiting_since: Option<Instant>,
    next_timeout: Option<Instant>,
    channels: Vec<Chan>,
    events: VecDeque<QueuedEvent>,
    stats: RtcStats,
    last_error: String,
    mid: String,
    buf: Vec<u8>,
    /// Resolved `stun:` servers of the configuration.
    stun_servers: Vec<SocketAddr>,
    /// Binding transactions of the current gathering (one per socket and server of its family).
    stun: Vec<stun::Transaction>,
    /// Resolved `turn:`/`turns:` servers of the configuration.
    turn_servers: Vec<TurnServer>,
    /// Allocations of the current gathering (one per socket and TURN server of its family).
    turn: Vec<turn::TurnClient>,
    /// The stream of each allocation over TCP or TLS (None: over UDP), index for index.
    turn_streams: Vec<Option<TurnStream>>,
    /// TLS options for `turns:` servers (None: `TLSOptions.client()`).
    turn_tls: Option<TlsOptions>,
    /// Remote candidate IPs so far (TURN permissions for allocations made later); bounded.
    remote_ips: Vec<IpAddr>,
    /// Scratch for a datagram wrapped for the TURN server.
    turn_buf: Vec<u8>,
    /// Off unless set: a conditioner on the connection's UDP sockets, keyed by (socket index,
    /// remote address). Off, the only cost is a branch per datagram.
    cond: Option<Box<Conditioner<(usize, SocketAddr)>>>,
}

/// A TURN server of the configuration, resolved.
#[derive(Debug, Clone)]
struct TurnServer {
    addr: SocketAddr,
    /// The URL's host (the name a `turns:` server's certificate must carry).
    host: String,
    transport: TurnTransport,
    username: String,
    credential: String,
}

impl Conn {
    fn new() -> Conn {
        Conn {
            generation: 0,
            rtc: None,
            config: Configuration::default(),
            sockets: Vec::new(),
            pending_offer: None,
            state: ConnectionState::New,
            gathering: GatheringState::New,
            signaling: SignalingState::Stable,
            waiting_since: None,
            next_timeout: None,
            channels: Vec::new(),
            events: VecDeque::new(),
            stats: RtcStats::default(),
            last_error: String::new(),
            mid: String::new(),
            buf: vec![0; DATAGRAM_MAX],
            stun_servers: Vec::new(),
            stun: Vec::new(),
            turn_servers: Vec::new(),
            turn: Vec::new(),
            turn_streams: Vec::new(),
            turn_tls: None,
            remote_ips: Vec::new(),
            turn_buf: Vec::with_capacity(DATAGRAM_MAX + 64),
            cond: None,
        }
    }

    /// Sends one datagram from socket `i` (or one of the destination's family).
    fn send_from(&mut self, i: Option<usize>, data: &[u8], to: SocketAddr) -> bool {
        let sock = i.and_then(|i| self.sockets.get(i)).or_else(|| {
            self.sockets
                .iter()
                .find(|s| s.local.is_ipv4() == to.is_ipv4())
        });
        matches!(sock.map(|s| s.sock.send_to(data, to)), Some(Ok(_)))
    }

    /// Sends the held outgoing datagrams whose time has come.
    fn release_outgoing(&mut self, now: Instant) {
        while let Some((d, (i, to))) = self
            .cond
            .as_mut()
            .and_then(|c| c.pop_due(Direction::Outgoing, now))
        {
            if !self.send_from(Some(i), &d, to) {
                self.stats.send_dropped += 1;
                if let Some(c) = self.cond.as_mut() {
                    c.count_send_failed(Direction::Outgoing);
                }
            }
        }
    }

    fn relay_only(&self) -> bool {
        self.config.ice_transport_policy == IceTransportPolicy::Relay
    }

    fn fail<T>(&mut self, e: Error, why: impl Into<String>) -> Result<T> {
        self.last_error = why.into();
        Err(e)
    }

    fn push(&mut self, e: QueuedEvent) {
        if self.events.len() >= MAX_EVENTS {
            self.stats.events_refused += 1;
        } else {
            self.events.push_back(e);
        }
    }

    fn set_state(&mut self, s: ConnectionState) {
        if self.state != s {
            self.state = s;
            self.push(QueuedEvent::Conn(s));
            if matches!(
                s,
                ConnectionState::Failed | ConnectionState::Closed | ConnectionState::Disconnected
            ) {
                self.waiting_since = Some(Instant::now());
            }
            if matches!(s, ConnectionState::Failed | ConnectionState::Closed) {
                for c in &mut self.channels {
                    c.state = ChannelState::Closed;
                }
            }
        }
    }

    fn set_signaling(&mut self, s: SignalingState) {
        if self.signaling != s {
            self.signaling = s;
            self.push(QueuedEvent::Signaling(s));
        }
    }

    fn set_gathering(&mut self, s: GatheringState) {
        if self.gathering != s {
            self.gathering = s;
            self.push(QueuedEvent::Gathering(s));
        }
    }

    /// Drops the str0m instance and the sockets; every channel CLOSED.
    fn teardown(&mut self) {
        if let Some(rtc) = self.rtc.as_mut() {
            if rtc.close().is_ok() {
                // Sends the DTLS close_notify (best effort).
                let _ = self.drain();
            }
        }
        if self.cond.is_some() {
            // What the conditioner still holds leaves now (the close_notify among it).
            self.release_outgoing(Instant::now() + std::time::Duration::from_secs(3600));
        }
        for (t, st) in self.turn.iter_mut().zip(self.turn_streams.iter_mut()) {
            let m = t.deallocate();
            match (m, st) {
                (m, Some(st)) => {
                    if let Some(m) = m {
                        st.send(&m);
                    }
                    st.close();
                }
                (Some(m), None) => {
                    if let Some(s) = self.sockets.get(t.sock) {
                        let _ = s.sock.send_to(&m, t.server);
                    }
                }
                (None, None) => {}
            }
        }
        self.turn.clear();
        self.turn_streams.clear();
        self.rtc = None;
        self.sockets.clear();
        self.pending_offer = None;
        // Held datagrams belong to the sockets just closed: start the conditioner afresh.
        if let Some(c) = self.cond.as_mut() {
            if let Ok(fresh) = Conditioner::new(*c.options()) {
                **c = fresh;
            }
        }
        for c in &mut self.channels {
            c.state = ChannelState::Closed;
        }
        self.generation += 1;
    }

    fn initialize(&mut self, config: Configuration) -> Result<()> {
        self.teardown();
        self.channels.clear();
        self.events.clear();
        self.state = ConnectionState::New;
        self.gathering = GatheringState::New;
        self.signaling = SignalingState::Stable;
        self.waiting_since = None;
        self.next_timeout = None;
        self.last_error.clear();
        self.mid.clear();
        self.stun.clear();
        self.stun_servers.clear();
        self.turn_servers.clear();
        self.remote_ips.clear();
        let relay_only = config.ice_transport_policy == IceTransportPolicy::Relay;
        for server in &config.ice_servers {
            for url in &server.urls {
                match turn::turn_host_port(url) {
                    Err(why) => return self.fail(Error::Unavailable, why),
                    Ok(Some((host, port, transport))) => {
                        if server.username.is_empty() || server.credential.is_empty() {
                            return self.fail(
                                Error::InvalidParameter,
                                format!("{url}: a TURN server needs a username and a credential"),
                            );
                        }
                        for a in stun::resolve(&host, port) {
                            if !self
                                .turn_servers
                                .iter()
                                .any(|t| t.addr == a && t.transport == transport)
                            {
                                self.turn_servers.push(TurnServer {
                                    addr: a,
                                    host: host.clone(),
                                    transport,
                                    username: server.username.clone(),
                                    credential: server.credential.clone(),
                                });
                            }
                        }
                    }
                    Ok(None) => {}
                }
                if relay_only {
                    continue;
                }
                if let Some((host, port)) = stun::stun_host_port(url) {
                    for a in stun::resolve(&host, port) {
                        if !self.stun_servers.contains(&a) {
                            self.stun_servers.push(a);
                        }
                    }
                }
            }
        }
        if relay_only && self.turn_servers.is_empty() {
            return self.fail(
                Error::InvalidParameter,
                "iceTransportPolicy \"relay\" needs a TURN server that resolves",
            );
        }
        let addrs: Vec<IpAddr> = match &config.bind_addresses {
            Some(a) => a.clone(),
            None => crate::net::sys::interface_addresses()
                .into_iter()
                .filter(|ip| !ip.is_loopback() && !is_link_local(ip))
                .collect(),
        };
        let mut rtc = RtcConfig::new()
            .set_crypto_provider(dtls_crypto::provider())
            .build(Instant::now());
        let mut sockets = Vec::new();
        for ip in addrs {
            let Ok(sock) = UdpSocket::bind(SocketAddr::new(ip, 0)) else {
                continue;
            };
            let (Ok(local), Ok(())) = (sock.local_addr(), sock.set_nonblocking(true)) else {
                continue;
            };
            if relay_only {
                // The socket only talks to the TURN servers.
                sockets.push(Sock { sock, local });
                continue;
            }
            let Ok(c) = Candidate::host(local, "udp") else {
                continue;
            };
            if rtc.add_local_candidate(c).is_some() {
                sockets.push(Sock { sock, local });
            }
        }
        if sockets.is_empty() {
            return self.fail(
                Error::CantCreate,
                "no local address to gather candidates on",
            );
        }
        self.sockets = sockets;
        self.rtc = Some(rtc);
        self.config = config;
        Ok(())
    }

    fn rtc(&mut self) -> Result<&mut Rtc> {
        if self.rtc.is_none() {
            self.last_error = "not initialized (or closed)".into();
        }
        self.rtc.as_mut().ok_or(Error::Unconfigured)
    }

    /// Gives str0m the channels created before the first offer or answer (or since).
    fn attach_pending_direct(&mut self) {
        let Some(rtc) = self.rtc.as_mut() else { return };
        for c in self.channels.iter_mut().filter(|c| c.pending) {
            c.rtc_id = Some(rtc.direct_api().create_data_channel(c.str0m_config()));
            c.pending = false;
        }
    }

    /// Queues the local description and one candidate event per host candidate; gathering ends
    /// at once (host candidates only).
    fn emit_description(&mut self, kind: &str, sdp: String) {
        self.mid = sdp
            .lines()
            .find_map(|l| l.strip_prefix("a=mid:"))
            .unwrap_or("0")
            .trim()
            .to_string();
        self.push(QueuedEvent::Sdp(kind.into(), sdp));
        if self.gathering == GatheringState::New {
            self.set_gathering(GatheringState::Gathering);
            let cands: Vec<String> = self
                .sockets
                .iter()
                .filter(|_| !self.relay_only())
                .filter_map(|s| Candidate::host(s.local, "udp").ok())
                .map(|c| candidate_text(&c))
                .collect();
            for c in cands {
                let mid = self.mid.clone();
                self.push(QueuedEvent::Candidate(mid, 0, c));
            }
            let now = Instant::now();
            for (i, s) in self.sockets.iter().enumerate() {
                for srv in &self.stun_servers {
                    if srv.is_ipv4() == s.local.is_ipv4() {
                        let mut tid = [0u8; 12];
                        if openssl::rand::rand_bytes(&mut tid).is_ok() {
                            self.stun.push(stun::Transaction::new(tid, i, *srv, now));
                        }
                    }
                }
                for srv in &self.turn_servers {
                    if srv.addr.is_ipv4() != s.local.is_ipv4() {
                        continue;
                    }
                    let mut client = turn::TurnClient::new(
                        srv.addr,
                        i,
                        srv.transport,
                        &srv.username,
                        &srv.credential,
                        now,
                    );
                    let stream = srv.transport.is_stream().then(|| {
                        let tls = (srv.transport == TurnTransport::Tls)
                            .then(|| (srv.host.clone(), self.turn_tls.clone()));
                        TurnStream::connect(srv.addr, tls)
                            .map_err(|why| client.transport_failed(why))
                            .ok()
                    });
                    self.turn.push(client);
                    self.turn_streams.push(stream.flatten());
                }
            }
            self.drive_turn(now);
            self.drive_stun(now);
        }
        if self.state == ConnectionState::New {
            self.waiting_since = Some(Instant::now());
        }
    }

    fn create_offer(&mut self) -> Result<()> {
        self.rtc()?;
        if self.state != ConnectionState::New || self.signaling != SignalingState::Stable {
            return self.fail(Error::Failed, "create_offer: only a new, stable connection");
        }
        if !self.channels.iter().any(|c| c.pending) {
            return self.fail(
                Error::Failed,
                "create_offer: create a data channel first (an offer without one has no m-line)",
            );
        }
        let Some(rtc) = self.rtc.as_mut() else {
            return Err(Error::Unconfigured);
        };
        let mut api = rtc.sdp_api();
        for c in self.channels.iter_mut().filter(|c| c.pending) {
            c.rtc_id = Some(api.add_channel_with_config(c.str0m_config()));
            c.pending = false;
        }
        let Some((offer, pending)) = api.apply() else {
            return self.fail(Error::Failed, "create_offer: nothing to offer");
        };
        self.pending_offer = Some(pending);
        self.set_signaling(SignalingState::HaveLocalOffer);
        self.emit_description("offer", offer.to_sdp_string());
        Ok(())
    }

    fn set_remote_description(&mut self, kind: &str, sdp: &str) -> Result<()> {
        self.rtc()?;
        match kind {
            "offer" => {
                if self.signaling != SignalingState::Stable || self.pending_offer.is_some() {
                    return self.fail(Error::Failed, "offer while an offer is pending");
                }
                let offer = match SdpOffer::from_sdp_string(sdp) {
                    Ok(o) => o,
                    Err(e) => return self.fail(Error::Failed, format!("bad offer SDP: {e}")),
                };
                self.set_signaling(SignalingState::HaveRemoteOffer);
                let Some(rtc) = self.rtc.as_mut() else {
                    return Err(Error::Unconfigured);
                };
                let answer = match rtc.sdp_api().accept_offer(offer) {
                    Ok(a) => a,
                    Err(e) => {
                        self.set_signaling(SignalingState::Stable);
                        return self.fail(Error::Failed, format!("offer refused: {e}"));
                    }
                };
                self.attach_pending_direct();
                self.set_signaling(SignalingState::Stable);
                self.emit_description("answer", answer.to_sdp_string());
                Ok(())
            }
            "answer" => {
                if self.signaling != SignalingState::HaveLocalOffer {
                    return self.fail(Error::Failed, "answer without a local offer");
                }
                let answer = match SdpAnswer::from_sdp_string(sdp) {
                    Ok(a) => a,
                    Err(e) => return self.fail(Error::Failed, format!("bad answer SDP: {e}")),
                };
                let Some(pending) = self.pending_offer.take() else {
                    return self.fail(Error::Failed, "answer without a local offer");
                };
                let Some(rtc) = self.rtc.as_mut() else {
                    return Err(Error::Unconfigured);
                };
                if let Err(e) = rtc.sdp_api().accept_answer(pending, answer) {
                    // str0m consumed the pending offer: this connection cannot go on.
                    self.set_state(ConnectionState::Failed);
                    return self.fail(Error::Failed, format!("answer refused: {e}"));
                }
                self.attach_pending_direct();
                self.set_signaling(SignalingState::Stable);
                Ok(())
            }
            _ => self.fail(
                Error::InvalidParameter,
                "type must be \"offer\" or \"answer\"",
            ),
        }
    }

    fn add_ice_candidate(&mut self, name: &str) -> Result<()> {
        self.rtc()?;
        let s = name.trim();
        let s = s.strip_prefix("a=").unwrap_or(s);
        if s.is_empty() {
            // End of candidates.
            return Ok(());
        }
        let c = match Candidate::from_sdp_string(s) {
            Ok(c) => c,
            Err(e) => {
                // mDNS names (browsers hide host addresses behind `<uuid>.local`) cannot be
                // resolved here: the connection relies on peer-reflexive candidates instead.
                if s.split_whitespace()
                    .nth(4)
                    .is_some_and(|h| h.ends_with(".local"))
                {
                    self.stats.candidates_ignored += 1;
                    return Ok(());
                }
                return self.fail(Error::Failed, format!("bad candidate: {e}"));
            }
        };
        if c.proto() != Protocol::Udp {
            self.stats.candidates_ignored += 1;
            return Ok(());
        }
        let ip = c.addr().ip();
        if !self.remote_ips.contains(&ip) && self.remote_ips.len() < turn::MAX_PERMISSIONS {
            self.remote_ips.push(ip);
            let now = Instant::now();
            for t in &mut self.turn {
                t.permit(ip, now);
            }
        }
        if let Some(rtc) = self.rtc.as_mut() {
            rtc.add_remote_candidate(c);
        }
        Ok(())
    }

    /// Sends everything str0m has to send and takes its events, up to its next timeout.
    fn drain(&mut self) -> Result<()> {
        // Bounded: str0m always ends with a Timeout; the cap guards against a bug looping here.
        for _ in 0..1_000_000 {
            let Some(rtc) = self.rtc.as_mut() else {
                return Ok(());
            };
            match rtc.poll_output() {
                Ok(Output::Timeout(t)) => {
                    let turn = self.turn.iter().filter_map(|a| a.next_timeout()).min();
                    self.next_timeout = Some(turn.map_or(t, |u| u.min(t)));
                    return Ok(());
                }
                Ok(Output::Transmit(t))
                    if !self.turn.is_empty()
                        && self.turn.iter().any(|a| a.relayed() == Some(t.source)) =>
                {
                    // From our relayed candidate: through the TURN allocation.
                    let Some(k) = self.turn.iter().position(|a| a.relayed() == Some(t.source))
                    else {
                        continue;
                    };
                    let mut buf = std::mem::take(&mut self.turn_buf);
                    if self.turn[k].wrap(t.destination, &t.contents, Instant::now(), &mut buf) {
                        self.send_turn(k, &buf);
                    } else {
                        self.stats.send_dropped += 1;
                    }
                    self.turn_buf = buf;
                    self.flush_turn(k);
                }
                Ok(Output::Transmit(t)) if self.cond.is_some() => {
                    let i = self.sockets.iter().position(|s| s.local == t.source);
                    let i = i.or_else(|| {
                        self.sockets
                            .iter()
                            .position(|s| s.local.is_ipv4() == t.destination.is_ipv4())
                    });
                    match (i, self.cond.as_mut()) {
                        (Some(i), Some(c)) => c.offer(
                            Direction::Outgoing,
                            &t.contents,
                            &(i, t.destination),
                            Instant::now(),
                        ),
                        _ => self.stats.send_dropped += 1,
                    }
                }
                Ok(Output::Transmit(t)) => {
                    let sock = self
                        .sockets
                        .iter()
                        .find(|s| s.local == t.source)
                        .or_else(|| {
                            self.sockets
                                .iter()
                                .find(|s| s.local.is_ipv4() == t.destination.is_ipv4())
                        });
                    let sent = sock.map(|s| s.sock.send_to(&t.contents, t.destination));
                    if !matches!(sent, Some(Ok(_))) {
                        self.stats.send_dropped += 1;
                    }
                }
                Ok(Output::Event(e)) => self.on_event(e),
                Err(e) => {
                    self.last_error = format!("WebRTC stack: {e}");
                    self.set_state(ConnectionState::Failed);
                    return Err(Error::Failed);
                }
            }
        }
        Ok(())
    }

    fn chan_by_rtc(&mut self, id: ChannelId) -> Option<usize> {
        self.channels.iter().position(|c| c.rtc_id == Some(id))
    }

    fn on_event(&mut self, e: RtcEvent) {
        match e {
            RtcEvent::Connected => {
                self.waiting_since = None;
                self.set_state(ConnectionState::Connected);
            }
            RtcEvent::IceConnectionStateChange(s) => match s {
                IceConnectionState::Checking if self.state == ConnectionState::New => {
                    self.set_state(ConnectionState::Connecting)
                }
                IceConnectionState::Disconnected if self.state == ConnectionState::Connected => {
                    self.set_state(ConnectionState::Disconnected)
                }
                IceConnectionState::Connected | IceConnectionState::Completed
                    if self.state == ConnectionState::Disconnected =>
                {
                    self.waiting_since = None;
                    self.set_state(ConnectionState::Connected)
                }
                _ => {}
            },
            RtcEvent::ChannelOpen(id, label) => {
                let stream = self
                    .rtc
                    .as_mut()
                    .and_then(|r| r.direct_api().sctp_stream_id_by_channel_id(id));
                if let Some(i) = self.chan_by_rtc(id) {
                    let c = &mut self.channels[i];
                    c.stream_id = stream.or(c.stream_id);
                    if c.state == ChannelState::Connecting {
                        c.state = ChannelState::Open;
                    }
                    return;
                }
                // Opened by the remote (DCEP).
                let cfg = self
                    .rtc
                    .as_mut()
                    .and_then(|r| r.channel(id).and_then(|ch| ch.config().cloned()));
                let mut opts = ChannelOptions::default();
                if let Some(cfg) = cfg {
                    opts.ordered = cfg.ordered;
                    opts.protocol = cfg.protocol;
                    match cfg.reliability {
                        Reliability::Reliable => {}
                        Reliability::MaxRetransmits { retransmits } => {
                            opts.max_retransmits = Some(retransmits)
                        }
                        Reliability::MaxPacketLifetime { lifetime } => {
                            opts.max_packet_life_time = Some(lifetime)
                        }
                    }
                }
                let mut c = Chan::new(label, opts);
                c.rtc_id = Some(id);
                c.pending = false;
                c.stream_id = stream;
                c.state = ChannelState::Open;
                self.channels.push(c);
                let slot = self.channels.len() - 1;
                self.push(QueuedEvent::Channel(slot));
            }
            RtcEvent::ChannelData(d) => {
                let Some(i) = self.chan_by_rtc(d.id) else {
                    self.stats.messages_refused += 1;
                    return;
                };
                let c = &mut self.channels[i];
                if c.queue.len() >= 2 * RECV_QUEUE_MESSAGES
                    || c.queued_bytes + d.data.len() > 2 * RECV_QUEUE_BYTES
                {
                    c.refused += 1;
                    self.stats.messages_refused += 1;
                    return;
                }
                c.queued_bytes += d.data.len();
                c.queue.push_back((d.data, !d.binary));
            }
            RtcEvent::ChannelClose(id) => {
                if let Some(i) = self.chan_by_rtc(id) {
                    self.channels[i].state = ChannelState::Closed;
                }
            }
            RtcEvent::Closed => {
                for c in &mut self.channels {
                    c.state = ChannelState::Closed;
                }
                if self.state != ConnectionState::Closed {
                    self.set_state(ConnectionState::Disconnected);
                }
            }
            _ => {}
        }
    }

    /// Sends due Binding requests; gathering is COMPLETE once every transaction has ended.
    fn drive_stun(&mut self, now: Instant) {
        for t in &mut self.stun {
            if t.due(now) {
                let req = stun::binding_request(&t.tid);
                if let Some(s) = self.sockets.get(t.sock) {
                    if s.sock.send_to(&req, t.server).is_err() {
                        self.stats.send_dropped += 1;
                    }
                }
            }
        }
        self.check_gathering();
    }

    fn check_gathering(&mut self) {
        if self.gathering == GatheringState::Gathering
            && self.stun.iter().all(|t| t.done)
            && self.turn.iter().all(|t| t.is_settled())
        {
            self.set_gathering(GatheringState::Complete);
        }
    }

    /// Sends an allocation's queued control messages to its server.
    fn flush_turn(&mut self, k: usize) {
        while let Some(m) = self.turn.get_mut(k).and_then(|a| a.pop_out()) {
            self.send_turn(k, &m);
        }
    }

    /// One message to allocation `k`'s TURN server: on its stream (TCP, TLS), or as a datagram
    /// from its socket (through the conditioner when there is one, like the rest of the
    /// connection's UDP traffic; the conditioner does not act on streams).
    fn send_turn(&mut self, k: usize, data: &[u8]) {
        if self.turn[k].transport.is_stream() {
            // No stream: it failed, and the allocation with it.
            let sent = self.turn_streams[k]
                .as_mut()
                .is_some_and(|st| st.send(data));
            if !sent {
                self.stats.send_dropped += 1;
            }
            return;
        }
        let (sock, server) = (self.turn[k].sock, self.turn[k].server);
        if let Some(c) = self.cond.as_mut() {
            c.offer(Direction::Outgoing, data, &(sock, server), Instant::now());
        } else if !self.send_from(Some(sock), data, server) {
            self.stats.send_dropped += 1;
        }
    }

    /// Advances the streams to TCP/TLS TURN servers and hands what they read to their
    /// allocations; a stream that fails ends its allocation with the reason.
    fn drive_turn_streams(&mut self, now: Instant) {
        // Each message is copied out before it is handled: handling drains str0m, which sends on
        // this same stream.
        let mut msg = Vec::new();
        for k in 0..self.turn_streams.len() {
            let server = self.turn[k].server;
            let Some(st) = self.turn_streams[k].as_mut() else {
                continue;
            };
            let mut failed = st.poll().err();
            let mut fed = 0;
            // A full channel receive queue leaves the rest in the stream's framer (and the
            // stream unread once that is full): back-pressure, as for the sockets.
            let mut reading = !self.receive_queues_full();
            while failed.is_none() && reading {
                let Some(st) = self.turn_streams[k].as_mut() else {
                    break;
                };
                match st.pop() {
                    Ok(Some(m)) => {
                        msg.clear();
                        msg.extend_from_slice(m);
                    }
                    Ok(None) => break,
                    Err(why) => {
                        failed = Some(format!("TURN server {server}: {why}"));
                        break;
                    }
                }
                self.turn_message(k, &msg, now);
                // A failure of the drain is recorded (state, last error) and returned by poll's.
                reading = matches!(self.fed_one(&mut fed), Ok(true));
            }
            if let Some(why) = failed {
                if let Some(mut st) = self.turn_streams[k].take() {
                    st.close();
                }
                self.turn[k].transport_failed(why);
            }
        }
    }

    fn drive_turn(&mut self, now: Instant) {
        self.drive_turn_streams(now);
        for k in 0..self.turn.len() {
            self.turn[k].poll(now);
            if let Some(relayed) = self.turn[k].take_allocated() {
                for ip in &self.remote_ips {
                    self.turn[k].permit(*ip, now);
                }
                let base = self.sockets.get(self.turn[k].sock).map(|s| s.local);
                if let Some(c) = base.and_then(|b| Candidate::relayed(relayed, b, "udp").ok()) {
                    if let Some(added) = self.rtc.as_mut().and_then(|r| r.add_local_candidate(c)) {
                        let text = candidate_text(added);
                        let mid = self.mid.clone();
                        self.push(QueuedEvent::Candidate(mid, 0, text));
                    }
                }
            }
            if let Some(why) = self.turn[k].take_failure() {
                self.last_error = why;
            }
            self.flush_turn(k);
        }
        self.check_gathering();
        if self.relay_only()
            && !self.turn.is_empty()
            && self.turn.iter().all(|t| t.is_failed())
            && !matches!(
                self.state,
                ConnectionState::Failed | ConnectionState::Closed
            )
        {
            if self.last_error.is_empty() {
                self.last_error = "every TURN allocation failed".into();
            }
            self.set_state(ConnectionState::Failed);
        }
    }

    /// A Binding response of ours: the server-reflexive candidate it gives (`None`: not ours).
    fn stun_response(
        &mut self,
        sock: usize,
        src: SocketAddr,
        n: usize,
    ) -> Option<Option<Candidate>> {
        if !self.stun_servers.contains(&src) {
            return None;
        }
        let (tid, mapped) = stun::parse_binding_success(&self.buf[..n])?;
        let t = self
            .stun
            .iter_mut()
            .find(|t| t.tid == tid && t.sock == sock && t.server == src)?;
        if t.done {
            return Some(None);
        }
        t.done = true;
        let base = self.sockets.get(sock)?.local;
        Some(Candidate::server_reflexive(mapped, base, "udp").ok())
    }

    fn receive_queues_full(&self) -> bool {
        self.channels
            .iter()
            .any(|c| c.queue.len() >= RECV_QUEUE_MESSAGES || c.queued_bytes >= RECV_QUEUE_BYTES)
    }

    fn poll(&mut self) -> Result<()> {
        self.rtc()?;
        let now = Instant::now();
        if self.cond.is_some() {
            self.release_outgoing(now);
        }
        if self.receive_queues_full() {
            self.stats.read_throttled += 1;
        } else {
            self.read_sockets(now)?;
        }
        if !self.stun.is_empty() {
            self.drive_stun(now);
        }
        if !self.turn.is_empty() {
            self.drive_turn(now);
        }
        if let Some(rtc) = self.rtc.as_mut() {
            if rtc.handle_input(Input::Timeout(now)).is_err() {
                self.stats.input_errors += 1;
            }
        }
        self.drain()?;
        // What draining queued for TCP/TLS TURN servers leaves now, not on the next poll.
        for st in self.turn_streams.iter_mut().flatten() {
            st.flush();
        }
        if let Some(since) = self.waiting_since {
            let waiting = matches!(
                self.state,
                ConnectionState::New | ConnectionState::Connecting | ConnectionState::Disconnected
            );
            if waiting && now.duration_since(since) >= self.config.ice_timeout {
                self.last_error = "ICE/DTLS did not connect within the ICE timeout".into();
                self.set_state(ConnectionState::Failed);
            }
        }
        if self.rtc.as_ref().is_some_and(|r| !r.is_alive())
            && !matches!(
                self.state,
                ConnectionState::Failed | ConnectionState::Closed
            )
        {
            for c in &mut self.channels {
                c.state = ChannelState::Closed;
            }
            if self.state != ConnectionState::Disconnected {
                self.set_state(ConnectionState::Disconnected);
            }
        }
        Ok(())
    }

    fn read_sockets(&mut self, now: Instant) -> Result<()> {
        if self.cond.is_some() {
            return self.read_conditioned(now);
        }
        let mut fed = 0;
        for i in 0..self.sockets.len() {
            for _ in 0..READ_BATCH {
                let (n, src) = match self.sockets[i].sock.recv_from(&mut self.buf) {
                    Ok(r) => r,
                    Err(_) => break,
                };
                self.take_datagram(i, src, n, now);
                if !self.fed_one(&mut fed)? {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// Counts a datagram (or a TURN stream message) given to str0m; every [`FEED_BEFORE_DRAIN`]
    /// of them, drains str0m so its DTLS receive queue never overflows. Returns whether reading
    /// may go on (false once a channel's receive queue is full: back-pressure, as at the start
    /// of `poll`).
    fn fed_one(&mut self, fed: &mut usize) -> Result<bool> {
        *fed += 1;
        if *fed < FEED_BEFORE_DRAIN {
            return Ok(true);
        }
        *fed = 0;
        self.drain()?;
        if self.receive_queues_full() {
            self.stats.read_throttled += 1;
            return Ok(false);
        }
        Ok(true)
    }

    /// With a conditioner: everything waiting goes into it; what is due comes out.
    fn read_conditioned(&mut self, now: Instant) -> Result<()> {
        for i in 0..self.sockets.len() {
            for _ in 0..READ_BATCH {
                let (n, src) = match self.sockets[i].sock.recv_from(&mut self.buf) {
                    Ok(r) => r,
                    Err(_) => break,
                };
                if let Some(c) = self.cond.as_mut() {
                    c.offer(Direction::Incoming, &self.buf[..n], &(i, src), now);
                }
            }
        }
        let mut fed = 0;
        while let Some((d, (i, src))) = self
            .cond
            .as_mut()
            .and_then(|c| c.pop_due(Direction::Incoming, now))
        {
            if i >= self.sockets.len() {
                continue;
            }
            let n = d.len().min(self.buf.len());
            self.buf[..n].copy_from_slice(&d[..n]);
            self.take_datagram(i, src, n, now);
            // What stays in the conditioner is still due on the next poll.
            if !self.fed_one(&mut fed)? {
                break;
            }
        }
        Ok(())
    }

    /// One message from allocation `k`'s TURN server (a datagram, or a message cut from its
    /// stream): its responses go to the allocation; data a peer sent to our relayed address goes
    /// to str0m as received there.
    fn turn_message(&mut self, k: usize, d: &[u8], now: Instant) {
        let relayed = self.turn[k].relayed();
        if let turn::TurnInput::Data(peer, data) = self.turn[k].handle(d, now) {
            // Data a peer sent to our relayed address: to str0m as received there.
            let r = relayed.and_then(|to| Receive::new(Protocol::Udp, peer, to, data).ok());
            match (r, self.rtc.as_mut()) {
                (Some(r), Some(rtc)) => {
                    let input = Input::Receive(now, r);
                    // str0m takes non-STUN traffic only from a pair whose check
                    // succeeded; the peer's DTLS ClientHello can arrive through the relay
                    // before our check's answer does. The TURN server only relays from
                    // addresses we permitted (the remote candidates), so from those it
                    // goes in anyway (str0m holds its answer until ICE has nominated a
                    // pair).
                    if !rtc.accepts(&input) && !self.remote_ips.contains(&peer.ip()) {
                        self.stats.garbage_datagrams += 1;
                    } else if rtc.handle_input(input).is_err() {
                        self.stats.input_errors += 1;
                    }
                }
                _ => self.stats.garbage_datagrams += 1,
            }
        }
    }

    /// Handles the datagram of `n` bytes in `buf` that socket `i` received from `src`.
    fn take_datagram(&mut self, i: usize, src: SocketAddr, n: usize, now: Instant) {
        if !self.turn.is_empty() {
            if let Some(k) = self
                .turn
                .iter()
                .position(|t| t.sock == i && t.server == src && t.transport == TurnTransport::Udp)
            {
                let buf = std::mem::take(&mut self.buf);
                self.turn_message(k, &buf[..n], now);
                self.buf = buf;
                return;
            }
        }
        if !self.stun.is_empty() {
            if let Some(found) = self.stun_response(i, src, n) {
                if let Some(c) = found {
                    self.add_srflx(c);
                }
                return;
            }
        }
        let local = self.sockets[i].local;
        let Some(rtc) = self.rtc.as_mut() else { return };
        let Ok(r) = Receive::new(Protocol::Udp, src, local, &self.buf[..n]) else {
            self.stats.garbage_datagrams += 1;
            return;
        };
        let input = Input::Receive(now, r);
        if !rtc.accepts(&input) {
            self.stats.garbage_datagrams += 1;
            return;
        }
        if rtc.handle_input(input).is_err() {
            self.stats.input_errors += 1;
        }
    }

    /// Adds a server-reflexive candidate and reports it (unless str0m finds it redundant: the
    /// server saw our host address).
    fn add_srflx(&mut self, c: Candidate) {
        let Some(rtc) = self.rtc.as_mut() else { return };
        let Some(added) = rtc.add_local_candidate(c) else {
            return;
        };
        let text = candidate_text(added);
        let mid = self.mid.clone();
        self.push(QueuedEvent::Candidate(mid, 0, text));
    }

    fn close(&mut self) {
        self.teardown();
        self.state = ConnectionState::Closed;
        self.signaling = SignalingState::Closed;
    }
}

fn is_link_local(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) == 0xfe80,
    }
}

/// The candidate attribute as the engine passes it (`candidate:...`, no `a=`).
fn candidate_text(c: &Candidate) -> String {
    let s = c.to_sdp_string();
    let s = s.trim();
    s.strip_prefix("a=").unwrap_or(s).to_string()
}

/// Godot's WebRTCPeerConnection: a reference to one connection (cloning makes another reference to
/// the same connection, like `Ref<>`).
#[derive(Clone)]
pub struct WebRtcPeerConnection {
    inner: Arc<Mutex<Conn>>,
}

impl std::fmt::Debug for WebRtcPeerConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebRtcPeerConnection { .. }")
    }
}

impl Default for WebRtcPeerConnection {
    fn default() -> Self {
        Self::new()
    }
}

impl WebRtcPeerConnection {
    /// A connection in STATE_NEW that is not initialized yet (`initialize` first).
    pub fn new() -> Self {
        WebRtcPeerConnection {
            inner: Arc::new(Mutex::new(Conn::new())),
        }
    }

    /// Whether two references name the same connection.
    pub fn same(&self, other: &WebRtcPeerConnection) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// `initialize(configuration)`: (re)creates the connection, STATE_NEW; binds one UDP socket
    /// per local address (see [`Configuration::bind_addresses`]) and resolves the `stun:` and
    /// `turn:`/`turns:` servers (a host name blocks up to the system resolver's timeout).
    /// `ERR_UNAVAILABLE` for TURN over DTLS (`turns:` with `transport=udp`) and other transports
    /// (TURN over UDP, TCP and TLS are implemented). Channels of the previous
    /// connection turn CLOSED; queued events are dropped. `ERR_INVALID_PARAMETER` for a bad
    /// dictionary, `ERR_CANT_CREATE` when no socket could be bound.
    pub fn initialize(&self, configuration: &Variant) -> Result<()> {
        let cfg = config::parse_configuration(configuration);
        let mut c = lock(&self.inner);
        match cfg {
            Ok(cfg) => c.initialize(cfg),
            Err(e) => c.fail(e, "bad configuration dictionary"),
        }
    }

    /// `create_data_channel(label, options)`: only while the connection is NEW (as the engine);
    /// `ERR_UNCONFIGURED` before `initialize`, `ERR_INVALID_PARAMETER` for bad options, a label over
    /// 65535 bytes or a negotiated id already used, `FAILED` in another state.
    pub fn create_data_channel(&self, label: &str, options: &Variant) -> Result<WebRtcDataChannel> {
        let mut c = lock(&self.inner);
        c.rtc()?;
        let opts = match config::parse_channel_options(options) {
            Ok(o) => o,
            Err(e) => return c.fail(e, "bad data channel options"),
        };
        if label.len() > 65535 || opts.protocol.len() > 65535 {
            return c.fail(Error::InvalidParameter, "label or protocol too long");
        }
        if c.state != ConnectionState::New {
            return c.fail(Error::Failed, "data channels only on a new connection");
        }
        if let Some(id) = opts.id {
            if c.channels.iter().any(|ch| ch.stream_id == Some(id)) {
                return c.fail(Error::InvalidParameter, "SCTP stream id already used");
            }
        }
        let negotiated_started = c.pending_offer.is_some() || c.signaling != SignalingState::Stable;
        c.channels.push(Chan::new(label.to_string(), opts));
        let slot = c.channels.len() - 1;
        // After the first offer or answer, str0m takes new channels directly (DCEP opens them).
        let started = negotiated_started
            || c.channels
                .iter()
                .any(|ch| !ch.pending && ch.rtc_id.is_some());
        if started {
            c.attach_pending_direct();
        }
        Ok(WebRtcDataChannel::new(
            self.inner.clone(),
            c.generation,
            slot,
        ))
    }

    /// `create_offer()`: the offer arrives as a `SessionDescriptionCreated` event, followed by the
    /// host candidates. `ERR_UNCONFIGURED` before `initialize`; `FAILED` unless NEW and stable, or
    /// without a data channel (str0m offers only what it carries).
    pub fn create_offer(&self) -> Result<()> {
        lock(&self.inner).create_offer()
    }

    /// `set_remote_description(type, sdp)`: an offer produces the answer (as an event). `FAILED`
    /// for SDP that does not parse or is refused (the reason in [`Self::last_error`]).
    pub fn set_remote_description(&self, kind: &str, sdp: &str) -> Result<()> {
        lock(&self.inner).set_remote_description(kind, sdp)
    }

    /// `set_local_description(type, sdp)`: the local description is applied when it is made, so
    /// this only checks its arguments (as webrtc-native does).
    pub fn set_local_description(&self, kind: &str, sdp: &str) -> Result<()> {
        let mut c = lock(&self.inner);
        c.rtc()?;
        if !matches!(kind, "offer" | "answer") {
            return c.fail(
                Error::InvalidParameter,
                "type must be \"offer\" or \"answer\"",
            );
        }
        if sdp.trim().is_empty() {
            return c.fail(Error::InvalidParameter, "empty SDP");
        }
        Ok(())
    }

    /// `add_ice_candidate(media, index, name)`: `name` is the `candidate:...` attribute (an `a=`
    /// prefix is accepted, an empty one means end of candidates). `media` and `index` are not needed
    /// (one m-line). mDNS (`.local`) and TCP candidates are ignored and counted. `FAILED` for text
    /// that does not parse.
    pub fn add_ice_candidate(&self, _media: &str, _index: i32, name: &str) -> Result<()> {
        lock(&self.inner).add_ice_candidate(name)
    }

    /// `poll()`: reads the sockets, runs ICE/DTLS/SCTP timers, sends, and queues events and
    /// messages. `ERR_UNCONFIGURED` before `initialize` (and after `close`).
    pub fn poll(&self) -> Result<()> {
        lock(&self.inner).poll()
    }

    /// `close()`: closes the connection (a DTLS close_notify is sent) and every channel; CLOSED.
    pub fn close(&self) {
        lock(&self.inner).close()
    }

    pub fn get_connection_state(&self) -> ConnectionState {
        lock(&self.inner).state
    }

    pub fn get_gathering_state(&self) -> GatheringState {
        lock(&self.inner).gathering
    }

    pub fn get_signaling_state(&self) -> SignalingState {
        lock(&self.inner).signaling
    }

    /// The next signal, oldest first.
    pub fn pop_event(&self) -> Option<PeerEvent> {
        let mut c = lock(&self.inner);
        let e = c.events.pop_front()?;
        Some(match e {
            QueuedEvent::Sdp(kind, sdp) => PeerEvent::SessionDescriptionCreated { kind, sdp },
            QueuedEvent::Candidate(media, index, name) => {
                PeerEvent::IceCandidateCreated { media, index, name }
            }
            QueuedEvent::Channel(slot) => PeerEvent::DataChannelReceived(WebRtcDataChannel::new(
                self.inner.clone(),
                c.generation,
                slot,
            )),
            QueuedEvent::Conn(s) => PeerEvent::ConnectionStateChanged(s),
            QueuedEvent::Gathering(s) => PeerEvent::GatheringStateChanged(s),
            QueuedEvent::Signaling(s) => PeerEvent::SignalingStateChanged(s),
        })
    }

    /// Events waiting for [`Self::pop_event`].
    pub fn event_count(&self) -> usize {
        lock(&self.inner).events.len()
    }

    pub fn stats(&self) -> RtcStats {
        lock(&self.inner).stats
    }

    /// Why the last call failed (empty when none has), beyond the engine.
    pub fn last_error(&self) -> String {
        lock(&self.inner).last_error.clone()
    }

    /// The local addresses of the sockets (one host candidate each).
    pub fn local_addresses(&self) -> Vec<SocketAddr> {
        lock(&self.inner).sockets.iter().map(|s| s.local).collect()
    }

    /// When `poll` next has timer work to do (None: nothing scheduled).
    pub fn next_timeout(&self) -> Option<Instant> {
        let c = lock(&self.inner);
        let held = c.cond.as_ref().and_then(|x| x.next_due());
        match (c.next_timeout, held) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Puts a network conditioner (`crate::conditioner`) on the connection's UDP sockets (every
    /// ICE, DTLS and SCTP datagram, both ways), or removes it (`None`; datagrams it holds are
    /// dropped with it). Held datagrams leave or arrive on `poll` (and on sends). It stays through
    /// `initialize` and `close`, which start it afresh. Reliable channels stay reliable: SCTP
    /// resends what is lost. `ERR_INVALID_PARAMETER` for bad options.
    pub fn set_conditioner(&self, opts: Option<ConditionerOptions>) -> Result<()> {
        let cond = match opts {
            Some(o) => Some(Box::new(Conditioner::new(o)?)),
            None => None,
        };
        lock(&self.inner).cond = cond;
        Ok(())
    }

    /// What the conditioner did (None when there is none).
    pub fn conditioner_stats(&self) -> Option<ConditionerStats> {
        lock(&self.inner).cond.as_ref().map(|c| c.stats())
    }

    /// TLS options for `turns:` servers (beyond the engine, which has no TURN of its own). None:
    /// `TLSOptions.client()`: the system's trusted CAs, and the certificate must name the URL's
    /// host. Read when the allocations start (the first `create_offer` or
    /// `set_remote_description` after `initialize`); it stays through `initialize`. Server
    /// options are `ERR_INVALID_PARAMETER`.
    pub fn set_turn_tls_options(&self, opts: Option<TlsOptions>) -> Result<()> {
        if opts.as_ref().is_some_and(|o| o.is_server()) {
            return Err(Error::InvalidParameter);
        }
        lock(&self.inner).turn_tls = opts;
        Ok(())
    }
}

/// Godot's WebRTCDataChannel: one channel of a connection, a PacketPeer (one message per packet).
pub struct WebRtcDataChannel {
    conn: Arc<Mutex<Conn>>,
    generation: u64,
    slot: usize,
    write_mode: WriteMode,
    was_string: bool,
    current: Vec<u8>,
    base: PeerBase,
}

impl std::fmt::Debug for WebRtcDataChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebRtcDataChannel")
            .field("slot", &self.slot)
            .finish()
    }
}

impl WebRtcDataChannel {
    fn new(conn: Arc<Mutex<Conn>>, generation: u64, slot: usize) -> Self {
        WebRtcDataChannel {
            conn,
            generation,
            slot,
            write_mode: WriteMode::Binary,
            was_string: false,
            current: Vec::new(),
            base: PeerBase::default(),
        }
    }

    /// Runs `f` on the channel's state while its connection is the same; `None` once the
    /// connection was re-initialized or closed.
    fn with<R>(&self, f: impl FnOnce(&mut Conn, usize) -> R) -> Option<R> {
        let mut c = lock(&self.conn);
        if c.generation != self.generation || self.slot >= c.channels.len() {
            return None;
        }
        Some(f(&mut c, self.slot))
    }

    /// Another reference to the same channel (its own write mode and last packet, as a second
    /// handle would have).
    pub fn another_ref(&self) -> WebRtcDataChannel {
        WebRtcDataChannel::new(self.conn.clone(), self.generation, self.slot)
    }

    pub fn set_write_mode(&mut self, m: WriteMode) {
        self.write_mode = m;
    }

    pub fn get_write_mode(&self) -> WriteMode {
        self.write_mode
    }

    /// Whether the last packet read was a text message.
    pub fn was_string_packet(&self) -> bool {
        self.was_string
    }

    pub fn get_ready_state(&self) -> ChannelState {
        self.with(|c, i| c.channels[i].state)
            .unwrap_or(ChannelState::Closed)
    }

    pub fn get_label(&self) -> String {
        self.with(|c, i| c.channels[i].label.clone())
            .unwrap_or_default()
    }

    pub fn is_ordered(&self) -> bool {
        self.with(|c, i| c.channels[i].opts.ordered)
            .unwrap_or(false)
    }

    /// The SCTP stream id; [`UNSET`] until known (a DCEP channel gets it when SCTP is up).
    pub fn get_id(&self) -> i32 {
        self.with(|c, i| c.channels[i].stream_id.map_or(UNSET, i32::from))
            .unwrap_or(UNSET)
    }

    pub fn get_max_packet_life_time(&self) -> i32 {
        self.with(|c, i| {
            c.channels[i]
                .opts
                .max_packet_life_time
                .map_or(UNSET, i32::from)
        })
        .unwrap_or(UNSET)
    }

    pub fn get_max_retransmits(&self) -> i32 {
        self.with(|c, i| c.channels[i].opts.max_retransmits.map_or(UNSET, i32::from))
            .unwrap_or(UNSET)
    }

    pub fn get_protocol(&self) -> String {
        self.with(|c, i| c.channels[i].opts.protocol.clone())
            .unwrap_or_default()
    }

    pub fn is_negotiated(&self) -> bool {
        self.with(|c, i| c.channels[i].opts.negotiated)
            .unwrap_or(false)
    }

    /// Bytes accepted by `put_packet` and not yet acknowledged by the remote.
    pub fn get_buffered_amount(&self) -> i32 {
        self.with(|c, i| {
            let id = c.channels[i].rtc_id?;
            let rtc = c.rtc.as_mut()?;
            let n = rtc.channel(id)?.buffered_amount();
            Some(n.min(i32::MAX as usize) as i32)
        })
        .flatten()
        .unwrap_or(0)
    }

    /// Messages this channel refused because its receive queue was over its hard limit.
    pub fn refused_count(&self) -> u64 {
        self.with(|c, i| c.channels[i].refused).unwrap_or(0)
    }

    /// `close()`: resets the SCTP stream (the remote sees the channel close); CLOSING, then CLOSED
    /// when the remote confirms. Messages already received stay readable.
    pub fn close(&mut self) {
        self.with(|c, i| {
            let ch = &mut c.channels[i];
            if matches!(ch.state, ChannelState::Closed | ChannelState::Closing) {
                return;
            }
            match (ch.rtc_id, c.rtc.as_mut()) {
                (Some(id), Some(rtc)) if ch.state == ChannelState::Open => {
                    ch.state = ChannelState::Closing;
                    rtc.direct_api().close_data_channel(id);
                }
                (Some(id), Some(rtc)) => {
                    ch.state = ChannelState::Closed;
                    rtc.direct_api().close_data_channel(id);
                }
                _ => ch.state = ChannelState::Closed,
            }
        });
    }

    /// `poll()`: reserved by the engine; the connection's poll does the work.
    pub fn poll(&mut self) -> Result<()> {
        Ok(())
    }
}

impl PacketPeer for WebRtcDataChannel {
    fn get_available_packet_count(&mut self) -> i32 {
        self.with(|c, i| c.channels[i].queue.len().min(i32::MAX as usize) as i32)
            .unwrap_or(0)
    }

    fn get_packet(&mut self) -> Result<&[u8]> {
        let popped = self
            .with(|c, i| {
                let ch = &mut c.channels[i];
                let m = ch.queue.pop_front()?;
                ch.queued_bytes -= m.0.len();
                Some(m)
            })
            .flatten();
        let Some((data, is_string)) = popped else {
            return Err(Error::Unavailable);
        };
        self.current = data;
        self.was_string = is_string;
        Ok(&self.current)
    }

    /// Queues one message for the next `poll` of the connection. `FAILED` unless OPEN (as
    /// webrtc-native); `ERR_BUSY` when the send buffer is full (str0m's 128 KiB, or
    /// [`SEND_QUEUE_MESSAGES`] messages of this one's size; nothing queued: retry after a poll);
    /// `ERR_INVALID_PARAMETER` above the remote's maximum message size.
    fn put_packet(&mut self, data: &[u8]) -> Result<()> {
        let binary = self.write_mode == WriteMode::Binary;
        self.with(|c, i| {
            let ch = &c.channels[i];
            if ch.state != ChannelState::Open {
                return Err(Error::Failed);
            }
            let id = ch.rtc_id.ok_or(Error::Failed)?;
            let rtc = c.rtc.as_mut().ok_or(Error::Failed)?;
            let mut chan = rtc.channel(id).ok_or(Error::Failed)?;
            let buffered = chan.buffered_amount();
            if buffered > 0 && buffered >= SEND_QUEUE_MESSAGES.saturating_mul(data.len().max(1)) {
                return Err(Error::Busy);
            }
            match chan.write(binary, data) {
                Ok(true) => Ok(()),
                Ok(false) => Err(Error::Busy),
                Err(e) => {
                    c.last_error = format!("send: {e}");
                    Err(Error::InvalidParameter)
                }
            }
        })
        .unwrap_or(Err(Error::Failed))
    }

    fn get_max_packet_size(&self) -> i32 {
        MAX_PACKET_SIZE
    }

    fn base(&self) -> &PeerBase {
        &self.base
    }

    fn base_mut(&mut self) -> &mut PeerBase {
        &mut self.base
    }
}
