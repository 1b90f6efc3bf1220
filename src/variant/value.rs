//! The value model. See `wire-format.md` §3 for the type ids and §5–§13 for each layout.

use std::fmt;

/// Variant type ids in the Godot 4.3+ numbering (`wire-format.md` §3.1). The Redot STRUCT dialect
/// renumbers ids ≥ 25 on the wire only; this enum never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(i32)]
pub enum VariantType {
    Nil = 0,
    Bool = 1,
    Int = 2,
    Float = 3,
    String = 4,
    Vector2 = 5,
    Vector2i = 6,
    Rect2 = 7,
    Rect2i = 8,
    Vector3 = 9,
    Vector3i = 10,
    Transform2D = 11,
    Vector4 = 12,
    Vector4i = 13,
    Plane = 14,
    Quaternion = 15,
    Aabb = 16,
    Basis = 17,
    Transform3D = 18,
    Projection = 19,
    Color = 20,
    StringName = 21,
    NodePath = 22,
    Rid = 23,
    Object = 24,
    Callable = 25,
    Signal = 26,
    Dictionary = 27,
    Array = 28,
    PackedByteArray = 29,
    PackedInt32Array = 30,
    PackedInt64Array = 31,
    PackedFloat32Array = 32,
    PackedFloat64Array = 33,
    PackedStringArray = 34,
    PackedVector2Array = 35,
    PackedVector3Array = 36,
    PackedColorArray = 37,
    PackedVector4Array = 38,
}

impl VariantType {
    /// Number of types (`VARIANT_MAX` in Godot 4.3+).
    pub const COUNT: i32 = 39;

    /// The type with this Godot 4 id.
    pub fn from_id(id: i32) -> Option<VariantType> {
        use VariantType::*;
        const ALL: [VariantType; 39] = [
            Nil,
            Bool,
            Int,
            Float,
            String,
            Vector2,
            Vector2i,
            Rect2,
            Rect2i,
            Vector3,
            Vector3i,
            Transform2D,
            Vector4,
            Vector4i,
            Plane,
            Quaternion,
            Aabb,
            Basis,
            Transform3D,
            Projection,
            Color,
            StringName,
            NodePath,
            Rid,
            Object,
            Callable,
            Signal,
            Dictionary,
            Array,
            PackedByteArray,
            PackedInt32Array,
            PackedInt64Array,
            PackedFloat32Array,
            PackedFloat64Array,
            PackedStringArray,
            PackedVector2Array,
            PackedVector3Array,
            PackedColorArray,
            PackedVector4Array,
        ];
        usize::try_from(id).ok().and_then(|i| ALL.get(i).copied())
    }

    /// Godot's own name of the type, as `type_string()` prints it (`"Vector2"`, `"PackedByteArray"`).
    pub fn name(self) -> &'static str {
        use VariantType::*;
        match self {
            Nil => "Nil",
            Bool => "bool",
            Int => "int",
            Float => "float",
            String => "String",
            Vector2 => "Vector2",
            Vector2i => "Vector2i",
            Rect2 => "Rect2",
            Rect2i => "Rect2i",
            Vector3 => "Vector3",
            Vector3i => "Vector3i",
            Transform2D => "Transform2D",
            Vector4 => "Vector4",
            Vector4i => "Vector4i",
            Plane => "Plane",
            Quaternion => "Quaternion",
            Aabb => "AABB",
            Basis => "Basis",
            Transform3D => "Transform3D",
            Projection => "Projection",
            Color => "Color",
            StringName => "StringName",
            NodePath => "NodePath",
            Rid => "RID",
            Object => "Object",
            Callable => "Callable",
            Signal => "Signal",
            Dictionary => "Dictionary",
            Array => "Array",
            PackedByteArray => "PackedByteArray",
            PackedInt32Array => "PackedInt32Array",
            PackedInt64Array => "PackedInt64Array",
            PackedFloat32Array => "PackedFloat32Array",
            PackedFloat64Array => "PackedFloat64Array",
            PackedStringArray => "PackedStringArray",
            PackedVector2Array => "PackedVector2Array",
            PackedVector3Array => "PackedVector3Array",
            PackedColorArray => "PackedColorArray",
            PackedVector4Array => "PackedVector4Array",
        }
    }
}

impl fmt::Display for VariantType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `real_t` components are kept as `f64`: exact for values from standard (f32) builds and from
/// double-precision builds alike. The encoder narrows to f32 unless `EncodeOptions::real_is_double`.
pub type Real = f64;

#[derive(Debug, Clone, Copy, Default)]
// repr(C): the C API lends packed arrays of these as plain arrays of their components.
#[repr(C)]
pub struct Vector2 {
    pub x: Real,
    pub y: Real,
}
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Vector2i {
    pub x: i32,
    pub y: i32,
}
#[derive(Debug, Clone, Copy, Default)]
pub struct Rect2 {
    pub position: Vector2,
    pub size: Vector2,
}
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Rect2i {
    pub position: Vector2i,
    pub size: Vector2i,
}
#[derive(Debug, Clone, Copy, Default)]
// repr(C): the C API lends packed arrays of these as plain arrays of their components.
#[repr(C)]
pub struct Vector3 {
    pub x: Real,
    pub y: Real,
    pub z: Real,
}
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Vector3i {
    pub x: i32,
    pub y: i32,
    pub z: i32,
}
/// Columns: x axis, y axis, origin (`wire-format.md` §6).
#[derive(Debug, Clone, Copy, Default)]
pub struct Transform2D {
    pub columns: [Vector2; 3],
}
#[derive(Debug, Clone, Copy, Default)]
// repr(C): the C API lends packed arrays of these as plain arrays of their components.
#[repr(C)]
pub struct Vector4 {
    pub x: Real,
    pub y: Real,
    pub z: Real,
    pub w: Real,
}
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Vector4i {
    pub x: i32,
    pub y: i32,
    pub z: i32,
    pub w: i32,
}
#[derive(Debug, Clone, Copy, Default)]
pub struct Plane {
    pub normal: Vector3,
    pub d: Real,
}
#[derive(Debug, Clone, Copy, Default)]
pub struct Quaternion {
    pub x: Real,
    pub y: Real,
    pub z: Real,
    pub w: Real,
}
#[derive(Debug, Clone, Copy, Default)]
pub struct Aabb {
    pub position: Vector3,
    pub size: Vector3,
}
/// Row-major, as on the wire.
#[derive(Debug, Clone, Copy, Default)]
pub struct Basis {
    pub rows: [Vector3; 3],
}
#[derive(Debug, Clone, Copy, Default)]
pub struct Transform3D {
    pub basis: Basis,
    pub origin: Vector3,
}
/// Column-major, as on the wire.
#[derive(Debug, Clone, Copy, Default)]
pub struct Projection {
    pub columns: [Vector4; 4],
}
/// Always f32, on the wire and here.
#[derive(Debug, Clone, Copy, Default)]
// repr(C): the C API lends packed arrays of these as plain arrays of their components.
#[repr(C)]
pub struct Color {
    pub r: f32,
    pub g: f32,
    pub b: f32,
    pub a: f32,
}

/// A NodePath as the wire carries it: `/`-separated names, `:`-separated subnames, absolute flag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct NodePath {
    pub names: Vec<String>,
    pub subnames: Vec<String>,
    pub absolute: bool,
}

/// An Object as the wire carries it. Never instantiated, never resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    /// A null (or freed) object. Encodes as NIL (`wire-format.md` §8.3).
    Null,
    /// An object sent by instance id (`EncodedObjectAsID`). Id 0 decodes as `Null`.
    Id(u64),
    /// An object sent in full: class name plus its storage properties in wire order.
    /// The `script` property, when present, is NIL or a `res://` path String.
    Full(FullObject),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FullObject {
    pub class_name: String,
    pub properties: Vec<(String, Variant)>,
}

/// A Signal as the wire carries it: its name and the owning object's instance id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Signal {
    pub name: String,
    pub object_id: u64,
}

/// Element / key / value type of a typed container (`wire-format.md` §9).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum ContainerType {
    /// Untyped: any Variant.
    #[default]
    Any,
    /// A builtin type other than NIL (NIL on the wire means untyped).
    Builtin(VariantType),
    /// Objects of a named class.
    Class(String),
    /// Objects of a script class, by `res://` path.
    Script(String),
}

/// An Array: ordered elements plus an optional element type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Array {
    pub element_type: ContainerType,
    pub elements: Vec<Variant>,
}

/// A Dictionary: insertion-ordered pairs plus optional key and value types.
/// Keys follow Godot's identity rules (`wire-format.md` §11): a repeated key overwrites the value
/// and keeps the first position.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    pub key_type: ContainerType,
    pub value_type: ContainerType,
    pub(crate) entries: Vec<(Variant, Variant)>,
}

impl Dictionary {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn with_capacity(n: usize) -> Self {
        Dictionary {
            entries: Vec::with_capacity(n),
            ..Self::default()
        }
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// Inserts or overwrites; returns the previous value of an equal key.
    pub fn insert(&mut self, key: Variant, value: Variant) -> Option<Variant> {
        match self.position(&key) {
            Some(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            None => {
                self.entries.push((key, value));
                None
            }
        }
    }
    pub fn get(&self, key: &Variant) -> Option<&Variant> {
        self.position(key).map(|i| &self.entries[i].1)
    }
    /// Index of the entry whose key is the same dictionary key as `key`.
    pub fn position(&self, key: &Variant) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k.key_eq(key))
    }
    pub fn get_index(&self, i: usize) -> Option<(&Variant, &Variant)> {
        self.entries.get(i).map(|(k, v)| (k, v))
    }
    pub fn iter(&self) -> impl Iterator<Item = (&Variant, &Variant)> + '_ {
        self.entries.iter().map(|(k, v)| (k, v))
    }
    pub fn remove(&mut self, key: &Variant) -> Option<Variant> {
        self.position(key).map(|i| self.entries.remove(i).1)
    }
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

impl PartialEq for Dictionary {
    /// Same types, same pairs in the same order.
    fn eq(&self, other: &Self) -> bool {
        self.key_type == other.key_type
            && self.value_type == other.value_type
            && self.entries == other.entries
    }
}

/// A Godot 4 Variant.
///
/// `PartialEq` is strict structural equality: floats compare by bit pattern (NaN equals the same
/// NaN, `-0.0` differs from `0.0`) and String differs from StringName. Dictionary keys use
/// [`Variant::key_eq`] instead.
#[derive(Debug, Clone, Default)]
pub enum Variant {
    #[default]
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Vector2(Vector2),
    Vector2i(Vector2i),
    Rect2(Rect2),
    Rect2i(Rect2i),
    Vector3(Vector3),
    Vector3i(Vector3i),
    Transform2D(Transform2D),
    Vector4(Vector4),
    Vector4i(Vector4i),
    Plane(Plane),
    Quaternion(Quaternion),
    Aabb(Aabb),
    Basis(Basis),
    Transform3D(Transform3D),
    Projection(Projection),
    Color(Color),
    StringName(String),
    NodePath(NodePath),
    Rid(u64),
    Object(Object),
    /// Nothing about a callable travels; it always decodes as an empty Callable.
    Callable,
    Signal(Signal),
    Dictionary(Box<Dictionary>),
    Array(Box<Array>),
    PackedByteArray(Vec<u8>),
    PackedInt32Array(Vec<i32>),
    PackedInt64Array(Vec<i64>),
    PackedFloat32Array(Vec<f32>),
    PackedFloat64Array(Vec<f64>),
    PackedStringArray(Vec<String>),
    PackedVector2Array(Vec<Vector2>),
    PackedVector3Array(Vec<Vector3>),
    PackedColorArray(Vec<Color>),
    PackedVector4Array(Vec<Vector4>),
}

impl Variant {
    pub fn get_type(&self) -> VariantType {
        use Variant as V;
        use VariantType as T;
        match self {
            V::Nil => T::Nil,
            V::Bool(_) => T::Bool,
            V::Int(_) => T::Int,
            V::Float(_) => T::Float,
            V::String(_) => T::String,
            V::Vector2(_) => T::Vector2,
            V::Vector2i(_) => T::Vector2i,
            V::Rect2(_) => T::Rect2,
            V::Rect2i(_) => T::Rect2i,
            V::Vector3(_) => T::Vector3,
            V::Vector3i(_) => T::Vector3i,
            V::Transform2D(_) => T::Transform2D,
            V::Vector4(_) => T::Vector4,
            V::Vector4i(_) => T::Vector4i,
            V::Plane(_) => T::Plane,
            V::Quaternion(_) => T::Quaternion,
            V::Aabb(_) => T::Aabb,
            V::Basis(_) => T::Basis,
            V::Transform3D(_) => T::Transform3D,
            V::Projection(_) => T::Projection,
            V::Color(_) => T::Color,
            V::StringName(_) => T::StringName,
            V::NodePath(_) => T::NodePath,
            V::Rid(_) => T::Rid,
            V::Object(_) => T::Object,
            V::Callable => T::Callable,
            V::Signal(_) => T::Signal,
            V::Dictionary(_) => T::Dictionary,
            V::Array(_) => T::Array,
            V::PackedByteArray(_) => T::PackedByteArray,
            V::PackedInt32Array(_) => T::PackedInt32Array,
            V::PackedInt64Array(_) => T::PackedInt64Array,
            V::PackedFloat32Array(_) => T::PackedFloat32Array,
            V::PackedFloat64Array(_) => T::PackedFloat64Array,
            V::PackedStringArray(_) => T::PackedStringArray,
            V::PackedVector2Array(_) => T::PackedVector2Array,
            V::PackedVector3Array(_) => T::PackedVector3Array,
            V::PackedColorArray(_) => T::PackedColorArray,
            V::PackedVector4Array(_) => T::PackedVector4Array,
        }
    }

    /// Godot's dictionary-key identity (`wire-format.md` §11): different types are different keys,
    /// except String and StringName with the same text; NaN equals NaN and -0.0 equals 0.0.
    pub fn key_eq(&self, other: &Variant) -> bool {
        use Variant as V;
        match (self, other) {
            (V::String(a) | V::StringName(a), V::String(b) | V::StringName(b)) => a == b,
            (V::Float(a), V::Float(b)) => key_f64(*a) == key_f64(*b),
            _ => self == other,
        }
    }
}

/// Float identity for keys: every NaN is one key, -0.0 is 0.0.
fn key_f64(x: f64) -> u64 {
    if x.is_nan() {
        f64::NAN.to_bits()
    } else if x == 0.0 {
        0
    } else {
        x.to_bits()
    }
}

fn same_f64(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits()
}
fn same_f32(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits()
}

macro_rules! bitwise_eq {
    ($t:ty, $cmp:ident, $($f:ident),+) => {
        impl PartialEq for $t {
            fn eq(&self, o: &Self) -> bool {
                true $(&& $cmp(self.$f, o.$f))+
            }
        }
    };
}
bitwise_eq!(Vector2, same_f64, x, y);
bitwise_eq!(Vector3, same_f64, x, y, z);
bitwise_eq!(Vector4, same_f64, x, y, z, w);
bitwise_eq!(Quaternion, same_f64, x, y, z, w);
bitwise_eq!(Color, same_f32, r, g, b, a);

impl PartialEq for Rect2 {
    fn eq(&self, o: &Self) -> bool {
        self.position == o.position && self.size == o.size
    }
}
impl PartialEq for Transform2D {
    fn eq(&self, o: &Self) -> bool {
        self.columns == o.columns
    }
}
impl PartialEq for Plane {
    fn eq(&self, o: &Self) -> bool {
        self.normal == o.normal && same_f64(self.d, o.d)
    }
}
impl PartialEq for Aabb {
    fn eq(&self, o: &Self) -> bool {
        self.position == o.position && self.size == o.size
    }
}
impl PartialEq for Basis {
    fn eq(&self, o: &Self) -> bool {
        self.rows == o.rows
    }
}
impl PartialEq for Transform3D {
    fn eq(&self, o: &Self) -> bool {
        self.basis == o.basis && self.origin == o.origin
    }
}
impl PartialEq for Projection {
    fn eq(&self, o: &Self) -> bool {
        self.columns == o.columns
    }
}

impl PartialEq for Variant {
    fn eq(&self, other: &Variant) -> bool {
        use Variant as V;
        match (self, other) {
            (V::Nil, V::Nil) | (V::Callable, V::Callable) => true,
            (V::Bool(a), V::Bool(b)) => a == b,
            (V::Int(a), V::Int(b)) => a == b,
            (V::Float(a), V::Float(b)) => same_f64(*a, *b),
            (V::String(a), V::String(b)) | (V::StringName(a), V::StringName(b)) => a == b,
            (V::Vector2(a), V::Vector2(b)) => a == b,
            (V::Vector2i(a), V::Vector2i(b)) => a == b,
            (V::Rect2(a), V::Rect2(b)) => a == b,
            (V::Rect2i(a), V::Rect2i(b)) => a == b,
            (V::Vector3(a), V::Vector3(b)) => a == b,
            (V::Vector3i(a), V::Vector3i(b)) => a == b,
            (V::Transform2D(a), V::Transform2D(b)) => a == b,
            (V::Vector4(a), V::Vector4(b)) => a == b,
            (V::Vector4i(a), V::Vector4i(b)) => a == b,
            (V::Plane(a), V::Plane(b)) => a == b,
            (V::Quaternion(a), V::Quaternion(b)) => a == b,
            (V::Aabb(a), V::Aabb(b)) => a == b,
            (V::Basis(a), V::Basis(b)) => a == b,
            (V::Transform3D(a), V::Transform3D(b)) => a == b,
            (V::Projection(a), V::Projection(b)) => a == b,
            (V::Color(a), V::Color(b)) => a == b,
            (V::NodePath(a), V::NodePath(b)) => a == b,
            (V::Rid(a), V::Rid(b)) => a == b,
            (V::Object(a), V::Object(b)) => a == b,
            (V::Signal(a), V::Signal(b)) => a == b,
            (V::Dictionary(a), V::Dictionary(b)) => a == b,
            (V::Array(a), V::Array(b)) => a == b,
            (V::PackedByteArray(a), V::PackedByteArray(b)) => a == b,
            (V::PackedInt32Array(a), V::PackedInt32Array(b)) => a == b,
            (V::PackedInt64Array(a), V::PackedInt64Array(b)) => a == b,
            (V::PackedFloat32Array(a), V::PackedFloat32Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_f32(*x, *y))
            }
            (V::PackedFloat64Array(a), V::PackedFloat64Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_f64(*x, *y))
            }
            (V::PackedStringArray(a), V::PackedStringArray(b)) => a == b,
            (V::PackedVector2Array(a), V::PackedVector2Array(b)) => a == b,
            (V::PackedVector3Array(a), V::PackedVector3Array(b)) => a == b,
            (V::PackedColorArray(a), V::PackedColorArray(b)) => a == b,
            (V::PackedVector4Array(a), V::PackedVector4Array(b)) => a == b,
            _ => false,
        }
    }
}
