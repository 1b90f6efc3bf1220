//! `packetpeer`: decode and encode Godot Variants, relay and show Godot network traffic.
//! `packetpeer --help` and `packetpeer <command> --help` describe every option with an example.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use packetpeer::conditioner::{ConditionerOptions, DirectionOptions};
use packetpeer::enet::compress::CompressionMode;
use packetpeer::variant::{self, DecodeOptions, Dialect, EncodeOptions};
use packetpeer_cli::{json, relay, vartext};

#[derive(Parser)]
#[command(
    name = "packetpeer",
    version,
    about = "Decode, encode and relay Redot/Godot network data (binary Variants, ENet, PacketPeerStream)",
    after_help = "Examples:\n  packetpeer decode 0200000078563412\n  packetpeer encode 'Vector2(1, 2)'\n  packetpeer relay --listen 7000 --target 127.0.0.1:7001 --loss 5% --delay 150ms --jitter 20ms\n\nRun `packetpeer <command> --help` for each command's options."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum DialectArg {
    /// Godot 4.3+ (and Redot without STRUCT).
    Godot4,
    /// Redot with GDScript structs: STRUCT at type id 25, later ids shifted by one.
    Redot,
    /// Godot 3.x `var2bytes` / `bytes2var`.
    Godot3,
}

impl From<DialectArg> for Dialect {
    fn from(d: DialectArg) -> Dialect {
        match d {
            DialectArg::Godot4 => Dialect::Godot4,
            DialectArg::Redot => Dialect::RedotStruct,
            DialectArg::Godot3 => Dialect::Godot3,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutFormat {
    /// The library's text form, as `pp_variant_to_string` prints it (close to Godot's `str()`;
    /// for people: types such as Vector2 vs Vector2i are not told apart).
    Text,
    /// Godot's typed `var_to_str` form, which `packetpeer encode` reads back to the same bytes.
    Var,
    /// JSON (type mapping in the README); `packetpeer encode --from json` reads it back.
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InFormat {
    /// Godot's typed `var_to_str` form: `Vector2(1, 2)`, `{"hp": 10}`, `Array[int]([1, 2])`.
    Var,
    /// The JSON form (README, "JSON type mapping").
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Decode one binary Variant (bytes_to_var) and print it.
    #[command(
        after_help = "Examples:\n  packetpeer decode 0200000078563412                  # prints 305419896\n  packetpeer decode --format json 1c000000020000000200000001000000\n  packetpeer decode --file packet.bin --dialect godot3\n  xxd -p packet.bin | packetpeer decode --hex --format var\n\nOn failure: the Godot error name, byte offset and reason on stderr, exit code 1."
    )]
    Decode {
        /// The bytes as hex (spaces and a 0x prefix are allowed). Without it: --file, else stdin.
        hex: Option<String>,
        /// Read the bytes from this file (`-` is stdin).
        #[arg(long, short)]
        file: Option<PathBuf>,
        /// The file or stdin holds hex text rather than raw bytes.
        #[arg(long = "hex")]
        hex_input: bool,
        /// Output form.
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
        /// Wire dialect.
        #[arg(long, value_enum, default_value = "godot4")]
        dialect: DialectArg,
        /// Accept objects sent in full (bytes_to_var_with_objects); otherwise they fail with ERR_UNAUTHORIZED.
        #[arg(long)]
        allow_objects: bool,
        /// --format var: print real_t components at double precision (a precision=double engine build).
        #[arg(long)]
        real_double: bool,
    },
    /// Encode one Variant (var_to_bytes) from its typed text form or JSON.
    #[command(
        after_help = "Examples:\n  packetpeer encode 'Vector2(1, 2)'                    # prints 0500000000000000803f00000040... hex\n  packetpeer encode '{\"hp\": 10, \"name\": \"Ann\"}'\n  packetpeer encode --from json '{\"type\": \"Vector2i\", \"value\": [1, 2]}'\n  packetpeer encode --raw 'PackedByteArray(1, 2, 3)' > packet.bin\n  packetpeer decode --format var 02000000 | packetpeer encode --dialect godot3"
    )]
    Encode {
        /// The value. Without it: --file, else stdin.
        #[arg(allow_hyphen_values = true)]
        value: Option<String>,
        /// Read the value from this file (`-` is stdin).
        #[arg(long, short)]
        file: Option<PathBuf>,
        /// Input form.
        #[arg(long, value_enum, default_value = "var")]
        from: InFormat,
        /// Wire dialect.
        #[arg(long, value_enum, default_value = "godot4")]
        dialect: DialectArg,
        /// Send objects in full (var_to_bytes_with_objects).
        #[arg(long)]
        full_objects: bool,
        /// Encode real_t components as f64, like a precision=double engine build.
        #[arg(long)]
        real_double: bool,
        /// Godot 3 dialect: convert what Godot 3 has no type for (StringName to String, …) instead of refusing it.
        #[arg(long)]
        godot3_lossy: bool,
        /// Write raw bytes to stdout instead of hex.
        #[arg(long)]
        raw: bool,
    },
    /// Relay traffic (ENet or plain UDP datagrams, TCP with PacketPeerStream frames, WebSocket)
    /// between clients and a server, show every message, and optionally put loss, delay and jitter
    /// between them.
    #[command(
        after_help = "Examples:\n  # Godot server on 7001, clients connect to 7000: show ENet traffic\n  packetpeer relay --listen 7000 --target 127.0.0.1:7001\n  # 150 ms +- 20 ms and 5% loss each way, JSON lines for tools\n  packetpeer relay --listen 7000 --target 127.0.0.1:7001 --delay 150ms --jitter 20ms --loss 5% --json\n  # plain PacketPeerUDP datagrams, an ENet host using COMPRESS_ZSTD\n  packetpeer relay --proto udp --listen 9000 --target 127.0.0.1:9001\n  packetpeer relay --compression zstd --listen 7000 --target 192.168.1.20:7000\n  # StreamPeerTCP + PacketPeerStream\n  packetpeer relay --proto tcp --listen 8000 --target 127.0.0.1:8001\n  # WebSocket (ws://): text and binary messages, 100 ms each way\n  packetpeer relay --proto ws --listen 9080 --target 127.0.0.1:9081 --delay 100ms\n\nStops when stdin closes (Ctrl-D) or after --duration; then prints the counters (\"stats\")."
    )]
    Relay {
        /// Local port to listen on (0: any; the first line says which).
        #[arg(long)]
        listen: u16,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Where to forward: the server's address and port.
        #[arg(long)]
        target: std::net::SocketAddr,
        /// What the datagrams carry.
        #[arg(long, value_enum, default_value = "enet")]
        proto: ProtoArg,
        /// ENet compression mode of the hosts (ENetConnection.compress), to undo it for display.
        #[arg(long, value_enum, default_value = "none")]
        compression: CompressionArg,
        /// JSON lines instead of text.
        #[arg(long)]
        json: bool,
        /// Wire dialect of the Variants shown.
        #[arg(long, value_enum, default_value = "godot4")]
        dialect: DialectArg,
        /// Show objects sent in full.
        #[arg(long)]
        allow_objects: bool,
        /// Stop after this long ("30s"); default: when stdin closes.
        #[arg(long, value_parser = parse_ms)]
        duration: Option<u32>,
        #[command(flatten)]
        cond: ConditionerArgs,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ProtoArg {
    /// Plain datagrams: one message each (PacketPeerUDP).
    Udp,
    /// ENet (ENetConnection, ENetMultiplayerPeer): commands, channels, reassembled fragments.
    Enet,
    /// TCP with PacketPeerStream framing (StreamPeerTCP + PacketPeerStream); no conditioner.
    Tcp,
    /// WebSocket over TCP, ws:// (WebSocketPeer, WebSocketMultiplayerPeer): text and binary
    /// messages; --delay, --jitter and --bandwidth apply per frame.
    Ws,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CompressionArg {
    None,
    RangeCoder,
    Fastlz,
    Zlib,
    Zstd,
}

/// "150ms", "1.5s", "2s" or a number of milliseconds.
fn parse_ms(s: &str) -> Result<u32, String> {
    let (num, scale) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (s, 1.0)
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("not a duration: {s}"))?;
    let ms = v * scale;
    if !(0.0..=60_000.0).contains(&ms) {
        return Err(format!("{s}: must be between 0 and 60s"));
    }
    Ok(ms.round() as u32)
}

fn parse_probability(s: &str) -> Result<f64, String> {
    let (num, scale) = match s.strip_suffix('%') {
        Some(n) => (n, 100.0),
        None => (s, 1.0),
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("not a probability: {s}"))?;
    let p = v / scale;
    if (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        Err(format!("{s}: must be between 0 and 1 (or 0% and 100%)"))
    }
}

/// The conditioner options of `relay` (the same on both directions).
#[derive(clap::Args, Clone)]
struct ConditionerArgs {
    /// Probability that a datagram is dropped, each way (0.05 or 5%).
    #[arg(long, value_parser = parse_probability, default_value = "0")]
    loss: f64,
    /// Delay each way ("150ms", "1s").
    #[arg(long, value_parser = parse_ms, default_value = "0")]
    delay: u32,
    /// The delay varies by up to this much either way ("20ms").
    #[arg(long, value_parser = parse_ms, default_value = "0")]
    jitter: u32,
    /// Probability that a datagram is sent twice.
    #[arg(long, value_parser = parse_probability, default_value = "0")]
    duplicate: f64,
    /// Probability that a datagram is held 20 ms longer, so later ones overtake it.
    #[arg(long, value_parser = parse_probability, default_value = "0")]
    reorder: f64,
    /// Bandwidth cap each way in bytes per second (0 = none).
    #[arg(long, default_value = "0")]
    bandwidth: u64,
    /// Seed of the conditioner's decisions: one seed, the same datagrams dropped.
    #[arg(long, default_value = "1")]
    seed: u64,
}

fn read_input(arg: Option<String>, file: Option<PathBuf>) -> Result<Vec<u8>, String> {
    if let Some(a) = arg {
        return Ok(a.into_bytes());
    }
    let mut data = Vec::new();
    match file {
        Some(p) if p.as_os_str() != "-" => {
            data = std::fs::read(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))?
        }
        _ => {
            std::io::stdin()
                .read_to_end(&mut data)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
        }
    }
    Ok(data)
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("packetpeer: {msg}");
    ExitCode::from(1)
}

fn decode(
    hex: Option<String>,
    file: Option<PathBuf>,
    hex_input: bool,
    format: OutFormat,
    opts: DecodeOptions,
    real_double: bool,
) -> ExitCode {
    let is_hex = hex.is_some() || hex_input;
    let data = match read_input(hex, file) {
        Ok(d) => d,
        Err(e) => return fail(&e),
    };
    let bytes = if is_hex {
        let text = String::from_utf8_lossy(&data);
        match json::unhex(&text) {
            Ok(b) => b,
            Err(e) => return fail(&format!("bad hex input: {e}")),
        }
    } else {
        data
    };
    match variant::decode(&bytes, &opts) {
        Ok((v, used)) => {
            let out = match format {
                OutFormat::Text => v.to_string(),
                OutFormat::Var => vartext::write(&v, real_double),
                OutFormat::Json => json::to_json(&v).to_string(),
            };
            println!("{out}");
            if used < bytes.len() {
                eprintln!(
                    "packetpeer: note: {} trailing byte(s) after the value ignored (as the engine does)",
                    bytes.len() - used
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            if format == OutFormat::Json {
                println!(
                    "{}",
                    serde_json::json!({ "error": e.code.name(), "offset": e.offset, "reason": e.reason })
                );
            }
            fail(&format!(
                "decode failed: {} at byte {}: {}",
                e.code.name(),
                e.offset,
                e.reason
            ))
        }
    }
}

fn encode(
    value: Option<String>,
    file: Option<PathBuf>,
    from: InFormat,
    opts: EncodeOptions,
    raw: bool,
) -> ExitCode {
    let data = match read_input(value, file) {
        Ok(d) => d,
        Err(e) => return fail(&e),
    };
    let Ok(text) = String::from_utf8(data) else {
        return fail("the input is not UTF-8");
    };
    let v = match from {
        InFormat::Var => match vartext::parse(&text) {
            Ok(v) => v,
            Err(e) => return fail(&format!("parse error {e}")),
        },
        InFormat::Json => {
            let j = match json::parse_text(&text) {
                Ok(j) => j,
                Err(e) => return fail(&e),
            };
            match json::from_json(&j) {
                Ok(v) => v,
                Err(e) => return fail(&format!("JSON does not describe a Variant: {e}")),
            }
        }
    };
    match variant::encode(&v, &opts) {
        Ok(bytes) => {
            let mut out = std::io::stdout().lock();
            let res = if raw {
                out.write_all(&bytes)
            } else {
                writeln!(out, "{}", json::hex(&bytes))
            };
            match res.and_then(|()| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&format!("cannot write: {e}")),
            }
        }
        Err(e) => fail(&format!(
            "encode failed: {} at byte {}: {}",
            e.code.name(),
            e.offset,
            e.reason
        )),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The text and JSON forms are written and read recursively; values nest up to 1024 levels
    // (the codec's limit), which takes more than the main thread's stack in a debug build. The
    // stack is reserved, not committed: only what deep values use is ever touched.
    let worker = std::thread::Builder::new()
        .name("packetpeer".into())
        .stack_size(256 << 20)
        .spawn(move || run(cli));
    match worker.map(|w| w.join()) {
        Ok(Ok(code)) => code,
        _ => fail("internal error"),
    }
}

fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Decode {
            hex,
            file,
            hex_input,
            format,
            dialect,
            allow_objects,
            real_double,
        } => {
            let opts = DecodeOptions {
                allow_objects,
                dialect: dialect.into(),
                ..DecodeOptions::default()
            };
            decode(hex, file, hex_input, format, opts, real_double)
        }
        Command::Encode {
            value,
            file,
            from,
            dialect,
            full_objects,
            real_double,
            godot3_lossy,
            raw,
        } => {
            let opts = EncodeOptions {
                full_objects,
                real_is_double: real_double,
                dialect: dialect.into(),
                godot3_lossy,
            };
            encode(value, file, from, opts, raw)
        }
        Command::Relay {
            listen,
            bind,
            target,
            proto,
            compression,
            json,
            dialect,
            allow_objects,
            duration,
            cond,
        } => relay(relay::Config {
            listen: std::net::SocketAddr::new(bind, listen),
            target,
            proto: match proto {
                ProtoArg::Udp => relay::Proto::Udp,
                ProtoArg::Enet => relay::Proto::Enet,
                ProtoArg::Tcp => relay::Proto::Tcp,
                ProtoArg::Ws => relay::Proto::Ws,
            },
            compression: match compression {
                CompressionArg::None => CompressionMode::None,
                CompressionArg::RangeCoder => CompressionMode::RangeCoder,
                CompressionArg::Fastlz => CompressionMode::FastLz,
                CompressionArg::Zlib => CompressionMode::Zlib,
                CompressionArg::Zstd => CompressionMode::Zstd,
            },
            json,
            decode: DecodeOptions {
                allow_objects,
                dialect: dialect.into(),
                ..DecodeOptions::default()
            },
            conditioner: {
                let d = DirectionOptions {
                    loss: cond.loss,
                    duplicate: cond.duplicate,
                    reorder: cond.reorder,
                    delay_ms: cond.delay,
                    jitter_ms: cond.jitter,
                    bandwidth: cond.bandwidth,
                };
                ConditionerOptions {
                    seed: cond.seed,
                    outgoing: d,
                    incoming: d,
                    ..ConditionerOptions::default()
                }
            },
            duration: duration.map(|ms| std::time::Duration::from_millis(ms.into())),
        }),
    }
}

fn relay(cfg: relay::Config) -> ExitCode {
    let json = cfg.json;
    if cfg.proto == relay::Proto::Tcp && cfg.conditioner.outgoing != DirectionOptions::default() {
        return fail("relay: the conditioner acts on datagrams; --proto tcp takes no --loss/--delay/... options");
    }
    let o = cfg.conditioner.outgoing;
    if cfg.proto == relay::Proto::Ws && (o.loss > 0.0 || o.duplicate > 0.0 || o.reorder > 0.0) {
        return fail("relay: WebSocket runs on TCP, which loses, duplicates and reorders nothing; --proto ws takes --delay, --jitter and --bandwidth only");
    }
    let out = std::io::LineWriter::new(std::io::stdout());
    let mut r = match relay::Relay::new(cfg, out) {
        Ok(r) => r,
        Err(e) => return fail(&format!("relay: {e}")),
    };
    let addr = match r.local_addr() {
        Ok(a) => a,
        Err(e) => return fail(&format!("relay: {e}")),
    };
    if json {
        println!(
            "{}",
            serde_json::json!({ "event": "listening", "address": addr.to_string(), "port": addr.port() })
        );
    } else {
        println!("listening on {addr}");
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    relay::stop_on_stdin_eof(stop.clone());
    match r.run(&stop) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("relay: {e}")),
    }
}
