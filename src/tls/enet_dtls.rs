//! ENet over DTLS (`docs/classes.md` §18.5): an ENet [`Transport`] that carries each ENet datagram,
//! unchanged and unframed, as the plaintext of one DTLS 1.2 application-data record on the same UDP
//! socket, with one DTLS session per remote address:port.
//!
//! Same as the engine's `ENetDTLS` wrappers: a client's first send towards an address (ENet's
//! CONNECT) starts the DTLS handshake with that address (name checked per the TLSOptions); while it
//! runs, ENet's sends are dropped (reported to ENet as not sent), so ENet's own retransmission resends
//! the CONNECT once the session is up. A server answers every new source with the cookie round
//! (DTLSServer), keeps at most `max_pending` handshakes from new sources (16; 0 while refusing new
//! connections), removes sessions that failed or closed, and drops datagrams from sources without a
//! live session (the ENet peer then times out). A Godot DTLS server does not accept plain ENet and
//! vice versa.
//!
//! Beyond the engine: everything dropped is counted ([`EnetDtlsStats`]); per-session input queues are
//! bounded; the reason of the last session failure is kept (`last_error`).
#![forbid(unsafe_code)]

use std::collections::{HashMap, VecDeque};
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::dtls::{transport_id, DtlsServer, PacketPeerDtls};
use super::io::Datagram;
use super::{TlsOptions, TlsStatus};
use crate::enet::host::Transport;
use crate::error::Error;
use crate::peer::PacketPeer;

/// Handshakes from new sources a server keeps at once (the engine's UDPServer default).
pub const DEFAULT_MAX_PENDING: usize = 16;
/// Datagrams queued per session before the session has read them.
const SESSION_QUEUE_MAX: usize = 256;
/// Decrypted ENet datagrams waiting for ENet.
const INBOX_MAX: usize = 4096;
/// Datagrams read from the socket per `recv_from` before sessions are polled.
const READ_BURST: usize = 1024;

/// Counters of an ENet-over-DTLS transport.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EnetDtlsStats {
    /// Datagrams from sources without a live session (dropped).
    pub dropped_no_session: u64,
    /// New sources refused because `max_pending` handshakes were under way or new connections are
    /// refused (server).
    pub refused_sources: u64,
    /// ENet sends dropped because the session was still handshaking.
    pub dropped_handshaking: u64,
    /// Datagrams dropped because a session's queue or the ENet inbox was full.
    pub dropped_queue_full: u64,
    /// Sessions removed after an error or a close.
    pub sessions_closed: u64,
    /// Sessions that completed their handshake.
    pub sessions_connected: u64,
}

type Outbox = Arc<Mutex<VecDeque<(Vec<u8>, SocketAddr)>>>;

/// Sessions are keyed by address with IPv4-mapped IPv6 addresses as IPv4: a dual-stack socket
/// reports `::ffff:a.b.c.d` for the `a.b.c.d` ENet sends to.
fn key(a: SocketAddr) -> SocketAddr {
    match a {
        SocketAddr::V6(v6) => match v6.ip().to_ipv4_mapped() {
            Some(v4) => SocketAddr::new(v4.into(), v6.port()),
            None => a,
        },
        v4 => v4,
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// One session's datagram transport: its own input queue, and the shared outbox.
struct SessionIo {
    to: SocketAddr,
    incoming: Arc<Mutex<VecDeque<Vec<u8>>>>,
    out: Outbox,
}

impl Datagram for SessionIo {
    fn recv(&mut self, buf: &mut [u8]) -> Result<Option<usize>, Error> {
        Ok(lock(&self.incoming).pop_front().map(|d| {
            let n = d.len().min(buf.len());
            buf[..n].copy_from_slice(&d[..n]);
            n
        }))
    }

    fn send(&mut self, data: &[u8]) -> Result<(), Error> {
        lock(&self.out).push_back((data.to_vec(), self.to));
        Ok(())
    }
}

struct Session {
    peer: PacketPeerDtls,
    incoming: Arc<Mutex<VecDeque<Vec<u8>>>>,
    was_connected: bool,
}

enum Mode {
    Client {
        options: TlsOptions,
        hostname: String,
    },
    Server {
        server: Box<DtlsServer>,
    },
}

/// ENet over DTLS on top of another transport (normally the host's UDP socket).
pub struct DtlsEnetTransport<T: Transport> {
    inner: T,
    mode: Mode,
    sessions: HashMap<SocketAddr, Session>,
    out: Outbox,
    inbox: VecDeque<(Vec<u8>, SocketAddr)>,
    scratch: Vec<u8>,
    max_pending: usize,
    refuse_new: bool,
    stats: EnetDtlsStats,
    last_error: String,
}

impl<T: Transport> DtlsEnetTransport<T> {
    /// The client side (`dtls_client_setup(hostname, client_options)`): `options` None =
    /// `TLSOptions.client()`; server options are `ERR_INVALID_PARAMETER`.
    pub fn client(inner: T, hostname: &str, options: Option<&TlsOptions>) -> Result<Self, Error> {
        let options = options
            .cloned()
            .unwrap_or_else(|| TlsOptions::client(None, ""));
        if options.is_server() {
            return Err(Error::InvalidParameter);
        }
        Ok(Self::make(
            inner,
            Mode::Client {
                options,
                hostname: hostname.to_owned(),
            },
        ))
    }

    /// The server side (`dtls_server_setup(server_options)`): client options are
    /// `ERR_INVALID_PARAMETER`.
    pub fn server(inner: T, options: &TlsOptions) -> Result<Self, Error> {
        let mut server = DtlsServer::new();
        server.setup(options)?;
        Ok(Self::with_server(inner, server))
    }

    /// The server side with a DTLSServer already set up.
    pub fn with_server(inner: T, server: DtlsServer) -> Self {
        Self::make(
            inner,
            Mode::Server {
                server: Box::new(server),
            },
        )
    }

    fn make(inner: T, mode: Mode) -> Self {
        DtlsEnetTransport {
            inner,
            mode,
            sessions: HashMap::new(),
            out: Arc::new(Mutex::new(VecDeque::new())),
            inbox: VecDeque::new(),
            scratch: vec![0; 65536],
            max_pending: DEFAULT_MAX_PENDING,
            refuse_new: false,
            stats: EnetDtlsStats::default(),
            last_error: String::new(),
        }
    }

    pub fn inner(&self) -> &T {
        &self.inner
    }

    pub fn inner_mut(&mut self) -> &mut T {
        &mut self.inner
    }

    pub fn stats(&self) -> EnetDtlsStats {
        self.stats
    }

    /// Why the last session failed ("" if none did).
    pub fn last_error(&self) -> &str {
        &self.last_error
    }

    /// Server: no new sources while `refuse` (the engine sets its UDPServer's pending limit to 0).
    pub fn set_refuse_new_connections(&mut self, refuse: bool) {
        self.refuse_new = refuse;
    }

    pub fn set_max_pending(&mut self, n: usize) {
        self.max_pending = n;
    }

    /// Server counters of the cookie rounds and refusals (None on a client).
    pub fn dtls_server(&self) -> Option<&DtlsServer> {
        match &self.mode {
            Mode::Server { server } => Some(server),
            Mode::Client { .. } => None,
        }
    }

    /// Sessions (any state).
    pub fn session_count(&self) -> usize {
        self.sessions.len()
    }

    fn flush_out(&mut self) -> io::Result<()> {
        let batch: Vec<_> = lock(&self.out).drain(..).collect();
        for (d, to) in batch {
            self.inner.send_to(&d, to)?;
        }
        Ok(())
    }

    /// A session for `to` whose transport starts with `first`. Err: no session (client setup
    /// failed, the cookie round, or no ClientHello), with the datagrams it did not read.
    fn new_session(
        &mut self,
        to: SocketAddr,
        first: VecDeque<Vec<u8>>,
    ) -> Result<Session, VecDeque<Vec<u8>>> {
        let incoming = Arc::new(Mutex::new(first));
        let io = Box::new(SessionIo {
            to,
            incoming: incoming.clone(),
            out: self.out.clone(),
        });
        let left = |incoming: &Arc<Mutex<VecDeque<Vec<u8>>>>| std::mem::take(&mut *lock(incoming));
        let peer = match &mut self.mode {
            Mode::Client { options, hostname } => {
                let mut p = PacketPeerDtls::new();
                if p.connect_over(io, hostname, Some(options)).is_err() {
                    self.last_error = p.get_last_error_text().to_owned();
                    self.stats.sessions_closed += 1;
                    return Err(left(&incoming));
                }
                p
            }
            Mode::Server { server } => {
                let Some(p) = server.accept_over(io, transport_id(to.ip(), to.port())) else {
                    return Err(left(&incoming));
                };
                if !matches!(
                    p.get_status(),
                    TlsStatus::Handshaking | TlsStatus::Connected
                ) {
                    // The cookie round (answered statelessly) or a datagram that is no ClientHello.
                    return Err(left(&incoming));
                }
                p
            }
        };
        Ok(Session {
            peer,
            incoming,
            was_connected: false,
        })
    }

    /// Reads the socket, routes datagrams to sessions, polls them and collects what they decrypted.
    fn pump(&mut self) -> io::Result<()> {
        // Datagrams of sources without a session, grouped per source in arrival order: a new
        // source's session is made once the burst is read, with all of them (a ClientHello may come
        // in several fragments, `DtlsServer::accept_over` reassembles it).
        let mut fresh: Vec<(SocketAddr, Vec<Vec<u8>>)> = Vec::new();
        for _ in 0..READ_BURST {
            let Some((n, from)) = self.inner.recv_from(&mut self.scratch)? else {
                break;
            };
            let d = self.scratch[..n].to_vec();
            if let Some(s) = self.sessions.get(&key(from)) {
                let mut q = lock(&s.incoming);
                if q.len() >= SESSION_QUEUE_MAX {
                    self.stats.dropped_queue_full += 1;
                } else {
                    q.push_back(d);
                }
                continue;
            }
            if matches!(self.mode, Mode::Client { .. }) {
                self.stats.dropped_no_session += 1;
                continue;
            }
            match fresh.iter_mut().find(|(a, _)| key(*a) == key(from)) {
                Some((_, ds)) => ds.push(d),
                None => fresh.push((from, vec![d])),
            }
        }
        for (from, ds) in fresh {
            // A session is made from the source's first datagram (and the rest of a fragmented
            // ClientHello); what it did not read is tried again (a ClientHello with its cookie
            // queued behind a retransmitted one that got the cookie round).
            let mut rest = VecDeque::from(ds);
            if rest.len() > SESSION_QUEUE_MAX {
                self.stats.dropped_queue_full += (rest.len() - SESSION_QUEUE_MAX) as u64;
                rest.truncate(SESSION_QUEUE_MAX);
            }
            while !rest.is_empty() {
                let pending = self
                    .sessions
                    .values()
                    .filter(|s| s.peer.get_status() == TlsStatus::Handshaking)
                    .count();
                let limit = if self.refuse_new { 0 } else { self.max_pending };
                if pending >= limit {
                    self.stats.refused_sources += rest.len() as u64;
                    break;
                }
                let before = rest.len();
                match self.new_session(from, rest) {
                    Ok(s) => {
                        self.sessions.insert(key(from), s);
                        break;
                    }
                    Err(mut left) => {
                        // The datagrams read were dropped (cookie round, or no ClientHello); the
                        // first one always is, so the loop ends.
                        if left.len() >= before {
                            left.pop_front();
                        }
                        self.stats.dropped_no_session += (before - left.len()) as u64;
                        rest = left;
                    }
                }
            }
        }
        let mut closed = Vec::new();
        for (addr, s) in self.sessions.iter_mut() {
            s.peer.poll();
            match s.peer.get_status() {
                TlsStatus::Connected => {
                    if !s.was_connected {
                        s.was_connected = true;
                        self.stats.sessions_connected += 1;
                    }
                    while s.peer.get_available_packet_count() > 0 {
                        match s.peer.get_packet() {
                            Ok(p) => {
                                if self.inbox.len() >= INBOX_MAX {
                                    self.stats.dropped_queue_full += 1;
                                } else {
                                    self.inbox.push_back((p.to_vec(), *addr));
                                }
                            }
                            Err(_) => break,
                        }
                    }
                }
                TlsStatus::Handshaking => {}
                _ => {
                    // Packets decrypted before the close are still delivered.
                    while let Ok(p) = s.peer.get_packet() {
                        self.inbox.push_back((p.to_vec(), *addr));
                    }
                    closed.push(*addr);
                }
            }
        }
        for a in closed {
            if let Some(s) = self.sessions.remove(&a) {
                self.stats.sessions_closed += 1;
                let t = s.peer.get_last_error_text();
                if !t.is_empty() {
                    self.last_error = t.to_owned();
                }
            }
        }
        self.flush_out()
    }
}

impl<T: Transport> Transport for DtlsEnetTransport<T> {
    fn send_to(&mut self, data: &[u8], to: SocketAddr) -> io::Result<usize> {
        if !self.sessions.contains_key(&key(to)) {
            if matches!(self.mode, Mode::Server { .. }) {
                self.stats.dropped_no_session += 1;
                return Ok(0);
            }
            if let Ok(s) = self.new_session(to, VecDeque::new()) {
                self.sessions.insert(key(to), s);
            }
            self.flush_out()?;
            self.stats.dropped_handshaking += 1;
            return Ok(0);
        }
        let r = match self.sessions.get_mut(&key(to)) {
            Some(s) if s.peer.get_status() == TlsStatus::Connected => s.peer.put_packet(data),
            Some(s) => {
                s.peer.poll();
                self.stats.dropped_handshaking += 1;
                Err(Error::Busy)
            }
            None => Err(Error::Unavailable),
        };
        self.flush_out()?;
        Ok(if r.is_ok() { data.len() } else { 0 })
    }

    fn recv_from(&mut self, buf: &mut [u8]) -> io::Result<Option<(usize, SocketAddr)>> {
        if self.inbox.is_empty() {
            self.pump()?;
        }
        Ok(self.inbox.pop_front().map(|(d, from)| {
            let n = d.len().min(buf.len());
            buf[..n].copy_from_slice(&d[..n]);
            (n, from)
        }))
    }

    fn wait_readable(&mut self, timeout: Duration) -> io::Result<()> {
        if !self.inbox.is_empty() {
            return Ok(());
        }
        // Handshakes need their retransmission timers run even when nothing arrives.
        let t = if self
            .sessions
            .values()
            .any(|s| s.peer.get_status() == TlsStatus::Handshaking)
        {
            timeout.min(Duration::from_millis(50))
        } else {
            timeout
        };
        self.inner.wait_readable(t)
    }
}
