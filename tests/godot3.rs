//! The Godot 3 dialect (`docs/wire-format.md` §19): golden bytes for every Godot 3 type, the
//! refusals naming the type, the lossy conversions, translation, and property tests that every
//! value existing in both dialects round-trips godot4 → godot3 → godot4 unchanged while every
//! other value is refused with its type named (or converted exactly as documented with
//! `godot3_lossy`).
//!
//! Case count: `PROPTEST_CASES` (default 256).

use packetpeer::variant::*;
use packetpeer::Error;
use proptest::prelude::*;
use proptest::strategy::Union;

fn g3() -> EncodeOptions {
    EncodeOptions {
        dialect: Dialect::Godot3,
        ..Default::default()
    }
}
fn g3_full() -> EncodeOptions {
    EncodeOptions {
        full_objects: true,
        ..g3()
    }
}
fn g3_lossy() -> EncodeOptions {
    EncodeOptions {
        godot3_lossy: true,
        full_objects: true,
        ..g3()
    }
}
fn g4_full() -> EncodeOptions {
    EncodeOptions {
        full_objects: true,
        ..Default::default()
    }
}
fn d3() -> DecodeOptions {
    DecodeOptions {
        dialect: Dialect::Godot3,
        allow_objects: true,
        ..Default::default()
    }
}
fn d4() -> DecodeOptions {
    DecodeOptions {
        allow_objects: true,
        ..Default::default()
    }
}

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn arr(elements: Vec<Variant>) -> Variant {
    Variant::Array(Box::new(Array {
        element_type: ContainerType::Any,
        elements,
    }))
}

fn v3(x: f64, y: f64, z: f64) -> Vector3 {
    Vector3 { x, y, z }
}

/// Encodes `v` in Godot 3 to exactly `want`, and decodes `want` back to `v`.
fn golden(v: Variant, want: &str) {
    let want = hex(want);
    let got = encode(&v, &g3_full()).unwrap();
    assert_eq!(got, want, "encoding of {v:?}");
    assert_eq!(encoded_len(&v, &g3_full()).unwrap(), want.len());
    let (back, used) = decode(&want, &d3()).unwrap();
    assert_eq!(used, want.len());
    assert_eq!(back, v, "decoding of {want:02x?}");
}

// ---------------------------------------------------------------- golden bytes, one per type

#[test]
fn golden_every_godot3_type() {
    use Variant as V;
    golden(V::Nil, "00000000");
    golden(V::Bool(true), "01000000 01000000");
    golden(V::Int(42), "02000000 2a000000");
    golden(V::Int(1 << 31), "02000100 00000080 00000000");
    golden(V::Float(1.5), "03000000 0000c03f");
    golden(V::Float(0.1), "03000100 9a999999 9999b93f");
    golden(V::String("abc".into()), "04000000 03000000 61626300");
    golden(
        V::Vector2(Vector2 { x: 1.0, y: 2.0 }),
        "05000000 0000803f 00000040",
    );
    golden(
        V::Rect2(Rect2 {
            position: Vector2 { x: 1.0, y: 2.0 },
            size: Vector2 { x: 3.0, y: 4.0 },
        }),
        "06000000 0000803f 00000040 00004040 00008040",
    );
    golden(
        V::Vector3(v3(1.0, 2.0, 3.0)),
        "07000000 0000803f 00000040 00004040",
    );
    golden(
        V::Transform2D(Box::new(Transform2D {
            columns: [
                Vector2 { x: 1.0, y: 0.0 },
                Vector2 { x: 0.0, y: 1.0 },
                Vector2 { x: 2.0, y: 3.0 },
            ],
        })),
        "08000000 0000803f 00000000 00000000 0000803f 00000040 00004040",
    );
    golden(
        V::Plane(Plane {
            normal: v3(0.0, 1.0, 0.0),
            d: 2.0,
        }),
        "09000000 00000000 0000803f 00000000 00000040",
    );
    golden(
        V::Quaternion(Quaternion {
            x: 0.0,
            y: 0.0,
            z: 0.0,
            w: 1.0,
        }),
        "0a000000 00000000 00000000 00000000 0000803f",
    );
    golden(
        V::Aabb(Box::new(Aabb {
            position: v3(1.0, 2.0, 3.0),
            size: v3(4.0, 5.0, 6.0),
        })),
        "0b000000 0000803f 00000040 00004040 00008040 0000a040 0000c040",
    );
    let b = Basis {
        rows: [v3(1.0, 0.0, 0.0), v3(0.0, 1.0, 0.0), v3(0.0, 0.0, 1.0)],
    };
    golden(
        V::Basis(Box::new(b)),
        "0c000000 0000803f 00000000 00000000 00000000 0000803f 00000000 00000000 00000000 0000803f",
    );
    golden(
        V::Transform3D(Box::new(Transform3D {
            basis: b,
            origin: v3(1.0, 2.0, 3.0),
        })),
        "0d000000 0000803f 00000000 00000000 00000000 0000803f 00000000 00000000 00000000 0000803f
         0000803f 00000040 00004040",
    );
    golden(
        V::Color(Color {
            r: 1.0,
            g: 0.5,
            b: 0.25,
            a: 1.0,
        }),
        "0e000000 0000803f 0000003f 0000803e 0000803f",
    );
    golden(
        V::NodePath(Box::new(NodePath {
            names: vec!["a".into(), "b".into()],
            subnames: vec!["c".into()],
            absolute: false,
        })),
        "0f000000 02000080 01000000 00000000 01000000 61000000 01000000 62000000 01000000 63000000",
    );
    // §19: RID is the header alone and decodes as an empty RID.
    golden(V::Rid(0), "10000000");
    // §19: object by id, header 0x00010011.
    golden(V::Object(Object::Id(1234)), "11000100 d2040000 00000000");
    // §19: var2bytes(Reference.new(), true).
    golden(
        V::Object(Object::Full(Box::new(FullObject {
            class_name: "Reference".into(),
            properties: vec![("script".into(), V::Nil)],
        }))),
        "11000000 09000000 5265666572656e6365000000 01000000 06000000 736372697074 0000 00000000",
    );
    let mut d = Dictionary::new();
    d.insert(V::String("k".into()), V::Int(1));
    golden(
        V::Dictionary(Box::new(d)),
        "12000000 01000000 04000000 01000000 6b000000 02000000 01000000",
    );
    golden(
        arr(vec![V::Int(1), V::String("x".into())]),
        "13000000 02000000 02000000 01000000 04000000 01000000 78000000",
    );
    golden(
        V::PackedByteArray(vec![1, 2, 3]),
        "14000000 03000000 01020300",
    );
    golden(
        V::PackedInt32Array(vec![1, -1]),
        "15000000 02000000 01000000 ffffffff",
    );
    golden(
        V::PackedFloat32Array(vec![1.5]),
        "16000000 01000000 0000c03f",
    );
    golden(
        V::PackedStringArray(vec!["a".into(), "bc".into()]),
        "17000000 02000000 02000000 61000000 03000000 62630000",
    );
    golden(
        V::PackedVector2Array(vec![Vector2 { x: 1.0, y: 2.0 }]),
        "18000000 01000000 0000803f 00000040",
    );
    golden(
        V::PackedVector3Array(vec![v3(1.0, 2.0, 3.0)]),
        "19000000 01000000 0000803f 00000040 00004040",
    );
    golden(
        V::PackedColorArray(vec![Color {
            r: 1.0,
            g: 0.0,
            b: 0.0,
            a: 1.0,
        }]),
        "1a000000 01000000 0000803f 00000000 00000000 0000803f",
    );
    // §19: NaN uses the 64-bit form; -0.0 and inf the 32-bit one.
    assert_eq!(
        encode(&V::Float(f64::NAN), &g3()).unwrap(),
        hex("03000100 00000000 0000f87f")
    );
    assert_eq!(
        encode(&V::Float(-0.0), &g3()).unwrap(),
        hex("03000000 00000080")
    );
    assert_eq!(
        encode(&V::Float(f64::INFINITY), &g3()).unwrap(),
        hex("03000000 0000807f")
    );
}

#[test]
fn godot3_names() {
    assert_eq!(godot3_name(VariantType::Quaternion), Some("Quat"));
    assert_eq!(godot3_name(VariantType::Transform3D), Some("Transform"));
    assert_eq!(godot3_name(VariantType::Float), Some("float"));
    assert_eq!(
        godot3_name(VariantType::PackedInt32Array),
        Some("PoolIntArray")
    );
    assert_eq!(godot3_name(VariantType::StringName), None);
    assert_eq!(godot3_name(VariantType::PackedInt64Array), None);
}

#[test]
fn decoder_rules() {
    // Ids at or above Godot 3's VARIANT_MAX (27) are invalid.
    for id in [27u8, 28, 38, 0xff] {
        let e = decode(&[id, 0, 0, 0, 0, 0, 0, 0], &d3()).unwrap_err();
        assert_eq!(e.code, Error::InvalidData, "id {id}");
    }
    // FLAG_64 is ignored on math types: Vector2 with the flag still reads two f32 (§19).
    let (v, used) = decode(&hex("05000100 0000803f 00000040"), &d3()).unwrap();
    assert_eq!(v, Variant::Vector2(Vector2 { x: 1.0, y: 2.0 }));
    assert_eq!(used, 12);
    let (v, _) = decode(&hex("18000100 01000000 0000803f 00000040"), &d3()).unwrap();
    assert_eq!(
        v,
        Variant::PackedVector2Array(vec![Vector2 { x: 1.0, y: 2.0 }])
    );
    // ... but not on INT and FLOAT, whose 32/64-bit rule is the same as Godot 4's.
    let (v, _) = decode(&hex("02000100 00000080 00000000"), &d3()).unwrap();
    assert_eq!(v, Variant::Int(1 << 31));
    // Header bits 16–19 are meaningless on ARRAY and DICTIONARY: no descriptor is read.
    let (v, used) = decode(&hex("13000f00 01000000 02000000 07000000"), &d3()).unwrap();
    assert_eq!(v, arr(vec![Variant::Int(7)]));
    assert_eq!(used, 16);
    let (v, _) = decode(&hex("1200ff00 00000000"), &d3()).unwrap();
    assert_eq!(v, Variant::Dictionary(Box::new(Dictionary::new())));
    // RID: the header alone; what follows is the next value (here: trailing bytes).
    let (v, used) = decode(&hex("10000000 2a000000"), &d3()).unwrap();
    assert_eq!((v, used), (Variant::Rid(0), 4));
    // A Godot 3 dictionary (18) is a Transform3D to a Godot 4 decoder: the dialect matters.
    let (v, _) = decode(&hex("12000000 00000000"), &DecodeOptions::default()).unwrap_err_or_ok();
    assert!(!matches!(v, Some(Variant::Dictionary(_))));
    // A full object needs allow_objects, as in Godot 4.
    let e = decode(
        &hex("11000000 00000000"),
        &DecodeOptions {
            dialect: Dialect::Godot3,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code, Error::Unauthorized);
}

trait OkOr {
    fn unwrap_err_or_ok(self) -> (Option<Variant>, usize);
}
impl OkOr for Result<(Variant, usize), VariantError> {
    fn unwrap_err_or_ok(self) -> (Option<Variant>, usize) {
        match self {
            Ok((v, n)) => (Some(v), n),
            Err(_) => (None, 0),
        }
    }
}

#[test]
fn real_is_double_is_ignored() {
    let v = Variant::Vector2(Vector2 { x: 0.1, y: 2.0 });
    let opts = EncodeOptions {
        real_is_double: true,
        ..g3()
    };
    let b = encode(&v, &opts).unwrap();
    assert_eq!(b.len(), 12);
    assert_eq!(b[..4], [5, 0, 0, 0]);
}

// ---------------------------------------------------------------- refusals and lossy conversions

fn refused(v: &Variant, opts: &EncodeOptions) -> String {
    let e = encode(v, opts).unwrap_err();
    assert_eq!(e.code, Error::InvalidParameter, "{v:?}");
    assert_eq!(encoded_len(v, opts).unwrap_err(), e);
    e.reason.to_owned()
}

fn typed_arr() -> Variant {
    Variant::Array(Box::new(Array {
        element_type: ContainerType::Builtin(VariantType::Int),
        elements: vec![Variant::Int(1)],
    }))
}

#[test]
fn missing_types_are_refused_by_name() {
    use Variant as V;
    let v4 = Vector4 {
        x: 1.0,
        y: 2.0,
        z: 3.0,
        w: 4.0,
    };
    let cases: Vec<(Variant, &str)> = vec![
        (V::StringName("a".into()), "StringName"),
        (V::Vector2i(Vector2i { x: 1, y: 2 }), "Vector2i"),
        (
            V::Rect2i(Rect2i {
                position: Vector2i { x: 1, y: 2 },
                size: Vector2i { x: 3, y: 4 },
            }),
            "Rect2i",
        ),
        (V::Vector3i(Vector3i { x: 1, y: 2, z: 3 }), "Vector3i"),
        (V::Vector4(v4), "Vector4"),
        (
            V::Vector4i(Vector4i {
                x: 1,
                y: 2,
                z: 3,
                w: 4,
            }),
            "Vector4i",
        ),
        (
            V::Projection(Box::new(Projection {
                columns: [v4, v4, v4, v4],
            })),
            "Projection",
        ),
        (V::Callable, "Callable"),
        (
            V::Signal(Signal {
                name: "s".into(),
                object_id: 1,
            }),
            "Signal",
        ),
        (V::PackedInt64Array(vec![1]), "PackedInt64Array"),
        (V::PackedFloat64Array(vec![1.0]), "PackedFloat64Array"),
        (V::PackedVector4Array(vec![v4]), "PackedVector4Array"),
        (typed_arr(), "typed Array"),
        (V::Rid(5), "RID"),
    ];
    for (v, name) in cases {
        let r = refused(&v, &g3());
        assert!(r.contains(name), "{r:?} does not name {name}");
        assert!(r.starts_with("Godot 3 "), "{r:?}");
        // Nested, the same refusal, at the offset where the value starts.
        let nested = arr(vec![Variant::Int(1), v.clone()]);
        let e = encode(&nested, &g3()).unwrap_err();
        assert_eq!(e.reason, r);
        assert_eq!(e.offset, 16);
    }
    let mut d = Dictionary::new();
    d.key_type = ContainerType::Builtin(VariantType::String);
    assert!(refused(&Variant::Dictionary(Box::new(d)), &g3()).contains("typed Dictionary"));
}

#[test]
fn lossy_conversions_as_documented() {
    use Variant as V;
    let l = g3_lossy();
    let same = |a: Variant, b: Variant| {
        assert_eq!(
            encode(&a, &l).unwrap(),
            encode(&b, &g3_full()).unwrap(),
            "{a:?}"
        );
    };
    same(V::StringName("sn".into()), V::String("sn".into()));
    same(
        V::Vector2i(Vector2i { x: -3, y: 1 << 24 }),
        V::Vector2(Vector2 {
            x: -3.0,
            y: 16777216.0,
        }),
    );
    same(
        V::Vector3i(Vector3i {
            x: 1,
            y: i32::MIN,
            z: 3,
        }),
        V::Vector3(v3(1.0, -2147483648.0, 3.0)),
    );
    same(
        V::Rect2i(Rect2i {
            position: Vector2i { x: 1, y: 2 },
            size: Vector2i { x: 3, y: 4 },
        }),
        V::Rect2(Rect2 {
            position: Vector2 { x: 1.0, y: 2.0 },
            size: Vector2 { x: 3.0, y: 4.0 },
        }),
    );
    same(
        V::PackedInt64Array(vec![1, -1, i64::from(i32::MAX), i64::from(i32::MIN)]),
        V::PackedInt32Array(vec![1, -1, i32::MAX, i32::MIN]),
    );
    same(
        V::PackedFloat64Array(vec![0.1, 1.5]),
        V::PackedFloat32Array(vec![0.1f32, 1.5]),
    );
    same(typed_arr(), arr(vec![V::Int(1)]));
    same(V::Rid(99), V::Rid(0));
    // What does not fit still fails, naming the type.
    let r = refused(&V::PackedInt64Array(vec![1, 1 << 31]), &l);
    assert!(r.contains("PackedInt64Array"), "{r}");
    let r = refused(
        &V::Vector2i(Vector2i {
            x: (1 << 24) + 1,
            y: 0,
        }),
        &l,
    );
    assert!(r.contains("Vector2i"), "{r}");
    for v in [V::Callable, V::PackedVector4Array(vec![])] {
        refused(&v, &l);
    }
}

// ---------------------------------------------------------------- translation

#[test]
fn translate_dictionary_between_dialects() {
    let mut d = Dictionary::new();
    d.insert(
        Variant::String("pos".into()),
        Variant::Vector3(v3(1.0, 2.0, 3.0)),
    );
    d.insert(Variant::Int(7), arr(vec![Variant::Bool(true)]));
    let v = Variant::Dictionary(Box::new(d));
    let b3 = encode(&v, &g3()).unwrap();
    let b4 = encode(&v, &EncodeOptions::default()).unwrap();
    let mut input = b3.clone();
    input.extend_from_slice(&[9, 9, 9, 9]); // trailing bytes are not translated
    let (out, used) = translate(&input, &d3(), &EncodeOptions::default()).unwrap();
    assert_eq!((out, used), (b4.clone(), b3.len()));
    let (out, _) = translate(&b4, &DecodeOptions::default(), &g3()).unwrap();
    assert_eq!(out, b3);
    // Godot 4 ids 0x1b / 0x1c against Godot 3's 0x12 / 0x13.
    assert_eq!(b4[0], 0x1b);
    assert_eq!(b3[0], 0x12);
    // The two halves report their own errors.
    let e = translate(&hex("1b00"), &d3(), &g3()).unwrap_err();
    assert!(matches!(e, TranslateError::Decode(_)));
    let sn = encode(&Variant::StringName("x".into()), &EncodeOptions::default()).unwrap();
    match translate(&sn, &DecodeOptions::default(), &g3()).unwrap_err() {
        TranslateError::Encode(e) => assert!(e.reason.contains("StringName")),
        other => panic!("{other:?}"),
    }
    let mut out = vec![1];
    assert!(translate_into(&sn, &DecodeOptions::default(), &g3(), &mut out).is_err());
    assert_eq!(out, [1]);
}

// ---------------------------------------------------------------- properties

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::char::range('a', 'e'), 0..5).prop_map(|v| v.into_iter().collect())
}
fn real() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => any::<f32>().prop_map(f64::from),
        1 => any::<f64>(),
    ]
}
fn vec2() -> impl Strategy<Value = Vector2> {
    (real(), real()).prop_map(|(x, y)| Vector2 { x, y })
}
fn vec3() -> impl Strategy<Value = Vector3> {
    (real(), real(), real()).prop_map(|(x, y, z)| Vector3 { x, y, z })
}
fn vec4() -> impl Strategy<Value = Vector4> {
    (real(), real(), real(), real()).prop_map(|(x, y, z, w)| Vector4 { x, y, z, w })
}
fn int() -> impl Strategy<Value = i32> {
    prop_oneof![3 => -100i32..100, 1 => any::<i32>(), 1 => Just(1 << 24), 1 => Just((1 << 24) + 1)]
}
fn small<T: std::fmt::Debug>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Vec<T>> {
    prop::collection::vec(s, 0..4)
}

fn leaf() -> impl Strategy<Value = Variant> {
    use Variant as V;
    let arms: Vec<BoxedStrategy<Variant>> = vec![
        Just(V::Nil).boxed(),
        any::<bool>().prop_map(V::Bool).boxed(),
        any::<i64>().prop_map(V::Int).boxed(),
        any::<f64>().prop_map(V::Float).boxed(),
        text().prop_map(|s| V::String(s.into())).boxed(),
        vec2().prop_map(V::Vector2).boxed(),
        (int(), int())
            .prop_map(|(x, y)| V::Vector2i(Vector2i { x, y }))
            .boxed(),
        (vec2(), vec2())
            .prop_map(|(position, size)| V::Rect2(Rect2 { position, size }))
            .boxed(),
        (int(), int(), int(), int())
            .prop_map(|(a, b, c, d)| {
                V::Rect2i(Rect2i {
                    position: Vector2i { x: a, y: b },
                    size: Vector2i { x: c, y: d },
                })
            })
            .boxed(),
        vec3().prop_map(V::Vector3).boxed(),
        (int(), int(), int())
            .prop_map(|(x, y, z)| V::Vector3i(Vector3i { x, y, z }))
            .boxed(),
        (vec2(), vec2(), vec2())
            .prop_map(|(a, b, c)| V::Transform2D(Box::new(Transform2D { columns: [a, b, c] })))
            .boxed(),
        vec4().prop_map(V::Vector4).boxed(),
        any::<[i32; 4]>()
            .prop_map(|[x, y, z, w]| V::Vector4i(Vector4i { x, y, z, w }))
            .boxed(),
        (vec3(), real())
            .prop_map(|(normal, d)| V::Plane(Plane { normal, d }))
            .boxed(),
        vec4()
            .prop_map(|q| {
                V::Quaternion(Quaternion {
                    x: q.x,
                    y: q.y,
                    z: q.z,
                    w: q.w,
                })
            })
            .boxed(),
        (vec3(), vec3())
            .prop_map(|(position, size)| V::Aabb(Box::new(Aabb { position, size })))
            .boxed(),
        (vec3(), vec3(), vec3())
            .prop_map(|(a, b, c)| V::Basis(Box::new(Basis { rows: [a, b, c] })))
            .boxed(),
        (vec3(), vec3(), vec3(), vec3())
            .prop_map(|(a, b, c, origin)| {
                V::Transform3D(Box::new(Transform3D {
                    basis: Basis { rows: [a, b, c] },
                    origin,
                }))
            })
            .boxed(),
        (vec4(), vec4(), vec4(), vec4())
            .prop_map(|(a, b, c, d)| {
                V::Projection(Box::new(Projection {
                    columns: [a, b, c, d],
                }))
            })
            .boxed(),
        any::<[f32; 4]>()
            .prop_map(|[r, g, b, a]| V::Color(Color { r, g, b, a }))
            .boxed(),
        text().prop_map(|s| V::StringName(s.into())).boxed(),
        (small(text()), small(text()), any::<bool>())
            .prop_map(|(names, subnames, absolute)| {
                V::NodePath(Box::new(NodePath {
                    names,
                    subnames,
                    absolute,
                }))
            })
            .boxed(),
        prop_oneof![Just(0u64), any::<u64>()]
            .prop_map(V::Rid)
            .boxed(),
        prop_oneof![
            Just(Object::Null),
            any::<u64>().prop_map(Object::Id),
            (text(), small((text(), any::<i32>()))).prop_map(|(c, props)| {
                let mut properties = vec![("script".to_owned(), V::Nil)];
                properties.extend(props.into_iter().map(|(n, i)| (n, V::Int(i.into()))));
                Object::Full(Box::new(FullObject {
                    class_name: format!("C{c}"),
                    properties,
                }))
            })
        ]
        .prop_map(V::Object)
        .boxed(),
        Just(V::Callable).boxed(),
        (text(), any::<u64>())
            .prop_map(|(name, object_id)| V::Signal(Signal { name, object_id }))
            .boxed(),
        small(any::<u8>()).prop_map(V::PackedByteArray).boxed(),
        small(any::<i32>()).prop_map(V::PackedInt32Array).boxed(),
        small(prop_oneof![3 => any::<i32>().prop_map(i64::from), 1 => any::<i64>()])
            .prop_map(V::PackedInt64Array)
            .boxed(),
        small(any::<f32>()).prop_map(V::PackedFloat32Array).boxed(),
        small(any::<f64>()).prop_map(V::PackedFloat64Array).boxed(),
        small(text()).prop_map(V::PackedStringArray).boxed(),
        small(vec2()).prop_map(V::PackedVector2Array).boxed(),
        small(vec3()).prop_map(V::PackedVector3Array).boxed(),
        small(any::<[f32; 4]>().prop_map(|[r, g, b, a]| Color { r, g, b, a }))
            .prop_map(V::PackedColorArray)
            .boxed(),
        small(vec4()).prop_map(V::PackedVector4Array).boxed(),
    ];
    Union::new(arms)
}

fn container_type() -> impl Strategy<Value = ContainerType> {
    prop_oneof![
        6 => Just(ContainerType::Any),
        1 => Just(ContainerType::Builtin(VariantType::Int)),
        1 => Just(ContainerType::Class("Node".to_owned())),
    ]
}

fn value() -> impl Strategy<Value = Variant> {
    leaf().prop_recursive(3, 20, 4, |inner| {
        prop_oneof![
            (container_type(), small(inner.clone())).prop_map(|(element_type, elements)| {
                // A typed array only holds its type.
                let elements = match element_type {
                    ContainerType::Any => elements,
                    _ => vec![],
                };
                Variant::Array(Box::new(Array {
                    element_type,
                    elements,
                }))
            }),
            small((inner.clone(), inner)).prop_map(|pairs| {
                let mut d = Dictionary::new();
                for (k, v) in pairs {
                    d.insert(k, v);
                }
                Variant::Dictionary(Box::new(d))
            }),
        ]
    })
}

/// What Godot 3 makes of `v`: `Ok(v')` with `v'` the value a Godot 3 peer holds (in the model),
/// or `Err(type)` naming the first thing, in encoding order, that it cannot take. The reference
/// model of `docs/wire-format.md` §19 and `EncodeOptions::godot3_lossy`, written independently of
/// the encoder.
fn godot3_view(v: &Variant, lossy: bool) -> Result<Variant, &'static str> {
    use Variant as V;
    let exact = |x: i32, name: &'static str| -> Result<f64, &'static str> {
        if f64::from(x as f32) == f64::from(x) {
            Ok(f64::from(x))
        } else {
            Err(name)
        }
    };
    let need = |name: &'static str| if lossy { Ok(()) } else { Err(name) };
    let typed = |t: &ContainerType| !matches!(t, ContainerType::Any);
    Ok(match v {
        V::StringName(s) => {
            need("StringName")?;
            V::String(s.clone())
        }
        V::Vector2i(a) => {
            need("Vector2i")?;
            V::Vector2(Vector2 {
                x: exact(a.x, "Vector2i")?,
                y: exact(a.y, "Vector2i")?,
            })
        }
        V::Vector3i(a) => {
            need("Vector3i")?;
            V::Vector3(Vector3 {
                x: exact(a.x, "Vector3i")?,
                y: exact(a.y, "Vector3i")?,
                z: exact(a.z, "Vector3i")?,
            })
        }
        V::Rect2i(a) => {
            need("Rect2i")?;
            V::Rect2(Rect2 {
                position: Vector2 {
                    x: exact(a.position.x, "Rect2i")?,
                    y: exact(a.position.y, "Rect2i")?,
                },
                size: Vector2 {
                    x: exact(a.size.x, "Rect2i")?,
                    y: exact(a.size.y, "Rect2i")?,
                },
            })
        }
        V::Vector4(_) => return Err("Vector4"),
        V::Vector4i(_) => return Err("Vector4i"),
        V::Projection(_) => return Err("Projection"),
        V::Callable => return Err("Callable"),
        V::Signal(_) => return Err("Signal"),
        V::PackedVector4Array(_) => return Err("PackedVector4Array"),
        V::PackedInt64Array(a) => {
            need("PackedInt64Array")?;
            let mut out = Vec::new();
            for &x in a {
                out.push(i32::try_from(x).map_err(|_| "PackedInt64Array")?);
            }
            V::PackedInt32Array(out)
        }
        V::PackedFloat64Array(a) => {
            need("PackedFloat64Array")?;
            V::PackedFloat32Array(a.iter().map(|&x| x as f32).collect())
        }
        V::Rid(r) => {
            if *r != 0 {
                need("RID")?;
            }
            V::Rid(0)
        }
        V::Array(a) => {
            if typed(&a.element_type) {
                need("typed Array")?;
            }
            let mut elements = Vec::new();
            for e in &a.elements {
                elements.push(godot3_view(e, lossy)?);
            }
            V::Array(Box::new(Array {
                element_type: ContainerType::Any,
                elements,
            }))
        }
        V::Dictionary(d) => {
            if typed(&d.key_type) || typed(&d.value_type) {
                need("typed Dictionary")?;
            }
            let mut out = Dictionary::new();
            for (k, v) in d.iter() {
                let k = godot3_view(k, lossy)?;
                let v = godot3_view(v, lossy)?;
                out.insert(k, v);
            }
            V::Dictionary(Box::new(out))
        }
        V::Object(Object::Full(o)) => {
            let mut properties = Vec::new();
            for (n, v) in &o.properties {
                properties.push((n.clone(), godot3_view(v, lossy)?));
            }
            V::Object(Object::Full(Box::new(FullObject {
                class_name: o.class_name.clone(),
                properties,
            })))
        }
        other => other.clone(),
    })
}

fn check(v: &Variant, lossy: bool) -> Result<(), TestCaseError> {
    let e4 = g4_full();
    let e3 = if lossy { g3_lossy() } else { g3_full() };
    // What a Godot 4 peer sends, and what we decode of it.
    let b4 = encode(v, &e4).unwrap();
    let (v4, _) = decode(&b4, &d4()).unwrap();
    match godot3_view(&v4, lossy) {
        Ok(view) => {
            // godot4 → godot3 → godot4 by translation.
            let (b3, used) = translate(&b4, &d4(), &e3).unwrap();
            prop_assert_eq!(used, b4.len());
            prop_assert_eq!(&b3, &encode(&v4, &e3).unwrap());
            let (back, used3) = translate(&b3, &d3(), &e4).unwrap();
            prop_assert_eq!(used3, b3.len());
            // The Godot 3 value is the documented view, compared as bytes (NaN-safe).
            prop_assert_eq!(&back, &encode(&view, &e4).unwrap());
            // What the Godot 4 bytes decode to, sent again: the same bytes unless keys repeat on the
            // wire (Godot 4 sends a null Object as Nil, so {null: a, <null Object>: b} carries two Nil
            // keys), which merge on decoding, as in the engine.
            let b4n = encode(&v4, &e4).unwrap();
            // A value Godot 3 has unchanged (the view is itself) comes back byte for byte.
            if encode(&view, &e4).unwrap() == b4n {
                prop_assert_eq!(&back, &b4n);
            }
            if !lossy {
                // Without the lossy option nothing is converted: the round trip is exact.
                prop_assert_eq!(&back, &b4n);
            }
        }
        Err(name) => {
            let e = encode(&v4, &e3).unwrap_err();
            prop_assert_eq!(e.code, Error::InvalidParameter);
            prop_assert!(
                e.reason.contains(name),
                "reason {:?} should name {}",
                e.reason,
                name
            );
            match translate(&b4, &d4(), &e3) {
                Err(TranslateError::Encode(te)) => prop_assert_eq!(te, e),
                other => prop_assert!(false, "{:?}", other),
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(256)
    ))]

    #[test]
    fn godot4_godot3_godot4(v in value()) {
        check(&v, false)?;
    }

    #[test]
    fn godot4_godot3_godot4_lossy(v in value()) {
        check(&v, true)?;
    }

    #[test]
    fn leaves(v in leaf(), lossy in any::<bool>()) {
        check(&v, lossy)?;
    }
}
