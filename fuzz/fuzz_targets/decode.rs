//! Decodes arbitrary bytes under every option combination. Whatever decodes must re-encode, and
//! decode/encode rounds must converge to a fixpoint, each round giving the same bytes or fewer.
//!
//! Run: `cargo +nightly fuzz run decode` in this directory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use packetpeer::variant::*;

fuzz_target!(|data: &[u8]| {
    for allow_objects in [false, true] {
        for dialect in [Dialect::Godot4, Dialect::RedotStruct, Dialect::Godot3] {
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
                // Whatever the Godot 3 decoder builds exists in Godot 3: no conversion needed.
                godot3_lossy: false,
            };
            let bytes = encode(&v, &e).expect("a decoded value re-encodes");
            assert_eq!(encoded_len(&v, &e).ok(), Some(bytes.len()));
            // Encoding reaches a fixpoint: each further round gives the same bytes or strictly
            // fewer (keys that only differed before encoding, such as a null Object and NIL, merge;
            // a string that begins with several BOMs loses one per decode).
            let dopts = DecodeOptions {
                allow_objects: true,
                ..opts
            };
            let mut prev = bytes;
            loop {
                let (w, used) = decode(&prev, &dopts).expect("a re-encoded value decodes");
                assert_eq!(used, prev.len());
                let next = encode(&w, &e).expect("a re-decoded value re-encodes");
                if next == prev {
                    break;
                }
                assert!(next.len() < prev.len(), "encoding does not converge");
                prev = next;
            }
        }
    }
});
