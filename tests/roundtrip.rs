//! Property tests: random values of every type, nested and typed containers, every option
//! combination and both dialects round-trip; every strict prefix of an encoding fails with the
//! code `docs/wire-format.md` §14.3 gives for where it was cut (ERR_FILE_EOF inside a string's bytes, ERR_INVALID_DATA
//! anywhere else), except a byte array's final padding, which may be missing.
//!
//! Case count: `PROPTEST_CASES` (default 256, sized for a debug build in CI).

use packetpeer::variant::*;
use packetpeer::Error;
use proptest::prelude::*;
use proptest::strategy::Union;

const EOAID: &str = "EncodedObjectAsID";

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256)
}

// ---------------------------------------------------------------- strategies

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::char::range('a', 'z'),
            1 => any::<char>().prop_filter("no NUL", |c| *c != '\0'),
        ],
        0..7,
    )
    .prop_map(|v| {
        let s: String = v.into_iter().collect();
        // A leading U+FEFF is a BOM to Godot's decoder, which drops it (codec_rules covers it).
        if s.starts_with('\u{feff}') {
            format!("x{s}")
        } else {
            s
        }
    })
}

/// Mostly f32-representable values (what a standard build sends), sometimes any double.
fn real() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => any::<f32>().prop_map(f64::from),
        1 => any::<f64>(),
        1 => Just(-0.0),
    ]
}

fn v2() -> impl Strategy<Value = Vector2> {
    (real(), real()).prop_map(|(x, y)| Vector2 { x, y })
}
fn v3() -> impl Strategy<Value = Vector3> {
    (real(), real(), real()).prop_map(|(x, y, z)| Vector3 { x, y, z })
}
fn v4() -> impl Strategy<Value = Vector4> {
    (real(), real(), real(), real()).prop_map(|(x, y, z, w)| Vector4 { x, y, z, w })
}
fn color() -> impl Strategy<Value = Color> {
    any::<[f32; 4]>().prop_map(|[r, g, b, a]| Color { r, g, b, a })
}
fn small<T: std::fmt::Debug>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Vec<T>> {
    prop::collection::vec(s, 0..5)
}

fn container_type() -> impl Strategy<Value = ContainerType> {
    prop_oneof![
        4 => Just(ContainerType::Any),
        3 => (0..VariantType::COUNT)
            .prop_map(|i| ContainerType::Builtin(VariantType::from_id(i).unwrap())),
        1 => prop_oneof![Just("Node".to_owned()), Just("Sprite2D".to_owned()), Just(EOAID.to_owned())]
            .prop_map(ContainerType::Class),
        1 => prop_oneof![Just("res://a.gd".to_owned()), Just("res://dir/b.gd".to_owned())]
            .prop_map(ContainerType::Script),
    ]
}

fn leaf() -> impl Strategy<Value = Variant> {
    use Variant as V;
    let arms: Vec<BoxedStrategy<Variant>> = vec![
        Just(V::Nil).boxed(),
        any::<bool>().prop_map(V::Bool).boxed(),
        prop_oneof![
            any::<i64>(),
            any::<i32>().prop_map(i64::from),
            Just(i64::from(i32::MAX) + 1),
            Just(i64::from(i32::MIN) - 1)
        ]
        .prop_map(V::Int)
        .boxed(),
        prop_oneof![any::<f64>(), any::<f32>().prop_map(f64::from)]
            .prop_map(V::Float)
            .boxed(),
        text().prop_map(|s| V::String(s.into())).boxed(),
        v2().prop_map(V::Vector2).boxed(),
        any::<[i32; 2]>()
            .prop_map(|[x, y]| V::Vector2i(Vector2i { x, y }))
            .boxed(),
        (v2(), v2())
            .prop_map(|(position, size)| V::Rect2(Rect2 { position, size }))
            .boxed(),
        any::<[i32; 4]>()
            .prop_map(|[a, b, c, d]| {
                V::Rect2i(Rect2i {
                    position: Vector2i { x: a, y: b },
                    size: Vector2i { x: c, y: d },
                })
            })
            .boxed(),
        v3().prop_map(V::Vector3).boxed(),
        any::<[i32; 3]>()
            .prop_map(|[x, y, z]| V::Vector3i(Vector3i { x, y, z }))
            .boxed(),
        (v2(), v2(), v2())
            .prop_map(|(a, b, c)| V::Transform2D(Box::new(Transform2D { columns: [a, b, c] })))
            .boxed(),
        v4().prop_map(V::Vector4).boxed(),
        any::<[i32; 4]>()
            .prop_map(|[x, y, z, w]| V::Vector4i(Vector4i { x, y, z, w }))
            .boxed(),
        (v3(), real())
            .prop_map(|(normal, d)| V::Plane(Plane { normal, d }))
            .boxed(),
        v4().prop_map(|q| {
            V::Quaternion(Quaternion {
                x: q.x,
                y: q.y,
                z: q.z,
                w: q.w,
            })
        })
        .boxed(),
        (v3(), v3())
            .prop_map(|(position, size)| V::Aabb(Box::new(Aabb { position, size })))
            .boxed(),
        (v3(), v3(), v3())
            .prop_map(|(a, b, c)| V::Basis(Box::new(Basis { rows: [a, b, c] })))
            .boxed(),
        (v3(), v3(), v3(), v3())
            .prop_map(|(a, b, c, origin)| {
                V::Transform3D(Box::new(Transform3D {
                    basis: Basis { rows: [a, b, c] },
                    origin,
                }))
            })
            .boxed(),
        (v4(), v4(), v4(), v4())
            .prop_map(|(a, b, c, d)| {
                V::Projection(Box::new(Projection {
                    columns: [a, b, c, d],
                }))
            })
            .boxed(),
        color().prop_map(V::Color).boxed(),
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
        any::<u64>().prop_map(V::Rid).boxed(),
        prop_oneof![
            Just(Object::Null),
            Just(Object::Id(0)),
            any::<u64>().prop_map(Object::Id)
        ]
        .prop_map(V::Object)
        .boxed(),
        Just(V::Callable).boxed(),
        (text(), any::<u64>())
            .prop_map(|(name, object_id)| V::Signal(Signal { name, object_id }))
            .boxed(),
        prop::collection::vec(any::<u8>(), 0..11)
            .prop_map(V::PackedByteArray)
            .boxed(),
        small(any::<i32>()).prop_map(V::PackedInt32Array).boxed(),
        small(any::<i64>()).prop_map(V::PackedInt64Array).boxed(),
        small(any::<f32>()).prop_map(V::PackedFloat32Array).boxed(),
        small(any::<f64>()).prop_map(V::PackedFloat64Array).boxed(),
        small(text()).prop_map(V::PackedStringArray).boxed(),
        small(v2()).prop_map(V::PackedVector2Array).boxed(),
        small(v3()).prop_map(V::PackedVector3Array).boxed(),
        small(color()).prop_map(V::PackedColorArray).boxed(),
        small(v4()).prop_map(V::PackedVector4Array).boxed(),
    ];
    Union::new(arms)
}

fn value() -> impl Strategy<Value = Variant> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            (container_type(), small(inner.clone())).prop_map(|(element_type, elements)| {
                Variant::Array(Box::new(Array {
                    element_type,
                    elements,
                }))
            }),
            (
                container_type(),
                container_type(),
                small((inner.clone(), inner.clone()))
            )
                .prop_map(|(kt, vt, pairs)| {
                    let mut d: Dictionary = pairs.into_iter().collect();
                    d.key_type = kt;
                    d.value_type = vt;
                    Variant::Dictionary(Box::new(d))
                }),
            (
                prop_oneof![Just("Node".to_owned()), Just("Resource".to_owned())],
                small((
                    prop_oneof![Just("a"), Just("position"), Just("script")],
                    inner
                ))
            )
                .prop_map(|(class_name, props)| {
                    let properties = props
                        .into_iter()
                        .map(|(name, v)| {
                            let v = if name == "script" {
                                Variant::String("res://s.gd".into())
                            } else {
                                v
                            };
                            (name.to_owned(), v)
                        })
                        .collect();
                    Variant::Object(Object::Full(Box::new(FullObject {
                        class_name,
                        properties,
                    })))
                }),
        ]
    })
}

fn options() -> impl Strategy<Value = (EncodeOptions, DecodeOptions)> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(full_objects, allow_objects, real_is_double, redot)| {
            let dialect = if redot {
                Dialect::RedotStruct
            } else {
                Dialect::Godot4
            };
            (
                EncodeOptions {
                    full_objects,
                    real_is_double,
                    dialect,
                    godot3_lossy: false,
                },
                DecodeOptions {
                    allow_objects,
                    dialect,
                    ..DecodeOptions::default()
                },
            )
        },
    )
}

// ---------------------------------------------------------------- expectations

fn has_full_object(v: &Variant) -> bool {
    match v {
        Variant::Object(Object::Full(_)) => true,
        Variant::Array(a) => a.elements.iter().any(has_full_object),
        Variant::Dictionary(d) => d
            .iter()
            .any(|(k, v)| has_full_object(k) || has_full_object(v)),
        _ => false,
    }
}

fn nr(x: f64, e: &EncodeOptions) -> f64 {
    if e.real_is_double {
        x
    } else {
        f64::from(x as f32)
    }
}

fn norm_type(t: &ContainerType, e: &EncodeOptions, d: &DecodeOptions) -> ContainerType {
    let eoaid = || ContainerType::Class(EOAID.into());
    match t {
        ContainerType::Any | ContainerType::Builtin(VariantType::Nil) => ContainerType::Any,
        ContainerType::Builtin(VariantType::Object) if !d.allow_objects => eoaid(),
        ContainerType::Builtin(t) => ContainerType::Builtin(*t),
        _ if !d.allow_objects => eoaid(),
        ContainerType::Class(c) if e.full_objects => ContainerType::Class(c.clone()),
        ContainerType::Script(p) if e.full_objects => ContainerType::Script(p.clone()),
        ContainerType::Class(_) | ContainerType::Script(_) => eoaid(),
    }
}

/// What `decode(encode(v))` must give.
fn norm(v: &Variant, e: &EncodeOptions, d: &DecodeOptions) -> Variant {
    use Variant as V;
    let r = |x: f64| nr(x, e);
    let n2 = |a: &Vector2| Vector2 {
        x: r(a.x),
        y: r(a.y),
    };
    let n3 = |a: &Vector3| Vector3 {
        x: r(a.x),
        y: r(a.y),
        z: r(a.z),
    };
    let n4 = |a: &Vector4| Vector4 {
        x: r(a.x),
        y: r(a.y),
        z: r(a.z),
        w: r(a.w),
    };
    match v {
        V::Vector2(a) => V::Vector2(n2(a)),
        V::Rect2(a) => V::Rect2(Rect2 {
            position: n2(&a.position),
            size: n2(&a.size),
        }),
        V::Vector3(a) => V::Vector3(n3(a)),
        V::Transform2D(a) => V::Transform2D(Box::new(Transform2D {
            columns: a.columns.map(|c| n2(&c)),
        })),
        V::Vector4(a) => V::Vector4(n4(a)),
        V::Plane(a) => V::Plane(Plane {
            normal: n3(&a.normal),
            d: r(a.d),
        }),
        V::Quaternion(q) => V::Quaternion(Quaternion {
            x: r(q.x),
            y: r(q.y),
            z: r(q.z),
            w: r(q.w),
        }),
        V::Aabb(a) => V::Aabb(Box::new(Aabb {
            position: n3(&a.position),
            size: n3(&a.size),
        })),
        V::Basis(b) => V::Basis(Box::new(Basis {
            rows: b.rows.map(|x| n3(&x)),
        })),
        V::Transform3D(t) => V::Transform3D(Box::new(Transform3D {
            basis: Basis {
                rows: t.basis.rows.map(|x| n3(&x)),
            },
            origin: n3(&t.origin),
        })),
        V::Projection(p) => V::Projection(Box::new(Projection {
            columns: p.columns.map(|c| n4(&c)),
        })),
        V::PackedVector2Array(a) => V::PackedVector2Array(a.iter().map(n2).collect()),
        V::PackedVector3Array(a) => V::PackedVector3Array(a.iter().map(n3).collect()),
        V::PackedVector4Array(a) => V::PackedVector4Array(a.iter().map(n4).collect()),
        V::Object(Object::Null | Object::Id(0)) => V::Nil,
        V::Object(Object::Full(o)) => V::Object(Object::Full(Box::new(FullObject {
            class_name: o.class_name.clone(),
            properties: o
                .properties
                .iter()
                .map(|(k, x)| (k.clone(), norm(x, e, d)))
                .collect(),
        }))),
        V::Array(a) => V::Array(Box::new(Array {
            element_type: norm_type(&a.element_type, e, d),
            elements: a.elements.iter().map(|x| norm(x, e, d)).collect(),
        })),
        V::Dictionary(x) => {
            let mut out: Dictionary = x
                .iter()
                .map(|(k, v)| (norm(k, e, d), norm(v, e, d)))
                .collect();
            out.key_type = norm_type(&x.key_type, e, d);
            out.value_type = norm_type(&x.value_type, e, d);
            V::Dictionary(Box::new(out))
        }
        other => other.clone(),
    }
}

// ---------------------------------------------------------------- layout of an encoding

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    /// Headers, counts, fixed payloads, string length words: a cut here is ERR_INVALID_DATA.
    Fixed,
    /// A string's bytes and padding: a cut here is ERR_FILE_EOF.
    Str,
    /// A byte array's padding: may be missing at the very end.
    BytePad,
}

struct Layout(Vec<(usize, Kind)>);

impl Layout {
    fn add(&mut self, n: usize, k: Kind) {
        if n > 0 {
            self.0.push((n, k));
        }
    }
    fn string(&mut self, n: usize) {
        self.add(4, Kind::Fixed);
        self.add(n + (4 - n % 4) % 4, Kind::Str);
    }
    fn descriptor(&mut self, t: &ContainerType, e: &EncodeOptions) {
        match t {
            ContainerType::Any | ContainerType::Builtin(VariantType::Nil) => {}
            ContainerType::Builtin(_) => self.add(4, Kind::Fixed),
            ContainerType::Class(c) if e.full_objects => self.string(c.len()),
            ContainerType::Script(p) if e.full_objects => self.string(p.len()),
            _ => self.string(EOAID.len()),
        }
    }
    fn value(&mut self, v: &Variant, e: &EncodeOptions) {
        use Variant as V;
        let reals = |n: usize| if e.real_is_double { n * 8 } else { n * 4 };
        self.add(4, Kind::Fixed);
        let fixed = match v {
            V::Nil | V::Callable | V::Object(Object::Null | Object::Id(0)) => 0,
            V::Bool(_) => 4,
            V::Int(i) => {
                if i32::try_from(*i).is_ok() {
                    4
                } else {
                    8
                }
            }
            V::Float(x) => {
                if f64::from(*x as f32) == *x {
                    4
                } else {
                    8
                }
            }
            V::Vector2(_) => reals(2),
            V::Rect2(_) | V::Vector4(_) | V::Plane(_) | V::Quaternion(_) => reals(4),
            V::Vector3(_) => reals(3),
            V::Transform2D(_) | V::Aabb(_) => reals(6),
            V::Basis(_) => reals(9),
            V::Transform3D(_) => reals(12),
            V::Projection(_) => reals(16),
            V::Vector2i(_) => 8,
            V::Vector3i(_) => 12,
            V::Rect2i(_) | V::Vector4i(_) | V::Color(_) => 16,
            V::Rid(_) | V::Object(Object::Id(_)) => 8,
            V::String(s) | V::StringName(s) => {
                self.string(s.len());
                0
            }
            V::NodePath(p) => {
                self.add(12, Kind::Fixed);
                for s in p.names.iter().chain(&p.subnames) {
                    self.string(s.len());
                }
                0
            }
            V::Signal(s) => {
                self.string(s.name.len());
                8
            }
            V::Object(Object::Full(o)) => {
                self.string(o.class_name.len());
                self.add(4, Kind::Fixed);
                for (k, x) in &o.properties {
                    self.string(k.len());
                    self.value(x, e);
                }
                0
            }
            V::Array(a) => {
                self.descriptor(&a.element_type, e);
                self.add(4, Kind::Fixed);
                for x in &a.elements {
                    self.value(x, e);
                }
                0
            }
            V::Dictionary(d) => {
                self.descriptor(&d.key_type, e);
                self.descriptor(&d.value_type, e);
                self.add(4, Kind::Fixed);
                for (k, x) in d.iter() {
                    self.value(k, e);
                    self.value(x, e);
                }
                0
            }
            V::PackedByteArray(b) => {
                self.add(4 + b.len(), Kind::Fixed);
                self.add((4 - b.len() % 4) % 4, Kind::BytePad);
                0
            }
            V::PackedInt32Array(a) => 4 + a.len() * 4,
            V::PackedFloat32Array(a) => 4 + a.len() * 4,
            V::PackedInt64Array(a) => 4 + a.len() * 8,
            V::PackedFloat64Array(a) => 4 + a.len() * 8,
            V::PackedColorArray(a) => 4 + a.len() * 16,
            V::PackedVector2Array(a) => 4 + a.len() * reals(2),
            V::PackedVector3Array(a) => 4 + a.len() * reals(3),
            V::PackedVector4Array(a) => 4 + a.len() * reals(4),
            V::PackedStringArray(a) => {
                self.add(4, Kind::Fixed);
                for s in a {
                    self.add(4, Kind::Fixed);
                    let n = s.len() + 1;
                    self.add(n + (4 - n % 4) % 4, Kind::Str);
                }
                0
            }
        };
        self.add(fixed, Kind::Fixed);
    }
    /// What decoding the first `cut` bytes must give: Ok(()) or the error code.
    fn expect_prefix(&self, cut: usize, total: usize) -> Result<(), Error> {
        let mut pos = 0;
        for &(n, k) in &self.0 {
            if cut < pos + n {
                return match k {
                    Kind::Str => Err(Error::FileEof),
                    Kind::BytePad if pos + n == total => Ok(()),
                    _ => Err(Error::InvalidData),
                };
            }
            pos += n;
        }
        unreachable!("cut {cut} not inside the layout of {total} bytes")
    }
}

// ---------------------------------------------------------------- properties

fn check(v: &Variant, e: &EncodeOptions, d: &DecodeOptions) -> Result<(), TestCaseError> {
    let encoded = encode(v, e);
    if has_full_object(v) && !e.full_objects {
        let err = encoded.expect_err("full object without full_objects must fail");
        prop_assert_eq!(err.code, Error::InvalidParameter);
        return Ok(());
    }
    let bytes = encoded.map_err(|x| TestCaseError::fail(format!("encode: {x}")))?;
    prop_assert_eq!(bytes.len() % 4, 0);
    prop_assert_eq!(encoded_len(v, e).unwrap(), bytes.len());
    let mut layout = Layout(Vec::new());
    layout.value(v, e);
    prop_assert_eq!(
        layout.0.iter().map(|x| x.0).sum::<usize>(),
        bytes.len(),
        "layout model disagrees with the encoding"
    );
    let decoded = decode(&bytes, d);
    if has_full_object(v) && !d.allow_objects {
        prop_assert_eq!(decoded.unwrap_err().code, Error::Unauthorized);
        return Ok(());
    }
    let (got, used) = decoded.map_err(|x| TestCaseError::fail(format!("decode: {x}")))?;
    let want = norm(v, e, d);
    prop_assert_eq!(&got, &want);
    prop_assert_eq!(used, bytes.len());
    // Every strict prefix.
    for cut in 0..bytes.len() {
        let r = decode(&bytes[..cut], d);
        match (layout.expect_prefix(cut, bytes.len()), r) {
            (Ok(()), Ok((x, used))) => {
                prop_assert_eq!(&x, &want);
                prop_assert_eq!(used, cut);
            }
            (Err(code), Err(err)) => {
                prop_assert_eq!(code, err.code, "prefix {} of {}: {}", cut, bytes.len(), err);
                prop_assert!(err.offset <= cut);
            }
            (want, got) => {
                return Err(TestCaseError::fail(format!(
                    "prefix {cut} of {}: want {want:?}, got {got:?}",
                    bytes.len()
                )))
            }
        }
    }
    // Trailing bytes are ignored.
    let mut longer = bytes.clone();
    longer.extend_from_slice(&[0xff; 5]);
    let (x, used) = decode(&longer, d).unwrap();
    prop_assert_eq!(&x, &want);
    prop_assert_eq!(used, bytes.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn round_trip_with_prefixes(v in value(), (e, d) in options()) {
        check(&v, &e, &d)?;
    }

    #[test]
    fn leaves_round_trip(v in leaf(), (e, d) in options()) {
        check(&v, &e, &d)?;
    }
}
