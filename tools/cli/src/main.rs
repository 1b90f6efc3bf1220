//! `packetpeer`: decode and encode Godot Variants, relay and show Godot network traffic.
//! `packetpeer --help` and `packetpeer <command> --help` describe every option with an example.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use packetpeer::variant::{self, DecodeOptions, Dialect, EncodeOptions};
use packetpeer_cli::{json, vartext};

#[derive(Parser)]
#[command(
    name = "packetpeer",
    version,
    about = "Decode, encode and relay Redot/Godot network data (binary Variants, ENet, PacketPeerStream)",
    after_help = "Examples:\n  packetpeer decode 0200000078563412\n  packetpeer encode 'Vector2(1, 2)'\n  packetpeer relay --listen 7000 --target 127.0.0.1:7001 --loss 0.05 --delay 150ms\n\nRun `packetpeer <command> --help` for each command's options."
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
    }
}
