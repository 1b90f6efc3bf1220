//! C API of WebRTCPeerConnection (`docs/classes.md` §21) and WebRTCDataChannel (§22).
//!
//! A connection is a `pp_webrtc_peer_connection` handle; its data channels are `pp_peer` handles
//! (so `pp_put_packet`, `pp_get_packet`, `pp_put_var`, `pp_get_var` work on them) that keep the
//! connection's state alive, each freed with `pp_peer_free`. Signals are a polled queue
//! (`pp_webrtc_peer_connection_pop_event`). Everything happens in the calls: the library starts no
//! thread, and `pp_webrtc_peer_connection_poll` does the network work.
//!
//! Differences from the engine (each documented on its call): host, STUN server-reflexive and
//! TURN relayed candidates (TURN over UDP, TCP or TLS; over DTLS refused); `bindAddresses`,
//! `iceTimeout` and `iceTransportPolicy` configuration keys; TLS options for `turns:`;
//! `create_offer` needs a data channel; a full send buffer is `PP_ERR_BUSY` (nothing lost); bounded
//! queues whose refusals are counted; the last error's text.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use std::ffi::c_char;

use super::boundary::c_enum_return;
use super::tls::pp_tls_options;
use super::webrtc_extension::{
    ExtChannelDriver, ExtConn, ExtDriver, ExtEvent, WebRtcDataChannelExtension,
};
use super::*;
use crate::webrtc::{
    ChannelState, PeerEvent, RtcStats, WebRtcDataChannel, WebRtcMultiplayerPeer,
    WebRtcPeerConnection, WriteMode,
};

/// Opaque handle to a WebRTCPeerConnection. Make with `pp_webrtc_peer_connection_new`, free with
/// `pp_webrtc_peer_connection_free`. Its data channels (`pp_peer`) stay valid after it is freed
/// (they read CLOSED once the connection is closed).
pub struct pp_webrtc_peer_connection {
    _private: [u8; 0],
}
// SAFETY: unique ID.
unsafe impl Castable for pp_webrtc_peer_connection {
    type Rust = ConnObj;
    const ID: u16 = 30;
}

/// The object behind a `pp_webrtc_peer_connection`: the built-in connection or a C extension.
pub(crate) enum ConnObj {
    Native(WebRtcPeerConnection),
    Ext(ExtConn),
}

fn state_from<T: Copy>(v: i32, all: &[T], fallback: T) -> T {
    usize::try_from(v)
        .ok()
        .and_then(|i| all.get(i).copied())
        .unwrap_or(fallback)
}

impl ConnObj {
    fn initialize(&self, cfg: &Variant) -> Result<(), pp_error> {
        match self {
            ConnObj::Native(c) => map(c.initialize(cfg)),
            ConnObj::Ext(e) => {
                crate::sync::lock(&e.events).q.clear();
                e.obj.lock()?.initialize(cfg)
            }
        }
    }

    fn create_data_channel(&self, label: &str, opts: &Variant) -> Result<*mut pp_peer, pp_error> {
        match self {
            ConnObj::Native(c) => Ok(new_peer(map(c.create_data_channel(label, opts))?)),
            ConnObj::Ext(e) => e.obj.lock()?.create_data_channel(label, opts),
        }
    }

    fn create_offer(&self) -> Result<(), pp_error> {
        match self {
            ConnObj::Native(c) => map(c.create_offer()),
            ConnObj::Ext(e) => e.obj.lock()?.create_offer(),
        }
    }

    fn set_remote_description(&self, t: &str, s: &str) -> Result<(), pp_error> {
        match self {
            ConnObj::Native(c) => map(c.set_remote_description(t, s)),
            ConnObj::Ext(e) => e.obj.lock()?.set_description(true, t, s),
        }
    }

    fn set_local_description(&self, t: &str, s: &str) -> Result<(), pp_error> {
        match self {
            ConnObj::Native(c) => map(c.set_local_description(t, s)),
            ConnObj::Ext(e) => e.obj.lock()?.set_description(false, t, s),
        }
    }

    fn add_ice_candidate(&self, m: &str, i: i32, n: &str) -> Result<(), pp_error> {
        match self {
            ConnObj::Native(c) => map(c.add_ice_candidate(m, i, n)),
            ConnObj::Ext(e) => e.obj.lock()?.add_ice_candidate(m, i, n),
        }
    }

    fn poll(&self) -> Result<(), pp_error> {
        match self {
            ConnObj::Native(c) => map(c.poll()),
            ConnObj::Ext(e) => e.obj.lock()?.poll(),
        }
    }

    fn close(&self) {
        match self {
            ConnObj::Native(c) => c.close(),
            ConnObj::Ext(e) => {
                if let Ok(mut g) = e.obj.lock() {
                    g.close()
                }
            }
        }
    }

    /// (connection, gathering, signaling) states; an extension's out-of-range value reads as
    /// CLOSED / NEW / CLOSED.
    fn states(
        &self,
    ) -> (
        pp_webrtc_connection_state,
        pp_webrtc_gathering_state,
        pp_webrtc_signaling_state,
    ) {
        use pp_webrtc_connection_state::*;
        use pp_webrtc_gathering_state::*;
        use pp_webrtc_signaling_state::*;
        let (c, g, s) = match self {
            ConnObj::Native(c) => (
                c.get_connection_state() as i32,
                c.get_gathering_state() as i32,
                c.get_signaling_state() as i32,
            ),
            ConnObj::Ext(e) => match e.obj.lock() {
                Ok(g) => g.states(),
                Err(_) => (5, 0, 5),
            },
        };
        (
            state_from(
                c,
                &[
                    PP_WEBRTC_STATE_NEW,
                    PP_WEBRTC_STATE_CONNECTING,
                    PP_WEBRTC_STATE_CONNECTED,
                    PP_WEBRTC_STATE_DISCONNECTED,
                    PP_WEBRTC_STATE_FAILED,
                    PP_WEBRTC_STATE_CLOSED,
                ],
                PP_WEBRTC_STATE_CLOSED,
            ),
            state_from(
                g,
                &[
                    PP_WEBRTC_GATHERING_STATE_NEW,
                    PP_WEBRTC_GATHERING_STATE_GATHERING,
                    PP_WEBRTC_GATHERING_STATE_COMPLETE,
                ],
                PP_WEBRTC_GATHERING_STATE_NEW,
            ),
            state_from(
                s,
                &[
                    PP_WEBRTC_SIGNALING_STATE_STABLE,
                    PP_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER,
                    PP_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER,
                    PP_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER,
                    PP_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER,
                    PP_WEBRTC_SIGNALING_STATE_CLOSED,
                ],
                PP_WEBRTC_SIGNALING_STATE_CLOSED,
            ),
        )
    }

    /// The next signal as a C event (strings and channel owned by the caller).
    fn pop_event(&self) -> Result<Option<pp_webrtc_event>, pp_error> {
        match self {
            ConnObj::Native(c) => Ok(c.pop_event().map(native_event)),
            ConnObj::Ext(e) => {
                use pp_webrtc_event_type::*;
                let Some(x) = crate::sync::lock(&e.events).q.pop_front() else {
                    return Ok(None);
                };
                let mut ev = empty_event();
                match x {
                    ExtEvent::Sdp(kind, sdp) => {
                        ev.type_ = PP_WEBRTC_EVENT_SESSION_DESCRIPTION_CREATED as i32;
                        ev.text = owned_string(kind);
                        ev.text2 = owned_string(sdp);
                    }
                    ExtEvent::Candidate(media, index, name) => {
                        ev.type_ = PP_WEBRTC_EVENT_ICE_CANDIDATE_CREATED as i32;
                        ev.text = owned_string(media);
                        ev.index = index;
                        ev.text2 = owned_string(name);
                    }
                    ExtEvent::Channel(ch) => {
                        ev.type_ = PP_WEBRTC_EVENT_DATA_CHANNEL_RECEIVED as i32;
                        ev.channel = new_handle::<pp_peer>(ch);
                    }
                }
                Ok(Some(ev))
            }
        }
    }

    /// The conditioner of a built-in connection; `PP_ERR_UNAVAILABLE` for an extension (its sockets
    /// are not ours).
    pub(crate) fn set_conditioner(
        &self,
        opts: Option<crate::conditioner::ConditionerOptions>,
    ) -> Result<(), pp_error> {
        match self {
            ConnObj::Native(c) => map(c.set_conditioner(opts)),
            ConnObj::Ext(_) => Err(pp_error::PP_ERR_UNAVAILABLE),
        }
    }

    /// TLS options for `turns:` servers of a built-in connection; `PP_ERR_UNAVAILABLE` for an
    /// extension (its TURN is not ours).
    fn set_turn_tls_options(&self, opts: Option<crate::tls::TlsOptions>) -> Result<(), pp_error> {
        match self {
            ConnObj::Native(c) => map(c.set_turn_tls_options(opts)),
            ConnObj::Ext(_) => Err(pp_error::PP_ERR_UNAVAILABLE),
        }
    }

    pub(crate) fn conditioner_stats(
        &self,
    ) -> Result<Option<crate::conditioner::ConditionerStats>, pp_error> {
        match self {
            ConnObj::Native(c) => Ok(c.conditioner_stats()),
            ConnObj::Ext(_) => Err(pp_error::PP_ERR_UNAVAILABLE),
        }
    }

    fn last_error(&self) -> String {
        match self {
            ConnObj::Native(c) => c.last_error(),
            ConnObj::Ext(_) => String::new(),
        }
    }

    fn stats(&self) -> Result<pp_webrtc_stats, pp_error> {
        match self {
            ConnObj::Native(c) => Ok(c.stats().into()),
            ConnObj::Ext(e) => Ok(pp_webrtc_stats {
                events_refused: crate::sync::lock(&e.events).refused,
                ..Default::default()
            }),
        }
    }
}

fn empty_event() -> pp_webrtc_event {
    pp_webrtc_event {
        type_: 0,
        state: 0,
        index: 0,
        text: std::ptr::null_mut(),
        text2: std::ptr::null_mut(),
        channel: std::ptr::null_mut(),
    }
}

fn native_event(e: PeerEvent) -> pp_webrtc_event {
    use pp_webrtc_event_type::*;
    let mut ev = empty_event();
    match e {
        PeerEvent::SessionDescriptionCreated { kind, sdp } => {
            ev.type_ = PP_WEBRTC_EVENT_SESSION_DESCRIPTION_CREATED as i32;
            ev.text = owned_string(kind);
            ev.text2 = owned_string(sdp);
        }
        PeerEvent::IceCandidateCreated { media, index, name } => {
            ev.type_ = PP_WEBRTC_EVENT_ICE_CANDIDATE_CREATED as i32;
            ev.text = owned_string(media);
            ev.index = index;
            ev.text2 = owned_string(name);
        }
        PeerEvent::DataChannelReceived(ch) => {
            ev.type_ = PP_WEBRTC_EVENT_DATA_CHANNEL_RECEIVED as i32;
            ev.channel = new_peer(ch);
        }
        PeerEvent::ConnectionStateChanged(s) => {
            ev.type_ = PP_WEBRTC_EVENT_CONNECTION_STATE_CHANGED as i32;
            ev.state = s as i32;
        }
        PeerEvent::GatheringStateChanged(s) => {
            ev.type_ = PP_WEBRTC_EVENT_GATHERING_STATE_CHANGED as i32;
            ev.state = s as i32;
        }
        PeerEvent::SignalingStateChanged(s) => {
            ev.type_ = PP_WEBRTC_EVENT_SIGNALING_STATE_CHANGED as i32;
            ev.state = s as i32;
        }
    }
    ev
}

/// `WebRTCPeerConnection.ConnectionState`. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_webrtc_connection_state {
    /// Made or initialized; nothing negotiated yet.
    PP_WEBRTC_STATE_NEW = 0,
    /// ICE checks and the DTLS handshake under way.
    PP_WEBRTC_STATE_CONNECTING = 1,
    /// ICE and DTLS up: channels open.
    PP_WEBRTC_STATE_CONNECTED = 2,
    /// Connectivity lost or the remote closed; FAILED after the ICE timeout unless it recovers.
    PP_WEBRTC_STATE_DISCONNECTED = 3,
    /// ICE/DTLS did not connect within the ICE timeout, or the stack failed.
    PP_WEBRTC_STATE_FAILED = 4,
    /// Closed locally (`pp_webrtc_peer_connection_close`).
    PP_WEBRTC_STATE_CLOSED = 5,
}
c_enum_return!(pp_webrtc_connection_state => pp_webrtc_connection_state::PP_WEBRTC_STATE_CLOSED);

/// `WebRTCPeerConnection.GatheringState`. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_webrtc_gathering_state {
    PP_WEBRTC_GATHERING_STATE_NEW = 0,
    PP_WEBRTC_GATHERING_STATE_GATHERING = 1,
    /// Every candidate was reported (host candidates right after the first description; STUN
    /// answered or timed out).
    PP_WEBRTC_GATHERING_STATE_COMPLETE = 2,
}
c_enum_return!(pp_webrtc_gathering_state => pp_webrtc_gathering_state::PP_WEBRTC_GATHERING_STATE_NEW);

/// `WebRTCPeerConnection.SignalingState`. `int32_t` in C. The PRANSWER states never occur.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_webrtc_signaling_state {
    PP_WEBRTC_SIGNALING_STATE_STABLE = 0,
    PP_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER = 1,
    PP_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER = 2,
    PP_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER = 3,
    PP_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER = 4,
    PP_WEBRTC_SIGNALING_STATE_CLOSED = 5,
}
c_enum_return!(pp_webrtc_signaling_state => pp_webrtc_signaling_state::PP_WEBRTC_SIGNALING_STATE_CLOSED);

/// `WebRTCDataChannel.ChannelState`. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_webrtc_data_channel_state {
    PP_WEBRTC_DATA_CHANNEL_STATE_CONNECTING = 0,
    PP_WEBRTC_DATA_CHANNEL_STATE_OPEN = 1,
    PP_WEBRTC_DATA_CHANNEL_STATE_CLOSING = 2,
    PP_WEBRTC_DATA_CHANNEL_STATE_CLOSED = 3,
}
c_enum_return!(pp_webrtc_data_channel_state => pp_webrtc_data_channel_state::PP_WEBRTC_DATA_CHANNEL_STATE_CLOSED);

/// `WebRTCDataChannel.WriteMode`. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_webrtc_data_channel_write_mode {
    /// Messages go out as text (PPID 51); sent as given, not checked for UTF-8.
    PP_WEBRTC_DATA_CHANNEL_WRITE_MODE_TEXT = 0,
    /// Messages go out as binary (PPID 53); the default.
    PP_WEBRTC_DATA_CHANNEL_WRITE_MODE_BINARY = 1,
}

/// What a `pp_webrtc_event` reports. `int32_t` in C.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pp_webrtc_event_type {
    /// `session_description_created(type, sdp)`: `text` = "offer" or "answer", `text2` = the SDP.
    PP_WEBRTC_EVENT_SESSION_DESCRIPTION_CREATED = 0,
    /// `ice_candidate_created(media, index, name)`: `text` = media (mid), `index`, `text2` = name.
    PP_WEBRTC_EVENT_ICE_CANDIDATE_CREATED = 1,
    /// `data_channel_received(channel)`: `channel` is a new owned `pp_peer` (free it with
    /// `pp_peer_free`; keep it to keep receiving).
    PP_WEBRTC_EVENT_DATA_CHANNEL_RECEIVED = 2,
    /// The connection state changed to `state` (a `pp_webrtc_connection_state`).
    PP_WEBRTC_EVENT_CONNECTION_STATE_CHANGED = 3,
    /// The gathering state changed to `state` (a `pp_webrtc_gathering_state`).
    PP_WEBRTC_EVENT_GATHERING_STATE_CHANGED = 4,
    /// The signaling state changed to `state` (a `pp_webrtc_signaling_state`).
    PP_WEBRTC_EVENT_SIGNALING_STATE_CHANGED = 5,
}

/// One signal of a connection, filled by `pp_webrtc_peer_connection_pop_event`. The strings are
/// owned by the event: release them with `pp_webrtc_event_clear` (the channel is yours to
/// `pp_peer_free` separately).
#[repr(C)]
#[derive(Debug)]
pub struct pp_webrtc_event {
    /// A `pp_webrtc_event_type`.
    pub type_: i32,
    /// The new state (state-change events), else 0.
    pub state: i32,
    /// The candidate's m-line index (always 0 here), else 0.
    pub index: i32,
    /// NUL-terminated UTF-8 or NULL (see the event type).
    pub text: *mut c_char,
    /// NUL-terminated UTF-8 or NULL (see the event type).
    pub text2: *mut c_char,
    /// DATA_CHANNEL_RECEIVED: a new owned data channel; else NULL.
    pub channel: *mut pp_peer,
}

/// Counters of a connection (beyond the engine), from `pp_webrtc_peer_connection_get_stats`. They
/// start at 0 at `pp_webrtc_peer_connection_new` and only grow.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct pp_webrtc_stats {
    /// Datagrams on our sockets that were not STUN/DTLS for this connection.
    pub garbage_datagrams: u64,
    /// Datagrams the stack accepted but could not process.
    pub input_errors: u64,
    /// Datagrams the socket refused (reliable data is retransmitted).
    pub send_dropped: u64,
    /// Events refused because 1024 were queued.
    pub events_refused: u64,
    /// Messages refused because a channel's receive queue was over its hard limit.
    pub messages_refused: u64,
    /// Polls that left the sockets unread because a channel's receive queue was full.
    pub read_throttled: u64,
    /// Remote candidates ignored (mDNS `.local` names, TCP).
    pub candidates_ignored: u64,
}

impl From<RtcStats> for pp_webrtc_stats {
    fn from(s: RtcStats) -> Self {
        pp_webrtc_stats {
            garbage_datagrams: s.garbage_datagrams,
            input_errors: s.input_errors,
            send_dropped: s.send_dropped,
            events_refused: s.events_refused,
            messages_refused: s.messages_refused,
            read_throttled: s.read_throttled,
            candidates_ignored: s.candidates_ignored,
        }
    }
}

/// What the `pp_webrtc_data_channel_*` calls need of a channel: the built-in one or a C extension.
pub(crate) trait DataChannelApi {
    fn dc_set_write_mode(&mut self, m: WriteMode);
    fn dc_write_mode(&self) -> i32;
    fn dc_was_string(&self) -> bool;
    /// A `ChannelState` value.
    fn dc_state(&self) -> i32;
    fn dc_label(&self) -> String;
    fn dc_ordered(&self) -> bool;
    fn dc_id(&self) -> i32;
    fn dc_life_time(&self) -> i32;
    fn dc_retransmits(&self) -> i32;
    fn dc_protocol(&self) -> String;
    fn dc_negotiated(&self) -> bool;
    fn dc_buffered(&self) -> i32;
    fn dc_refused(&self) -> u64;
    fn dc_poll(&mut self) -> crate::error::Result<()>;
    fn dc_close(&mut self);
}

impl DataChannelApi for WebRtcDataChannel {
    fn dc_set_write_mode(&mut self, m: WriteMode) {
        self.set_write_mode(m)
    }
    fn dc_write_mode(&self) -> i32 {
        self.get_write_mode() as i32
    }
    fn dc_was_string(&self) -> bool {
        self.was_string_packet()
    }
    fn dc_state(&self) -> i32 {
        match self.get_ready_state() {
            ChannelState::Connecting => 0,
            ChannelState::Open => 1,
            ChannelState::Closing => 2,
            ChannelState::Closed => 3,
        }
    }
    fn dc_label(&self) -> String {
        self.get_label()
    }
    fn dc_ordered(&self) -> bool {
        self.is_ordered()
    }
    fn dc_id(&self) -> i32 {
        self.get_id()
    }
    fn dc_life_time(&self) -> i32 {
        self.get_max_packet_life_time()
    }
    fn dc_retransmits(&self) -> i32 {
        self.get_max_retransmits()
    }
    fn dc_protocol(&self) -> String {
        self.get_protocol()
    }
    fn dc_negotiated(&self) -> bool {
        self.is_negotiated()
    }
    fn dc_buffered(&self) -> i32 {
        self.get_buffered_amount()
    }
    fn dc_refused(&self) -> u64 {
        self.refused_count()
    }
    fn dc_poll(&mut self) -> crate::error::Result<()> {
        self.poll()
    }
    fn dc_close(&mut self) {
        self.close()
    }
}

impl DataChannelApi for WebRtcDataChannelExtension {
    fn dc_set_write_mode(&mut self, m: WriteMode) {
        self.set_write_mode(m as i32)
    }
    fn dc_write_mode(&self) -> i32 {
        self.get_write_mode()
    }
    fn dc_was_string(&self) -> bool {
        self.was_string_packet()
    }
    fn dc_state(&self) -> i32 {
        self.get_ready_state()
    }
    fn dc_label(&self) -> String {
        self.get_label()
    }
    fn dc_ordered(&self) -> bool {
        self.is_ordered()
    }
    fn dc_id(&self) -> i32 {
        self.get_id()
    }
    fn dc_life_time(&self) -> i32 {
        self.get_max_packet_life_time()
    }
    fn dc_retransmits(&self) -> i32 {
        self.get_max_retransmits()
    }
    fn dc_protocol(&self) -> String {
        self.get_protocol()
    }
    fn dc_negotiated(&self) -> bool {
        self.is_negotiated()
    }
    fn dc_buffered(&self) -> i32 {
        self.get_buffered_amount()
    }
    fn dc_refused(&self) -> u64 {
        0
    }
    fn dc_poll(&mut self) -> crate::error::Result<()> {
        self.poll()
    }
    fn dc_close(&mut self) {
        self.close()
    }
}

/// Runs `f` on the data channel behind a `pp_peer` (built-in or extension); another class is
/// `PP_ERR_INVALID_PARAMETER`.
fn with_dc<R>(
    peer: *mut pp_peer,
    f: impl FnOnce(&mut dyn DataChannelApi) -> Result<R, pp_error>,
) -> Result<R, pp_error> {
    let obj = try_ref!(peer);
    let mut g = obj.lock()?;
    let any = g.as_any_mut();
    if any.is::<WebRtcDataChannel>() {
        match any.downcast_mut::<WebRtcDataChannel>() {
            Some(d) => f(d),
            None => Err(INVALID),
        }
    } else {
        match any.downcast_mut::<WebRtcDataChannelExtension>() {
            Some(d) => f(d),
            None => Err(INVALID),
        }
    }
}

/// An optional `const pp_variant *` argument's value (NULL = Nil).
fn opt_variant(v: *const pp_variant) -> Result<Variant, pp_error> {
    if v.is_null() {
        return Ok(Variant::Nil);
    }
    let v = try_ref!(v);
    let g = v.get()?;
    Ok(g.clone())
}

/// Makes a WebRTCPeerConnection, not initialized (call `pp_webrtc_peer_connection_initialize`).
///
/// - `out_connection`: receives the connection; free it with `pp_webrtc_peer_connection_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_connection` is NULL.
#[no_mangle]
pub extern "C" fn pp_webrtc_peer_connection_new(
    out_connection: *mut *mut pp_webrtc_peer_connection,
) -> pp_error {
    ffi_boundary! {
        out!(out_connection).write(new_handle::<pp_webrtc_peer_connection>(ConnObj::Native(WebRtcPeerConnection::new())));
        Ok(())
    }
}

/// Frees a connection handle; the connection is closed unless a data channel or a
/// WebRTCMultiplayerPeer still references it (then it lives on until they are freed; close it
/// first to stop it). NULL is a no-op.
#[no_mangle]
pub extern "C" fn pp_webrtc_peer_connection_free(connection: *mut pp_webrtc_peer_connection) {
    ffi_boundary! {
        // SAFETY: the export's contract: NULL or a handle from this library, not yet freed.
        unsafe { free_handle(connection) }
    }
}

/// (Re)creates the connection (`initialize(configuration)`): state NEW, one UDP socket per local
/// address, channels of a previous connection CLOSED, queued events dropped.
///
/// - `configuration`: NULL (an empty Dictionary) or a Dictionary: `"iceServers"`: Array of
///   `{ "urls": String or Array of "stun:"/"stuns:"/"turn:"/"turns:" URLs, "username": String,
///   "credential": String }`: each `stun:`/`stuns:` server (host names resolved here, blocking up to the
///   system resolver's timeout; numeric hosts never wait) gives server-reflexive candidates (a plain
///   Binding request, no TLS for `stuns:`); each TURN server gives a relayed candidate (a TURN
///   allocation with the long-term credentials `username` and `credential`, both required; kept
///   alive by the connection's poll): `turn:host[:port][?transport=udp]` over UDP (default port
///   3478), `turn:host[:port]?transport=tcp` over TCP, `turns:host[:port][?transport=tcp]` over TLS
///   (default port 5349; the certificate must name `host`, checked against the system's trusted CAs
///   unless `pp_webrtc_peer_connection_set_turn_tls_options` says otherwise). The relayed address is
///   UDP in every case. TCP and TLS connect in `pp_webrtc_peer_connection_poll`; a refused
///   connection or a failed handshake ends that allocation with the reason in the last-error
///   text. The conditioner does not act on TCP/TLS TURN traffic. `turns:` with `?transport=udp`
///   (TURN over DTLS) is refused with `PP_ERR_UNAVAILABLE` and a last-error text;
///   beyond the engine: `"iceTransportPolicy"`: `"all"` (default) or `"relay"` (only relayed
///   candidates are reported and used, so every datagram goes through the TURN server; needs a
///   TURN server; the connection is FAILED as soon as every allocation has failed, the reason
///   in `pp_webrtc_peer_connection_get_last_error`, e.g. a 401 for a wrong credential);
///   beyond the engine: `"bindAddresses"`: Array or PackedStringArray of IP literals to gather host
///   candidates on (default: every address of every interface that is up, loopback and link-local
///   IPv6 excluded), `"iceTimeout"`: int ms 1..600000 (default 15000), how long connecting (or
///   staying DISCONNECTED) may take before FAILED. Other keys (webrtc-native's `"libdatachannel"`)
///   are ignored.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a bad dictionary (a server without `urls`, a URL
/// of another scheme, a wrong type, a TURN server without username or credential, `"relay"`
/// without a TURN server), NULL `connection` or a handle of another type;
/// `PP_ERR_UNAVAILABLE` for a TURN URL with another transport (`turns:` over UDP, `transport=sctp`);
/// `PP_ERR_CANT_CREATE` when no socket could be bound.
#[no_mangle]
pub extern "C" fn pp_webrtc_peer_connection_initialize(
    connection: *mut pp_webrtc_peer_connection,
    configuration: *const pp_variant,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(connection);
        let cfg = opt_variant(configuration)?;
        c.initialize(&cfg)
    }
}

/// TLS options for `turns:` TURN servers (beyond the engine, which has no TURN of its own).
///
/// - `tls_client_options`: client options (`pp_tls_options_client` with your trusted CA, or
///   `_client_unsafe`, optionally pinned; copied, you may free yours), or NULL for
///   `pp_tls_options_client(NULL, NULL)`: the system CA bundle, and the certificate must name the
///   URL's host (also sent as SNI unless it is an IP address).
///
/// Read when the allocations start (the first `pp_webrtc_peer_connection_create_offer` or
/// `_set_remote_description` after `_initialize`), so set it before those; it stays through
/// `_initialize`.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for server options, options of another handle type,
/// NULL `connection` or a handle of another type; `PP_ERR_UNAVAILABLE` for a connection made by a
/// C extension.
#[no_mangle]
pub extern "C" fn pp_webrtc_peer_connection_set_turn_tls_options(
    connection: *mut pp_webrtc_peer_connection,
    tls_client_options: *const pp_tls_options,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(connection);
        let opts = try_opt_ref!(tls_client_options);
        if opts.is_some_and(|o| o.is_server()) {
            return Err(pp_error::PP_ERR_INVALID_PARAMETER);
        }
        c.set_turn_tls_options(opts.cloned())
    }
}

/// Makes a data channel (`create_data_channel(label, options)`), only while the connection is NEW.
/// Channels made before `create_offer` (offerer) or before `set_remote_description` (answerer) are
/// announced with the first description; in-band (DCEP) channels open when SCTP is up.
///
/// - `label`: NUL-terminated UTF-8, at most 65535 bytes.
/// - `options`: NULL or a Dictionary: `"negotiated"`: bool and `"id"`: int 0..65534 (both or
///   neither; the remote must make the same channel), `"maxRetransmits"` or `"maxPacketLifeTime"`
///   (ms): int 0..65535 (not both), `"ordered"`: bool (default true), `"protocol"`: String.
///   Unknown keys are ignored, as in the engine.
/// - `out_channel`: receives a new owned `pp_peer` (a WebRTCDataChannel); free it with
///   `pp_peer_free`.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for bad options (where the engine returns null), a
/// negotiated `id` already used, NULL arguments or a handle of another type; `PP_ERR_UNCONFIGURED`
/// before initialize; `PP_FAILED` unless the connection is NEW.
#[no_mangle]
pub unsafe extern "C" fn pp_webrtc_peer_connection_create_data_channel(
    connection: *mut pp_webrtc_peer_connection,
    label: *const c_char,
    options: *const pp_variant,
    out_channel: *mut *mut pp_peer,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(connection);
        let out = Out::checked(out_channel)?;
        // SAFETY: a non-NULL `label` is NUL-terminated (caller's contract).
        let label = unsafe { in_str(label) }?;
        let opts = opt_variant(options)?;
        let ch = c.create_data_channel(label, &opts)?;
        out.write(ch);
        Ok(())
    }
}

/// Starts negotiation as the offerer (`create_offer()`): the offer arrives as a
/// `PP_WEBRTC_EVENT_SESSION_DESCRIPTION_CREATED` event from the next `pop_event`, followed by one
/// ICE_CANDIDATE_CREATED event per host candidate (they are also in the SDP), and later one per
/// server-reflexive candidate a STUN server gives (gathering turns COMPLETE when every STUN
/// request is answered or has timed out, at most ~5 s).
///
/// Returns `PP_OK`; `PP_ERR_UNCONFIGURED` before initialize; `PP_FAILED` unless NEW and stable, or
/// when no data channel was made (beyond the engine: the stack offers only what it carries);
/// `PP_ERR_INVALID_PARAMETER` for NULL or another type.
#[no_mangle]
pub extern "C" fn pp_webrtc_peer_connection_create_offer(
    connection: *mut pp_webrtc_peer_connection,
) -> pp_error {
    ffi_boundary! { try_ref!(connection).create_offer() }
}

/// Applies the remote's description (`set_remote_description(type, sdp)`). An offer produces the
/// answer at once (an event, then the candidates).
///
/// - `type`: "offer" or "answer". `sdp`: the description text.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for another type, NULL arguments or bad UTF-8;
/// `PP_FAILED` for SDP that does not parse or is refused, an offer while one is pending, an answer
/// without a local offer (`pp_webrtc_peer_connection_get_last_error` says which);
/// `PP_ERR_UNCONFIGURED` before initialize.
#[no_mangle]
pub unsafe extern "C" fn pp_webrtc_peer_connection_set_remote_description(
    connection: *mut pp_webrtc_peer_connection,
    type_: *const c_char,
    sdp: *const c_char,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(connection);
        // SAFETY: NUL-terminated strings or NULL (caller's contract).
        let (t, s) = unsafe { (in_str(type_)?, in_str(sdp)?) };
        c.set_remote_description(t, s)
    }
}

/// `set_local_description(type, sdp)`: the local description is applied when it is made, so this
/// only checks its arguments (as webrtc-native does). Call it with what the event gave, or not.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a type other than "offer"/"answer", an empty
/// SDP, NULL arguments; `PP_ERR_UNCONFIGURED` before initialize.
#[no_mangle]
pub unsafe extern "C" fn pp_webrtc_peer_connection_set_local_description(
    connection: *mut pp_webrtc_peer_connection,
    type_: *const c_char,
    sdp: *const c_char,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(connection);
        // SAFETY: NUL-terminated strings or NULL (caller's contract).
        let (t, s) = unsafe { (in_str(type_)?, in_str(sdp)?) };
        c.set_local_description(t, s)
    }
}

/// Adds a remote candidate (`add_ice_candidate(media, index, name)`).
///
/// - `media`: the m-line's mid, `index`: its index (one m-line: not needed, any value).
/// - `name`: the `candidate:...` attribute (`a=` accepted; empty = end of candidates). mDNS
///   (`.local`) and TCP candidates are ignored and counted (`candidates_ignored`).
///
/// Returns `PP_OK`; `PP_FAILED` for text that does not parse; `PP_ERR_UNCONFIGURED` before
/// initialize; `PP_ERR_INVALID_PARAMETER` for NULL arguments.
#[no_mangle]
pub unsafe extern "C" fn pp_webrtc_peer_connection_add_ice_candidate(
    connection: *mut pp_webrtc_peer_connection,
    media: *const c_char,
    index: i32,
    name: *const c_char,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(connection);
        // SAFETY: NUL-terminated strings or NULL (caller's contract).
        let (m, n) = unsafe { (in_str(media)?, in_str(name)?) };
        c.add_ice_candidate(m, index, n)
    }
}

/// Does the network work (`poll()`): reads the sockets, runs the ICE/DTLS/SCTP timers, sends what
/// the data channels queued, queues events and received messages. Call it often (every few ms
/// while connecting or sending).
///
/// Returns `PP_OK`; `PP_ERR_UNCONFIGURED` before initialize or after close; `PP_FAILED` when the
/// stack failed (state FAILED); `PP_ERR_INVALID_PARAMETER` for NULL or another type.
#[no_mangle]
pub extern "C" fn pp_webrtc_peer_connection_poll(
    connection: *mut pp_webrtc_peer_connection,
) -> pp_error {
    ffi_boundary! { try_ref!(connection).poll() }
}

/// Closes the connection and every channel (`close()`): a DTLS close_notify is sent, state CLOSED,
/// no events. `pp_webrtc_peer_connection_initialize` makes it usable again. NULL is a no-op.
#[no_mangle]
pub extern "C" fn pp_webrtc_peer_connection_close(connection: *mut pp_webrtc_peer_connection) {
    ffi_boundary! {
        let c = try_ref!(connection);
        c.close();
    }
}

/// `get_connection_state()`. CLOSED for NULL or another type.
#[no_mangle]
pub extern "C" fn pp_webrtc_peer_connection_get_connection_state(
    connection: *mut pp_webrtc_peer_connection,
) -> pp_webrtc_connection_state {
    ffi_boundary! { try_ref!(connection).states().0 }
}

/// `get_gathering_state()`. NEW for NULL or another type.
#[no_mangle]
pub extern "C" fn pp_webrtc_peer_connection_get_gathering_state(
    connection: *mut pp_webrtc_peer_connection,
) -> pp_webrtc_gathering_state {
    ffi_boundary! { try_ref!(connection).states().1 }
}

/// `get_signaling_state()`. CLOSED for NULL or another type.
#[no_mangle]
pub extern "C" fn pp_webrtc_peer_connection_get_signaling_state(
    connection: *mut pp_webrtc_peer_connection,
) -> pp_webrtc_signaling_state {
    ffi_boundary! { try_ref!(connection).states().2 }
}

/// Takes the oldest signal (the engine's signals, as a queue of at most 1024; more are refused and
/// counted in `events_refused`).
///
/// - `out_event`: receives the event; release its strings with `pp_webrtc_event_clear`.
///
/// Returns `PP_OK`; `PP_ERR_UNAVAILABLE` when none is queued (`out_event` untouched);
/// `PP_ERR_INVALID_PARAMETER` for NULL or another type.
#[no_mangle]
pub extern "C" fn pp_webrtc_peer_connection_pop_event(
    connection: *mut pp_webrtc_peer_connection,
    out_event: *mut pp_webrtc_event,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(connection);
        let out = Out::checked(out_event)?;
        let ev = c.pop_event()?.ok_or(pp_error::PP_ERR_UNAVAILABLE)?;
        out.write(ev);
        Ok(())
    }
}

/// Frees the strings of an event from `pp_webrtc_peer_connection_pop_event` and sets them to NULL
/// (the `channel`, if any, is not touched: free it with `pp_peer_free`). NULL is a no-op; clearing
/// twice is harmless.
#[no_mangle]
pub extern "C" fn pp_webrtc_event_clear(event: *mut pp_webrtc_event) {
    ffi_boundary! {
        if event.is_null() {
            return;
        }
        // SAFETY: a non-NULL `event` points to an event the caller owns (contract); its strings are
        // NULL or were made by `owned_string` and not freed yet.
        unsafe {
            for p in [&mut (*event).text, &mut (*event).text2] {
                if !p.is_null() {
                    drop(std::ffi::CString::from_raw(*p));
                    *p = std::ptr::null_mut();
                }
            }
        }
    }
}

/// Why the last failing call on this connection failed, UTF-8 (beyond the engine); `""` when none
/// has. Text-out rule (see the header's conventions).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied,
/// `*out_len` set); `PP_ERR_INVALID_PARAMETER` for NULL `connection`, another type or a bad buffer.
#[no_mangle]
pub unsafe extern "C" fn pp_webrtc_peer_connection_get_last_error(
    connection: *mut pp_webrtc_peer_connection,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let s = try_ref!(connection).last_error();
        // SAFETY: the caller's contract for the buffer and `out_len`.
        unsafe { write_text(&s, out_text, out_text_size, boundary::Out::new(out_len)) }
    }
}

/// The connection's counters (beyond the engine).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or another type.
#[no_mangle]
pub extern "C" fn pp_webrtc_peer_connection_get_stats(
    connection: *mut pp_webrtc_peer_connection,
    out_stats: *mut pp_webrtc_stats,
) -> pp_error {
    ffi_boundary! {
        let c = try_ref!(connection);
        let st = c.stats()?;
        out!(out_stats).write(st);
        Ok(())
    }
}

/// Sets how `pp_put_packet` sends (`write_mode`), a `pp_webrtc_data_channel_write_mode`.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for another value, NULL or another class.
#[no_mangle]
pub extern "C" fn pp_webrtc_data_channel_set_write_mode(peer: *mut pp_peer, mode: i32) -> pp_error {
    ffi_boundary! {
        let m = match mode {
            0 => WriteMode::Text,
            1 => WriteMode::Binary,
            _ => return Err(INVALID),
        };
        with_dc(peer, |d| {
            d.dc_set_write_mode(m);
            Ok(())
        })
    }
}

/// The write mode (a `pp_webrtc_data_channel_write_mode`); BINARY for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_webrtc_data_channel_get_write_mode(peer: *mut pp_peer) -> i32 {
    ffi_boundary! { with_dc(peer, |d| Ok(d.dc_write_mode())).unwrap_or(1) }
}

/// Whether the message the last `pp_get_packet` / `pp_get_var` returned was text. False for NULL or
/// another class.
#[no_mangle]
pub extern "C" fn pp_webrtc_data_channel_was_string_packet(peer: *mut pp_peer) -> bool {
    ffi_boundary! { with_dc(peer, |d| Ok(d.dc_was_string())).unwrap_or(false) }
}

/// `get_ready_state()`. CLOSED for NULL or another class, and once the connection is closed or
/// re-initialized.
#[no_mangle]
pub extern "C" fn pp_webrtc_data_channel_get_ready_state(
    peer: *mut pp_peer,
) -> pp_webrtc_data_channel_state {
    use pp_webrtc_data_channel_state::*;
    ffi_boundary! {
        let v = with_dc(peer, |d| Ok(d.dc_state())).unwrap_or(3);
        state_from(
            v,
            &[
                PP_WEBRTC_DATA_CHANNEL_STATE_CONNECTING,
                PP_WEBRTC_DATA_CHANNEL_STATE_OPEN,
                PP_WEBRTC_DATA_CHANNEL_STATE_CLOSING,
                PP_WEBRTC_DATA_CHANNEL_STATE_CLOSED,
            ],
            PP_WEBRTC_DATA_CHANNEL_STATE_CLOSED,
        )
    }
}

/// Text getters of a channel through the text-out rule.
unsafe fn dc_text(
    peer: *mut pp_peer,
    get: impl FnOnce(&dyn DataChannelApi) -> String,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> Result<(), pp_error> {
    let s = with_dc(peer, |d| Ok(get(&*d)))?;
    // SAFETY: forwarded contract (NULL or writable).
    let out_len = unsafe { boundary::Out::new(out_len) };
    // SAFETY: forwarded contract.
    unsafe { write_text(&s, out_text, out_text_size, out_len) }
}

/// `get_label()`, UTF-8, by the text-out rule.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small;
/// `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
#[no_mangle]
pub unsafe extern "C" fn pp_webrtc_data_channel_get_label(
    peer: *mut pp_peer,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: the caller's contract for the buffer and `out_len`.
        unsafe { dc_text(peer, |d| d.dc_label(), out_text, out_text_size, out_len) }
    }
}

/// `get_protocol()`, UTF-8, by the text-out rule; returns as `pp_webrtc_data_channel_get_label`.
#[no_mangle]
pub unsafe extern "C" fn pp_webrtc_data_channel_get_protocol(
    peer: *mut pp_peer,
    out_text: *mut c_char,
    out_text_size: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: the caller's contract for the buffer and `out_len`.
        unsafe { dc_text(peer, |d| d.dc_protocol(), out_text, out_text_size, out_len) }
    }
}

/// `is_ordered()`. False for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_webrtc_data_channel_is_ordered(peer: *mut pp_peer) -> bool {
    ffi_boundary! { with_dc(peer, |d| Ok(d.dc_ordered())).unwrap_or(false) }
}

/// `is_negotiated()`. False for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_webrtc_data_channel_is_negotiated(peer: *mut pp_peer) -> bool {
    ffi_boundary! { with_dc(peer, |d| Ok(d.dc_negotiated())).unwrap_or(false) }
}

/// `get_id()`: the SCTP stream id; 65535 while unknown (an in-band channel before SCTP is up; the
/// engine's documented value, webrtc-native returns -1). 65535 for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_webrtc_data_channel_get_id(peer: *mut pp_peer) -> i32 {
    ffi_boundary! { with_dc(peer, |d| Ok(d.dc_id())).unwrap_or(65535) }
}

/// `get_max_packet_life_time()` in ms; 65535 when unset (as documented; webrtc-native: -1).
#[no_mangle]
pub extern "C" fn pp_webrtc_data_channel_get_max_packet_life_time(peer: *mut pp_peer) -> i32 {
    ffi_boundary! { with_dc(peer, |d| Ok(d.dc_life_time())).unwrap_or(65535) }
}

/// `get_max_retransmits()`; 65535 when unset (as documented; webrtc-native: -1).
#[no_mangle]
pub extern "C" fn pp_webrtc_data_channel_get_max_retransmits(peer: *mut pp_peer) -> i32 {
    ffi_boundary! { with_dc(peer, |d| Ok(d.dc_retransmits())).unwrap_or(65535) }
}

/// `get_buffered_amount()`: bytes accepted by `pp_put_packet` and not yet acknowledged. 0 for NULL
/// or another class.
#[no_mangle]
pub extern "C" fn pp_webrtc_data_channel_get_buffered_amount(peer: *mut pp_peer) -> i32 {
    ffi_boundary! { with_dc(peer, |d| Ok(d.dc_buffered())).unwrap_or(0) }
}

/// Messages this channel refused because its receive queue was over its hard limit (twice 4096
/// messages or 32 MiB; beyond the engine, whose desktop queue is unbounded). 0 for NULL.
#[no_mangle]
pub extern "C" fn pp_webrtc_data_channel_get_refused_count(peer: *mut pp_peer) -> u64 {
    ffi_boundary! { with_dc(peer, |d| Ok(d.dc_refused())).unwrap_or(0) }
}

/// `poll()`: reserved by the engine (the connection's poll does the work).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_webrtc_data_channel_poll(peer: *mut pp_peer) -> pp_error {
    ffi_boundary! { with_dc(peer, |d| map(d.dc_poll())) }
}

/// Closes the channel (`close()`): the SCTP stream is reset, the remote sees it close; CLOSING,
/// then CLOSED when the remote confirms (in the connection's poll). Messages already received stay
/// readable. NULL is a no-op.
#[no_mangle]
pub extern "C" fn pp_webrtc_data_channel_close(peer: *mut pp_peer) {
    ffi_boundary! {
        let _ = with_dc(peer, |d| {
            d.dc_close();
            Ok(())
        });
    }
}

// ---- WebRTCMultiplayerPeer ----

fn with_wrmp<R>(
    peer: *mut pp_peer,
    f: impl FnOnce(&mut WebRtcMultiplayerPeer) -> Result<R, pp_error>,
) -> Result<R, pp_error> {
    with_class(try_ref!(peer), f)
}

/// `channels_config` as TransferMode ints.
///
/// # Safety
/// A non-NULL `modes` points to `count` readable `int32_t`s.
unsafe fn in_modes<'a>(modes: *const i32, count: usize) -> Result<&'a [i32], pp_error> {
    // SAFETY: forwarded contract.
    unsafe { in_items(modes, count) }
}

/// Makes an inactive WebRTCMultiplayerPeer (`docs/classes.md` §23). Make it a server, client or
/// mesh member, add a WebRTCPeerConnection per remote (`pp_webrtc_multiplayer_peer_add_peer`), do
/// the signalling of each connection yourself, and drive it with the `pp_multiplayer_peer_*` calls
/// (its poll polls every connection).
///
/// - `out_peer`: receives the peer; free it with `pp_peer_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_peer` is NULL.
#[no_mangle]
pub extern "C" fn pp_webrtc_multiplayer_peer_new(out_peer: *mut *mut pp_peer) -> pp_error {
    ffi_boundary! {
        out!(out_peer).write(new_peer(WebRtcMultiplayerPeer::new()));
        Ok(())
    }
}

/// `create_server(channels_config)`: ID 1, CONNECTED at once.
///
/// - `channels_config`, `count`: one TransferMode (`PP_MULTIPLAYER_PEER_TRANSFER_MODE_*`, 0..2) per extra channel
///   (SCTP streams 4, 5, ...); `(NULL, 0)` for none. Every remote must list the same.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for another value, a bad array, NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_webrtc_multiplayer_peer_create_server(
    peer: *mut pp_peer,
    channels_config: *const i32,
    count: usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: the caller's contract for the array.
        let modes = unsafe { in_modes(channels_config, count) }?;
        with_wrmp(peer, |m| map(m.create_server(modes)))
    }
}

/// `create_client(peer_id, channels_config)`: CONNECTING until the server (added as peer 1) is
/// connected, then CONNECTED with `peer_connected(1)`.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for `peer_id` 1 or < 1, a bad `channels_config`
/// (see `pp_webrtc_multiplayer_peer_create_server`), NULL or another class.
#[no_mangle]
pub unsafe extern "C" fn pp_webrtc_multiplayer_peer_create_client(
    peer: *mut pp_peer,
    peer_id: i32,
    channels_config: *const i32,
    count: usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: the caller's contract for the array.
        let modes = unsafe { in_modes(channels_config, count) }?;
        with_wrmp(peer, |m| map(m.create_client(peer_id, modes)))
    }
}

/// `create_mesh(peer_id, channels_config)`: CONNECTED at once; every remote is added directly.
///
/// Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for `peer_id` < 1, a bad `channels_config`, NULL or
/// another class.
#[no_mangle]
pub unsafe extern "C" fn pp_webrtc_multiplayer_peer_create_mesh(
    peer: *mut pp_peer,
    peer_id: i32,
    channels_config: *const i32,
    count: usize,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: the caller's contract for the array.
        let modes = unsafe { in_modes(channels_config, count) }?;
        with_wrmp(peer, |m| map(m.create_mesh(peer_id, modes)))
    }
}

/// `add_peer(peer, peer_id, unreliable_lifetime)`: makes the pre-negotiated channels on
/// `connection` (SCTP streams 1 reliable, 2 ordered, 3 unordered, 4 + i the extra ones), which
/// must be initialized and NEW; create the offer (or take the remote's) afterwards. The multiplayer
/// peer keeps its own reference to the connection: you may free your handle. A
/// WebRTCPeerConnectionExtension works too: its `create_data_channel` callback makes the channels
/// (with the same options), its `poll` and state callbacks are called from the multiplayer peer's
/// poll, `close` when the peer leaves; a channel it returns that is neither a WebRTCDataChannel nor
/// a WebRTCDataChannelExtension reads OPEN.
///
/// - `unreliable_lifetime`: ms, 0..65535 (the engine's default is 1). As in real games, it is not
///   applied unless `pp_webrtc_multiplayer_peer_set_honor_unreliable_lifetime` is on (§23's quirk).
///
/// Returns `PP_OK`; `PP_ERR_UNCONFIGURED` before create_*; `PP_ERR_INVALID_PARAMETER` for a client
/// adding an ID other than 1, a server adding 1, an ID < 1 or already added, a lifetime out of
/// range, a connection that is not NEW, NULL or another class; `PP_ERR_UNAUTHORIZED` while refusing
/// new connections; `PP_FAILED` when a channel cannot be made (a connection not initialized).
#[no_mangle]
pub extern "C" fn pp_webrtc_multiplayer_peer_add_peer(
    peer: *mut pp_peer,
    connection: *mut pp_webrtc_peer_connection,
    peer_id: i32,
    unreliable_lifetime: i32,
) -> pp_error {
    ffi_boundary! {
        match try_ref!(connection) {
            ConnObj::Native(c) => with_wrmp(peer, |m| map(m.add_peer(c, peer_id, unreliable_lifetime))),
            ConnObj::Ext(e) => {
                let d = Box::new(ExtDriver(e.clone()));
                with_wrmp(peer, |m| map(m.add_peer_driver(d, peer_id, unreliable_lifetime)))
            }
        }
    }
}

/// `remove_peer(peer_id)`: forgets the remote and closes its connection; `peer_disconnected` is
/// queued if it had been announced (a client removing the server turns DISCONNECTED). An unknown
/// ID does nothing.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_webrtc_multiplayer_peer_remove_peer(
    peer: *mut pp_peer,
    peer_id: i32,
) -> pp_error {
    ffi_boundary! {
        with_wrmp(peer, |m| {
            m.remove_peer(peer_id);
            Ok(())
        })
    }
}

/// `has_peer(peer_id)`. False for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_webrtc_multiplayer_peer_has_peer(peer: *mut pp_peer, peer_id: i32) -> bool {
    ffi_boundary! { with_wrmp(peer, |m| Ok(m.has_peer(peer_id))).unwrap_or(false) }
}

/// `get_peer(peer_id)`: the remote's connection and whether it is connected (its channels:
/// `pp_webrtc_multiplayer_peer_get_peer_channel`).
///
/// - `out_connection`: NULL, or receives a new owned handle to the connection (free it with
///   `pp_webrtc_peer_connection_free`).
/// - `out_connected`: NULL, or receives whether it is connected (every channel open, announced).
///
/// Returns `PP_OK`; `PP_ERR_DOES_NOT_EXIST` for an unknown ID (nothing written);
/// `PP_ERR_INVALID_PARAMETER` for NULL `peer` or another class.
#[no_mangle]
pub extern "C" fn pp_webrtc_multiplayer_peer_get_peer(
    peer: *mut pp_peer,
    peer_id: i32,
    out_connection: *mut *mut pp_webrtc_peer_connection,
    out_connected: *mut bool,
) -> pp_error {
    ffi_boundary! {
        let oc = out_opt!(out_connection);
        let ok = out_opt!(out_connected);
        let info = with_wrmp(peer, |m| m.get_peer(peer_id).ok_or(pp_error::PP_ERR_DOES_NOT_EXIST))?;
        if let Some(o) = ok {
            o.write(info.connected);
        }
        if let Some(o) = oc {
            let conn = match info.connection {
                Some(c) => ConnObj::Native(c),
                None => ConnObj::Ext(with_wrmp(peer, |m| {
                    m.driver_peer(peer_id)
                        .and_then(|(d, _)| d.as_any().downcast_ref::<ExtDriver>())
                        .map(|d| d.0.clone())
                        .ok_or(pp_error::PP_ERR_DOES_NOT_EXIST)
                })?),
            };
            o.write(new_handle::<pp_webrtc_peer_connection>(conn));
        }
        Ok(())
    }
}

/// One channel of a remote, by index (0 reliable, 1 ordered, 2 unreliable, 3 + i the extra ones).
///
/// - `out_channel`: receives a new owned `pp_peer` on that channel (its own write mode and last
///   packet; reading from it takes packets the multiplayer peer would have returned; for an
///   extension connection, another handle on the object its `create_data_channel` made). Free it
///   with `pp_peer_free`.
///
/// Returns `PP_OK`; `PP_ERR_DOES_NOT_EXIST` for an unknown ID or index; `PP_ERR_INVALID_PARAMETER`
/// for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_webrtc_multiplayer_peer_get_peer_channel(
    peer: *mut pp_peer,
    peer_id: i32,
    index: i32,
    out_channel: *mut *mut pp_peer,
) -> pp_error {
    ffi_boundary! {
        let out = Out::checked(out_channel)?;
        let mut info = with_wrmp(peer, |m| m.get_peer(peer_id).ok_or(pp_error::PP_ERR_DOES_NOT_EXIST))?;
        let i = usize::try_from(index).map_err(|_| pp_error::PP_ERR_DOES_NOT_EXIST)?;
        if info.connection.is_none() {
            // An extension connection's channel: another handle on the object it made.
            let ch = with_wrmp(peer, |m| {
                m.driver_peer(peer_id)
                    .and_then(|(_, chans)| chans.get(i).copied())
                    .and_then(|c| c.as_any().downcast_ref::<ExtChannelDriver>())
                    .map(|c| c.peer.clone())
                    .ok_or(pp_error::PP_ERR_DOES_NOT_EXIST)
            })?;
            out.write(new_handle::<pp_peer>(ch));
            return Ok(());
        }
        if i >= info.channels.len() {
            return Err(pp_error::PP_ERR_DOES_NOT_EXIST);
        }
        out.write(new_peer(info.channels.swap_remove(i)));
        Ok(())
    }
}

/// `get_peers()`: the IDs of the remotes, ascending.
///
/// - `out_ids`, `capacity`: buffer for up to `capacity` IDs; `(NULL, 0)` asks for the count.
/// - `out_count`: receives the number of remotes, whether or not they fit.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `capacity` is too small (nothing copied,
/// `*out_count` set); `PP_ERR_INVALID_PARAMETER` for NULL `peer`/`out_count`, `(NULL, n > 0)` or
/// another class.
#[no_mangle]
pub unsafe extern "C" fn pp_webrtc_multiplayer_peer_get_peers(
    peer: *mut pp_peer,
    out_ids: *mut i32,
    capacity: usize,
    out_count: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let count = Out::checked(out_count)?;
        if (out_ids.is_null() && capacity > 0) || capacity > i32::MAX as usize {
            return Err(INVALID);
        }
        let ids = with_wrmp(peer, |m| Ok(m.get_peer_ids()))?;
        count.write(ids.len());
        if ids.len() > capacity {
            return Err(pp_error::PP_ERR_PARAMETER_RANGE_ERROR);
        }
        if !ids.is_empty() {
            // SAFETY: non-NULL (capacity >= len > 0) with `capacity` writable int32_t (contract).
            unsafe { std::ptr::copy_nonoverlapping(ids.as_ptr(), out_ids, ids.len()) };
        }
        Ok(())
    }
}

/// Opt-in (beyond the engine): give the unreliable lanes the lifetime the engine means to set
/// (`unreliable_lifetime` on lanes 1 and 2, 1 ms on unreliable extra channels). Off by default:
/// real Godot games send every lane reliably (the engine misspells the key, §23). Applies to later
/// `add_peer` calls.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_webrtc_multiplayer_peer_set_honor_unreliable_lifetime(
    peer: *mut pp_peer,
    enabled: bool,
) -> pp_error {
    ffi_boundary! {
        with_wrmp(peer, |m| {
            m.set_honor_unreliable_lifetime(enabled);
            Ok(())
        })
    }
}

/// Whether the unreliable lifetime is honoured. False for NULL or another class.
#[no_mangle]
pub extern "C" fn pp_webrtc_multiplayer_peer_is_honoring_unreliable_lifetime(
    peer: *mut pp_peer,
) -> bool {
    ffi_boundary! { with_wrmp(peer, |m| Ok(m.is_honoring_unreliable_lifetime())).unwrap_or(false) }
}
