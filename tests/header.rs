//! The committed `include/packetpeer.h` must be exactly what cbindgen generates from `src/ffi` now
//! (build.rs writes it to OUT_DIR; its path arrives as `PP_GENERATED_HEADER`).
//!
//! `PP_REGEN_HEADER=1 cargo test --test header` rewrites the committed header instead of failing;
//! `scripts/regen-header.sh` is that command.

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
