//! The codec's tricky rules, one test each: NodePath property flag, String/StringName keys, NaN and
//! -0.0, depth limits (without native recursion), the redot-struct dialect, objects, typed
//! containers, limits, offsets and the hash-indexed Dictionary.

mod common;

use common::{hex, to_hex};
use packetpeer::variant::*;
use packetpeer::Error;

fn dec(h: &str) -> Result<(Variant, usize), VariantError> {
    decode(&hex(h), &DecodeOptions::default())
}
fn enc(v: &Variant) -> Result<Vec<u8>, VariantError> {
    encode(v, &EncodeOptions::default())
}
fn s(x: &str) -> Variant {
    Variant::String(x.into())
}
fn sn(x: &str) -> Variant {
    Variant::StringName(x.into())
}
fn arr(elements: Vec<Variant>) -> Variant {
    Variant::Array(Box::new(Array {
        element_type: ContainerType::Any,
        elements,
    }))
}
fn dict(pairs: Vec<(Variant, Variant)>) -> Variant {
    Variant::Dictionary(Box::new(pairs.into_iter().collect()))
}

/// Runs `f` on a thread with a small stack: proves the code under test does not recurse per level.
fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// `n` nested arrays, the innermost holding `inner`.
fn nested_bytes(n: usize, inner: &[u8]) -> Vec<u8> {
    let mut b = Vec::with_capacity(n * 8 + inner.len() + 8);
    for _ in 0..n - 1 {
        b.extend_from_slice(&hex("1c00000001000000"));
    }
    if inner.is_empty() {
        b.extend_from_slice(&hex("1c00000000000000"));
    } else {
        b.extend_from_slice(&hex("1c00000001000000"));
        b.extend_from_slice(inner);
    }
    b
}

/// Builds `n` nested arrays without recursion.
fn nested_value(n: usize) -> Variant {
    let mut v = arr(vec![]);
    for _ in 1..n {
        v = arr(vec![v]);
    }
    v
}

#[test]
fn nodepath_property_flag_adds_a_subname() {
    // flags bit 1: one extra string, which becomes the last subname; re-encoding writes it as
    // an ordinary subname with the flag clear.
    let (v, used) =
        dec("160000000100008000000000020000000100000061000000010000007000000000").unwrap();
    assert_eq!(used, 32);
    let Variant::NodePath(p) = &v else { panic!() };
    assert_eq!(p.names, ["a"]);
    assert_eq!(p.subnames, ["p"]);
    assert!(!p.absolute);
    assert_eq!(
        to_hex(&enc(&v).unwrap()),
        "1600000001000080010000000000000001000000610000000100000070000000"
    );
    // Flags 3: absolute and property.
    let (v, _) = dec("16000000000000800000000003000000010000007a000000").unwrap();
    let Variant::NodePath(p) = &v else { panic!() };
    assert!(p.absolute && p.names.is_empty() && p.subnames == ["z"]);
    // Other flag bits are ignored.
    let (v, _) = dec("16000000000000800000000004000000").unwrap();
    assert_eq!(v, Variant::NodePath(Box::default()));
}

#[test]
fn nodepath_huge_counts_fail_without_allocating_them() {
    // 0x7fffffff names, 0xffffffff subnames + property flag wraps the sum.
    let e = dec("16000000ffffffffffffffff02000000").unwrap_err();
    assert_eq!(e.code, Error::InvalidData);
    let e = dec("16000000ffffffff000000000000000001000000").unwrap_err();
    assert_eq!(e.code, Error::FileEof);
}

#[test]
fn string_and_stringname_are_one_key() {
    let mut d = Dictionary::new();
    assert_eq!(d.insert(s("k"), Variant::Int(1)), None);
    assert_eq!(d.insert(sn("k"), Variant::Int(2)), Some(Variant::Int(1)));
    assert_eq!(d.len(), 1);
    // The first key (a String) keeps its slot and its type.
    assert_eq!(d.get_index(0), Some((&s("k"), &Variant::Int(2))));
    assert_eq!(d.get(&sn("k")), Some(&Variant::Int(2)));
    // On the wire: a StringName key repeating a String key overwrites it.
    let mut b = hex("1b00000002000000");
    b.extend(enc(&s("k")).unwrap());
    b.extend(enc(&Variant::Int(1)).unwrap());
    b.extend(enc(&sn("k")).unwrap());
    b.extend(enc(&Variant::Int(2)).unwrap());
    let (v, used) = decode(&b, &DecodeOptions::default()).unwrap();
    assert_eq!(used, b.len());
    assert_eq!(v, dict(vec![(s("k"), Variant::Int(2))]));
    // But as values and inside arrays they differ.
    assert_ne!(s("k"), sn("k"));
    assert_ne!(enc(&s("k")).unwrap(), enc(&sn("k")).unwrap());
}

#[test]
fn nan_and_signed_zero_keys() {
    let mut d = Dictionary::new();
    d.insert(Variant::Float(f64::NAN), Variant::Int(1));
    d.insert(Variant::Float(-f64::NAN), Variant::Int(2));
    d.insert(
        Variant::Float(f64::from_bits(0x7ff0_0000_0000_0001)),
        Variant::Int(3),
    );
    assert_eq!(d.len(), 1);
    assert_eq!(d.get(&Variant::Float(f64::NAN)), Some(&Variant::Int(3)));
    d.insert(Variant::Float(0.0), Variant::Int(4));
    d.insert(Variant::Float(-0.0), Variant::Int(5));
    assert_eq!(d.len(), 2);
    assert_eq!(d.get(&Variant::Float(0.0)), Some(&Variant::Int(5)));
    // Int 0 and Float 0.0 stay different keys.
    d.insert(Variant::Int(0), Variant::Nil);
    assert_eq!(d.len(), 3);
    // Same rules once the hash index is in use.
    for i in 0..100 {
        d.insert(Variant::Int(i + 1000), Variant::Nil);
    }
    d.insert(Variant::Float(-0.0), Variant::Int(6));
    d.insert(Variant::Float(f64::NAN), Variant::Int(7));
    d.insert(sn("x"), Variant::Int(8));
    d.insert(s("x"), Variant::Int(9));
    assert_eq!(d.len(), 104);
    assert_eq!(d.get(&Variant::Float(0.0)), Some(&Variant::Int(6)));
    assert_eq!(d.get(&Variant::Float(-f64::NAN)), Some(&Variant::Int(7)));
    assert_eq!(d.get(&sn("x")), Some(&Variant::Int(9)));
}

#[test]
fn nan_and_signed_zero_encoding() {
    assert_eq!(
        to_hex(&enc(&Variant::Float(f64::NAN)).unwrap()),
        "03000100000000000000f87f"
    );
    assert_eq!(
        to_hex(&enc(&Variant::Float(-0.0)).unwrap()),
        "0300000000000080"
    );
    let (v, _) = dec("0300000000000080").unwrap();
    assert_eq!(v.clone(), Variant::Float(-0.0));
    assert_ne!(v, Variant::Float(0.0));
    // A float32 NaN widens to a double NaN.
    let (v, _) = dec("030000000000c07f").unwrap();
    let Variant::Float(x) = v else { panic!() };
    assert!(x.is_nan());
}

#[test]
fn dictionary_index_keeps_order_through_removals() {
    let mut d = Dictionary::new();
    for i in 0..50 {
        d.insert(Variant::Int(i), Variant::Int(i * 10));
    }
    assert_eq!(d.remove(&Variant::Int(3)), Some(Variant::Int(30)));
    assert_eq!(d.remove(&Variant::Int(3)), None);
    assert_eq!(d.len(), 49);
    assert_eq!(d.position(&Variant::Int(4)), Some(3));
    assert_eq!(d.position(&Variant::Int(49)), Some(48));
    assert_eq!(d.get(&Variant::Int(49)), Some(&Variant::Int(490)));
    for i in (0..50).step_by(2) {
        d.remove(&Variant::Int(i));
    }
    let keys: Vec<i64> = d
        .keys()
        .map(|k| match k {
            Variant::Int(i) => *i,
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(
        keys,
        (0..50)
            .filter(|i| i % 2 == 1 && *i != 3)
            .collect::<Vec<_>>()
    );
    for (i, k) in keys.iter().enumerate() {
        assert_eq!(d.position(&Variant::Int(*k)), Some(i));
    }
    d.insert(Variant::Int(3), Variant::Nil);
    assert_eq!(d.position(&Variant::Int(3)), Some(keys.len()));
    d.clear();
    assert!(d.is_empty());
    assert_eq!(d.get(&Variant::Int(1)), None);
    // Container keys: structural identity, hashed consistently.
    let mut d = Dictionary::new();
    for i in 0..20 {
        d.insert(arr(vec![Variant::Int(i), s("a")]), Variant::Int(i));
    }
    assert_eq!(
        d.get(&arr(vec![Variant::Int(7), s("a")])),
        Some(&Variant::Int(7))
    );
    assert_eq!(d.get(&arr(vec![Variant::Int(7), sn("a")])), None);
}

#[test]
fn hostile_dictionary_with_many_distinct_keys_decodes_in_linear_time() {
    // 200k distinct int keys (debug build): a quadratic insert would take minutes.
    let n = 200_000u32;
    let mut b = hex("1b000000");
    b.extend_from_slice(&n.to_le_bytes());
    for i in 0..n {
        b.extend_from_slice(&hex("02000000"));
        b.extend_from_slice(&i.to_le_bytes());
        b.extend_from_slice(&hex("00000000"));
    }
    let t = std::time::Instant::now();
    let (v, used) = decode(&b, &DecodeOptions::default()).unwrap();
    assert_eq!(used, b.len());
    let Variant::Dictionary(d) = v else { panic!() };
    assert_eq!(d.len(), n as usize);
    assert_eq!(d.position(&Variant::Int(123_456)), Some(123_456));
    // Not a speed assertion: a generous bound that only a quadratic algorithm would miss.
    assert!(t.elapsed().as_secs() < 60);
}

#[test]
fn depth_limit_decode() {
    small_stack(|| {
        let ok = nested_bytes(1025, &[]);
        let (_, used) = decode(&ok, &DecodeOptions::default()).unwrap();
        assert_eq!(used, ok.len());
        let e = decode(&nested_bytes(1026, &[]), &DecodeOptions::default()).unwrap_err();
        assert_eq!(e.code, Error::OutOfMemory);
        assert_eq!(e.offset, 1025 * 8);
        let e = decode(
            &nested_bytes(1025, &hex("00000000")),
            &DecodeOptions::default(),
        )
        .unwrap_err();
        assert_eq!(e.code, Error::OutOfMemory);
        // The depth check comes before the header check: nothing after the last count.
        let mut b = nested_bytes(1025, &[]);
        b.truncate(1025 * 8 - 4);
        b.extend_from_slice(&hex("01000000"));
        assert_eq!(
            decode(&b, &DecodeOptions::default()).unwrap_err().code,
            Error::OutOfMemory
        );
        // 100k nesting attempts: the same error, no stack overflow.
        let deep = nested_bytes(100_000, &[]);
        let e = decode(&deep, &DecodeOptions::default()).unwrap_err();
        assert_eq!(e.code, Error::OutOfMemory);
        // Dictionaries and objects count too.
        let mut b = Vec::new();
        for _ in 0..100_000 {
            b.extend_from_slice(&hex("1b0000000100000000000000"));
        }
        assert_eq!(
            decode(&b, &DecodeOptions::default()).unwrap_err().code,
            Error::OutOfMemory
        );
        let mut b = Vec::new();
        for _ in 0..100_000 {
            b.extend_from_slice(&hex("180000000100000041000000010000000100000070000000"));
        }
        let opts = DecodeOptions {
            allow_objects: true,
            ..DecodeOptions::default()
        };
        assert_eq!(decode(&b, &opts).unwrap_err().code, Error::OutOfMemory);
    });
}

#[test]
fn depth_limit_lowered_and_clamped() {
    let mut opts = DecodeOptions::default();
    opts.limits.max_depth = 2;
    assert!(decode(&nested_bytes(3, &[]), &opts).is_ok());
    assert_eq!(
        decode(&nested_bytes(4, &[]), &opts).unwrap_err().code,
        Error::OutOfMemory
    );
    opts.limits.max_depth = u32::MAX; // acts as 1024
    small_stack(move || {
        assert_eq!(
            decode(&nested_bytes(1026, &[]), &opts).unwrap_err().code,
            Error::OutOfMemory
        );
    });
}

#[test]
fn depth_limit_encode() {
    small_stack(|| {
        let v = nested_value(1025);
        let b = enc(&v).unwrap();
        assert_eq!(b, nested_bytes(1025, &[]));
        assert_eq!(encoded_len(&v, &EncodeOptions::default()).unwrap(), b.len());
        let v = arr(vec![v]);
        let e = enc(&v).unwrap_err();
        assert_eq!(e.code, Error::OutOfMemory);
        assert_eq!(e.offset, 1025 * 8);
        assert_eq!(
            encoded_len(&v, &EncodeOptions::default()).unwrap_err().code,
            Error::OutOfMemory
        );
        let mut out = vec![1, 2, 3];
        assert!(encode_into(&v, &EncodeOptions::default(), &mut out).is_err());
        assert_eq!(
            out,
            [1, 2, 3],
            "encode_into leaves the buffer as it was on error"
        );
        // 100k levels: refused without overflowing the stack.
        let v = nested_value(100_000);
        assert_eq!(enc(&v).unwrap_err().code, Error::OutOfMemory);
    });
}

#[test]
fn redot_struct_dialect() {
    let e = EncodeOptions {
        dialect: Dialect::RedotStruct,
        ..EncodeOptions::default()
    };
    let d = DecodeOptions {
        dialect: Dialect::RedotStruct,
        ..DecodeOptions::default()
    };
    // Ids below 25 unchanged, 25 and up shifted.
    assert_eq!(
        to_hex(&encode(&Variant::Rid(1), &e).unwrap()),
        "170000000100000000000000"
    );
    assert_eq!(to_hex(&encode(&Variant::Callable, &e).unwrap()), "1a000000");
    assert_eq!(
        to_hex(&encode(&Variant::PackedVector4Array(vec![]), &e).unwrap()),
        "2700000000000000"
    );
    // Typed descriptors shift too: Array[PackedByteArray] and Array[Object-by-builtin].
    let typed = |t| {
        Variant::Array(Box::new(Array {
            element_type: ContainerType::Builtin(t),
            elements: vec![],
        }))
    };
    let b = encode(&typed(VariantType::PackedByteArray), &e).unwrap();
    assert_eq!(to_hex(&b), "1d0001001e00000000000000");
    assert_eq!(
        decode(&b, &d).unwrap().0,
        typed(VariantType::PackedByteArray)
    );
    let b = encode(&typed(VariantType::Rid), &e).unwrap();
    assert_eq!(to_hex(&b), "1d0001001700000000000000");
    // STRUCT (25): no decoder -> ERR_BUG, also as a descriptor.
    assert_eq!(decode(&hex("19000000"), &d).unwrap_err().code, Error::Bug);
    assert_eq!(
        decode(&hex("1d0001001900000000000000"), &d)
            .unwrap_err()
            .code,
        Error::Bug
    );
    // VARIANT_MAX is 40: 39 is PackedVector4Array, 40 invalid, in headers and descriptors.
    assert!(decode(&hex("2700000000000000"), &d).is_ok());
    assert_eq!(
        decode(&hex("28000000"), &d).unwrap_err().code,
        Error::InvalidData
    );
    assert_eq!(
        decode(&hex("1d0001002800000000000000"), &d)
            .unwrap_err()
            .code,
        Error::InvalidData
    );
    // Godot 4: 39 is invalid, 25 is Callable.
    assert_eq!(dec("27000000").unwrap_err().code, Error::InvalidData);
    assert_eq!(dec("19000000").unwrap().0, Variant::Callable);
    assert_eq!(
        dec("1c0001002700000000000000").unwrap_err().code,
        Error::InvalidData
    );
}

#[test]
fn objects() {
    let full = EncodeOptions {
        full_objects: true,
        ..EncodeOptions::default()
    };
    let allow = DecodeOptions {
        allow_objects: true,
        ..DecodeOptions::default()
    };
    // Null and id 0 travel as NIL in both modes.
    for o in [Object::Null, Object::Id(0)] {
        assert_eq!(enc(&Variant::Object(o.clone())).unwrap(), hex("00000000"));
        assert_eq!(encode(&Variant::Object(o), &full).unwrap(), hex("00000000"));
    }
    // An id travels by id even with full_objects.
    assert_eq!(
        to_hex(&encode(&Variant::Object(Object::Id(7)), &full).unwrap()),
        "180001000700000000000000"
    );
    // By-id decodes whatever allow_objects says.
    assert_eq!(
        dec("180001000700000000000000").unwrap().0,
        Variant::Object(Object::Id(7))
    );
    let obj = |props: Vec<(&str, Variant)>| {
        Variant::Object(Object::Full(Box::new(FullObject {
            class_name: "Node".into(),
            properties: props.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        })))
    };
    // A full object needs full_objects.
    let e = enc(&obj(vec![])).unwrap_err();
    assert_eq!(e.code, Error::InvalidParameter);
    let b = encode(&obj(vec![("a", Variant::Int(1))]), &full).unwrap();
    assert_eq!(
        decode(&b, &allow).unwrap().0,
        obj(vec![("a", Variant::Int(1))])
    );
    let e = decode(&b, &DecodeOptions::default()).unwrap_err();
    assert_eq!((e.code, e.offset), (Error::Unauthorized, 0));
    // Script property rules on encode ...
    assert_eq!(
        encode(&obj(vec![("script", s("user://x.gd"))]), &full)
            .unwrap_err()
            .code,
        Error::Unavailable
    );
    assert_eq!(
        encode(&obj(vec![("script", Variant::Int(1))]), &full)
            .unwrap_err()
            .code,
        Error::InvalidParameter
    );
    assert!(encode(&obj(vec![("script", s("res://x.gd"))]), &full).is_ok());
    // ... and decode (checked on the wire bytes, so build them by hand).
    let with_script = |value: &[u8]| {
        let mut b = hex("18000000040000004e6f6465010000000600000073637269707400");
        b.push(0);
        b.extend_from_slice(value);
        b
    };
    for bad in [
        enc(&sn("res://x.gd")).unwrap(),
        enc(&s("")).unwrap(),
        enc(&s("res:/x")).unwrap(),
        enc(&Variant::Int(0)).unwrap(),
    ] {
        let e = decode(&with_script(&bad), &allow).unwrap_err();
        assert_eq!(e.code, Error::InvalidData);
        assert_eq!(e.offset, 28);
    }
    assert!(decode(&with_script(&enc(&s("res://x.gd")).unwrap()), &allow).is_ok());
    assert!(decode(&with_script(&hex("00000000")), &allow).is_ok());
    // Negative property count: no properties.
    let (v, used) = decode(&hex("18000000040000004e6f6465ffffffff"), &allow).unwrap();
    assert_eq!((v, used), (obj(vec![]), 16));
    // Empty class name with properties cannot be encoded.
    let empty = Variant::Object(Object::Full(Box::new(FullObject {
        class_name: String::new(),
        properties: vec![("a".into(), Variant::Nil)],
    })));
    assert_eq!(
        encode(&empty, &full).unwrap_err().code,
        Error::InvalidParameter
    );
}

#[test]
fn typed_container_descriptors() {
    let typed = |t: ContainerType| {
        Variant::Array(Box::new(Array {
            element_type: t,
            elements: vec![],
        }))
    };
    let eoaid = ContainerType::Class("EncodedObjectAsID".into());
    let full = EncodeOptions {
        full_objects: true,
        ..EncodeOptions::default()
    };
    let allow = DecodeOptions {
        allow_objects: true,
        ..DecodeOptions::default()
    };
    // Builtin NIL = untyped.
    assert_eq!(
        enc(&typed(ContainerType::Builtin(VariantType::Nil))).unwrap(),
        hex("1c00000000000000")
    );
    // Builtin OBJECT: kept with allow_objects, EncodedObjectAsID without.
    let b = enc(&typed(ContainerType::Builtin(VariantType::Object))).unwrap();
    assert_eq!(to_hex(&b), "1c0001001800000000000000");
    assert_eq!(
        decode(&b, &allow).unwrap().0,
        typed(ContainerType::Builtin(VariantType::Object))
    );
    assert_eq!(dec(&to_hex(&b)).unwrap().0, typed(eoaid.clone()));
    // Class: the name only with full_objects, and kept only with allow_objects.
    let node = typed(ContainerType::Class("Node".into()));
    let b = encode(&node, &full).unwrap();
    assert_eq!(decode(&b, &allow).unwrap().0, node);
    assert_eq!(
        decode(&b, &DecodeOptions::default()).unwrap().0,
        typed(eoaid.clone())
    );
    // Script: path checked on encode (full_objects) and decode (allow_objects).
    let bad = typed(ContainerType::Script("a.gd".into()));
    assert_eq!(encode(&bad, &full).unwrap_err().code, Error::Unavailable);
    assert_eq!(enc(&bad).unwrap(), enc(&typed(eoaid.clone())).unwrap());
    // Dictionary key and value kinds.
    let mut d = Dictionary::new();
    d.key_type = ContainerType::Builtin(VariantType::StringName);
    d.value_type = ContainerType::Class("Node".into());
    let b = encode(&Variant::Dictionary(Box::new(d.clone())), &full).unwrap();
    assert_eq!(to_hex(&b), "1b00090015000000040000004e6f646500000000");
    assert_eq!(
        decode(&b, &allow).unwrap().0,
        Variant::Dictionary(Box::new(d))
    );
    // Descriptor string errors propagate.
    assert_eq!(
        dec("1c00020005000000616263").unwrap_err().code,
        Error::FileEof
    );
    assert_eq!(dec("1c000200").unwrap_err().code, Error::InvalidData);
    assert_eq!(dec("1c000100").unwrap_err().code, Error::InvalidData);
}

#[test]
fn strings_and_utf8() {
    // Refused on encode: U+0000 anywhere a string travels.
    for v in [
        s("a\0b"),
        sn("\0"),
        Variant::PackedStringArray(vec!["x\0".into()]),
        Variant::NodePath(Box::new(NodePath {
            names: vec!["\0".into()],
            ..NodePath::default()
        })),
        dict(vec![(s("k\0"), Variant::Nil)]),
    ] {
        let e = enc(&v).unwrap_err();
        assert_eq!(e.code, Error::InvalidParameter, "{v:?}");
    }
    // BOM then NUL; garbage after the NUL is ignored.
    assert_eq!(dec("0400000006000000efbbbf6100ff0000").unwrap().0, s("a"));
    // A leading U+FEFF is sent as is (like the engine) and dropped on decode (like the engine).
    let b = enc(&s("\u{feff}a")).unwrap();
    assert_eq!(to_hex(&b), "0400000004000000efbbbf61");
    assert_eq!(decode(&b, &DecodeOptions::default()).unwrap().0, s("a"));
    // A BOM alone.
    assert_eq!(dec("0400000003000000efbbbf00").unwrap().0, s(""));
    // Invalid UTF-8 offset points at the bad byte.
    let e = dec("040000000300000061ff6200").unwrap_err();
    assert_eq!((e.code, e.offset), (Error::InvalidData, 9));
    // Overlong NUL, code point above U+10FFFF.
    assert_eq!(
        dec("0400000002000000c0800000").unwrap_err().code,
        Error::InvalidData
    );
    assert_eq!(
        dec("0400000004000000f4908080").unwrap_err().code,
        Error::InvalidData
    );
    // Packed strings: encoder writes the NUL terminator.
    assert_eq!(
        to_hex(&enc(&Variant::PackedStringArray(vec!["abc".into()])).unwrap()),
        "220000000100000004000000616263".to_owned() + "00"
    );
}

#[test]
fn consumed_length_and_padding() {
    // Byte array missing its final padding: decodes, consumed length clamped to the buffer.
    let (v, used) = dec("1d0000000100000001").unwrap();
    assert_eq!((v, used), (Variant::PackedByteArray(vec![1]), 9));
    // Inside an array at the end: fine too.
    let (v, used) = dec("1c000000010000001d0000000100000001").unwrap();
    assert_eq!(used, 17);
    assert_eq!(v, arr(vec![Variant::PackedByteArray(vec![1])]));
    // But something after it needs its header after the (missing) padding.
    assert_eq!(
        dec("1c000000020000001d000000010000000100")
            .unwrap_err()
            .code,
        Error::InvalidData
    );
    // Padding content is ignored for strings, byte arrays and NodePath names.
    assert_eq!(dec("04000000010000006178797a").unwrap().0, s("a"));
    assert_eq!(
        dec("1d00000001000000017f7f7f").unwrap().0,
        Variant::PackedByteArray(vec![1])
    );
    // Trailing bytes after a value are reported, not an error.
    let (_, used) = dec("00000000ffffffff").unwrap();
    assert_eq!(used, 4);
    // Encoder pads with zeros.
    assert_eq!(
        to_hex(&enc(&Variant::PackedByteArray(vec![9])).unwrap()),
        "1d0000000100000009000000"
    );
}

#[test]
fn error_offsets() {
    let e = dec("1c00000002000000020000000100000004000000050000006162").unwrap_err();
    assert_eq!((e.code, e.offset), (Error::FileEof, 20));
    let e = dec("1c0000000100000005000000").unwrap_err();
    assert_eq!((e.code, e.offset), (Error::InvalidData, 12));
    let e = dec("1c00000001000000ff000000").unwrap_err();
    assert_eq!((e.code, e.offset), (Error::InvalidData, 8));
    assert!(!e.reason.is_empty());
    let e = dec("1e000000ffffff3f").unwrap_err();
    assert_eq!((e.code, e.offset), (Error::InvalidData, 4));
}

#[test]
fn limits() {
    let mut opts = DecodeOptions::default();
    opts.limits.max_elements = 3;
    assert!(dec("1c000000020000000000000000000000").is_ok());
    let b = hex("1c00000002000000000000000000000000");
    assert!(decode(&b, &opts).is_ok()); // array + 2 elements = 3 values
    let b = hex("1c0000000300000000000000000000000000000000");
    assert_eq!(decode(&b, &opts).unwrap_err().code, Error::OutOfMemory);
    let b = hex("1d0000000400000001020304");
    assert_eq!(decode(&b, &opts).unwrap_err().code, Error::OutOfMemory);
    let mut opts = DecodeOptions::default();
    opts.limits.max_bytes = 1000;
    let big = enc(&Variant::PackedByteArray(vec![0; 2000])).unwrap();
    assert_eq!(decode(&big, &opts).unwrap_err().code, Error::OutOfMemory);
    let long = enc(&s(&"x".repeat(2000))).unwrap();
    assert_eq!(decode(&long, &opts).unwrap_err().code, Error::OutOfMemory);
    assert!(decode(&enc(&s("short")).unwrap(), &opts).is_ok());
}

#[test]
fn packed_arrays_counts() {
    // Negative / overflowing counts.
    for h in [
        "1e000000ffffffff",
        "1f000000ffffff1f",
        "23000100ffffff0f",
        "24000000abaaaa0a",
        "1d000000ffffff7f",
    ] {
        assert_eq!(dec(h).unwrap_err().code, Error::InvalidData, "{h}");
    }
    // Packed string array: negative count is empty and consumed 8 bytes.
    assert_eq!(
        dec("22000000feffffff00").unwrap(),
        (Variant::PackedStringArray(vec![]), 8)
    );
    // Double-precision packed vectors decode whatever our EncodeOptions.
    let (v, _) = dec("2400010001000000000000000000f03f00000000000000400000000000000840").unwrap();
    assert_eq!(
        v,
        Variant::PackedVector3Array(vec![Vector3 {
            x: 1.0,
            y: 2.0,
            z: 3.0
        }])
    );
}

#[test]
fn real_types_narrow_unless_double() {
    let v = Variant::Vector2(Vector2 { x: 0.1, y: 2.0 });
    let b = enc(&v).unwrap();
    assert_eq!(
        dec(&to_hex(&b)).unwrap().0,
        Variant::Vector2(Vector2 {
            x: f64::from(0.1f32),
            y: 2.0
        })
    );
    let dbl = EncodeOptions {
        real_is_double: true,
        ..EncodeOptions::default()
    };
    let b = encode(&v, &dbl).unwrap();
    assert_eq!(dec(&to_hex(&b)).unwrap().0, v);
    // Int boundaries.
    assert_eq!(enc(&Variant::Int(i64::from(i32::MIN))).unwrap().len(), 8);
    assert_eq!(
        enc(&Variant::Int(i64::from(i32::MIN) - 1)).unwrap().len(),
        12
    );
}

#[test]
fn matches_godot3_bytes_for_the_benchmark_dictionary() {
    // var2bytes({"id": 123, "pos": Vector2(1.5, -2.25), "name": "player_123", "hp": 87.5}) as
    // printed by a real Godot 3.2.3 (bench/godot3_codec.gd). Godot 3 numbers DICTIONARY 0x12
    // where Godot 4 uses 0x1b; int, float, string and Vector2 share their ids, so every other
    // byte must match.
    let godot3 = "1200000004000000040000000200000069640000020000007b0000000400000003000000706f73000500\
                  00000000c03f000010c004000000040000006e616d65040000000a000000706c617965725f3132330000\
                  040000000200000068700000030000000000af42";
    let godot3: String = godot3.split_whitespace().collect();
    let d = dict(vec![
        (s("id"), Variant::Int(123)),
        (s("pos"), Variant::Vector2(Vector2 { x: 1.5, y: -2.25 })),
        (s("name"), s("player_123")),
        (s("hp"), Variant::Float(87.5)),
    ]);
    let ours = to_hex(&enc(&d).unwrap());
    assert_eq!(&ours[..2], "1b");
    assert_eq!(&ours[2..], &godot3[2..]);
}

/// Containers of leaves are filled in a tight loop by both the decoder and the encoder; these
/// cases hand over between that loop and the general walk in every position.
#[test]
fn leaf_runs_hand_over_to_nested_containers() {
    let s = |t: &str| {
        let mut b = hex("04000000");
        b.extend_from_slice(&(t.len() as u32).to_le_bytes());
        b.extend_from_slice(t.as_bytes());
        b.resize(b.len() + (4 - t.len() % 4) % 4, 0);
        b
    };
    let int = |i: u32| {
        let mut b = hex("02000000");
        b.extend_from_slice(&i.to_le_bytes());
        b
    };
    let dict_hdr = |n: u32| {
        let mut b = hex("1b000000");
        b.extend_from_slice(&n.to_le_bytes());
        b
    };
    let arr_hdr = |n: u32| {
        let mut b = hex("1c000000");
        b.extend_from_slice(&n.to_le_bytes());
        b
    };
    let cat = |parts: &[Vec<u8>]| parts.concat();
    let dopts = DecodeOptions::default();
    // {"a": 1, "b": [2, {"c": 3}, 4], [5]: "x", "a": [6], "d": 7, "b": 8}
    let bytes = cat(&[
        dict_hdr(6),
        s("a"),
        int(1),
        s("b"),
        arr_hdr(3),
        int(2),
        dict_hdr(1),
        s("c"),
        int(3),
        int(4),
        arr_hdr(1),
        int(5),
        s("x"),
        s("a"),
        arr_hdr(1),
        int(6),
        s("d"),
        int(7),
        s("b"),
        int(8),
    ]);
    let (v, used) = decode(&bytes, &dopts).unwrap();
    assert_eq!(used, bytes.len());
    let Variant::Dictionary(d) = &v else {
        panic!("not a dictionary: {v:?}")
    };
    let key = |t: &str| Variant::String(t.into());
    // Repeated keys keep their first position and take the last value, whichever path saw them.
    let pairs: Vec<(Variant, Variant)> = d.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    assert_eq!(
        pairs,
        vec![
            (key("a"), arr(vec![Variant::Int(6)])),
            (key("b"), Variant::Int(8)),
            (arr(vec![Variant::Int(5)]), key("x")),
            (key("d"), Variant::Int(7)),
        ]
    );
    // What decodes encodes back the same way (the first-seen order, the last values).
    let again = enc(&v).unwrap();
    assert_eq!(decode(&again, &dopts).unwrap().0, v);

    // A leaf one level past the depth limit fails at its header, inside a run of leaves or not.
    let mut opts = DecodeOptions::default();
    opts.limits.max_depth = 2;
    let ok = cat(&[arr_hdr(1), arr_hdr(2), int(1), int(2)]);
    assert!(decode(&ok, &opts).is_ok());
    for deep in [
        cat(&[arr_hdr(1), arr_hdr(1), arr_hdr(2), int(1), int(2)]),
        cat(&[arr_hdr(1), arr_hdr(1), dict_hdr(1), s("k"), int(1)]),
    ] {
        let e = decode(&deep, &opts).unwrap_err();
        assert_eq!(
            (e.code, e.offset),
            (Error::OutOfMemory, 24),
            "{}",
            to_hex(&deep)
        );
    }
    // Errors inside a run of leaves keep their offsets: a truncated value in a dictionary.
    let cut = cat(&[dict_hdr(2), s("a"), int(1), s("b"), hex("02000000")]);
    let e = decode(&cut, &dopts).unwrap_err();
    assert_eq!((e.code, e.offset), (Error::InvalidData, cut.len()));

    // Encoding: leaves at the deepest level the encoder allows are written; one deeper fails
    // with the offset of the value that is too deep.
    small_stack(|| {
        let mut v = arr(vec![Variant::Int(1), Variant::Int(2)]);
        for _ in 0..MAX_RECURSION_DEPTH {
            v = arr(vec![v]);
        }
        let e = enc(&v).unwrap_err();
        assert_eq!(e.code, Error::OutOfMemory);
        assert_eq!(e.offset, (MAX_RECURSION_DEPTH as usize + 1) * 8);
        let Variant::Array(mut a) = v else {
            unreachable!()
        };
        let inner = std::mem::take(&mut a.elements).pop().unwrap();
        assert!(enc(&inner).is_ok());
    });
}

/// The encoder refuses U+0000 wherever it is in a string, short or long, and nothing else.
#[test]
fn nul_refused_at_every_position() {
    for len in 1..=60usize {
        let clean: String = (0..len)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        assert!(
            enc(&Variant::String(clean.as_str().into())).is_ok(),
            "{len}"
        );
        // Bytes whose high bit is set around the NUL must not hide it (or fake one).
        let wide = "é".repeat(len);
        assert!(enc(&Variant::String(wide.as_str().into())).is_ok(), "{len}");
        for at in 0..len {
            let mut b = clean.clone().into_bytes();
            b[at] = 0;
            let s = String::from_utf8(b).unwrap();
            let e = enc(&Variant::String(s.as_str().into())).unwrap_err();
            assert_eq!(e.code, Error::InvalidParameter, "{len} {at}");
        }
    }
}
