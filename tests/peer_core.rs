//! Core semantics of PacketPeer, StreamPeer helpers, StreamPeerBuffer, the pipe and PacketPeerStream
//! (`docs/wire-format.md` §15–§16, `docs/classes.md` §1, §3, §6).

use packetpeer::sync::{shared, Shared};

use packetpeer::peer::stream_peer::{f32_to_half, half_to_f32};
use packetpeer::peer::{
    PacketPeer, PacketPeerStream, StreamPeer, StreamPeerBuffer, StreamPeerExt, StreamPeerPipe,
};
use packetpeer::variant::{self, Dictionary, EncodeOptions, Variant};
use packetpeer::Error;

type Pps = PacketPeerStream<StreamPeerPipe>;

/// A PacketPeerStream on one end of a pipe, and the raw other end.
fn pps_and_raw(capacity: usize) -> (Pps, Shared<StreamPeerPipe>) {
    let (a, b) = StreamPeerPipe::pair_with_capacity(capacity).unwrap();
    let mut p = Pps::new();
    p.set_stream_peer(Some(shared(a)));
    (p, shared(b))
}

/// Two PacketPeerStreams connected by a pipe.
fn pps_pair() -> (Pps, Pps) {
    let (a, b) = StreamPeerPipe::pair();
    let mut pa = Pps::new();
    let mut pb = Pps::new();
    pa.set_stream_peer(Some(shared(a)));
    pb.set_stream_peer(Some(shared(b)));
    (pa, pb)
}

fn raw_read_all(raw: &Shared<StreamPeerPipe>) -> Vec<u8> {
    let mut s = raw.lock().unwrap();
    let mut buf = vec![0u8; s.get_available_bytes().max(0) as usize];
    let n = s.get_partial_data(&mut buf).unwrap();
    buf.truncate(n);
    buf
}

fn raw_write(raw: &Shared<StreamPeerPipe>, bytes: &[u8]) {
    raw.lock().unwrap().put_data(bytes).unwrap();
}

/// The Variant parts below need a working encoder: check it first so that a broken codec fails
/// these tests with a clear message (it used to skip them, passing).
fn assert_codec_works() {
    assert_eq!(
        variant::encode(&Variant::Int(42), &EncodeOptions::default()).as_deref(),
        Ok(&[2u8, 0, 0, 0, 42, 0, 0, 0][..]),
        "the Variant encoder is broken"
    );
}

#[test]
fn no_stream_peer() {
    let mut p = Pps::new();
    assert_eq!(p.put_packet(b"x"), Err(Error::Unconfigured));
    assert_eq!(p.put_packet(b""), Err(Error::Unconfigured));
    assert_eq!(p.get_packet().err(), Some(Error::Unconfigured));
    assert_eq!(p.get_available_packet_count(), 0);
    assert_eq!(p.get_max_packet_size(), 65536);
    assert_eq!(p.get_input_buffer_max_size(), 65532);
    assert_eq!(p.get_output_buffer_max_size(), 65532);
    assert!(p.get_stream_peer().is_none());
}

#[test]
fn framing_bytes_and_empty_put() {
    let (mut p, raw) = pps_and_raw(1 << 20);
    p.put_packet(b"abc").unwrap();
    p.put_packet(b"").unwrap(); // OK, nothing written
    assert_eq!(raw_read_all(&raw), b"\x03\x00\x00\x00abc");
    // big_endian never affects framing.
    p.get_stream_peer()
        .unwrap()
        .lock()
        .unwrap()
        .set_big_endian(true);
    p.put_packet(&[7; 258]).unwrap();
    let got = raw_read_all(&raw);
    assert_eq!(&got[..4], &[2, 1, 0, 0]);
    assert_eq!(got.len(), 262);
}

#[test]
fn put_packet_limits() {
    let (mut p, raw) = pps_and_raw(1 << 20);
    assert_eq!(p.put_packet(&vec![0; 65533]), Err(Error::InvalidParameter));
    p.put_packet(&vec![1; 65532]).unwrap();
    assert_eq!(raw_read_all(&raw).len(), 65536);
    p.set_output_buffer_max_size(100).unwrap();
    assert_eq!(p.get_output_buffer_max_size(), 124);
    assert_eq!(p.get_max_packet_size(), 128);
    assert_eq!(p.put_packet(&[0; 125]), Err(Error::InvalidParameter));
    p.put_packet(&[0; 124]).unwrap();
    assert_eq!(
        p.set_output_buffer_max_size(-1),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        p.set_output_buffer_max_size((1 << 28) - 3),
        Err(Error::InvalidParameter)
    );
    p.set_output_buffer_max_size((1 << 28) - 4).unwrap();
    assert_eq!(p.get_output_buffer_max_size(), (1 << 28) - 4);
    assert_eq!(
        p.set_output_buffer_max_size(i32::MAX),
        Err(Error::InvalidParameter)
    );
    assert_eq!(p.get_output_buffer_max_size(), (1 << 28) - 4);
}

#[test]
fn largest_payload_is_received_unlike_the_engine() {
    let (mut a, mut b) = pps_pair();
    a.put_packet(&vec![9; 65532]).unwrap();
    a.put_packet(b"next").unwrap();
    // Several pulls may be needed (the ring grows as data arrives).
    let mut got = None;
    for _ in 0..64 {
        match b.get_packet() {
            Ok(pkt) => {
                got = Some(pkt.to_vec());
                break;
            }
            Err(e) => assert_eq!(e, Error::Unavailable),
        }
    }
    assert_eq!(got.unwrap(), vec![9; 65532]);
    assert_eq!(b.get_packet().unwrap(), b"next");
    assert_eq!(b.get_packet().err(), Some(Error::Unavailable));
}

#[test]
fn partial_frames_across_many_small_reads() {
    let (mut p, raw) = pps_and_raw(1 << 20);
    let mut wire = Vec::new();
    for i in 0..20u8 {
        let payload = vec![i; i as usize * 37];
        wire.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        wire.extend_from_slice(&payload);
    }
    let mut received = Vec::new();
    for chunk in wire.chunks(3) {
        raw_write(&raw, chunk);
        loop {
            match p.get_packet() {
                Ok(pkt) => received.push(pkt.to_vec()),
                Err(Error::Unavailable) => break,
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
    }
    assert_eq!(received.len(), 20);
    for (i, pkt) in received.iter().enumerate() {
        assert_eq!(pkt, &vec![i as u8; i * 37]);
    }
}

#[test]
fn count_walks_complete_frames() {
    let (mut p, raw) = pps_and_raw(1 << 20);
    assert_eq!(p.get_available_packet_count(), 0);
    raw_write(
        &raw,
        b"\x01\x00\x00\x00a\x02\x00\x00\x00bc\x05\x00\x00\x00de",
    );
    assert_eq!(p.get_available_packet_count(), 2);
    assert_eq!(p.get_packet().unwrap(), b"a");
    assert_eq!(p.get_available_packet_count(), 1);
    assert_eq!(p.get_packet().unwrap(), b"bc");
    assert_eq!(p.get_available_packet_count(), 0);
    assert_eq!(p.get_packet().err(), Some(Error::Unavailable));
    raw_write(&raw, b"fgh");
    assert_eq!(p.get_available_packet_count(), 1);
    assert_eq!(p.get_packet().unwrap(), b"defgh");
    // A zero-length frame is a valid, empty packet.
    raw_write(&raw, &[0, 0, 0, 0]);
    assert_eq!(p.get_available_packet_count(), 1);
    assert_eq!(p.get_packet().unwrap(), b"");
    // Fewer than 4 bytes: unavailable.
    raw_write(&raw, &[1, 0]);
    assert_eq!(p.get_packet().err(), Some(Error::Unavailable));
}

#[test]
fn hostile_lengths_are_reported_not_wedged() {
    for bad in [
        0xFFFF_FFFFu32,
        0x8000_0000,
        0x7FFF_FFFF,
        65533,
        65536,
        65537,
    ] {
        let (mut p, raw) = pps_and_raw(1 << 20);
        raw_write(&raw, b"\x02\x00\x00\x00ok");
        raw_write(&raw, &bad.to_le_bytes());
        raw_write(&raw, b"junk");
        assert_eq!(p.get_available_packet_count(), 1, "len {bad:#x}");
        assert_eq!(p.get_packet().unwrap(), b"ok");
        assert_eq!(
            p.get_packet().err(),
            Some(Error::OutOfMemory),
            "len {bad:#x}"
        );
        assert!(p.is_input_broken());
        assert_eq!(p.get_packet().err(), Some(Error::OutOfMemory));
        assert_eq!(p.get_available_packet_count(), 0);
        // Sending still works.
        p.put_packet(b"out").unwrap();
        assert_eq!(raw_read_all(&raw), b"\x03\x00\x00\x00out");
        // Clearing the stream discards the input and the broken state.
        p.set_stream_peer(None);
        assert!(!p.is_input_broken());
        assert_eq!(p.get_packet().err(), Some(Error::Unconfigured));
    }
    // is_input_broken sees it before get_packet does.
    let (mut p, raw) = pps_and_raw(1 << 20);
    raw_write(&raw, &[0xFF; 4]);
    assert_eq!(p.get_available_packet_count(), 0);
    assert!(p.is_input_broken());
}

#[test]
fn input_buffer_size_and_limit() {
    let (mut p, raw) = pps_and_raw(1 << 20);
    assert_eq!(
        p.set_input_buffer_max_size(-1),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        p.set_input_buffer_max_size((1 << 28) - 3),
        Err(Error::InvalidParameter)
    );
    p.set_input_buffer_max_size(2000).unwrap();
    assert_eq!(p.get_input_buffer_max_size(), 2044);
    p.set_input_buffer_max_size(0).unwrap();
    assert_eq!(p.get_input_buffer_max_size(), 0);
    p.set_input_buffer_max_size(12).unwrap();
    assert_eq!(p.get_input_buffer_max_size(), 12);
    // A 12-byte payload fills the 16-byte ring exactly and is received.
    raw_write(&raw, b"\x0c\x00\x00\x00twelve bytes");
    assert_eq!(p.get_packet().unwrap(), b"twelve bytes");
    // Data buffered: resizing is refused, no change.
    raw_write(&raw, b"\x05\x00");
    assert_eq!(p.get_available_packet_count(), 0);
    assert_eq!(p.set_input_buffer_max_size(100), Err(Error::AlreadyInUse));
    assert_eq!(p.get_input_buffer_max_size(), 12);
    raw_write(&raw, b"\x00\x00hello");
    assert_eq!(p.get_packet().unwrap(), b"hello");
    // 13 > 12: reported.
    raw_write(&raw, b"\x0d\x00\x00\x00");
    assert_eq!(p.get_packet().err(), Some(Error::OutOfMemory));
}

#[test]
fn set_stream_peer_discards_input_only_when_it_changes() {
    let (mut p, raw) = pps_and_raw(1 << 20);
    raw_write(&raw, b"\x01\x00\x00\x00a\x01\x00\x00\x00b");
    assert_eq!(p.get_available_packet_count(), 2);
    let s = p.get_stream_peer();
    p.set_stream_peer(s.clone());
    assert_eq!(p.get_available_packet_count(), 2);
    p.set_stream_peer(None);
    p.set_stream_peer(s);
    assert_eq!(p.get_available_packet_count(), 0);
}

#[test]
fn put_packet_returns_the_pull_error() {
    let (mut a, mut b) = pps_pair();
    a.put_packet(b"last").unwrap();
    let sa = a.get_stream_peer().unwrap();
    sa.lock().unwrap().close();
    // The receiver still gets what was sent, then its puts see EOF from the pull.
    assert_eq!(b.get_packet().unwrap(), b"last");
    assert_eq!(b.put_packet(b"x"), Err(Error::FileEof));
    assert_eq!(b.get_packet().err(), Some(Error::Unavailable));
    assert_eq!(a.put_packet(b"x"), Err(Error::Failed));
}

#[test]
fn full_pipe_is_busy_and_frames_stay_whole() {
    let (mut a, mut b) = {
        let (x, y) = StreamPeerPipe::pair_with_capacity(10).unwrap();
        let mut pa = Pps::new();
        let mut pb = Pps::new();
        pa.set_stream_peer(Some(shared(x)));
        pb.set_stream_peer(Some(shared(y)));
        (pa, pb)
    };
    a.put_packet(b"12345").unwrap();
    assert_eq!(a.put_packet(b"67"), Err(Error::Busy));
    assert_eq!(b.get_packet().unwrap(), b"12345");
    a.put_packet(b"67").unwrap();
    assert_eq!(b.get_packet().unwrap(), b"67");
}

#[test]
fn encode_buffer_max_size_setter() {
    let mut p = Pps::new();
    let base = p.base_mut();
    assert_eq!(base.encode_buffer_max_size(), 8_388_608);
    assert_eq!(
        base.set_encode_buffer_max_size(1023),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        base.set_encode_buffer_max_size(268_435_457),
        Err(Error::InvalidParameter)
    );
    assert_eq!(base.encode_buffer_max_size(), 8_388_608);
    base.set_encode_buffer_max_size(2000).unwrap();
    assert_eq!(base.encode_buffer_max_size(), 2048);
    base.set_encode_buffer_max_size(1024).unwrap();
    assert_eq!(base.encode_buffer_max_size(), 1024);
    base.set_encode_buffer_max_size(268_435_456).unwrap();
    assert_eq!(base.encode_buffer_max_size(), 268_435_456);
}

#[test]
fn put_var_get_var_over_packet_peer_stream() {
    assert_codec_works();
    let (mut p, raw) = pps_and_raw(1 << 20);
    p.put_var(&Variant::Int(42), false).unwrap();
    assert_eq!(raw_read_all(&raw), [8, 0, 0, 0, 2, 0, 0, 0, 42, 0, 0, 0]);
    let (mut a, mut b) = pps_pair();
    let mut d = Dictionary::new();
    d.insert(Variant::String("hp".into()), Variant::Int(7));
    d.insert(Variant::Int(1), Variant::Float(2.5));
    let v = Variant::Dictionary(Box::new(d));
    a.put_var(&v, false).unwrap();
    assert_eq!(b.get_var(false).unwrap(), v);
    assert_eq!(b.base().packet_error(), None);
    // Zero-length frame: get_var fails with ERR_INVALID_DATA, and records it.
    let (mut p, raw) = pps_and_raw(64);
    raw_write(&raw, &[0, 0, 0, 0]);
    assert_eq!(p.get_var(false), Err(Error::InvalidData));
    assert_eq!(p.base().packet_error(), Some(Error::InvalidData));
    assert_eq!(p.get_var(false), Err(Error::Unavailable));
    // Larger than encode_buffer_max_size: ERR_OUT_OF_MEMORY.
    p.base_mut().set_encode_buffer_max_size(1024).unwrap();
    let big = Variant::PackedByteArray(vec![0; 1100]);
    assert_eq!(p.put_var(&big, false), Err(Error::OutOfMemory));
}

#[test]
fn put_var_size_limit() {
    assert_codec_works();
    let (mut p, raw) = pps_and_raw(1 << 20);
    p.base_mut().set_encode_buffer_max_size(1024).unwrap();
    // Exactly the limit (8-byte header + 1016 bytes) is sent; one byte more (padded to 1028) is not.
    let fits = Variant::PackedByteArray(vec![5; 1016]);
    p.put_var(&fits, false).unwrap();
    let sent = raw_read_all(&raw);
    assert_eq!(sent[..4], 1024u32.to_le_bytes());
    assert_eq!(
        sent[4..],
        variant::encode(&fits, &EncodeOptions::default()).unwrap()[..]
    );
    let over = Variant::PackedByteArray(vec![5; 1017]);
    assert_eq!(p.put_var(&over, false), Err(Error::OutOfMemory));
    assert!(raw_read_all(&raw).is_empty());
    // An error of the value itself comes first, as in the engine (it sizes the value before
    // checking the limit).
    let bad = Variant::Array(Box::new(variant::Array {
        element_type: variant::ContainerType::Any,
        elements: vec![over.clone(), Variant::String("a\0b".into())],
    }));
    assert_eq!(p.put_var(&bad, false), Err(Error::InvalidParameter));
    // Far over the default limit: refused.
    let (mut p, raw) = pps_and_raw(1 << 20);
    let huge = Variant::PackedByteArray(vec![0; 64 << 20]);
    assert_eq!(p.put_var(&huge, false), Err(Error::OutOfMemory));
    assert!(raw_read_all(&raw).is_empty());
    // The peer still works.
    p.put_var(&Variant::Int(42), false).unwrap();
    assert_eq!(raw_read_all(&raw), [8, 0, 0, 0, 2, 0, 0, 0, 42, 0, 0, 0]);
}

#[test]
fn typed_helpers_both_endians() {
    for be in [false, true] {
        let mut b = StreamPeerBuffer::new();
        b.set_big_endian(be);
        b.put_8(-2).unwrap();
        b.put_u8(0xAB).unwrap();
        b.put_16(-2).unwrap();
        b.put_u16(0x1234).unwrap();
        b.put_32(-2).unwrap();
        b.put_u32(0x1234_5678).unwrap();
        b.put_64(-2).unwrap();
        b.put_u64(0x0102_0304_0506_0708).unwrap();
        b.put_float(1.5).unwrap();
        b.put_double(-0.25).unwrap();
        b.put_half(1.0).unwrap();
        let bytes = b.data_array().to_vec();
        let fix = |le: &[u8]| -> Vec<u8> {
            if be {
                le.iter().rev().copied().collect()
            } else {
                le.to_vec()
            }
        };
        let mut want = vec![0xFE, 0xAB];
        want.extend(fix(&[0xFE, 0xFF]));
        want.extend(fix(&[0x34, 0x12]));
        want.extend(fix(&[0xFE, 0xFF, 0xFF, 0xFF]));
        want.extend(fix(&[0x78, 0x56, 0x34, 0x12]));
        want.extend(fix(&[0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]));
        want.extend(fix(&[8, 7, 6, 5, 4, 3, 2, 1]));
        want.extend(fix(&1.5f32.to_le_bytes()));
        want.extend(fix(&(-0.25f64).to_le_bytes()));
        want.extend(fix(&[0x00, 0x3C]));
        assert_eq!(bytes, want, "big_endian={be}");
        b.seek(0).unwrap();
        assert_eq!(b.get_8(), Ok(-2));
        assert_eq!(b.get_u8(), Ok(0xAB));
        assert_eq!(b.get_16(), Ok(-2));
        assert_eq!(b.get_u16(), Ok(0x1234));
        assert_eq!(b.get_32(), Ok(-2));
        assert_eq!(b.get_u32(), Ok(0x1234_5678));
        assert_eq!(b.get_64(), Ok(-2));
        assert_eq!(b.get_u64(), Ok(0x0102_0304_0506_0708));
        assert_eq!(b.get_float(), Ok(1.5));
        assert_eq!(b.get_double(), Ok(-0.25));
        assert_eq!(b.get_half(), Ok(1.0));
        assert_eq!(b.get_8(), Err(Error::InvalidParameter));
    }
}

#[test]
fn half_conversion_matches_the_engine() {
    assert_eq!(f32_to_half(1.0), 0x3C00);
    assert_eq!(f32_to_half(-2.0), 0xC000);
    assert_eq!(f32_to_half(65504.0), 0x7BFF);
    assert_eq!(f32_to_half(65519.0), 0x7BFF); // truncation, not rounding
    assert_eq!(f32_to_half(65536.0), 0x7C00);
    assert_eq!(f32_to_half(f32::NEG_INFINITY), 0xFC00);
    assert_eq!(f32_to_half(f32::NAN), 0x7FFF);
    assert_eq!(f32_to_half(1.0e-5), 0); // below 2^-14: flushed to zero
    assert_eq!(f32_to_half(-1.0e-5), 0); // sign lost, like the engine
    assert_eq!(f32_to_half(6.103_515_6e-5), 0x0400); // 2^-14
    assert_eq!(half_to_f32(0x0001), 2f32.powi(-24));
    assert_eq!(half_to_f32(0x7BFF), 65504.0);
    assert_eq!(half_to_f32(0xFC00), f32::NEG_INFINITY);
    assert!(half_to_f32(0x7E00).is_nan());
    assert_eq!(half_to_f32(0x8000).to_bits(), (-0.0f32).to_bits());
    for h in (0u16..0x7C00).step_by(7) {
        if h >= 0x0400 || h == 0 {
            assert_eq!(f32_to_half(half_to_f32(h)), h);
        }
    }
}

#[test]
fn strings() {
    let mut b = StreamPeerBuffer::new();
    b.put_string("héllo").unwrap();
    assert_eq!(b.data_array(), b"\x05\x00\x00\x00h?llo");
    b.clear();
    b.put_utf8_string("héllo").unwrap();
    assert_eq!(b.data_array(), b"\x06\x00\x00\x00h\xc3\xa9llo");
    b.seek(0).unwrap();
    assert_eq!(b.get_utf8_string(-1).unwrap(), "héllo");
    b.seek(0).unwrap();
    // get_string reads Latin-1.
    assert_eq!(b.get_string(-1).unwrap(), "hÃ©llo");
    b.seek(4).unwrap();
    assert_eq!(b.get_string(2).unwrap(), "hÃ");
    // Big endian length; NUL ends the string.
    let mut b = StreamPeerBuffer::new();
    b.set_big_endian(true);
    b.put_utf8_string("ab\0cd").unwrap();
    assert_eq!(&b.data_array()[..4], &[0, 0, 0, 5]);
    b.seek(0).unwrap();
    assert_eq!(b.get_utf8_string(-1).unwrap(), "ab");
    // Negative length on the stream: ERR_INVALID_DATA. Length beyond the data: short read error.
    let mut b = StreamPeerBuffer::new();
    b.put_32(-5).unwrap();
    b.seek(0).unwrap();
    assert_eq!(b.get_string(-1), Err(Error::InvalidData));
    let mut b = StreamPeerBuffer::new();
    b.put_32(i32::MAX).unwrap();
    b.put_data(b"abc").unwrap();
    b.seek(0).unwrap();
    assert_eq!(b.get_utf8_string(-1), Err(Error::InvalidParameter));
    // Invalid UTF-8 becomes U+FFFD.
    let mut b = StreamPeerBuffer::new();
    b.put_data(b"\x02\x00\x00\x00\xff\x41").unwrap();
    b.seek(0).unwrap();
    assert_eq!(b.get_utf8_string(-1).unwrap(), "\u{FFFD}A");
}

#[test]
fn stream_put_var_honours_big_endian() {
    let mut b = StreamPeerBuffer::new();
    b.put_32(-1).unwrap();
    b.seek(0).unwrap();
    assert_eq!(b.get_var(false), Err(Error::InvalidData));
    let mut b = StreamPeerBuffer::new();
    b.put_32(i32::MAX).unwrap();
    b.seek(0).unwrap();
    assert_eq!(b.get_var(false), Err(Error::OutOfMemory));
    assert_codec_works();
    for be in [false, true] {
        let mut b = StreamPeerBuffer::new();
        b.set_big_endian(be);
        b.put_var(&Variant::Int(42), false).unwrap();
        let len: &[u8] = if be { &[0, 0, 0, 8] } else { &[8, 0, 0, 0] };
        assert_eq!(&b.data_array()[..4], len);
        assert_eq!(&b.data_array()[4..], &[2, 0, 0, 0, 42, 0, 0, 0]);
        b.seek(0).unwrap();
        assert_eq!(b.get_var(false), Ok(Variant::Int(42)));
    }
}

#[test]
fn dyn_stream_peer_works_too() {
    let (a, b) = StreamPeerPipe::pair();
    let mut pa: PacketPeerStream<dyn StreamPeer + Send> = PacketPeerStream::new();
    let sa: Shared<dyn StreamPeer + Send> = shared(a);
    pa.set_stream_peer(Some(sa));
    let mut pb: PacketPeerStream<dyn StreamPeer + Send> = PacketPeerStream::new();
    let sb: Shared<dyn StreamPeer + Send> = shared(b);
    pb.set_stream_peer(Some(sb));
    pa.put_packet(b"dyn").unwrap();
    assert_eq!(pb.get_packet().unwrap(), b"dyn");
}

#[test]
fn pipe_ends_on_two_threads() {
    // Each end (and its PacketPeerStream) lives on its own thread; the pipe is shared state.
    let (a, b) = StreamPeerPipe::pair_with_capacity(4096).unwrap();
    const N: u32 = 2000;
    let writer = std::thread::spawn(move || {
        let mut p = Pps::new();
        p.set_stream_peer(Some(shared(a)));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let mut i = 0u32;
        while i < N {
            assert!(std::time::Instant::now() < deadline, "writer stuck");
            match p.put_packet(&i.to_le_bytes().repeat(8)) {
                Ok(()) => i += 1,
                Err(Error::Busy) => std::thread::yield_now(),
                Err(e) => panic!("{e:?}"),
            }
        }
    });
    let mut p = Pps::new();
    p.set_stream_peer(Some(shared(b)));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut next = 0u32;
    while next < N {
        assert!(
            std::time::Instant::now() < deadline,
            "reader stuck at {next}"
        );
        match p.get_packet() {
            Ok(pkt) => {
                assert_eq!(pkt, next.to_le_bytes().repeat(8).as_slice());
                next += 1;
            }
            Err(Error::Unavailable) => std::thread::yield_now(),
            Err(e) => panic!("{e:?}"),
        }
    }
    writer.join().unwrap();
    // The writer's end is gone: EOF after draining.
    assert_eq!(p.put_packet(b"x"), Err(Error::FileEof));
}

/// A real pipe end that counts the reads made on it, to see which PacketPeerStream calls pull.
struct CountingEnd {
    inner: StreamPeerPipe,
    reads: usize,
}

impl StreamPeer for CountingEnd {
    fn put_data(&mut self, data: &[u8]) -> Result<(), Error> {
        self.inner.put_data(data)
    }
    fn put_partial_data(&mut self, data: &[u8]) -> Result<usize, Error> {
        self.inner.put_partial_data(data)
    }
    fn get_data(&mut self, buf: &mut [u8]) -> Result<(), Error> {
        self.reads += 1;
        self.inner.get_data(buf)
    }
    fn get_partial_data(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
        self.reads += 1;
        self.inner.get_partial_data(buf)
    }
    fn get_available_bytes(&self) -> i32 {
        self.inner.get_available_bytes()
    }
    fn is_big_endian(&self) -> bool {
        self.inner.is_big_endian()
    }
    fn set_big_endian(&mut self, big_endian: bool) {
        self.inner.set_big_endian(big_endian)
    }
}

fn counting_pps() -> (
    PacketPeerStream<CountingEnd>,
    Shared<CountingEnd>,
    Shared<StreamPeerPipe>,
) {
    let (a, b) = StreamPeerPipe::pair();
    let end = shared(CountingEnd { inner: a, reads: 0 });
    let mut p = PacketPeerStream::new();
    p.set_stream_peer(Some(end.clone()));
    (p, end, shared(b))
}

#[test]
fn a_frame_complete_in_the_buffer_is_returned_without_a_read() {
    let (mut p, end, raw) = counting_pps();
    let reads = || end.lock().unwrap().reads;
    raw_write(
        &raw,
        b"\x01\x00\x00\x00a\x02\x00\x00\x00bc\x01\x00\x00\x00d",
    );
    assert_eq!(p.get_packet().unwrap(), b"a");
    assert_eq!(reads(), 1);
    // The rest of the burst is already buffered: no more reads.
    assert_eq!(p.get_packet().unwrap(), b"bc");
    assert_eq!(p.get_packet().unwrap(), b"d");
    assert_eq!(reads(), 1);
    // Nothing buffered: get_packet pulls again (and finds nothing).
    assert_eq!(p.get_packet().err(), Some(Error::Unavailable));
    assert_eq!(reads(), 2);
    // A partial frame is not decided either: pull, complete it, return it.
    raw_write(&raw, b"\x03\x00\x00");
    assert_eq!(p.get_packet().err(), Some(Error::Unavailable));
    raw_write(&raw, b"\x00xyz");
    assert_eq!(p.get_packet().unwrap(), b"xyz");
    assert_eq!(reads(), 4);
    // get_available_packet_count and put_packet still pull every time, as the engine does.
    raw_write(&raw, b"\x01\x00\x00\x00e");
    assert_eq!(p.get_available_packet_count(), 1);
    assert_eq!(reads(), 5);
    p.put_packet(b"out").unwrap();
    assert_eq!(reads(), 6);
    assert_eq!(p.get_available_packet_count(), 1);
    assert_eq!(reads(), 7);
    assert_eq!(p.get_packet().unwrap(), b"e");
    assert_eq!(reads(), 7);
}

#[test]
fn put_packet_reports_the_stream_error_even_with_frames_buffered() {
    let (mut p, _end, raw) = counting_pps();
    raw_write(&raw, b"\x01\x00\x00\x00a\x01\x00\x00\x00b");
    assert_eq!(p.get_packet().unwrap(), b"a");
    raw.lock().unwrap().close();
    // "b" is buffered, but put_packet still pulls and reports the closed stream.
    assert_eq!(p.put_packet(b"x"), Err(Error::FileEof));
    assert_eq!(p.get_packet().unwrap(), b"b");
    assert_eq!(p.get_packet().err(), Some(Error::Unavailable));
}

#[test]
fn put_packet_reports_the_stream_error_when_the_ring_is_full() {
    // Input buffer 8 bytes: one frame with a 4-byte payload fills the ring exactly.
    let (mut p, end, raw) = counting_pps();
    p.set_input_buffer_max_size(4).unwrap();
    raw_write(&raw, b"\x04\x00\x00\x00abcd");
    assert_eq!(p.get_available_packet_count(), 1);
    raw.lock().unwrap().close();
    // The engine's pull still calls the stream (with 0 bytes), which reports its state.
    let before = end.lock().unwrap().reads;
    assert_eq!(p.put_packet(b"x"), Err(Error::FileEof));
    assert_eq!(end.lock().unwrap().reads, before + 1);
    assert_eq!(p.get_packet().unwrap(), b"abcd");
}

#[test]
fn many_buffered_frames_drained_with_count_then_get() {
    // The count-then-get loop over a full ring of frames, with new bytes arriving between calls: every
    // frame arrives whole and in order (exercises moving the unread bytes and growing the buffer).
    let (mut p, raw) = pps_and_raw(1 << 20);
    // Frame n: 4-byte n, then n % 300 bytes of n.
    let send = |n: &mut u32| {
        let len = (*n % 300) as usize;
        let mut f = (len as u32 + 4).to_le_bytes().to_vec();
        f.extend_from_slice(&n.to_le_bytes());
        f.extend(std::iter::repeat_n(*n as u8, len));
        raw_write(&raw, &f);
        *n += 1;
    };
    let mut next_out = 0u32;
    let mut next_in = 0u32;
    for round in 0..50 {
        for _ in 0..(round % 7 + 1) * 40 {
            send(&mut next_out);
        }
        while p.get_available_packet_count() > 0 {
            let pkt = p.get_packet().unwrap().to_vec();
            assert_eq!(pkt[..4], next_in.to_le_bytes());
            assert_eq!(pkt.len(), 4 + (next_in % 300) as usize);
            next_in += 1;
            if next_in % 5 == 0 {
                // A little more arrives while the reader is draining.
                send(&mut next_out);
            }
        }
    }
    while p.get_available_packet_count() > 0 {
        p.get_packet().unwrap();
        next_in += 1;
    }
    assert_eq!(next_in, next_out);
}
