//! What a container may hold: the typed-container rules and the engine's nesting limit.
//!
//! These are the rules of the value model, not of one API: the C adapter (`src/ffi/variant`) calls
//! them, so a Rust user and a C user get the same answers and the same [`Error`] codes
//! (`ERR_INVALID_PARAMETER` for a value of the wrong type or an invalid container type,
//! `ERR_OUT_OF_MEMORY` — the engine's code — for a value nested too deep).
//!
//! The fields of [`Array`], [`Dictionary`] and [`FullObject`] stay public, so code that writes
//! them directly is not checked here; the codec still refuses to encode (and never decodes) a
//! value deeper than [`MAX_RECURSION_DEPTH`].
#![forbid(unsafe_code)]

use crate::error::Error;

use super::{Array, ContainerType, Dictionary, FullObject, Object, Variant, VariantType};

/// The engine's `MAX_RECURSION_DEPTH`: the outermost value is depth 0 and nothing may sit deeper
/// than this. One constant for the codec (both directions) and the container rules, so a value
/// the containers accept can always be encoded.
pub const MAX_RECURSION_DEPTH: u32 = 1024;

impl ContainerType {
    /// Whether a container of this type takes `v`. Typing is strict (an INT is not a FLOAT: the
    /// engine converts, but a converted value would not be the value the caller gave). Object-typed
    /// containers (`Builtin(Object)`, `Class`, `Script`) take any OBJECT and NIL (a null object):
    /// without instances there is no class inheritance to check.
    pub fn accepts(&self, v: &Variant) -> bool {
        match self {
            ContainerType::Any => true,
            ContainerType::Builtin(VariantType::Object)
            | ContainerType::Class(_)
            | ContainerType::Script(_) => matches!(v, Variant::Object(_) | Variant::Nil),
            ContainerType::Builtin(b) => v.get_type() == *b,
        }
    }

    /// Checks that this is a type a container can have: `Builtin` takes any type but NIL (NIL on
    /// the wire means untyped, which is [`ContainerType::Any`]), `Class` a non-empty class name and
    /// `Script` a `res://` path. Otherwise `ERR_INVALID_PARAMETER`.
    pub fn validate(&self) -> Result<(), Error> {
        let ok = match self {
            ContainerType::Any => true,
            ContainerType::Builtin(t) => *t != VariantType::Nil,
            ContainerType::Class(name) => !name.is_empty(),
            // A `res://` prefix also makes the path non-empty.
            ContainerType::Script(path) => path.starts_with("res://"),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }
}

impl Variant {
    /// Nesting height: 0 for a scalar or an empty container, else one more than its tallest child;
    /// that is the depth of the deepest value inside. Iterative, so any height is safe to measure.
    pub fn nesting_height(&self) -> usize {
        if !matches!(
            self,
            Variant::Array(_) | Variant::Dictionary(_) | Variant::Object(Object::Full(_))
        ) {
            return 0; // the common case, without allocating the walk's stack
        }
        let mut tallest = 0;
        let mut stack = vec![(self, 0usize)];
        while let Some((v, depth)) = stack.pop() {
            tallest = tallest.max(depth);
            match v {
                Variant::Array(a) => stack.extend(a.elements.iter().map(|c| (c, depth + 1))),
                Variant::Dictionary(d) => {
                    stack.extend(d.iter().flat_map(|(k, v)| [(k, depth + 1), (v, depth + 1)]))
                }
                Variant::Object(Object::Full(o)) => {
                    stack.extend(o.properties.iter().map(|(_, c)| (c, depth + 1)))
                }
                _ => {}
            }
        }
        tallest
    }

    /// Checks that `self` may go inside a container: the container (one level up) must stay within
    /// [`MAX_RECURSION_DEPTH`], or it could be neither encoded nor decoded. Otherwise
    /// `ERR_OUT_OF_MEMORY`, the engine's code for nesting too deep.
    pub fn check_nestable(&self) -> Result<(), Error> {
        if 1 + self.nesting_height() > MAX_RECURSION_DEPTH as usize {
            Err(Error::OutOfMemory)
        } else {
            Ok(())
        }
    }
}

/// `ERR_INVALID_PARAMETER` unless `t` accepts `v`.
fn check_type(t: &ContainerType, v: &Variant) -> Result<(), Error> {
    if t.accepts(v) {
        Ok(())
    } else {
        Err(Error::InvalidParameter)
    }
}

impl Array {
    /// Checks that `value` may become an element: of the element type (else
    /// `ERR_INVALID_PARAMETER`), then not nested so deep that the array would pass the engine's
    /// limit (else `ERR_OUT_OF_MEMORY`).
    pub fn check_element(&self, value: &Variant) -> Result<(), Error> {
        check_type(&self.element_type, value)?;
        value.check_nestable()
    }

    /// Appends `value` if [`Array::check_element`] allows it; on an error the array is unchanged.
    pub fn try_push(&mut self, value: Variant) -> Result<(), Error> {
        self.check_element(&value)?;
        self.elements.push(value);
        Ok(())
    }

    /// Replaces element `index` if [`Array::check_element`] allows `value`;
    /// `ERR_PARAMETER_RANGE_ERROR` when `index` is not below the length (checked after the value,
    /// as the C API does). On an error the array is unchanged.
    pub fn try_set(&mut self, index: usize, value: Variant) -> Result<(), Error> {
        self.check_element(&value)?;
        let slot = self
            .elements
            .get_mut(index)
            .ok_or(Error::ParameterRangeError)?;
        *slot = value;
        Ok(())
    }

    /// Makes the array typed (or untyped with [`ContainerType::Any`]). `ERR_INVALID_PARAMETER` when
    /// the type is not valid ([`ContainerType::validate`]) or an existing element does not match;
    /// the array is then unchanged.
    pub fn set_element_type(&mut self, t: ContainerType) -> Result<(), Error> {
        t.validate()?;
        for e in &self.elements {
            check_type(&t, e)?;
        }
        self.element_type = t;
        Ok(())
    }
}

impl Dictionary {
    /// Checks that `key` and `value` may become an entry: of the key and value types (else
    /// `ERR_INVALID_PARAMETER`), then neither nested so deep that the dictionary would pass the
    /// engine's limit (else `ERR_OUT_OF_MEMORY`).
    pub fn check_entry(&self, key: &Variant, value: &Variant) -> Result<(), Error> {
        check_type(&self.key_type, key)?;
        check_type(&self.value_type, value)?;
        key.check_nestable()?;
        value.check_nestable()
    }

    /// [`Dictionary::insert`] if [`Dictionary::check_entry`] allows the pair; on an error the
    /// dictionary is unchanged.
    pub fn try_insert(&mut self, key: Variant, value: Variant) -> Result<Option<Variant>, Error> {
        self.check_entry(&key, &value)?;
        Ok(self.insert(key, value))
    }

    /// Sets the key and value types (either may be [`ContainerType::Any`]).
    /// `ERR_INVALID_PARAMETER` when a type is not valid ([`ContainerType::validate`]) or an existing
    /// entry does not match; the dictionary is then unchanged.
    pub fn set_types(
        &mut self,
        key_type: ContainerType,
        value_type: ContainerType,
    ) -> Result<(), Error> {
        key_type.validate()?;
        value_type.validate()?;
        for (k, v) in self.iter() {
            check_type(&key_type, k)?;
            check_type(&value_type, v)?;
        }
        self.key_type = key_type;
        self.value_type = value_type;
        Ok(())
    }
}

impl FullObject {
    /// Checks that property `name` may be set to `value`: `name` is not empty and a `script`
    /// property is NIL or a `res://` path string (else `ERR_INVALID_PARAMETER`), then `value` is
    /// not nested too deep (else `ERR_OUT_OF_MEMORY`). Needs no object, so a caller can check its
    /// inputs before it looks for the object, as the C API does.
    pub fn check_property(name: &str, value: &Variant) -> Result<(), Error> {
        if name.is_empty() {
            return Err(Error::InvalidParameter);
        }
        if name == "script" {
            match value {
                Variant::Nil => {}
                Variant::String(path) if path.starts_with("res://") => {}
                _ => return Err(Error::InvalidParameter),
            }
        }
        value.check_nestable()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested_arrays(height: usize) -> Variant {
        let mut v = Variant::Array(Box::default());
        for _ in 0..height {
            let mut a = Array::default();
            a.elements.push(v);
            v = Variant::Array(Box::new(a));
        }
        v
    }

    #[test]
    fn accepts_is_strict_and_objects_take_nil() {
        let int = ContainerType::Builtin(VariantType::Int);
        assert!(int.accepts(&Variant::Int(1)));
        assert!(!int.accepts(&Variant::Float(1.0)));
        assert!(!int.accepts(&Variant::Nil));
        assert!(ContainerType::Any.accepts(&Variant::Nil));
        for t in [
            ContainerType::Builtin(VariantType::Object),
            ContainerType::Class("Node".into()),
            ContainerType::Script("res://a.gd".into()),
        ] {
            assert!(t.accepts(&Variant::Nil), "{t:?}");
            assert!(t.accepts(&Variant::Object(Object::Id(7))), "{t:?}");
            assert!(!t.accepts(&Variant::Int(7)), "{t:?}");
        }
    }

    #[test]
    fn validate_refuses_what_the_wire_cannot_mean() {
        let bad = Err(Error::InvalidParameter);
        assert_eq!(ContainerType::Any.validate(), Ok(()));
        assert_eq!(ContainerType::Builtin(VariantType::Int).validate(), Ok(()));
        assert_eq!(ContainerType::Builtin(VariantType::Nil).validate(), bad);
        assert_eq!(ContainerType::Class("Node".into()).validate(), Ok(()));
        assert_eq!(ContainerType::Class(String::new()).validate(), bad);
        assert_eq!(
            ContainerType::Script("res://p.gd".into()).validate(),
            Ok(())
        );
        assert_eq!(ContainerType::Script("p.gd".into()).validate(), bad);
        assert_eq!(ContainerType::Script(String::new()).validate(), bad);
    }

    #[test]
    fn nesting_height_counts_levels() {
        assert_eq!(Variant::Int(1).nesting_height(), 0);
        assert_eq!(Variant::Array(Box::default()).nesting_height(), 0);
        assert_eq!(nested_arrays(3).nesting_height(), 3);
        let mut d = Dictionary::new();
        d.insert(Variant::Int(0), nested_arrays(2));
        d.insert(nested_arrays(5), Variant::Nil);
        assert_eq!(Variant::Dictionary(Box::new(d)).nesting_height(), 6);
        let o = FullObject {
            class_name: "Node".into(),
            properties: vec![("p".into(), nested_arrays(1))],
        };
        assert_eq!(
            Variant::Object(Object::Full(Box::new(o))).nesting_height(),
            2
        );
    }

    #[test]
    fn arrays_check_type_then_nesting() {
        let limit = MAX_RECURSION_DEPTH as usize;
        let mut a = Array::default();
        assert_eq!(a.try_push(nested_arrays(limit - 1)), Ok(()));
        assert_eq!(a.try_push(nested_arrays(limit)), Err(Error::OutOfMemory));
        assert_eq!(a.elements.len(), 1);
        // A mixed array cannot become typed; emptied, it can.
        a.elements.push(Variant::Int(1));
        let int = ContainerType::Builtin(VariantType::Int);
        assert_eq!(
            a.set_element_type(int.clone()),
            Err(Error::InvalidParameter)
        );
        assert_eq!(a.element_type, ContainerType::Any);
        a.elements.clear();
        assert_eq!(
            a.set_element_type(ContainerType::Builtin(VariantType::Nil)),
            Err(Error::InvalidParameter)
        );
        assert_eq!(a.set_element_type(int), Ok(()));
        assert_eq!(
            a.try_push(Variant::Float(1.0)),
            Err(Error::InvalidParameter)
        );
        assert_eq!(a.try_push(Variant::Int(1)), Ok(()));
        // The type is checked before the nesting: a deep value of the wrong type is INVALID.
        assert_eq!(
            a.check_element(&nested_arrays(limit)),
            Err(Error::InvalidParameter)
        );
        assert_eq!(a.try_set(0, Variant::Int(2)), Ok(()));
        assert_eq!(
            a.try_set(1, Variant::Int(2)),
            Err(Error::ParameterRangeError)
        );
        assert_eq!(
            a.try_set(0, Variant::Bool(true)),
            Err(Error::InvalidParameter)
        );
        assert_eq!(a.elements, vec![Variant::Int(2)]);
    }

    #[test]
    fn dictionaries_check_both_types_then_nesting() {
        let limit = MAX_RECURSION_DEPTH as usize;
        let mut d = Dictionary::new();
        assert_eq!(
            d.try_insert(Variant::Int(1), nested_arrays(limit - 1)),
            Ok(None)
        );
        assert_eq!(
            d.try_insert(nested_arrays(limit), Variant::Nil),
            Err(Error::OutOfMemory)
        );
        let string = ContainerType::Builtin(VariantType::String);
        let int = ContainerType::Builtin(VariantType::Int);
        assert_eq!(
            d.set_types(int.clone(), string.clone()),
            Err(Error::InvalidParameter)
        );
        assert_eq!(d.key_type, ContainerType::Any);
        d.clear();
        assert_eq!(
            d.set_types(int.clone(), ContainerType::Class(String::new())),
            Err(Error::InvalidParameter)
        );
        assert_eq!(d.set_types(int, ContainerType::Any), Ok(()));
        assert_eq!(
            d.try_insert(Variant::Float(1.0), Variant::Nil),
            Err(Error::InvalidParameter)
        );
        assert_eq!(d.try_insert(Variant::Int(1), Variant::Nil), Ok(None));
        assert_eq!(
            d.try_insert(Variant::Int(1), Variant::Bool(true)),
            Ok(Some(Variant::Nil))
        );
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn object_properties() {
        let limit = MAX_RECURSION_DEPTH as usize;
        let bad = Err(Error::InvalidParameter);
        assert_eq!(FullObject::check_property("", &Variant::Nil), bad);
        assert_eq!(FullObject::check_property("script", &Variant::Int(1)), bad);
        let path = Variant::String("res://a.gd".into());
        assert_eq!(FullObject::check_property("script", &path), Ok(()));
        assert_eq!(FullObject::check_property("script", &Variant::Nil), Ok(()));
        assert_eq!(
            FullObject::check_property("p", &nested_arrays(limit - 1)),
            Ok(())
        );
        assert_eq!(
            FullObject::check_property("p", &nested_arrays(limit)),
            Err(Error::OutOfMemory)
        );
    }

    #[test]
    fn the_codec_encodes_what_the_containers_accept() {
        use crate::variant::{encode, EncodeOptions};
        let limit = MAX_RECURSION_DEPTH as usize;
        let mut a = Array::default();
        a.try_push(nested_arrays(limit - 1)).unwrap();
        assert!(encode(&Variant::Array(Box::new(a)), &EncodeOptions::default()).is_ok());
        let too_deep = nested_arrays(limit + 1);
        assert_eq!(
            encode(&too_deep, &EncodeOptions::default())
                .map(|_| ())
                .map_err(|e| e.code),
            Err(Error::OutOfMemory)
        );
    }
}
