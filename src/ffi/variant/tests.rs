//! Unit tests of the C API over variants, calling the exports as C would.

use super::*;
use crate::ffi::pp_string_free;
use std::ptr::{null, null_mut};

const OK: pp_error = pp_error::PP_OK;
const MAX_NESTING: usize = MAX_RECURSION_DEPTH as usize;

/// Owns a handle for the test's duration.
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
    // Tests hand out the handle like C does: a raw pointer used by one call at a time.
    fn m(&self) -> *mut pp_variant {
        self.0
    }
    fn v(&self) -> Variant {
        value(self.0).unwrap().clone()
    }
}
fn make(f: impl FnOnce(*mut *mut pp_variant) -> pp_error) -> H {
    let mut p = null_mut();
    assert_eq!(f(&mut p), OK);
    assert!(!p.is_null());
    H(p)
}
fn int(i: i64) -> H {
    make(|o| pp_variant_new_int(i, o))
}
fn string(s: &CStr) -> H {
    make(|o| pp_variant_new_string(s.as_ptr(), o))
}
fn view(data: *const c_char, len: usize) -> &'static str {
    // SAFETY: test-only; the views point into handles alive for the assertion.
    std::str::from_utf8(unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len) }).unwrap()
}

#[test]
fn type_numbers_match_the_model() {
    for id in 0..VariantType::COUNT {
        let t = VariantType::from_id(id).unwrap();
        assert_eq!(pp_variant_type::from(t) as i32, id);
        // SAFETY: static NUL-terminated strings.
        let name = unsafe { CStr::from_ptr(pp_variant_type_name(id)) };
        assert_eq!(name.to_str().unwrap(), t.name());
    }
    assert_eq!(
        pp_variant_type::PP_VARIANT_TYPE_MAX as i32,
        VariantType::COUNT
    );
    for bad in [-1, 39, i32::MAX, i32::MIN] {
        // SAFETY: static NUL-terminated string.
        let name = unsafe { CStr::from_ptr(pp_variant_type_name(bad)) };
        assert_eq!(name, c"<invalid type>");
    }
    assert_eq!(
        pp_variant_get_type(null()),
        pp_variant_type::PP_VARIANT_TYPE_NIL
    );
}

#[test]
fn scalars_and_wrong_types() {
    let i = int(-5);
    let mut out = 0i64;
    assert_eq!(pp_variant_get_int(i.r(), &mut out), OK);
    assert_eq!(out, -5);
    let mut f = 0.0;
    assert_eq!(pp_variant_get_float(i.r(), &mut f), INVALID);
    assert_eq!(pp_variant_get_int(null(), &mut out), INVALID);
    assert_eq!(pp_variant_get_int(i.r(), null_mut()), INVALID);
    assert_eq!(pp_variant_new_int(1, null_mut()), INVALID);
    assert_eq!(
        pp_variant_get_type(i.r()),
        pp_variant_type::PP_VARIANT_TYPE_INT
    );
    let v = make(|o| pp_variant_new_vector2(1.5, -2.0, o));
    let (mut x, mut y) = (0.0, 0.0);
    assert_eq!(pp_variant_get_vector2(v.r(), &mut x, &mut y), OK);
    assert_eq!((x, y), (1.5, -2.0));
    // All-or-nothing: one NULL out-param writes nothing.
    x = 9.0;
    assert_eq!(pp_variant_get_vector2(v.r(), &mut x, null_mut()), INVALID);
    assert_eq!(x, 9.0);
}

#[test]
fn matrices_round_trip_in_wire_order() {
    let vals: Vec<f64> = (1..=16).map(f64::from).collect();
    let t = make(|o| pp_variant_new_transform3d(vals.as_ptr(), o));
    let mut out = [0.0; 12];
    assert_eq!(pp_variant_get_transform3d(t.r(), out.as_mut_ptr()), OK);
    assert_eq!(out[..], vals[..12]);
    let Variant::Transform3D(m) = t.v() else {
        panic!()
    };
    assert_eq!(m.basis.rows[0].y, 2.0);
    assert_eq!(m.origin.z, 12.0);
    let p = make(|o| pp_variant_new_projection(vals.as_ptr(), o));
    let mut out = [0.0; 16];
    assert_eq!(pp_variant_get_projection(p.r(), out.as_mut_ptr()), OK);
    assert_eq!(out[..], vals[..]);
    let Variant::Projection(m) = p.v() else {
        panic!()
    };
    assert_eq!(m.columns[1].x, 5.0);
    assert_eq!(pp_variant_new_basis(null(), &mut null_mut()), INVALID);
}

#[test]
fn strings_views_and_copies() {
    let s = string(c"héllo");
    let (mut data, mut len) = (null(), 0usize);
    assert_eq!(pp_variant_get_string(s.r(), &mut data, &mut len), OK);
    assert_eq!(view(data, len), "héllo");
    // Exact fit needs len + 1.
    let mut buf = [0x55 as c_char; 7];
    let mut n = 0usize;
    assert_eq!(
        pp_variant_get_string_copy(s.r(), buf.as_mut_ptr(), 6, &mut n),
        RANGE
    );
    assert_eq!(n, 6);
    assert_eq!(buf[0], 0x55);
    assert_eq!(
        pp_variant_get_string_copy(s.r(), buf.as_mut_ptr(), 7, &mut n),
        OK
    );
    // SAFETY: NUL-terminated by the call.
    assert_eq!(
        unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str(),
        Ok("héllo")
    );
    // Size query.
    assert_eq!(
        pp_variant_get_string_copy(s.r(), null_mut(), 0, &mut n),
        RANGE
    );
    assert_eq!(n, 6);
    assert_eq!(
        pp_variant_get_string_copy(s.r(), null_mut(), 3, &mut n),
        INVALID
    );
    // Empty strings lend a valid pointer.
    let e = string(c"");
    assert_eq!(pp_variant_get_string(e.r(), &mut data, &mut len), OK);
    assert!(!data.is_null());
    assert_eq!(len, 0);
    // _n rejects NUL and bad UTF-8, accepts (NULL, 0).
    let mut p = null_mut();
    let with_nul = b"a\0b";
    assert_eq!(
        pp_variant_new_string_n(with_nul.as_ptr().cast(), 3, &mut p),
        INVALID
    );
    let bad = [0xffu8 as c_char];
    assert_eq!(pp_variant_new_string_n(bad.as_ptr(), 1, &mut p), INVALID);
    assert_eq!(pp_variant_new_string_n(null(), 1, &mut p), INVALID);
    let e = make(|o| pp_variant_new_string_n(null(), 0, o));
    assert_eq!(e.v(), Variant::String("".into()));
    // STRING and STRING_NAME getters are strict.
    let n = make(|o| pp_variant_new_string_name(c"n".as_ptr(), o));
    assert_eq!(pp_variant_get_string(n.r(), &mut data, &mut len), INVALID);
    assert_eq!(pp_variant_get_string_name(n.r(), &mut data, &mut len), OK);
}

#[test]
fn node_paths() {
    let p = make(|o| pp_variant_new_node_path(c"/root/a:prop".as_ptr(), o));
    let mut n = 0usize;
    assert_eq!(pp_variant_node_path_get_name_count(p.r(), &mut n), OK);
    assert_eq!(n, 2);
    let (mut data, mut len) = (null(), 0usize);
    assert_eq!(
        pp_variant_node_path_get_subname(p.r(), 0, &mut data, &mut len),
        OK
    );
    assert_eq!(view(data, len), "prop");
    assert_eq!(
        pp_variant_node_path_get_subname(p.r(), 1, &mut data, &mut len),
        RANGE
    );
    let names = [c"root".as_ptr(), c"a".as_ptr()];
    let subs = [c"prop".as_ptr()];
    let q = make(|o| pp_variant_new_node_path_parts(names.as_ptr(), 2, subs.as_ptr(), 1, true, o));
    assert!(pp_variant_equal(p.r(), q.r()));
    let mut buf = [0 as c_char; 32];
    assert_eq!(
        pp_variant_get_node_path(q.r(), buf.as_mut_ptr(), 32, null_mut()),
        OK
    );
    // SAFETY: NUL-terminated by the call.
    assert_eq!(unsafe { CStr::from_ptr(buf.as_ptr()) }, c"/root/a:prop");
    let mut out = null_mut();
    assert_eq!(
        pp_variant_new_node_path(c"a::b".as_ptr(), &mut out),
        INVALID
    );
    let empty = [c"".as_ptr()];
    assert_eq!(
        pp_variant_new_node_path_parts(empty.as_ptr(), 1, null(), 0, false, &mut out),
        INVALID
    );
}

#[test]
fn array_append_self_and_copies() {
    let a = make(|o| pp_variant_new_array(o));
    let one = int(1);
    assert_eq!(pp_variant_array_append(a.0, one.0), OK);
    // Appending an array to itself appends a copy of its previous state.
    assert_eq!(pp_variant_array_append(a.0, a.0), OK);
    assert_eq!(a.v().to_string(), "[1, [1]]");
    let mut e = null_mut();
    assert_eq!(pp_variant_array_get(a.r(), 1, &mut e), OK);
    let e = H(e);
    // The copy is independent of the container.
    assert_eq!(pp_variant_array_append(e.0, one.0), OK);
    assert_eq!(a.v().to_string(), "[1, [1]]");
    assert_eq!(pp_variant_array_set(a.0, 0, e.0), OK);
    assert_eq!(a.v().to_string(), "[[1, 1], [1]]");
    assert_eq!(pp_variant_array_set(a.0, 2, e.0), RANGE);
    let mut n = 0;
    assert_eq!(pp_variant_array_size(a.r(), &mut n), OK);
    assert_eq!(n, 2);
    assert_eq!(pp_variant_array_remove_at(a.m(), 0), OK);
    assert_eq!(pp_variant_array_remove_at(a.m(), 5), RANGE);
    assert_eq!(pp_variant_array_clear(a.m()), OK);
    assert_eq!(pp_variant_array_append(null_mut(), one.0), INVALID);
    assert_eq!(pp_variant_array_append(a.0, null()), INVALID);
    assert_eq!(pp_variant_array_append(one.0, one.0), INVALID);
    assert_eq!(
        pp_variant_array_get(a.r(), MAX_SIZE + 1, &mut null_mut()),
        INVALID
    );
}

#[test]
fn typed_arrays() {
    let a = make(|o| pp_variant_new_array(o));
    let one = int(1);
    let s = string(c"x");
    assert_eq!(pp_variant_array_append(a.0, s.0), OK);
    // An existing element must match the new type.
    assert_eq!(pp_variant_array_set_typed(a.m(), 1, 2, null()), INVALID);
    assert_eq!(pp_variant_array_clear(a.m()), OK);
    assert_eq!(pp_variant_array_set_typed(a.m(), 1, 2, null()), OK);
    assert_eq!(pp_variant_array_append(a.0, one.0), OK);
    assert_eq!(pp_variant_array_append(a.0, s.0), INVALID);
    let (mut kind, mut bt) = (
        pp_container_kind::PP_CONTAINER_KIND_NONE,
        pp_variant_type::PP_VARIANT_TYPE_NIL,
    );
    let (mut name, mut len) = (null(), 1usize);
    assert_eq!(
        pp_variant_array_get_typed(a.r(), &mut kind, &mut bt, &mut name, &mut len),
        OK
    );
    assert_eq!(kind, pp_container_kind::PP_CONTAINER_KIND_BUILTIN);
    assert_eq!(bt, pp_variant_type::PP_VARIANT_TYPE_INT);
    assert_eq!(len, 0);
    // Bad descriptors.
    assert_eq!(pp_variant_array_set_typed(a.m(), 1, 0, null()), INVALID);
    assert_eq!(pp_variant_array_set_typed(a.m(), 1, 39, null()), INVALID);
    assert_eq!(pp_variant_array_set_typed(a.m(), 4, 2, null()), INVALID);
    assert_eq!(pp_variant_array_set_typed(a.m(), 2, 0, null()), INVALID);
    assert_eq!(
        pp_variant_array_set_typed(a.m(), 3, 0, c"x.gd".as_ptr()),
        INVALID
    );
    // Class-typed arrays take objects and nil.
    let b = make(|o| pp_variant_new_array(o));
    assert_eq!(
        pp_variant_array_set_typed(b.m(), 2, 0, c"Node".as_ptr()),
        OK
    );
    let obj = make(|o| pp_variant_new_object_id(7, o));
    let nil = make(|o| pp_variant_new_nil(o));
    assert_eq!(pp_variant_array_append(b.0, obj.0), OK);
    assert_eq!(pp_variant_array_append(b.0, nil.0), OK);
    assert_eq!(pp_variant_array_append(b.0, one.0), INVALID);
    assert_eq!(
        pp_variant_array_get_typed(b.r(), &mut kind, &mut bt, &mut name, &mut len),
        OK
    );
    assert_eq!(kind, pp_container_kind::PP_CONTAINER_KIND_CLASS);
    assert_eq!(bt, pp_variant_type::PP_VARIANT_TYPE_OBJECT);
    assert_eq!(view(name, len), "Node");
}

#[test]
fn dictionary_key_identity_and_order() {
    let d = make(|o| pp_variant_new_dictionary(o));
    let k_str = string(c"k");
    let k_name = make(|o| pp_variant_new_string_name(c"k".as_ptr(), o));
    let one = int(1);
    let one_f = make(|o| pp_variant_new_float(1.0, o));
    let nan1 = make(|o| pp_variant_new_float(f64::NAN, o));
    let nan2 = make(|o| pp_variant_new_float(-f64::NAN, o));
    assert_eq!(pp_variant_dictionary_set(d.0, k_str.0, one.0), OK);
    assert_eq!(pp_variant_dictionary_set(d.0, one.0, one.0), OK);
    assert_eq!(pp_variant_dictionary_set(d.0, one_f.0, one.0), OK);
    // Same key as "k": overwrites in place, keeps the original key.
    assert_eq!(pp_variant_dictionary_set(d.0, k_name.0, one_f.0), OK);
    assert_eq!(pp_variant_dictionary_set(d.0, nan1.0, one.0), OK);
    assert_eq!(pp_variant_dictionary_set(d.0, nan2.0, one_f.0), OK);
    assert_eq!(d.v().to_string(), r#"{ "k": 1.0, 1: 1, 1.0: 1, nan: 1.0 }"#);
    let mut has = false;
    assert_eq!(pp_variant_dictionary_has(d.r(), k_name.r(), &mut has), OK);
    assert!(has);
    let mut v = null_mut();
    assert_eq!(pp_variant_dictionary_get(d.r(), one_f.r(), &mut v), OK);
    drop(H(v));
    let mut k = null_mut();
    assert_eq!(pp_variant_dictionary_key_at(d.r(), 0, &mut k), OK);
    let k = H(k);
    assert_eq!(
        pp_variant_get_type(k.r()),
        pp_variant_type::PP_VARIANT_TYPE_STRING
    );
    assert_eq!(pp_variant_dictionary_key_at(d.r(), 4, &mut v), RANGE);
    assert_eq!(pp_variant_dictionary_erase(d.0, one.0), OK);
    assert_eq!(pp_variant_dictionary_erase(d.0, one.0), MISSING);
    assert_eq!(pp_variant_dictionary_get(d.r(), one.r(), &mut v), MISSING);
    // A dictionary may hold a copy of itself.
    assert_eq!(pp_variant_dictionary_set(d.0, d.0, d.0), OK);
    let mut n = 0;
    assert_eq!(pp_variant_dictionary_size(d.r(), &mut n), OK);
    assert_eq!(n, 4);
    // Typed: int keys only.
    let t = make(|o| pp_variant_new_dictionary(o));
    assert_eq!(
        pp_variant_dictionary_set_typed(t.m(), 1, 2, null(), 0, 0, null()),
        OK
    );
    assert_eq!(pp_variant_dictionary_set(t.0, one.0, k_str.0), OK);
    assert_eq!(pp_variant_dictionary_set(t.0, k_str.0, one.0), INVALID);
}

#[test]
fn large_dictionaries_keep_identity_after_erase() {
    let d = make(|o| pp_variant_new_dictionary(o));
    let keys: Vec<H> = (0..40).map(int).collect();
    for k in &keys {
        assert_eq!(pp_variant_dictionary_set(d.0, k.0, k.0), OK);
    }
    for k in keys.iter().step_by(3) {
        assert_eq!(pp_variant_dictionary_erase(d.0, k.0), OK);
    }
    for (i, k) in keys.iter().enumerate() {
        let mut has = false;
        assert_eq!(pp_variant_dictionary_has(d.r(), k.r(), &mut has), OK);
        assert_eq!(has, i % 3 != 0, "key {i}");
    }
    let mut v = null_mut();
    assert_eq!(pp_variant_dictionary_get(d.r(), keys[7].r(), &mut v), OK);
    let v = H(v);
    let mut x = 0;
    assert_eq!(pp_variant_get_int(v.r(), &mut x), OK);
    assert_eq!(x, 7);
    let mut n = 0;
    assert_eq!(pp_variant_dictionary_size(d.r(), &mut n), OK);
    assert_eq!(n, 26);
}

#[test]
fn nesting_is_capped_at_the_engine_limit() {
    // Copies, comparisons and frees never recurse per level (derived Clone, PartialEq and Drop
    // would need MiBs here in a debug build): a small stack is enough.
    std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(nesting_body)
        .unwrap()
        .join()
        .unwrap();
}

fn nesting_body() {
    let mut v = make(|o| pp_variant_new_array(o));
    for _ in 0..(MAX_NESTING - 1) {
        let outer = make(|o| pp_variant_new_array(o));
        assert_eq!(pp_variant_array_append(outer.0, v.0), OK);
        v = outer;
    }
    assert_eq!(v.v().nesting_height(), MAX_NESTING - 1);
    // One more level is still encodable (innermost array empty) ...
    let outer = make(|o| pp_variant_new_array(o));
    assert_eq!(pp_variant_array_append(outer.0, v.0), OK);
    // ... but nothing can go inside it any more.
    let top = make(|o| pp_variant_new_array(o));
    assert_eq!(
        pp_variant_array_append(top.0, outer.0),
        pp_error::PP_ERR_OUT_OF_MEMORY
    );
    let copy = make(|o| pp_variant_duplicate(outer.r(), o));
    assert!(pp_variant_equal(copy.r(), outer.r()));
    let mut inner = null_mut();
    assert_eq!(pp_variant_array_get(outer.r(), 0, &mut inner), OK);
    let inner = H(inner);
    assert_eq!(pp_variant_array_set(copy.0, 0, inner.0), OK);
    assert_eq!(pp_variant_array_clear(copy.m()), OK);
    let mut text = null_mut();
    assert_eq!(pp_variant_to_string(outer.r(), MAX_SIZE, &mut text), OK);
    // SAFETY: NUL-terminated string from the call.
    let t = unsafe { CStr::from_ptr(text) }.to_str().unwrap().to_owned();
    pp_string_free(text);
    assert!(t.len() < 200 && t.contains("[…]"), "{t}");
}

#[test]
fn objects() {
    let o = make(|p| pp_variant_new_object_full(c"Node".as_ptr(), p));
    let one = int(1);
    let s = string(c"res://a.gd");
    let bad = string(c"a.gd");
    assert_eq!(
        pp_variant_object_set_property(o.0, c"x".as_ptr(), one.0),
        OK
    );
    assert_eq!(
        pp_variant_object_set_property(o.0, c"script".as_ptr(), s.0),
        OK
    );
    assert_eq!(
        pp_variant_object_set_property(o.0, c"script".as_ptr(), bad.0),
        INVALID
    );
    assert_eq!(pp_variant_object_set_property(o.0, c"x".as_ptr(), s.0), OK);
    let mut n = 0;
    assert_eq!(pp_variant_object_get_property_count(o.r(), &mut n), OK);
    assert_eq!(n, 2);
    let mut kind = pp_object_kind::PP_OBJECT_KIND_NULL;
    assert_eq!(pp_variant_get_object_kind(o.r(), &mut kind), OK);
    assert_eq!(kind, pp_object_kind::PP_OBJECT_KIND_FULL);
    let mut id = 5;
    assert_eq!(pp_variant_get_object_id(o.r(), &mut id), INVALID);
    let mut v = null_mut();
    assert_eq!(
        pp_variant_object_get_property(o.r(), c"nope".as_ptr(), &mut v),
        MISSING
    );
    assert_eq!(
        pp_variant_object_get_property(o.r(), c"x".as_ptr(), &mut v),
        OK
    );
    drop(H(v));
    let z = make(|p| pp_variant_new_object_id(0, p));
    assert_eq!(pp_variant_get_object_kind(z.r(), &mut kind), OK);
    assert_eq!(kind, pp_object_kind::PP_OBJECT_KIND_NULL);
    assert_eq!(pp_variant_get_object_id(z.r(), &mut id), OK);
    assert_eq!(id, 0);
    let mut p = null_mut();
    assert_eq!(pp_variant_new_object_full(c"".as_ptr(), &mut p), INVALID);
}

#[test]
fn packed_arrays() {
    let xy = [1.0, 2.0, 3.0, 4.0];
    let a = make(|o| pp_variant_new_packed_vector2_array(xy.as_ptr(), 2, o));
    assert_eq!(pp_variant_packed_vector2_array_append(a.m(), 5.0, 6.0), OK);
    let (mut data, mut n) = (null(), 0usize);
    assert_eq!(
        pp_variant_get_packed_vector2_array(a.r(), &mut data, &mut n),
        OK
    );
    assert_eq!(n, 3);
    // SAFETY: 2 * n doubles lent by the variant.
    let flat = unsafe { std::slice::from_raw_parts(data, 2 * n) };
    assert_eq!(flat, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let (mut x, mut y) = (0.0, 0.0);
    assert_eq!(
        pp_variant_packed_vector2_array_get(a.r(), 1, &mut x, &mut y),
        OK
    );
    assert_eq!((x, y), (3.0, 4.0));
    assert_eq!(
        pp_variant_packed_vector2_array_set(a.m(), 3, 0.0, 0.0),
        RANGE
    );
    let mut size = 0;
    assert_eq!(pp_variant_packed_array_size(a.r(), &mut size), OK);
    assert_eq!(size, 3);
    // Empty arrays lend (NULL, 0).
    let b = make(|o| pp_variant_new_packed_byte_array(null(), 0, o));
    let (mut bytes, mut n) = (null(), 9usize);
    assert_eq!(
        pp_variant_get_packed_byte_array(b.r(), &mut bytes, &mut n),
        OK
    );
    assert!(bytes.is_null());
    assert_eq!(n, 0);
    assert_eq!(pp_variant_packed_byte_array_append(b.m(), 7), OK);
    let mut byte = 0;
    assert_eq!(pp_variant_packed_byte_array_get(b.r(), 0, &mut byte), OK);
    assert_eq!(byte, 7);
    // Wrong packed type, bad counts.
    assert_eq!(pp_variant_packed_int32_array_append(b.m(), 1), INVALID);
    let mut p = null_mut();
    assert_eq!(
        pp_variant_new_packed_int64_array(null(), 2, &mut p),
        INVALID
    );
    assert_eq!(
        pp_variant_new_packed_byte_array([0u8].as_ptr(), MAX_SIZE + 1, &mut p),
        INVALID
    );
    let strs = [c"a".as_ptr(), c"bc".as_ptr()];
    let s = make(|o| pp_variant_new_packed_string_array(strs.as_ptr(), 2, o));
    assert_eq!(
        pp_variant_packed_string_array_set(s.m(), 0, c"z".as_ptr()),
        OK
    );
    let mut buf = [0 as c_char; 4];
    assert_eq!(
        pp_variant_packed_string_array_get_copy(s.r(), 1, buf.as_mut_ptr(), 4, null_mut()),
        OK
    );
    // SAFETY: NUL-terminated by the call.
    assert_eq!(unsafe { CStr::from_ptr(buf.as_ptr()) }, c"bc");
    assert_eq!(s.v().to_string(), r#"["z", "bc"]"#);
    let with_null = [c"a".as_ptr(), null()];
    assert_eq!(
        pp_variant_new_packed_string_array(with_null.as_ptr(), 2, &mut p),
        INVALID
    );
}

#[test]
fn duplicate_equal_to_string() {
    let d = make(|o| pp_variant_new_float(-0.0, o));
    let z = make(|o| pp_variant_new_float(0.0, o));
    assert!(!pp_variant_equal(d.r(), z.r()));
    let nan = make(|o| pp_variant_new_float(f64::NAN, o));
    let copy = make(|o| pp_variant_duplicate(nan.r(), o));
    assert!(pp_variant_equal(nan.r(), copy.r()));
    assert!(!pp_variant_equal(nan.r(), null()));
    let bytes = make(|o| pp_variant_new_packed_byte_array([1u8; 4096].as_ptr(), 4096, o));
    let mut text = null_mut();
    assert_eq!(pp_variant_to_string(bytes.r(), 16, &mut text), OK);
    // SAFETY: NUL-terminated string from the call.
    let t = unsafe { CStr::from_ptr(text) }.to_str().unwrap().to_owned();
    pp_string_free(text);
    assert!(t.len() <= 16 && t.ends_with('…'), "{t}");
    assert_eq!(
        pp_variant_to_string(bytes.r(), MAX_SIZE + 1, &mut text),
        INVALID
    );
    pp_string_free(null_mut());
    pp_variant_free(null_mut());
    pp_bytes_free(null_mut(), 3);
    pp_codec_free(null_mut());
}

#[test]
fn byte_buffers_free_exactly() {
    let mut data = null_mut();
    let mut len = 99;
    // SAFETY: both out-params are writable locals.
    unsafe { give_bytes(Vec::new(), &mut data, &mut len) };
    assert_eq!(len, 0);
    assert!(!data.is_null());
    pp_bytes_free(data, len);
    let mut v = Vec::with_capacity(64);
    v.extend_from_slice(&[1, 2, 3]);
    // SAFETY: as above.
    unsafe { give_bytes(v, &mut data, &mut len) };
    assert_eq!(len, 3);
    pp_bytes_free(data, len);
}

#[test]
fn codec_settings_and_errors() {
    let mut c = null_mut();
    assert_eq!(pp_codec_new(&mut c), OK);
    let codec = || c;
    assert_eq!(pp_codec_set_dialect(codec(), 3), INVALID);
    assert_eq!(pp_codec_set_dialect(codec(), 1), OK);
    assert_eq!(
        pp_codec_get_dialect(codec()),
        pp_dialect::PP_DIALECT_REDOT_STRUCT
    );
    assert_eq!(pp_codec_set_max_depth(codec(), 1025), INVALID);
    assert_eq!(pp_codec_set_max_depth(codec(), 10), OK);
    assert_eq!(pp_codec_set_max_elements(codec(), usize::MAX), OK);
    assert_eq!(pp_codec_set_dialect(null_mut(), 0), INVALID);
    // An empty buffer never decodes; the failure is remembered.
    let mut v = null_mut();
    let r = pp_codec_decode(codec(), null(), 0, &mut v, null_mut());
    assert_ne!(r, OK);
    let (mut code, mut off, mut reason) = (OK, 1usize, null());
    assert_eq!(
        pp_codec_get_last_error(codec(), &mut code, &mut off, &mut reason),
        OK
    );
    assert_eq!(code, r);
    // SAFETY: NUL-terminated reason owned by the codec.
    assert!(!unsafe { CStr::from_ptr(reason) }.to_bytes().is_empty());
    // Argument errors are remembered too.
    let i = int(1);
    assert_eq!(
        pp_codec_encode(codec(), i.r(), null_mut(), &mut off),
        INVALID
    );
    assert_eq!(
        pp_codec_get_last_error(codec(), &mut code, &mut off, &mut reason),
        OK
    );
    assert_eq!(code, INVALID);
    assert_eq!(off, 0);
    pp_codec_free(c);
}

#[test]
fn codec_round_trip_golden() {
    // {"k": 1} from docs/wire-format.md §18.
    let golden: [u8; 28] = [
        0x1b, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0x6b, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0,
    ];
    let d = make(|o| pp_variant_new_dictionary(o));
    let k = string(c"k");
    let one = int(1);
    assert_eq!(pp_variant_dictionary_set(d.0, k.0, one.0), OK);
    let (mut data, mut len) = (null_mut(), 0usize);
    assert_eq!(pp_var_to_bytes(d.r(), false, &mut data, &mut len), OK);
    // SAFETY: len bytes from the call.
    assert_eq!(unsafe { std::slice::from_raw_parts(data, len) }, golden);
    pp_bytes_free(data, len);
    let back = make(|o| pp_bytes_to_var(golden.as_ptr(), golden.len(), false, o));
    assert!(pp_variant_equal(back.r(), d.r()));
    let mut c = null_mut();
    assert_eq!(pp_codec_new(&mut c), OK);
    let codec = || c;
    let mut buf = [0u8; 28];
    let mut n = 0;
    assert_eq!(
        pp_codec_encode_into(codec(), d.r(), buf.as_mut_ptr(), 27, &mut n),
        RANGE
    );
    assert_eq!(n, 28);
    assert_eq!(
        pp_codec_encode_into(codec(), d.r(), buf.as_mut_ptr(), 28, &mut n),
        OK
    );
    assert_eq!(buf, golden);
    let mut trailing = golden.to_vec();
    trailing.extend_from_slice(&[9, 9, 9, 9]);
    let mut v = null_mut();
    assert_eq!(
        pp_codec_decode(codec(), trailing.as_ptr(), trailing.len(), &mut v, &mut n),
        OK
    );
    assert_eq!(n, 28);
    pp_variant_free(v);
    pp_codec_free(c);
}
