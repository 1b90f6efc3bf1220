//! Godot's `ENetConnection` and `ENetPacketPeer` (`docs/classes.md` §15–§16) over our ENet [`Host`].
//!
//! The connection owns the host and its socket behind a mutex shared (weakly) with its peer objects,
//! so a peer can send on its own (`put_packet`, `send`, `peer_disconnect`...). Lock order is always
//! peer object -> connection state; `service` never holds the connection state while it touches a
//! peer object.
#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::sync::{Arc, Mutex, Weak};

use super::compress::{compressor, CompressionLevels, CompressionMode};
use super::host::{Event, Host, HostConfig, Packet, PeerState, PACKET_FLAG_RELIABLE};
use super::protocol::MAXIMUM_PEER_ID;
use super::socket::UdpTransport;
use super::Transport;
use crate::error::{Error, Result};
use crate::net::addr;
use crate::peer::{PacketPeer, PeerBase};
use crate::sync::{lock, shared};
use crate::tls::enet_dtls::DtlsEnetTransport;
use crate::tls::{DtlsServer, TlsOptions};

/// `ENetConnection.EventType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Error = -1,
    None = 0,
    Connect = 1,
    Disconnect = 2,
    Receive = 3,
}

/// `ENetConnection.HostStatistic`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostStatistic {
    TotalSentData = 0,
    TotalSentPackets = 1,
    TotalReceivedData = 2,
    TotalReceivedPackets = 3,
}

impl TryFrom<i32> for HostStatistic {
    type Error = Error;
    fn try_from(v: i32) -> Result<Self> {
        Ok(match v {
            0 => HostStatistic::TotalSentData,
            1 => HostStatistic::TotalSentPackets,
            2 => HostStatistic::TotalReceivedData,
            3 => HostStatistic::TotalReceivedPackets,
            _ => return Err(Error::InvalidParameter),
        })
    }
}

/// `ENetPacketPeer.PeerStatistic` (0..=13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerStatistic {
    PacketLoss = 0,
    PacketLossVariance = 1,
    PacketLossEpoch = 2,
    RoundTripTime = 3,
    RoundTripTimeVariance = 4,
    LastRoundTripTime = 5,
    LastRoundTripTimeVariance = 6,
    PacketThrottle = 7,
    PacketThrottleLimit = 8,
    PacketThrottleCounter = 9,
    PacketThrottleEpoch = 10,
    PacketThrottleAcceleration = 11,
    PacketThrottleDeceleration = 12,
    PacketThrottleInterval = 13,
}

impl TryFrom<i32> for PeerStatistic {
    type Error = Error;
    fn try_from(v: i32) -> Result<Self> {
        use PeerStatistic::*;
        Ok(match v {
            0 => PacketLoss,
            1 => PacketLossVariance,
            2 => PacketLossEpoch,
            3 => RoundTripTime,
            4 => RoundTripTimeVariance,
            5 => LastRoundTripTime,
            6 => LastRoundTripTimeVariance,
            7 => PacketThrottle,
            8 => PacketThrottleLimit,
            9 => PacketThrottleCounter,
            10 => PacketThrottleEpoch,
            11 => PacketThrottleAcceleration,
            12 => PacketThrottleDeceleration,
            13 => PacketThrottleInterval,
            _ => return Err(Error::InvalidParameter),
        })
    }
}

/// `ENetPacketPeer` constants.
pub const PACKET_LOSS_SCALE: i32 = 65536;
pub const PACKET_THROTTLE_SCALE: i32 = 32;
pub const FLAG_RELIABLE: i32 = 1;
pub const FLAG_UNSEQUENCED: i32 = 2;
pub const FLAG_UNRELIABLE_FRAGMENT: i32 = 8;
/// `ENetPacketPeer.get_max_packet_size()`.
pub const MAX_PACKET_SIZE: i32 = 16_777_216;

/// The host's socket: plain UDP, or ENet over DTLS on that socket (`docs/classes.md` §18.5).
enum HostIo {
    Udp(UdpTransport),
    Dtls(Box<DtlsEnetTransport<UdpTransport>>),
    /// Only while switching from one to the other.
    Switching,
}

impl HostIo {
    fn udp(&self) -> Option<&UdpTransport> {
        match self {
            HostIo::Udp(u) => Some(u),
            HostIo::Dtls(d) => Some(d.inner()),
            HostIo::Switching => None,
        }
    }

    fn udp_mut(&mut self) -> Option<&mut UdpTransport> {
        match self {
            HostIo::Udp(u) => Some(u),
            HostIo::Dtls(d) => Some(d.inner_mut()),
            HostIo::Switching => None,
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.udp()
            .ok_or_else(|| std::io::Error::other("no socket"))?
            .local_addr()
    }

    /// A raw datagram on the socket, outside DTLS (`socket_send`, like the engine).
    fn raw_send_to(&mut self, data: &[u8], to: SocketAddr) -> std::io::Result<usize> {
        match self {
            HostIo::Udp(u) => u.send_to(data, to),
            HostIo::Dtls(d) => d.inner_mut().send_to(data, to),
            HostIo::Switching => Err(std::io::Error::other("no socket")),
        }
    }
}

impl Transport for HostIo {
    fn send_to(&mut self, data: &[u8], to: SocketAddr) -> std::io::Result<usize> {
        match self {
            HostIo::Udp(u) => u.send_to(data, to),
            HostIo::Dtls(d) => d.send_to(data, to),
            HostIo::Switching => Err(std::io::Error::other("no socket")),
        }
    }

    fn recv_from(&mut self, buf: &mut [u8]) -> std::io::Result<Option<(usize, SocketAddr)>> {
        match self {
            HostIo::Udp(u) => u.recv_from(buf),
            HostIo::Dtls(d) => d.recv_from(buf),
            HostIo::Switching => Err(std::io::Error::other("no socket")),
        }
    }

    fn wait_readable(&mut self, timeout: std::time::Duration) -> std::io::Result<()> {
        match self {
            HostIo::Udp(u) => u.wait_readable(timeout),
            HostIo::Dtls(d) => d.wait_readable(timeout),
            HostIo::Switching => Err(std::io::Error::other("no socket")),
        }
    }
}

/// Host + socket, shared by the connection and its peers.
struct HostState {
    host: Host,
    io: HostIo,
    bound: bool,
    /// Changes on every create/destroy, so peers of a destroyed host stay inactive.
    generation: u64,
}

type Shared = Arc<Mutex<Option<HostState>>>;

/// Why a peer's connection attempt failed (beyond the engine, which only turns it DISCONNECTED).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectFailure {
    /// The remote's OS refused the datagrams (ICMP port unreachable: nothing listens on that
    /// port). Reported at once where the OS tells an unconnected socket (Linux), not after ENet's
    /// timeout.
    Refused,
    /// No answer within ENet's peer timeout (a silent or filtered port, a wrong address, a
    /// server that never accepted).
    TimedOut,
}

/// One ENet peer of an [`ENetConnection`] (Godot's `ENetPacketPeer`).
pub struct ENetPacketPeer {
    shared: Weak<Mutex<Option<HostState>>>,
    generation: u64,
    slot: usize,
    active: bool,
    queue: VecDeque<(u8, Packet)>,
    current: Vec<u8>,
    base: PeerBase,
    /// The address this side connected to (None for peers that connected to us).
    remote: Option<SocketAddr>,
    /// A CONNECT event was reported for this peer.
    connected: bool,
    /// This side asked for the disconnect (its DISCONNECT event is no failure).
    local_disconnect: bool,
    failure: Option<ConnectFailure>,
    last_error: String,
}

impl std::fmt::Debug for ENetPacketPeer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ENetPacketPeer")
            .field("slot", &self.slot)
            .field("active", &self.active)
            .field("queued", &self.queue.len())
            .finish()
    }
}

/// A shared ENetPacketPeer, as handed out by the connection.
pub type SharedPacketPeer = crate::sync::Shared<ENetPacketPeer>;

impl ENetPacketPeer {
    fn new(shared: &Shared, generation: u64, slot: usize) -> ENetPacketPeer {
        ENetPacketPeer {
            shared: Arc::downgrade(shared),
            generation,
            slot,
            active: true,
            queue: VecDeque::new(),
            current: Vec::new(),
            base: PeerBase::default(),
            remote: None,
            connected: false,
            local_disconnect: false,
            failure: None,
            last_error: String::new(),
        }
    }

    /// Why this peer's connection attempt failed (`None` while it did not, or once it connected).
    pub fn connect_failure(&self) -> Option<ConnectFailure> {
        self.failure
    }

    /// Why this peer's connection failed or ended, in words: a refused or timed-out connect, or a
    /// connection the remote ended or that stopped answering. `""` while nothing failed (a
    /// disconnect this side asked for leaves it empty).
    pub fn get_last_error_text(&self) -> &str {
        &self.last_error
    }

    /// Records how the connection ended, when the DISCONNECT event for it is reported.
    fn note_disconnect(&mut self, data: u32) {
        if self.local_disconnect || self.failure.is_some() {
            return;
        }
        if self.connected {
            self.last_error = format!(
                "the connection ended: the remote disconnected (data {data}) or stopped answering \
                 within the peer timeout"
            );
        } else {
            self.failure = Some(ConnectFailure::TimedOut);
            self.last_error = match self.remote {
                Some(a) => format!(
                    "connect to {a} timed out: no answer within the peer timeout (a silent or \
                     filtered port, a wrong address, or a server that did not accept)"
                ),
                None => "the connection attempt timed out".to_string(),
            };
        }
    }

    /// Records a refusal reported by the OS for this peer's address.
    fn note_refused(&mut self, errno: i32) {
        self.failure = Some(ConnectFailure::Refused);
        let os = std::io::Error::from_raw_os_error(errno);
        self.last_error = match self.remote {
            Some(a) => format!(
                "connect to {a}: {os}: nothing listens on that port (ICMP port unreachable)"
            ),
            None => format!("connect: {os} (ICMP port unreachable)"),
        };
    }

    /// Runs `f` on the live host with this peer's slot; `ERR_UNCONFIGURED` when inactive.
    fn with_host<R>(&mut self, f: impl FnOnce(&mut HostState, usize) -> R) -> Result<R> {
        if !self.active {
            return Err(Error::Unconfigured);
        }
        let Some(shared) = self.shared.upgrade() else {
            self.active = false;
            return Err(Error::Unconfigured);
        };
        let mut g = lock(&shared);
        match g.as_mut() {
            Some(h) if h.generation == self.generation => Ok(f(h, self.slot)),
            _ => {
                self.active = false;
                Err(Error::Unconfigured)
            }
        }
    }

    pub fn is_active(&mut self) -> bool {
        self.with_host(|_, _| ()).is_ok()
    }

    /// `send(channel, packet, flags)`.
    pub fn send(&mut self, channel: i32, data: &[u8], flags: i32) -> Result<()> {
        let channels = self.get_channels();
        if !self.active {
            return Err(Error::Unconfigured);
        }
        if channel < 0 || channel > channels {
            return Err(Error::InvalidParameter);
        }
        if flags & !(FLAG_RELIABLE | FLAG_UNSEQUENCED | FLAG_UNRELIABLE_FRAGMENT) != 0 {
            return Err(Error::InvalidParameter);
        }
        self.with_host(|h, slot| {
            h.host
                .send(slot, channel as u8, data, flags as u32)
                .map_err(Error::from)
        })?
    }

    /// Flags of the next queued packet (0 when none): 1 reliable, 2 unsequenced, 8 unreliable
    /// fragment, 0 plain unreliable.
    pub fn get_packet_flags(&self) -> i32 {
        self.queue.front().map(|(_, p)| p.flags as i32).unwrap_or(0)
    }

    /// ENet channel of the next queued packet.
    pub fn get_packet_channel(&self) -> Option<u8> {
        self.queue.front().map(|(c, _)| *c)
    }

    pub fn peer_disconnect(&mut self, data: i32) -> Result<()> {
        self.with_host(|h, slot| h.host.disconnect(slot, data as u32, &mut h.io))?;
        self.local_disconnect = true;
        Ok(())
    }

    pub fn peer_disconnect_later(&mut self, data: i32) -> Result<()> {
        self.with_host(|h, slot| h.host.disconnect_later(slot, data as u32, &mut h.io))?;
        self.local_disconnect = true;
        Ok(())
    }

    /// Unreliable DISCONNECT now, peer reset, no local event; inactive afterwards.
    pub fn peer_disconnect_now(&mut self, data: i32) -> Result<()> {
        self.with_host(|h, slot| h.host.disconnect_now(slot, data as u32, &mut h.io))?;
        self.active = false;
        Ok(())
    }

    /// Drops the peer without telling the remote; inactive afterwards.
    pub fn reset(&mut self) -> Result<()> {
        self.with_host(|h, slot| h.host.peer_reset(slot))?;
        self.active = false;
        Ok(())
    }

    pub fn ping(&mut self) -> Result<()> {
        self.with_host(|h, slot| h.host.ping(slot))
    }

    /// 0 selects the default (500 ms).
    pub fn ping_interval(&mut self, interval: i32) -> Result<()> {
        if interval < 0 {
            return Err(Error::InvalidParameter);
        }
        self.with_host(|h, slot| h.host.set_ping_interval(slot, interval as u32))
    }

    /// Refused (ERR_INVALID_PARAMETER) unless timeout <= timeout_min <= timeout_max; 0 = defaults.
    pub fn set_timeout(&mut self, timeout: i32, timeout_min: i32, timeout_max: i32) -> Result<()> {
        if timeout < 0 || timeout > timeout_min || timeout_min > timeout_max {
            return Err(Error::InvalidParameter);
        }
        self.with_host(|h, slot| {
            h.host
                .set_timeout(slot, timeout as u32, timeout_min as u32, timeout_max as u32)
        })
    }

    pub fn throttle_configure(
        &mut self,
        interval: i32,
        acceleration: i32,
        deceleration: i32,
    ) -> Result<()> {
        if interval < 0 || acceleration < 0 || deceleration < 0 {
            return Err(Error::InvalidParameter);
        }
        self.with_host(|h, slot| {
            h.host.throttle_configure(
                slot,
                interval as u32,
                acceleration as u32,
                deceleration as u32,
            )
        })
    }

    pub fn get_statistic(&mut self, stat: PeerStatistic) -> f64 {
        let Ok(Some(s)) = self.with_host(|h, slot| h.host.peer(slot).map(|p| p.stats())) else {
            return 0.0;
        };
        use PeerStatistic::*;
        (match stat {
            PacketLoss => s.packet_loss,
            PacketLossVariance => s.packet_loss_variance,
            PacketLossEpoch => s.packet_loss_epoch,
            RoundTripTime => s.round_trip_time,
            RoundTripTimeVariance => s.round_trip_time_variance,
            LastRoundTripTime => s.last_round_trip_time,
            LastRoundTripTimeVariance => s.last_round_trip_time_variance,
            PacketThrottle => s.packet_throttle,
            PacketThrottleLimit => s.packet_throttle_limit,
            PacketThrottleCounter => s.packet_throttle_counter,
            PacketThrottleEpoch => s.packet_throttle_epoch,
            PacketThrottleAcceleration => s.packet_throttle_acceleration,
            PacketThrottleDeceleration => s.packet_throttle_deceleration,
            PacketThrottleInterval => s.packet_throttle_interval,
        }) as f64
    }

    /// DISCONNECTED when inactive.
    pub fn get_state(&mut self) -> PeerState {
        self.with_host(|h, slot| h.host.peer(slot).map(|p| p.state()))
            .ok()
            .flatten()
            .unwrap_or(PeerState::Disconnected)
    }

    pub fn get_channels(&mut self) -> i32 {
        self.with_host(|h, slot| h.host.peer(slot).map(|p| p.channel_count() as i32))
            .ok()
            .flatten()
            .unwrap_or(0)
    }

    fn remote(&mut self) -> Option<SocketAddr> {
        self.with_host(|h, slot| h.host.peer(slot).and_then(|p| p.address()))
            .ok()
            .flatten()
    }

    /// Remote address as text; empty when inactive.
    pub fn get_remote_address(&mut self) -> String {
        self.remote()
            .map(|a| addr::ip_to_string(a.ip()))
            .unwrap_or_default()
    }

    pub fn get_remote_port(&mut self) -> i32 {
        self.remote().map(|a| a.port() as i32).unwrap_or(0)
    }

    /// Takes the next queued packet with its ENet channel (flags included), for owners that route
    /// packets themselves (ENetMultiplayerPeer).
    pub fn take_packet(&mut self) -> Option<(u8, Packet)> {
        self.queue.pop_front()
    }

    fn deliver(&mut self, channel: u8, packet: Packet) {
        self.queue.push_back((channel, packet));
    }

    fn deactivate(&mut self) {
        self.active = false;
    }
}

impl PacketPeer for ENetPacketPeer {
    fn get_available_packet_count(&mut self) -> i32 {
        self.queue.len().min(i32::MAX as usize) as i32
    }

    fn get_packet(&mut self) -> Result<&[u8]> {
        if !self.active {
            return Err(Error::Unconfigured);
        }
        let (_, p) = self.queue.pop_front().ok_or(Error::Unavailable)?;
        self.current = p.data;
        Ok(&self.current)
    }

    /// Channel 0, reliable (what the engine does).
    fn put_packet(&mut self, data: &[u8]) -> Result<()> {
        self.with_host(|h, slot| {
            h.host
                .send(slot, 0, data, PACKET_FLAG_RELIABLE)
                .map_err(Error::from)
        })?
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

/// What `service` / `check_events` return: `[EventType, peer or null, data, channel]`.
#[derive(Debug, Clone)]
pub struct ServiceEvent {
    pub kind: EventType,
    pub peer: Option<SharedPacketPeer>,
    pub data: i32,
    pub channel: i32,
}

impl ServiceEvent {
    fn none() -> ServiceEvent {
        ServiceEvent {
            kind: EventType::None,
            peer: None,
            data: 0,
            channel: 0,
        }
    }
    fn error() -> ServiceEvent {
        ServiceEvent {
            kind: EventType::Error,
            ..ServiceEvent::none()
        }
    }
}

/// Why `connect_to_host` made no peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    #[error("port {0} is not 1..65535")]
    BadPort(i32),
    #[error("channel count {0} is not 0..255")]
    BadChannelCount(i32),
    #[error("no host: create one first")]
    NoHost,
    #[error("the connection already has a peer")]
    AlreadyHasPeer,
    #[error("the address is neither an IP literal nor a name that resolves")]
    Unresolved,
    #[error("every peer slot of the host is busy")]
    NoFreeSlot,
}

/// The codes the C API has always returned for these causes; Godot itself only returns null.
impl From<ConnectError> for Error {
    fn from(e: ConnectError) -> Error {
        match e {
            ConnectError::BadPort(_) | ConnectError::BadChannelCount(_) => Error::InvalidParameter,
            ConnectError::NoHost => Error::Unconfigured,
            ConnectError::AlreadyHasPeer | ConnectError::Unresolved | ConnectError::NoFreeSlot => {
                Error::CantConnect
            }
        }
    }
}

/// Godot's `ENetConnection`: one UDP socket running ENet with up to 4095 peers.
pub struct ENetConnection {
    shared: Shared,
    /// Peer objects by host slot (the engine's peer list).
    slots: Vec<Option<SharedPacketPeer>>,
    generation: u64,
    refuse_new_connections: bool,
    /// A CONNECTING peer the OS reports refused fails at once (default) or keeps retrying as in
    /// the engine ([`ENetConnection::set_fail_connect_on_refused`]).
    fail_connect_on_refused: bool,
    pub compression_levels: CompressionLevels,
    /// Events made here rather than by the host (a connect the OS refused), reported first.
    pending: VecDeque<Event>,
    last_error: String,
}

impl Default for ENetConnection {
    fn default() -> Self {
        ENetConnection::new()
    }
}

impl ENetConnection {
    pub fn new() -> ENetConnection {
        ENetConnection {
            shared: Arc::new(Mutex::new(None)),
            slots: Vec::new(),
            generation: 0,
            refuse_new_connections: false,
            fail_connect_on_refused: true,
            compression_levels: CompressionLevels::default(),
            pending: VecDeque::new(),
            last_error: String::new(),
        }
    }

    /// Why the last call or connection attempt on this connection failed, in words: a socket that
    /// could not be bound (the OS error), a `connect_to_host` refusal, a socket error in `service`,
    /// or the last peer whose connect was refused or timed out (its
    /// [`ENetPacketPeer::get_last_error_text`]). `""` until something fails; a new host clears it.
    pub fn get_last_error_text(&self) -> &str {
        &self.last_error
    }

    fn create(
        &mut self,
        bind: Option<(Option<IpAddr>, u16)>,
        max_peers: i32,
        max_channels: i32,
        in_bandwidth: i32,
        out_bandwidth: i32,
    ) -> Result<()> {
        if !(1..=MAXIMUM_PEER_ID as i32).contains(&max_peers)
            || !(0..=255).contains(&max_channels)
            || in_bandwidth < 0
            || out_bandwidth < 0
        {
            return Err(Error::InvalidParameter);
        }
        let mut g = lock(&self.shared);
        if g.is_some() {
            return Err(Error::AlreadyInUse);
        }
        let (ip, port, bound) = match bind {
            Some((ip, port)) => (ip, port, true),
            None => (None, 0, false),
        };
        let io = match UdpTransport::bind(ip, port) {
            Ok(u) => HostIo::Udp(u),
            Err(e) => {
                let at = ip.map_or_else(|| "*".to_string(), addr::ip_to_string);
                self.last_error = format!("bind {at} port {port}: {e}");
                return Err(Error::CantCreate);
            }
        };
        self.last_error.clear();
        self.pending.clear();
        let host = Host::new(HostConfig {
            peer_count: max_peers as usize,
            channel_limit: if max_channels == 0 {
                255
            } else {
                max_channels as usize
            },
            incoming_bandwidth: in_bandwidth as u32,
            outgoing_bandwidth: out_bandwidth as u32,
            ..HostConfig::default()
        });
        self.generation += 1;
        *g = Some(HostState {
            host,
            io,
            bound,
            generation: self.generation,
        });
        self.slots = vec![None; max_peers as usize];
        Ok(())
    }

    /// `create_host_bound(bind_address, bind_port, max_peers=32, max_channels=0, in=0, out=0)`;
    /// `bind_address` is an IP literal or `"*"`.
    pub fn create_host_bound(
        &mut self,
        bind_address: &str,
        bind_port: i32,
        max_peers: i32,
        max_channels: i32,
        in_bandwidth: i32,
        out_bandwidth: i32,
    ) -> Result<()> {
        let ip = if bind_address == "*" {
            None
        } else {
            Some(
                bind_address
                    .parse::<IpAddr>()
                    .map_err(|_| Error::InvalidParameter)?,
            )
        };
        if !(0..=65535).contains(&bind_port) {
            return Err(Error::InvalidParameter);
        }
        self.create(
            Some((ip, bind_port as u16)),
            max_peers,
            max_channels,
            in_bandwidth,
            out_bandwidth,
        )
    }

    /// `create_host(max_peers=32, max_channels=0, in=0, out=0)`: dual-stack socket, port chosen by
    /// the OS.
    pub fn create_host(
        &mut self,
        max_peers: i32,
        max_channels: i32,
        in_bandwidth: i32,
        out_bandwidth: i32,
    ) -> Result<()> {
        self.create(None, max_peers, max_channels, in_bandwidth, out_bandwidth)
    }

    /// Frees the host; every peer becomes inactive; nothing is sent. `ERR_UNCONFIGURED` if no host.
    pub fn destroy(&mut self) -> Result<()> {
        let mut g = lock(&self.shared);
        if g.take().is_none() {
            return Err(Error::Unconfigured);
        }
        drop(g);
        for p in self.slots.drain(..).flatten() {
            p.lock_no_callout().deactivate();
        }
        Ok(())
    }

    pub fn has_host(&self) -> bool {
        lock(&self.shared).is_some()
    }

    /// `connect_to_host(address, port, channels=0, data=0)`: `None` for every cause of
    /// [`ConnectError`], as Godot returns null; [`ENetConnection::try_connect_to_host`] says which.
    pub fn connect_to_host(
        &mut self,
        address: &str,
        port: i32,
        channels: i32,
        data: i32,
    ) -> Option<SharedPacketPeer> {
        self.try_connect_to_host(address, port, channels, data).ok()
    }

    /// [`ENetConnection::connect_to_host`] with the cause of a refusal. The checks run in the order
    /// the C API has always reported them (arguments, host, then the rest), and the host is checked
    /// before the name is resolved so a missing host never waits for a DNS answer.
    pub fn try_connect_to_host(
        &mut self,
        address: &str,
        port: i32,
        channels: i32,
        data: i32,
    ) -> std::result::Result<SharedPacketPeer, ConnectError> {
        let r = self.start_connect(address, port, channels, data);
        if let Err(e) = &r {
            self.last_error = format!("connect_to_host({address:?}, {port}): {e}");
        }
        r
    }

    fn start_connect(
        &mut self,
        address: &str,
        port: i32,
        channels: i32,
        data: i32,
    ) -> std::result::Result<SharedPacketPeer, ConnectError> {
        if !(1..=65535).contains(&port) {
            return Err(ConnectError::BadPort(port));
        }
        if !(0..=255).contains(&channels) {
            return Err(ConnectError::BadChannelCount(channels));
        }
        if !self.has_host() {
            return Err(ConnectError::NoHost);
        }
        if self.slots.iter().any(|s| s.is_some()) {
            return Err(ConnectError::AlreadyHasPeer);
        }
        let addr = resolve(address, port as u16).ok_or(ConnectError::Unresolved)?;
        let mut g = lock(&self.shared);
        let h = g.as_mut().ok_or(ConnectError::NoHost)?;
        let channels = if channels == 0 {
            255
        } else {
            channels as usize
        };
        let slot = h
            .host
            .connect(addr, channels, data as u32)
            .ok_or(ConnectError::NoFreeSlot)?;
        let mut peer = ENetPacketPeer::new(&self.shared, h.generation, slot);
        peer.remote = Some(addr);
        let p = shared(peer);
        drop(g);
        if let Some(s) = self.slots.get_mut(slot) {
            *s = Some(p.clone());
        }
        Ok(p)
    }

    fn drop_inactive(&mut self) {
        for s in self.slots.iter_mut() {
            if let Some(p) = s {
                if !p.lock_no_callout().active {
                    *s = None;
                }
            }
        }
    }

    fn translate(&mut self, ev: Event) -> ServiceEvent {
        let generation = self.generation;
        match ev {
            Event::Connect { peer, data } => {
                let p = match self.slots.get(peer).cloned().flatten() {
                    Some(p) => p,
                    None => {
                        let p = shared(ENetPacketPeer::new(&self.shared, generation, peer));
                        if let Some(s) = self.slots.get_mut(peer) {
                            *s = Some(p.clone());
                        }
                        p
                    }
                };
                {
                    let mut g = p.lock_no_callout();
                    g.connected = true;
                    g.failure = None;
                    g.last_error.clear();
                }
                ServiceEvent {
                    kind: EventType::Connect,
                    peer: Some(p),
                    data: data as i32,
                    channel: 0,
                }
            }
            Event::Disconnect { peer, data } => {
                let p = self.slots.get_mut(peer).and_then(|s| s.take());
                match p {
                    Some(p) => {
                        {
                            let mut g = p.lock_no_callout();
                            g.note_disconnect(data);
                            g.deactivate();
                            if g.failure.is_some() {
                                self.last_error = g.last_error.clone();
                            }
                        }
                        ServiceEvent {
                            kind: EventType::Disconnect,
                            peer: Some(p),
                            data: data as i32,
                            channel: 0,
                        }
                    }
                    // A peer the wrapper never knew (e.g. a handshake that never completed).
                    None => ServiceEvent::error(),
                }
            }
            Event::Receive {
                peer,
                channel,
                packet,
            } => match self.slots.get(peer).cloned().flatten() {
                Some(p) => {
                    p.lock_no_callout().deliver(channel, packet);
                    ServiceEvent {
                        kind: EventType::Receive,
                        peer: Some(p),
                        data: 0,
                        channel: channel as i32,
                    }
                }
                None => ServiceEvent::error(),
            },
        }
    }

    /// `service(timeout=0)`: drops inactive peers, runs one service step (waiting up to `timeout` ms
    /// for an event) and returns at most one event. RECEIVE appends the packet to the peer's queue.
    ///
    /// Beyond the engine: a peer still CONNECTING whose address the OS reports refused (ICMP port
    /// unreachable, Linux) is reset and reported DISCONNECTED at once (data 0) instead of after
    /// ENet's timeout; its [`ENetPacketPeer::connect_failure`] says `Refused`. A server started
    /// after its client's first CONNECT therefore refuses that client instead of accepting it late,
    /// unless [`ENetConnection::set_fail_connect_on_refused`] turned that off.
    pub fn service(&mut self, timeout: i32) -> ServiceEvent {
        self.drop_inactive();
        let fail_on_refused = self.fail_connect_on_refused;
        if let Some(ev) = self.pending.pop_front() {
            return self.translate(ev);
        }
        let (ev, refused) = {
            let mut g = lock(&self.shared);
            let Some(h) = g.as_mut() else {
                return ServiceEvent::error();
            };
            let ev = match h.host.service(timeout.max(0) as u32, &mut h.io) {
                Ok(ev) => ev,
                Err(e) => {
                    drop(g);
                    self.last_error = format!("service: socket error: {e}");
                    return ServiceEvent::error();
                }
            };
            (ev, take_refusals(h, fail_on_refused))
        };
        for (slot, errno) in refused {
            if let Some(p) = self.slots.get(slot).cloned().flatten() {
                p.lock_no_callout().note_refused(errno);
            }
            self.pending.push_back(Event::Disconnect {
                peer: slot,
                data: 0,
            });
        }
        match ev.or_else(|| self.pending.pop_front()) {
            Some(ev) => self.translate(ev),
            None => ServiceEvent::none(),
        }
    }

    /// Redot's `check_events()`: the next already-queued event, without network I/O.
    pub fn check_events(&mut self) -> ServiceEvent {
        if let Some(ev) = self.pending.pop_front() {
            return self.translate(ev);
        }
        let ev = {
            let mut g = lock(&self.shared);
            let Some(h) = g.as_mut() else {
                return ServiceEvent::error();
            };
            h.host.dispatch()
        };
        match ev {
            Some(ev) => self.translate(ev),
            None => ServiceEvent::none(),
        }
    }

    /// Sends all queued commands now.
    pub fn flush(&mut self) -> Result<()> {
        let mut g = lock(&self.shared);
        let h = g.as_mut().ok_or(Error::Unconfigured)?;
        h.host.flush(&mut h.io).map_err(|_| Error::Failed)
    }

    pub fn bandwidth_limit(&mut self, in_bandwidth: i32, out_bandwidth: i32) -> Result<()> {
        if in_bandwidth < 0 || out_bandwidth < 0 {
            return Err(Error::InvalidParameter);
        }
        let mut g = lock(&self.shared);
        let h = g.as_mut().ok_or(Error::Unconfigured)?;
        h.host
            .set_bandwidth_limit(in_bandwidth as u32, out_bandwidth as u32);
        Ok(())
    }

    /// Limit for future incoming connections (0 or >255 -> 255; <1 -> 1).
    pub fn channel_limit(&mut self, limit: i32) -> Result<()> {
        let mut g = lock(&self.shared);
        let h = g.as_mut().ok_or(Error::Unconfigured)?;
        h.host
            .set_channel_limit(if limit < 0 { 1 } else { limit as usize });
        Ok(())
    }

    /// Queues `packet` to every connected peer. Channel must be < the channel limit; flags ⊆ {1,2,8}.
    pub fn broadcast(&mut self, channel: i32, packet: &[u8], flags: i32) -> Result<()> {
        if flags & !(FLAG_RELIABLE | FLAG_UNSEQUENCED | FLAG_UNRELIABLE_FRAGMENT) != 0 {
            return Err(Error::InvalidParameter);
        }
        let mut g = lock(&self.shared);
        let h = g.as_mut().ok_or(Error::Unconfigured)?;
        if channel < 0 || channel as usize >= h.host.channel_limit() {
            return Err(Error::InvalidParameter);
        }
        h.host.broadcast(channel as u8, packet, flags as u32);
        Ok(())
    }

    /// Installs the compressor for `mode` (both ends must agree).
    pub fn compress(&mut self, mode: CompressionMode) -> Result<()> {
        let levels = self.compression_levels;
        let mut g = lock(&self.shared);
        let h = g.as_mut().ok_or(Error::Unconfigured)?;
        h.host.set_compressor(compressor(mode, levels));
        Ok(())
    }

    /// DTLS servers only; a plain host just remembers the flag.
    /// Beyond the engine: whether a peer still CONNECTING whose address the OS reports refused
    /// (ICMP port unreachable, Linux) fails at once with a DISCONNECT event (true, the default) or
    /// keeps sending its CONNECT until ENet's timeout, as the engine does (false), so that a
    /// server started after its client still accepts it. Nothing sent changes while retrying.
    pub fn set_fail_connect_on_refused(&mut self, on: bool) {
        self.fail_connect_on_refused = on;
    }

    /// See [`ENetConnection::set_fail_connect_on_refused`].
    pub fn is_fail_connect_on_refused(&self) -> bool {
        self.fail_connect_on_refused
    }

    pub fn refuse_new_connections(&mut self, refuse: bool) {
        self.refuse_new_connections = refuse;
        if let Some(HostState {
            io: HostIo::Dtls(d),
            ..
        }) = lock(&self.shared).as_mut()
        {
            d.set_refuse_new_connections(refuse);
        }
    }

    pub fn is_refusing_new_connections(&self) -> bool {
        self.refuse_new_connections
    }

    /// Returns the 32-bit counter and resets it (0 when there is no host).
    pub fn pop_statistic(&mut self, stat: HostStatistic) -> f64 {
        let mut g = lock(&self.shared);
        let Some(h) = g.as_mut() else {
            return 0.0;
        };
        let c = match stat {
            HostStatistic::TotalSentData => &mut h.host.total_sent_data,
            HostStatistic::TotalSentPackets => &mut h.host.total_sent_packets,
            HostStatistic::TotalReceivedData => &mut h.host.total_received_data,
            HostStatistic::TotalReceivedPackets => &mut h.host.total_received_packets,
        };
        std::mem::take(c) as f64
    }

    /// The host channel limit (0 when there is no host).
    pub fn get_max_channels(&self) -> i32 {
        lock(&self.shared)
            .as_ref()
            .map(|h| h.host.channel_limit() as i32)
            .unwrap_or(0)
    }

    /// 0 if no host or not explicitly bound.
    pub fn get_local_port(&self) -> i32 {
        lock(&self.shared)
            .as_ref()
            .filter(|h| h.bound)
            .and_then(|h| h.io.local_addr().ok())
            .map(|a| a.port() as i32)
            .unwrap_or(0)
    }

    /// Every peer object the connection knows, in any state.
    pub fn get_peers(&self) -> Vec<SharedPacketPeer> {
        self.slots.iter().flatten().cloned().collect()
    }

    /// Sends raw bytes as one datagram from the host's socket (NAT punching). Needs a bound host.
    pub fn socket_send(
        &mut self,
        destination_address: &str,
        destination_port: i32,
        packet: &[u8],
    ) -> Result<()> {
        if !(1..=65535).contains(&destination_port) {
            return Err(Error::InvalidParameter);
        }
        let addr =
            resolve(destination_address, destination_port as u16).ok_or(Error::CantResolve)?;
        let mut g = lock(&self.shared);
        let h = g.as_mut().ok_or(Error::Unconfigured)?;
        if !h.bound {
            return Err(Error::Unconfigured);
        }
        let r = h.io.raw_send_to(packet, addr).map(|_| ());
        drop(g);
        r.map_err(|e| {
            self.last_error = format!("socket_send to {addr}: {e}");
            Error::Failed
        })
    }

    /// `dtls_server_setup(server_options)`: from now on the host speaks ENet over DTLS as a server on
    /// its socket (`docs/classes.md` §18.5). `ERR_UNCONFIGURED` without a host; `ERR_INVALID_PARAMETER`
    /// for client options; `ERR_ALREADY_IN_USE` if the host already uses DTLS.
    pub fn dtls_server_setup(&mut self, options: &TlsOptions) -> Result<()> {
        let refuse = self.refuse_new_connections;
        let mut g = lock(&self.shared);
        let h = g.as_mut().ok_or(Error::Unconfigured)?;
        if !matches!(h.io, HostIo::Udp(_)) {
            return Err(Error::AlreadyInUse);
        }
        let mut server = DtlsServer::new();
        server.setup(options)?;
        if let HostIo::Udp(u) = std::mem::replace(&mut h.io, HostIo::Switching) {
            let mut t = DtlsEnetTransport::with_server(u, server);
            t.set_refuse_new_connections(refuse);
            h.io = HostIo::Dtls(Box::new(t));
        }
        Ok(())
    }

    /// `dtls_client_setup(hostname, client_options = null)`: from now on the host speaks ENet over
    /// DTLS as a client; each address it connects to gets a DTLS session checked against `hostname`
    /// (per the options). `ERR_UNCONFIGURED` without a host; `ERR_INVALID_PARAMETER` for server
    /// options; `ERR_ALREADY_IN_USE` if the host already uses DTLS.
    pub fn dtls_client_setup(
        &mut self,
        hostname: &str,
        options: Option<&TlsOptions>,
    ) -> Result<()> {
        let mut g = lock(&self.shared);
        let h = g.as_mut().ok_or(Error::Unconfigured)?;
        if !matches!(h.io, HostIo::Udp(_)) {
            return Err(Error::AlreadyInUse);
        }
        if options.is_some_and(|o| o.is_server()) {
            return Err(Error::InvalidParameter);
        }
        if let HostIo::Udp(u) = std::mem::replace(&mut h.io, HostIo::Switching) {
            match DtlsEnetTransport::client(u, hostname, options) {
                Ok(t) => h.io = HostIo::Dtls(Box::new(t)),
                // Unreachable: the options were checked above.
                Err(_) => return Err(Error::Bug),
            }
        }
        Ok(())
    }

    /// Counters of the DTLS layer (None without a host or without DTLS).
    pub fn dtls_stats(&self) -> Option<crate::tls::enet_dtls::EnetDtlsStats> {
        match lock(&self.shared).as_ref().map(|h| &h.io) {
            Some(HostIo::Dtls(d)) => Some(d.stats()),
            _ => None,
        }
    }

    /// Puts a network conditioner (`crate::conditioner`) on the host's socket, under ENet (and
    /// under DTLS when it is on), or removes it with `None`. `Error::Unconfigured` without a host;
    /// `Error::InvalidParameter` for bad options. A new host starts without one.
    pub fn set_conditioner(
        &mut self,
        opts: Option<crate::conditioner::ConditionerOptions>,
    ) -> Result<()> {
        match lock(&self.shared).as_mut().map(|h| h.io.udp_mut()) {
            Some(Some(u)) => u.set_conditioner(opts),
            _ => Err(Error::Unconfigured),
        }
    }

    /// What the socket's conditioner did (None without a host or conditioner).
    pub fn conditioner_stats(&self) -> Option<crate::conditioner::ConditionerStats> {
        lock(&self.shared)
            .as_ref()
            .and_then(|h| h.io.udp())
            .and_then(|u| u.conditioner_stats())
    }

    /// Counters of hostile input seen by the host.
    pub fn anomalies(&self) -> Option<super::host::Anomalies> {
        lock(&self.shared).as_ref().map(|h| h.host.anomalies)
    }
}

/// Resets every CONNECTING peer whose address the socket's OS reported refused (ECONNREFUSED: ICMP
/// port unreachable) and returns their slots with the OS error number. Other ICMP errors (host
/// unreachable...) may be passing; ENet goes on retrying through them.
/// With `reset` false the reports are drained and ignored: ENet keeps retrying, as in the engine.
fn take_refusals(h: &mut HostState, reset: bool) -> Vec<(usize, i32)> {
    let mut out = Vec::new();
    let Some(u) = h.io.udp_mut() else {
        return out;
    };
    while let Some(r) = u.take_unreachable() {
        if !reset || r.errno != libc::ECONNREFUSED {
            continue;
        }
        for slot in 0..h.host.peer_count() {
            let hit = h.host.peer(slot).is_some_and(|p| {
                p.state() == PeerState::Connecting
                    && p.address().map(addr::canonical_socket) == Some(r.destination)
            });
            if hit {
                h.host.peer_reset(slot);
                out.push((slot, r.errno));
            }
        }
    }
    out
}

/// IP literal or host name (blocking resolution, first address of any family).
fn resolve(address: &str, port: u16) -> Option<SocketAddr> {
    if let Ok(ip) = address.parse::<IpAddr>() {
        return Some(SocketAddr::new(ip, port));
    }
    if address.is_empty() || address == "*" {
        return None;
    }
    (address, port).to_socket_addrs().ok()?.next()
}

#[allow(dead_code)]
fn _assert_send() {
    fn is_send<T: Send>() {}
    is_send::<ENetPacketPeer>();
    is_send::<ENetConnection>();
    let _ = Ipv6Addr::UNSPECIFIED;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_refusals_name_their_cause_and_keep_their_codes() {
        let mut c = ENetConnection::new();
        let cause = |c: &mut ENetConnection, addr: &str, port: i32, channels: i32| {
            c.try_connect_to_host(addr, port, channels, 0).err()
        };
        // Arguments before the host, the host before the name: the order the C API reports.
        assert_eq!(cause(&mut c, "", 0, 0), Some(ConnectError::BadPort(0)));
        assert_eq!(
            cause(&mut c, "", 1, 256),
            Some(ConnectError::BadChannelCount(256))
        );
        assert_eq!(cause(&mut c, "", 1, 0), Some(ConnectError::NoHost));
        c.create_host_bound("127.0.0.1", 0, 1, 0, 0, 0).unwrap();
        assert_eq!(cause(&mut c, "", 1, 0), Some(ConnectError::Unresolved));
        assert!(c.try_connect_to_host("127.0.0.1", 1, 0, 0).is_ok());
        assert_eq!(
            cause(&mut c, "127.0.0.1", 1, 0),
            Some(ConnectError::AlreadyHasPeer)
        );
        let codes = [
            (ConnectError::BadPort(0), Error::InvalidParameter),
            (ConnectError::BadChannelCount(256), Error::InvalidParameter),
            (ConnectError::NoHost, Error::Unconfigured),
            (ConnectError::AlreadyHasPeer, Error::CantConnect),
            (ConnectError::Unresolved, Error::CantConnect),
            (ConnectError::NoFreeSlot, Error::CantConnect),
        ];
        for (cause, code) in codes {
            assert_eq!(Error::from(cause), code, "{cause}");
        }
    }

    #[test]
    fn argument_checks() {
        let mut c = ENetConnection::new();
        assert_eq!(c.create_host(0, 0, 0, 0), Err(Error::InvalidParameter));
        assert_eq!(c.create_host(4096, 0, 0, 0), Err(Error::InvalidParameter));
        assert_eq!(c.create_host(1, 256, 0, 0), Err(Error::InvalidParameter));
        assert_eq!(c.create_host(1, 0, -1, 0), Err(Error::InvalidParameter));
        assert_eq!(
            c.create_host_bound("nope", 0, 1, 0, 0, 0),
            Err(Error::InvalidParameter)
        );
        assert_eq!(
            c.create_host_bound("127.0.0.1", 70000, 1, 0, 0, 0),
            Err(Error::InvalidParameter)
        );
        assert!(matches!(c.service(0).kind, EventType::Error));
        assert!(c.connect_to_host("127.0.0.1", 1234, 0, 0).is_none());
        assert_eq!(c.destroy(), Err(Error::Unconfigured));
        c.create_host_bound("127.0.0.1", 0, 4, 0, 0, 0).unwrap();
        assert_eq!(c.create_host(1, 0, 0, 0), Err(Error::AlreadyInUse));
        assert_eq!(c.get_max_channels(), 255);
        assert!(c.get_local_port() > 0);
        assert!(c.connect_to_host("127.0.0.1", 0, 0, 0).is_none());
        assert_eq!(c.broadcast(0, b"x", 4), Err(Error::InvalidParameter));
        assert_eq!(c.broadcast(255, b"x", 1), Err(Error::InvalidParameter));
        c.destroy().unwrap();
        assert_eq!(c.get_local_port(), 0);
    }
}
