//! A Variant as a Python pickle (protocol 4), so that a binding decodes a whole value tree with one
//! call into Python's C unpickler instead of one foreign call per element. The Python package
//! (`python/`) reads decoded values this way; any language with a pickle reader can do the same.
//!
//! Only constructions are written, never arbitrary callables: builtin values (`None`, `bool`,
//! `int`, `float`, `str`, `bytes`, `list`, `dict`, `tuple`), `array.array` for the packed numeric
//! arrays, and the classes of one caller-named module, looked up by the Godot type name:
//!
//! - tuple-like types (Vector2 … Projection, Color, Signal) are built as
//!   `tuple.__new__(module.Vector2, (x, y))`, so a `namedtuple` subclass works and costs no Python-level
//!   call per value;
//! - `StringName`, `NodePath` (path text), `RID`, `ObjectID` (an object sent by id) are
//!   `module.Name(value)`; `Callable()` takes nothing; `Object(class_name, {property: value})`;
//! - the packed arrays without a Python builtin (`PackedStringArray`, `PackedVector2Array`,
//!   `PackedVector3Array`, `PackedColorArray`, `PackedVector4Array`) are `module.Name([items])`.
//!
//! A Python dict key must be hashable: inside a key, an Array or a packed array becomes a `tuple`.
//! A Dictionary or a full Object used as a key has no hashable form and fails with
//! `ERR_INVALID_PARAMETER`, nesting beyond [`MAX_RECURSION_DEPTH`] with `ERR_OUT_OF_MEMORY`
//! (the codec's limit and code).
#![forbid(unsafe_code)]

use std::collections::HashMap;

use super::{Color, Object, Variant, MAX_RECURSION_DEPTH};
use crate::error::Error;

// Opcodes (Lib/pickletools.py).
const PROTO: u8 = 0x80;
const STOP: u8 = b'.';
const NONE: u8 = b'N';
const NEWTRUE: u8 = 0x88;
const NEWFALSE: u8 = 0x89;
const BININT: u8 = b'J';
const BININT1: u8 = b'K';
const LONG1: u8 = 0x8a;
const BINFLOAT: u8 = b'G';
const SHORT_BINUNICODE: u8 = 0x8c;
const BINUNICODE: u8 = b'X';
const SHORT_BINBYTES: u8 = b'C';
const BINBYTES: u8 = b'B';
const EMPTY_LIST: u8 = b']';
const APPENDS: u8 = b'e';
const EMPTY_DICT: u8 = b'}';
const SETITEMS: u8 = b'u';
const EMPTY_TUPLE: u8 = b')';
const MARK: u8 = b'(';
const TUPLE: u8 = b't';
const TUPLE1: u8 = 0x85;
const TUPLE2: u8 = 0x86;
const STACK_GLOBAL: u8 = 0x93;
const MEMOIZE: u8 = 0x94;
const BINGET: u8 = b'h';
const LONG_BINGET: u8 = b'j';
const REDUCE: u8 = b'R';

/// Writes `v` as one pickle (protocol 4) whose classes come from `module` (e.g. `"packetpeer.types"`).
pub fn to_pickle(v: &Variant, module: &str) -> Result<Vec<u8>, Error> {
    let mut w = Writer {
        out: Vec::with_capacity(64),
        module,
        memo: HashMap::new(),
        keys: HashMap::new(),
        slots: 0,
    };
    w.out.extend_from_slice(&[PROTO, 4]);
    // An explicit work stack instead of recursion: a value 1024 levels deep must not overflow a
    // small thread stack (the caller's, any size).
    let mut tasks = vec![Task::Value(v, 0, false)];
    while let Some(task) = tasks.pop() {
        match task {
            Task::Value(v, depth, key) => w.value(v, depth, key, &mut tasks)?,
            Task::Str(s) => w.str(s),
            Task::Ops(ops) => w.out.extend_from_slice(ops),
        }
    }
    w.out.push(STOP);
    Ok(w.out)
}

/// What is left to write, last first.
enum Task<'v> {
    /// A value at a nesting depth, in a dictionary key or not.
    Value(&'v Variant, u32, bool),
    /// A string (an object's property name).
    Str(&'v str),
    /// Closing opcodes of a container.
    Ops(&'static [u8]),
}

struct Writer<'m, 'v> {
    out: Vec<u8>,
    module: &'m str,
    /// Memo slot of each global already pushed (MEMOIZE numbers slots 0, 1, 2, … in order).
    memo: HashMap<&'static str, u32>,
    /// Memo slot of each short dictionary-key string already written: game data repeats the same
    /// keys in every dictionary, and one shared `str` object (its hash computed once) makes the
    /// unpickler's dict inserts much cheaper than a fresh string per key.
    keys: HashMap<&'v str, u32>,
    /// Memo slots used so far.
    slots: u32,
}

/// Only keys this short are shared, and only this many: bounded memory on hostile input.
const KEY_MEMO_MAX_LEN: usize = 64;
const KEY_MEMO_MAX_ENTRIES: usize = 65_536;

impl<'v> Writer<'_, 'v> {
    /// Writes a leaf value, or opens a container and pushes its closing opcodes and its children
    /// (in reverse, so they pop in order) onto `tasks`.
    fn value(
        &mut self,
        v: &'v Variant,
        depth: u32,
        key: bool,
        tasks: &mut Vec<Task<'v>>,
    ) -> Result<(), Error> {
        if depth > MAX_RECURSION_DEPTH {
            return Err(Error::OutOfMemory);
        }
        let d = depth + 1;
        match v {
            Variant::Nil | Variant::Object(Object::Null) => self.out.push(NONE),
            Variant::Bool(b) => self.out.push(if *b { NEWTRUE } else { NEWFALSE }),
            Variant::Int(i) => self.int(*i),
            Variant::Float(f) => self.float(*f),
            Variant::String(s) if key && s.len() <= KEY_MEMO_MAX_LEN => self.key_str(s),
            Variant::String(s) => self.str(s),
            Variant::Vector2(a) => self.tuple_class("Vector2", &[a.x, a.y])?,
            Variant::Vector2i(a) => self.tuple_class_i("Vector2i", &[a.x, a.y])?,
            Variant::Rect2(r) => {
                self.tuple_class("Rect2", &[r.position.x, r.position.y, r.size.x, r.size.y])?
            }
            Variant::Rect2i(r) => {
                self.tuple_class_i("Rect2i", &[r.position.x, r.position.y, r.size.x, r.size.y])?
            }
            Variant::Vector3(a) => self.tuple_class("Vector3", &[a.x, a.y, a.z])?,
            Variant::Vector3i(a) => self.tuple_class_i("Vector3i", &[a.x, a.y, a.z])?,
            Variant::Transform2D(t) => {
                let [x, y, o] = t.columns;
                self.tuple_class("Transform2D", &[x.x, x.y, y.x, y.y, o.x, o.y])?;
            }
            Variant::Vector4(a) => self.tuple_class("Vector4", &[a.x, a.y, a.z, a.w])?,
            Variant::Vector4i(a) => self.tuple_class_i("Vector4i", &[a.x, a.y, a.z, a.w])?,
            Variant::Plane(p) => {
                self.tuple_class("Plane", &[p.normal.x, p.normal.y, p.normal.z, p.d])?
            }
            Variant::Quaternion(q) => self.tuple_class("Quaternion", &[q.x, q.y, q.z, q.w])?,
            Variant::Aabb(b) => {
                let (p, s) = (b.position, b.size);
                self.tuple_class("AABB", &[p.x, p.y, p.z, s.x, s.y, s.z])?;
            }
            Variant::Basis(b) => {
                let r = b.rows;
                let vals = [
                    r[0].x, r[0].y, r[0].z, r[1].x, r[1].y, r[1].z, r[2].x, r[2].y, r[2].z,
                ];
                self.tuple_class("Basis", &vals)?;
            }
            Variant::Transform3D(t) => {
                let (r, o) = (t.basis.rows, t.origin);
                let vals = [
                    r[0].x, r[0].y, r[0].z, r[1].x, r[1].y, r[1].z, r[2].x, r[2].y, r[2].z, o.x,
                    o.y, o.z,
                ];
                self.tuple_class("Transform3D", &vals)?;
            }
            Variant::Projection(p) => {
                let mut vals = [0.0; 16];
                for (i, c) in p.columns.iter().enumerate() {
                    vals[i * 4..i * 4 + 4].copy_from_slice(&[c.x, c.y, c.z, c.w]);
                }
                self.tuple_class("Projection", &vals)?;
            }
            Variant::Color(c) => self.color(c)?,
            Variant::StringName(s) => {
                self.global("StringName")?;
                self.str(s);
                self.out.extend_from_slice(&[TUPLE1, REDUCE]);
            }
            Variant::NodePath(p) => {
                self.global("NodePath")?;
                self.str(&p.to_string());
                self.out.extend_from_slice(&[TUPLE1, REDUCE]);
            }
            Variant::Rid(id) => {
                self.global("RID")?;
                self.uint(*id);
                self.out.extend_from_slice(&[TUPLE1, REDUCE]);
            }
            Variant::Object(Object::Id(id)) => {
                self.global("ObjectID")?;
                self.uint(*id);
                self.out.extend_from_slice(&[TUPLE1, REDUCE]);
            }
            Variant::Object(Object::Full(o)) => {
                if key {
                    return Err(Error::InvalidParameter);
                }
                self.global("Object")?;
                self.str(&o.class_name);
                self.out.push(EMPTY_DICT);
                tasks.push(Task::Ops(&[TUPLE2, REDUCE]));
                if !o.properties.is_empty() {
                    self.out.push(MARK);
                    tasks.push(Task::Ops(&[SETITEMS]));
                    for (name, value) in o.properties.iter().rev() {
                        tasks.push(Task::Value(value, d, false));
                        tasks.push(Task::Str(name));
                    }
                }
            }
            Variant::Callable => {
                self.global("Callable")?;
                self.out.extend_from_slice(&[EMPTY_TUPLE, REDUCE]);
            }
            Variant::Signal(s) => {
                self.tuple_new("Signal")?;
                self.str(&s.name);
                self.uint(s.object_id);
                self.out.extend_from_slice(&[TUPLE2, TUPLE2, REDUCE]);
            }
            Variant::Dictionary(dict) => {
                if key {
                    return Err(Error::InvalidParameter);
                }
                self.out.push(EMPTY_DICT);
                if !dict.is_empty() {
                    self.out.push(MARK);
                    tasks.push(Task::Ops(&[SETITEMS]));
                    for (k, v) in (0..dict.len()).rev().filter_map(|i| dict.get_index(i)) {
                        tasks.push(Task::Value(v, d, false));
                        tasks.push(Task::Value(k, d, true));
                    }
                }
            }
            Variant::Array(a) => {
                self.seq_open(None, key)?;
                tasks.push(Task::Ops(Self::seq_close_ops(None, key)));
                for e in a.elements.iter().rev() {
                    tasks.push(Task::Value(e, d, key));
                }
            }
            Variant::PackedByteArray(b) => self.bytes(b),
            Variant::PackedInt32Array(a) => {
                self.packed_numeric(key, "i", a.len() * 4, |o| {
                    a.iter().for_each(|x| o.extend_from_slice(&x.to_ne_bytes()))
                })?;
                if key {
                    a.iter().for_each(|&x| self.int(x.into()));
                    self.seq_close(None, true);
                }
            }
            Variant::PackedInt64Array(a) => {
                self.packed_numeric(key, "q", a.len() * 8, |o| {
                    a.iter().for_each(|x| o.extend_from_slice(&x.to_ne_bytes()))
                })?;
                if key {
                    a.iter().for_each(|&x| self.int(x));
                    self.seq_close(None, true);
                }
            }
            Variant::PackedFloat32Array(a) => {
                self.packed_numeric(key, "f", a.len() * 4, |o| {
                    a.iter().for_each(|x| o.extend_from_slice(&x.to_ne_bytes()))
                })?;
                if key {
                    a.iter().for_each(|&x| self.float(x.into()));
                    self.seq_close(None, true);
                }
            }
            Variant::PackedFloat64Array(a) => {
                self.packed_numeric(key, "d", a.len() * 8, |o| {
                    a.iter().for_each(|x| o.extend_from_slice(&x.to_ne_bytes()))
                })?;
                if key {
                    a.iter().for_each(|&x| self.float(x));
                    self.seq_close(None, true);
                }
            }
            Variant::PackedStringArray(a) => {
                let class = Some("PackedStringArray");
                self.seq_open(class, key)?;
                a.iter().for_each(|s| self.str(s));
                self.seq_close(class, key);
            }
            Variant::PackedVector2Array(a) => {
                let class = Some("PackedVector2Array");
                self.seq_open(class, key)?;
                for x in a {
                    self.tuple_class("Vector2", &[x.x, x.y])?;
                }
                self.seq_close(class, key);
            }
            Variant::PackedVector3Array(a) => {
                let class = Some("PackedVector3Array");
                self.seq_open(class, key)?;
                for x in a {
                    self.tuple_class("Vector3", &[x.x, x.y, x.z])?;
                }
                self.seq_close(class, key);
            }
            Variant::PackedColorArray(a) => {
                let class = Some("PackedColorArray");
                self.seq_open(class, key)?;
                for c in a {
                    self.color(c)?;
                }
                self.seq_close(class, key);
            }
            Variant::PackedVector4Array(a) => {
                let class = Some("PackedVector4Array");
                self.seq_open(class, key)?;
                for x in a {
                    self.tuple_class("Vector4", &[x.x, x.y, x.z, x.w])?;
                }
                self.seq_close(class, key);
            }
        }
        Ok(())
    }

    fn int(&mut self, i: i64) {
        if (0..256).contains(&i) {
            self.out.extend_from_slice(&[BININT1, i as u8]);
        } else if let Ok(small) = i32::try_from(i) {
            self.out.push(BININT);
            self.out.extend_from_slice(&small.to_le_bytes());
        } else {
            // LONG1: n bytes of little-endian two's complement.
            self.out.extend_from_slice(&[LONG1, 8]);
            self.out.extend_from_slice(&i.to_le_bytes());
        }
    }

    /// An unsigned 64-bit id: nine bytes so that the top bit is not read as a sign.
    fn uint(&mut self, u: u64) {
        match i64::try_from(u) {
            Ok(i) => self.int(i),
            Err(_) => {
                self.out.extend_from_slice(&[LONG1, 9]);
                self.out.extend_from_slice(&u.to_le_bytes());
                self.out.push(0);
            }
        }
    }

    fn float(&mut self, f: f64) {
        // BINFLOAT is big-endian; every bit (NaN payloads included) survives.
        self.out.push(BINFLOAT);
        self.out.extend_from_slice(&f.to_be_bytes());
    }

    fn str(&mut self, s: &str) {
        match u8::try_from(s.len()) {
            Ok(n) => self.out.extend_from_slice(&[SHORT_BINUNICODE, n]),
            Err(_) => {
                self.out.push(BINUNICODE);
                // Godot sizes are below 2^31 (the codec refuses bigger), so the length fits.
                self.out
                    .extend_from_slice(&u32::try_from(s.len()).unwrap_or(u32::MAX).to_le_bytes());
            }
        }
        self.out.extend_from_slice(s.as_bytes());
    }

    /// A dictionary-key string, shared through the memo after its first use.
    fn key_str(&mut self, s: &'v str) {
        if let Some(&slot) = self.keys.get(s) {
            self.get(slot);
        } else {
            self.str(s);
            if self.keys.len() < KEY_MEMO_MAX_ENTRIES {
                let slot = self.memoize();
                self.keys.insert(s, slot);
            }
        }
    }

    /// MEMOIZE: the top of the stack takes the next memo slot.
    fn memoize(&mut self) -> u32 {
        self.out.push(MEMOIZE);
        self.slots += 1;
        self.slots - 1
    }

    /// Pushes memo slot `slot`.
    fn get(&mut self, slot: u32) {
        match u8::try_from(slot) {
            Ok(s) => self.out.extend_from_slice(&[BINGET, s]),
            Err(_) => {
                self.out.push(LONG_BINGET);
                self.out.extend_from_slice(&slot.to_le_bytes());
            }
        }
    }

    fn bytes(&mut self, b: &[u8]) {
        match u8::try_from(b.len()) {
            Ok(n) => self.out.extend_from_slice(&[SHORT_BINBYTES, n]),
            Err(_) => {
                self.out.push(BINBYTES);
                self.out
                    .extend_from_slice(&u32::try_from(b.len()).unwrap_or(u32::MAX).to_le_bytes());
            }
        }
        self.out.extend_from_slice(b);
    }

    /// Pushes `module.name` (memoized after its first use).
    fn global(&mut self, name: &'static str) -> Result<(), Error> {
        let module = self.module;
        self.global_in(module, name)
    }

    fn global_in(&mut self, module: &str, name: &'static str) -> Result<(), Error> {
        if let Some(&slot) = self.memo.get(name) {
            self.get(slot);
            return Ok(());
        }
        self.str(module);
        self.str(name);
        self.out.push(STACK_GLOBAL);
        let slot = self.memoize();
        self.memo.insert(name, slot);
        Ok(())
    }

    /// Pushes `tuple.__new__` and the class, then opens the class's field tuple: the caller writes
    /// the fields and closes with TUPLE?, TUPLE2, REDUCE.
    fn tuple_new(&mut self, class: &'static str) -> Result<(), Error> {
        // "tuple.__new__" is a qualified name: protocol 4 resolves the dotted path.
        self.global_in("builtins", "tuple.__new__")?;
        self.global(class)
    }

    fn tuple_class(&mut self, class: &'static str, vals: &[f64]) -> Result<(), Error> {
        self.tuple_new(class)?;
        self.out.push(MARK);
        vals.iter().for_each(|&x| self.float(x));
        self.out.extend_from_slice(&[TUPLE, TUPLE2, REDUCE]);
        Ok(())
    }

    fn tuple_class_i(&mut self, class: &'static str, vals: &[i32]) -> Result<(), Error> {
        self.tuple_new(class)?;
        self.out.push(MARK);
        vals.iter().for_each(|&x| self.int(x.into()));
        self.out.extend_from_slice(&[TUPLE, TUPLE2, REDUCE]);
        Ok(())
    }

    fn color(&mut self, c: &Color) -> Result<(), Error> {
        let vals = [c.r, c.g, c.b, c.a].map(f64::from);
        self.tuple_class("Color", &vals)
    }

    /// Opens a list (`class` None), a `class([...])` call, or, inside a dictionary key, a tuple.
    fn seq_open(&mut self, class: Option<&'static str>, key: bool) -> Result<(), Error> {
        if key {
            self.out.push(MARK);
            return Ok(());
        }
        if let Some(c) = class {
            self.global(c)?;
        }
        self.out.push(EMPTY_LIST);
        self.out.push(MARK);
        Ok(())
    }

    fn seq_close(&mut self, class: Option<&'static str>, key: bool) {
        self.out.extend_from_slice(Self::seq_close_ops(class, key));
    }

    /// What closes a sequence `seq_open` opened.
    fn seq_close_ops(class: Option<&'static str>, key: bool) -> &'static [u8] {
        match (key, class) {
            (true, _) => &[TUPLE],
            (false, None) => &[APPENDS],
            (false, Some(_)) => &[APPENDS, TUPLE1, REDUCE],
        }
    }

    /// `array.array(code, native bytes)`; inside a key only opens the tuple the caller fills.
    fn packed_numeric(
        &mut self,
        key: bool,
        code: &str,
        byte_len: usize,
        fill: impl FnOnce(&mut Vec<u8>),
    ) -> Result<(), Error> {
        if key {
            self.out.push(MARK);
            return Ok(());
        }
        self.global_in("array", "array")?;
        self.str(code);
        let mut buf = Vec::with_capacity(byte_len);
        fill(&mut buf);
        self.bytes(&buf);
        self.out.extend_from_slice(&[TUPLE2, REDUCE]);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::variant::{Array, Dictionary};

    #[test]
    fn frame_and_scalars() {
        let p = to_pickle(&Variant::Int(-2), "m").unwrap();
        assert_eq!(p, [PROTO, 4, BININT, 0xfe, 0xff, 0xff, 0xff, STOP]);
        let p = to_pickle(&Variant::Int(i64::MIN), "m").unwrap();
        assert_eq!(&p[2..4], &[LONG1, 8]);
        let p = to_pickle(&Variant::Rid(u64::MAX), "m").unwrap();
        assert!(
            p.windows(2).any(|w| w == [LONG1, 9]),
            "u64 ids keep their top bit unsigned"
        );
    }

    #[test]
    fn keys_are_hashable_or_refused() {
        let mut d = Dictionary::new();
        let arr = Array {
            elements: vec![Variant::Int(1)],
            element_type: Default::default(),
        };
        d.insert(Variant::Array(Box::new(arr)), Variant::Nil);
        let p = to_pickle(&Variant::Dictionary(Box::new(d)), "m").unwrap();
        assert!(
            p.contains(&TUPLE) && !p.contains(&EMPTY_LIST),
            "an Array key is a tuple"
        );

        let mut d = Dictionary::new();
        d.insert(Variant::Dictionary(Box::default()), Variant::Nil);
        let r = to_pickle(&Variant::Dictionary(Box::new(d)), "m");
        assert_eq!(r.unwrap_err(), Error::InvalidParameter);
    }

    #[test]
    fn repeated_keys_and_classes_come_from_the_memo() {
        let mut items = Vec::new();
        for i in 0..3 {
            let mut d = Dictionary::new();
            d.insert(
                Variant::String("pos".into()),
                Variant::Vector2(Default::default()),
            );
            d.insert(Variant::String("id".into()), Variant::Int(i));
            items.push(Variant::Dictionary(Box::new(d)));
        }
        let v = Variant::Array(Box::new(Array {
            elements: items,
            element_type: Default::default(),
        }));
        let p = to_pickle(&v, "packetpeer.types").unwrap();
        let count = |needle: &[u8]| p.windows(needle.len()).filter(|w| *w == needle).count();
        assert_eq!(count(b"pos"), 1);
        assert_eq!(count(b"Vector2"), 1);
        assert_eq!(count(b"tuple.__new__"), 1);
    }

    fn nested(levels: u32) -> Variant {
        let mut v = Variant::Nil;
        for i in 0..levels {
            v = if i % 2 == 0 {
                Variant::Array(Box::new(Array {
                    elements: vec![v],
                    element_type: Default::default(),
                }))
            } else {
                let mut d = Dictionary::new();
                d.insert(Variant::Int(1), v);
                Variant::Dictionary(Box::new(d))
            };
        }
        v
    }

    #[test]
    fn nesting_is_bounded_and_needs_no_deep_stack() {
        // On a 64 KiB thread: the writer keeps its work on the heap, not on the call stack.
        std::thread::Builder::new()
            .stack_size(64 << 10)
            .spawn(|| {
                let deepest = nested(MAX_RECURSION_DEPTH); // its innermost value sits at depth 1024
                assert!(to_pickle(&deepest, "m").is_ok());
                let too_deep = nested(MAX_RECURSION_DEPTH + 1);
                assert_eq!(to_pickle(&too_deep, "m").unwrap_err(), Error::OutOfMemory);
                // the values are dropped on a bigger stack below
                (deepest, too_deep)
            })
            .unwrap()
            .join()
            .map(drop)
            .unwrap();
    }
}
