//! Property tests: PacketPeerStream reassembles any frame sequence however the bytes are split, and
//! arbitrary input never panics, never grows memory past the input limit, and never wedges silently.

use packetpeer::sync::shared;

use packetpeer::peer::{PacketPeer, PacketPeerStream, StreamPeer, StreamPeerPipe};
use packetpeer::Error;
use proptest::prelude::*;

type Pps = PacketPeerStream<StreamPeerPipe>;

fn setup(input_max: i32) -> (Pps, StreamPeerPipe) {
    let (a, b) = StreamPeerPipe::pair_with_capacity(1 << 20).unwrap();
    let mut p = Pps::new();
    p.set_stream_peer(Some(shared(a)));
    p.set_input_buffer_max_size(input_max).unwrap();
    (p, b)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_split_reassembles(
        payloads in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 0..20),
        chunks in prop::collection::vec(1usize..50, 1..40),
    ) {
        let (mut p, mut raw) = setup(508);
        let mut wire = Vec::new();
        for pl in &payloads {
            wire.extend_from_slice(&(pl.len() as u32).to_le_bytes());
            wire.extend_from_slice(pl);
        }
        let mut got = Vec::new();
        let mut pos = 0;
        let mut k = 0;
        while pos < wire.len() {
            let n = chunks[k % chunks.len()].min(wire.len() - pos);
            k += 1;
            raw.put_data(&wire[pos..pos + n]).unwrap();
            pos += n;
            loop {
                match p.get_packet() {
                    Ok(pkt) => got.push(pkt.to_vec()),
                    Err(Error::Unavailable) => break,
                    Err(e) => panic!("{e:?}"),
                }
            }
        }
        prop_assert_eq!(got, payloads);
        prop_assert_eq!(p.get_available_packet_count(), 0);
    }

    #[test]
    fn arbitrary_bytes_never_wedge_silently(
        bytes in prop::collection::vec(any::<u8>(), 0..2000),
    ) {
        let (mut p, mut raw) = setup(60);
        raw.put_data(&bytes).unwrap();
        // Each get either delivers a packet, reports the broken input, or says nothing is complete
        // yet — and "nothing yet" only happens while the buffered bytes could still become a frame.
        for _ in 0..bytes.len() + 2 {
            match p.get_packet() {
                Ok(pkt) => prop_assert!(pkt.len() <= 60),
                Err(Error::OutOfMemory) => {
                    prop_assert!(p.is_input_broken());
                    break;
                }
                Err(Error::Unavailable) => break,
                Err(e) => panic!("{e:?}"),
            }
        }
        prop_assert_eq!(p.get_input_buffer_max_size(), 60);
    }
}
