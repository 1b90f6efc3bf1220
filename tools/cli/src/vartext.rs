//! Godot's `var_to_str` / `str_to_var` text form, typed so that it reads back to the same value:
//! `null`, `true`, `42`, `1.5`, `"text"`, `&"name"`, `NodePath("a/b:c")`, `Vector2(1, 2)`,
//! `Color(1, 0.5, 0, 1)`, `RID(5)`, `[1, "a"]`, `Array[int]([1, 2])`, `{"k": 1}`,
//! `Dictionary[String, int]({"a": 1})`, `PackedByteArray(1, 2)`, `PackedVector2Array(1, 2, 3, 4)`,
//! `Object(Node, "name": "x")`.
//!
//! Where the engine's writer loses information this form keeps it (documented in the README):
//! an object sent by id is `Object(EncodedObjectAsID, "object_id": 7)` (what the engine decodes it
//! to), a Signal is `Signal(7, "name")` (object id, name), a script-typed container is
//! `Array[Script("res://x.gd")]`, a class type spelled like a builtin is `Class("Object")`. Floats
//! print the shortest text that reads back to the same number; real_t components that are exact in
//! f32 print f32's shortest text (`0.1`, as the engine shows it), unless `real_double` is set.
//! Dictionaries are written on one line.

use packetpeer::variant::*;

use crate::math;

/// Nesting limit of the parser (the codec's own limit).
const MAX_DEPTH: u32 = MAX_RECURSION_DEPTH;

/// Writes `v` in the text form. `real_double`: print real_t components at f64 precision.
pub fn write(v: &Variant, real_double: bool) -> String {
    let mut out = String::new();
    Writer {
        out: &mut out,
        real_double,
    }
    .value(v);
    out
}

struct Writer<'a> {
    out: &'a mut String,
    real_double: bool,
}

/// `inf`, `inf_neg` and `nan` as the engine writes them.
fn special(x: f64) -> Option<&'static str> {
    if x.is_nan() {
        Some("nan")
    } else if x == f64::INFINITY {
        Some("inf")
    } else if x == f64::NEG_INFINITY {
        Some("inf_neg")
    } else {
        None
    }
}

/// A FLOAT value: the shortest text that reads back to the same f64, always with `.` or `e`.
pub fn float_text(x: f64) -> String {
    match special(x) {
        Some(s) => s.to_owned(),
        None => format!("{x:?}"),
    }
}

/// A real_t component: like the engine, whole numbers without `.0`.
pub fn real_text(x: f64, real_double: bool) -> String {
    if let Some(s) = special(x) {
        return s.to_owned();
    }
    let narrow = x as f32;
    let s = if !real_double && f64::from(narrow) == x {
        format!("{narrow:?}")
    } else {
        format!("{x:?}")
    };
    match s.strip_suffix(".0") {
        Some(whole) => whole.to_owned(),
        None => s,
    }
}

/// A string in double quotes, escaped so that it stays on one line.
pub fn quote(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A builtin type name as the text form and `type_string()` spell it.
fn builtin_named(name: &str) -> Option<VariantType> {
    (0..VariantType::COUNT)
        .filter_map(VariantType::from_id)
        .find(|t| t.name() == name)
}

impl Writer<'_> {
    fn s(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn container_type(&mut self, t: &ContainerType) {
        match t {
            ContainerType::Any => self.s("Variant"),
            ContainerType::Builtin(b) => self.s(b.name()),
            ContainerType::Class(c)
                if is_ident(c) && builtin_named(c).is_none() && c != "Variant" =>
            {
                self.s(c)
            }
            ContainerType::Class(c) => {
                self.s("Class(");
                quote(self.out, c);
                self.s(")");
            }
            ContainerType::Script(p) => {
                self.s("Script(");
                quote(self.out, p);
                self.s(")");
            }
        }
    }

    fn list<T>(&mut self, name: &str, items: &[T], mut each: impl FnMut(&mut Self, &T)) {
        self.s(name);
        self.s("(");
        for (i, x) in items.iter().enumerate() {
            if i > 0 {
                self.s(", ");
            }
            each(self, x);
        }
        self.s(")");
    }

    fn value(&mut self, v: &Variant) {
        use Variant as V;
        let rd = self.real_double;
        if let Some((name, parts)) = math::real_parts(v) {
            // Color is always f32 on the wire: its components print as f32.
            let rd = rd && name != "Color";
            return self.list(name, &parts, |w, x| w.s(&real_text(*x, rd)));
        }
        if let Some((name, parts)) = math::int_parts(v) {
            return self.list(name, &parts, |w, x| w.s(&x.to_string()));
        }
        if let Some((name, parts)) = math::packed_parts(v) {
            let rd = rd && name != "PackedColorArray";
            return self.list(name, &parts, |w, x| w.s(&real_text(*x, rd)));
        }
        match v {
            V::Nil => self.s("null"),
            V::Bool(b) => self.s(if *b { "true" } else { "false" }),
            V::Int(i) => self.s(&i.to_string()),
            V::Float(x) => self.s(&float_text(*x)),
            V::String(s) => quote(self.out, s),
            V::StringName(s) => {
                self.s("&");
                quote(self.out, s);
            }
            V::NodePath(p) => {
                self.s("NodePath(");
                quote(self.out, &p.to_string());
                self.s(")");
            }
            V::Rid(id) => self.s(&format!("RID({})", *id as i64)),
            V::Object(Object::Null) => self.s("null"),
            V::Object(Object::Id(id)) => self.s(&format!(
                "Object(EncodedObjectAsID, \"object_id\": {})",
                *id as i64
            )),
            V::Object(Object::Full(o)) => {
                self.s("Object(");
                if is_ident(&o.class_name) {
                    self.s(&o.class_name);
                } else {
                    quote(self.out, &o.class_name);
                }
                for (name, value) in &o.properties {
                    self.s(", ");
                    quote(self.out, name);
                    self.s(": ");
                    self.value(value);
                }
                self.s(")");
            }
            V::Callable => self.s("Callable()"),
            V::Signal(sig) => {
                self.s(&format!("Signal({}, ", sig.object_id as i64));
                quote(self.out, &sig.name);
                self.s(")");
            }
            V::Array(a) => {
                let typed = a.element_type != ContainerType::Any;
                if typed {
                    self.s("Array[");
                    self.container_type(&a.element_type);
                    self.s("](");
                }
                self.s("[");
                for (i, e) in a.elements.iter().enumerate() {
                    if i > 0 {
                        self.s(", ");
                    }
                    self.value(e);
                }
                self.s("]");
                if typed {
                    self.s(")");
                }
            }
            V::Dictionary(d) => {
                let typed = d.key_type != ContainerType::Any || d.value_type != ContainerType::Any;
                if typed {
                    self.s("Dictionary[");
                    self.container_type(&d.key_type);
                    self.s(", ");
                    self.container_type(&d.value_type);
                    self.s("](");
                }
                self.s("{");
                for (i, (k, x)) in d.iter().enumerate() {
                    if i > 0 {
                        self.s(", ");
                    }
                    self.value(k);
                    self.s(": ");
                    self.value(x);
                }
                self.s("}");
                if typed {
                    self.s(")");
                }
            }
            V::PackedByteArray(a) => self.list("PackedByteArray", a, |w, x| w.s(&x.to_string())),
            V::PackedInt32Array(a) => self.list("PackedInt32Array", a, |w, x| w.s(&x.to_string())),
            V::PackedInt64Array(a) => self.list("PackedInt64Array", a, |w, x| w.s(&x.to_string())),
            V::PackedFloat32Array(a) => self.list("PackedFloat32Array", a, |w, x| {
                w.s(&real_text(f64::from(*x), false))
            }),
            V::PackedFloat64Array(a) => {
                self.list("PackedFloat64Array", a, |w, x| w.s(&real_text(*x, true)))
            }
            V::PackedStringArray(a) => self.list("PackedStringArray", a, |w, x| quote(w.out, x)),
            // Handled by the tables above.
            V::Vector2(_)
            | V::Vector2i(_)
            | V::Rect2(_)
            | V::Rect2i(_)
            | V::Vector3(_)
            | V::Vector3i(_)
            | V::Transform2D(_)
            | V::Vector4(_)
            | V::Vector4i(_)
            | V::Plane(_)
            | V::Quaternion(_)
            | V::Aabb(_)
            | V::Basis(_)
            | V::Transform3D(_)
            | V::Projection(_)
            | V::Color(_)
            | V::PackedVector2Array(_)
            | V::PackedVector3Array(_)
            | V::PackedColorArray(_)
            | V::PackedVector4Array(_) => {}
        }
    }
}

/// A parse failure: byte offset into the text and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
    pub reason: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.reason)
    }
}

/// Parses one value of the text form; only whitespace may follow it.
pub fn parse(text: &str) -> Result<Variant, ParseError> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        pos: 0,
    };
    let v = p.value(0)?;
    p.ws();
    if p.pos != p.s.len() {
        return p.err("unexpected text after the value");
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
}

enum Num {
    Int(i64),
    Float(f64),
}

impl<'a> Parser<'a> {
    fn err<T>(&self, reason: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            offset: self.pos,
            reason: reason.into(),
        })
    }

    fn ws(&mut self) {
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.pos).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), ParseError> {
        if self.eat(c) {
            Ok(())
        } else {
            self.err(format!("expected '{}'", c as char))
        }
    }

    fn ident(&mut self) -> Option<&'a str> {
        self.ws();
        let start = self.pos;
        if !matches!(self.s.get(self.pos), Some(c) if c.is_ascii_alphabetic() || *c == b'_') {
            return None;
        }
        while self.pos < self.s.len()
            && (self.s[self.pos].is_ascii_alphanumeric() || self.s[self.pos] == b'_')
        {
            self.pos += 1;
        }
        (self.pos > start).then(|| &self.text[start..self.pos])
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.expect(b'"')?;
        let mut out = String::new();
        loop {
            let Some(c) = self.text[self.pos..].chars().next() else {
                return self.err("unterminated string");
            };
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let Some(e) = self.s.get(self.pos).copied() else {
                        return self.err("unterminated escape");
                    };
                    self.pos += 1;
                    match e {
                        b'n' => out.push('\n'),
                        b't' => out.push('\t'),
                        b'r' => out.push('\r'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'"' => out.push('"'),
                        b'\'' => out.push('\''),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'u' | b'U' => {
                            let n = if e == b'u' { 4 } else { 6 };
                            let hex = self.text.get(self.pos..self.pos + n).unwrap_or("");
                            let code = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
                            match code {
                                Some(ch) if hex.len() == n => {
                                    out.push(ch);
                                    self.pos += n;
                                }
                                _ => return self.err("bad \\u escape"),
                            }
                        }
                        _ => {
                            self.pos -= 1;
                            return self.err("unknown escape");
                        }
                    }
                }
                c => out.push(c),
            }
        }
    }

    fn number(&mut self) -> Result<Num, ParseError> {
        self.ws();
        let start = self.pos;
        if matches!(self.s.get(self.pos), Some(b'-' | b'+')) {
            self.pos += 1;
        }
        if let Some(word) = self.ident() {
            let neg = self.s[start] == b'-';
            return match word {
                "inf" => Ok(Num::Float(if neg {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                })),
                "inf_neg" if !neg => Ok(Num::Float(f64::NEG_INFINITY)),
                "nan" => Ok(Num::Float(f64::NAN)),
                _ => {
                    self.pos = start;
                    self.err("expected a number")
                }
            };
        }
        let mut float = false;
        while let Some(&c) = self.s.get(self.pos) {
            match c {
                b'0'..=b'9' => {}
                b'.' => float = true,
                b'e' | b'E' => {
                    float = true;
                    if matches!(self.s.get(self.pos + 1), Some(b'-' | b'+')) {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
            self.pos += 1;
        }
        let tok = &self.text[start..self.pos];
        let res = if float {
            tok.parse().map(Num::Float).ok()
        } else {
            tok.parse().map(Num::Int).ok()
        };
        match res {
            Some(n) => Ok(n),
            None => {
                self.pos = start;
                self.err(format!("bad number '{tok}'"))
            }
        }
    }

    fn real(&mut self) -> Result<f64, ParseError> {
        Ok(match self.number()? {
            Num::Int(i) => i as f64,
            Num::Float(x) => x,
        })
    }

    fn int<T: TryFrom<i64>>(&mut self) -> Result<T, ParseError> {
        let at = self.pos;
        match self.number()? {
            Num::Int(i) => T::try_from(i).or_else(|_| {
                self.pos = at;
                self.err("integer out of range")
            }),
            Num::Float(_) => {
                self.pos = at;
                self.err("expected an integer")
            }
        }
    }

    /// `( item, item, … )` with `item` read by `each`.
    fn args<T>(
        &mut self,
        mut each: impl FnMut(&mut Self) -> Result<T, ParseError>,
    ) -> Result<Vec<T>, ParseError> {
        self.expect(b'(')?;
        let mut out = Vec::new();
        if self.eat(b')') {
            return Ok(out);
        }
        loop {
            out.push(each(self)?);
            if self.eat(b')') {
                return Ok(out);
            }
            if !self.eat(b',') {
                return self.err("expected ',' or ')'");
            }
        }
    }

    fn container_type(&mut self) -> Result<ContainerType, ParseError> {
        let at = self.pos;
        let Some(name) = self.ident().map(str::to_owned) else {
            return self.err("expected a type name");
        };
        Ok(match name.as_str() {
            "Variant" => ContainerType::Any,
            "Class" | "Script" if self.peek() == Some(b'(') => {
                self.expect(b'(')?;
                let s = self.string()?;
                self.expect(b')')?;
                if name == "Class" {
                    ContainerType::Class(s)
                } else {
                    ContainerType::Script(s)
                }
            }
            _ => match builtin_named(&name) {
                Some(VariantType::Nil) => {
                    self.pos = at;
                    return self.err("Nil is not a container type");
                }
                Some(t) => ContainerType::Builtin(t),
                None => ContainerType::Class(name),
            },
        })
    }

    fn array_body(&mut self, depth: u32) -> Result<Vec<Variant>, ParseError> {
        self.expect(b'[')?;
        let mut out = Vec::new();
        if self.eat(b']') {
            return Ok(out);
        }
        loop {
            out.push(self.value(depth + 1)?);
            if self.eat(b']') {
                return Ok(out);
            }
            if !self.eat(b',') {
                return self.err("expected ',' or ']'");
            }
        }
    }

    fn dict_body(&mut self, d: &mut Dictionary, depth: u32) -> Result<(), ParseError> {
        self.expect(b'{')?;
        if self.eat(b'}') {
            return Ok(());
        }
        loop {
            let k = self.value(depth + 1)?;
            self.expect(b':')?;
            let v = self.value(depth + 1)?;
            d.insert(k, v);
            if self.eat(b'}') {
                return Ok(());
            }
            if !self.eat(b',') {
                return self.err("expected ',' or '}'");
            }
        }
    }

    fn value(&mut self, depth: u32) -> Result<Variant, ParseError> {
        if depth > MAX_DEPTH {
            return self.err("nested deeper than 1024");
        }
        let Some(c) = self.peek() else {
            return self.err("expected a value");
        };
        match c {
            b'"' => return Ok(Variant::String(self.string()?.into())),
            b'&' => {
                self.pos += 1;
                return Ok(Variant::StringName(self.string()?.into()));
            }
            b'^' => {
                self.pos += 1;
                let at = self.pos;
                return self.node_path(at);
            }
            b'[' => {
                let elements = self.array_body(depth)?;
                return Ok(Variant::Array(Box::new(Array {
                    element_type: ContainerType::Any,
                    elements,
                })));
            }
            b'{' => {
                let mut d = Dictionary::new();
                self.dict_body(&mut d, depth)?;
                return Ok(Variant::Dictionary(Box::new(d)));
            }
            b'-' | b'+' | b'0'..=b'9' | b'.' => {
                return Ok(match self.number()? {
                    Num::Int(i) => Variant::Int(i),
                    Num::Float(x) => Variant::Float(x),
                })
            }
            _ => {}
        }
        let at = self.pos;
        let Some(name) = self.ident().map(str::to_owned) else {
            return self.err("expected a value");
        };
        self.constructor(&name, at, depth)
    }

    fn node_path(&mut self, at: usize) -> Result<Variant, ParseError> {
        let s = self.string()?;
        match NodePath::parse(&s) {
            Ok(p) => Ok(Variant::NodePath(Box::new(p))),
            Err(_) => {
                self.pos = at;
                self.err("bad node path")
            }
        }
    }

    fn constructor(&mut self, name: &str, at: usize, depth: u32) -> Result<Variant, ParseError> {
        use Variant as V;
        if let Some((n, ints)) = math::arity(name) {
            let v = if ints {
                let c = self.args(|p| p.int::<i32>())?;
                (c.len() == n)
                    .then(|| math::from_int_parts(name, &c))
                    .flatten()
            } else {
                let c = self.args(|p| p.real())?;
                (c.len() == n)
                    .then(|| math::from_real_parts(name, &c))
                    .flatten()
            };
            return match v {
                Some(v) => Ok(v),
                None => {
                    self.pos = at;
                    self.err(format!("{name} takes {n} components"))
                }
            };
        }
        if math::packed_item_arity(name).is_some() {
            let c = self.args(|p| p.real())?;
            return match math::from_packed_parts(name, &c) {
                Some(v) => Ok(v),
                None => {
                    self.pos = at;
                    self.err(format!(
                        "{name}: component count is not a multiple of its item size"
                    ))
                }
            };
        }
        Ok(match name {
            "null" => V::Nil,
            "true" => V::Bool(true),
            "false" => V::Bool(false),
            "inf" => V::Float(f64::INFINITY),
            "inf_neg" => V::Float(f64::NEG_INFINITY),
            "nan" => V::Float(f64::NAN),
            "NodePath" => {
                self.expect(b'(')?;
                let at = self.pos;
                let v = self.node_path(at)?;
                self.expect(b')')?;
                v
            }
            "StringName" => {
                self.expect(b'(')?;
                let s = self.string()?;
                self.expect(b')')?;
                V::StringName(s.into())
            }
            "RID" => {
                let ids = self.args(|p| p.int::<i64>())?;
                match ids[..] {
                    [] => V::Rid(0),
                    [id] => V::Rid(id as u64),
                    _ => {
                        self.pos = at;
                        return self.err("RID takes one id");
                    }
                }
            }
            "Callable" => {
                self.expect(b'(')?;
                self.expect(b')')?;
                V::Callable
            }
            "Signal" => {
                self.expect(b'(')?;
                if self.eat(b')') {
                    return Ok(V::Signal(Signal {
                        name: String::new(),
                        object_id: 0,
                    }));
                }
                let object_id = self.int::<i64>()? as u64;
                self.expect(b',')?;
                let name = self.string()?;
                self.expect(b')')?;
                V::Signal(Signal { name, object_id })
            }
            "Object" => self.object(depth)?,
            "Array" => {
                let mut element_type = ContainerType::Any;
                if self.eat(b'[') {
                    element_type = self.container_type()?;
                    self.expect(b']')?;
                }
                self.expect(b'(')?;
                let elements = if self.peek() == Some(b')') {
                    Vec::new()
                } else {
                    self.array_body(depth)?
                };
                self.expect(b')')?;
                V::Array(Box::new(Array {
                    element_type,
                    elements,
                }))
            }
            "Dictionary" => {
                let mut d = Dictionary::new();
                if self.eat(b'[') {
                    d.key_type = self.container_type()?;
                    self.expect(b',')?;
                    d.value_type = self.container_type()?;
                    self.expect(b']')?;
                }
                self.expect(b'(')?;
                if self.peek() != Some(b')') {
                    self.dict_body(&mut d, depth)?;
                }
                self.expect(b')')?;
                V::Dictionary(Box::new(d))
            }
            "PackedByteArray" => V::PackedByteArray(self.args(|p| p.int::<u8>())?),
            "PackedInt32Array" => V::PackedInt32Array(self.args(|p| p.int::<i32>())?),
            "PackedInt64Array" => V::PackedInt64Array(self.args(|p| p.int::<i64>())?),
            "PackedFloat32Array" => {
                V::PackedFloat32Array(self.args(|p| p.real().map(|x| x as f32))?)
            }
            "PackedFloat64Array" => V::PackedFloat64Array(self.args(|p| p.real())?),
            "PackedStringArray" => V::PackedStringArray(self.args(|p| p.string())?),
            _ => {
                self.pos = at;
                return self.err(format!("unknown constructor '{name}'"));
            }
        })
    }

    fn object(&mut self, depth: u32) -> Result<Variant, ParseError> {
        self.expect(b'(')?;
        let class_name = if self.peek() == Some(b'"') {
            self.string()?
        } else {
            match self.ident() {
                Some(c) => c.to_owned(),
                None => return self.err("expected a class name"),
            }
        };
        let mut properties = Vec::new();
        while self.eat(b',') {
            let name = self.string()?;
            self.expect(b':')?;
            properties.push((name, self.value(depth + 1)?));
        }
        self.expect(b')')?;
        if class_name == "EncodedObjectAsID" {
            if let [(name, Variant::Int(id))] = &properties[..] {
                if name == "object_id" {
                    return Ok(Variant::Object(if *id == 0 {
                        Object::Null
                    } else {
                        Object::Id(*id as u64)
                    }));
                }
            }
        }
        Ok(Variant::Object(Object::Full(Box::new(FullObject {
            class_name,
            properties,
        }))))
    }
}
