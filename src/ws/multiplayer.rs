//! WebSocketMultiplayerPeer (`docs/classes.md` §20), Godot 4's wire protocol: star topology, the
//! server (ID 1) holds one [`WebSocketPeer`] per client; once a client's WebSocket is OPEN the server
//! sends it one 4-byte binary message, its ID as a little-endian int32 (≥ 2), then every message in
//! either direction is one packet, raw, with no header. `peer_connected` / `peer_disconnected` are
//! queued as [`MultiplayerEvent`]s.
//!
//! Differences from the engine (only helping callers):
//! - **No silent loss.** A send to a peer that refuses it (queue full, too big) returns that error;
//!   a broadcast tries every peer and returns the last error (the engine always returns OK). Packets a
//!   peer sent before it disconnected are delivered before its `peer_disconnected`. The shared
//!   incoming FIFO holds at most `max_queued_packets` packets; beyond that the peers' sockets are
//!   throttled (back-pressure), nothing is dropped.
//! - `disconnect_peer` of an unknown ID is `ERR_INVALID_PARAMETER` (the engine prints and returns).
//!
//! `wss://`: `create_server` with TLS server options runs every accepted connection through a
//! StreamPeerTLS before the WebSocket handshake (both bounded by `handshake_timeout`);
//! `create_client` with TLS client options uses them for a `wss://` URL (None: `TLSOptions.client()`).
//! Each connected peer's WebSocketPeer is shared ([`WebSocketMultiplayerPeer::get_peer`]) so a caller
//! can read its state, close code or TLS status.
//!
//! **Godot 3 compatibility** (opt-in, [`WebSocketMultiplayerPeer::set_godot3_compat`];
//! `docs/godot3-multiplayer.md` §2): every message carries `[u8 type][i32 from][i32 to]` (little-endian,
//! 9 bytes) before the payload; the server announces IDs with SYS_ID / SYS_ADD / SYS_DEL messages and
//! relays client-to-client packets itself (so `is_server_relay_supported` is false). Like the engine,
//! the server ignores messages that are not SYS_NONE or whose `from` is not the sender's ID, and keeps
//! "all but N" messages for itself even when N = 1. A client is CONNECTED once SYS_ADD(1) arrives.
#![forbid(unsafe_code)]

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

use super::tls::TlsWsStream;
use super::{State, WebSocketPeer, WriteMode};
use crate::error::{Error, Result};
use crate::multiplayer::{
    generate_unique_id, ConnectionStatus, MultiplayerBase, MultiplayerEvent, MultiplayerPeer,
    Target, TransferMode, TARGET_PEER_SERVER,
};
use crate::net::tcp_server::TcpServer;
use crate::peer::{PacketPeer, PeerBase};
use crate::sync::{shared, Shared};
use crate::tls::TlsOptions;

/// Default `handshake_timeout` (seconds in the engine).
pub const DEFAULT_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug)]
struct Pending {
    id: i32,
    ws: WebSocketPeer,
    since: Instant,
}

/// Godot's WebSocketMultiplayerPeer.
#[derive(Debug)]
pub struct WebSocketMultiplayerPeer {
    base: PeerBase,
    mp: MultiplayerBase,
    /// Settings copied into every WebSocketPeer this object creates.
    template: WebSocketPeer,
    handshake_timeout: Duration,
    tcp: Option<TcpServer>,
    /// Why the client's last connection failed or ended ("" if it did not).
    last_error: String,
    /// Server options of a `wss` server.
    tls_server: Option<TlsOptions>,
    is_server: bool,
    status: ConnectionStatus,
    unique_id: i32,
    pending: Vec<Pending>,
    peers: BTreeMap<i32, Shared<WebSocketPeer>>,
    client: Option<Shared<WebSocketPeer>>,
    client_since: Instant,
    incoming: VecDeque<(i32, Vec<u8>)>,
    current: Vec<u8>,
    target: i32,
    godot3: bool,
}

/// Godot 3 (`gd_mp_api`) message types and header size.
const SYS_NONE: u8 = 0;
const SYS_ADD: u8 = 1;
const SYS_DEL: u8 = 2;
const SYS_ID: u8 = 3;
const G3_HEADER: usize = 9;

fn g3_msg(kind: u8, from: i32, to: i32, payload: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(G3_HEADER + payload.len());
    m.push(kind);
    m.extend_from_slice(&from.to_le_bytes());
    m.extend_from_slice(&to.to_le_bytes());
    m.extend_from_slice(payload);
    m
}

/// A Godot 3 header: (type, from, to).
fn g3_header(m: &[u8]) -> Option<(u8, i32, i32)> {
    if m.len() < G3_HEADER {
        return None;
    }
    let from = i32::from_le_bytes([m[1], m[2], m[3], m[4]]);
    let to = i32::from_le_bytes([m[5], m[6], m[7], m[8]]);
    Some((m[0], from, to))
}

fn g3_sys(kind: u8, about: i32) -> Vec<u8> {
    g3_msg(kind, 1, 0, &about.to_le_bytes())
}

impl Default for WebSocketMultiplayerPeer {
    fn default() -> Self {
        Self::new()
    }
}

impl WebSocketMultiplayerPeer {
    pub fn new() -> Self {
        WebSocketMultiplayerPeer {
            base: PeerBase::default(),
            mp: MultiplayerBase::default(),
            template: WebSocketPeer::new(),
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
            tcp: None,
            last_error: String::new(),
            tls_server: None,
            is_server: false,
            status: ConnectionStatus::Disconnected,
            unique_id: 0,
            pending: Vec::new(),
            peers: BTreeMap::new(),
            client: None,
            client_since: Instant::now(),
            incoming: VecDeque::new(),
            current: Vec::new(),
            target: 0,
            godot3: false,
        }
    }

    /// The per-connection settings (`supported_protocols`, `handshake_headers`, buffer sizes,
    /// `max_queued_packets`): set them on this WebSocketPeer; each new connection copies them.
    pub fn settings_mut(&mut self) -> &mut WebSocketPeer {
        &mut self.template
    }
    pub fn settings(&self) -> &WebSocketPeer {
        &self.template
    }

    /// Speaks Godot 3's protocol (see the module docs) instead of Godot 4's. Only while DISCONNECTED
    /// (else `ERR_ALREADY_IN_USE`); off by default.
    pub fn set_godot3_compat(&mut self, enabled: bool) -> Result<()> {
        if self.status != ConnectionStatus::Disconnected {
            return Err(Error::AlreadyInUse);
        }
        self.godot3 = enabled;
        Ok(())
    }
    pub fn is_godot3_compat(&self) -> bool {
        self.godot3
    }

    /// `handshake_timeout` in seconds (> 0, else `ERR_INVALID_PARAMETER`).
    pub fn set_handshake_timeout(&mut self, seconds: f64) -> Result<()> {
        if !seconds.is_finite() || seconds <= 0.0 || seconds > 1e9 {
            return Err(Error::InvalidParameter);
        }
        self.handshake_timeout = Duration::from_secs_f64(seconds);
        Ok(())
    }
    pub fn get_handshake_timeout(&self) -> f64 {
        self.handshake_timeout.as_secs_f64()
    }

    fn new_peer(&self) -> WebSocketPeer {
        let t = &self.template;
        let mut p = WebSocketPeer::new();
        p.cfg = t.cfg.clone();
        p
    }

    /// `create_server(port, bind_address)` without TLS.
    pub fn create_server(&mut self, port: i32, bind_address: &str) -> Result<()> {
        self.create_server_tls(port, bind_address, None)
    }

    /// `create_server(port, bind_address, tls_server_options)`: ERR_ALREADY_IN_USE unless
    /// DISCONNECTED; client options are ERR_INVALID_PARAMETER; TCPServer.listen errors. OK: ID 1,
    /// CONNECTED. With options every connection is `wss`.
    pub fn create_server_tls(
        &mut self,
        port: i32,
        bind_address: &str,
        options: Option<&TlsOptions>,
    ) -> Result<()> {
        if options.is_some_and(|o| !o.is_server()) {
            return Err(Error::InvalidParameter);
        }
        if self.status != ConnectionStatus::Disconnected {
            return Err(Error::AlreadyInUse);
        }
        self.clear();
        self.last_error.clear();
        let mut s = TcpServer::new();
        s.listen(port, bind_address)?;
        self.tcp = Some(s);
        self.tls_server = options.cloned();
        self.is_server = true;
        self.unique_id = 1;
        self.status = ConnectionStatus::Connected;
        Ok(())
    }

    /// Why this client's last connection failed or ended (TLS reason included; beyond the engine,
    /// which turns DISCONNECTED silently); `""` if it did not, until the next `create_*`.
    pub fn get_last_error_text(&self) -> &str {
        &self.last_error
    }

    /// Port the server listens on (0 when not listening).
    pub fn get_local_port(&self) -> u16 {
        self.tcp.as_ref().map(|t| t.get_local_port()).unwrap_or(0)
    }

    /// `create_client(url)` with the default TLS options.
    pub fn create_client(&mut self, url: &str) -> Result<()> {
        self.create_client_tls(url, None)
    }

    /// `create_client(url, tls_client_options)`: ERR_ALREADY_IN_USE unless DISCONNECTED;
    /// `connect_to_url_tls` errors (server options: ERR_INVALID_PARAMETER). OK: CONNECTING;
    /// CONNECTED once the server's ID message arrived.
    pub fn create_client_tls(&mut self, url: &str, options: Option<&TlsOptions>) -> Result<()> {
        if options.is_some_and(|o| o.is_server()) {
            return Err(Error::InvalidParameter);
        }
        if self.status != ConnectionStatus::Disconnected {
            return Err(Error::AlreadyInUse);
        }
        self.clear();
        self.last_error.clear();
        let mut ws = self.new_peer();
        ws.connect_to_url_tls(url, options)?;
        self.client = Some(shared(ws));
        self.client_since = Instant::now();
        self.is_server = false;
        self.status = ConnectionStatus::Connecting;
        Ok(())
    }

    /// Ends a peer's connection at once (no close frame) and frees its buffers: a handle lent to C
    /// may keep the object alive, but not its socket.
    fn drop_peer(ws: &Shared<WebSocketPeer>) {
        if let Ok(mut w) = ws.lock() {
            let _ = w.close(-1, "");
            w.release_buffers();
        }
    }

    fn clear(&mut self) {
        self.tcp = None;
        self.tls_server = None;
        self.pending.clear();
        for ws in std::mem::take(&mut self.peers).values() {
            Self::drop_peer(ws);
        }
        if let Some(ws) = self.client.take() {
            Self::drop_peer(&ws);
        }
        self.incoming.clear();
        self.unique_id = 0;
        self.is_server = false;
        self.status = ConnectionStatus::Disconnected;
    }

    /// `get_peer(id)`: the WebSocketPeer of a connected peer (the server for a client: ID 1),
    /// shared with this object. Reading or sending on it bypasses the multiplayer peer.
    pub fn get_peer(&self, id: i32) -> Option<Shared<WebSocketPeer>> {
        if self.is_server {
            self.peers.get(&id).cloned()
        } else if id == TARGET_PEER_SERVER && self.status == ConnectionStatus::Connected {
            self.client.clone()
        } else {
            None
        }
    }
    pub fn get_peer_address(&self, id: i32) -> Option<String> {
        let p = self.get_peer(id)?;
        let g = p.lock().ok()?;
        Some(g.get_connected_host())
    }
    pub fn get_peer_port(&self, id: i32) -> Option<u16> {
        let p = self.get_peer(id)?;
        let g = p.lock().ok()?;
        Some(g.get_connected_port())
    }
    /// Connections accepted but not yet through the handshake (beyond the engine; each is dropped
    /// once `handshake_timeout` has passed since its TCP accept).
    pub fn get_pending_count(&self) -> usize {
        self.pending.len()
    }

    /// IDs of the connected peers, ascending.
    pub fn peer_ids(&self) -> Vec<i32> {
        self.peers.keys().copied().collect()
    }

    /// Moves one peer's messages into the FIFO (all of them when `all`, else while there is room).
    fn drain(
        incoming: &mut VecDeque<(i32, Vec<u8>)>,
        id: i32,
        ws: &mut WebSocketPeer,
        cap: usize,
        all: bool,
    ) {
        while ws.get_available_packet_count() > 0 && (all || incoming.len() < cap) {
            match ws.get_packet() {
                Ok(p) if !p.is_empty() => incoming.push_back((id, p.to_vec())),
                Ok(_) => {}
                Err(_) => break,
            }
        }
    }

    fn poll_server(&mut self) {
        let cap = self.template.cfg.max_queued;
        if !self.mp.refuse_new_connections {
            // At most a bounded number of accepts per poll.
            for _ in 0..64 {
                let Some(tcp) = self.tcp.as_mut().and_then(|t| t.take_connection()) else {
                    break;
                };
                let mut ws = self.new_peer();
                let started = match &self.tls_server {
                    None => ws.accept_tcp(tcp),
                    Some(o) => {
                        TlsWsStream::server(tcp, o).and_then(|s| ws.accept_stream(Box::new(s)))
                    }
                };
                if started.is_ok() {
                    self.pending.push(Pending {
                        id: generate_unique_id(),
                        ws,
                        since: Instant::now(),
                    });
                }
            }
        }
        let timeout = self.handshake_timeout;
        let refusing = self.mp.refuse_new_connections;
        let mut i = 0;
        while i < self.pending.len() {
            let p = &mut self.pending[i];
            p.ws.poll();
            match p.ws.get_ready_state() {
                State::Open if refusing => {
                    self.pending.swap_remove(i);
                }
                State::Open => {
                    let mut p = self.pending.swap_remove(i);
                    let sent = if self.godot3 {
                        self.g3_welcome(&mut p)
                    } else {
                        p.ws.send(&p.id.to_le_bytes(), WriteMode::Binary)
                    };
                    if sent.is_ok() {
                        p.ws.poll();
                        let _ = self.mp.events.push(MultiplayerEvent::PeerConnected(p.id));
                        self.peers.insert(p.id, shared(p.ws));
                    }
                }
                State::Connecting if p.since.elapsed() <= timeout => i += 1,
                _ => {
                    self.pending.swap_remove(i);
                }
            }
        }
        let mut gone = Vec::new();
        let mut relay: Vec<(i32, i32, Vec<u8>)> = Vec::new();
        for (&id, ws) in self.peers.iter() {
            // Another thread using the peer's lent handle: wait for it (no callbacks run here, so
            // this thread never holds it).
            let Ok(mut ws) = ws.lock() else { continue };
            ws.poll();
            let open = ws.get_ready_state() == State::Open;
            if self.godot3 {
                Self::g3_server_drain(&mut self.incoming, &mut relay, id, &mut ws, cap, !open);
            } else {
                Self::drain(&mut self.incoming, id, &mut ws, cap, !open);
            }
            if !open {
                gone.push(id);
            }
        }
        for (sender, to, msg) in relay {
            for (&id, ws) in self.peers.iter() {
                let hit = match to {
                    0 => id != sender,
                    t if t < 0 => id != sender && id != -t,
                    t => id == t,
                };
                if hit {
                    if let Ok(mut ws) = ws.lock() {
                        let _ = ws.send(&msg, WriteMode::Binary);
                    }
                }
            }
        }
        for id in gone {
            if let Some(ws) = self.peers.remove(&id) {
                if let Ok(mut ws) = ws.lock() {
                    ws.release_buffers();
                }
            }
            if self.godot3 {
                let del = g3_sys(SYS_DEL, id);
                for ws in self.peers.values() {
                    if let Ok(mut ws) = ws.lock() {
                        let _ = ws.send(&del, WriteMode::Binary);
                    }
                }
            }
            let _ = self.mp.events.push(MultiplayerEvent::PeerDisconnected(id));
        }
    }

    /// Godot 3: SYS_ID(new) and SYS_ADD(1) to the new client, then SYS_ADD of each other client to it
    /// and SYS_ADD(new) to each of them.
    fn g3_welcome(&mut self, p: &mut Pending) -> Result<()> {
        p.ws.send(&g3_sys(SYS_ID, p.id), WriteMode::Binary)?;
        p.ws.send(&g3_sys(SYS_ADD, 1), WriteMode::Binary)?;
        for (&other, ws) in self.peers.iter() {
            p.ws.send(&g3_sys(SYS_ADD, other), WriteMode::Binary)?;
            if let Ok(mut ws) = ws.lock() {
                let _ = ws.send(&g3_sys(SYS_ADD, p.id), WriteMode::Binary);
            }
        }
        Ok(())
    }

    /// Godot 3 server: keeps what is addressed to it (to 1, 0, or any "all but N"), queues relays.
    fn g3_server_drain(
        incoming: &mut VecDeque<(i32, Vec<u8>)>,
        relay: &mut Vec<(i32, i32, Vec<u8>)>,
        id: i32,
        ws: &mut WebSocketPeer,
        cap: usize,
        all: bool,
    ) {
        while ws.get_available_packet_count() > 0 && (all || incoming.len() < cap) {
            let Ok(m) = ws.get_packet() else { break };
            let Some((kind, from, to)) = g3_header(m) else {
                continue;
            };
            if kind != SYS_NONE || from != id {
                continue;
            }
            if to == 1 || to <= 0 {
                incoming.push_back((id, m[G3_HEADER..].to_vec()));
            }
            if to != 1 {
                relay.push((id, to, m.to_vec()));
            }
        }
    }

    fn poll_client(&mut self) {
        let cap = self.template.cfg.max_queued;
        let Some(shared_ws) = self.client.clone() else {
            return;
        };
        let end = {
            let Ok(mut ws) = shared_ws.lock() else { return };
            ws.poll();
            if self.godot3 {
                self.g3_poll_client(&mut ws, cap)
            } else {
                self.g4_poll_client(&mut ws, cap)
            }
        };
        // The client's lock is released: `clear` closes it.
        match end {
            ClientEnd::Running => {}
            ClientEnd::Reset(why) => {
                self.clear();
                self.last_error = why;
            }
            ClientEnd::Lost(why) => {
                let incoming = std::mem::take(&mut self.incoming);
                self.clear();
                self.incoming = incoming;
                self.last_error = why;
                let _ = self
                    .mp
                    .events
                    .push(MultiplayerEvent::PeerDisconnected(TARGET_PEER_SERVER));
            }
        }
    }

    /// Why a connecting client gives up, if it does: its connection closed, or no ID in time.
    fn connect_failure(&self, ws: &WebSocketPeer) -> Option<String> {
        if ws.get_ready_state() == State::Closed {
            let why = ws.get_last_error_text();
            Some(if why.is_empty() {
                "the connection closed before the server sent an ID".into()
            } else {
                why.to_owned()
            })
        } else if self.client_since.elapsed() > self.handshake_timeout {
            let why = ws.get_last_error_text();
            Some(if why.is_empty() {
                "not connected within handshake_timeout".into()
            } else {
                format!("not connected within handshake_timeout: {why}")
            })
        } else {
            None
        }
    }

    fn lost_reason(ws: &WebSocketPeer) -> String {
        match ws.get_last_error_text() {
            "" => format!(
                "the server closed the connection (close code {})",
                ws.get_close_code()
            ),
            why => why.to_owned(),
        }
    }

    fn g4_poll_client(&mut self, ws: &mut WebSocketPeer, cap: usize) -> ClientEnd {
        if self.status == ConnectionStatus::Connecting {
            if ws.get_ready_state() == State::Open && ws.get_available_packet_count() > 0 {
                let id = match ws.get_packet() {
                    Ok(p) if p.len() == 4 => i32::from_le_bytes([p[0], p[1], p[2], p[3]]),
                    _ => 0,
                };
                if id < 2 {
                    let _ = ws.close(1000, "");
                    return ClientEnd::Reset("the server's first message is not an ID".into());
                }
                self.unique_id = id;
                self.status = ConnectionStatus::Connected;
                let _ = self
                    .mp
                    .events
                    .push(MultiplayerEvent::PeerConnected(TARGET_PEER_SERVER));
            } else if let Some(why) = self.connect_failure(ws) {
                return ClientEnd::Reset(why);
            } else {
                return ClientEnd::Running;
            }
        }
        let open = ws.get_ready_state() == State::Open;
        Self::drain(&mut self.incoming, TARGET_PEER_SERVER, ws, cap, !open);
        if open {
            ClientEnd::Running
        } else {
            ClientEnd::Lost(Self::lost_reason(ws))
        }
    }

    /// Godot 3 client: SYS_ID sets the ID, SYS_ADD / SYS_DEL become events (SYS_ADD(1) makes the
    /// client CONNECTED), SYS_NONE messages are packets from their `from`.
    fn g3_poll_client(&mut self, ws: &mut WebSocketPeer, cap: usize) -> ClientEnd {
        let open = ws.get_ready_state() == State::Open;
        while ws.get_available_packet_count() > 0 && (!open || self.incoming.len() < cap) {
            let Ok(m) = ws.get_packet() else { break };
            let Some((kind, from, _to)) = g3_header(m) else {
                continue;
            };
            let about = match m.get(G3_HEADER..G3_HEADER + 4) {
                Some(b) => i32::from_le_bytes([b[0], b[1], b[2], b[3]]),
                None => 0,
            };
            match kind {
                SYS_NONE if self.status == ConnectionStatus::Connected => {
                    self.incoming.push_back((from, m[G3_HEADER..].to_vec()))
                }
                SYS_ID if about >= 2 => self.unique_id = about,
                SYS_ADD if about >= 1 => {
                    if about == TARGET_PEER_SERVER && self.unique_id >= 2 {
                        self.status = ConnectionStatus::Connected;
                    }
                    let _ = self.mp.events.push(MultiplayerEvent::PeerConnected(about));
                }
                SYS_DEL if about >= 1 => {
                    let _ = self
                        .mp
                        .events
                        .push(MultiplayerEvent::PeerDisconnected(about));
                }
                _ => {}
            }
        }
        if self.status == ConnectionStatus::Connecting {
            if let Some(why) = self.connect_failure(ws) {
                return ClientEnd::Reset(why);
            }
        } else if ws.get_ready_state() != State::Open {
            return ClientEnd::Lost(Self::lost_reason(ws));
        }
        ClientEnd::Running
    }
}

/// What a client's poll found.
enum ClientEnd {
    Running,
    /// Never got connected (refused, closed, timed out): back to DISCONNECTED, no event; why.
    Reset(String),
    /// The connection to the server ended: DISCONNECTED with `peer_disconnected(1)`; the packets
    /// already received stay readable; why.
    Lost(String),
}

impl PacketPeer for WebSocketMultiplayerPeer {
    fn get_available_packet_count(&mut self) -> i32 {
        self.incoming.len().min(i32::MAX as usize) as i32
    }

    fn get_packet(&mut self) -> Result<&[u8]> {
        match self.incoming.pop_front() {
            Some((_, p)) => {
                self.current = p;
                self.base.set_packet_error(None);
                Ok(&self.current)
            }
            None => {
                self.base.set_packet_error(Some(Error::Unavailable));
                Err(Error::Unavailable)
            }
        }
    }

    /// CONNECTED required (else ERR_UNCONFIGURED). Server: to the target (ERR_INVALID_PARAMETER for
    /// an unknown peer); broadcast / all-but-N try every peer and return the last error. Client:
    /// always to the server.
    fn put_packet(&mut self, data: &[u8]) -> Result<()> {
        if self.status != ConnectionStatus::Connected {
            return Err(Error::Unconfigured);
        }
        let framed;
        let data = if self.godot3 {
            framed = g3_msg(SYS_NONE, self.unique_id, self.target, data);
            &framed[..]
        } else {
            data
        };
        if !self.is_server {
            return match self.client.as_ref() {
                Some(ws) => ws.lock()?.send(data, WriteMode::Binary),
                None => Err(Error::Unconfigured),
            };
        }
        match Target::parse(self.target)? {
            Target::Peer(id) => match self.peers.get(&id) {
                Some(ws) => ws.lock()?.send(data, WriteMode::Binary),
                None => Err(Error::InvalidParameter),
            },
            t => {
                let mut r = Ok(());
                for (&id, ws) in self.peers.iter() {
                    if t.includes(id) {
                        if let Err(e) = ws.lock().and_then(|mut w| w.send(data, WriteMode::Binary))
                        {
                            r = Err(e);
                        }
                    }
                }
                r
            }
        }
    }

    /// `outbound_buffer_size − 9` (the engine's leftover of Godot 3's header).
    fn get_max_packet_size(&self) -> i32 {
        self.template.get_outbound_buffer_size() - 9
    }

    fn base(&self) -> &PeerBase {
        &self.base
    }
    fn base_mut(&mut self) -> &mut PeerBase {
        &mut self.base
    }
}

impl MultiplayerPeer for WebSocketMultiplayerPeer {
    fn mp_base(&self) -> &MultiplayerBase {
        &self.mp
    }
    fn mp_base_mut(&mut self) -> &mut MultiplayerBase {
        &mut self.mp
    }
    fn set_target_peer(&mut self, target: i32) -> Result<()> {
        Target::parse(target)?;
        self.target = target;
        Ok(())
    }
    fn get_packet_peer(&self) -> i32 {
        self.incoming.front().map(|p| p.0).unwrap_or(0)
    }
    /// Always RELIABLE (transfer modes are ignored on send).
    fn get_packet_mode(&self) -> Result<TransferMode> {
        Ok(TransferMode::Reliable)
    }
    fn get_packet_channel(&self) -> i32 {
        0
    }
    fn poll(&mut self) -> Result<()> {
        if self.status == ConnectionStatus::Disconnected {
            return Err(Error::Unconfigured);
        }
        if self.is_server {
            self.poll_server();
        } else {
            self.poll_client();
        }
        Ok(())
    }
    fn close(&mut self) -> Result<()> {
        self.clear();
        Ok(())
    }
    /// Sends close 1000 (the peer leaves at the next `poll`, with `peer_disconnected`); with `force`
    /// the peer is forgotten at once (client: full reset), no event.
    fn disconnect_peer(&mut self, peer: i32, force: bool) -> Result<()> {
        if !self.is_server {
            if peer != TARGET_PEER_SERVER || self.client.is_none() {
                return Err(Error::InvalidParameter);
            }
            if force {
                self.clear();
            } else if let Some(ws) = self.client.as_ref() {
                ws.lock()?.close(1000, "")?;
            }
            return Ok(());
        }
        if force {
            let ws = self.peers.remove(&peer).ok_or(Error::InvalidParameter)?;
            Self::drop_peer(&ws);
            return Ok(());
        }
        match self.peers.get(&peer) {
            Some(ws) => ws.lock()?.close(1000, ""),
            None => Err(Error::InvalidParameter),
        }
    }
    fn get_unique_id(&self) -> Result<i32> {
        Ok(self.unique_id)
    }
    fn is_server(&self) -> bool {
        self.is_server
    }
    fn get_connection_status(&self) -> Result<ConnectionStatus> {
        Ok(self.status)
    }
    /// True with Godot 4's protocol (SceneMultiplayer relays); false in Godot 3 mode (the server
    /// relays itself).
    fn is_server_relay_supported(&self) -> bool {
        !self.godot3
    }
}
