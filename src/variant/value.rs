//! The value model. See `docs/wire-format.md` §3 for the type ids and §5–§13 for each layout.

use std::fmt;

mod nesting;
mod rules;
/// The string type of [`Variant::String`] and [`Variant::StringName`]: short strings inline.
pub use compact_str::CompactString;
pub use nesting::DEBUG_MAX_DEPTH;
pub use rules::MAX_RECURSION_DEPTH;

/// Variant type ids in the Godot 4.3+ numbering (`docs/wire-format.md` §3.1). The Redot STRUCT dialect
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
/// Columns: x axis, y axis, origin (`docs/wire-format.md` §6).
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
    /// A null (or freed) object. Encodes as NIL (`docs/wire-format.md` §8.3).
    Null,
    /// An object sent by instance id (`EncodedObjectAsID`). Id 0 decodes as `Null`.
    Id(u64),
    /// An object sent in full: class name plus its storage properties in wire order.
    /// The `script` property, when present, is NIL or a `res://` path String. Boxed: it is large
    /// and rare.
    Full(Box<FullObject>),
}

/// `Clone`, `PartialEq`, `Drop` and `Debug` do not recurse per nesting level (see `nesting.rs`).
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

/// Element / key / value type of a typed container (`docs/wire-format.md` §9).
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
///
/// `Clone`, `PartialEq` and `Drop` walk nested containers with a heap stack, so a 1024-deep value
/// is fine on a small thread stack; `Debug` prints deep nesting as `…`.
#[derive(Default)]
pub struct Array {
    pub element_type: ContainerType,
    pub elements: Vec<Variant>,
}

/// A Dictionary: insertion-ordered pairs plus optional key and value types.
///
/// Keys follow Godot's identity rules (`docs/wire-format.md` §11, [`Variant::key_eq`]): a repeated key
/// overwrites the value and keeps the first position. Small dictionaries are searched linearly;
/// past [`Dictionary::INDEX_THRESHOLD`] entries a hash index (randomly keyed SipHash, so hostile
/// keys cannot force collisions) makes `insert`/`get`/`position` O(1) on average. `remove` keeps
/// the order and is O(n), like the engine's.
///
/// `Clone`, `PartialEq` (same types, same pairs in the same order) and `Drop` do not recurse per
/// nesting level; `Debug` prints deep nesting as `…`.
#[derive(Default)]
pub struct Dictionary {
    pub key_type: ContainerType,
    pub value_type: ContainerType,
    entries: Entries,
    index: Option<Box<KeyIndex>>,
}

/// Pairs in insertion order; up to `INLINE_ENTRIES` live inside the Dictionary itself, so a small
/// dictionary (the common case in game data) is one allocation, its Box.
type Entries = smallvec::SmallVec<[(Variant, Variant); INLINE_ENTRIES]>;
const INLINE_ENTRIES: usize = 4;

/// Hash of each key (consistent with `key_eq`) -> its position in `entries`.
#[derive(Clone)]
struct KeyIndex {
    state: std::hash::RandomState,
    table: hashbrown::HashTable<(u64, usize)>,
}

impl KeyIndex {
    fn hash(&self, key: &Variant) -> u64 {
        use std::hash::BuildHasher;
        let mut h = self.state.build_hasher();
        key_hash(key, &mut h);
        std::hash::Hasher::finish(&h)
    }
    fn build(entries: &[(Variant, Variant)]) -> Box<KeyIndex> {
        let mut ix = Box::new(KeyIndex {
            state: std::hash::RandomState::new(),
            table: hashbrown::HashTable::with_capacity(entries.len()),
        });
        for (i, (k, _)) in entries.iter().enumerate() {
            let h = ix.hash(k);
            ix.table.insert_unique(h, (h, i), |e| e.0);
        }
        ix
    }
}

impl Dictionary {
    /// Above this many entries lookups go through a hash index.
    pub const INDEX_THRESHOLD: usize = 8;

    pub fn new() -> Self {
        Self::default()
    }
    pub fn with_capacity(n: usize) -> Self {
        Dictionary {
            key_type: ContainerType::Any,
            value_type: ContainerType::Any,
            entries: Entries::with_capacity(n),
            index: None,
        }
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// Inserts or overwrites; returns the previous value of an equal key (which keeps its position).
    pub fn insert(&mut self, key: Variant, value: Variant) -> Option<Variant> {
        let Dictionary { entries, index, .. } = self;
        match index {
            Some(ix) => {
                let h = ix.hash(&key);
                let found = ix
                    .table
                    .find(h, |&(eh, i)| eh == h && entries[i].0.key_eq(&key))
                    .map(|&(_, i)| i);
                match found {
                    Some(i) => Some(std::mem::replace(&mut entries[i].1, value)),
                    None => {
                        let i = entries.len();
                        entries.push((key, value));
                        ix.table.insert_unique(h, (h, i), |e| e.0);
                        None
                    }
                }
            }
            None => {
                if let Some(i) = entries.iter().position(|(k, _)| k.key_eq(&key)) {
                    return Some(std::mem::replace(&mut entries[i].1, value));
                }
                entries.push((key, value));
                if entries.len() > Self::INDEX_THRESHOLD {
                    *index = Some(KeyIndex::build(entries));
                }
                None
            }
        }
    }
    pub fn get(&self, key: &Variant) -> Option<&Variant> {
        self.position(key).map(|i| &self.entries[i].1)
    }
    pub fn get_mut(&mut self, key: &Variant) -> Option<&mut Variant> {
        self.position(key).map(|i| &mut self.entries[i].1)
    }
    pub fn contains_key(&self, key: &Variant) -> bool {
        self.position(key).is_some()
    }
    /// Index of the entry whose key is the same dictionary key as `key`.
    pub fn position(&self, key: &Variant) -> Option<usize> {
        match &self.index {
            Some(ix) => {
                let h = ix.hash(key);
                ix.table
                    .find(h, |&(eh, i)| eh == h && self.entries[i].0.key_eq(key))
                    .map(|&(_, i)| i)
            }
            None => self.entries.iter().position(|(k, _)| k.key_eq(key)),
        }
    }
    pub fn get_index(&self, i: usize) -> Option<(&Variant, &Variant)> {
        self.entries.get(i).map(|(k, v)| (k, v))
    }
    /// The `i`-th pair with its value mutable (keys cannot change in place: that would break
    /// their identity).
    pub fn get_index_mut(&mut self, i: usize) -> Option<(&Variant, &mut Variant)> {
        self.entries.get_mut(i).map(|(k, v)| (&*k, v))
    }
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&Variant, &Variant)> + '_ {
        self.entries.iter().map(|(k, v)| (k, v))
    }
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &Variant> + '_ {
        self.entries.iter().map(|(k, _)| k)
    }
    pub fn values(&self) -> impl ExactSizeIterator<Item = &Variant> + '_ {
        self.entries.iter().map(|(_, v)| v)
    }
    pub fn values_mut(&mut self) -> impl ExactSizeIterator<Item = &mut Variant> + '_ {
        self.entries.iter_mut().map(|(_, v)| v)
    }
    /// Removes the pair of an equal key, keeping the order of the others (O(n)).
    pub fn remove(&mut self, key: &Variant) -> Option<Variant> {
        let i = self.position(key)?;
        let (_, v) = self.entries.remove(i);
        if let Some(ix) = &mut self.index {
            ix.table.retain(|e| e.1 != i);
            for e in ix.table.iter_mut() {
                if e.1 > i {
                    e.1 -= 1;
                }
            }
        }
        Some(v)
    }
    pub fn clear(&mut self) {
        self.entries.clear();
        self.index = None;
    }
    /// Decoder support: appends a (NIL, NIL) pair not yet known to the key index and returns it,
    /// so that key and value are decoded in place. [`Dictionary::commit_pending`] must follow
    /// before any other method is used.
    pub(crate) fn push_pending(&mut self) -> &mut (Variant, Variant) {
        self.entries.push((Variant::Nil, Variant::Nil));
        let last = self.entries.len() - 1;
        &mut self.entries[last]
    }

    /// Decoder support: `insert` without returning the old value, with string keys (the common
    /// case) compared without a call per earlier key.
    #[inline]
    pub(crate) fn push_decoded(&mut self, key: Variant, value: Variant) {
        if self.index.is_none() {
            let found = match &key {
                Variant::String(a) | Variant::StringName(a) => {
                    let a = a.as_bytes();
                    self.entries.iter().position(|(k, _)| match k {
                        Variant::String(b) | Variant::StringName(b) => b.as_bytes() == a,
                        _ => false,
                    })
                }
                _ => self.entries.iter().position(|(k, _)| k.key_eq(&key)),
            };
            if let Some(i) = found {
                self.entries[i].1 = value;
                return;
            }
            self.entries.push((key, value));
            if self.entries.len() > Self::INDEX_THRESHOLD {
                self.index = Some(KeyIndex::build(&self.entries));
            }
        } else {
            self.insert(key, value);
        }
    }

    /// Decoder support: room for exactly `n` more pairs (nothing to do up to the inline count).
    #[inline]
    pub(crate) fn reserve(&mut self, n: usize) {
        if self.entries.capacity() - self.entries.len() < n {
            self.entries.reserve_exact(n);
        }
    }

    /// The pair appended by [`Dictionary::push_pending`].
    pub(crate) fn pending(&mut self) -> Option<&mut (Variant, Variant)> {
        self.entries.last_mut()
    }

    /// Completes [`Dictionary::push_pending`] like `insert`: a key seen before takes the new
    /// value in its first position and the pending pair goes away.
    pub(crate) fn commit_pending(&mut self) {
        let Dictionary { entries, index, .. } = self;
        let Some(((key, _), earlier)) = entries.split_last() else {
            return;
        };
        let last = earlier.len();
        let found = match index {
            Some(ix) => {
                let h = ix.hash(key);
                let found = ix
                    .table
                    .find(h, |&(eh, i)| eh == h && earlier[i].0.key_eq(key))
                    .map(|&(_, i)| i);
                if found.is_none() {
                    ix.table.insert_unique(h, (h, last), |e| e.0);
                }
                found
            }
            None => match key {
                // The common case, without a call per comparison.
                Variant::String(a) => earlier.iter().position(|(k, _)| match k {
                    Variant::String(b) | Variant::StringName(b) => a == b,
                    _ => false,
                }),
                _ => earlier.iter().position(|(k, _)| k.key_eq(key)),
            },
        };
        match found {
            Some(i) => {
                if let Some((_, v)) = entries.pop() {
                    entries[i].1 = v;
                }
            }
            None => {
                if index.is_none() && entries.len() > Self::INDEX_THRESHOLD {
                    *index = Some(KeyIndex::build(entries));
                }
            }
        }
    }

    /// The pairs in order, consuming the dictionary.
    pub fn into_pairs(mut self) -> Vec<(Variant, Variant)> {
        std::mem::take(&mut self.entries).into_vec()
    }
}

impl FromIterator<(Variant, Variant)> for Dictionary {
    /// Inserts in order; a repeated key overwrites like `insert`.
    fn from_iter<I: IntoIterator<Item = (Variant, Variant)>>(iter: I) -> Self {
        let mut d = Dictionary::new();
        d.extend(iter);
        d
    }
}

impl Extend<(Variant, Variant)> for Dictionary {
    fn extend<I: IntoIterator<Item = (Variant, Variant)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

/// Feeds `key` to `h` consistently with [`Variant::key_eq`]: String and StringName with the same
/// text hash alike, every NaN alike, -0.0 like 0.0; everything else by structure (floats by bit
/// pattern, as `PartialEq` compares them). Iterative, so a deeply nested key cannot exhaust the
/// stack.
fn key_hash<H: std::hash::Hasher>(key: &Variant, h: &mut H) {
    match key {
        Variant::String(s) | Variant::StringName(s) => {
            h.write_u8(VariantType::String as u8);
            h.write(s.as_bytes());
            h.write_u8(0xff);
        }
        Variant::Float(x) => {
            h.write_u8(VariantType::Float as u8);
            h.write_u64(key_f64(*x));
        }
        _ => {
            let mut todo: Vec<&Variant> = Vec::new();
            hash_shallow(key, h, &mut todo);
            while let Some(v) = todo.pop() {
                hash_shallow(v, h, &mut todo);
            }
        }
    }
}

/// Hashes `v` itself and queues its child values (structural identity, floats by bits).
fn hash_shallow<'a, H: std::hash::Hasher>(v: &'a Variant, h: &mut H, todo: &mut Vec<&'a Variant>) {
    use std::hash::Hash;
    use Variant as V;
    fn s<H: std::hash::Hasher>(h: &mut H, x: &str) {
        h.write_usize(x.len());
        h.write(x.as_bytes());
    }
    fn f<H: std::hash::Hasher>(h: &mut H, xs: &[f64]) {
        for x in xs {
            h.write_u64(x.to_bits());
        }
    }
    h.write_u8(v.get_type() as u8);
    match v {
        V::Nil | V::Callable => {}
        V::Bool(b) => h.write_u8(*b as u8),
        V::Int(i) => h.write_i64(*i),
        V::Float(x) => h.write_u64(x.to_bits()),
        V::String(x) | V::StringName(x) => s(h, x),
        V::Vector2(a) => f(h, &[a.x, a.y]),
        V::Vector2i(a) => a.hash(h),
        V::Rect2(a) => f(h, &[a.position.x, a.position.y, a.size.x, a.size.y]),
        V::Rect2i(a) => a.hash(h),
        V::Vector3(a) => f(h, &[a.x, a.y, a.z]),
        V::Vector3i(a) => a.hash(h),
        V::Transform2D(a) => {
            for c in &a.columns {
                f(h, &[c.x, c.y]);
            }
        }
        V::Vector4(a) => f(h, &[a.x, a.y, a.z, a.w]),
        V::Vector4i(a) => a.hash(h),
        V::Plane(a) => f(h, &[a.normal.x, a.normal.y, a.normal.z, a.d]),
        V::Quaternion(a) => f(h, &[a.x, a.y, a.z, a.w]),
        V::Aabb(a) => f(
            h,
            &[
                a.position.x,
                a.position.y,
                a.position.z,
                a.size.x,
                a.size.y,
                a.size.z,
            ],
        ),
        V::Basis(a) => {
            for r in &a.rows {
                f(h, &[r.x, r.y, r.z]);
            }
        }
        V::Transform3D(a) => {
            for r in &a.basis.rows {
                f(h, &[r.x, r.y, r.z]);
            }
            f(h, &[a.origin.x, a.origin.y, a.origin.z]);
        }
        V::Projection(a) => {
            for c in &a.columns {
                f(h, &[c.x, c.y, c.z, c.w]);
            }
        }
        V::Color(c) => {
            for x in [c.r, c.g, c.b, c.a] {
                h.write_u32(x.to_bits());
            }
        }
        V::NodePath(p) => p.hash(h),
        V::Rid(r) => h.write_u64(*r),
        V::Object(Object::Null) => h.write_u8(0),
        V::Object(Object::Id(id)) => {
            h.write_u8(1);
            h.write_u64(*id);
        }
        V::Object(Object::Full(o)) => {
            h.write_u8(2);
            s(h, &o.class_name);
            h.write_usize(o.properties.len());
            for (name, value) in &o.properties {
                s(h, name);
                todo.push(value);
            }
        }
        V::Signal(sig) => sig.hash(h),
        V::Dictionary(d) => {
            d.key_type.hash(h);
            d.value_type.hash(h);
            h.write_usize(d.len());
            for (k, v) in &d.entries {
                todo.push(k);
                todo.push(v);
            }
        }
        V::Array(a) => {
            a.element_type.hash(h);
            h.write_usize(a.elements.len());
            todo.extend(a.elements.iter());
        }
        V::PackedByteArray(a) => a.hash(h),
        V::PackedInt32Array(a) => a.hash(h),
        V::PackedInt64Array(a) => a.hash(h),
        V::PackedFloat32Array(a) => {
            h.write_usize(a.len());
            for x in a {
                h.write_u32(x.to_bits());
            }
        }
        V::PackedFloat64Array(a) => {
            h.write_usize(a.len());
            f(h, a);
        }
        V::PackedStringArray(a) => a.hash(h),
        V::PackedVector2Array(a) => {
            h.write_usize(a.len());
            for e in a {
                f(h, &[e.x, e.y]);
            }
        }
        V::PackedVector3Array(a) => {
            h.write_usize(a.len());
            for e in a {
                f(h, &[e.x, e.y, e.z]);
            }
        }
        V::PackedColorArray(a) => {
            h.write_usize(a.len());
            for c in a {
                for x in [c.r, c.g, c.b, c.a] {
                    h.write_u32(x.to_bits());
                }
            }
        }
        V::PackedVector4Array(a) => {
            h.write_usize(a.len());
            for e in a {
                f(h, &[e.x, e.y, e.z, e.w]);
            }
        }
    }
}

/// A Godot 4 Variant.
///
/// `PartialEq` is strict structural equality: floats compare by bit pattern (NaN equals the same
/// NaN, `-0.0` differs from `0.0`) and String differs from StringName. Dictionary keys use
/// [`Variant::key_eq`] instead.
///
/// Payloads larger than 32 bytes (Transform2D, AABB, Basis, Transform3D, Projection, NodePath,
/// objects sent in full) are boxed, so a Variant is 40 bytes.
#[derive(Debug, Clone, Default)]
pub enum Variant {
    #[default]
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Up to 24 bytes are kept inline (no heap allocation); derefs to `str`.
    String(CompactString),
    Vector2(Vector2),
    Vector2i(Vector2i),
    Rect2(Rect2),
    Rect2i(Rect2i),
    Vector3(Vector3),
    Vector3i(Vector3i),
    Transform2D(Box<Transform2D>),
    Vector4(Vector4),
    Vector4i(Vector4i),
    Plane(Plane),
    Quaternion(Quaternion),
    Aabb(Box<Aabb>),
    Basis(Box<Basis>),
    Transform3D(Box<Transform3D>),
    Projection(Box<Projection>),
    Color(Color),
    StringName(CompactString),
    NodePath(Box<NodePath>),
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

// Large payloads are boxed so that containers of small values stay dense: 40 bytes instead of 136
// made decoding an Array of 100k small dictionaries 1.8x faster. Widening this needs a measurement.
const _: () = assert!(std::mem::size_of::<Variant>() <= 40);

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

    /// Godot's dictionary-key identity (`docs/wire-format.md` §11): different types are different keys,
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
