//! Copy and compare Variants without native recursion.
//!
//! The derived `Clone` and `PartialEq` of [`Variant`] recurse once per nesting level: a value nested
//! 1024 deep (what the engine allows, and what a peer may send) needs about half a MiB of stack in
//! release builds and several MiB in debug builds. [`deep_clone`], [`deep_eq`] and [`deep_drop`]
//! give the same results with an explicit heap stack, so the C API can copy, compare and free any
//! value on any thread.
#![forbid(unsafe_code)]

use super::{Array, Dictionary, FullObject, Object, Variant};

/// A container being copied: the source and the copy built so far.
enum Frame<'a> {
    Array {
        src: &'a Array,
        out: Array,
    },
    Dictionary {
        src: &'a Dictionary,
        out: Dictionary,
        /// The copy of the current entry's key, waiting for its value.
        key: Option<Variant>,
    },
    Object {
        src: &'a FullObject,
        out: FullObject,
    },
}

impl<'a> Frame<'a> {
    /// Starts copying `v` if it is a non-empty container; returns the frame and the first child.
    fn open(v: &'a Variant) -> Option<(Frame<'a>, &'a Variant)> {
        match v {
            Variant::Array(a) => a.elements.first().map(|first| {
                let out = Array {
                    element_type: a.element_type.clone(),
                    elements: Vec::with_capacity(a.elements.len()),
                };
                (Frame::Array { src: a, out }, first)
            }),
            Variant::Dictionary(d) => d.get_index(0).map(|(k, _)| {
                let mut out = Dictionary::with_capacity(d.len());
                out.key_type = d.key_type.clone();
                out.value_type = d.value_type.clone();
                let frame = Frame::Dictionary {
                    src: d,
                    out,
                    key: None,
                };
                (frame, k)
            }),
            Variant::Object(Object::Full(o)) => o.properties.first().map(|(_, first)| {
                let out = FullObject {
                    class_name: o.class_name.clone(),
                    properties: Vec::with_capacity(o.properties.len()),
                };
                (Frame::Object { src: o, out }, first)
            }),
            _ => None,
        }
    }

    /// Takes the copy of the current child; returns the next child to copy, or `None` when the
    /// container is complete.
    fn accept(&mut self, child: Variant) -> Option<&'a Variant> {
        match self {
            Frame::Array { src, out } => {
                out.elements.push(child);
                src.elements.get(out.elements.len())
            }
            Frame::Dictionary { src, out, key } => match key.take() {
                None => {
                    let i = out.len();
                    *key = Some(child);
                    src.get_index(i).map(|(_, v)| v)
                }
                Some(k) => {
                    out.insert(k, child);
                    src.get_index(out.len()).map(|(k, _)| k)
                }
            },
            Frame::Object { src, out } => {
                let i = out.properties.len();
                let name = src.properties.get(i).map(|(n, _)| n.clone());
                out.properties.push((name.unwrap_or_default(), child));
                src.properties.get(i + 1).map(|(_, v)| v)
            }
        }
    }

    fn finish(self) -> Variant {
        match self {
            Frame::Array { out, .. } => Variant::Array(Box::new(out)),
            Frame::Dictionary { out, .. } => Variant::Dictionary(Box::new(out)),
            Frame::Object { out, .. } => Variant::Object(Object::Full(out)),
        }
    }
}

/// A copy of `v`, equal to `v.clone()`, built without native recursion.
pub fn deep_clone(v: &Variant) -> Variant {
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut next = v;
    loop {
        // Descend to the first leaf (or empty container) under `next`.
        let mut done = match Frame::open(next) {
            Some((frame, first)) => {
                stack.push(frame);
                next = first;
                continue;
            }
            None => next.clone(), // no children: a shallow clone
        };
        // Hand finished values up until some container has another child to copy.
        loop {
            let Some(mut top) = stack.pop() else {
                return done;
            };
            if let Some(child) = top.accept(done) {
                stack.push(top);
                next = child;
                break;
            }
            done = top.finish();
        }
    }
}

/// Drops `v` level by level, so a deeply nested value never recurses on the native stack.
pub fn deep_drop(v: Variant) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Variant::Array(a) => stack.extend(a.elements),
            Variant::Dictionary(d) => {
                for (k, v) in d.into_pairs() {
                    stack.push(k);
                    stack.push(v);
                }
            }
            Variant::Object(Object::Full(o)) => {
                stack.extend(o.properties.into_iter().map(|(_, v)| v))
            }
            _ => {} // holds no Variants: dropping it does not recurse
        }
    }
}

/// An owned Variant that is freed with [`deep_drop`] when it goes out of scope, early returns
/// included.
#[derive(Debug, Default)]
pub struct Flat(Variant);

impl Flat {
    pub fn new(v: Variant) -> Flat {
        Flat(v)
    }
    /// The value, to keep (the wrapper is left holding NIL).
    pub fn into_inner(mut self) -> Variant {
        std::mem::take(&mut self.0)
    }
}

impl std::ops::Deref for Flat {
    type Target = Variant;
    fn deref(&self) -> &Variant {
        &self.0
    }
}

impl Drop for Flat {
    fn drop(&mut self) {
        deep_drop(std::mem::take(&mut self.0));
    }
}

/// Whether `a == b` (the strict structural equality of [`Variant`]'s `PartialEq`: floats by bit
/// pattern, String differs from StringName, containers with their types and in order), decided
/// without native recursion.
pub fn deep_eq(a: &Variant, b: &Variant) -> bool {
    let mut pending = vec![(a, b)];
    while let Some((a, b)) = pending.pop() {
        match (a, b) {
            (Variant::Array(x), Variant::Array(y)) => {
                if x.element_type != y.element_type || x.elements.len() != y.elements.len() {
                    return false;
                }
                pending.extend(x.elements.iter().zip(&y.elements));
            }
            (Variant::Dictionary(x), Variant::Dictionary(y)) => {
                if x.key_type != y.key_type || x.value_type != y.value_type || x.len() != y.len() {
                    return false;
                }
                for ((xk, xv), (yk, yv)) in x.iter().zip(y.iter()) {
                    pending.push((xk, yk));
                    pending.push((xv, yv));
                }
            }
            (Variant::Object(Object::Full(x)), Variant::Object(Object::Full(y))) => {
                if x.class_name != y.class_name || x.properties.len() != y.properties.len() {
                    return false;
                }
                for ((xn, xv), (yn, yv)) in x.properties.iter().zip(&y.properties) {
                    if xn != yn {
                        return false;
                    }
                    pending.push((xv, yv));
                }
            }
            // Everything else holds no Variants, so the derived comparison does not recurse.
            _ => {
                if a != b {
                    return false;
                }
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::variant::{ContainerType, VariantType};

    fn arr(elements: Vec<Variant>) -> Variant {
        Variant::Array(Box::new(Array {
            element_type: ContainerType::Any,
            elements,
        }))
    }

    fn sample() -> Variant {
        let mut d = Dictionary::new();
        d.key_type = ContainerType::Builtin(VariantType::String);
        for i in 0..20 {
            d.insert(
                Variant::String(format!("k{i}")),
                arr(vec![Variant::Int(i), Variant::Float(f64::NAN)]),
            );
        }
        let obj = Variant::Object(Object::Full(FullObject {
            class_name: "Node".into(),
            properties: vec![
                ("a".into(), arr(vec![])),
                ("b".into(), Variant::Dictionary(Box::new(d))),
            ],
        }));
        arr(vec![
            Variant::Nil,
            obj,
            arr(vec![arr(vec![Variant::StringName("x".into())])]),
            Variant::Dictionary(Box::default()),
        ])
    }

    #[test]
    fn same_as_derived() {
        let v = sample();
        let c = deep_clone(&v);
        assert!(c == v);
        assert!(deep_eq(&c, &v));
        assert_eq!(format!("{c:?}"), format!("{:?}", v.clone()));
        // Differences anywhere are seen.
        let Variant::Array(mut a) = c.clone() else {
            panic!()
        };
        a.elements[2] = arr(vec![arr(vec![Variant::String("x".into())])]);
        let changed = Variant::Array(a);
        assert!(!deep_eq(&changed, &v));
        assert_eq!(deep_eq(&changed, &v), changed == v);
        assert!(!deep_eq(&Variant::Float(0.0), &Variant::Float(-0.0)));
        assert!(deep_eq(
            &Variant::Float(f64::NAN),
            &Variant::Float(f64::NAN)
        ));
    }

    #[test]
    fn deep_values_on_a_small_stack() {
        std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(|| {
                let mut v = arr(vec![]);
                for _ in 0..5000 {
                    v = arr(vec![v]);
                }
                let c = deep_clone(&v);
                assert!(deep_eq(&c, &v));
                deep_drop(c);
                deep_drop(v);
            })
            .unwrap()
            .join()
            .unwrap();
    }
}
