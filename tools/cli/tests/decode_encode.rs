//! `packetpeer decode` / `encode` against every golden vector of `tests/vectors/*.tsv`, in every
//! dialect: the binary's text output equals the library's `pp_variant_to_string`, the typed text
//! form and the JSON form read back (through `packetpeer encode`) to the same bytes, and malformed
//! input fails with exit code 1, the Godot error name, the byte offset and the reason.

use std::ffi::CStr;
use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::ptr::null_mut;

use packetpeer::ffi::variant::*;
use packetpeer::ffi::{pp_error, pp_string_free};
use packetpeer::variant::*;
use packetpeer_cli::json::{hex, unhex};

const BIN: &str = env!("CARGO_BIN_EXE_packetpeer");

struct Row {
    name: String,
    hex: String,
    value: String,
    dir: String,
    opts: String,
}

fn rows() -> Vec<Row> {
    let mut out = Vec::new();
    for text in [
        include_str!("../../../tests/vectors/godot4-engine-tests.tsv"),
        include_str!("../../../tests/vectors/godot4-spec-derived.tsv"),
    ] {
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .skip(1)
        {
            let c: Vec<&str> = line.split('\t').collect();
            assert!(c.len() >= 5, "{line}");
            out.push(Row {
                name: c[0].into(),
                hex: c[1].into(),
                value: c[2].into(),
                dir: c[3].into(),
                opts: c[4].into(),
            });
        }
    }
    assert!(out.len() > 180, "{} rows", out.len());
    out
}

fn has(opts: &str, o: &str) -> bool {
    opts.split(',').any(|x| x == o)
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run packetpeer");
    let input = stdin.unwrap_or(b"").to_vec();
    let mut sin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = sin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .trim_end_matches('\n')
        .to_owned()
}

fn dialect_arg(d: Dialect) -> &'static str {
    match d {
        Dialect::Godot4 => "godot4",
        Dialect::RedotStruct => "redot",
        Dialect::Godot3 => "godot3",
    }
}

/// The text of `bytes` as the C API prints it: `pp_codec_decode` then `pp_variant_to_string`.
fn c_api_text(bytes: &[u8], d: Dialect, allow_objects: bool) -> String {
    let mut codec = null_mut();
    assert_eq!(pp_codec_new(&mut codec), pp_error::PP_OK);
    let dialect = match d {
        Dialect::Godot4 => 0,
        Dialect::RedotStruct => 1,
        Dialect::Godot3 => 2,
    };
    assert_eq!(pp_codec_set_dialect(codec, dialect), pp_error::PP_OK);
    assert_eq!(
        pp_codec_set_allow_objects(codec, allow_objects),
        pp_error::PP_OK
    );
    let mut v = null_mut();
    assert_eq!(
        pp_codec_decode(codec, bytes.as_ptr(), bytes.len(), &mut v, null_mut()),
        pp_error::PP_OK
    );
    let mut text = null_mut();
    assert_eq!(
        pp_variant_to_string(v, i32::MAX as usize, &mut text),
        pp_error::PP_OK
    );
    // SAFETY: a NUL-terminated string returned by the call above.
    let s = unsafe { CStr::from_ptr(text) }.to_str().unwrap().to_owned();
    pp_string_free(text);
    pp_variant_free(v);
    pp_codec_free(codec);
    s
}

#[test]
fn every_vector_round_trips_in_every_dialect() {
    let mut checked = [0usize; 3];
    let mut refused_godot3 = 0;
    // Errors: the next test. `rawframe` payloads are raw bytes, not a Variant.
    let eligible: Vec<Row> = rows()
        .into_iter()
        .filter(|r| !r.value.starts_with("error:") && r.dir != "rawframe")
        .collect();
    let total = eligible.len();
    for row in eligible {
        let mut bytes = unhex(&row.hex).unwrap();
        if row.dir == "frame" {
            bytes.drain(..4);
        }
        let allow = has(&row.opts, "allow_objects") || has(&row.opts, "full_objects");
        let rd = has(&row.opts, "real_double");
        let src_dialect = if has(&row.opts, "redot_struct") {
            Dialect::RedotStruct
        } else {
            Dialect::Godot4
        };
        let dec = DecodeOptions {
            allow_objects: allow,
            dialect: src_dialect,
            ..DecodeOptions::default()
        };
        let (v, _) = decode(&bytes, &dec).unwrap_or_else(|e| panic!("{}: {e}", row.name));
        for (i, d) in [Dialect::Godot4, Dialect::RedotStruct, Dialect::Godot3]
            .into_iter()
            .enumerate()
        {
            let enc = EncodeOptions {
                full_objects: allow,
                real_is_double: rd,
                dialect: d,
                godot3_lossy: false,
            };
            let wire = match encode(&v, &enc) {
                Ok(w) => w,
                Err(e) => {
                    assert_eq!(d, Dialect::Godot3, "{}: {e}", row.name);
                    refused_godot3 += 1;
                    continue;
                }
            };
            let wire_hex = hex(&wire);
            let mut dargs = vec!["decode", "--dialect", dialect_arg(d)];
            if allow {
                dargs.push("--allow-objects");
            }
            let mut eargs = vec!["encode", "--dialect", dialect_arg(d)];
            if allow {
                eargs.push("--full-objects");
            }
            if rd {
                eargs.push("--real-double");
            }
            let ctx = format!("{} in {}", row.name, dialect_arg(d));

            // Text: the C API's text, from hex on the command line.
            let mut a = dargs.clone();
            a.push(&wire_hex);
            let out = run(&a, None);
            assert!(out.status.success(), "{ctx}: {:?}", out);
            assert_eq!(stdout(&out), c_api_text(&wire, d, allow), "{ctx}");

            // Typed text and JSON: decode (raw bytes on stdin) then encode gives the same bytes.
            for (fmt, from) in [("var", "var"), ("json", "json")] {
                let mut a = dargs.clone();
                a.extend(["--format", fmt]);
                if rd {
                    a.push("--real-double");
                }
                let out = run(&a, Some(&wire));
                assert!(out.status.success(), "{ctx} {fmt}: {:?}", out);
                let text = stdout(&out);
                let mut e = eargs.clone();
                e.extend(["--from", from, &text]);
                let back = run(&e, None);
                assert!(back.status.success(), "{ctx} {fmt}: {text}: {:?}", back);
                assert_eq!(stdout(&back), wire_hex, "{ctx} {fmt}: {text}");
            }
            checked[i] += 1;
        }
    }
    eprintln!("round trips: godot4 {}, redot {}, godot3 {} (+{refused_godot3} values Godot 3 has no type for)", checked[0], checked[1], checked[2]);
    assert!(total > 120, "{total} rows");
    assert_eq!([checked[0], checked[1]], [total, total]);
    assert_eq!(checked[2] + refused_godot3, total);
}

#[test]
fn malformed_vectors_fail_with_name_offset_and_reason() {
    let mut n = 0;
    for row in rows().into_iter().filter(|r| r.value.starts_with("error:")) {
        let bytes = unhex(&row.hex).unwrap();
        let dialect = if has(&row.opts, "redot_struct") {
            Dialect::RedotStruct
        } else {
            Dialect::Godot4
        };
        let dec = DecodeOptions {
            allow_objects: has(&row.opts, "allow_objects"),
            dialect,
            ..DecodeOptions::default()
        };
        let want = decode(&bytes, &dec).expect_err(&row.name);
        assert_eq!(
            want.code.name(),
            &row.value["error:".len()..],
            "{}",
            row.name
        );
        let mut args = vec![
            "decode",
            "--dialect",
            dialect_arg(dialect),
            "--format",
            "json",
        ];
        if dec.allow_objects {
            args.push("--allow-objects");
        }
        args.extend(["--file", "-"]);
        let out = run(&args, Some(&bytes));
        assert_eq!(out.status.code(), Some(1), "{}", row.name);
        let err = String::from_utf8(out.stderr.clone()).unwrap();
        let line = format!(
            "decode failed: {} at byte {}: {}",
            want.code.name(),
            want.offset,
            want.reason
        );
        assert!(err.contains(&line), "{}: {err}", row.name);
        let j: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(j["error"], want.code.name());
        assert_eq!(j["offset"], want.offset);
        assert_eq!(j["reason"], want.reason);
        n += 1;
    }
    assert!(n >= 20, "{n} error rows");
}

#[test]
fn bad_input_exits_1_with_a_reason() {
    for (args, needle) in [
        (vec!["decode", "0x12 3"], "odd number of hex digits"),
        (vec!["decode", "zz"], "not a hex digit"),
        (vec!["decode", "1b000000"], "ERR_INVALID_DATA at byte 4"),
        (vec!["decode", "--file", "/nonexistent/x"], "cannot read"),
        (
            vec!["encode", "Vector2(1)"],
            "at byte 0: Vector2 takes 2 components",
        ),
        (
            vec!["encode", "[1, 2"],
            "parse error at byte 5: expected ',' or ']'",
        ),
        (vec!["encode", "\"a\\q\""], "unknown escape"),
        (
            vec!["encode", "PackedByteArray(256)"],
            "integer out of range",
        ),
        (vec!["encode", "1 2"], "unexpected text after the value"),
        (
            vec!["encode", "--from", "json", "{\"type\": \"Nope\"}"],
            "unknown type 'Nope'",
        ),
        (vec!["encode", "--from", "json", "{"], "bad JSON"),
        (
            vec!["encode", "\"a\\u0000b\""],
            "encode failed: ERR_INVALID_PARAMETER",
        ),
        (
            vec!["encode", "--dialect", "godot3", "Vector4(1, 2, 3, 4)"],
            "encode failed: ERR_INVALID_PARAMETER",
        ),
        (
            vec!["decode", "--dialect", "godot5", "00000000"],
            "invalid value",
        ),
    ] {
        let out = run(&args, None);
        let err = String::from_utf8(out.stderr.clone()).unwrap();
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        if args[1] != "--dialect" || args[0] == "encode" {
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        }
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    // Deep nesting is refused, not a stack overflow.
    let deep = "[".repeat(5000) + &"]".repeat(5000);
    let out = run(&["encode", "--file", "-"], Some(deep.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nested deeper than 1024"));
}

#[test]
fn stdin_file_raw_and_trailing_bytes() {
    let out = run(&["encode", "--raw", "{\"hp\": 10}"], None);
    assert!(out.status.success());
    let raw = out.stdout.clone();
    let dir = std::env::temp_dir().join(format!("packetpeer-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("v.bin");
    std::fs::write(&path, &raw).unwrap();
    let out = run(&["decode", "--file", path.to_str().unwrap()], None);
    assert_eq!(stdout(&out), "{ \"hp\": 10 }");
    let mut with_tail = raw.clone();
    with_tail.extend([1, 2, 3]);
    let out = run(&["decode", "--format", "var"], Some(&with_tail));
    assert_eq!(stdout(&out), "{\"hp\": 10}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 trailing byte(s)"));
    let out = run(
        &["decode", "--hex"],
        Some(format!("{}\n", hex(&raw)).as_bytes()),
    );
    assert_eq!(stdout(&out), "{ \"hp\": 10 }");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn help_has_an_example_for_every_subcommand() {
    let top = run(&["--help"], None);
    assert!(top.status.success());
    let top = String::from_utf8(top.stdout).unwrap();
    for cmd in ["decode", "encode", "relay"] {
        assert!(top.contains(cmd), "{top}");
        let h = run(&[cmd, "--help"], None);
        assert!(h.status.success());
        let h = String::from_utf8(h.stdout).unwrap();
        assert!(
            h.contains("Examples:") && h.contains(&format!("packetpeer {cmd} ")),
            "{h}"
        );
    }
}
