//! Test helpers shared by the codec test binaries: the value notation of the golden-vector TSV
//! files (see the header comment of `tests/vectors/*.tsv`) and hex helpers.
#![allow(dead_code)]

use packetpeer::variant::*;
use packetpeer::Error;

pub fn hex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex digit"))
        .collect()
}

pub fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// What a notation string denotes: a value, or a decode error.
#[derive(Debug)]
pub enum Expect {
    Value(Variant),
    Error(Error),
}

pub fn parse(s: &str) -> Result<Expect, String> {
    let mut p = P {
        s: s.as_bytes(),
        i: 0,
    };
    let r = if p.eat("error:") {
        let name = p.ident();
        let code = (1..49)
            .filter_map(Error::from_code)
            .find(|e| e.name() == name)
            .ok_or_else(|| format!("unknown error {name}"))?;
        Expect::Error(code)
    } else {
        Expect::Value(p.value()?)
    };
    if p.i != p.s.len() {
        return Err(format!("trailing text at {}: {}", p.i, &s[p.i..]));
    }
    Ok(r)
}

struct P<'a> {
    s: &'a [u8],
    i: usize,
}

const TYPE_NAMES: [(&str, VariantType); 39] = [
    ("nil", VariantType::Nil),
    ("bool", VariantType::Bool),
    ("int", VariantType::Int),
    ("float", VariantType::Float),
    ("string", VariantType::String),
    ("vector2", VariantType::Vector2),
    ("vector2i", VariantType::Vector2i),
    ("rect2", VariantType::Rect2),
    ("rect2i", VariantType::Rect2i),
    ("vector3", VariantType::Vector3),
    ("vector3i", VariantType::Vector3i),
    ("transform2d", VariantType::Transform2D),
    ("vector4", VariantType::Vector4),
    ("vector4i", VariantType::Vector4i),
    ("plane", VariantType::Plane),
    ("quaternion", VariantType::Quaternion),
    ("aabb", VariantType::Aabb),
    ("basis", VariantType::Basis),
    ("transform3d", VariantType::Transform3D),
    ("projection", VariantType::Projection),
    ("color", VariantType::Color),
    ("string_name", VariantType::StringName),
    ("node_path", VariantType::NodePath),
    ("rid", VariantType::Rid),
    ("object", VariantType::Object),
    ("callable", VariantType::Callable),
    ("signal", VariantType::Signal),
    ("dictionary", VariantType::Dictionary),
    ("array", VariantType::Array),
    ("packed_byte_array", VariantType::PackedByteArray),
    ("packed_int32_array", VariantType::PackedInt32Array),
    ("packed_int64_array", VariantType::PackedInt64Array),
    ("packed_float32_array", VariantType::PackedFloat32Array),
    ("packed_float64_array", VariantType::PackedFloat64Array),
    ("packed_string_array", VariantType::PackedStringArray),
    ("packed_vector2_array", VariantType::PackedVector2Array),
    ("packed_vector3_array", VariantType::PackedVector3Array),
    ("packed_color_array", VariantType::PackedColorArray),
    ("packed_vector4_array", VariantType::PackedVector4Array),
];

impl P<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn rest(&self) -> &[u8] {
        &self.s[self.i..]
    }
    fn eat(&mut self, lit: &str) -> bool {
        if self.rest().starts_with(lit.as_bytes()) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }
    fn expect(&mut self, lit: &str) -> Result<(), String> {
        if self.eat(lit) {
            Ok(())
        } else {
            Err(format!(
                "expected {lit:?} at {}: {}",
                self.i,
                String::from_utf8_lossy(self.rest())
            ))
        }
    }
    fn ident(&mut self) -> String {
        let start = self.i;
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_') {
            self.i += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.i]).into_owned()
    }
    fn number_text(&mut self) -> String {
        let start = self.i;
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || b"+-.".contains(&c)) {
            self.i += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.i]).into_owned()
    }
    fn int(&mut self) -> Result<i128, String> {
        let t = self.number_text();
        let (neg, body) = match t.strip_prefix('-') {
            Some(b) => (true, b),
            None => (false, t.as_str()),
        };
        let v = match body.strip_prefix("0x") {
            Some(h) => i128::from_str_radix(h, 16),
            None => body.parse::<i128>(),
        }
        .map_err(|e| format!("bad int {t}: {e}"))?;
        Ok(if neg { -v } else { v })
    }
    fn float(&mut self) -> Result<f64, String> {
        let t = self.number_text();
        t.parse::<f64>().map_err(|e| format!("bad float {t}: {e}"))
    }
    /// A JSON string literal.
    fn json_string(&mut self) -> Result<String, String> {
        self.expect("\"")?;
        let mut units: Vec<u16> = Vec::new();
        let mut out = String::new();
        let flush = |units: &mut Vec<u16>, out: &mut String| {
            out.push_str(&String::from_utf16(units).expect("valid UTF-16 escapes"));
            units.clear();
        };
        loop {
            let c = self.peek().ok_or("unterminated string")?;
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let e = self.peek().ok_or("bad escape")?;
                    self.i += 1;
                    let ch = match e {
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'/' => '/',
                        b'\\' => '\\',
                        b'"' => '"',
                        b'u' => {
                            let h = std::str::from_utf8(&self.s[self.i..self.i + 4]).unwrap();
                            self.i += 4;
                            units.push(u16::from_str_radix(h, 16).map_err(|e| e.to_string())?);
                            continue;
                        }
                        _ => return Err(format!("bad escape {}", e as char)),
                    };
                    flush(&mut units, &mut out);
                    out.push(ch);
                }
                _ => {
                    flush(&mut units, &mut out);
                    // Copy one UTF-8 character.
                    let start = self.i - 1;
                    let mut end = self.i;
                    while end < self.s.len() && (self.s[end] & 0xC0) == 0x80 {
                        end += 1;
                    }
                    out.push_str(std::str::from_utf8(&self.s[start..end]).unwrap());
                    self.i = end;
                }
            }
        }
        flush(&mut units, &mut out);
        Ok(out)
    }
    fn floats(&mut self, open: &str, close: &str) -> Result<Vec<f64>, String> {
        self.expect(open)?;
        let mut v = Vec::new();
        if self.eat(close) {
            return Ok(v);
        }
        loop {
            v.push(self.float()?);
            if self.eat(close) {
                return Ok(v);
            }
            self.expect(",")?;
        }
    }
    fn ints(&mut self, open: &str, close: &str) -> Result<Vec<i128>, String> {
        self.expect(open)?;
        let mut v = Vec::new();
        if self.eat(close) {
            return Ok(v);
        }
        loop {
            v.push(self.int()?);
            if self.eat(close) {
                return Ok(v);
            }
            self.expect(",")?;
        }
    }
    fn fixed<const N: usize>(&mut self) -> Result<[f64; N], String> {
        let v = self.floats("(", ")")?;
        v.try_into()
            .map_err(|v: Vec<f64>| format!("expected {N} numbers, got {}", v.len()))
    }
    fn fixed_i<const N: usize>(&mut self) -> Result<[i32; N], String> {
        let v = self.ints("(", ")")?;
        let v: Vec<i32> = v.into_iter().map(|x| x as i32).collect();
        v.try_into()
            .map_err(|v: Vec<i32>| format!("expected {N} ints, got {}", v.len()))
    }
    fn list<T>(
        &mut self,
        open: &str,
        close: &str,
        mut item: impl FnMut(&mut Self) -> Result<T, String>,
    ) -> Result<Vec<T>, String> {
        self.expect(open)?;
        let mut v = Vec::new();
        if self.eat(close) {
            return Ok(v);
        }
        loop {
            v.push(item(self)?);
            if self.eat(close) {
                return Ok(v);
            }
            self.expect(",")?;
        }
    }
    fn container_type(&mut self) -> Result<ContainerType, String> {
        if self.eat("class:") {
            return Ok(ContainerType::Class(self.json_string()?));
        }
        if self.eat("script:") {
            return Ok(ContainerType::Script(self.json_string()?));
        }
        let name = self.ident();
        if name == "any" {
            return Ok(ContainerType::Any);
        }
        TYPE_NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| {
                if *t == VariantType::Nil {
                    ContainerType::Any
                } else {
                    ContainerType::Builtin(*t)
                }
            })
            .ok_or_else(|| format!("unknown type {name}"))
    }

    fn value(&mut self) -> Result<Variant, String> {
        use Variant as V;
        let v2 = |a: [f64; 2]| Vector2 { x: a[0], y: a[1] };
        let v3 = |a: &[f64]| Vector3 {
            x: a[0],
            y: a[1],
            z: a[2],
        };
        let v4 = |a: &[f64]| Vector4 {
            x: a[0],
            y: a[1],
            z: a[2],
            w: a[3],
        };
        let col = |a: &[f64]| Color {
            r: a[0] as f32,
            g: a[1] as f32,
            b: a[2] as f32,
            a: a[3] as f32,
        };
        // Longest keywords first where one is a prefix of another.
        if self.eat("nil") {
            return Ok(V::Nil);
        }
        if self.eat("bool:") {
            return Ok(V::Bool(self.ident() == "true"));
        }
        if self.eat("int:") {
            return Ok(V::Int(self.int()? as i64));
        }
        if self.eat("float:") {
            return Ok(V::Float(self.float()?));
        }
        if self.eat("string:") {
            return Ok(V::String(self.json_string()?.into()));
        }
        if self.eat("stringname:") {
            return Ok(V::StringName(self.json_string()?.into()));
        }
        if self.eat("nodepath:") {
            return Ok(V::NodePath(Box::new(node_path(&self.json_string()?))));
        }
        if self.eat("vector2i") {
            let [x, y] = self.fixed_i()?;
            return Ok(V::Vector2i(Vector2i { x, y }));
        }
        if self.eat("vector2") {
            return Ok(V::Vector2(v2(self.fixed()?)));
        }
        if self.eat("rect2i") {
            let [a, b, c, d] = self.fixed_i()?;
            return Ok(V::Rect2i(Rect2i {
                position: Vector2i { x: a, y: b },
                size: Vector2i { x: c, y: d },
            }));
        }
        if self.eat("rect2") {
            let [a, b, c, d] = self.fixed()?;
            return Ok(V::Rect2(Rect2 {
                position: v2([a, b]),
                size: v2([c, d]),
            }));
        }
        if self.eat("vector3i") {
            let [x, y, z] = self.fixed_i()?;
            return Ok(V::Vector3i(Vector3i { x, y, z }));
        }
        if self.eat("vector3") {
            let a: [f64; 3] = self.fixed()?;
            return Ok(V::Vector3(v3(&a)));
        }
        if self.eat("transform2d") {
            let a: [f64; 6] = self.fixed()?;
            return Ok(V::Transform2D(Box::new(Transform2D {
                columns: [v2([a[0], a[1]]), v2([a[2], a[3]]), v2([a[4], a[5]])],
            })));
        }
        if self.eat("vector4i") {
            let [x, y, z, w] = self.fixed_i()?;
            return Ok(V::Vector4i(Vector4i { x, y, z, w }));
        }
        if self.eat("vector4") {
            let a: [f64; 4] = self.fixed()?;
            return Ok(V::Vector4(v4(&a)));
        }
        if self.eat("plane") {
            let a: [f64; 4] = self.fixed()?;
            return Ok(V::Plane(Plane {
                normal: v3(&a),
                d: a[3],
            }));
        }
        if self.eat("quaternion") {
            let [x, y, z, w] = self.fixed()?;
            return Ok(V::Quaternion(Quaternion { x, y, z, w }));
        }
        if self.eat("aabb") {
            let a: [f64; 6] = self.fixed()?;
            return Ok(V::Aabb(Box::new(Aabb {
                position: v3(&a[..3]),
                size: v3(&a[3..]),
            })));
        }
        if self.eat("basis") {
            let a: [f64; 9] = self.fixed()?;
            return Ok(V::Basis(Box::new(Basis {
                rows: [v3(&a[0..3]), v3(&a[3..6]), v3(&a[6..9])],
            })));
        }
        if self.eat("transform3d") {
            let a: [f64; 12] = self.fixed()?;
            return Ok(V::Transform3D(Box::new(Transform3D {
                basis: Basis {
                    rows: [v3(&a[0..3]), v3(&a[3..6]), v3(&a[6..9])],
                },
                origin: v3(&a[9..12]),
            })));
        }
        if self.eat("projection") {
            let a: [f64; 16] = self.fixed()?;
            return Ok(V::Projection(Box::new(Projection {
                columns: [v4(&a[0..4]), v4(&a[4..8]), v4(&a[8..12]), v4(&a[12..16])],
            })));
        }
        if self.eat("color") {
            let a: [f64; 4] = self.fixed()?;
            return Ok(V::Color(col(&a)));
        }
        if self.eat("rid:") {
            return Ok(V::Rid(self.int()? as u64));
        }
        if self.eat("object_id:") {
            return Ok(V::Object(Object::Id(self.int()? as u64)));
        }
        if self.eat("object:null") {
            return Ok(V::Object(Object::Null));
        }
        if self.eat("object(") {
            let class_name = self.json_string()?;
            self.expect(")")?;
            let properties = self.list("{", "}", |p| {
                let name = p.json_string()?;
                p.expect(":")?;
                Ok((name, p.value()?))
            })?;
            return Ok(V::Object(Object::Full(Box::new(FullObject {
                class_name,
                properties,
            }))));
        }
        if self.eat("callable") {
            return Ok(V::Callable);
        }
        if self.eat("signal(") {
            let name = self.json_string()?;
            self.expect(",")?;
            let object_id = self.int()? as u64;
            self.expect(")")?;
            return Ok(V::Signal(Signal { name, object_id }));
        }
        if self.eat("array") {
            let mut element_type = ContainerType::Any;
            if self.eat("<") {
                element_type = self.container_type()?;
                self.expect(">")?;
            }
            let elements = self.list("[", "]", |p| p.value())?;
            return Ok(V::Array(Box::new(Array {
                element_type,
                elements,
            })));
        }
        if self.eat("dict") {
            let mut d = Dictionary::new();
            if self.eat("<") {
                d.key_type = self.container_type()?;
                self.expect(",")?;
                d.value_type = self.container_type()?;
                self.expect(">")?;
            }
            let pairs = self.list("{", "}", |p| {
                let k = p.value()?;
                p.expect(":")?;
                Ok((k, p.value()?))
            })?;
            for (k, v) in pairs {
                d.insert(k, v);
            }
            return Ok(V::Dictionary(Box::new(d)));
        }
        if self.eat("packedbytes:") {
            let start = self.i;
            while matches!(self.peek(), Some(c) if c.is_ascii_hexdigit()) {
                self.i += 1;
            }
            return Ok(V::PackedByteArray(hex(std::str::from_utf8(
                &self.s[start..self.i],
            )
            .unwrap())));
        }
        if self.eat("packedint32") {
            let v = self.ints("[", "]")?;
            return Ok(V::PackedInt32Array(
                v.into_iter().map(|x| x as i32).collect(),
            ));
        }
        if self.eat("packedint64") {
            let v = self.ints("[", "]")?;
            return Ok(V::PackedInt64Array(
                v.into_iter().map(|x| x as i64).collect(),
            ));
        }
        if self.eat("packedfloat32") {
            let v = self.floats("[", "]")?;
            return Ok(V::PackedFloat32Array(
                v.into_iter().map(|x| x as f32).collect(),
            ));
        }
        if self.eat("packedfloat64") {
            return Ok(V::PackedFloat64Array(self.floats("[", "]")?));
        }
        if self.eat("packedstrings") {
            return Ok(V::PackedStringArray(
                self.list("[", "]", |p| p.json_string())?,
            ));
        }
        if self.eat("packedvector2") {
            let v = self.list("[", "]", |p| p.fixed::<2>())?;
            return Ok(V::PackedVector2Array(v.into_iter().map(v2).collect()));
        }
        if self.eat("packedvector3") {
            let v = self.list("[", "]", |p| p.fixed::<3>())?;
            return Ok(V::PackedVector3Array(v.iter().map(|a| v3(a)).collect()));
        }
        if self.eat("packedvector4") {
            let v = self.list("[", "]", |p| p.fixed::<4>())?;
            return Ok(V::PackedVector4Array(v.iter().map(|a| v4(a)).collect()));
        }
        if self.eat("packedcolor") {
            let v = self.list("[", "]", |p| p.fixed::<4>())?;
            return Ok(V::PackedColorArray(v.iter().map(|a| col(a)).collect()));
        }
        Err(format!(
            "unknown value at {}: {}",
            self.i,
            String::from_utf8_lossy(self.rest())
        ))
    }
}

/// Godot path syntax: leading `/` = absolute, `/`-separated names, then `:`-separated subnames.
pub fn node_path(s: &str) -> NodePath {
    let absolute = s.starts_with('/');
    let body = if absolute { &s[1..] } else { s };
    let mut parts = body.split(':');
    let names_part = parts.next().unwrap_or("");
    let names = if names_part.is_empty() {
        Vec::new()
    } else {
        names_part.split('/').map(str::to_owned).collect()
    };
    NodePath {
        names,
        subnames: parts.map(str::to_owned).collect(),
        absolute,
    }
}
