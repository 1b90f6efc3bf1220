//! A 32-bit float in a real_t math type keeps its bits through decode + encode, signalling NaNs
//! included, as a single-precision Godot build copies these floats: a relay that decodes and
//! re-encodes must not change a byte. Pinned for every real_t type, Color and the packed arrays
//! (small ones, and ones large enough for the SIMD bulk paths of both directions).

mod common;

use common::{hex, to_hex};
use packetpeer::variant::*;

/// sNaN with the sign set and a payload in the low bits (`ff807fff`, the example of the issue).
const SNAN: u32 = 0xff80_7fff;
/// A few more patterns: positive sNaN with one payload bit, sNaN with the highest payload, a quiet
/// NaN with payload.
const NANS: [u32; 4] = [SNAN, 0x7f80_0001, 0x7fbf_ffff, 0xffc0_1234];

/// Decodes `bytes` (single precision, the defaults) and encodes the result again.
fn relay(bytes: &[u8]) -> Vec<u8> {
    let (v, used) = decode(bytes, &DecodeOptions::default()).expect("decodes");
    assert_eq!(used, bytes.len());
    encode(&v, &EncodeOptions::default()).expect("encodes")
}

/// Header word then `floats` as little-endian f32 bit patterns.
fn value(type_id: u32, floats: &[u32]) -> Vec<u8> {
    let mut b = type_id.to_le_bytes().to_vec();
    for f in floats {
        b.extend_from_slice(&f.to_le_bytes());
    }
    b
}

#[test]
fn vector2_example_from_the_issue() {
    // Vector2(x = NaN ffffffff, y = sNaN ff807fff): y used to come back as ffc07fff.
    let bytes = hex("05000000ffffffffff7f80ff");
    assert_eq!(to_hex(&relay(&bytes)), to_hex(&bytes));
}

/// Every real_t math type (type id, component count), with the NaN in every component.
#[test]
fn every_real_t_type_keeps_nan_bits_in_every_component() {
    let types = [
        ("Vector2", 5, 2),
        ("Rect2", 7, 4),
        ("Vector3", 9, 3),
        ("Transform2D", 11, 6),
        ("Vector4", 12, 4),
        ("Plane", 14, 4),
        ("Quaternion", 15, 4),
        ("AABB", 16, 6),
        ("Basis", 17, 9),
        ("Transform3D", 18, 12),
        ("Projection", 19, 16),
        // Color is always 32-bit floats (not real_t); it kept the bits before and must still.
        ("Color", 20, 4),
    ];
    for (name, id, n) in types {
        for at in 0..n {
            for nan in NANS {
                let mut floats: Vec<u32> = (0..n).map(|i| (1.0f32 + i as f32).to_bits()).collect();
                floats[at] = nan;
                let bytes = value(id, &floats);
                assert_eq!(
                    to_hex(&relay(&bytes)),
                    to_hex(&bytes),
                    "{name}: NaN {nan:#010x} in component {at}"
                );
            }
        }
    }
}

/// A packed array: type id, count, then `count * n` floats with the NaN patterns spread over
/// every lane position (index mod 8) and both ends.
fn packed(type_id: u32, n: usize, count: usize) -> Vec<u8> {
    let mut floats: Vec<u32> = (0..count * n)
        .map(|i| (i as f32 * 0.25).to_bits())
        .collect();
    let len = floats.len();
    for (k, i) in (0..len).step_by(13).enumerate() {
        floats[i] = NANS[k % NANS.len()];
    }
    if len > 0 {
        floats[0] = SNAN;
        floats[len - 1] = SNAN;
    }
    let mut b = type_id.to_le_bytes().to_vec();
    b.extend_from_slice(&(count as u32).to_le_bytes());
    for f in floats {
        b.extend_from_slice(&f.to_le_bytes());
    }
    b
}

#[test]
fn packed_arrays_keep_nan_bits() {
    // (name, type id, floats per element)
    let types = [
        ("PackedFloat32Array", 32, 1),
        ("PackedVector2Array", 35, 2),
        ("PackedVector3Array", 36, 3),
        ("PackedColorArray", 37, 4),
        ("PackedVector4Array", 38, 4),
    ];
    for (name, id, n) in types {
        for count in [1, 2, 3, 5, 8, 17, 100] {
            let bytes = packed(id, n, count);
            let back = relay(&bytes);
            assert!(back == bytes, "{name} x{count}: bytes changed");
        }
    }
}

/// Arrays past the codec's bulk threshold take the SIMD paths in both directions (on x86_64:
/// widening with streaming stores from 2 MiB of input, narrowing from 4 MiB of output).
#[test]
fn large_packed_arrays_keep_nan_bits_through_the_bulk_paths() {
    const BULK_FLOATS: usize = (4 << 20) / 4 + 7;
    for (name, id, n) in [
        ("PackedVector2Array", 35, 2),
        ("PackedVector3Array", 36, 3),
        ("PackedVector4Array", 38, 4),
    ] {
        let count = BULK_FLOATS.div_ceil(n);
        let bytes = packed(id, n, count);
        let back = relay(&bytes);
        assert_eq!(back.len(), bytes.len(), "{name}");
        if let Some(i) = back.iter().zip(&bytes).position(|(a, b)| a != b) {
            panic!(
                "{name} x{count}: first changed byte at {i}: {} instead of {}",
                to_hex(&back[i & !3..(i & !3) + 4]),
                to_hex(&bytes[i & !3..(i & !3) + 4])
            );
        }
    }
}

/// With real_t as double the 32-bit floats are widened on purpose (FLAG_64 on the way out); a NaN
/// stays a NaN of the same sign.
#[test]
fn real_is_double_widens() {
    let (v, _) = decode(&hex("05000000ffffffffff7f80ff"), &DecodeOptions::default()).unwrap();
    let opts = EncodeOptions {
        real_is_double: true,
        ..EncodeOptions::default()
    };
    let wide = encode(&v, &opts).unwrap();
    assert_eq!(wide.len(), 4 + 16);
    assert_eq!(&wide[..4], &hex("05000100")[..]);
    let y = f64::from_le_bytes(wide[12..20].try_into().unwrap());
    assert!(y.is_nan() && y.is_sign_negative());
}
