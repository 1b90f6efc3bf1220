//! The committed `include/packetpeer.h` must be exactly what build.rs generates from `src/ffi` now
//! (cbindgen's output, grouped by class; build.rs writes it to OUT_DIR and its path arrives as
//! `PP_GENERATED_HEADER`; cbindgen's own output arrives as `PP_CBINDGEN_HEADER`).
//!
//! `PP_REGEN_HEADER=1 cargo test --test header` rewrites the committed header instead of failing;
//! `scripts/regen-header.sh` is that command.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("include")
        .join("packetpeer.h")
}

fn generated() -> String {
    fs::read_to_string(env!("PP_GENERATED_HEADER")).expect("build.rs generated the header")
}

#[test]
fn committed_header_matches_generated() {
    let generated = generated();
    let path = committed_path();
    if std::env::var("PP_REGEN_HEADER").as_deref() == Ok("1") {
        let current = fs::read_to_string(&path).unwrap_or_default();
        if current != generated {
            fs::create_dir_all(path.parent().expect("include/ has a parent"))
                .expect("create include/");
            fs::write(&path, &generated).expect("write include/packetpeer.h");
            eprintln!("rewrote {}", path.display());
        }
        return;
    }
    let committed = fs::read_to_string(&path).unwrap_or_default();
    if committed == generated {
        return;
    }
    let first_diff = committed
        .lines()
        .zip(generated.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
    panic!(
        "include/packetpeer.h is out of date with src/ffi (first difference at line {}):\n  \
         committed: {:?}\n  generated: {:?}\nrun scripts/regen-header.sh and commit the result",
        first_diff + 1,
        committed.lines().nth(first_diff).unwrap_or("<end of file>"),
        generated.lines().nth(first_diff).unwrap_or("<end of file>"),
    );
}

/// The header's version macros are Cargo.toml's version (the C side checks header = runtime).
#[test]
fn header_version_macros_match_cargo() {
    let header = generated();
    let define = |name: &str| -> String {
        header
            .lines()
            .find_map(|l| l.strip_prefix(&format!("#define {name} ")))
            .unwrap_or_else(|| panic!("the header defines {name}"))
            .trim()
            .to_string()
    };
    assert_eq!(define("PP_VERSION_MAJOR"), env!("CARGO_PKG_VERSION_MAJOR"));
    assert_eq!(define("PP_VERSION_MINOR"), env!("CARGO_PKG_VERSION_MINOR"));
    assert_eq!(define("PP_VERSION_PATCH"), env!("CARGO_PKG_VERSION_PATCH"));
    assert!(define("PP_VERSION_NUMBER").contains("PP_VERSION_MAJOR"));
}

/// The header includes only the three standard headers (style: stdint/stddef/stdbool).
#[test]
fn header_includes_only_std_headers() {
    let header = generated();
    let includes: Vec<&str> = header
        .lines()
        .filter(|l| l.trim_start().starts_with("#include"))
        .collect();
    assert_eq!(
        includes,
        [
            "#include <stdint.h>",
            "#include <stddef.h>",
            "#include <stdbool.h>"
        ]
    );
}

/// The declarations of a header, as `kind name`, found by scanning lines outside comments at file
/// scope. Written independently of build.rs's parser on purpose: a bug there must not hide here.
fn declarations(header: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_comment = false;
    let mut depth = 0i32; // braces and parentheses: inside an enum, struct or parameter list
    for line in header.lines() {
        let t = line.trim();
        if in_comment {
            in_comment = !t.ends_with("*/");
            continue;
        }
        if t.starts_with("/*") {
            in_comment = !t.ends_with("*/");
            continue;
        }
        // The C++ linkage wrapper is not a scope of its own for this scan.
        if t == "extern \"C\" {" || t.starts_with("}  // extern") {
            continue;
        }
        if t.starts_with('#') {
            if let Some(rest) = t.strip_prefix("#define ") {
                let name = rest.split_whitespace().next().unwrap_or_default();
                if name != "PACKETPEER_H" {
                    found.push(format!("const {name}"));
                }
            }
            continue;
        }
        if depth == 0 {
            let words: Vec<&str> = t.split_whitespace().collect();
            if words.first() == Some(&"enum") {
                found.push(format!("enum {}", words[1]));
            } else if words.starts_with(&["typedef", "struct"]) && t.ends_with('{') {
                found.push(format!("struct {}", words[2]));
            } else if words.starts_with(&["typedef", "struct"]) {
                found.push(format!("opaque {}", words[3].trim_end_matches(';')));
            } else if let Some(paren) = t.find('(') {
                let name = t[..paren].rsplit([' ', '*']).next().unwrap_or_default();
                found.push(format!("fn {name}"));
            }
        }
        depth += t.matches(['{', '(']).count() as i32 - t.matches(['}', ')']).count() as i32;
    }
    found.sort();
    found
}

/// The grouped header declares exactly what cbindgen emitted, each once, and changes none of
/// cbindgen's lines: every line of cbindgen's output is in it as often as there, and each line it
/// adds is part of a comment (the banners and overviews) or blank.
#[test]
fn grouped_header_declares_exactly_what_cbindgen_emits() {
    let raw =
        fs::read_to_string(env!("PP_CBINDGEN_HEADER")).expect("build.rs kept cbindgen's header");
    let grouped = generated();

    let (raw_decls, grouped_decls) = (declarations(&raw), declarations(&grouped));
    assert!(
        raw_decls.len() > 400,
        "the scan found only {} declarations",
        raw_decls.len()
    );
    assert!(raw_decls.iter().any(|d| d == "fn pp_test_panic"));
    assert_eq!(
        raw_decls, grouped_decls,
        "declarations differ from cbindgen's output"
    );
    let mut unique = grouped_decls.clone();
    unique.dedup();
    assert_eq!(unique, grouped_decls, "a declaration appears twice");

    let mut count: BTreeMap<&str, i64> = BTreeMap::new();
    for line in raw.lines() {
        *count.entry(line).or_default() += 1;
    }
    for line in grouped.lines() {
        *count.entry(line).or_default() -= 1;
    }
    for (line, n) in count {
        let t = line.trim();
        let comment = t.is_empty() || t.starts_with("/*") || t.starts_with('*');
        assert!(
            n <= 0,
            "a line of cbindgen's output is missing {n} time(s) from the grouped header: {line:?}"
        );
        assert!(
            n == 0 || comment,
            "the grouped header adds a line that is not a comment: {line:?}"
        );
    }
}

/// The committed header is grouped: every group banner is there, in order, each with an overview.
#[test]
fn header_opens_each_group_with_an_overview() {
    let header = generated();
    let groups: Vec<&str> = header
        .lines()
        .filter_map(|l| l.strip_prefix(" * @defgroup "))
        .collect();
    assert!(groups.len() >= 18, "only {} groups", groups.len());
    assert!(
        groups[0].starts_with("pp_core "),
        "the core types come first"
    );
    assert_eq!(
        header.matches("\n * @{\n").count(),
        header.matches("\n/** @} */\n").count(),
        "every group is closed"
    );
}
