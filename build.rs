//! Generates the C header into OUT_DIR (never outside it) and sets the shared library's SONAME and
//! export list. `scripts/regen-header.sh` copies the generated header to include/packetpeer.h; a test
//! fails when the committed header drifts from the sources.

use std::env;
use std::path::PathBuf;

fn main() {
    let crate_dir =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=packetpeer.map");

    let config =
        cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml parses");
    let header = out_dir.join("packetpeer.h");
    match cbindgen::Builder::new()
        .with_src(crate_dir.join("src/ffi/mod.rs"))
        .with_config(config)
        .generate()
    {
        Ok(bindings) => {
            bindings.write_to_file(&header);
        }
        Err(e) => panic!("cbindgen could not generate the header: {e}"),
    }
    println!("cargo:rustc-env=PP_GENERATED_HEADER={}", header.display());

    let target_os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let major = env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_default();
    let minor = env::var("CARGO_PKG_VERSION_MINOR").unwrap_or_default();
    // SONAME: libpacketpeer.so.MAJOR from 1.0 on, libpacketpeer.so.0.MINOR before.
    let soversion = if major == "0" {
        format!("0.{minor}")
    } else {
        major
    };
    match target_os.as_str() {
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" => {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libpacketpeer.so.{soversion}");
            // Export only pp_* symbols.
            println!(
                "cargo:rustc-cdylib-link-arg=-Wl,--version-script={}",
                crate_dir.join("packetpeer.map").display()
            );
        }
        "macos" | "ios" => {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-install_name,@rpath/libpacketpeer.{soversion}.dylib");
        }
        _ => {}
    }
    println!("cargo:rustc-env=PP_SOVERSION={soversion}");
}
