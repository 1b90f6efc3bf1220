//! Decodes arbitrary bytes under every option combination. Whatever decodes must re-encode, and
//! the re-encoding must read back as a value whose own encoding is the same bytes (encoding is a
//! fixpoint after one round; the only exception is a string that begins with a second BOM, which
//! each decode strips once).
//!
//! Run: `cargo +nightly fuzz run decode` in this directory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use packetpeer::variant::*;

fuzz_target!(|data: &[u8]| {
    for allow_objects in [false, true] {
        for dialect in [Dialect::Godot4, Dialect::RedotStruct] {
            let opts = DecodeOptions {
                allow_objects,
                dialect,
                ..DecodeOptions::default()
            };
            let Ok((v, used)) = decode(data, &opts) else {
                continue;
            };
            assert!(used <= data.len());
            let e = EncodeOptions {
                full_objects: true,
                real_is_double: true,
                dialect,
            };
            let bytes = encode(&v, &e).expect("a decoded value re-encodes");
            assert_eq!(encoded_len(&v, &e).ok(), Some(bytes.len()));
            let (w, used) = decode(
                &bytes,
                &DecodeOptions {
                    allow_objects: true,
                    ..opts
                },
            )
            .expect("a re-encoded value decodes");
            assert_eq!(used, bytes.len());
            let again = encode(&w, &e).expect("re-decoded value re-encodes");
            if again != bytes {
                assert!(
                    bytes.windows(3).any(|x| x == [0xEF, 0xBB, 0xBF]),
                    "encoding is not a fixpoint"
                );
            }
        }
    }
});
