//! The JSON form of a Variant (documented in the README, "JSON type mapping"):
//!
//! * `null`, booleans, strings and integers are themselves; a FLOAT is a JSON number written with a
//!   fraction or exponent (`1.0`), so it reads back as a float, not an int;
//! * every other type is an object `{"type": "<Godot type name>", "value": …}`:
//!   math types a list of components in `var_to_str` order (`{"type": "Vector2", "value": [1.0, 2.0]}`),
//!   StringName and NodePath a string, RID a number, PackedByteArray a hex string, other packed
//!   arrays a list (vectors and colors as lists of components);
//! * an untyped Array is a JSON list; a typed one `{"type": "Array", "element_type": "int", "value": […]}`;
//! * a Dictionary is `{"type": "Dictionary", "value": [[key, value], …]}` (keys may be any Variant;
//!   the order is kept), with `key_type` / `value_type` when typed;
//! * container types: a builtin type name (`"int"`, `"Vector2"`), `{"class": "Node"}` or
//!   `{"script": "res://x.gd"}`;
//! * objects: `{"type": "Object", "id": 7}` (sent by id), `{"type": "Object", "class": "Node",
//!   "properties": [["name", "x"], …]}` (sent in full), a null object is `null`;
//!   `{"type": "Callable"}`, `{"type": "Signal", "object_id": 7, "name": "done"}`;
//! * numbers JSON cannot carry (NaN, ±infinity) are the strings `"nan"`, `"inf"`, `"-inf"`, and a
//!   non-finite FLOAT is `{"type": "float", "value": "nan"}`.
//!
//! Real components are written as f64, so they read back exactly.

use packetpeer::variant::*;
use serde_json::{json, Map, Value};

use crate::math;

fn real(x: f64) -> Value {
    if x.is_nan() {
        json!("nan")
    } else if x == f64::INFINITY {
        json!("inf")
    } else if x == f64::NEG_INFINITY {
        json!("-inf")
    } else {
        json!(x)
    }
}

fn typed(name: &str, value: Value) -> Value {
    json!({ "type": name, "value": value })
}

fn container_type(t: &ContainerType) -> Value {
    match t {
        ContainerType::Any => json!("Variant"),
        ContainerType::Builtin(b) => json!(b.name()),
        ContainerType::Class(c) => json!({ "class": c }),
        ContainerType::Script(s) => json!({ "script": s }),
    }
}

/// Hex of bytes, lower case.
pub fn hex(data: &[u8]) -> String {
    let mut s = String::with_capacity(data.len() * 2);
    for b in data {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Bytes from hex; whitespace and an optional `0x` prefix are ignored.
pub fn unhex(text: &str) -> Result<Vec<u8>, String> {
    let t = text.trim();
    let t = t.strip_prefix("0x").unwrap_or(t);
    let digits: Vec<u8> = t.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    if digits.len() % 2 != 0 {
        return Err("odd number of hex digits".into());
    }
    digits
        .chunks_exact(2)
        .enumerate()
        .map(|(i, p)| {
            std::str::from_utf8(p)
                .ok()
                .and_then(|s| u8::from_str_radix(s, 16).ok())
                .ok_or_else(|| format!("not a hex digit pair at digit {}", i * 2))
        })
        .collect()
}

/// The JSON form of `v`.
pub fn to_json(v: &Variant) -> Value {
    use Variant as V;
    if let Some((name, parts)) = math::real_parts(v) {
        return typed(name, parts.into_iter().map(real).collect());
    }
    if let Some((name, parts)) = math::int_parts(v) {
        return typed(name, json!(parts));
    }
    if let Some((name, parts)) = math::packed_parts(v) {
        let n = math::packed_item_arity(name).unwrap_or(1);
        let items: Vec<Value> = parts
            .chunks(n)
            .map(|c| c.iter().copied().map(real).collect())
            .collect();
        return typed(name, Value::Array(items));
    }
    match v {
        V::Nil | V::Object(Object::Null) => Value::Null,
        V::Bool(b) => json!(b),
        V::Int(i) => json!(i),
        V::Float(x) if x.is_finite() => json!(x),
        V::Float(x) => typed("float", real(*x)),
        V::String(s) => json!(s.as_str()),
        V::StringName(s) => typed("StringName", json!(s.as_str())),
        V::NodePath(p) => typed("NodePath", json!(p.to_string())),
        V::Rid(id) => typed("RID", json!(id)),
        V::Object(Object::Id(id)) => json!({ "type": "Object", "id": id }),
        V::Object(Object::Full(o)) => {
            let props: Vec<Value> = o
                .properties
                .iter()
                .map(|(k, x)| json!([k, to_json(x)]))
                .collect();
            json!({ "type": "Object", "class": o.class_name, "properties": props })
        }
        V::Callable => json!({ "type": "Callable" }),
        V::Signal(s) => json!({ "type": "Signal", "object_id": s.object_id, "name": s.name }),
        V::Array(a) => {
            let items: Vec<Value> = a.elements.iter().map(to_json).collect();
            if a.element_type == ContainerType::Any {
                Value::Array(items)
            } else {
                json!({ "type": "Array", "element_type": container_type(&a.element_type), "value": items })
            }
        }
        V::Dictionary(d) => {
            let pairs: Vec<Value> = d
                .iter()
                .map(|(k, x)| json!([to_json(k), to_json(x)]))
                .collect();
            let mut m = Map::new();
            m.insert("type".into(), json!("Dictionary"));
            if d.key_type != ContainerType::Any || d.value_type != ContainerType::Any {
                m.insert("key_type".into(), container_type(&d.key_type));
                m.insert("value_type".into(), container_type(&d.value_type));
            }
            m.insert("value".into(), Value::Array(pairs));
            Value::Object(m)
        }
        V::PackedByteArray(a) => typed("PackedByteArray", json!(hex(a))),
        V::PackedInt32Array(a) => typed("PackedInt32Array", json!(a)),
        V::PackedInt64Array(a) => typed("PackedInt64Array", json!(a)),
        V::PackedFloat32Array(a) => typed(
            "PackedFloat32Array",
            a.iter().map(|x| real(f64::from(*x))).collect(),
        ),
        V::PackedFloat64Array(a) => {
            typed("PackedFloat64Array", a.iter().map(|x| real(*x)).collect())
        }
        V::PackedStringArray(a) => typed("PackedStringArray", json!(a)),
        // Handled by the tables above.
        _ => Value::Null,
    }
}

/// A JSON decoding error: the JSON path of the offending value and why.
pub type JsonError = String;

fn want_real(v: &Value, at: &str) -> Result<f64, JsonError> {
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(|| format!("{at}: bad number")),
        Value::String(s) if s == "nan" => Ok(f64::NAN),
        Value::String(s) if s == "inf" => Ok(f64::INFINITY),
        Value::String(s) if s == "-inf" => Ok(f64::NEG_INFINITY),
        _ => Err(format!("{at}: expected a number")),
    }
}

fn want_int<T: TryFrom<i64>>(v: &Value, at: &str) -> Result<T, JsonError> {
    v.as_i64()
        .and_then(|i| T::try_from(i).ok())
        .ok_or_else(|| format!("{at}: expected an integer in range"))
}

fn want_u64(v: &Value, at: &str) -> Result<u64, JsonError> {
    v.as_u64()
        .or_else(|| v.as_i64().map(|i| i as u64))
        .ok_or_else(|| format!("{at}: expected an unsigned integer"))
}

fn want_str<'a>(v: &'a Value, at: &str) -> Result<&'a str, JsonError> {
    v.as_str().ok_or_else(|| format!("{at}: expected a string"))
}

fn want_list<'a>(v: Option<&'a Value>, at: &str) -> Result<&'a Vec<Value>, JsonError> {
    v.and_then(Value::as_array)
        .ok_or_else(|| format!("{at}: expected a list"))
}

fn parse_container_type(v: Option<&Value>, at: &str) -> Result<ContainerType, JsonError> {
    let Some(v) = v else {
        return Ok(ContainerType::Any);
    };
    if let Some(name) = v.as_str() {
        if name == "Variant" {
            return Ok(ContainerType::Any);
        }
        return (0..VariantType::COUNT)
            .filter_map(VariantType::from_id)
            .find(|t| t.name() == name && *t != VariantType::Nil)
            .map(ContainerType::Builtin)
            .ok_or_else(|| format!("{at}: unknown builtin type '{name}'"));
    }
    if let Some(c) = v.get("class") {
        return Ok(ContainerType::Class(want_str(c, at)?.to_owned()));
    }
    if let Some(s) = v.get("script") {
        return Ok(ContainerType::Script(want_str(s, at)?.to_owned()));
    }
    Err(format!("{at}: expected a container type"))
}

/// Parses JSON text whose nesting fits a Variant (at most 1024 Variant levels, each at most four
/// JSON levels deep): checked by a scan first, so serde_json's recursion stays bounded.
pub fn parse_text(text: &str) -> Result<Value, JsonError> {
    const MAX_JSON_DEPTH: usize = 4 * (MAX_RECURSION_DEPTH as usize + 1) + 4;
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    for (i, c) in text.bytes().enumerate() {
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(format!("at byte {i}: nested deeper than 1024"));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let mut values = de.into_iter::<Value>();
    let v = match values.next() {
        Some(Ok(v)) => v,
        Some(Err(e)) => return Err(format!("bad JSON: {e}")),
        None => return Err("bad JSON: no value".into()),
    };
    match values.next() {
        None => Ok(v),
        Some(_) => Err("bad JSON: text after the value".into()),
    }
}

/// The Variant a JSON value stands for (the mapping of [`to_json`]).
pub fn from_json(v: &Value) -> Result<Variant, JsonError> {
    from_json_at(v, "$", 0)
}

fn from_json_at(v: &Value, at: &str, depth: u32) -> Result<Variant, JsonError> {
    use Variant as V;
    if depth > MAX_RECURSION_DEPTH {
        return Err(format!("{at}: nested deeper than 1024"));
    }
    let child = |x: &Value, i: usize| from_json_at(x, &format!("{at}[{i}]"), depth + 1);
    Ok(match v {
        Value::Null => V::Nil,
        Value::Bool(b) => V::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => V::Int(i),
            None if n.is_u64() => return Err(format!("{at}: integer out of the int range")),
            None => V::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => V::String(s.as_str().into()),
        Value::Array(items) => V::Array(Box::new(Array {
            element_type: ContainerType::Any,
            elements: items
                .iter()
                .enumerate()
                .map(|(i, x)| child(x, i))
                .collect::<Result<_, _>>()?,
        })),
        Value::Object(m) => {
            let ty = m
                .get("type")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{at}: an object needs a \"type\""))?;
            let value = m.get("value");
            let at_v = format!("{at}.value");
            if let Some((n, ints)) = math::arity(ty) {
                let parts = want_list(value, &at_v)?;
                if parts.len() != n {
                    return Err(format!("{at_v}: {ty} takes {n} components"));
                }
                let made = if ints {
                    let c: Vec<i32> = parts
                        .iter()
                        .map(|x| want_int(x, &at_v))
                        .collect::<Result<_, _>>()?;
                    math::from_int_parts(ty, &c)
                } else {
                    let c: Vec<f64> = parts
                        .iter()
                        .map(|x| want_real(x, &at_v))
                        .collect::<Result<_, _>>()?;
                    math::from_real_parts(ty, &c)
                };
                return made.ok_or_else(|| format!("{at}: bad {ty}"));
            }
            if let Some(n) = math::packed_item_arity(ty) {
                let mut c = Vec::new();
                for item in want_list(value, &at_v)? {
                    let comps = want_list(Some(item), &at_v)?;
                    if comps.len() != n {
                        return Err(format!("{at_v}: {ty} items have {n} components"));
                    }
                    for x in comps {
                        c.push(want_real(x, &at_v)?);
                    }
                }
                return math::from_packed_parts(ty, &c).ok_or_else(|| format!("{at}: bad {ty}"));
            }
            let need = || value.ok_or_else(|| format!("{at}: {ty} needs a \"value\""));
            match ty {
                "float" => V::Float(want_real(need()?, &at_v)?),
                "StringName" => V::StringName(want_str(need()?, &at_v)?.into()),
                "NodePath" => V::NodePath(Box::new(
                    NodePath::parse(want_str(need()?, &at_v)?)
                        .map_err(|_| format!("{at_v}: bad node path"))?,
                )),
                "RID" => V::Rid(want_u64(need()?, &at_v)?),
                "Callable" => V::Callable,
                "Signal" => V::Signal(Signal {
                    object_id: want_u64(m.get("object_id").unwrap_or(&Value::Null), at)?,
                    name: want_str(m.get("name").unwrap_or(&Value::Null), at)?.to_owned(),
                }),
                "Object" => {
                    if let Some(id) = m.get("id") {
                        let id = want_u64(id, at)?;
                        V::Object(if id == 0 {
                            Object::Null
                        } else {
                            Object::Id(id)
                        })
                    } else {
                        let class_name = want_str(m.get("class").unwrap_or(&Value::Null), at)?;
                        let mut properties = Vec::new();
                        let props = m.get("properties");
                        for (i, p) in want_list(props, at)?.iter().enumerate() {
                            let pair = want_list(Some(p), at)?;
                            let [k, x] = &pair[..] else {
                                return Err(format!(
                                    "{at}.properties[{i}]: expected [name, value]"
                                ));
                            };
                            properties.push((want_str(k, at)?.to_owned(), child(x, i)?));
                        }
                        V::Object(Object::Full(Box::new(FullObject {
                            class_name: class_name.to_owned(),
                            properties,
                        })))
                    }
                }
                "Array" => V::Array(Box::new(Array {
                    element_type: parse_container_type(m.get("element_type"), at)?,
                    elements: want_list(value, &at_v)?
                        .iter()
                        .enumerate()
                        .map(|(i, x)| child(x, i))
                        .collect::<Result<_, _>>()?,
                })),
                "Dictionary" => {
                    let mut d = Dictionary::new();
                    d.key_type = parse_container_type(m.get("key_type"), at)?;
                    d.value_type = parse_container_type(m.get("value_type"), at)?;
                    for (i, p) in want_list(value, &at_v)?.iter().enumerate() {
                        let pair = want_list(Some(p), &at_v)?;
                        let [k, x] = &pair[..] else {
                            return Err(format!("{at_v}[{i}]: expected [key, value]"));
                        };
                        d.insert(child(k, i)?, child(x, i)?);
                    }
                    V::Dictionary(Box::new(d))
                }
                "PackedByteArray" => V::PackedByteArray(
                    unhex(want_str(need()?, &at_v)?).map_err(|e| format!("{at_v}: {e}"))?,
                ),
                "PackedInt32Array" => V::PackedInt32Array(
                    want_list(value, &at_v)?
                        .iter()
                        .map(|x| want_int(x, &at_v))
                        .collect::<Result<_, _>>()?,
                ),
                "PackedInt64Array" => V::PackedInt64Array(
                    want_list(value, &at_v)?
                        .iter()
                        .map(|x| want_int(x, &at_v))
                        .collect::<Result<_, _>>()?,
                ),
                "PackedFloat32Array" => V::PackedFloat32Array(
                    want_list(value, &at_v)?
                        .iter()
                        .map(|x| want_real(x, &at_v).map(|x| x as f32))
                        .collect::<Result<_, _>>()?,
                ),
                "PackedFloat64Array" => V::PackedFloat64Array(
                    want_list(value, &at_v)?
                        .iter()
                        .map(|x| want_real(x, &at_v))
                        .collect::<Result<_, _>>()?,
                ),
                "PackedStringArray" => V::PackedStringArray(
                    want_list(value, &at_v)?
                        .iter()
                        .map(|x| want_str(x, &at_v).map(str::to_owned))
                        .collect::<Result<_, _>>()?,
                ),
                other => return Err(format!("{at}: unknown type '{other}'")),
            }
        }
    })
}
