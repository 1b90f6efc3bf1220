//! The math types as flat component lists, in the order Godot's `var_to_str` writes them
//! (`Vector2(x, y)`, `Rect2(px, py, sx, sy)`, `Transform2D(xx, xy, yx, yy, ox, oy)` by columns,
//! `Basis(…)` and `Transform3D(…)` by rows then origin, `Projection(…)` by columns). One table for
//! both the text form and the JSON form.

use packetpeer::variant::*;

/// `(name, real components)` of a real-valued math type, or None.
pub fn real_parts(v: &Variant) -> Option<(&'static str, Vec<Real>)> {
    use Variant as V;
    let v3 = |p: &Vector3| [p.x, p.y, p.z];
    Some(match v {
        V::Vector2(p) => ("Vector2", vec![p.x, p.y]),
        V::Rect2(r) => (
            "Rect2",
            vec![r.position.x, r.position.y, r.size.x, r.size.y],
        ),
        V::Vector3(p) => ("Vector3", v3(p).to_vec()),
        V::Transform2D(t) => (
            "Transform2D",
            t.columns.iter().flat_map(|c| [c.x, c.y]).collect(),
        ),
        V::Vector4(p) => ("Vector4", vec![p.x, p.y, p.z, p.w]),
        V::Plane(p) => ("Plane", vec![p.normal.x, p.normal.y, p.normal.z, p.d]),
        V::Quaternion(q) => ("Quaternion", vec![q.x, q.y, q.z, q.w]),
        V::Aabb(a) => ("AABB", [v3(&a.position), v3(&a.size)].concat()),
        V::Basis(b) => ("Basis", b.rows.iter().flat_map(v3).collect()),
        V::Transform3D(t) => (
            "Transform3D",
            t.basis
                .rows
                .iter()
                .chain(std::iter::once(&t.origin))
                .flat_map(v3)
                .collect(),
        ),
        V::Projection(p) => (
            "Projection",
            p.columns
                .iter()
                .flat_map(|c| [c.x, c.y, c.z, c.w])
                .collect(),
        ),
        V::Color(c) => (
            "Color",
            vec![c.r.into(), c.g.into(), c.b.into(), c.a.into()],
        ),
        _ => return None,
    })
}

/// `(name, integer components)` of an integer math type, or None.
pub fn int_parts(v: &Variant) -> Option<(&'static str, Vec<i32>)> {
    use Variant as V;
    Some(match v {
        V::Vector2i(p) => ("Vector2i", vec![p.x, p.y]),
        V::Rect2i(r) => (
            "Rect2i",
            vec![r.position.x, r.position.y, r.size.x, r.size.y],
        ),
        V::Vector3i(p) => ("Vector3i", vec![p.x, p.y, p.z]),
        V::Vector4i(p) => ("Vector4i", vec![p.x, p.y, p.z, p.w]),
        _ => return None,
    })
}

/// How many components the math type `name` has, and whether they are integers.
pub fn arity(name: &str) -> Option<(usize, bool)> {
    Some(match name {
        "Vector2" => (2, false),
        "Rect2" => (4, false),
        "Vector3" => (3, false),
        "Transform2D" => (6, false),
        "Vector4" => (4, false),
        "Plane" => (4, false),
        "Quaternion" => (4, false),
        "AABB" => (6, false),
        "Basis" => (9, false),
        "Transform3D" => (12, false),
        "Projection" => (16, false),
        "Color" => (4, false),
        "Vector2i" => (2, true),
        "Rect2i" => (4, true),
        "Vector3i" => (3, true),
        "Vector4i" => (4, true),
        _ => return None,
    })
}

fn vec3(c: &[Real]) -> Vector3 {
    Vector3 {
        x: c[0],
        y: c[1],
        z: c[2],
    }
}

fn vec4(c: &[Real]) -> Vector4 {
    Vector4 {
        x: c[0],
        y: c[1],
        z: c[2],
        w: c[3],
    }
}

/// Builds the real math type `name` from exactly `arity(name)` components.
pub fn from_real_parts(name: &str, c: &[Real]) -> Option<Variant> {
    use Variant as V;
    let (n, ints) = arity(name)?;
    if ints || c.len() != n {
        return None;
    }
    let v2 = |i: usize| Vector2 {
        x: c[i],
        y: c[i + 1],
    };
    Some(match name {
        "Vector2" => V::Vector2(v2(0)),
        "Rect2" => V::Rect2(Rect2 {
            position: v2(0),
            size: v2(2),
        }),
        "Vector3" => V::Vector3(vec3(c)),
        "Transform2D" => V::Transform2D(Box::new(Transform2D {
            columns: [v2(0), v2(2), v2(4)],
        })),
        "Vector4" => V::Vector4(vec4(c)),
        "Plane" => V::Plane(Plane {
            normal: vec3(c),
            d: c[3],
        }),
        "Quaternion" => V::Quaternion(Quaternion {
            x: c[0],
            y: c[1],
            z: c[2],
            w: c[3],
        }),
        "AABB" => V::Aabb(Box::new(Aabb {
            position: vec3(c),
            size: vec3(&c[3..]),
        })),
        "Basis" => V::Basis(Box::new(Basis {
            rows: [vec3(c), vec3(&c[3..]), vec3(&c[6..])],
        })),
        "Transform3D" => V::Transform3D(Box::new(Transform3D {
            basis: Basis {
                rows: [vec3(c), vec3(&c[3..]), vec3(&c[6..])],
            },
            origin: vec3(&c[9..]),
        })),
        "Projection" => V::Projection(Box::new(Projection {
            columns: [vec4(c), vec4(&c[4..]), vec4(&c[8..]), vec4(&c[12..])],
        })),
        "Color" => V::Color(Color {
            r: c[0] as f32,
            g: c[1] as f32,
            b: c[2] as f32,
            a: c[3] as f32,
        }),
        _ => return None,
    })
}

/// Builds the integer math type `name` from exactly `arity(name)` components.
pub fn from_int_parts(name: &str, c: &[i32]) -> Option<Variant> {
    use Variant as V;
    let (n, ints) = arity(name)?;
    if !ints || c.len() != n {
        return None;
    }
    let v2 = |i: usize| Vector2i {
        x: c[i],
        y: c[i + 1],
    };
    Some(match name {
        "Vector2i" => V::Vector2i(v2(0)),
        "Rect2i" => V::Rect2i(Rect2i {
            position: v2(0),
            size: v2(2),
        }),
        "Vector3i" => V::Vector3i(Vector3i {
            x: c[0],
            y: c[1],
            z: c[2],
        }),
        "Vector4i" => V::Vector4i(Vector4i {
            x: c[0],
            y: c[1],
            z: c[2],
            w: c[3],
        }),
        _ => return None,
    })
}

/// Packed array element arity for the packed types whose items are flattened in the text form.
pub fn packed_item_arity(name: &str) -> Option<usize> {
    Some(match name {
        "PackedVector2Array" => 2,
        "PackedVector3Array" => 3,
        "PackedColorArray" | "PackedVector4Array" => 4,
        _ => return None,
    })
}

/// The flattened components of a packed vector / color array, or None for other values.
pub fn packed_parts(v: &Variant) -> Option<(&'static str, Vec<Real>)> {
    use Variant as V;
    Some(match v {
        V::PackedVector2Array(a) => (
            "PackedVector2Array",
            a.iter().flat_map(|p| [p.x, p.y]).collect(),
        ),
        V::PackedVector3Array(a) => (
            "PackedVector3Array",
            a.iter().flat_map(|p| [p.x, p.y, p.z]).collect(),
        ),
        V::PackedColorArray(a) => (
            "PackedColorArray",
            a.iter()
                .flat_map(|c| [c.r.into(), c.g.into(), c.b.into(), c.a.into()])
                .collect(),
        ),
        V::PackedVector4Array(a) => (
            "PackedVector4Array",
            a.iter().flat_map(|p| [p.x, p.y, p.z, p.w]).collect(),
        ),
        _ => return None,
    })
}

/// Builds a packed vector / color array from flattened components (a multiple of its item arity).
pub fn from_packed_parts(name: &str, c: &[Real]) -> Option<Variant> {
    use Variant as V;
    let n = packed_item_arity(name)?;
    if c.len() % n != 0 {
        return None;
    }
    let items = c.chunks_exact(n);
    Some(match name {
        "PackedVector2Array" => {
            V::PackedVector2Array(items.map(|p| Vector2 { x: p[0], y: p[1] }).collect())
        }
        "PackedVector3Array" => V::PackedVector3Array(items.map(vec3).collect()),
        "PackedColorArray" => V::PackedColorArray(
            items
                .map(|p| Color {
                    r: p[0] as f32,
                    g: p[1] as f32,
                    b: p[2] as f32,
                    a: p[3] as f32,
                })
                .collect(),
        ),
        "PackedVector4Array" => V::PackedVector4Array(items.map(vec4).collect()),
        _ => return None,
    })
}
