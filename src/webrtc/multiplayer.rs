//! WebRTCMultiplayerPeer (`docs/classes.md` §23): a MultiplayerPeer over WebRTCPeerConnections that
//! the application creates and signals itself. Each connection carries pre-negotiated channels on
//! fixed SCTP streams (§23's table: 1 reliable, 2 ordered, 3 unreliable, 4 + i the extra channels of
//! `channels_config`), so both ends must list the same extra channels. No bytes of our own travel.
//!
//! Reliability: the engine passes the lifetime under a misspelt key (`maxPacketLifetime`) that both
//! engine implementations ignore, so in real games every channel is reliable (ordered or not as
//! listed). That is our default too; [`WebRtcMultiplayerPeer::set_honor_unreliable_lifetime`] opts
//! into what the engine meant (a lifetime on the unreliable channels). Either choice interoperates:
//! reliability is a sender-side SCTP property.
#![forbid(unsafe_code)]

use std::any::Any;
use std::collections::BTreeMap;

use super::{ChannelState, ConnectionState, WebRtcDataChannel, WebRtcPeerConnection};
use crate::error::{Error, Result};
use crate::multiplayer::{
    ConnectionStatus, MultiplayerBase, MultiplayerEvent, MultiplayerPeer, TransferMode,
    TARGET_PEER_SERVER,
};
use crate::peer::{PacketPeer, PeerBase};
use crate::variant::{Dictionary, Variant};

/// Channel indices 0..2 are the default lanes (stream ids 1..3).
const CH_RESERVED: usize = 3;
/// The maximum packet size the engine reports for this class.
pub const MAX_PACKET_SIZE: i32 = 1200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    None,
    Server,
    Client,
    Mesh,
}

/// A connection other than the built-in one that the multiplayer peer can drive (the C API's
/// WebRTCPeerConnectionExtension): the few calls `add_peer` and `poll` make.
pub trait ConnectionDriver: Send {
    fn connection_state(&mut self) -> ConnectionState;
    /// `create_data_channel(label, options)` (the options dictionary of §21).
    fn create_channel(&mut self, label: &str, options: &Variant) -> Result<Box<dyn ChannelDriver>>;
    fn poll(&mut self) -> Result<()>;
    fn close(&mut self);
    /// For the caller that added it to find its own type again ([`WebRtcMultiplayerPeer::driver_peer`]).
    fn as_any(&self) -> &dyn Any;
}

/// A data channel of a [`ConnectionDriver`]: a PacketPeer with a ready state.
pub trait ChannelDriver: PacketPeer + Send {
    fn ready_state(&mut self) -> ChannelState;
    fn as_any(&self) -> &dyn Any;
}

enum PeerConn {
    Native(WebRtcPeerConnection),
    Driver(Box<dyn ConnectionDriver>),
}

impl PeerConn {
    fn poll(&mut self) -> Result<()> {
        match self {
            PeerConn::Native(c) => c.poll(),
            PeerConn::Driver(d) => d.poll(),
        }
    }

    fn get_connection_state(&mut self) -> ConnectionState {
        match self {
            PeerConn::Native(c) => c.get_connection_state(),
            PeerConn::Driver(d) => d.connection_state(),
        }
    }

    fn close(&mut self) {
        match self {
            PeerConn::Native(c) => c.close(),
            PeerConn::Driver(d) => d.close(),
        }
    }

    fn create_data_channel(&mut self, label: &str, options: &Variant) -> Result<PeerChan> {
        Ok(match self {
            PeerConn::Native(c) => PeerChan::Native(c.create_data_channel(label, options)?),
            PeerConn::Driver(d) => PeerChan::Driver(d.create_channel(label, options)?),
        })
    }
}

enum PeerChan {
    Native(WebRtcDataChannel),
    Driver(Box<dyn ChannelDriver>),
}

impl PeerChan {
    fn peer(&mut self) -> &mut dyn PacketPeer {
        match self {
            PeerChan::Native(c) => c,
            PeerChan::Driver(d) => d.as_mut(),
        }
    }

    fn get_available_packet_count(&mut self) -> i32 {
        self.peer().get_available_packet_count()
    }

    fn get_packet(&mut self) -> Result<&[u8]> {
        self.peer().get_packet()
    }

    fn put_packet(&mut self, data: &[u8]) -> Result<()> {
        self.peer().put_packet(data)
    }

    fn get_ready_state(&mut self) -> ChannelState {
        match self {
            PeerChan::Native(c) => c.get_ready_state(),
            PeerChan::Driver(d) => d.ready_state(),
        }
    }
}

struct Peer {
    connection: PeerConn,
    channels: Vec<PeerChan>,
    connected: bool,
}

/// What [`WebRtcMultiplayerPeer::get_peer`] reports about one remote.
pub struct PeerInfo {
    /// `None` for a connection added with [`WebRtcMultiplayerPeer::add_peer_driver`] (see
    /// [`WebRtcMultiplayerPeer::driver_peer`]).
    pub connection: Option<WebRtcPeerConnection>,
    /// Another reference to each channel (in index order); empty for a driver's connection.
    pub channels: Vec<WebRtcDataChannel>,
    pub connected: bool,
}

/// Godot's WebRTCMultiplayerPeer.
pub struct WebRtcMultiplayerPeer {
    base: PeerBase,
    mp: MultiplayerBase,
    mode: Mode,
    unique_id: i32,
    status: ConnectionStatus,
    extra_modes: Vec<TransferMode>,
    peers: BTreeMap<i32, Peer>,
    target: i32,
    next_peer: i32,
    next_channel: usize,
    honor_lifetime: bool,
    current: Vec<u8>,
}

impl std::fmt::Debug for WebRtcMultiplayerPeer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebRtcMultiplayerPeer")
            .field("mode", &self.mode)
            .field("unique_id", &self.unique_id)
            .field("peers", &self.peers.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Default for WebRtcMultiplayerPeer {
    fn default() -> Self {
        Self::new()
    }
}

fn dict(pairs: &[(&str, Variant)]) -> Variant {
    let mut d = Dictionary::new();
    for (k, v) in pairs {
        d.insert(Variant::String((*k).into()), v.clone());
    }
    Variant::Dictionary(Box::new(d))
}

impl WebRtcMultiplayerPeer {
    pub fn new() -> Self {
        WebRtcMultiplayerPeer {
            base: PeerBase::default(),
            mp: MultiplayerBase::default(),
            mode: Mode::None,
            unique_id: 0,
            status: ConnectionStatus::Disconnected,
            extra_modes: Vec::new(),
            peers: BTreeMap::new(),
            target: 0,
            next_peer: 0,
            next_channel: 0,
            honor_lifetime: false,
            current: Vec::new(),
        }
    }

    fn init(&mut self, id: i32, mode: Mode, channels_config: &[i32]) -> Result<()> {
        if id < 1 {
            return Err(Error::InvalidParameter);
        }
        let modes = channels_config
            .iter()
            .map(|&m| TransferMode::try_from(m))
            .collect::<Result<Vec<_>>>()?;
        self.clear();
        self.extra_modes = modes;
        self.unique_id = id;
        self.mode = mode;
        self.status = if mode == Mode::Client {
            ConnectionStatus::Connecting
        } else {
            ConnectionStatus::Connected
        };
        Ok(())
    }

    /// `create_server(channels_config)`: ID 1, CONNECTED at once. `channels_config`: one
    /// TransferMode (0..2) per extra channel; anything else is `ERR_INVALID_PARAMETER`.
    pub fn create_server(&mut self, channels_config: &[i32]) -> Result<()> {
        self.init(1, Mode::Server, channels_config)
    }

    /// `create_client(peer_id, channels_config)`: CONNECTING until the server (added as peer 1)
    /// is connected. `peer_id` 1 or < 1 is `ERR_INVALID_PARAMETER`.
    pub fn create_client(&mut self, peer_id: i32, channels_config: &[i32]) -> Result<()> {
        if peer_id == 1 {
            return Err(Error::InvalidParameter);
        }
        self.init(peer_id, Mode::Client, channels_config)
    }

    /// `create_mesh(peer_id, channels_config)`: CONNECTED at once.
    pub fn create_mesh(&mut self, peer_id: i32, channels_config: &[i32]) -> Result<()> {
        self.init(peer_id, Mode::Mesh, channels_config)
    }

    /// Opt-in (beyond the engine): give the unreliable lanes the lifetime the engine means to set
    /// (`unreliable_lifetime` ms on lanes 1 and 2, 1 ms on unreliable extra channels) instead of the
    /// engine's effective behaviour (every lane reliable, §23). Applies to later `add_peer`s.
    pub fn set_honor_unreliable_lifetime(&mut self, on: bool) {
        self.honor_lifetime = on;
    }

    pub fn is_honoring_unreliable_lifetime(&self) -> bool {
        self.honor_lifetime
    }

    /// `add_peer(peer, peer_id, unreliable_lifetime)`: makes the §23 channels on `connection`
    /// (which must be NEW; offer/answer afterwards). Errors as the engine: `ERR_UNCONFIGURED` when
    /// not created; `ERR_INVALID_PARAMETER` for a client adding an ID other than 1, a server adding
    /// 1, an ID < 1, a negative lifetime, an ID already added, or a connection that is not NEW;
    /// `ERR_UNAUTHORIZED` while refusing new connections; `FAILED` when a channel cannot be made.
    pub fn add_peer(
        &mut self,
        connection: &WebRtcPeerConnection,
        peer_id: i32,
        unreliable_lifetime: i32,
    ) -> Result<()> {
        self.add(
            PeerConn::Native(connection.clone()),
            peer_id,
            unreliable_lifetime,
        )
    }

    /// `add_peer` for a connection of another implementation (beyond what the built-in one
    /// offers, the same rules; its `create_channel` gets the same negotiated channels).
    pub fn add_peer_driver(
        &mut self,
        connection: Box<dyn ConnectionDriver>,
        peer_id: i32,
        unreliable_lifetime: i32,
    ) -> Result<()> {
        self.add(PeerConn::Driver(connection), peer_id, unreliable_lifetime)
    }

    fn add(
        &mut self,
        mut connection: PeerConn,
        peer_id: i32,
        unreliable_lifetime: i32,
    ) -> Result<()> {
        if self.mode == Mode::None {
            return Err(Error::Unconfigured);
        }
        if (self.mode == Mode::Client && peer_id != 1)
            || (self.mode == Mode::Server && peer_id == 1)
            || peer_id < 1
            || !(0..=65535).contains(&unreliable_lifetime)
            || self.peers.contains_key(&peer_id)
        {
            return Err(Error::InvalidParameter);
        }
        if self.mp.refuse_new_connections {
            return Err(Error::Unauthorized);
        }
        if connection.get_connection_state() != ConnectionState::New {
            return Err(Error::InvalidParameter);
        }
        let lifetime = |ms: i32| -> Vec<(&'static str, Variant)> {
            if self.honor_lifetime {
                vec![("maxPacketLifeTime", Variant::Int(i64::from(ms)))]
            } else {
                Vec::new()
            }
        };
        let mut configs: Vec<(String, Variant)> = Vec::new();
        let lane = |id: i64, ordered: bool, extra: Vec<(&'static str, Variant)>| {
            let mut p = vec![
                ("negotiated", Variant::Bool(true)),
                ("id", Variant::Int(id)),
                ("ordered", Variant::Bool(ordered)),
            ];
            p.extend(extra);
            dict(&p)
        };
        configs.push(("reliable".into(), lane(1, true, Vec::new())));
        configs.push((
            "ordered".into(),
            lane(2, true, lifetime(unreliable_lifetime)),
        ));
        configs.push((
            "unreliable".into(),
            lane(3, false, lifetime(unreliable_lifetime)),
        ));
        for (i, m) in self.extra_modes.iter().enumerate() {
            let id = (CH_RESERVED + i + 1) as i64;
            let cfg = match m {
                TransferMode::Reliable => lane(id, true, Vec::new()),
                TransferMode::UnreliableOrdered => lane(id, true, lifetime(1)),
                TransferMode::Unreliable => lane(id, false, lifetime(1)),
            };
            configs.push((id.to_string(), cfg));
        }
        let mut channels = Vec::with_capacity(configs.len());
        for (label, cfg) in &configs {
            let ch = connection
                .create_data_channel(label, cfg)
                .map_err(|_| Error::Failed)?;
            channels.push(ch);
        }
        self.peers.insert(
            peer_id,
            Peer {
                connection,
                channels,
                connected: false,
            },
        );
        Ok(())
    }

    /// `remove_peer(peer_id)`: forgets it (its connection is closed); `peer_disconnected` if it
    /// had been announced (a client removing the server turns DISCONNECTED). Unknown: nothing.
    pub fn remove_peer(&mut self, peer_id: i32) {
        let Some(mut p) = self.peers.remove(&peer_id) else {
            return;
        };
        p.connection.close();
        if self.next_peer == peer_id {
            self.next_peer = 0;
        }
        if p.connected {
            let _ = self
                .mp
                .events
                .push(MultiplayerEvent::PeerDisconnected(peer_id));
            if self.mode == Mode::Client && peer_id == TARGET_PEER_SERVER {
                self.status = ConnectionStatus::Disconnected;
            }
        }
    }

    pub fn has_peer(&self, peer_id: i32) -> bool {
        self.peers.contains_key(&peer_id)
    }

    /// `get_peer(peer_id)`: the connection, its channels and whether it is connected.
    pub fn get_peer(&self, peer_id: i32) -> Option<PeerInfo> {
        self.peers.get(&peer_id).map(|p| PeerInfo {
            connection: match &p.connection {
                PeerConn::Native(c) => Some(c.clone()),
                PeerConn::Driver(_) => None,
            },
            channels: p
                .channels
                .iter()
                .filter_map(|c| match c {
                    PeerChan::Native(c) => Some(c.another_ref()),
                    PeerChan::Driver(_) => None,
                })
                .collect(),
            connected: p.connected,
        })
    }

    /// A peer added with [`Self::add_peer_driver`]: its connection and channels (in index order).
    pub fn driver_peer(
        &self,
        peer_id: i32,
    ) -> Option<(&dyn ConnectionDriver, Vec<&dyn ChannelDriver>)> {
        let p = self.peers.get(&peer_id)?;
        let PeerConn::Driver(d) = &p.connection else {
            return None;
        };
        let chans = p
            .channels
            .iter()
            .filter_map(|c| match c {
                PeerChan::Driver(c) => Some(c.as_ref()),
                PeerChan::Native(_) => None,
            })
            .collect();
        Some((d.as_ref(), chans))
    }

    /// The IDs `get_peers()` would list, ascending.
    pub fn get_peer_ids(&self) -> Vec<i32> {
        self.peers.keys().copied().collect()
    }

    fn clear(&mut self) {
        self.peers.clear();
        self.extra_modes.clear();
        self.unique_id = 0;
        self.next_peer = 0;
        self.next_channel = 0;
        self.mode = Mode::None;
        self.status = ConnectionStatus::Disconnected;
        self.mp.events.clear();
    }

    /// The engine's round robin: the next connected peer after the current one (map order) that
    /// has a packet, lowest channel index first; 0 when none.
    fn find_next_peer(&mut self) {
        let ids: Vec<i32> = self.peers.keys().copied().collect();
        let start = ids
            .iter()
            .position(|&id| id == self.next_peer)
            .map_or(0, |i| i + 1);
        let order = ids[start..].iter().chain(ids[..start].iter());
        for &id in order {
            let Some(p) = self.peers.get_mut(&id) else {
                continue;
            };
            if !p.connected {
                continue;
            }
            if let Some(idx) = p
                .channels
                .iter_mut()
                .position(|c| c.get_available_packet_count() > 0)
            {
                self.next_peer = id;
                self.next_channel = idx;
                return;
            }
        }
        self.next_peer = 0;
        self.next_channel = 0;
    }

    fn channel_index(&self) -> usize {
        let ch = self.mp.transfer_channel;
        if ch == 0 {
            match self.mp.transfer_mode {
                TransferMode::Reliable => 0,
                TransferMode::UnreliableOrdered => 1,
                TransferMode::Unreliable => 2,
            }
        } else {
            ch as usize + CH_RESERVED - 1
        }
    }
}

impl PacketPeer for WebRtcMultiplayerPeer {
    /// Packets on connected peers; 0 while no next packet is selected (as the engine).
    fn get_available_packet_count(&mut self) -> i32 {
        if self.next_peer == 0 {
            return 0;
        }
        let mut n: i64 = 0;
        for p in self.peers.values_mut().filter(|p| p.connected) {
            for c in &mut p.channels {
                n += i64::from(c.get_available_packet_count());
            }
        }
        n.min(i64::from(i32::MAX)) as i32
    }

    fn get_packet(&mut self) -> Result<&[u8]> {
        if self.next_peer == 0 || !self.peers.contains_key(&self.next_peer) {
            self.find_next_peer();
            return Err(Error::Unavailable);
        }
        let mut got = None;
        if let Some(p) = self.peers.get_mut(&self.next_peer) {
            for c in &mut p.channels {
                if c.get_available_packet_count() > 0 {
                    got = Some(c.get_packet().map(<[u8]>::to_vec));
                    break;
                }
            }
        }
        self.find_next_peer();
        match got {
            Some(Ok(v)) => {
                self.current = v;
                Ok(&self.current)
            }
            Some(Err(e)) => Err(e),
            None => Err(Error::Unavailable),
        }
    }

    /// DISCONNECTED: `ERR_UNCONFIGURED`. A positive target: that peer's channel's `put_packet`
    /// result (`ERR_INVALID_PARAMETER` for an unknown peer or a channel index it lacks). Broadcast
    /// and all-but-N: every (other) peer, errors ignored, OK — as the engine.
    fn put_packet(&mut self, data: &[u8]) -> Result<()> {
        if self.status == ConnectionStatus::Disconnected {
            return Err(Error::Unconfigured);
        }
        let ch = self.channel_index();
        if self.target > 0 {
            let p = self
                .peers
                .get_mut(&self.target)
                .ok_or(Error::InvalidParameter)?;
            let c = p.channels.get_mut(ch).ok_or(Error::InvalidParameter)?;
            return c.put_packet(data);
        }
        let exclude = -self.target;
        for (&id, p) in self.peers.iter_mut() {
            if self.target != 0 && id == exclude {
                continue;
            }
            if let Some(c) = p.channels.get_mut(ch) {
                let _ = c.put_packet(data);
            }
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

impl MultiplayerPeer for WebRtcMultiplayerPeer {
    fn mp_base(&self) -> &MultiplayerBase {
        &self.mp
    }

    fn mp_base_mut(&mut self) -> &mut MultiplayerBase {
        &mut self.mp
    }

    fn set_target_peer(&mut self, target: i32) -> Result<()> {
        self.target = target;
        Ok(())
    }

    fn get_packet_peer(&self) -> i32 {
        self.next_peer
    }

    fn get_packet_mode(&self) -> Result<TransferMode> {
        Ok(match self.next_channel {
            0 => TransferMode::Reliable,
            1 => TransferMode::UnreliableOrdered,
            2 => TransferMode::Unreliable,
            i => self
                .extra_modes
                .get(i - CH_RESERVED)
                .copied()
                .unwrap_or(TransferMode::Reliable),
        })
    }

    fn get_packet_channel(&self) -> i32 {
        if self.next_channel < CH_RESERVED {
            0
        } else {
            (self.next_channel - CH_RESERVED + 1) as i32
        }
    }

    /// Polls every connection; a peer whose connection is CONNECTED and whose channels are all
    /// OPEN is announced (`peer_connected`; a client turns CONNECTED when it is the server). A
    /// connection DISCONNECTED/FAILED/CLOSED or a channel CLOSING/CLOSED removes the peer.
    fn poll(&mut self) -> Result<()> {
        let mut remove = Vec::new();
        let mut add = Vec::new();
        for (&id, p) in self.peers.iter_mut() {
            let _ = p.connection.poll();
            match p.connection.get_connection_state() {
                ConnectionState::New | ConnectionState::Connecting => continue,
                ConnectionState::Connected => {}
                _ => {
                    remove.push(id);
                    continue;
                }
            }
            let mut ready = 0;
            let mut closed = false;
            for c in &mut p.channels {
                match c.get_ready_state() {
                    ChannelState::Connecting => {}
                    ChannelState::Open => ready += 1,
                    _ => {
                        closed = true;
                        break;
                    }
                }
            }
            if closed {
                remove.push(id);
            } else if ready == p.channels.len() && !p.connected {
                p.connected = true;
                add.push(id);
            }
        }
        for id in remove {
            self.remove_peer(id);
        }
        for id in add {
            if self.mode == Mode::Client {
                if id != TARGET_PEER_SERVER {
                    continue;
                }
                self.status = ConnectionStatus::Connected;
            }
            let _ = self.mp.events.push(MultiplayerEvent::PeerConnected(id));
        }
        if self.next_peer == 0 {
            self.find_next_peer();
        }
        Ok(())
    }

    /// Clears everything (connections closed), DISCONNECTED, no events.
    fn close(&mut self) -> Result<()> {
        for p in self.peers.values_mut() {
            p.connection.close();
        }
        self.clear();
        Ok(())
    }

    /// Closes that connection (the peer leaves at the next poll, with `peer_disconnected`); with
    /// `force` it is forgotten now, no event. Unknown peer: `ERR_INVALID_PARAMETER`.
    fn disconnect_peer(&mut self, peer: i32, force: bool) -> Result<()> {
        let p = self.peers.get_mut(&peer).ok_or(Error::InvalidParameter)?;
        p.connection.close();
        if force {
            self.peers.remove(&peer);
            if self.next_peer == peer {
                self.next_peer = 0;
            }
            if self.mode == Mode::Client && peer == TARGET_PEER_SERVER {
                self.status = ConnectionStatus::Disconnected;
            }
        }
        Ok(())
    }

    /// 1 while DISCONNECTED (the engine's value, with an error message there).
    fn get_unique_id(&self) -> Result<i32> {
        if self.status == ConnectionStatus::Disconnected {
            return Ok(1);
        }
        Ok(self.unique_id)
    }

    fn is_server(&self) -> bool {
        self.unique_id == TARGET_PEER_SERVER
    }

    fn get_connection_status(&self) -> Result<ConnectionStatus> {
        Ok(self.status)
    }

    fn is_server_relay_supported(&self) -> bool {
        matches!(self.mode, Mode::Server | Mode::Client)
    }
}
