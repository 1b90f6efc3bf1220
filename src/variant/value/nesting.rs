//! `Clone`, `PartialEq`, `Drop` and `Debug` of the containers ([`Array`], [`Dictionary`],
//! [`FullObject`]) without one native call per nesting level.
//!
//! Derived impls recurse once per level: a value nested 1024 deep (what the engine allows, and what
//! a hostile peer may legally send) then needs about half a MiB of stack in release builds and
//! several MiB in debug builds. Here copying, comparing and dropping walk nested containers with
//! an explicit heap stack, so any value can be handled on any thread (a 256 KiB stack is plenty).
//! A container whose elements hold no further containers (the common case) takes a fast path
//! that is the plain element-wise operation. `Debug` still recurses but prints containers nested
//! deeper than [`DEBUG_MAX_DEPTH`] as `…`.
#![forbid(unsafe_code)]

use std::cell::Cell;
use std::fmt;

use super::{Array, Dictionary, FullObject, Object, Variant};

/// Whether `v` is a container with contents: handling it means going another level down.
fn nests(v: &Variant) -> bool {
    match v {
        Variant::Array(a) => !a.elements.is_empty(),
        Variant::Dictionary(d) => !d.entries.is_empty(),
        Variant::Object(Object::Full(o)) => !o.properties.is_empty(),
        _ => false,
    }
}

fn pair_nests((k, v): &(Variant, Variant)) -> bool {
    nests(k) || nests(v)
}

fn prop_nests((_, v): &(String, Variant)) -> bool {
    nests(v)
}

/// Whether `v` holds a container with contents, i.e. a plain (recursive) operation on `v` would
/// go at least two levels down.
fn nests_twice(v: &Variant) -> bool {
    match v {
        Variant::Array(a) => a.elements.iter().any(nests),
        Variant::Dictionary(d) => d.entries.iter().any(pair_nests),
        Variant::Object(Object::Full(o)) => o.properties.iter().any(prop_nests),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Drop

/// Drops the values on `stack`, moving the contents of nested containers onto the stack first,
/// so every value is dropped when it no longer holds anything that nests.
fn drop_flat(mut stack: Vec<Variant>) {
    while let Some(v) = stack.pop() {
        match v {
            Variant::Array(mut a) if a.elements.iter().any(nests) => {
                stack.append(&mut a.elements);
            }
            Variant::Dictionary(mut d) if d.entries.iter().any(pair_nests) => {
                stack.reserve(2 * d.entries.len());
                for (k, v) in d.entries.drain(..) {
                    stack.push(k);
                    stack.push(v);
                }
            }
            Variant::Object(Object::Full(mut o)) if o.properties.iter().any(prop_nests) => {
                stack.extend(o.properties.drain(..).map(|(_, v)| v));
            }
            // Holds nothing that nests: dropping it goes at most one level down.
            _ => {}
        }
    }
}

impl Drop for Array {
    fn drop(&mut self) {
        if self.elements.iter().any(nests) {
            drop_flat(std::mem::take(&mut self.elements));
        }
    }
}

impl Drop for Dictionary {
    fn drop(&mut self) {
        if self.entries.iter().any(pair_nests) {
            let mut stack = Vec::with_capacity(2 * self.entries.len());
            for (k, v) in self.entries.drain(..) {
                stack.push(k);
                stack.push(v);
            }
            drop_flat(stack);
        }
    }
}

impl Drop for FullObject {
    fn drop(&mut self) {
        if self.properties.iter().any(prop_nests) {
            drop_flat(self.properties.drain(..).map(|(_, v)| v).collect());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Clone

/// A container being copied: its source and the copy built so far.
trait Fill<'a> {
    /// Takes the copy of the current child; returns the next child to copy, or `None` when the
    /// container is complete.
    fn accept(&mut self, child: Variant) -> Option<&'a Variant>;
}

struct ArrayFill<'a> {
    src: &'a Array,
    out: Array,
}

impl<'a> ArrayFill<'a> {
    fn new(src: &'a Array) -> Self {
        let out = Array {
            element_type: src.element_type.clone(),
            elements: Vec::with_capacity(src.elements.len()),
        };
        ArrayFill { src, out }
    }
}

impl<'a> Fill<'a> for ArrayFill<'a> {
    fn accept(&mut self, child: Variant) -> Option<&'a Variant> {
        self.out.elements.push(child);
        self.src.elements.get(self.out.elements.len())
    }
}

struct DictFill<'a> {
    src: &'a Dictionary,
    /// Boxed: a Dictionary keeps its first entries inline and is large.
    out: Box<Dictionary>,
    /// The copy of the current entry's key, waiting for its value.
    key: Option<Variant>,
}

impl<'a> DictFill<'a> {
    fn new(src: &'a Dictionary) -> Self {
        let out = Box::new(Dictionary {
            key_type: src.key_type.clone(),
            value_type: src.value_type.clone(),
            entries: super::Entries::with_capacity(src.entries.len()),
            // Copied keys are equal to the originals, so they hash alike and sit at the same
            // positions: the index carries over as is.
            index: src.index.clone(),
        });
        DictFill {
            src,
            out,
            key: None,
        }
    }
}

impl<'a> Fill<'a> for DictFill<'a> {
    fn accept(&mut self, child: Variant) -> Option<&'a Variant> {
        match self.key.take() {
            None => {
                let i = self.out.entries.len();
                self.key = Some(child);
                self.src.entries.get(i).map(|(_, v)| v)
            }
            Some(k) => {
                self.out.entries.push((k, child));
                self.src.entries.get(self.out.entries.len()).map(|(k, _)| k)
            }
        }
    }
}

struct ObjectFill<'a> {
    src: &'a FullObject,
    out: FullObject,
}

impl<'a> ObjectFill<'a> {
    fn new(src: &'a FullObject) -> Self {
        let out = FullObject {
            class_name: src.class_name.clone(),
            properties: Vec::with_capacity(src.properties.len()),
        };
        ObjectFill { src, out }
    }
}

impl<'a> Fill<'a> for ObjectFill<'a> {
    fn accept(&mut self, child: Variant) -> Option<&'a Variant> {
        let i = self.out.properties.len();
        let name = self.src.properties.get(i).map(|(n, _)| n.clone());
        self.out.properties.push((name.unwrap_or_default(), child));
        self.src.properties.get(i + 1).map(|(_, v)| v)
    }
}

/// A nested container being copied below the one `clone_into` was called for.
enum Frame<'a> {
    Array(ArrayFill<'a>),
    Dictionary(DictFill<'a>),
    Object(ObjectFill<'a>),
}

impl<'a> Frame<'a> {
    /// Starts copying `v` element by element if a plain clone of it would recurse more than one
    /// level; returns the frame and its first child.
    fn open(v: &'a Variant) -> Option<(Frame<'a>, &'a Variant)> {
        if !nests_twice(v) {
            return None;
        }
        match v {
            Variant::Array(a) => {
                let first = a.elements.first()?;
                Some((Frame::Array(ArrayFill::new(a)), first))
            }
            Variant::Dictionary(d) => {
                let (first, _) = d.entries.first()?;
                Some((Frame::Dictionary(DictFill::new(d)), first))
            }
            Variant::Object(Object::Full(o)) => {
                let (_, first) = o.properties.first()?;
                Some((Frame::Object(ObjectFill::new(o)), first))
            }
            _ => None,
        }
    }

    fn accept(&mut self, child: Variant) -> Option<&'a Variant> {
        match self {
            Frame::Array(f) => f.accept(child),
            Frame::Dictionary(f) => f.accept(child),
            Frame::Object(f) => f.accept(child),
        }
    }

    fn finish(self) -> Variant {
        match self {
            Frame::Array(f) => Variant::Array(Box::new(f.out)),
            Frame::Dictionary(f) => Variant::Dictionary(f.out),
            Frame::Object(f) => Variant::Object(Object::Full(Box::new(f.out))),
        }
    }
}

/// Copies the children of `root`'s source, starting with `first`, into `root`.
fn clone_into<'a>(root: &mut impl Fill<'a>, first: &'a Variant) {
    let mut stack: Vec<Frame<'a>> = Vec::new();
    let mut next = first;
    loop {
        // Descend to the first value under `next` that a plain clone copies without recursing
        // more than one level.
        let mut done = match Frame::open(next) {
            Some((frame, first)) => {
                stack.push(frame);
                next = first;
                continue;
            }
            None => next.clone(),
        };
        // Hand finished values up until some container has another child to copy.
        loop {
            let child = match stack.last_mut() {
                Some(top) => top.accept(done),
                None => root.accept(done),
            };
            if let Some(child) = child {
                next = child;
                break;
            }
            match stack.pop() {
                Some(frame) => done = frame.finish(),
                None => return,
            }
        }
    }
}

impl Clone for Array {
    fn clone(&self) -> Self {
        match self.elements.first() {
            Some(first) if self.elements.iter().any(nests_twice) => {
                let mut f = ArrayFill::new(self);
                clone_into(&mut f, first);
                f.out
            }
            _ => Array {
                element_type: self.element_type.clone(),
                elements: self.elements.clone(),
            },
        }
    }
}

impl Clone for Dictionary {
    fn clone(&self) -> Self {
        match self.entries.first() {
            Some((first, _))
                if self
                    .entries
                    .iter()
                    .any(|(k, v)| nests_twice(k) || nests_twice(v)) =>
            {
                let mut f = DictFill::new(self);
                clone_into(&mut f, first);
                *f.out
            }
            _ => Dictionary {
                key_type: self.key_type.clone(),
                value_type: self.value_type.clone(),
                entries: self.entries.clone(),
                index: self.index.clone(),
            },
        }
    }
}

impl Clone for FullObject {
    fn clone(&self) -> Self {
        match self.properties.first() {
            Some((_, first)) if self.properties.iter().any(|(_, v)| nests_twice(v)) => {
                let mut f = ObjectFill::new(self);
                clone_into(&mut f, first);
                f.out
            }
            _ => FullObject {
                class_name: self.class_name.clone(),
                properties: self.properties.clone(),
            },
        }
    }
}

// ---------------------------------------------------------------------------------------------
// PartialEq

/// Compares `a` and `b`; when both are containers of the same kind, compares their own parts
/// and queues their children instead of recursing.
fn eq_step<'a>(a: &'a Variant, b: &'a Variant, todo: &mut Vec<(&'a Variant, &'a Variant)>) -> bool {
    match (a, b) {
        (Variant::Array(x), Variant::Array(y)) => {
            if x.element_type != y.element_type || x.elements.len() != y.elements.len() {
                return false;
            }
            todo.extend(x.elements.iter().zip(&y.elements));
            true
        }
        (Variant::Dictionary(x), Variant::Dictionary(y)) => {
            if !x.same_header(y) {
                return false;
            }
            for ((xk, xv), (yk, yv)) in x.entries.iter().zip(&y.entries) {
                todo.push((xk, yk));
                todo.push((xv, yv));
            }
            true
        }
        (Variant::Object(Object::Full(x)), Variant::Object(Object::Full(y))) => {
            if !x.same_header(y) {
                return false;
            }
            todo.extend(
                x.properties
                    .iter()
                    .zip(&y.properties)
                    .map(|(p, q)| (&p.1, &q.1)),
            );
            true
        }
        // Holds no Variants (or the kinds differ): the plain comparison does not recurse.
        _ => a == b,
    }
}

/// Whether every pair is equal, without native recursion.
fn eq_all<'a>(pairs: impl Iterator<Item = (&'a Variant, &'a Variant)>) -> bool {
    let mut todo = Vec::new();
    for (a, b) in pairs {
        if !eq_step(a, b, &mut todo) {
            return false;
        }
    }
    while let Some((a, b)) = todo.pop() {
        if !eq_step(a, b, &mut todo) {
            return false;
        }
    }
    true
}

impl Dictionary {
    fn same_header(&self, o: &Dictionary) -> bool {
        self.key_type == o.key_type
            && self.value_type == o.value_type
            && self.entries.len() == o.entries.len()
    }
}

impl FullObject {
    /// Same class, same property names in the same order.
    fn same_header(&self, o: &FullObject) -> bool {
        self.class_name == o.class_name
            && self.properties.len() == o.properties.len()
            && self
                .properties
                .iter()
                .zip(&o.properties)
                .all(|(p, q)| p.0 == q.0)
    }
}

impl PartialEq for Array {
    fn eq(&self, o: &Self) -> bool {
        self.element_type == o.element_type
            && self.elements.len() == o.elements.len()
            && eq_all(self.elements.iter().zip(&o.elements))
    }
}

impl PartialEq for Dictionary {
    /// Same types, same pairs in the same order.
    fn eq(&self, o: &Self) -> bool {
        self.same_header(o)
            && eq_all(
                self.entries
                    .iter()
                    .zip(&o.entries)
                    .flat_map(|((xk, xv), (yk, yv))| [(xk, yk), (xv, yv)]),
            )
    }
}

impl PartialEq for FullObject {
    /// Same class, same properties (names and values) in the same order.
    fn eq(&self, o: &Self) -> bool {
        self.same_header(o)
            && eq_all(
                self.properties
                    .iter()
                    .zip(&o.properties)
                    .map(|(p, q)| (&p.1, &q.1)),
            )
    }
}

// ---------------------------------------------------------------------------------------------
// Debug

/// Containers nested deeper than this print as `…` in `Debug` output (which recurses).
pub const DEBUG_MAX_DEPTH: u32 = 32;

thread_local! {
    static DEBUG_DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// One level of `Debug` nesting, released when dropped (also when formatting fails or panics).
struct DebugLevel;

impl DebugLevel {
    fn enter() -> Option<DebugLevel> {
        let d = DEBUG_DEPTH.get();
        if d >= DEBUG_MAX_DEPTH {
            return None;
        }
        DEBUG_DEPTH.set(d + 1);
        Some(DebugLevel)
    }
}

impl Drop for DebugLevel {
    fn drop(&mut self) {
        DEBUG_DEPTH.set(DEBUG_DEPTH.get().saturating_sub(1));
    }
}

impl fmt::Debug for Array {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(_level) = DebugLevel::enter() else {
            return f.write_str("…");
        };
        f.debug_struct("Array")
            .field("element_type", &self.element_type)
            .field("elements", &self.elements)
            .finish()
    }
}

impl fmt::Debug for Dictionary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(_level) = DebugLevel::enter() else {
            return f.write_str("…");
        };
        f.debug_struct("Dictionary")
            .field("key_type", &self.key_type)
            .field("value_type", &self.value_type)
            .field("entries", &self.entries)
            .finish()
    }
}

impl fmt::Debug for FullObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(_level) = DebugLevel::enter() else {
            return f.write_str("…");
        };
        f.debug_struct("FullObject")
            .field("class_name", &self.class_name)
            .field("properties", &self.properties)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::variant::{
        decode, encode, ContainerType, DecodeOptions, EncodeOptions, VariantType,
    };

    fn arr(elements: Vec<Variant>) -> Variant {
        Variant::Array(Box::new(Array {
            element_type: ContainerType::Any,
            elements,
        }))
    }

    fn obj(properties: Vec<(String, Variant)>) -> Variant {
        Variant::Object(Object::Full(Box::new(FullObject {
            class_name: "Node".into(),
            properties,
        })))
    }

    fn sample() -> Variant {
        let mut d = Dictionary::new();
        d.key_type = ContainerType::Builtin(VariantType::String);
        for i in 0..20 {
            d.insert(
                Variant::String(format!("k{i}").into()),
                arr(vec![Variant::Int(i), Variant::Float(f64::NAN)]),
            );
        }
        arr(vec![
            Variant::Nil,
            obj(vec![
                ("a".into(), arr(vec![])),
                ("b".into(), Variant::Dictionary(Box::new(d))),
            ]),
            arr(vec![arr(vec![Variant::StringName("x".into())])]),
            Variant::Dictionary(Box::default()),
        ])
    }

    #[test]
    fn clone_and_eq_see_everything() {
        let v = sample();
        let c = v.clone();
        assert_eq!(c, v);
        assert_eq!(format!("{c:?}"), format!("{v:?}"));
        // The copied dictionary's index still finds every key.
        let Variant::Array(a) = &c else { panic!() };
        let Variant::Object(Object::Full(o)) = &a.elements[1] else {
            panic!()
        };
        let Variant::Dictionary(d) = &o.properties[1].1 else {
            panic!()
        };
        assert!(d.len() > Dictionary::INDEX_THRESHOLD);
        for i in 0..20 {
            assert!(d.contains_key(&Variant::StringName(format!("k{i}").into())));
        }
        // A difference anywhere is seen.
        let changes: [fn(&mut Array); 5] = [
            |a| a.elements[2] = arr(vec![arr(vec![Variant::String("x".into())])]),
            |a| a.elements.push(Variant::Nil),
            |a| a.element_type = ContainerType::Builtin(VariantType::Int),
            |a| {
                let Variant::Object(Object::Full(o)) = &mut a.elements[1] else {
                    panic!()
                };
                o.properties[0].0 = "z".into();
            },
            |a| {
                let Variant::Object(Object::Full(o)) = &mut a.elements[1] else {
                    panic!()
                };
                let Variant::Dictionary(d) = &mut o.properties[1].1 else {
                    panic!()
                };
                *d.get_index_mut(19).unwrap().1 = Variant::Float(-0.0);
            },
        ];
        for change in changes {
            let Variant::Array(mut a) = v.clone() else {
                panic!()
            };
            change(&mut a);
            let changed = Variant::Array(a);
            assert_ne!(changed, v);
            assert_ne!(v, changed);
        }
        assert_ne!(Variant::Float(0.0), Variant::Float(-0.0));
        assert_eq!(Variant::Float(f64::NAN), Variant::Float(f64::NAN));
    }

    type Wrap = fn(Variant) -> Variant;

    /// `levels` containers made by `wrap` around `Int(leaf)`.
    fn nested(wrap: Wrap, levels: usize, leaf: i64) -> Variant {
        let mut v = Variant::Int(leaf);
        for _ in 0..levels {
            v = wrap(v);
        }
        v
    }

    fn wrap_array(v: Variant) -> Variant {
        arr(vec![Variant::Nil, v])
    }
    fn wrap_dict(v: Variant) -> Variant {
        let mut d = Dictionary::new();
        d.insert(Variant::String("a".into()), Variant::Int(1));
        d.insert(arr(vec![v]), Variant::Nil);
        Variant::Dictionary(Box::new(d))
    }
    fn wrap_dict_value(v: Variant) -> Variant {
        let mut d = Dictionary::new();
        d.insert(Variant::Int(0), v);
        Variant::Dictionary(Box::new(d))
    }
    fn wrap_object(v: Variant) -> Variant {
        obj(vec![("script".into(), Variant::Nil), ("p".into(), v)])
    }

    /// Clones, compares, formats and drops `v`; `w` has the same shape but a different innermost
    /// value, so comparing them goes all the way down.
    fn exercise(v: Variant, w: Variant) {
        let c = v.clone();
        assert!(c == v);
        assert!(v == c);
        assert!(w != v);
        assert!(v != w);
        let text = format!("{v:?}");
        assert!(text.contains('…'), "deep Debug output is cut");
        assert!(text.len() < 64 << 10);
        drop(c);
        drop(w);
        drop(v);
    }

    fn on_small_stack(f: impl FnOnce() + Send + 'static) {
        std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(f)
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn deep_values_on_a_small_stack() {
        on_small_stack(|| {
            for wrap in [wrap_array, wrap_dict, wrap_dict_value, wrap_object] {
                exercise(nested(wrap, 1025, 7), nested(wrap, 1025, 8));
            }
            // Far deeper than the codec allows, only through construction.
            let v = nested(|v| wrap_dict_value(arr(vec![v])), 50_000, 7);
            let c = v.clone();
            assert!(c == v);
            drop(c);
            drop(v);
        });
    }

    #[test]
    fn decoded_deep_values_on_a_small_stack() {
        on_small_stack(|| {
            let dopts = DecodeOptions {
                allow_objects: true,
                ..DecodeOptions::default()
            };
            let eopts = EncodeOptions {
                full_objects: true,
                ..EncodeOptions::default()
            };
            let dec = |b: &[u8]| {
                let (v, n) = decode(b, &dopts).unwrap();
                assert_eq!(n, b.len());
                v
            };
            // 1025 levels (depths 0..=1024, the most the engine accepts), the int included.
            let cases: [(Wrap, usize); 4] = [
                (wrap_array, 1024),
                (wrap_dict, 512),
                (wrap_dict_value, 1024),
                (wrap_object, 1024),
            ];
            for (wrap, levels) in cases {
                let v = dec(&encode(&nested(wrap, levels, 7), &eopts).unwrap());
                let w = dec(&encode(&nested(wrap, levels, 8), &eopts).unwrap());
                assert!(v == nested(wrap, levels, 7));
                exercise(v, w);
            }
            // 1025 nested arrays, the innermost empty.
            let mut bytes = [28u8, 0, 0, 0, 1, 0, 0, 0].repeat(1024);
            let mut other = bytes.clone();
            bytes.extend_from_slice(&[28, 0, 0, 0, 0, 0, 0, 0]);
            other.extend_from_slice(&[2, 0, 0, 0, 0, 0, 0, 0]);
            exercise(dec(&bytes), dec(&other));
        });
    }
}
