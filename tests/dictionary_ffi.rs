//! The Dictionary through the C API, replaying `test_dictionary` of c_tests/test_variant.c call for
//! call, plus the inline/spilled transitions of its entry storage (up to 4 pairs live inside the
//! Dictionary, in a `smallvec` union). Small and free of sockets and threads so that Miri can run it:
//!
//!   cargo +nightly miri test --test dictionary_ffi
//!
//! Miri checks every read of the entry storage for uninitialised bytes, which is how the valgrind
//! report on the Release build of `pp_variant_dictionary_set_typed` was judged (see
//! cmake/valgrind.supp).

use std::ffi::CStr;
use std::ptr::{null, null_mut};

use packetpeer::ffi::variant::*;
use packetpeer::ffi::{pp_error, pp_error::PP_OK, pp_variant};
use packetpeer::variant::{Dictionary, Variant};

const INV: pp_error = pp_error::PP_ERR_INVALID_PARAMETER;
const RANGE: pp_error = pp_error::PP_ERR_PARAMETER_RANGE_ERROR;
const MISSING: pp_error = pp_error::PP_ERR_DOES_NOT_EXIST;
const BUILTIN: i32 = pp_container_kind::PP_CONTAINER_KIND_BUILTIN as i32;
const CLASS: i32 = pp_container_kind::PP_CONTAINER_KIND_CLASS as i32;
const NONE: i32 = pp_container_kind::PP_CONTAINER_KIND_NONE as i32;
const STRING: i32 = pp_variant_type::PP_VARIANT_TYPE_STRING as i32;
const INT: i32 = pp_variant_type::PP_VARIANT_TYPE_INT as i32;

/// Owns a handle, freed at the end of the test like the C test frees its own.
struct H(*mut pp_variant);
impl Drop for H {
    fn drop(&mut self) {
        pp_variant_free(self.0);
    }
}
impl H {
    fn r(&self) -> *const pp_variant {
        self.0
    }
    // One call at a time uses the handle, as in C.
    fn m(&self) -> *mut pp_variant {
        self.0
    }
}
fn make(f: impl FnOnce(*mut *mut pp_variant) -> pp_error) -> H {
    let mut p = null_mut();
    assert_eq!(f(&mut p), PP_OK);
    assert!(!p.is_null());
    H(p)
}
fn int(i: i64) -> H {
    make(|o| pp_variant_new_int(i, o))
}
fn string(s: &CStr) -> H {
    make(|o| pp_variant_new_string(s.as_ptr(), o))
}
fn size(d: &H) -> usize {
    let mut n = 0;
    assert_eq!(pp_variant_dictionary_size(d.r(), &mut n), PP_OK);
    n
}
fn get_int(d: &H, k: &H) -> Result<i64, pp_error> {
    let mut v = null_mut();
    let e = pp_variant_dictionary_get(d.r(), k.r(), &mut v);
    if e != PP_OK {
        return Err(e);
    }
    let v = H(v);
    let mut x = 0;
    assert_eq!(pp_variant_get_int(v.r(), &mut x), PP_OK);
    Ok(x)
}

#[test]
fn c_test_dictionary_sequence() {
    let one = int(1);
    let two = int(2);
    let k = string(c"k");
    let kn = make(|o| pp_variant_new_string_name(c"k".as_ptr(), o));
    let f1 = make(|o| pp_variant_new_float(1.0, o));
    let d = make(|o| pp_variant_new_dictionary(o));
    assert_eq!(pp_variant_dictionary_set(d.0, k.0, one.0), PP_OK);
    assert_eq!(pp_variant_dictionary_set(d.0, one.0, two.0), PP_OK);
    assert_eq!(pp_variant_dictionary_set(d.0, f1.0, one.0), PP_OK);
    assert_eq!(pp_variant_dictionary_set(d.0, kn.0, two.0), PP_OK);
    assert_eq!(size(&d), 3);
    assert_eq!(get_int(&d, &k), Ok(2));
    let mut has = false;
    assert_eq!(pp_variant_dictionary_has(d.r(), kn.r(), &mut has), PP_OK);
    assert!(has);
    assert_eq!(pp_variant_dictionary_has(d.r(), two.r(), &mut has), PP_OK);
    assert!(!has);
    assert_eq!(get_int(&d, &two), Err(MISSING));
    let mut v = null_mut();
    assert_eq!(pp_variant_dictionary_key_at(d.r(), 0, &mut v), PP_OK);
    drop(H(v));
    assert_eq!(pp_variant_dictionary_value_at(d.r(), 1, &mut v), PP_OK);
    drop(H(v));
    assert_eq!(pp_variant_dictionary_key_at(d.r(), 3, &mut v), RANGE);
    assert_eq!(pp_variant_dictionary_erase(d.0, f1.0), PP_OK);
    assert_eq!(pp_variant_dictionary_erase(d.0, f1.0), MISSING);
    assert_eq!(pp_variant_dictionary_set(d.0, d.0, d.0), PP_OK);
    assert_eq!(size(&d), 3);
    assert_eq!(pp_variant_dictionary_clear(d.m()), PP_OK);
    assert_eq!(size(&d), 0);

    // The call valgrind flags in the Release build: set_typed on a cleared inline dictionary, then
    // on one with an entry, then on one whose entries do not match.
    assert_eq!(
        pp_variant_dictionary_set_typed(d.m(), BUILTIN, STRING, null(), BUILTIN, INT, null()),
        PP_OK
    );
    assert_eq!(pp_variant_dictionary_set(d.0, k.0, one.0), PP_OK);
    assert_eq!(pp_variant_dictionary_set(d.0, one.0, one.0), INV);
    assert_eq!(pp_variant_dictionary_set(d.0, k.0, k.0), INV);
    assert_eq!(
        pp_variant_dictionary_set_typed(d.m(), BUILTIN, INT, null(), NONE, 0, null()),
        INV
    );
    assert_eq!(
        pp_variant_dictionary_set_typed(d.m(), 0, 0, null(), 9, 0, null()),
        INV
    );
    assert_eq!(
        pp_variant_dictionary_set_typed(d.m(), 0, 0, null(), CLASS, 0, c"Node".as_ptr()),
        INV
    );
    assert_eq!(pp_variant_dictionary_clear(d.m()), PP_OK);
    assert_eq!(
        pp_variant_dictionary_set_typed(d.m(), 0, 0, null(), CLASS, 0, c"Node".as_ptr()),
        PP_OK
    );
}

/// set_typed checks every entry, whether the entries are inline (0..=4) or spilled to the heap
/// (5..), after growing, erasing and clearing.
#[test]
fn set_typed_over_inline_and_spilled_entries() {
    for n in 0..=9i64 {
        let d = make(|o| pp_variant_new_dictionary(o));
        let keys: Vec<H> = (0..n).map(int).collect();
        for key in &keys {
            assert_eq!(pp_variant_dictionary_set(d.0, key.0, key.0), PP_OK);
        }
        // int -> int: every entry matches; String keys: none does (when there is one).
        assert_eq!(
            pp_variant_dictionary_set_typed(d.m(), BUILTIN, INT, null(), BUILTIN, INT, null()),
            PP_OK
        );
        let want = if n == 0 { PP_OK } else { INV };
        assert_eq!(
            pp_variant_dictionary_set_typed(d.m(), BUILTIN, STRING, null(), NONE, 0, null()),
            want
        );
        if let Some(first) = keys.first() {
            assert_eq!(pp_variant_dictionary_erase(d.0, first.0), PP_OK);
        }
        assert_eq!(
            pp_variant_dictionary_set_typed(d.m(), BUILTIN, INT, null(), NONE, 0, null()),
            PP_OK
        );
        assert_eq!(pp_variant_dictionary_clear(d.m()), PP_OK);
        assert_eq!(
            pp_variant_dictionary_set_typed(d.m(), BUILTIN, STRING, null(), NONE, 0, null()),
            PP_OK
        );
    }
}

/// The core type alone: insert, overwrite, remove and clear across the inline/heap boundary and
/// the hash-index threshold, reading every entry back.
#[test]
fn core_dictionary_across_storage_boundaries() {
    let mut d = Dictionary::new();
    for i in 0..12i64 {
        assert_eq!(d.insert(Variant::Int(i), Variant::Int(i * 10)), None);
        assert_eq!(d.len() as i64, i + 1);
        assert!(d
            .iter()
            .all(|(k, v)| matches!((k, v), (Variant::Int(a), Variant::Int(b)) if *b == a * 10)));
    }
    assert_eq!(
        d.insert(Variant::Int(3), Variant::Int(0)),
        Some(Variant::Int(30))
    );
    for i in (0..12i64).step_by(2) {
        assert!(d.remove(&Variant::Int(i)).is_some());
    }
    assert_eq!(d.keys().count(), 6);
    assert_eq!(d.get(&Variant::Int(5)), Some(&Variant::Int(50)));
    d.clear();
    assert!(d.is_empty());
    assert_eq!(d.iter().count(), 0);
    d.insert(Variant::String("a".into()), Variant::Nil);
    assert_eq!(
        d.get_index(0).map(|(k, _)| k.clone()),
        Some(Variant::String("a".into()))
    );
}
