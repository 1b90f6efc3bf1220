//! Fuzzes the datagram decompressors (range coder, FastLZ, zlib, zstd) with ENet's output limit, and
//! checks that whatever compresses decompresses back. Run:
//! `cargo +nightly fuzz run --fuzz-dir fuzz-enet enet_decompress`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use packetpeer::enet::compress::{compressor, CompressionLevels, CompressionMode};

fuzz_target!(|data: &[u8]| {
    for mode in [
        CompressionMode::RangeCoder,
        CompressionMode::FastLz,
        CompressionMode::Zlib,
        CompressionMode::Zstd,
    ] {
        let mut c = compressor(mode, CompressionLevels::default()).unwrap();
        let mut out = Vec::new();
        if c.decompress(data, &mut out, 4092) {
            assert!(out.len() <= 4092);
        }
        if data.len() <= 4092 && !data.is_empty() {
            let mut packed = Vec::new();
            if c.compress(data, &mut packed) {
                let mut back = Vec::new();
                assert!(c.decompress(&packed, &mut back, 4096));
                assert_eq!(&back[..data.len()], data);
            }
        }
    }
});
