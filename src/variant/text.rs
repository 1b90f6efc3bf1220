//! The text form of a Variant, for logs and debugging, close to Godot's `str()`; and NodePath's
//! path syntax (`/root/a/b:prop:sub`).
//!
//! The text form is for people, not for parsing back. Its shape:
//! - `<null>` for NIL and null objects, `true`/`false`, integers in decimal, floats with a decimal
//!   point (`1.0`, `0.1`, `inf`, `nan`);
//! - math types as Godot prints them, components without a trailing `.0`: `(1, 2)`,
//!   `[P: (0, 0), S: (4, 3)]`, `[X: (1, 0), Y: (0, 1), O: (5, 6)]` (matrices are printed by columns);
//! - strings as they are at the top level; inside containers quoted and escaped: `"a"`, StringName
//!   `&"a"`, NodePath `^"a/b:c"`;
//! - `[1, "a"]` for arrays and packed arrays, `{ "k": 1 }` for dictionaries, `<Object#1234>` for objects
//!   sent by id, `<Node { "name": "x" }>` for objects sent in full, `RID(5)`, `Callable()`,
//!   `Signal(<Object#7>, "done")`.
//!
//! [`to_text_bounded`] caps the output so that logging a huge value stays cheap: formatting stops as
//! soon as the cap is reached.
#![forbid(unsafe_code)]

use std::fmt::{self, Write};

use super::{
    Array, Basis, Color, ContainerType, Dictionary, NodePath, Object, Real, Variant, Vector2,
    Vector3, Vector4,
};
use crate::error::Error;

/// Containers nested deeper than this print as `…`: keeps formatting's recursion shallow (a few KiB
/// of stack) whatever the value, and no log needs more.
const MAX_TEXT_DEPTH: usize = 64;

/// The ellipsis appended to cut text.
pub const ELLIPSIS: &str = "\u{2026}";

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_variant(f, self, 0, false)
    }
}

/// The text form of `v`, at most `max_len` bytes long. Longer text is cut at a UTF-8 character
/// boundary and ends with `…` (which counts toward `max_len`). Only about `max_len` bytes of work are
/// done whatever the size of `v`.
pub fn to_text_bounded(v: &Variant, max_len: usize) -> String {
    let mut w = Bounded {
        buf: String::new(),
        max: max_len,
        full: false,
    };
    // An error here only means the cap was reached.
    let _ = write_variant(&mut w, v, 0, false);
    if w.full {
        let keep = max_len.saturating_sub(ELLIPSIS.len());
        let mut cut = keep.min(w.buf.len());
        while !w.buf.is_char_boundary(cut) {
            cut -= 1;
        }
        w.buf.truncate(cut);
        if w.buf.len() + ELLIPSIS.len() <= max_len {
            w.buf.push_str(ELLIPSIS);
        }
    }
    w.buf
}

/// A `fmt::Write` that keeps at most `max` bytes and then fails, which stops the formatting.
struct Bounded {
    buf: String,
    max: usize,
    full: bool,
}

impl Write for Bounded {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = self.max - self.buf.len();
        if s.len() <= room {
            self.buf.push_str(s);
            Ok(())
        } else {
            let mut cut = room;
            while !s.is_char_boundary(cut) {
                cut -= 1;
            }
            self.buf.push_str(&s[..cut]);
            self.full = true;
            Err(fmt::Error)
        }
    }
}

/// A real_t component: values exact in f32 (everything a standard build sends) print with f32's
/// shortest form, so `0.1` sent by the engine prints as `0.1`; whole numbers print without `.0`.
fn write_real(w: &mut dyn Write, x: Real) -> fmt::Result {
    if x.is_nan() {
        return w.write_str("nan");
    }
    if x.is_infinite() {
        return w.write_str(if x > 0.0 { "inf" } else { "-inf" });
    }
    if x == x.trunc() && x.abs() < 1e15 {
        if x == 0.0 && x.is_sign_negative() {
            return w.write_str("-0");
        }
        return write!(w, "{}", x as i64);
    }
    let narrow = x as f32;
    if f64::from(narrow) == x {
        write!(w, "{narrow:?}")
    } else {
        write!(w, "{x:?}")
    }
}

/// A FLOAT value: always shows it is a float (`1.0`, `0.1`, `1e300`, `inf`, `nan`).
fn write_float(w: &mut dyn Write, x: f64) -> fmt::Result {
    if x.is_nan() {
        w.write_str("nan")
    } else if x.is_infinite() {
        w.write_str(if x > 0.0 { "inf" } else { "-inf" })
    } else {
        write!(w, "{x:?}")
    }
}

fn write_tuple(w: &mut dyn Write, parts: &[Real]) -> fmt::Result {
    w.write_char('(')?;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            w.write_str(", ")?;
        }
        write_real(w, *p)?;
    }
    w.write_char(')')
}

fn write_ituple(w: &mut dyn Write, parts: &[i32]) -> fmt::Result {
    w.write_char('(')?;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            w.write_str(", ")?;
        }
        write!(w, "{p}")?;
    }
    w.write_char(')')
}

fn v2(v: &Vector2) -> [Real; 2] {
    [v.x, v.y]
}
fn v3(v: &Vector3) -> [Real; 3] {
    [v.x, v.y, v.z]
}
fn v4(v: &Vector4) -> [Real; 4] {
    [v.x, v.y, v.z, v.w]
}

/// `[A: (..), B: (..)]` with one labelled tuple per part.
fn write_labelled(w: &mut dyn Write, parts: &[(&str, &[Real])]) -> fmt::Result {
    w.write_char('[')?;
    for (i, (label, p)) in parts.iter().enumerate() {
        if i > 0 {
            w.write_str(", ")?;
        }
        w.write_str(label)?;
        w.write_str(": ")?;
        write_tuple(w, p)?;
    }
    w.write_char(']')
}

/// Basis columns (the model stores rows, as on the wire; Godot prints columns).
fn basis_columns(b: &Basis) -> [[Real; 3]; 3] {
    let r = &b.rows;
    [
        [r[0].x, r[1].x, r[2].x],
        [r[0].y, r[1].y, r[2].y],
        [r[0].z, r[1].z, r[2].z],
    ]
}

/// A string quoted and escaped, as shown inside containers.
fn write_quoted(w: &mut dyn Write, prefix: &str, s: &str) -> fmt::Result {
    w.write_str(prefix)?;
    w.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => w.write_str("\\\"")?,
            '\\' => w.write_str("\\\\")?,
            '\n' => w.write_str("\\n")?,
            '\r' => w.write_str("\\r")?,
            '\t' => w.write_str("\\t")?,
            c if c.is_control() => write!(w, "\\u{{{:x}}}", c as u32)?,
            c => w.write_char(c)?,
        }
    }
    w.write_char('"')
}

fn write_list<T>(
    w: &mut dyn Write,
    items: &[T],
    mut each: impl FnMut(&mut dyn Write, &T) -> fmt::Result,
) -> fmt::Result {
    w.write_char('[')?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            w.write_str(", ")?;
        }
        each(w, item)?;
    }
    w.write_char(']')
}

fn write_object(w: &mut dyn Write, o: &Object, depth: usize) -> fmt::Result {
    match o {
        Object::Null => w.write_str("<null>"),
        Object::Id(id) => write!(w, "<Object#{id}>"),
        Object::Full(full) => {
            write!(w, "<{}", full.class_name)?;
            if !full.properties.is_empty() {
                w.write_str(" { ")?;
                for (i, (name, value)) in full.properties.iter().enumerate() {
                    if i > 0 {
                        w.write_str(", ")?;
                    }
                    write_quoted(w, "", name)?;
                    w.write_str(": ")?;
                    write_variant(w, value, depth + 1, true)?;
                }
                w.write_str(" }")?;
            }
            w.write_char('>')
        }
    }
}

fn write_array(w: &mut dyn Write, a: &Array, depth: usize) -> fmt::Result {
    write_list(w, &a.elements, |w, e| write_variant(w, e, depth + 1, true))
}

fn write_dictionary(w: &mut dyn Write, d: &Dictionary, depth: usize) -> fmt::Result {
    if d.is_empty() {
        return w.write_str("{}");
    }
    w.write_str("{ ")?;
    for (i, (k, v)) in d.iter().enumerate() {
        if i > 0 {
            w.write_str(", ")?;
        }
        write_variant(w, k, depth + 1, true)?;
        w.write_str(": ")?;
        write_variant(w, v, depth + 1, true)?;
    }
    w.write_str(" }")
}

/// Writes `v`; `quoted` is set inside containers, where strings are quoted.
fn write_variant(w: &mut dyn Write, v: &Variant, depth: usize, quoted: bool) -> fmt::Result {
    use Variant as V;
    if depth > MAX_TEXT_DEPTH {
        return w.write_str(ELLIPSIS);
    }
    match v {
        V::Nil => w.write_str("<null>"),
        V::Bool(b) => w.write_str(if *b { "true" } else { "false" }),
        V::Int(i) => write!(w, "{i}"),
        V::Float(x) => write_float(w, *x),
        V::String(s) if quoted => write_quoted(w, "", s),
        V::String(s) => w.write_str(s),
        V::Vector2(p) => write_tuple(w, &v2(p)),
        V::Vector2i(p) => write_ituple(w, &[p.x, p.y]),
        V::Rect2(r) => write_labelled(w, &[("P", &v2(&r.position)), ("S", &v2(&r.size))]),
        V::Rect2i(r) => {
            w.write_str("[P: ")?;
            write_ituple(w, &[r.position.x, r.position.y])?;
            w.write_str(", S: ")?;
            write_ituple(w, &[r.size.x, r.size.y])?;
            w.write_char(']')
        }
        V::Vector3(p) => write_tuple(w, &v3(p)),
        V::Vector3i(p) => write_ituple(w, &[p.x, p.y, p.z]),
        V::Transform2D(t) => {
            let c = &t.columns;
            write_labelled(
                w,
                &[("X", &v2(&c[0])), ("Y", &v2(&c[1])), ("O", &v2(&c[2]))],
            )
        }
        V::Vector4(p) => write_tuple(w, &v4(p)),
        V::Vector4i(p) => write_ituple(w, &[p.x, p.y, p.z, p.w]),
        V::Plane(p) => {
            w.write_str("[N: ")?;
            write_tuple(w, &v3(&p.normal))?;
            w.write_str(", D: ")?;
            write_real(w, p.d)?;
            w.write_char(']')
        }
        V::Quaternion(q) => write_tuple(w, &[q.x, q.y, q.z, q.w]),
        V::Aabb(a) => write_labelled(w, &[("P", &v3(&a.position)), ("S", &v3(&a.size))]),
        V::Basis(b) => {
            let c = basis_columns(b);
            write_labelled(w, &[("X", &c[0]), ("Y", &c[1]), ("Z", &c[2])])
        }
        V::Transform3D(t) => {
            let c = basis_columns(&t.basis);
            write_labelled(
                w,
                &[
                    ("X", &c[0]),
                    ("Y", &c[1]),
                    ("Z", &c[2]),
                    ("O", &v3(&t.origin)),
                ],
            )
        }
        V::Projection(p) => {
            let c = &p.columns;
            write_labelled(
                w,
                &[
                    ("X", &v4(&c[0])),
                    ("Y", &v4(&c[1])),
                    ("Z", &v4(&c[2])),
                    ("W", &v4(&c[3])),
                ],
            )
        }
        V::Color(c) => write_color(w, c),
        V::StringName(s) if quoted => write_quoted(w, "&", s),
        V::StringName(s) => w.write_str(s),
        V::NodePath(p) if quoted => write_quoted(w, "^", &p.to_string()),
        V::NodePath(p) => write!(w, "{p}"),
        V::Rid(id) => write!(w, "RID({id})"),
        V::Object(o) => write_object(w, o, depth),
        V::Callable => w.write_str("Callable()"),
        V::Signal(s) => {
            write!(w, "Signal(<Object#{}>, ", s.object_id)?;
            write_quoted(w, "", &s.name)?;
            w.write_char(')')
        }
        V::Dictionary(d) => write_dictionary(w, d, depth),
        V::Array(a) => write_array(w, a, depth),
        V::PackedByteArray(a) => write_list(w, a, |w, x| write!(w, "{x}")),
        V::PackedInt32Array(a) => write_list(w, a, |w, x| write!(w, "{x}")),
        V::PackedInt64Array(a) => write_list(w, a, |w, x| write!(w, "{x}")),
        V::PackedFloat32Array(a) => write_list(w, a, |w, x| write_float(w, f64::from(*x))),
        V::PackedFloat64Array(a) => write_list(w, a, |w, x| write_float(w, *x)),
        V::PackedStringArray(a) => write_list(w, a, |w, s| write_quoted(w, "", s)),
        V::PackedVector2Array(a) => write_list(w, a, |w, p| write_tuple(w, &v2(p))),
        V::PackedVector3Array(a) => write_list(w, a, |w, p| write_tuple(w, &v3(p))),
        V::PackedColorArray(a) => write_list(w, a, |w, c| write_color(w, c)),
        V::PackedVector4Array(a) => write_list(w, a, |w, p| write_tuple(w, &v4(p))),
    }
}

fn write_color(w: &mut dyn Write, c: &Color) -> fmt::Result {
    write_tuple(
        w,
        &[c.r.into(), c.g.into(), c.b.into(), c.a.into()] as &[Real; 4],
    )
}

impl fmt::Display for ContainerType {
    /// `Variant` for untyped, else the type or class name (`int`, `Node`, `res://player.gd`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContainerType::Any => f.write_str("Variant"),
            ContainerType::Builtin(t) => f.write_str(t.name()),
            ContainerType::Class(name) | ContainerType::Script(name) => f.write_str(name),
        }
    }
}

impl NodePath {
    /// Parses Godot's path syntax like `NodePath("…")` does: a leading `/` makes the path absolute,
    /// `/`-separated names (empty ones are skipped, so `a//b` is `a/b`), then `:`-separated subnames.
    /// A trailing `:` is allowed; an empty subname elsewhere (`a::b`) is `Error::InvalidParameter`.
    /// `""` is the empty path.
    pub fn parse(text: &str) -> Result<NodePath, Error> {
        let absolute = text.starts_with('/');
        let (path, sub) = match text.split_once(':') {
            Some((p, s)) => (p, Some(s)),
            None => (text, None),
        };
        let mut subnames = Vec::new();
        if let Some(sub) = sub {
            let parts: Vec<&str> = sub.split(':').collect();
            let last = parts.len() - 1;
            for (i, part) in parts.iter().enumerate() {
                if part.is_empty() {
                    if i == last {
                        continue;
                    }
                    return Err(Error::InvalidParameter);
                }
                subnames.push((*part).to_owned());
            }
        }
        let names = path
            .split('/')
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .collect();
        Ok(NodePath {
            names,
            subnames,
            absolute,
        })
    }
}

impl fmt::Display for NodePath {
    /// Godot's path syntax: `/` if absolute, names joined by `/`, each subname after a `:`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.absolute {
            f.write_char('/')?;
        }
        for (i, n) in self.names.iter().enumerate() {
            if i > 0 {
                f.write_char('/')?;
            }
            f.write_str(n)?;
        }
        for s in &self.subnames {
            f.write_char(':')?;
            f.write_str(s)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::variant::{
        FullObject, Plane, Quaternion, Rect2, Signal, Transform2D, VariantType, Vector2i, Vector3i,
    };

    fn s(v: &Variant) -> String {
        v.to_string()
    }

    #[test]
    fn scalars() {
        assert_eq!(s(&Variant::Nil), "<null>");
        assert_eq!(s(&Variant::Bool(true)), "true");
        assert_eq!(s(&Variant::Int(-42)), "-42");
        assert_eq!(s(&Variant::Float(1.0)), "1.0");
        assert_eq!(s(&Variant::Float(0.1)), "0.1");
        assert_eq!(s(&Variant::Float(f64::NAN)), "nan");
        assert_eq!(s(&Variant::Float(f64::NEG_INFINITY)), "-inf");
        assert_eq!(s(&Variant::String("a \"b\"".into())), "a \"b\"");
        assert_eq!(s(&Variant::StringName("n".into())), "n");
        assert_eq!(s(&Variant::Rid(5)), "RID(5)");
        assert_eq!(s(&Variant::Callable), "Callable()");
    }

    #[test]
    fn math() {
        let v2 = |x, y| Vector2 { x, y };
        assert_eq!(s(&Variant::Vector2(v2(1.0, 2.0))), "(1, 2)");
        assert_eq!(s(&Variant::Vector2(v2(0.5, -0.0))), "(0.5, -0)");
        // 0.1 as an f32 component, as a standard build sends it.
        assert_eq!(
            s(&Variant::Vector2(v2(f64::from(0.1f32), 0.1))),
            "(0.1, 0.1)"
        );
        assert_eq!(s(&Variant::Vector2i(Vector2i { x: 1, y: -2 })), "(1, -2)");
        assert_eq!(
            s(&Variant::Vector3i(Vector3i { x: 1, y: 2, z: 3 })),
            "(1, 2, 3)"
        );
        assert_eq!(
            s(&Variant::Rect2(Rect2 {
                position: v2(0.0, 1.0),
                size: v2(4.0, 3.0)
            })),
            "[P: (0, 1), S: (4, 3)]"
        );
        let t = Transform2D {
            columns: [v2(1.0, 0.0), v2(0.0, 1.0), v2(5.0, 6.0)],
        };
        assert_eq!(
            s(&Variant::Transform2D(Box::new(t))),
            "[X: (1, 0), Y: (0, 1), O: (5, 6)]"
        );
        let plane = Plane {
            normal: Vector3 {
                x: 0.0,
                y: 1.0,
                z: 0.0,
            },
            d: 2.0,
        };
        assert_eq!(s(&Variant::Plane(plane)), "[N: (0, 1, 0), D: 2]");
        let q = Quaternion {
            x: 0.0,
            y: 0.0,
            z: 0.0,
            w: 1.0,
        };
        assert_eq!(s(&Variant::Quaternion(q)), "(0, 0, 0, 1)");
        // Rows 1 2 3 / 4 5 6 / 7 8 9 print as columns.
        let row = |x, y, z| Vector3 { x, y, z };
        let b = Basis {
            rows: [row(1.0, 2.0, 3.0), row(4.0, 5.0, 6.0), row(7.0, 8.0, 9.0)],
        };
        assert_eq!(
            s(&Variant::Basis(Box::new(b))),
            "[X: (1, 4, 7), Y: (2, 5, 8), Z: (3, 6, 9)]"
        );
        let c = Color {
            r: 1.0,
            g: 0.5,
            b: 0.25,
            a: 1.0,
        };
        assert_eq!(s(&Variant::Color(c)), "(1, 0.5, 0.25, 1)");
    }

    #[test]
    fn containers_quote_strings() {
        let a = Array {
            element_type: ContainerType::Any,
            elements: vec![
                Variant::Int(1),
                Variant::String("a\"\n".into()),
                Variant::StringName("sn".into()),
                Variant::NodePath(Box::new(NodePath::parse("/root/x:p").unwrap())),
            ],
        };
        assert_eq!(
            s(&Variant::Array(Box::new(a))),
            r#"[1, "a\"\n", &"sn", ^"/root/x:p"]"#
        );
        let mut d = Dictionary::new();
        assert_eq!(s(&Variant::Dictionary(Box::new(d.clone()))), "{}");
        d.insert(Variant::String("k".into()), Variant::Int(1));
        d.insert(Variant::Int(2), Variant::PackedByteArray(vec![1, 2]));
        assert_eq!(
            s(&Variant::Dictionary(Box::new(d))),
            r#"{ "k": 1, 2: [1, 2] }"#
        );
        assert_eq!(
            s(&Variant::PackedStringArray(vec!["x".into(), "y".into()])),
            r#"["x", "y"]"#
        );
        assert_eq!(
            s(&Variant::PackedFloat32Array(vec![1.5, 2.0])),
            "[1.5, 2.0]"
        );
    }

    #[test]
    fn objects_and_signals() {
        assert_eq!(s(&Variant::Object(Object::Null)), "<null>");
        assert_eq!(s(&Variant::Object(Object::Id(1234))), "<Object#1234>");
        let full = FullObject {
            class_name: "Node".into(),
            properties: vec![("name".into(), Variant::String("x".into()))],
        };
        assert_eq!(
            s(&Variant::Object(Object::Full(Box::new(full)))),
            r#"<Node { "name": "x" }>"#
        );
        let sig = Signal {
            name: "done".into(),
            object_id: 7,
        };
        assert_eq!(s(&Variant::Signal(sig)), r#"Signal(<Object#7>, "done")"#);
    }

    #[test]
    fn bounded_output_is_cut_early() {
        let big = Variant::PackedByteArray(vec![7; 16 << 20]);
        let t = to_text_bounded(&big, 20);
        assert!(t.len() <= 20, "{t}");
        assert!(t.starts_with("[7, 7, 7"));
        assert!(t.ends_with(ELLIPSIS));
        // Text that fits is untouched.
        assert_eq!(to_text_bounded(&Variant::Int(12), 2), "12");
        assert_eq!(to_text_bounded(&Variant::Int(123), 2), "");
        assert_eq!(to_text_bounded(&Variant::Int(12345), 4), "1…");
        // Multi-byte characters are never split.
        let e = Variant::String("ééééé".into());
        let t = to_text_bounded(&e, 8);
        assert_eq!(t, "éé…");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut v = Variant::Int(1);
        for _ in 0..(MAX_TEXT_DEPTH + 10) {
            v = Variant::Array(Box::new(Array {
                element_type: ContainerType::Any,
                elements: vec![v],
            }));
        }
        let t = v.to_string();
        assert!(t.contains(ELLIPSIS));
        assert!(!t.contains('1'));
    }

    #[test]
    fn node_path_syntax() {
        let p = NodePath::parse("/root/a:prop:sub").unwrap();
        assert!(p.absolute);
        assert_eq!(p.names, ["root", "a"]);
        assert_eq!(p.subnames, ["prop", "sub"]);
        assert_eq!(p.to_string(), "/root/a:prop:sub");
        let p = NodePath::parse("a//b:c:").unwrap();
        assert_eq!(p.names, ["a", "b"]);
        assert_eq!(p.subnames, ["c"]);
        assert!(!p.absolute);
        assert_eq!(p.to_string(), "a/b:c");
        assert_eq!(NodePath::parse("").unwrap(), NodePath::default());
        let p = NodePath::parse(":a:b").unwrap();
        assert!(p.names.is_empty());
        assert_eq!(p.subnames, ["a", "b"]);
        assert_eq!(p.to_string(), ":a:b");
        assert_eq!(NodePath::parse("/").unwrap().to_string(), "/");
        assert_eq!(NodePath::parse("a::b"), Err(Error::InvalidParameter));
    }

    #[test]
    fn container_type_names() {
        assert_eq!(ContainerType::Any.to_string(), "Variant");
        assert_eq!(ContainerType::Builtin(VariantType::Int).to_string(), "int");
        assert_eq!(ContainerType::Class("Node".into()).to_string(), "Node");
    }

    use proptest::prelude::*;

    fn arb_variant() -> impl Strategy<Value = Variant> {
        let leaf = prop_oneof![
            any::<i64>().prop_map(Variant::Int),
            any::<f64>().prop_map(Variant::Float),
            ".{0,6}".prop_map(|s| Variant::String(s.into())),
            ".{0,6}".prop_map(|s| Variant::StringName(s.into())),
            prop::collection::vec(any::<u8>(), 0..20).prop_map(Variant::PackedByteArray),
            (any::<f64>(), any::<f64>()).prop_map(|(x, y)| Variant::Vector2(Vector2 { x, y })),
        ];
        leaf.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(|elements| {
                    Variant::Array(Box::new(Array {
                        element_type: ContainerType::Any,
                        elements,
                    }))
                }),
                prop::collection::vec((inner.clone(), inner), 0..4).prop_map(|pairs| {
                    let mut d = Dictionary::new();
                    for (k, v) in pairs {
                        d.insert(k, v);
                    }
                    Variant::Dictionary(Box::new(d))
                }),
            ]
        })
    }

    proptest! {
        /// Cut text is at most `max` bytes, a prefix of the full text, and marked with `…`.
        #[test]
        fn bounded_text_is_a_marked_prefix(v in arb_variant(), max in 0usize..80) {
            let full = v.to_string();
            let cut = to_text_bounded(&v, max);
            prop_assert!(cut.len() <= max);
            if full.len() <= max {
                prop_assert_eq!(&cut, &full);
            } else if max >= ELLIPSIS.len() {
                let body = cut.strip_suffix(ELLIPSIS).unwrap();
                prop_assert!(full.starts_with(body));
            } else {
                prop_assert!(cut.is_empty());
            }
        }

        /// Paths made of plain names print and parse back to themselves.
        #[test]
        fn node_path_text_round_trips(
            names in prop::collection::vec("[a-zA-Z0-9_ .é]{1,5}", 0..4),
            subnames in prop::collection::vec("[a-zA-Z0-9_ .é]{1,5}", 0..3),
            absolute in any::<bool>(),
        ) {
            let p = NodePath { names, subnames, absolute };
            prop_assert_eq!(NodePath::parse(&p.to_string()), Ok(p));
        }
    }
}
