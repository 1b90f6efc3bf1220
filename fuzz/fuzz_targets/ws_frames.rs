//! The WebSocket frame decoder and both handshake parsers on arbitrary bytes (`docs/classes.md`
//! §19.1, §19.2). The first byte picks the role and the message limit; the rest is fed in pieces
//! whose sizes come from the input too. Properties: no panic, consumption stays within the input,
//! every finished message respects the limit, text messages are UTF-8, close codes are valid, and
//! a violation carries one of the engine's close codes.
//!
//! Run: `cargo +nightly fuzz run ws_frames` in this directory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use packetpeer::ws::frame::{is_valid_close_code, Decoder, Event};
use packetpeer::ws::handshake;

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, rest)) = data.split_first() else {
        return;
    };
    // Handshake parsers: never panic; a head they accept is well-formed.
    if let Some(r) = handshake::check_request(rest, &["chat".to_string()]) {
        assert_eq!(r.protocol.as_deref(), Some("chat"));
    }
    let _ = handshake::check_response(rest, "dGhlIHNhbXBsZSBub25jZQ==", &[]);
    let _ = handshake::parse_url(&String::from_utf8_lossy(rest));

    let server = ctl & 1 != 0;
    let max = 1usize << (ctl >> 4);
    let step = ((ctl >> 1) & 7) as usize + 1;
    let mut d = Decoder::new(server, max);
    let mut buf: Vec<u8> = Vec::new();
    let mut input = rest;
    loop {
        let take = step.min(input.len());
        buf.extend_from_slice(&input[..take]);
        input = &input[take..];
        loop {
            match d.feed(&buf) {
                Ok((n, ev)) => {
                    assert!(n <= buf.len());
                    buf.drain(..n);
                    match ev {
                        Some(Event::Message { data, text }) => {
                            assert!(data.len() <= max);
                            if text {
                                assert!(std::str::from_utf8(&data).is_ok());
                            }
                        }
                        Some(Event::Close { code, .. }) => {
                            assert!(code == 0 || is_valid_close_code(code))
                        }
                        Some(Event::Ping(p)) | Some(Event::Pong(p)) => assert!(p.len() <= 125),
                        None => break,
                    }
                }
                Err(f) => {
                    assert!(matches!(f.code, 1002 | 1007 | 1009));
                    return;
                }
            }
        }
        if input.is_empty() {
            return;
        }
    }
});
