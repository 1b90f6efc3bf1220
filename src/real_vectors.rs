//! The vector types' promise to [`simd`](crate::simd): `Vector2`, `Vector3` and `Vector4` are plain
//! runs of `f64`, so the codec converts packed vector arrays in bulk without copying them first.
//!
//! Why a module of its own: `simd` knows only primitive types (`variant` uses it, so it must not
//! use `variant`), and `variant` forbids `unsafe` code, which an `unsafe impl` is. This module
//! depends on both and neither depends on it: the codec's calls (`simd::flat::<Vector3>`, ...)
//! need the impls to exist, not to be imported.
#![allow(unsafe_code)]

use crate::simd::Reals;
use crate::variant::{Vector2, Vector3, Vector4};

// SAFETY: repr(C) {x, y: f64} (variant/value.rs), checked by the assertions below.
unsafe impl Reals for Vector2 {
    const N: usize = 2;
}
// SAFETY: repr(C) {x, y, z: f64}.
unsafe impl Reals for Vector3 {
    const N: usize = 3;
}
// SAFETY: repr(C) {x, y, z, w: f64}.
unsafe impl Reals for Vector4 {
    const N: usize = 4;
}
const _: () = {
    assert!(size_of::<Vector2>() == 2 * size_of::<f64>());
    assert!(size_of::<Vector3>() == 3 * size_of::<f64>());
    assert!(size_of::<Vector4>() == 4 * size_of::<f64>());
    assert!(align_of::<Vector2>() == align_of::<f64>());
    assert!(align_of::<Vector3>() == align_of::<f64>());
    assert!(align_of::<Vector4>() == align_of::<f64>());
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simd::{flat, widened, STREAM_MIN_BYTES};

    #[test]
    fn flat_views_components_in_order() {
        let v = [
            Vector3 {
                x: 1.0,
                y: 2.0,
                z: 3.0,
            },
            Vector3 {
                x: 4.0,
                y: 5.0,
                z: 6.0,
            },
        ];
        assert_eq!(flat(&v), &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let v = [Vector2 { x: 7.0, y: 8.0 }];
        assert_eq!(flat(&v), &[7.0, 8.0]);
        let v = [Vector4 {
            x: 1.0,
            y: 2.0,
            z: 3.0,
            w: 4.0,
        }];
        assert_eq!(flat(&v), &[1.0, 2.0, 3.0, 4.0]);
    }

    #[test]
    fn widened_builds_vectors_in_component_order() {
        // Large enough to take the streaming path where the target has one.
        let n = STREAM_MIN_BYTES / 8 / 4 + 3;
        let bytes: Vec<u8> = (0..n * 4).flat_map(|i| (i as f32).to_le_bytes()).collect();
        if let Some(v) = widened::<Vector4>(&bytes) {
            assert_eq!(v.len(), n);
            assert_eq!(flat(&v), (0..n * 4).map(|i| i as f64).collect::<Vec<_>>());
        }
    }
}
