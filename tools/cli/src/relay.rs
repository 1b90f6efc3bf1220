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
//!   reliable command resent by ENet is shown once (its sequence number was seen);
//! * `--proto ws`: TCP carrying WebSocket (`ws://`, RFC 6455), as in TCP mode one connection to the
//!   target per client. The opening handshake is shown by its first line, then every message
//!   (fragmented ones reassembled; permessage-deflate ones inflated when the server's handshake
//!   answer accepted the extension) as text or binary, binary ones decoded as a Variant where they
//!   are one, and ping, pong and close (code, reason). Bytes are forwarded unchanged, frame by
//!   frame, through the conditioner: delay, jitter (which never reorders) and the bandwidth cap
//!   apply to whole frames; loss, duplication and reordering do not exist on a TCP stream and are
//!   refused. Frames longer than [`MAX_WS_FRAME`] are forwarded in pieces and not shown.
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

use flate2::{Decompress, FlushDecompress, Status};
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
    /// TCP carrying WebSocket (`ws://`): handshake, then RFC 6455 frames.
    Ws,
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
    /// WebSocket messages compressed with permessage-deflate, inflated and shown.
    pub inflated: u64,
}

/// PacketPeerStream frames longer than this are forwarded but not shown (and not buffered).
pub const MAX_FRAME: usize = 64 << 20;
/// Bytes waiting to be written to a TCP side at most; past it the other side is not read.
const MAX_TCP_PENDING: usize = 4 << 20;
/// WebSocket frames (and reassembled messages) longer than this are forwarded, not shown.
pub const MAX_WS_FRAME: usize = 16 << 20;
/// An opening handshake longer than this is not HTTP as WebSocket sends it: the rest of that
/// direction is forwarded unparsed.
const MAX_WS_HANDSHAKE: usize = 64 << 10;

/// WebSocket parsing of one direction of a connection (`--proto ws`).
#[derive(Default)]
struct WsDir {
    handshake_done: bool,
    /// Not WebSocket after all (refused handshake, garbage): forwarded unparsed.
    raw: bool,
    /// Bytes of an incomplete handshake or frame.
    buf: Vec<u8>,
    /// Bytes of an over-long frame still to forward unparsed.
    pass: u64,
    /// Opcode (1 text, 2 binary) of the fragmented message being assembled (0: none).
    msg_op: u8,
    msg: Vec<u8>,
    /// The message being assembled grew past [`MAX_WS_FRAME`]: its end is not shown.
    msg_dropped: bool,
    /// The message being assembled is compressed (RSV1 on its first frame).
    msg_compressed: bool,
    /// permessage-deflate (RFC 7692), when the server's handshake answer accepted it.
    inflate: Option<Inflater>,
}

/// The decompressor of one direction's permessage-deflate messages (RFC 7692 §7.2.2): raw deflate,
/// each message ending in an empty stored block whose 4 bytes (`00 00 ff ff`) the sender removed.
/// A 15-bit window takes data compressed with any smaller one.
struct Inflater {
    d: Decompress,
    /// The sender resets its compressor for every message (`*_no_context_takeover`): after a
    /// message that could not be inflated, the next ones still can.
    no_context_takeover: bool,
    /// A message was lost to the decompressor while the sender keeps its context: later messages
    /// refer to data it never saw.
    lost: bool,
}

impl Inflater {
    fn new(no_context_takeover: bool) -> Self {
        Inflater {
            d: Decompress::new(false),
            no_context_takeover,
            lost: false,
        }
    }

    /// Inflates one message; at most `limit` bytes come out (a bigger result is an error, so a
    /// small compressed message cannot make the relay allocate without bound).
    fn message(&mut self, data: &[u8], limit: usize) -> Result<Vec<u8>, &'static str> {
        if self.lost {
            return Err("an earlier message was not inflated and the sender keeps its context");
        }
        if self.no_context_takeover {
            self.d.reset(false);
        }
        let r = self.inflate(data, limit);
        if r.is_err() {
            self.skipped();
        }
        r
    }

    /// A message the relay did not inflate (too long to keep, or broken): the window misses its
    /// bytes.
    fn skipped(&mut self) {
        if self.no_context_takeover {
            self.d.reset(false);
        } else {
            self.lost = true;
        }
    }

    fn inflate(&mut self, data: &[u8], limit: usize) -> Result<Vec<u8>, &'static str> {
        const TAIL: [u8; 4] = [0, 0, 0xff, 0xff];
        let mut out: Vec<u8> =
            Vec::with_capacity(data.len().saturating_mul(2).max(64).min(limit.max(1)));
        for input in [data, &TAIL[..]] {
            let mut pos = 0;
            // Each round consumes input or fills the room it was given; the cap ends it anyway.
            for _ in 0..(1usize << 20) {
                if out.len() == out.capacity() {
                    if out.len() >= limit {
                        return Err("longer than 16 MiB once inflated");
                    }
                    let grow = out.len().max(4096).min(limit - out.len());
                    out.reserve_exact(grow);
                }
                let (in0, out0) = (self.d.total_in(), out.len());
                let status = self
                    .d
                    .decompress_vec(&input[pos..], &mut out, FlushDecompress::Sync)
                    .map_err(|_| "not valid deflate data")?;
                pos += (self.d.total_in() - in0) as usize;
                let room = out.len() < out.capacity();
                if status == Status::StreamEnd {
                    // A final block: the sender ends its stream (it must not, §7.2.1); a new
                    // stream follows.
                    self.d.reset(false);
                    if pos >= input.len() {
                        break;
                    }
                    continue;
                }
                if pos >= input.len() && room {
                    break;
                }
                if self.d.total_in() == in0 && out.len() == out0 && room {
                    return Err("not valid deflate data");
                }
            }
        }
        Ok(out)
    }
}

/// The permessage-deflate answer in a server's handshake (`Sec-WebSocket-Extensions`), if it
/// accepted the extension: whether (client, server) reset their compressor for every message.
fn deflate_accepted(handshake: &str) -> Option<(bool, bool)> {
    for line in handshake.lines().skip(1) {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if !name.trim().eq_ignore_ascii_case("sec-websocket-extensions") {
            continue;
        }
        for ext in value.split(',') {
            let mut params = ext.split(';').map(str::trim);
            if !params
                .next()
                .is_some_and(|n| n.eq_ignore_ascii_case("permessage-deflate"))
            {
                continue;
            }
            let (mut client, mut server) = (false, false);
            for p in params {
                let key = p.split('=').next().unwrap_or("").trim();
                client |= key.eq_ignore_ascii_case("client_no_context_takeover");
                server |= key.eq_ignore_ascii_case("server_no_context_takeover");
            }
            return Some((client, server));
        }
    }
    None
}

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
    /// Both directions ended (or a side failed): nothing more is read.
    closed: bool,
    /// Direction `dir`'s sender closed its side (EOF read); the other direction goes on, so a
    /// half-close reaches the other end as one (WebSocket's closing handshake waits for it).
    ended: [bool; 2],
    /// `--proto ws`: parsing per direction.
    ws: [WsDir; 2],
    /// Bytes of each direction held by the conditioner.
    held: [usize; 2],
    /// Shut down writing to this side once everything for it has been written.
    shut_after: [bool; 2],
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
        let (listen, tcp) = if matches!(cfg.proto, Proto::Tcp | Proto::Ws) {
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
            Proto::Tcp | Proto::Ws => self.tcp_conns[client].peer,
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
            "inflated": s.inflated,
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
            Proto::Udp | Proto::Tcp | Proto::Ws => self.message(dir, client, None, "datagram", d),
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
                            ended: [false, false],
                            ws: [WsDir::default(), WsDir::default()],
                            held: [0, 0],
                            shut_after: [false, false],
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
        let ws = self.cfg.proto == Proto::Ws;
        let full = self.cond.options().max_queued as u64;
        let mut buf = std::mem::take(&mut self.buf);
        for i in 0..self.tcp_conns.len() {
            for dir in 0..2 {
                let lane_full = ws && {
                    let st = self.cond.stats();
                    let lane = if dir == 0 { st.outgoing } else { st.incoming };
                    lane.queued + 2 >= full
                };
                let c = &mut self.tcp_conns[i];
                if c.closed
                    || c.ended[dir]
                    || lane_full
                    || c.pending[1 - dir].len() + c.held[dir] >= MAX_TCP_PENDING
                {
                    continue;
                }
                // dir 0: read the client, write the server.
                match c.socks[dir].read(&mut buf) {
                    Ok(0) => {
                        c.ended[dir] = true;
                        c.closed = c.ended[1 - dir];
                        if ws {
                            // What the conditioner still holds goes first.
                            c.shut_after[1 - dir] = true;
                        } else {
                            let _ = c.socks[1 - dir].shutdown(std::net::Shutdown::Write);
                        }
                        self.event(dir, i, "close")?;
                    }
                    Ok(n) if ws => {
                        busy = true;
                        self.stats.datagrams[dir] += 1;
                        self.ws_input(dir, i, &buf[..n])?;
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
        }
        if ws {
            // Frames whose time has come join the bytes waiting for their side.
            let now = Instant::now();
            while let Some((d, i)) = self.cond.pop_due(Direction::Outgoing, now) {
                let c = &mut self.tcp_conns[i];
                c.held[0] -= d.len();
                c.pending[1].extend_from_slice(&d);
            }
            while let Some((d, i)) = self.cond.pop_due(Direction::Incoming, now) {
                let c = &mut self.tcp_conns[i];
                c.held[1] -= d.len();
                c.pending[0].extend_from_slice(&d);
            }
        }
        for c in self.tcp_conns.iter_mut() {
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
                // Side `side` is written by direction `1 - side`.
                if c.shut_after[side] && c.pending[side].is_empty() && c.held[1 - side] == 0 {
                    c.shut_after[side] = false;
                    let _ = c.socks[side].shutdown(std::net::Shutdown::Write);
                }
            }
        }
        self.buf = buf;
        Ok(busy)
    }

    /// `--proto ws`: cuts the bytes going `dir` on connection `i` into the handshake and frames,
    /// shows each, and hands each to the conditioner unchanged.
    fn ws_input(&mut self, dir: usize, i: usize, mut data: &[u8]) -> io::Result<()> {
        while !data.is_empty() {
            let w = &mut self.tcp_conns[i].ws[dir];
            if w.raw || w.pass > 0 {
                let n = if w.raw {
                    data.len()
                } else {
                    (w.pass.min(data.len() as u64)) as usize
                };
                if !w.raw {
                    w.pass -= n as u64;
                }
                let unit = data[..n].to_vec();
                data = &data[n..];
                self.ws_forward(dir, i, &unit);
                continue;
            }
            w.buf.extend_from_slice(data);
            data = &[];
            self.ws_units(dir, i)?;
        }
        Ok(())
    }

    /// Takes every complete unit (handshake, frame) from the direction's buffer.
    fn ws_units(&mut self, dir: usize, i: usize) -> io::Result<()> {
        loop {
            let w = &mut self.tcp_conns[i].ws[dir];
            if w.raw {
                let rest = std::mem::take(&mut w.buf);
                self.ws_forward(dir, i, &rest);
                return Ok(());
            }
            if !w.handshake_done {
                let Some(end) = w.buf.windows(4).position(|x| x == b"\r\n\r\n") else {
                    if w.buf.len() > MAX_WS_HANDSHAKE {
                        w.raw = true;
                        self.stats.undecodable += 1;
                        self.event(dir, i, "not a WebSocket handshake (forwarded unparsed)")?;
                        continue;
                    }
                    return Ok(());
                };
                let unit: Vec<u8> = w.buf.drain(..end + 4).collect();
                w.handshake_done = true;
                let first = String::from_utf8_lossy(&unit)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string();
                // A server that does not switch protocols answers plain HTTP from here on.
                if dir == 1 && !first.contains(" 101") {
                    w.raw = true;
                }
                if dir == 1 && !w.raw {
                    if let Some((client, server)) =
                        deflate_accepted(&String::from_utf8_lossy(&unit))
                    {
                        let ws = &mut self.tcp_conns[i].ws;
                        ws[0].inflate = Some(Inflater::new(client));
                        ws[1].inflate = Some(Inflater::new(server));
                    }
                }
                self.ws_forward(dir, i, &unit);
                self.event(dir, i, &format!("handshake: {first}"))?;
                continue;
            }
            let b = &w.buf;
            if b.len() < 2 {
                return Ok(());
            }
            let masked = b[1] & 0x80 != 0;
            let len7 = (b[1] & 0x7f) as usize;
            let ext = match len7 {
                126 => 2,
                127 => 8,
                _ => 0,
            };
            let hlen = 2 + ext + if masked { 4 } else { 0 };
            if b.len() < hlen {
                return Ok(());
            }
            let len: u64 = match ext {
                2 => u64::from(u16::from_be_bytes([b[2], b[3]])),
                8 => u64::from_be_bytes([b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9]]),
                _ => len7 as u64,
            };
            if len > MAX_WS_FRAME as u64 {
                // Forward the header now and the payload as it comes, without showing it.
                // A compressed message the decompressor does not see all of.
                if b[0] & 0x40 != 0 || (b[0] & 0x0f == 0 && w.msg_compressed) {
                    if let Some(inf) = w.inflate.as_mut() {
                        inf.skipped();
                    }
                }
                let head: Vec<u8> = w.buf.drain(..hlen).collect();
                let rest = std::mem::take(&mut w.buf);
                w.pass = len;
                w.msg_op = 0;
                w.msg_compressed = false;
                w.msg.clear();
                self.stats.frames_too_long += 1;
                self.ws_forward(dir, i, &head);
                self.event(dir, i, "frame longer than 16 MiB (forwarded, not shown)")?;
                self.ws_input(dir, i, &rest)?;
                return Ok(());
            }
            let total = hlen + len as usize;
            if w.buf.len() < total {
                return Ok(());
            }
            let unit: Vec<u8> = w.buf.drain(..total).collect();
            self.ws_forward(dir, i, &unit);
            let mut payload = unit[hlen..].to_vec();
            if masked {
                let key = [
                    unit[hlen - 4],
                    unit[hlen - 3],
                    unit[hlen - 2],
                    unit[hlen - 1],
                ];
                for (k, byte) in payload.iter_mut().enumerate() {
                    *byte ^= key[k % 4];
                }
            }
            self.ws_frame(dir, i, unit[0], payload)?;
        }
    }

    /// Shows one frame (a whole message once its last fragment came).
    fn ws_frame(&mut self, dir: usize, i: usize, b0: u8, payload: Vec<u8>) -> io::Result<()> {
        let fin = b0 & 0x80 != 0;
        let mut compressed = b0 & 0x40 != 0;
        let op = b0 & 0x0f;
        match op {
            0x8 => {
                let what = match payload.as_slice() {
                    [] => "close".to_string(),
                    [a, b, reason @ ..] => format!(
                        "close {} {:?}",
                        u16::from_be_bytes([*a, *b]),
                        String::from_utf8_lossy(reason)
                    ),
                    _ => "close (malformed)".to_string(),
                };
                return self.event(dir, i, &what);
            }
            0x9 => return self.event(dir, i, "ping"),
            0xA => return self.event(dir, i, "pong"),
            0x0..=0x2 => {}
            _ => {
                self.stats.undecodable += 1;
                return self.event(dir, i, &format!("frame with unknown opcode {op}"));
            }
        }
        let w = &mut self.tcp_conns[i].ws[dir];
        let (op, data) = if op == 0 {
            if w.msg_op == 0 {
                self.stats.undecodable += 1;
                return self.event(dir, i, "continuation frame without a message");
            }
            if !w.msg_dropped && w.msg.len() + payload.len() <= MAX_WS_FRAME {
                w.msg.extend_from_slice(&payload);
            } else {
                w.msg_dropped = true;
                w.msg = Vec::new();
            }
            if !fin {
                return Ok(());
            }
            let op = std::mem::take(&mut w.msg_op);
            let was_compressed = std::mem::take(&mut w.msg_compressed);
            if std::mem::take(&mut w.msg_dropped) {
                if was_compressed {
                    if let Some(inf) = w.inflate.as_mut() {
                        inf.skipped();
                    }
                }
                self.stats.frames_too_long += 1;
                return self.event(dir, i, "message longer than 16 MiB (forwarded, not shown)");
            }
            compressed = was_compressed;
            (op, std::mem::take(&mut w.msg))
        } else if !fin {
            w.msg_op = op;
            w.msg = payload;
            w.msg_dropped = false;
            // RSV1 is set on the first frame of a compressed message.
            w.msg_compressed = compressed;
            return Ok(());
        } else {
            (op, payload)
        };
        let data = if compressed {
            let inflated = match self.tcp_conns[i].ws[dir].inflate.as_mut() {
                Some(inf) => inf.message(&data, MAX_WS_FRAME),
                None => Err("permessage-deflate was not negotiated"),
            };
            match inflated {
                Ok(d) => {
                    self.stats.inflated += 1;
                    d
                }
                Err(why) => {
                    self.stats.undecodable += 1;
                    let what = format!("compressed message (permessage-deflate) not shown: {why}");
                    return self.event(dir, i, &what);
                }
            }
        } else {
            data
        };
        if op == 1 {
            self.ws_text(dir, i, &data)
        } else {
            self.message(dir, i, None, "binary", &data)
        }
    }

    /// Shows a text message.
    fn ws_text(&mut self, dir: usize, i: usize, data: &[u8]) -> io::Result<()> {
        self.stats.messages[dir] += 1;
        let peer = self.peer_of(i);
        let text = String::from_utf8_lossy(data);
        let cut: String = text.chars().take(MAX_TEXT).collect();
        if self.cfg.json {
            let line = json!({ "direction": DIR_JSON[dir], "peer": peer.to_string(), "mode": "text",
                               "len": data.len(), "text": cut });
            writeln!(self.out, "{line}")
        } else {
            let more = if cut.len() < text.len() { "…" } else { "" };
            writeln!(
                self.out,
                "{} {peer} text {}B: {}{more}",
                DIRS[dir],
                data.len(),
                serde_json::Value::String(cut)
            )
        }
    }

    /// Hands bytes of `dir` on connection `i` to the conditioner (in order).
    fn ws_forward(&mut self, dir: usize, i: usize, unit: &[u8]) {
        if unit.is_empty() {
            return;
        }
        let d = if dir == 0 {
            Direction::Outgoing
        } else {
            Direction::Incoming
        };
        self.tcp_conns[i].held[dir] += unit.len();
        self.cond.offer(d, unit, &i, Instant::now());
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

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compress, Compression, FlushCompress};

    /// What a permessage-deflate sender puts in a message: raw deflate, sync-flushed, without the
    /// final `00 00 ff ff`.
    fn deflate_message(c: &mut Compress, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(data.len() + 64);
        let mut pos = 0;
        loop {
            if out.len() == out.capacity() {
                out.reserve(out.len().max(64));
            }
            let before = c.total_in();
            c.compress_vec(&data[pos..], &mut out, FlushCompress::Sync)
                .unwrap();
            pos += (c.total_in() - before) as usize;
            if pos == data.len() && out.len() < out.capacity() {
                break;
            }
        }
        assert!(out.ends_with(&[0, 0, 0xff, 0xff]));
        out.truncate(out.len() - 4);
        out
    }

    #[test]
    fn inflates_messages_with_and_without_context_takeover() {
        let mut c = Compress::new(Compression::default(), false);
        let mut inf = Inflater::new(false);
        let text = b"the same words again and again ".repeat(10);
        let first = deflate_message(&mut c, &text);
        let second = deflate_message(&mut c, &text);
        // The second refers back to the first: much shorter.
        assert!(
            second.len() < first.len() / 2,
            "{} {}",
            second.len(),
            first.len()
        );
        assert_eq!(inf.message(&first, MAX_WS_FRAME).unwrap(), text);
        assert_eq!(inf.message(&second, MAX_WS_FRAME).unwrap(), text);
        assert_eq!(inf.message(&deflate_message(&mut c, b""), 16).unwrap(), b"");
    }

    #[test]
    fn a_bomb_stops_at_the_limit_and_garbage_is_refused() {
        let mut c = Compress::new(Compression::best(), false);
        let big = deflate_message(&mut c, &vec![0u8; 1 << 20]);
        assert!(big.len() < 4096);
        let mut inf = Inflater::new(true);
        assert!(inf.message(&big, 64 << 10).is_err());
        // No context takeover: the next message inflates again.
        let mut c = Compress::new(Compression::default(), false);
        let small = deflate_message(&mut c, b"hello");
        assert_eq!(inf.message(&small, 1024).unwrap(), b"hello");
        assert_eq!(
            inf.message(&[0xff, 0xff, 0xff, 0xff], 1024),
            Err("not valid deflate data")
        );
    }

    #[test]
    fn a_message_lost_with_context_takeover_stops_inflating() {
        let mut c = Compress::new(Compression::default(), false);
        let mut inf = Inflater::new(false);
        let _skipped = deflate_message(&mut c, b"abcabcabcabc");
        inf.skipped();
        let next = deflate_message(&mut c, b"abcabcabcabc");
        assert!(inf.message(&next, 1024).is_err());
    }

    #[test]
    fn handshake_answer_parameters() {
        let ok = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\
                  Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=12; \
                  client_no_context_takeover\r\n\r\n";
        assert_eq!(deflate_accepted(ok), Some((true, false)));
        let none = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
        assert_eq!(deflate_accepted(none), None);
        let other = "HTTP/1.1 101 x\r\nsec-websocket-extensions: x-other, permessage-deflate; \
                     server_no_context_takeover\r\n\r\n";
        assert_eq!(deflate_accepted(other), Some((false, true)));
    }
}
