//! Godot's `ENetMultiplayerPeer` (`docs/classes.md` §17): a MultiplayerPeer over ENet in server, client or mesh
//! mode, wire compatible with Godot/Redot 4.
//!
//! Wire behaviour (what a Godot peer observes):
//! - a client draws its ID with [`generate_unique_id`] and sends it as the ENet connect data; it asks
//!   for `channel_count + 2` channels (255 when `channel_count` is 0);
//! - ENet channel 0 carries RELIABLE, channel 1 both unreliable modes, channel N + 1 user channel N;
//! - packet flags: RELIABLE → 1, UNRELIABLE_ORDERED → 8 (unreliable fragment), UNRELIABLE → 2 | 8;
//! - no header of our own: the payload is exactly what `put_packet` got; the server is ID 1.
//!
//! Differences from the engine (none visible to a Godot peer except through ENet flow control):
//! - `create_server(port, max_clients, max_channels, in_bw, out_bw)` uses the intended mapping (host
//!   channel limit `max_channels + 2`, or 255 for 0; bandwidths as given). The engine shifts its
//!   arguments (channel limit 255, incoming bandwidth `max_channels + 2`, `in_bandwidth` ignored).
//! - connect data above 2^31−1 is refused like IDs < 2 and duplicates (the engine would admit a
//!   negative ID).
//! - a broadcast (target 0) goes to the admitted peers; the engine hands it to every ENet-connected
//!   peer of the host, which includes a peer whose CONNECT the next `poll` has not processed yet.
//! - `add_mesh_peer` refuses an ID < 1 or one already in use (the engine silently replaces it).
//! - the packet queue is bounded: while [`MAX_QUEUED_PACKETS`] packets or [`MAX_QUEUED_BYTES`] bytes
//!   wait unread, `poll` takes nothing new from the network and returns `ERR_BUSY` (ENet keeps the
//!   data, within its own limits, until the queue is read).
//! - methods that only print an error in the engine return one here (`ERR_UNCONFIGURED` when
//!   inactive, `ERR_INVALID_PARAMETER` for an unknown peer).
//!
//! **Godot 3 mode** (opt-in, [`ENetMultiplayerPeer::set_godot3_compat`]; `docs/godot3-multiplayer.md`
//! §1): speaks Godot 3.x's `NetworkedMultiplayerENet` instead. Every data packet carries an 8-byte
//! `[u32 source id][i32 target id]` header; ENet channel 0 carries the server's config messages
//! (`[u32 SYSMSG_ADD_PEER = 0 | SYSMSG_REMOVE_PEER = 1][u32 id]`, reliable), channel 1 RELIABLE
//! (flag 1), channel 2 both unreliable modes (UNRELIABLE: UNSEQUENCED 2, UNRELIABLE_ORDERED: 0), user
//! channel N ENet channel N + 2; hosts use `3 + channels` ENet channels (3 by default, Godot 3's
//! `channel_count`). Clients send everything to the server with the real target in the header; the
//! server relays client-to-client packets, broadcasts (target 0) and "all but N" (−N) by that target,
//! announces joining and leaving clients to the others with ADD/REMOVE, and drops a packet whose
//! source field is not its sender's ID. Clients learn the other clients from ADD/REMOVE
//! (`peer_connected` / `peer_disconnected`) and may target them. Connect data = the client's ID, as
//! in Godot 4; `close` sends its own ID as the disconnect data. What Godot 3 drops (a packet shorter
//! than 8 bytes, a spoofed source, a config message reaching a server, a relay to an unknown ID) is
//! dropped here too and counted ([`ENetMultiplayerPeer::dropped_packets`]). Differences: the server
//! relay is always on (Godot 3's `server_relay` property defaults to on); `always_ordered` is off
//! (Godot 3's default).
#![forbid(unsafe_code)]

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Arc;

use super::connection::{
    ConnectFailure, ENetConnection, EventType, ServiceEvent, SharedPacketPeer,
};
use super::host::{
    PeerState, PACKET_FLAG_RELIABLE, PACKET_FLAG_UNRELIABLE_FRAGMENT, PACKET_FLAG_UNSEQUENCED,
};
use crate::error::{Error, Result};
use crate::multiplayer::{
    generate_unique_id, ConnectionStatus, MultiplayerBase, MultiplayerEvent, MultiplayerPeer,
    Target, TransferMode,
};
use crate::peer::{PacketPeer, PeerBase};
use crate::sync::{shared, Lock, LockGuard, Shared};

/// An ENetConnection shared between its users (Godot's `Ref<ENetConnection>`).
pub type SharedConnection = Shared<ENetConnection>;

/// `get_max_packet_size()`.
pub const MAX_PACKET_SIZE: i32 = 16_777_216;
/// ENet channel of RELIABLE on transfer channel 0.
pub const SYSCH_RELIABLE: i32 = 0;
/// ENet channel of both unreliable modes on transfer channel 0.
pub const SYSCH_UNRELIABLE: i32 = 1;
/// ENet channels reserved before the user channels.
pub const SYSCH_MAX: i32 = 2;
/// Unread packets above which `poll` stops taking packets from the network (`ERR_BUSY`).
pub const MAX_QUEUED_PACKETS: usize = 65_536;
/// Unread bytes above which `poll` stops taking packets from the network (`ERR_BUSY`).
pub const MAX_QUEUED_BYTES: usize = 64 * 1024 * 1024;

/// Godot 3 mode (`docs/godot3-multiplayer.md` §1): ENet channel of the server's config messages.
pub const G3_SYSCH_CONFIG: i32 = 0;
/// Godot 3 mode: ENet channel of RELIABLE on transfer channel 0.
pub const G3_SYSCH_RELIABLE: i32 = 1;
/// Godot 3 mode: ENet channel of both unreliable modes on transfer channel 0.
pub const G3_SYSCH_UNRELIABLE: i32 = 2;
/// Godot 3 mode: ENet channels reserved before the user channels (Godot 3's default `channel_count`).
pub const G3_SYSCH_MAX: i32 = 3;
/// Godot 3 mode: config message announcing a peer.
pub const G3_SYSMSG_ADD_PEER: u32 = 0;
/// Godot 3 mode: config message announcing a peer left.
pub const G3_SYSMSG_REMOVE_PEER: u32 = 1;
/// Godot 3 mode: bytes of the `[u32 source][i32 target]` header of every data packet.
pub const G3_HEADER: usize = 8;

/// Godot 3 mode: the ENet channel and packet flags of a send (`always_ordered` off, Godot 3's default).
pub fn g3_channel_and_flags(mode: TransferMode, transfer_channel: i32) -> (i32, u32) {
    let (channel, flags) = match mode {
        TransferMode::Unreliable => (G3_SYSCH_UNRELIABLE, PACKET_FLAG_UNSEQUENCED),
        TransferMode::UnreliableOrdered => (G3_SYSCH_UNRELIABLE, 0),
        TransferMode::Reliable => (G3_SYSCH_RELIABLE, PACKET_FLAG_RELIABLE),
    };
    if transfer_channel > 0 {
        (G3_SYSCH_MAX + transfer_channel - 1, flags)
    } else {
        (channel, flags)
    }
}

/// Godot 3 mode: the transfer channel of a packet received on ENet channel `channel`.
pub fn g3_transfer_channel_of(channel: i32) -> i32 {
    if channel >= G3_SYSCH_MAX {
        channel - G3_SYSCH_MAX + 1
    } else {
        0
    }
}

fn g3_frame(source: i32, target: i32, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(G3_HEADER + payload.len());
    v.extend_from_slice(&(source as u32).to_le_bytes());
    v.extend_from_slice(&target.to_le_bytes());
    v.extend_from_slice(payload);
    v
}

fn g3_u32(b: &[u8], at: usize) -> Option<u32> {
    let w = b.get(at..at + 4)?;
    Some(u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
}

/// ENet never calls out to C, so its objects cannot be re-entered while it holds them.
fn lock<T: ?Sized>(m: &Lock<T>) -> LockGuard<'_, T> {
    m.lock_no_callout()
}

/// The ENet channel and packet flags a send with this mode and transfer channel uses.
pub fn channel_and_flags(mode: TransferMode, transfer_channel: i32) -> (i32, u32) {
    let (channel, flags) = match mode {
        TransferMode::Unreliable => (
            SYSCH_UNRELIABLE,
            PACKET_FLAG_UNSEQUENCED | PACKET_FLAG_UNRELIABLE_FRAGMENT,
        ),
        TransferMode::UnreliableOrdered => (SYSCH_UNRELIABLE, PACKET_FLAG_UNRELIABLE_FRAGMENT),
        TransferMode::Reliable => (SYSCH_RELIABLE, PACKET_FLAG_RELIABLE),
    };
    if transfer_channel > 0 {
        (SYSCH_MAX + transfer_channel - 1, flags)
    } else {
        (channel, flags)
    }
}

/// The transfer mode a received packet's ENet flags stand for.
pub fn mode_from_flags(flags: u32) -> TransferMode {
    if flags & PACKET_FLAG_RELIABLE != 0 {
        TransferMode::Reliable
    } else if flags & PACKET_FLAG_UNSEQUENCED != 0 {
        TransferMode::Unreliable
    } else {
        TransferMode::UnreliableOrdered
    }
}

/// The transfer channel of a packet received on ENet channel `channel`.
pub fn transfer_channel_of(channel: i32) -> i32 {
    if channel >= SYSCH_MAX {
        channel - SYSCH_MAX + 1
    } else {
        0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    None,
    Server,
    Client,
    Mesh,
}

#[derive(Debug)]
struct Incoming {
    data: Vec<u8>,
    from: i32,
    channel: i32,
    mode: TransferMode,
}

fn key(p: &SharedPacketPeer) -> usize {
    Arc::as_ptr(p) as *const () as usize
}

/// Godot's `ENetMultiplayerPeer`. See the module docs for the wire rules and the differences from
/// the engine.
pub struct ENetMultiplayerPeer {
    base: PeerBase,
    mp: MultiplayerBase,
    mode: Mode,
    unique_id: i32,
    target_peer: i32,
    status: ConnectionStatus,
    /// `None` = `"*"`.
    bind_ip: Option<IpAddr>,
    /// Server/client: key 0. Mesh: one host per peer, keyed by the peer ID.
    hosts: BTreeMap<i32, SharedConnection>,
    peers: BTreeMap<i32, SharedPacketPeer>,
    /// Peer object -> ID, to name the sender of each received packet.
    ids: HashMap<usize, i32>,
    incoming: VecDeque<Incoming>,
    incoming_bytes: usize,
    /// (packets, bytes) above which `poll` takes nothing new.
    queue_limits: (usize, usize),
    current: Vec<u8>,
    /// Godot 3 mode (`docs/godot3-multiplayer.md` §1).
    godot3: bool,
    /// Godot 3 client: the other clients the server announced (ADD_PEER, not yet REMOVE_PEER).
    g3_remotes: BTreeSet<i32>,
    /// Packets dropped by the Godot 3 rules (see [`ENetMultiplayerPeer::dropped_packets`]).
    dropped: u64,
    /// See [`ENetMultiplayerPeer::get_last_error_text`].
    last_error: String,
}

impl std::fmt::Debug for ENetMultiplayerPeer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ENetMultiplayerPeer")
            .field("mode", &self.mode)
            .field("unique_id", &self.unique_id)
            .field("status", &self.status)
            .field("peers", &self.peers.keys().collect::<Vec<_>>())
            .field("queued", &self.incoming.len())
            .finish()
    }
}

impl Default for ENetMultiplayerPeer {
    fn default() -> Self {
        ENetMultiplayerPeer::new()
    }
}

impl Drop for ENetMultiplayerPeer {
    /// Like the engine's destructor: remote peers get an immediate DISCONNECT.
    fn drop(&mut self) {
        let _ = self.close();
    }
}

impl ENetMultiplayerPeer {
    pub fn new() -> ENetMultiplayerPeer {
        ENetMultiplayerPeer {
            base: PeerBase::default(),
            mp: MultiplayerBase::default(),
            mode: Mode::None,
            unique_id: 0,
            target_peer: 0,
            status: ConnectionStatus::Disconnected,
            bind_ip: None,
            hosts: BTreeMap::new(),
            peers: BTreeMap::new(),
            ids: HashMap::new(),
            incoming: VecDeque::new(),
            incoming_bytes: 0,
            queue_limits: (MAX_QUEUED_PACKETS, MAX_QUEUED_BYTES),
            current: Vec::new(),
            godot3: false,
            g3_remotes: BTreeSet::new(),
            dropped: 0,
            last_error: String::new(),
        }
    }

    /// Why the last `create_*` failed (the socket's OS error, the address that did not resolve) or
    /// why this client's connection attempt failed (refused, timed out) or ended; `""` while
    /// nothing failed since the last `create_*`. Beyond the engine, which prints or says nothing.
    pub fn get_last_error_text(&self) -> &str {
        &self.last_error
    }

    /// A host call that failed: keeps the host's reason.
    fn host_failed(&mut self, host: &ENetConnection, e: Error) -> Error {
        self.last_error = host.get_last_error_text().to_string();
        e
    }

    /// Speaks Godot 3.x's `NetworkedMultiplayerENet` (see the module docs) instead of Godot 4's
    /// ENetMultiplayerPeer. Only while inactive (else `ERR_ALREADY_IN_USE`); off by default.
    pub fn set_godot3_compat(&mut self, enabled: bool) -> Result<()> {
        if self.is_active() {
            return Err(Error::AlreadyInUse);
        }
        self.godot3 = enabled;
        Ok(())
    }

    pub fn is_godot3_compat(&self) -> bool {
        self.godot3
    }

    /// Godot 3 mode: packets received and dropped by Godot 3's rules since creation (shorter than
    /// the 8-byte header, a source field that is not the sender's ID, a config message reaching a
    /// server or too short, a relay to an ID the server does not know). Always 0 in Godot 4 mode.
    pub fn dropped_packets(&self) -> u64 {
        self.dropped
    }

    /// ENet channels of the host and of the connect request for `user` user channels.
    fn host_channels(&self, user: i32) -> i32 {
        if self.godot3 {
            G3_SYSCH_MAX + user
        } else if user > 0 {
            user + SYSCH_MAX
        } else {
            0
        }
    }

    fn is_active(&self) -> bool {
        self.mode != Mode::None
    }

    fn bind_text(&self) -> String {
        match self.bind_ip {
            Some(ip) => ip.to_string(),
            None => "*".into(),
        }
    }

    /// `set_bind_ip(ip)`: the address `create_server` (and `create_client` with a local port) binds:
    /// an IP literal or `"*"` (default, all addresses, dual stack). Anything else is
    /// `ERR_INVALID_PARAMETER` (no change).
    pub fn set_bind_ip(&mut self, ip: &str) -> Result<()> {
        if ip == "*" {
            self.bind_ip = None;
            return Ok(());
        }
        self.bind_ip = Some(ip.parse().map_err(|_| Error::InvalidParameter)?);
        Ok(())
    }

    /// `create_server(port, max_clients=32, max_channels=0, in_bandwidth=0, out_bandwidth=0)`.
    ///
    /// `max_channels` user channels (0..=253; 0 = as many as ENet allows) become a host channel limit
    /// of `max_channels + 2` (255 for 0): the intended mapping, not the engine's shifted one (see the
    /// module docs). `ERR_ALREADY_IN_USE` if active; the host's errors otherwise
    /// (`ERR_INVALID_PARAMETER` for a port outside 0..65535, `max_clients` outside 1..4095, a
    /// negative bandwidth or `max_channels` outside 0..253; `ERR_CANT_CREATE` if the bind fails).
    pub fn create_server(
        &mut self,
        port: i32,
        max_clients: i32,
        max_channels: i32,
        in_bandwidth: i32,
        out_bandwidth: i32,
    ) -> Result<()> {
        if self.is_active() {
            return Err(Error::AlreadyInUse);
        }
        let reserved = if self.godot3 { G3_SYSCH_MAX } else { SYSCH_MAX };
        if !(0..=255 - reserved).contains(&max_channels) {
            return Err(Error::InvalidParameter);
        }
        self.set_refuse_new_connections(false)?;
        self.last_error.clear();
        let mut host = ENetConnection::new();
        host.create_host_bound(
            &self.bind_text(),
            port,
            max_clients,
            self.host_channels(max_channels),
            in_bandwidth,
            out_bandwidth,
        )
        .map_err(|e| self.host_failed(&host, e))?;
        self.mode = Mode::Server;
        self.unique_id = 1;
        self.status = ConnectionStatus::Connected;
        self.hosts.insert(0, shared(host));
        Ok(())
    }

    /// `create_client(address, port, channel_count=0, in_bandwidth=0, out_bandwidth=0,
    /// local_port=0)`: draws this peer's ID and starts connecting (status CONNECTING until the ENet
    /// CONNECT arrives in `poll`). The CONNECT carries the ID as its data and asks for
    /// `channel_count + 2` channels (255 for 0).
    ///
    /// `ERR_ALREADY_IN_USE` if active; `ERR_INVALID_PARAMETER` for a negative `channel_count` or the
    /// host's argument errors; `ERR_CANT_CREATE` if the socket cannot be made or the connection cannot
    /// start (port outside 1..65535, unresolvable address, `channel_count` above 253).
    pub fn create_client(
        &mut self,
        address: &str,
        port: i32,
        channel_count: i32,
        in_bandwidth: i32,
        out_bandwidth: i32,
        local_port: i32,
    ) -> Result<()> {
        if self.is_active() {
            return Err(Error::AlreadyInUse);
        }
        if channel_count < 0 {
            return Err(Error::InvalidParameter);
        }
        self.set_refuse_new_connections(false)?;
        self.last_error.clear();
        let mut host = ENetConnection::new();
        let made = if local_port != 0 {
            host.create_host_bound(
                &self.bind_text(),
                local_port,
                1,
                0,
                in_bandwidth,
                out_bandwidth,
            )
        } else {
            host.create_host(1, 0, in_bandwidth, out_bandwidth)
        };
        made.map_err(|e| self.host_failed(&host, e))?;
        let id = generate_unique_id();
        let channels = self.host_channels(channel_count);
        let Some(peer) = host.connect_to_host(address, port, channels, id) else {
            let e = self.host_failed(&host, Error::CantCreate);
            let _ = host.destroy();
            return Err(e);
        };
        self.unique_id = id;
        self.status = ConnectionStatus::Connecting;
        self.mode = Mode::Client;
        self.add_peer(1, peer);
        self.hosts.insert(0, shared(host));
        Ok(())
    }

    /// `create_mesh(unique_id)`: mesh mode, CONNECTED at once; add peers with `add_mesh_peer`.
    /// `ERR_INVALID_PARAMETER` if `unique_id` ≤ 0; `ERR_ALREADY_IN_USE` if active;
    /// `ERR_UNAVAILABLE` in Godot 3 mode (Godot 3 has no mesh mode).
    pub fn create_mesh(&mut self, unique_id: i32) -> Result<()> {
        if unique_id <= 0 {
            return Err(Error::InvalidParameter);
        }
        if self.is_active() {
            return Err(Error::AlreadyInUse);
        }
        if self.godot3 {
            return Err(Error::Unavailable);
        }
        self.mode = Mode::Mesh;
        self.unique_id = unique_id;
        self.status = ConnectionStatus::Connected;
        Ok(())
    }

    /// `add_mesh_peer(peer_id, host)`: adopts `host` (shared, not copied), which must have exactly
    /// one peer, CONNECTED; queues `peer_connected(peer_id)`. `ERR_UNCONFIGURED` unless in mesh mode;
    /// `ERR_INVALID_PARAMETER` for another host shape, an ID < 1 or an ID already in use.
    pub fn add_mesh_peer(&mut self, peer_id: i32, host: SharedConnection) -> Result<()> {
        if self.mode != Mode::Mesh {
            return Err(Error::Unconfigured);
        }
        if peer_id < 1 || self.peers.contains_key(&peer_id) {
            return Err(Error::InvalidParameter);
        }
        let peers = lock(&host).get_peers();
        let [peer] = peers.as_slice() else {
            return Err(Error::InvalidParameter);
        };
        if lock(peer).get_state() != PeerState::Connected {
            return Err(Error::InvalidParameter);
        }
        let peer = peer.clone();
        self.hosts.insert(peer_id, host);
        self.add_peer(peer_id, peer);
        self.emit(MultiplayerEvent::PeerConnected(peer_id));
        Ok(())
    }

    /// `get_peer(id)`: the ENet peer of a remote ID. `None` if inactive, unknown, or (client) not 1.
    pub fn get_peer(&self, id: i32) -> Option<SharedPacketPeer> {
        if !self.is_active() || (self.mode == Mode::Client && id != 1) {
            return None;
        }
        self.peers.get(&id).cloned()
    }

    /// `get_host()`: the ENetConnection of a server or client (shared). `None` if inactive or mesh.
    pub fn get_host(&self) -> Option<SharedConnection> {
        match self.mode {
            Mode::Server | Mode::Client => self.hosts.get(&0).cloned(),
            Mode::None | Mode::Mesh => None,
        }
    }

    /// IDs of the connected (admitted) remote peers, ascending.
    pub fn peer_ids(&self) -> Vec<i32> {
        self.peers.keys().copied().collect()
    }

    fn add_peer(&mut self, id: i32, peer: SharedPacketPeer) {
        self.ids.insert(key(&peer), id);
        self.peers.insert(id, peer);
    }

    fn remove_peer(&mut self, id: i32) -> Option<SharedPacketPeer> {
        let p = self.peers.remove(&id)?;
        self.ids.remove(&key(&p));
        Some(p)
    }

    fn emit(&mut self, ev: MultiplayerEvent) {
        // A full queue records the loss in its overflow marker; nothing more to do here.
        let _ = self.mp.events.push(ev);
    }

    fn queue_full(&self) -> bool {
        self.incoming.len() >= self.queue_limits.0 || self.incoming_bytes >= self.queue_limits.1
    }

    /// Unread packets / bytes above which `poll` takes nothing new from the network and returns
    /// `ERR_BUSY` (defaults [`MAX_QUEUED_PACKETS`], [`MAX_QUEUED_BYTES`]; at least 1 each). One
    /// `poll` may go past them by what one ENet service step delivers.
    pub fn set_queue_limits(&mut self, packets: usize, bytes: usize) {
        self.queue_limits = (packets.max(1), bytes.max(1));
    }

    /// Takes the packet a RECEIVE event left on its peer and queues it from `from` (`None`: a peer
    /// never admitted, the packet is dropped).
    fn receive(&mut self, ev: &ServiceEvent, from: Option<i32>) {
        let Some(p) = &ev.peer else {
            return;
        };
        let Some((channel, packet)) = lock(p).take_packet() else {
            return;
        };
        let Some(from) = from else {
            return;
        };
        self.incoming_bytes += packet.data.len();
        self.incoming.push_back(Incoming {
            mode: mode_from_flags(packet.flags),
            data: packet.data,
            from,
            channel: channel as i32,
        });
    }

    fn id_of(&self, ev: &ServiceEvent) -> Option<i32> {
        ev.peer
            .as_ref()
            .and_then(|p| self.ids.get(&key(p)).copied())
    }

    /// Handles one server event.
    fn server_event(&mut self, ev: ServiceEvent) {
        match ev.kind {
            EventType::Connect => {
                let Some(p) = &ev.peer else {
                    return;
                };
                let id = ev.data;
                if self.mp.refuse_new_connections || id < 2 || self.peers.contains_key(&id) {
                    // Admitted at the ENet level already; dropping it silently is what the engine
                    // does (the remote times out).
                    let _ = lock(p).reset();
                    return;
                }
                let p = p.clone();
                self.add_peer(id, p);
                self.emit(MultiplayerEvent::PeerConnected(id));
                if self.godot3 {
                    self.g3_announce_new(id);
                }
            }
            EventType::Disconnect => {
                if let Some(id) = self.id_of(&ev) {
                    self.remove_peer(id);
                    if self.godot3 {
                        self.g3_announce_gone(id);
                    }
                    self.emit(MultiplayerEvent::PeerDisconnected(id));
                }
            }
            EventType::Receive if self.godot3 => {
                let from = self.id_of(&ev);
                self.g3_server_receive(&ev, from);
            }
            EventType::Receive => {
                let from = self.id_of(&ev);
                self.receive(&ev, from);
            }
            EventType::None | EventType::Error => {}
        }
    }

    /// Handles one client event; true when the peer closed.
    fn client_event(&mut self, ev: ServiceEvent) -> bool {
        match ev.kind {
            EventType::Connect => {
                self.status = ConnectionStatus::Connected;
                self.emit(MultiplayerEvent::PeerConnected(1));
                false
            }
            EventType::Disconnect => {
                let (failure, why) = match &ev.peer {
                    Some(p) => {
                        let p = lock(p);
                        (p.connect_failure(), p.get_last_error_text().to_string())
                    }
                    None => (None, String::new()),
                };
                if self.status == ConnectionStatus::Connected {
                    self.emit(MultiplayerEvent::PeerDisconnected(1));
                } else if self.status == ConnectionStatus::Connecting {
                    // Say why instead of a silent DISCONNECTED.
                    self.emit(match failure {
                        Some(ConnectFailure::Refused) => MultiplayerEvent::ConnectRefused(1),
                        Some(ConnectFailure::TimedOut) | None => {
                            MultiplayerEvent::ConnectTimedOut(1)
                        }
                    });
                }
                let _ = self.close();
                self.last_error = why;
                true
            }
            EventType::Receive if self.godot3 => {
                self.g3_client_receive(&ev);
                false
            }
            EventType::Receive => {
                self.receive(&ev, Some(1));
                false
            }
            EventType::None | EventType::Error => false,
        }
    }

    /// Handles one event of the mesh host of `id`.
    fn mesh_event(&mut self, id: i32, ev: ServiceEvent) {
        match ev.kind {
            EventType::Connect => {
                if let Some(p) = &ev.peer {
                    let _ = lock(p).reset();
                }
            }
            EventType::Disconnect | EventType::Error => self.drop_mesh_peer(id),
            EventType::Receive => self.receive(&ev, Some(id)),
            EventType::None => {}
        }
    }

    fn drop_mesh_peer(&mut self, id: i32) {
        if self.remove_peer(id).is_some() {
            self.emit(MultiplayerEvent::PeerDisconnected(id));
        }
        self.hosts.remove(&id);
    }

    /// Services the host at `key` once and drains its queued events. False when the peer closed.
    fn service_host(&mut self, key: i32) -> bool {
        let Some(host) = self.hosts.get(&key).cloned() else {
            return true;
        };
        let mut ev = lock(&host).service(0);
        loop {
            match (ev.kind, self.mode) {
                (EventType::None, _) => return true,
                (EventType::Error, Mode::Server | Mode::Client) => {
                    let _ = self.close();
                    return false;
                }
                (_, Mode::Server) => self.server_event(ev),
                (_, Mode::Client) => {
                    if self.client_event(ev) {
                        return false;
                    }
                }
                (kind, Mode::Mesh) => {
                    self.mesh_event(key, ev);
                    if matches!(kind, EventType::Disconnect | EventType::Error) {
                        return true;
                    }
                }
                (_, Mode::None) => return false,
            }
            ev = lock(&host).check_events();
        }
    }
}

/// Godot 3 mode (`docs/godot3-multiplayer.md` §1).
impl ENetMultiplayerPeer {
    fn g3_drop(&mut self) {
        self.dropped = self.dropped.saturating_add(1);
    }

    /// Sends a config message on channel 0 (reliable) to `to`.
    fn g3_config(&self, to: i32, msg: u32, about: i32) {
        if let Some(p) = self.peers.get(&to) {
            let mut m = [0u8; 8];
            m[..4].copy_from_slice(&msg.to_le_bytes());
            m[4..].copy_from_slice(&(about as u32).to_le_bytes());
            let _ = lock(p).send(G3_SYSCH_CONFIG, &m, PACKET_FLAG_RELIABLE as i32);
        }
    }

    /// Server: ADD_PEER of every other client to the new one and of the new one to every other.
    fn g3_announce_new(&mut self, id: i32) {
        let others: Vec<i32> = self.peers.keys().copied().filter(|&o| o != id).collect();
        for o in others {
            self.g3_config(id, G3_SYSMSG_ADD_PEER, o);
            self.g3_config(o, G3_SYSMSG_ADD_PEER, id);
        }
    }

    /// Server: REMOVE_PEER of a client that left to every remaining one.
    fn g3_announce_gone(&mut self, id: i32) {
        let others: Vec<i32> = self.peers.keys().copied().filter(|&o| o != id).collect();
        for o in others {
            self.g3_config(o, G3_SYSMSG_REMOVE_PEER, id);
        }
    }

    fn g3_queue(&mut self, from: i32, channel: u8, flags: u32, mut data: Vec<u8>) {
        data.drain(..G3_HEADER);
        self.incoming_bytes += data.len();
        self.incoming.push_back(Incoming {
            mode: mode_from_flags(flags),
            data,
            from,
            channel: channel as i32,
        });
    }

    /// Server: one received packet, by Godot 3's rules (the module docs).
    fn g3_server_receive(&mut self, ev: &ServiceEvent, from: Option<i32>) {
        let Some(p) = &ev.peer else {
            return;
        };
        let Some((channel, packet)) = lock(p).take_packet() else {
            return;
        };
        let Some(from) = from else {
            return; // never admitted, as in Godot 4 mode
        };
        if channel as i32 == G3_SYSCH_CONFIG || packet.data.len() < G3_HEADER {
            return self.g3_drop();
        }
        let source = g3_u32(&packet.data, 0).unwrap_or(0);
        let target = g3_u32(&packet.data, 4).unwrap_or(0) as i32;
        if source != from as u32 {
            return self.g3_drop();
        }
        // Forwarded as received: header included, same channel, same delivery flags.
        let flags = packet.flags & (PACKET_FLAG_RELIABLE | PACKET_FLAG_UNSEQUENCED);
        let relay = |peers: &BTreeMap<i32, SharedPacketPeer>, to: i32| {
            if let Some(p) = peers.get(&to) {
                let _ = lock(p).send(channel as i32, &packet.data, flags as i32);
            }
        };
        let keep = match target {
            1 => true,
            0 => {
                for &to in self.peers.keys().filter(|&&to| to != from) {
                    relay(&self.peers, to);
                }
                true
            }
            t if t < 0 => {
                let except = t.unsigned_abs();
                for &to in self
                    .peers
                    .keys()
                    .filter(|&&to| to != from && to as u32 != except)
                {
                    relay(&self.peers, to);
                }
                except != 1
            }
            t => {
                if self.peers.contains_key(&t) {
                    relay(&self.peers, t);
                } else {
                    self.g3_drop();
                }
                false
            }
        };
        if keep {
            self.g3_queue(from, channel, packet.flags, packet.data);
        }
    }

    /// Client: config messages become events; data packets come from their source field.
    fn g3_client_receive(&mut self, ev: &ServiceEvent) {
        let Some(p) = &ev.peer else {
            return;
        };
        let Some((channel, packet)) = lock(p).take_packet() else {
            return;
        };
        let (Some(a), Some(b)) = (g3_u32(&packet.data, 0), g3_u32(&packet.data, 4)) else {
            return self.g3_drop();
        };
        if channel as i32 != G3_SYSCH_CONFIG {
            return self.g3_queue(a as i32, channel, packet.flags, packet.data);
        }
        let id = b as i32;
        match a {
            G3_SYSMSG_ADD_PEER if id > 1 && self.g3_remotes.insert(id) => {
                self.emit(MultiplayerEvent::PeerConnected(id));
            }
            G3_SYSMSG_REMOVE_PEER if self.g3_remotes.remove(&id) => {
                self.emit(MultiplayerEvent::PeerDisconnected(id));
            }
            _ => self.g3_drop(),
        }
    }

    /// `put_packet` in Godot 3 mode: the header, then the server sends by target, a client to the
    /// server (which relays). A target that is not 0 and not a known peer is `ERR_INVALID_PARAMETER`.
    fn g3_put_packet(&mut self, target: Target, data: &[u8]) -> Result<()> {
        let t = self.target_peer;
        let known = match self.mode {
            Mode::Client => t.abs() == 1 || self.g3_remotes.contains(&t.abs()),
            _ => self.peers.contains_key(&t.abs()),
        };
        if t != 0 && !known {
            return Err(Error::InvalidParameter);
        }
        let (channel, flags) =
            g3_channel_and_flags(self.mp.transfer_mode, self.mp.transfer_channel);
        let frame = g3_frame(self.unique_id, t, data);
        let send = |p: &SharedPacketPeer| {
            let _ = lock(p).send(channel, &frame, flags as i32);
        };
        match self.mode {
            Mode::Server => {
                for id in target.select(self.peers.keys()) {
                    if let Some(p) = self.peers.get(&id) {
                        send(p);
                    }
                }
            }
            Mode::Client => {
                if let Some(p) = self.peers.get(&1) {
                    send(p);
                }
            }
            // Godot 3 has no mesh mode (`create_mesh` refuses it).
            Mode::Mesh | Mode::None => return Err(Error::Unconfigured),
        }
        if let Some(h) = self.hosts.get(&0) {
            let _ = lock(h).flush();
        }
        Ok(())
    }

    /// Server `disconnect_peer` in Godot 3 mode: `force` disconnects at once, tells the other
    /// clients (REMOVE_PEER) and queues `peer_disconnected` now, as Godot 3's `now`; otherwise a
    /// graceful disconnect after the queued packets (`peer_disconnected` follows from `poll`).
    fn g3_disconnect_peer(&mut self, peer: i32, force: bool) -> Result<()> {
        let Some(p) = self.peers.get(&peer).cloned() else {
            return Err(Error::InvalidParameter);
        };
        if force {
            let _ = lock(&p).peer_disconnect_now(0);
            self.remove_peer(peer);
            self.g3_announce_gone(peer);
            self.emit(MultiplayerEvent::PeerDisconnected(peer));
        } else {
            let _ = lock(&p).peer_disconnect_later(0);
        }
        if let Some(h) = self.hosts.get(&0) {
            let _ = lock(h).flush();
        }
        Ok(())
    }
}

impl PacketPeer for ENetMultiplayerPeer {
    fn get_available_packet_count(&mut self) -> i32 {
        self.incoming.len().min(i32::MAX as usize) as i32
    }

    /// `ERR_UNAVAILABLE` when nothing is queued. The slice lives until the next call on this peer.
    fn get_packet(&mut self) -> Result<&[u8]> {
        let p = self.incoming.pop_front().ok_or(Error::Unavailable)?;
        self.incoming_bytes -= p.data.len();
        self.current = p.data;
        Ok(&self.current)
    }

    /// Sends to the target set with `set_target_peer`, on the channel and with the flags of the
    /// current transfer mode and channel, then flushes. `ERR_UNCONFIGURED` if inactive or not
    /// CONNECTED; `ERR_INVALID_PARAMETER` if the target is not 0 and its absolute value is not a
    /// connected peer (a client knows only 1); `ERR_BUG` if a client lost its server. A peer that
    /// refuses the packet (channel beyond its count, over 32 MiB) is skipped silently, like the engine.
    fn put_packet(&mut self, data: &[u8]) -> Result<()> {
        if !self.is_active() || self.status != ConnectionStatus::Connected {
            return Err(Error::Unconfigured);
        }
        if self.mode == Mode::Client && !self.peers.contains_key(&1) {
            return Err(Error::Bug);
        }
        let target = Target::parse(self.target_peer)?;
        if self.godot3 {
            return self.g3_put_packet(target, data);
        }
        if self.target_peer != 0 && !self.peers.contains_key(&self.target_peer.abs()) {
            return Err(Error::InvalidParameter);
        }
        let (channel, flags) = channel_and_flags(self.mp.transfer_mode, self.mp.transfer_channel);
        let send = |p: &SharedPacketPeer| {
            let _ = lock(p).send(channel, data, flags as i32);
        };
        match self.mode {
            Mode::Server => {
                for id in target.select(self.peers.keys()) {
                    if let Some(p) = self.peers.get(&id) {
                        send(p);
                    }
                }
                if let Some(h) = self.hosts.get(&0) {
                    let _ = lock(h).flush();
                }
            }
            Mode::Client => {
                if let Some(p) = self.peers.get(&1) {
                    send(p);
                }
                if let Some(h) = self.hosts.get(&0) {
                    let _ = lock(h).flush();
                }
            }
            Mode::Mesh => {
                let target = match target {
                    Target::Broadcast | Target::AllExcept(_) => {
                        Target::AllExcept(self.target_peer.abs())
                    }
                    t => t,
                };
                for id in target.select(self.peers.keys()) {
                    if let Some(p) = self.peers.get(&id) {
                        send(p);
                    }
                    if let Some(h) = self.hosts.get(&id) {
                        let _ = lock(h).flush();
                    }
                }
            }
            Mode::None => return Err(Error::Unconfigured),
        }
        Ok(())
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

impl MultiplayerPeer for ENetMultiplayerPeer {
    fn mp_base(&self) -> &MultiplayerBase {
        &self.mp
    }

    fn mp_base_mut(&mut self) -> &mut MultiplayerBase {
        &mut self.mp
    }

    fn set_target_peer(&mut self, target: i32) -> Result<()> {
        Target::parse(target)?;
        self.target_peer = target;
        Ok(())
    }

    /// Sender of the next packet; 1 when inactive or nothing is queued (as the engine).
    fn get_packet_peer(&self) -> i32 {
        match self.incoming.front() {
            Some(p) if self.is_active() => p.from,
            _ => 1,
        }
    }

    /// Mode of the next packet, from its ENet flags; RELIABLE when inactive or nothing is queued.
    fn get_packet_mode(&self) -> Result<TransferMode> {
        Ok(match self.incoming.front() {
            Some(p) if self.is_active() => p.mode,
            _ => TransferMode::Reliable,
        })
    }

    /// Transfer channel of the next packet (ENet channel − 1 from channel 2 on, else 0); 1 when
    /// inactive or nothing is queued (as the engine).
    fn get_packet_channel(&self) -> i32 {
        match self.incoming.front() {
            Some(p) if self.is_active() && self.godot3 => g3_transfer_channel_of(p.channel),
            Some(p) if self.is_active() => transfer_channel_of(p.channel),
            _ => 1,
        }
    }

    /// Drops peers whose ENet peer became inactive (`peer_disconnected`), then services every host
    /// once and handles all its queued events. `ERR_UNCONFIGURED` if inactive; `ERR_BUSY` (nothing
    /// taken from the network) while the packet queue is full.
    fn poll(&mut self) -> Result<()> {
        if !self.is_active() {
            return Err(Error::Unconfigured);
        }
        self.current = Vec::new();
        match self.mode {
            Mode::Client => {
                let active = self.peers.get(&1).map(|p| lock(p).is_active());
                if active != Some(true) {
                    if active.is_some() && self.status == ConnectionStatus::Connected {
                        self.emit(MultiplayerEvent::PeerDisconnected(1));
                    } else if active.is_some() && self.status == ConnectionStatus::Connecting {
                        // The server never answered: say so instead of a silent DISCONNECTED.
                        self.emit(MultiplayerEvent::ConnectTimedOut(1));
                    }
                    return self.close();
                }
            }
            Mode::Server | Mode::Mesh => {
                let gone: Vec<i32> = self
                    .peers
                    .iter()
                    .filter(|(_, p)| !lock(p).is_active())
                    .map(|(id, _)| *id)
                    .collect();
                for id in gone {
                    self.remove_peer(id);
                    if self.mode == Mode::Mesh {
                        self.hosts.remove(&id);
                    }
                    self.emit(MultiplayerEvent::PeerDisconnected(id));
                }
            }
            Mode::None => {}
        }
        if self.queue_full() {
            return Err(Error::Busy);
        }
        let keys: Vec<i32> = self.hosts.keys().copied().collect();
        for k in keys {
            if !self.service_host(k) {
                break;
            }
        }
        Ok(())
    }

    /// Every CONNECTED peer gets an immediate DISCONNECT, the hosts are flushed and released,
    /// queued packets are dropped; status DISCONNECTED, ID 0. No event is queued (events already
    /// queued stay). A no-op when inactive.
    fn close(&mut self) -> Result<()> {
        if !self.is_active() {
            return Ok(());
        }
        self.current = Vec::new();
        // Godot 3 sends its own ID as the disconnect data (`docs/godot3-multiplayer.md` §1).
        let data = if self.godot3 { self.unique_id } else { 0 };
        for p in self.peers.values() {
            let mut p = lock(p);
            if p.get_state() == PeerState::Connected {
                let _ = p.peer_disconnect_now(data);
            }
        }
        for h in self.hosts.values() {
            let _ = lock(h).flush();
        }
        self.mode = Mode::None;
        self.incoming.clear();
        self.incoming_bytes = 0;
        self.peers.clear();
        self.ids.clear();
        self.g3_remotes.clear();
        self.hosts.clear();
        self.unique_id = 0;
        self.status = ConnectionStatus::Disconnected;
        self.mp.refuse_new_connections = false;
        Ok(())
    }

    /// Queues a graceful ENet disconnect of `peer` and flushes (`peer_disconnected` follows from
    /// `poll`); with `force` the peer is forgotten at once, with no event, and a client closes.
    /// `ERR_UNCONFIGURED` if inactive; `ERR_INVALID_PARAMETER` for an unknown peer.
    fn disconnect_peer(&mut self, peer: i32, force: bool) -> Result<()> {
        if !self.is_active() {
            return Err(Error::Unconfigured);
        }
        let p = self.peers.get(&peer).ok_or(Error::InvalidParameter)?;
        if self.godot3 && self.mode == Mode::Server {
            return self.g3_disconnect_peer(peer, force);
        }
        let _ = lock(p).peer_disconnect(0);
        let host_key = if self.mode == Mode::Mesh { peer } else { 0 };
        if let Some(h) = self.hosts.get(&host_key) {
            let _ = lock(h).flush();
        }
        if force {
            self.remove_peer(peer);
            if self.mode == Mode::Mesh {
                self.hosts.remove(&peer);
            }
            if self.mode == Mode::Client {
                // Already flushed: nothing more to send.
                self.hosts.clear();
                self.close()?;
            }
        }
        Ok(())
    }

    /// 0 when inactive (as the engine).
    fn get_unique_id(&self) -> Result<i32> {
        Ok(if self.is_active() { self.unique_id } else { 0 })
    }

    fn is_server(&self) -> bool {
        self.mode == Mode::Server
    }

    fn get_connection_status(&self) -> Result<ConnectionStatus> {
        Ok(self.status)
    }

    /// Also forwarded to the hosts (it only matters to DTLS servers there).
    fn set_refuse_new_connections(&mut self, refuse: bool) -> Result<()> {
        self.mp.refuse_new_connections = refuse;
        for h in self.hosts.values() {
            lock(h).refuse_new_connections(refuse);
        }
        Ok(())
    }

    /// True in server and client mode (SceneMultiplayer then relays through the server); false in
    /// Godot 3 mode, where the peer relays by itself.
    fn is_server_relay_supported(&self) -> bool {
        !self.godot3 && matches!(self.mode, Mode::Server | Mode::Client)
    }
}

#[allow(dead_code)]
fn _assert_send() {
    fn is_send<T: Send>() {}
    is_send::<ENetMultiplayerPeer>();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_mapping_is_godots() {
        use TransferMode::*;
        assert_eq!(channel_and_flags(Reliable, 0), (0, 1));
        assert_eq!(channel_and_flags(UnreliableOrdered, 0), (1, 8));
        assert_eq!(channel_and_flags(Unreliable, 0), (1, 10));
        assert_eq!(channel_and_flags(Reliable, 1), (2, 1));
        assert_eq!(channel_and_flags(Unreliable, 7), (8, 10));
        assert_eq!(channel_and_flags(UnreliableOrdered, 255), (256, 8));
        assert_eq!(mode_from_flags(1), Reliable);
        assert_eq!(mode_from_flags(2), Unreliable);
        assert_eq!(mode_from_flags(8), UnreliableOrdered);
        assert_eq!(mode_from_flags(0), UnreliableOrdered);
        assert_eq!(transfer_channel_of(0), 0);
        assert_eq!(transfer_channel_of(1), 0);
        assert_eq!(transfer_channel_of(2), 1);
        assert_eq!(transfer_channel_of(9), 8);
        // Godot 3 mode (`docs/godot3-multiplayer.md` §1).
        assert_eq!(g3_channel_and_flags(Reliable, 0), (1, 1));
        assert_eq!(g3_channel_and_flags(UnreliableOrdered, 0), (2, 0));
        assert_eq!(g3_channel_and_flags(Unreliable, 0), (2, 2));
        assert_eq!(g3_channel_and_flags(Reliable, 1), (3, 1));
        assert_eq!(g3_channel_and_flags(Unreliable, 7), (9, 2));
        assert_eq!(g3_transfer_channel_of(0), 0);
        assert_eq!(g3_transfer_channel_of(2), 0);
        assert_eq!(g3_transfer_channel_of(3), 1);
        assert_eq!(g3_transfer_channel_of(9), 7);
        assert_eq!(
            g3_frame(1, -5, b"x"),
            [1, 0, 0, 0, 0xfb, 0xff, 0xff, 0xff, b'x']
        );
    }

    #[test]
    fn inactive_peer() {
        let mut p = ENetMultiplayerPeer::new();
        assert_eq!(p.get_unique_id(), Ok(0));
        assert_eq!(p.poll(), Err(Error::Unconfigured));
        assert_eq!(p.put_packet(b"x"), Err(Error::Unconfigured));
        assert_eq!(p.get_packet().err(), Some(Error::Unavailable));
        assert_eq!(p.get_packet_peer(), 1);
        assert_eq!(p.get_packet_channel(), 1);
        assert_eq!(p.get_packet_mode(), Ok(TransferMode::Reliable));
        assert_eq!(p.disconnect_peer(2, false), Err(Error::Unconfigured));
        assert_eq!(p.close(), Ok(()));
        assert!(!p.is_server());
        assert!(!p.is_server_relay_supported());
        assert!(p.get_host().is_none());
        assert!(p.get_peer(1).is_none());
        assert_eq!(p.get_max_packet_size(), 16_777_216);
        assert_eq!(p.set_bind_ip("nope"), Err(Error::InvalidParameter));
        assert_eq!(p.set_target_peer(i32::MIN), Err(Error::InvalidParameter));
        assert_eq!(p.create_mesh(0), Err(Error::InvalidParameter));
        assert_eq!(
            p.add_mesh_peer(2, shared(ENetConnection::new())),
            Err(Error::Unconfigured)
        );
    }

    #[test]
    fn argument_checks() {
        let mut p = ENetMultiplayerPeer::new();
        p.set_bind_ip("127.0.0.1").unwrap();
        assert_eq!(
            p.create_server(-1, 32, 0, 0, 0),
            Err(Error::InvalidParameter)
        );
        assert_eq!(p.create_server(0, 0, 0, 0, 0), Err(Error::InvalidParameter));
        assert_eq!(
            p.create_server(0, 4096, 0, 0, 0),
            Err(Error::InvalidParameter)
        );
        assert_eq!(
            p.create_server(0, 32, 254, 0, 0),
            Err(Error::InvalidParameter)
        );
        assert_eq!(
            p.create_server(0, 32, -1, 0, 0),
            Err(Error::InvalidParameter)
        );
        assert_eq!(
            p.create_server(0, 32, 0, -1, 0),
            Err(Error::InvalidParameter)
        );
        assert_eq!(p.get_unique_id(), Ok(0));
        p.create_server(0, 32, 253, 0, 0).unwrap();
        assert_eq!(p.get_host().map(|h| lock(&h).get_max_channels()), Some(255));
        assert_eq!(p.create_server(0, 32, 0, 0, 0), Err(Error::AlreadyInUse));
        assert_eq!(
            p.create_client("127.0.0.1", 1, 0, 0, 0, 0),
            Err(Error::AlreadyInUse)
        );
        assert_eq!(p.create_mesh(3), Err(Error::AlreadyInUse));
        assert_eq!(p.get_unique_id(), Ok(1));
        assert!(p.is_server() && p.is_server_relay_supported());
        p.close().unwrap();
        p.create_server(0, 32, 3, 0, 0).unwrap();
        assert_eq!(p.get_host().map(|h| lock(&h).get_max_channels()), Some(5));
        p.close().unwrap();

        let mut c = ENetMultiplayerPeer::new();
        assert_eq!(
            c.create_client("127.0.0.1", 0, 0, 0, 0, 0),
            Err(Error::CantCreate)
        );
        assert_eq!(
            c.create_client("127.0.0.1", 1234, -1, 0, 0, 0),
            Err(Error::InvalidParameter)
        );
        assert_eq!(
            c.create_client("127.0.0.1", 1234, 254, 0, 0, 0),
            Err(Error::CantCreate)
        );
        assert_eq!(
            c.create_client("127.0.0.1", 1234, 0, 0, 0, 70000),
            Err(Error::InvalidParameter)
        );
        assert_eq!(c.get_unique_id(), Ok(0));
        c.create_client("127.0.0.1", 1234, 0, 0, 0, 0).unwrap();
        let id = c.get_unique_id().unwrap();
        assert!(id >= 2);
        assert_eq!(c.get_connection_status(), Ok(ConnectionStatus::Connecting));
        assert_eq!(c.put_packet(b"x"), Err(Error::Unconfigured));
        assert!(!c.is_server() && c.is_server_relay_supported());
        assert!(c.get_peer(1).is_some() && c.get_peer(2).is_none());
        c.close().unwrap();
        assert_eq!(
            c.get_connection_status(),
            Ok(ConnectionStatus::Disconnected)
        );

        let mut m = ENetMultiplayerPeer::new();
        m.create_mesh(7).unwrap();
        assert_eq!(m.get_unique_id(), Ok(7));
        assert!(!m.is_server() && !m.is_server_relay_supported());
        assert!(m.get_host().is_none());
        let empty = shared(ENetConnection::new());
        assert_eq!(
            m.add_mesh_peer(2, empty.clone()),
            Err(Error::InvalidParameter)
        );
        assert_eq!(m.add_mesh_peer(0, empty), Err(Error::InvalidParameter));
    }
}
