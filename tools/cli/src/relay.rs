//! `packetpeer relay`: a UDP relay between Godot clients and a server that shows every message.
//!
//! Clients send to the relay's port; for each client address the relay opens its own socket towards
//! the target, so the server sees one address per client. Datagrams go through a
//! [`Conditioner`] (client → server is its outgoing lane, server → client its incoming lane), then
//! out. Each datagram is shown as it arrives at the relay (what the sender sent):
//! * `--proto udp`: one message per datagram;
//! * `--proto tcp`: one TCP connection to the target per client, bytes forwarded as they come
//!   (at most 4 MiB waiting per side, then the other side is not read), PacketPeerStream frames
//!   shown (longer than 64 MiB: forwarded, counted, not shown); no conditioner (it acts on datagrams);
//! * `--proto enet`: the ENet header and commands are parsed with the library's own parser,
//!   compression is undone when `--compression` names the mode, fragments are reassembled, and a
//!   reliable command resent by ENet is shown once (its sequence number was seen).
//!
//! Memory is bounded whatever the traffic: at most [`MAX_CLIENTS`] clients, [`MAX_REASSEMBLY_BYTES`]
//! of fragments in reassembly (the oldest is dropped and counted), a window of recent reliable
//! sequence numbers per channel, the conditioner's bounded queue. Everything dropped is counted in
//! the final `stats` line.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Read;
use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use packetpeer::conditioner::{Conditioner, ConditionerOptions, ConditionerStats, Direction};
use packetpeer::enet::compress::{compressor, CompressionLevels, CompressionMode};
use packetpeer::enet::host::Compressor;
use packetpeer::enet::protocol::{Command, Commands, DatagramHeader};
use packetpeer::multiplayer::scene::{self, SceneCommand};
use packetpeer::variant::{self, text::to_text_bounded, DecodeOptions};
use serde_json::json;

/// Clients (distinct source addresses) the relay serves at once; datagrams from more are dropped
/// and counted.
pub const MAX_CLIENTS: usize = 64;
/// Bytes of fragments held for reassembly at most, over all messages.
pub const MAX_REASSEMBLY_BYTES: usize = 64 << 20;
/// Reliable sequence numbers remembered per (client, direction, channel) to show resends once.
const SEEN_WINDOW: usize = 8192;
/// A shown Variant's text is cut at this many bytes.
const MAX_TEXT: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proto {
    Udp,
    Enet,
    /// TCP carrying PacketPeerStream frames (u32 little-endian length, then the packet).
    Tcp,
}

pub struct Config {
    pub listen: SocketAddr,
    pub target: SocketAddr,
    pub proto: Proto,
    pub compression: CompressionMode,
    pub json: bool,
    pub decode: DecodeOptions,
    pub conditioner: ConditionerOptions,
    /// Stop after this long (None: until stdin closes).
    pub duration: Option<Duration>,
}

/// Counters printed at the end.
#[derive(Debug, Default, Clone, Copy)]
pub struct RelayStats {
    pub datagrams: [u64; 2],
    pub messages: [u64; 2],
    pub resends_hidden: u64,
    pub clients_refused: u64,
    pub reassembly_dropped: u64,
    pub undecodable: u64,
    /// TCP frames longer than [`MAX_FRAME`]: forwarded, not shown.
    pub frames_too_long: u64,
}

/// PacketPeerStream frames longer than this are forwarded but not shown (and not buffered).
pub const MAX_FRAME: usize = 64 << 20;
/// Bytes waiting to be written to a TCP side at most; past it the other side is not read.
const MAX_TCP_PENDING: usize = 4 << 20;

/// One TCP client and its connection to the target, and a frame parser per direction.
struct TcpConn {
    peer: SocketAddr,
    /// [client side, server side]
    socks: [TcpStream; 2],
    /// Bytes waiting to be written to each side.
    pending: [Vec<u8>; 2],
    /// Frame parsing per direction (0: client to server).
    parse: [Vec<u8>; 2],
    skip: [usize; 2],
    closed: bool,
}

struct Client {
    addr: SocketAddr,
    upstream: UdpSocket,
}

#[derive(Default)]
struct Reassembly {
    total: usize,
    count: u32,
    got: HashSet<u32>,
    data: Vec<u8>,
    reliable: bool,
}

#[derive(Default)]
struct Channel {
    seen: HashSet<u16>,
    order: VecDeque<u16>,
}

pub struct Relay<W: Write> {
    cfg: Config,
    out: W,
    listen: UdpSocket,
    tcp: Option<TcpListener>,
    tcp_conns: Vec<TcpConn>,
    clients: Vec<Client>,
    cond: Conditioner<usize>,
    comp: Option<Box<dyn Compressor>>,
    channels: HashMap<(usize, usize, u8), Channel>,
    frags: HashMap<FragKey, Reassembly>,
    frag_order: VecDeque<FragKey>,
    frag_bytes: usize,
    pub stats: RelayStats,
    buf: Vec<u8>,
}

/// Client, direction, channel, start sequence number, reliable.
type FragKey = (usize, usize, u8, u16, bool);

const DIRS: [&str; 2] = ["c>s", "s>c"];
const DIR_JSON: [&str; 2] = ["client_to_server", "server_to_client"];

impl<W: Write> Relay<W> {
    pub fn new(cfg: Config, out: W) -> io::Result<Self> {
        // TCP mode listens on TCP; the UDP socket is then unused (bound to any port).
        let (listen, tcp) = if cfg.proto == Proto::Tcp {
            let l = TcpListener::bind(cfg.listen)?;
            l.set_nonblocking(true)?;
            let any = SocketAddr::new(cfg.listen.ip(), 0);
            (UdpSocket::bind(any)?, Some(l))
        } else {
            (UdpSocket::bind(cfg.listen)?, None)
        };
        listen.set_nonblocking(true)?;
        let cond = Conditioner::new(cfg.conditioner)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "bad conditioner options"))?;
        let comp = compressor(cfg.compression, CompressionLevels::default());
        Ok(Relay {
            cfg,
            out,
            listen,
            tcp,
            tcp_conns: Vec::new(),
            clients: Vec::new(),
            cond,
            comp,
            channels: HashMap::new(),
            frags: HashMap::new(),
            frag_order: VecDeque::new(),
            frag_bytes: 0,
            stats: RelayStats::default(),
            buf: vec![0; 65536],
        })
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        match &self.tcp {
            Some(t) => t.local_addr(),
            None => self.listen.local_addr(),
        }
    }

    pub fn conditioner_stats(&self) -> ConditionerStats {
        self.cond.stats()
    }

    fn peer_of(&self, client: usize) -> SocketAddr {
        match self.cfg.proto {
            Proto::Tcp => self.tcp_conns[client].peer,
            _ => self.clients[client].addr,
        }
    }

    fn client_index(&mut self, from: SocketAddr) -> Option<usize> {
        if let Some(i) = self.clients.iter().position(|c| c.addr == from) {
            return Some(i);
        }
        if self.clients.len() >= MAX_CLIENTS {
            self.stats.clients_refused += 1;
            return None;
        }
        let any: SocketAddr = if self.cfg.target.is_ipv4() {
            "0.0.0.0:0".parse().ok()?
        } else {
            "[::]:0".parse().ok()?
        };
        let upstream = UdpSocket::bind(any).ok()?;
        upstream.connect(self.cfg.target).ok()?;
        upstream.set_nonblocking(true).ok()?;
        self.clients.push(Client {
            addr: from,
            upstream,
        });
        Some(self.clients.len() - 1)
    }

    /// One round: read what is waiting, show it, condition it, forward what is due. Returns
    /// whether anything was read.
    pub fn step(&mut self) -> io::Result<bool> {
        if self.tcp.is_some() {
            return self.tcp_step();
        }
        let mut busy = false;
        for _ in 0..256 {
            match self.listen.recv_from(&mut self.buf) {
                Ok((n, from)) => {
                    busy = true;
                    if let Some(i) = self.client_index(from) {
                        let d = self.buf[..n].to_vec();
                        self.show(0, i, &d)?;
                        self.cond.offer(Direction::Outgoing, &d, &i, Instant::now());
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::ConnectionReset => continue,
                Err(e) => return Err(e),
            }
        }
        for i in 0..self.clients.len() {
            for _ in 0..256 {
                match self.clients[i].upstream.recv(&mut self.buf) {
                    Ok(n) => {
                        busy = true;
                        let d = self.buf[..n].to_vec();
                        self.show(1, i, &d)?;
                        self.cond.offer(Direction::Incoming, &d, &i, Instant::now());
                    }
                    Err(e)
                        if e.kind() == io::ErrorKind::WouldBlock
                            || e.kind() == io::ErrorKind::ConnectionRefused =>
                    {
                        break
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        let now = Instant::now();
        while let Some((d, i)) = self.cond.pop_due(Direction::Outgoing, now) {
            if self.clients[i].upstream.send(&d).is_err() {
                self.cond.count_send_failed(Direction::Outgoing);
            }
        }
        while let Some((d, i)) = self.cond.pop_due(Direction::Incoming, now) {
            if self.listen.send_to(&d, self.clients[i].addr).is_err() {
                self.cond.count_send_failed(Direction::Incoming);
            }
        }
        Ok(busy)
    }

    /// Runs until `stop` is set or the duration passes, then prints the stats line.
    pub fn run(&mut self, stop: &AtomicBool) -> io::Result<()> {
        let start = Instant::now();
        let mut idle = 0u32;
        while !stop.load(Ordering::Relaxed) && self.cfg.duration.is_none_or(|d| start.elapsed() < d)
        {
            // While traffic flows, only yield between rounds (low added latency); after a few
            // thousand idle rounds, sleep (an idle relay costs almost no CPU).
            if self.step()? {
                idle = 0;
            } else if idle < 4096 || self.cond.next_due().is_some() {
                idle = idle.saturating_add(1);
                std::thread::yield_now();
            } else {
                std::thread::sleep(Duration::from_micros(500));
            }
        }
        self.print_stats()
    }

    pub fn print_stats(&mut self) -> io::Result<()> {
        let c = self.cond.stats();
        let s = self.stats;
        let dir = |d: packetpeer::conditioner::DirectionStats| {
            json!({ "offered": d.offered, "released": d.released, "dropped_loss": d.dropped_loss,
                    "dropped_overflow": d.dropped_overflow, "duplicated": d.duplicated,
                    "reordered": d.reordered, "send_failed": d.send_failed, "queued": d.queued })
        };
        let line = json!({
            "event": "stats",
            "datagrams": { "client_to_server": s.datagrams[0], "server_to_client": s.datagrams[1] },
            "messages": { "client_to_server": s.messages[0], "server_to_client": s.messages[1] },
            "resends_hidden": s.resends_hidden,
            "clients_refused": s.clients_refused,
            "reassembly_dropped": s.reassembly_dropped,
            "undecodable": s.undecodable,
            "frames_too_long": s.frames_too_long,
            "conditioner": { "client_to_server": dir(c.outgoing), "server_to_client": dir(c.incoming) },
        });
        if self.cfg.json {
            writeln!(self.out, "{line}")?;
        } else {
            writeln!(self.out, "stats {line}")?;
        }
        self.out.flush()
    }

    fn show(&mut self, dir: usize, client: usize, d: &[u8]) -> io::Result<()> {
        self.stats.datagrams[dir] += 1;
        match self.cfg.proto {
            Proto::Udp | Proto::Tcp => self.message(dir, client, None, "datagram", d),
            Proto::Enet => self.show_enet(dir, client, d),
        }
    }

    fn show_enet(&mut self, dir: usize, client: usize, d: &[u8]) -> io::Result<()> {
        let Some((header, hsize)) = DatagramHeader::parse(d) else {
            self.stats.undecodable += 1;
            return Ok(());
        };
        let mut body = d.get(hsize..).unwrap_or(&[]).to_vec();
        if header.compressed {
            let mut out = Vec::new();
            let ok = match self.comp.as_mut() {
                Some(c) => c.decompress(&body, &mut out, 4096),
                None => false,
            };
            if !ok {
                self.stats.undecodable += 1;
                return self.event(
                    dir,
                    client,
                    "compressed datagram (give --compression to see it)",
                );
            }
            body = out;
        }
        for item in Commands::new(&body) {
            let Ok((h, cmd, payload)) = item else {
                self.stats.undecodable += 1;
                break;
            };
            let ch = h.channel_id;
            match cmd {
                Command::Connect(_) => self.event(dir, client, "connect")?,
                Command::VerifyConnect(_) => self.event(dir, client, "verify_connect")?,
                Command::Disconnect { .. } => self.event(dir, client, "disconnect")?,
                Command::SendReliable { .. }
                    if self.first_time(dir, client, ch, h.reliable_sequence_number) =>
                {
                    self.message(dir, client, Some(ch), "reliable", payload)?;
                }
                Command::SendUnreliable { .. } => {
                    self.message(dir, client, Some(ch), "unreliable", payload)?
                }
                Command::SendUnsequenced { .. } => {
                    self.message(dir, client, Some(ch), "unsequenced", payload)?
                }
                Command::SendFragment(f) | Command::SendUnreliableFragment(f) => {
                    let reliable = matches!(cmd, Command::SendFragment(_));
                    if reliable && !self.first_time(dir, client, ch, h.reliable_sequence_number) {
                        continue;
                    }
                    self.fragment(dir, client, ch, f, reliable, payload)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Whether a reliable sequence number is new on this channel (remembering it).
    fn first_time(&mut self, dir: usize, client: usize, ch: u8, seq: u16) -> bool {
        let c = self.channels.entry((client, dir, ch)).or_default();
        if !c.seen.insert(seq) {
            self.stats.resends_hidden += 1;
            return false;
        }
        c.order.push_back(seq);
        if c.order.len() > SEEN_WINDOW {
            if let Some(old) = c.order.pop_front() {
                c.seen.remove(&old);
            }
        }
        true
    }

    fn fragment(
        &mut self,
        dir: usize,
        client: usize,
        ch: u8,
        f: packetpeer::enet::protocol::FragmentBody,
        reliable: bool,
        payload: &[u8],
    ) -> io::Result<()> {
        let key = (client, dir, ch, f.start_sequence_number, reliable);
        let total = f.total_length as usize;
        let end = (f.fragment_offset as usize).checked_add(payload.len());
        if total > MAX_REASSEMBLY_BYTES || end.is_none_or(|e| e > total) || f.fragment_count == 0 {
            self.stats.reassembly_dropped += 1;
            return Ok(());
        }
        if !self.frags.contains_key(&key) {
            while self.frag_bytes + total > MAX_REASSEMBLY_BYTES {
                let Some(old) = self.frag_order.pop_front() else {
                    break;
                };
                if let Some(r) = self.frags.remove(&old) {
                    self.frag_bytes -= r.total;
                    self.stats.reassembly_dropped += 1;
                }
            }
            self.frag_bytes += total;
            self.frag_order.push_back(key);
            self.frags.insert(
                key,
                Reassembly {
                    total,
                    count: f.fragment_count,
                    data: vec![0; total],
                    reliable,
                    ..Reassembly::default()
                },
            );
        }
        let Some(r) = self.frags.get_mut(&key) else {
            return Ok(());
        };
        if r.total != total || r.count != f.fragment_count {
            return Ok(());
        }
        if r.got.insert(f.fragment_number) {
            let off = f.fragment_offset as usize;
            r.data[off..off + payload.len()].copy_from_slice(payload);
        }
        if r.got.len() as u32 == r.count {
            if let Some(r) = self.frags.remove(&key) {
                self.frag_bytes -= r.total;
                self.frag_order.retain(|k| *k != key);
                let mode = if r.reliable { "reliable" } else { "unreliable" };
                self.message(dir, client, Some(ch), mode, &r.data)?;
            }
        }
        Ok(())
    }

    fn event(&mut self, dir: usize, client: usize, what: &str) -> io::Result<()> {
        let peer = self.peer_of(client);
        if self.cfg.json {
            let line =
                json!({ "direction": DIR_JSON[dir], "peer": peer.to_string(), "event": what });
            writeln!(self.out, "{line}")
        } else {
            writeln!(self.out, "{} {peer} {what}", DIRS[dir])
        }
    }

    fn message(
        &mut self,
        dir: usize,
        client: usize,
        channel: Option<u8>,
        mode: &str,
        payload: &[u8],
    ) -> io::Result<()> {
        self.stats.messages[dir] += 1;
        let peer = self.peer_of(client);
        // The whole payload as a Variant, else a SceneMultiplayer packet (and its RAW payload).
        let whole = variant::decode(payload, &self.cfg.decode)
            .ok()
            .filter(|(_, used)| *used == payload.len())
            .map(|(v, _)| v);
        let scene_msg = if whole.is_none() {
            scene::parse(payload).ok()
        } else {
            None
        };
        let scene_name = scene_msg.as_ref().map(|m| match m.sys {
            Some(s) => format!("SYS_{s:?}").to_uppercase(),
            None => format!("{:?}", m.command).to_uppercase(),
        });
        let inner = scene_msg.as_ref().and_then(|m| {
            if m.command == SceneCommand::Raw {
                let p = m.payload(payload);
                variant::decode(p, &self.cfg.decode)
                    .ok()
                    .filter(|(_, used)| *used == p.len())
                    .map(|(v, _)| v)
            } else {
                None
            }
        });
        let shown = whole.or(inner).map(|v| to_text_bounded(&v, MAX_TEXT));
        if self.cfg.json {
            let mut line = json!({
                "direction": DIR_JSON[dir],
                "peer": peer.to_string(),
                "mode": mode,
                "len": payload.len(),
            });
            if let Some(ch) = channel {
                line["channel"] = json!(ch);
            }
            if let Some(s) = &scene_name {
                line["scene_command"] = json!(s);
            }
            if let Some(t) = &shown {
                line["variant"] = json!(t);
            }
            if payload.len() <= 64 {
                line["hex"] = json!(crate::json::hex(payload));
            }
            writeln!(self.out, "{line}")
        } else {
            let ch = channel.map(|c| format!(" ch{c}")).unwrap_or_default();
            let sc = scene_name.map(|s| format!(" [{s}]")).unwrap_or_default();
            let body = shown.unwrap_or_else(|| {
                let cut = &payload[..payload.len().min(32)];
                let more = if payload.len() > 32 { "…" } else { "" };
                format!("hex {}{more}", crate::json::hex(cut))
            });
            writeln!(
                self.out,
                "{} {peer}{ch} {mode} {}B{sc}: {body}",
                DIRS[dir],
                payload.len()
            )
        }
    }
}

impl<W: Write> Relay<W> {
    fn tcp_step(&mut self) -> io::Result<bool> {
        let mut busy = false;
        if let Some(l) = &self.tcp {
            match l.accept() {
                Ok((client, peer)) => {
                    busy = true;
                    if self.tcp_conns.iter().filter(|c| !c.closed).count() >= MAX_CLIENTS {
                        self.stats.clients_refused += 1;
                    } else if let Ok(server) =
                        TcpStream::connect_timeout(&self.cfg.target, Duration::from_secs(5))
                    {
                        for s in [&client, &server] {
                            s.set_nonblocking(true)?;
                            let _ = s.set_nodelay(true);
                        }
                        self.tcp_conns.push(TcpConn {
                            peer,
                            socks: [client, server],
                            pending: [Vec::new(), Vec::new()],
                            parse: [Vec::new(), Vec::new()],
                            skip: [0, 0],
                            closed: false,
                        });
                        let i = self.tcp_conns.len() - 1;
                        self.event(0, i, "connect")?;
                    } else {
                        self.stats.clients_refused += 1;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
        let mut buf = std::mem::take(&mut self.buf);
        for i in 0..self.tcp_conns.len() {
            for dir in 0..2 {
                let c = &mut self.tcp_conns[i];
                if c.closed || c.pending[1 - dir].len() >= MAX_TCP_PENDING {
                    continue;
                }
                // dir 0: read the client, write the server.
                match c.socks[dir].read(&mut buf) {
                    Ok(0) => {
                        c.closed = true;
                        let _ = c.socks[1 - dir].shutdown(std::net::Shutdown::Write);
                        self.event(dir, i, "close")?;
                    }
                    Ok(n) => {
                        busy = true;
                        c.pending[1 - dir].extend_from_slice(&buf[..n]);
                        self.stats.datagrams[dir] += 1;
                        self.frames(dir, i, &buf[..n])?;
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(_) => {
                        c.closed = true;
                        self.event(dir, i, "error")?;
                    }
                }
            }
            let c = &mut self.tcp_conns[i];
            for side in 0..2 {
                while !c.pending[side].is_empty() {
                    match c.socks[side].write(&c.pending[side]) {
                        Ok(0) => break,
                        Ok(n) => {
                            c.pending[side].drain(..n);
                        }
                        Err(_) => break,
                    }
                }
            }
        }
        self.buf = buf;
        Ok(busy)
    }

    /// Cuts the bytes going `dir` into PacketPeerStream frames and shows each.
    fn frames(&mut self, dir: usize, i: usize, mut data: &[u8]) -> io::Result<()> {
        while !data.is_empty() {
            let c = &mut self.tcp_conns[i];
            if c.skip[dir] > 0 {
                let n = c.skip[dir].min(data.len());
                c.skip[dir] -= n;
                data = &data[n..];
                continue;
            }
            let p = &mut c.parse[dir];
            if p.len() < 4 {
                let n = (4 - p.len()).min(data.len());
                p.extend_from_slice(&data[..n]);
                data = &data[n..];
                if p.len() < 4 {
                    break;
                }
            }
            let len = u32::from_le_bytes([p[0], p[1], p[2], p[3]]) as usize;
            if len > MAX_FRAME {
                p.clear();
                c.skip[dir] = len;
                self.stats.frames_too_long += 1;
                self.event(dir, i, "frame longer than 64 MiB (forwarded, not shown)")?;
                continue;
            }
            let want = 4 + len - p.len();
            let n = want.min(data.len());
            p.extend_from_slice(&data[..n]);
            data = &data[n..];
            if p.len() == 4 + len {
                let frame = std::mem::take(p);
                self.message(dir, i, None, "frame", &frame[4..])?;
            }
        }
        Ok(())
    }
}

/// Sets `stop` when stdin reaches its end (a helper thread of the tool, not of the library).
pub fn stop_on_stdin_eof(stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        let mut sink = [0u8; 256];
        loop {
            match io::Read::read(&mut io::stdin(), &mut sink) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
        stop.store(true, Ordering::Relaxed);
    });
}
