//! Fuzzes the ENet datagram parser: any bytes parse or stop cleanly, and what was parsed re-encodes to
//! the same bytes. Run: `cd fuzz-enet && cargo +nightly fuzz run enet_datagram`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use packetpeer::enet::protocol::parse_datagram;

fuzz_target!(|data: &[u8]| {
    if let Some(d) = parse_datagram(data) {
        assert!(d.commands.len() <= data.len() / 4);
        let mut out = Vec::new();
        d.header.encode(&mut out);
        for (h, c, p) in &d.commands {
            c.encode(h, &mut out);
            out.extend_from_slice(p);
        }
        assert_eq!(&out[..], &data[..out.len()]);
    }
});
