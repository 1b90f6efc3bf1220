//! The decoder: a loop over an explicit stack of open containers (no native recursion), with the
//! engine's checks in the engine's order (`docs/wire-format.md` §4.3, §7–§14).

use super::wire::{self, WireType, FLAG_64, FLAG_OBJECT_AS_ID};
use super::{DecodeOptions, Dialect, VariantError, MAX_RECURSION_DEPTH};
use crate::error::Error;
use crate::variant::{
    Aabb, Array, Basis, Color, CompactString, ContainerType, Dictionary, FullObject, NodePath,
    Object, Plane, Projection, Quaternion, Rect2, Rect2i, Signal, Transform2D, Transform3D,
    Variant, VariantType, Vector2, Vector2i, Vector3, Vector3i, Vector4, Vector4i,
};
use std::mem::size_of;

fn err(code: Error, offset: usize, reason: &'static str) -> VariantError {
    VariantError::new(code, offset, reason)
}

pub(super) fn decode(data: &[u8], opts: &DecodeOptions) -> Result<(Variant, usize), VariantError> {
    let mut d = Decoder {
        buf: data,
        pos: 0,
        allow_objects: opts.allow_objects,
        dialect: opts.dialect,
        // Godot 3.2 ignores FLAG_64 on math types and has no typed containers (§19): masking the
        // header bits once here keeps the per-value paths free of dialect checks.
        real_flag: if opts.dialect == Dialect::Godot3 {
            0
        } else {
            FLAG_64
        },
        kind_bits: if opts.dialect == Dialect::Godot3 {
            0
        } else {
            !0
        },
        types: wire::wire_types(opts.dialect),
        max_depth: opts.limits.max_depth.min(MAX_RECURSION_DEPTH) as usize,
        elements_left: opts.limits.max_elements,
        bytes_left: opts.limits.max_bytes,
        // With the default limits nothing the input can describe reaches them (the address
        // space runs out first), so the per-value accounting is skipped.
        limited: opts.limits.max_elements != usize::MAX || opts.limits.max_bytes != usize::MAX,
        promised: 0,
    };
    let v = d.run()?;
    Ok((v, d.pos))
}

struct Decoder<'a> {
    buf: &'a [u8],
    /// Always ≤ `buf.len()` (a byte array's missing final padding is clamped away).
    pos: usize,
    allow_objects: bool,
    dialect: Dialect,
    /// FLAG_64 where the header's bit 16 selects f64 math components; 0 in Godot 3 (§19).
    real_flag: u32,
    /// Mask for the ARRAY/DICTIONARY kind bits: all ones, or 0 in Godot 3 (no typed containers, §19).
    kind_bits: u32,
    /// `wire::from_wire_id` of each header low byte in this dialect.
    types: &'static [WireType; 256],
    max_depth: usize,
    elements_left: usize,
    bytes_left: usize,
    /// Whether `Limits::max_elements` or `max_bytes` is set (else `charge` has nothing to do).
    limited: bool,
    /// Element slots reserved by open containers and not yet filled. Each future element needs
    /// at least 4 bytes of input, so all open containers together never reserve more than
    /// `remaining / 4` slots: nested containers with huge counts cannot multiply the memory.
    promised: usize,
}

/// A container still receiving children. Children are decoded in place: the slot for the next
/// one is appended first (a NIL), then filled, so no 136-byte `Variant` is moved around.
enum Frame {
    Array {
        arr: Box<Array>,
        left: u32,
        reserved: usize,
    },
    Dict {
        dict: Box<Dictionary>,
        left: u32,
        reserved: usize,
        /// The key of the pending pair is done; its value is next.
        key_done: bool,
    },
    Object {
        obj: FullObject,
        left: u32,
        reserved: usize,
        /// Where the value of the last property started (for the `script` check's offset).
        value_at: usize,
    },
}

impl Frame {
    fn into_variant(self) -> Variant {
        match self {
            Frame::Array { arr, .. } => Variant::Array(arr),
            Frame::Dict { dict, .. } => Variant::Dictionary(dict),
            Frame::Object { obj, .. } => Variant::Object(Object::Full(Box::new(obj))),
        }
    }

    /// The slot of the child being decoded (already appended by `next_slot`).
    fn current_slot(&mut self) -> Option<&mut Variant> {
        match self {
            Frame::Array { arr, .. } => arr.elements.last_mut(),
            Frame::Dict { dict, key_done, .. } => {
                dict.pending().map(|(k, v)| if *key_done { v } else { k })
            }
            Frame::Object { obj, .. } => obj.properties.last_mut().map(|(_, v)| v),
        }
    }
}

/// The innermost open frame lives in `top`; only its parents go to the heap.
struct Stack {
    top: Option<Frame>,
    rest: Vec<Frame>,
}

impl<'a> Decoder<'a> {
    #[inline]
    fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// `N` bytes, or `ERR_INVALID_DATA` (fixed-size payloads, counts, ids).
    #[inline]
    fn fixed<const N: usize>(&mut self, reason: &'static str) -> Result<[u8; N], VariantError> {
        match self
            .buf
            .get(self.pos..self.pos + N)
            .and_then(|s| <[u8; N]>::try_from(s).ok())
        {
            Some(b) => {
                self.pos += N;
                Ok(b)
            }
            None => Err(err(Error::InvalidData, self.pos, reason)),
        }
    }

    #[inline]
    fn u32(&mut self, reason: &'static str) -> Result<u32, VariantError> {
        self.fixed::<4>(reason).map(u32::from_le_bytes)
    }

    #[inline]
    fn u64(&mut self, reason: &'static str) -> Result<u64, VariantError> {
        self.fixed::<8>(reason).map(u64::from_le_bytes)
    }

    /// Charges `n` values and `bytes` of memory against the limits.
    #[inline]
    fn charge(&mut self, n: usize, bytes: usize) -> Result<(), VariantError> {
        if !self.limited {
            return Ok(());
        }
        match (
            self.elements_left.checked_sub(n),
            self.bytes_left.checked_sub(bytes),
        ) {
            (Some(e), Some(b)) => {
                self.elements_left = e;
                self.bytes_left = b;
                Ok(())
            }
            (None, _) => Err(err(
                Error::OutOfMemory,
                self.pos,
                "more values than Limits::max_elements",
            )),
            (_, None) => Err(err(
                Error::OutOfMemory,
                self.pos,
                "decoded value larger than Limits::max_bytes",
            )),
        }
    }

    /// `v` in a box, charged against the memory budget (the model boxes its large payloads).
    #[inline]
    fn boxed<T>(&mut self, v: T) -> Result<Box<T>, VariantError> {
        self.charge(0, size_of::<T>())?;
        Ok(Box::new(v))
    }

    /// Capacity to reserve for `count` items of `slots` values (4 input bytes at least each):
    /// never more than the input left after the slots already promised to open containers can
    /// hold, nor than the memory budget.
    #[inline]
    fn capacity<T>(&self, count: usize, slots: usize) -> usize {
        let avail = (self.remaining() / 4).saturating_sub(self.promised);
        count
            .min(avail / slots)
            .min(self.bytes_left / size_of::<T>().max(1))
    }

    /// The bytes of a string block (`docs/wire-format.md` §4.3 steps 1–2, 4), before UTF-8 decoding.
    #[inline(always)]
    fn string_bytes(&mut self) -> Result<(&'a [u8], usize), VariantError> {
        let at = self.pos;
        let n = self.u32("fewer than 4 bytes for a string length")? as i32;
        if n < 0 {
            return Err(err(Error::FileEof, at, "negative string length"));
        }
        let n = n as usize;
        let padded = n + wire::pad4(n);
        if padded > i32::MAX as usize {
            return Err(err(
                Error::FileEof,
                at,
                "string length plus padding overflows",
            ));
        }
        if padded > self.remaining() {
            return Err(err(
                Error::FileEof,
                at,
                "string runs past the end of the data",
            ));
        }
        let bytes = &self.buf[self.pos..self.pos + n];
        self.pos += padded;
        Ok((bytes, at + 4))
    }

    /// A string block decoded with Godot's UTF-8 rules (BOM skipped, stop at NUL, strict).
    #[inline(always)]
    fn str(&mut self) -> Result<&'a str, VariantError> {
        let (bytes, at) = self.string_bytes()?;
        utf8(bytes, at)
    }

    #[inline(always)]
    fn string(&mut self) -> Result<String, VariantError> {
        let s = self.str()?;
        self.charge(0, s.len())?;
        Ok(s.to_owned())
    }

    /// A String / StringName payload: up to 24 bytes kept inline, no allocation.
    #[inline(always)]
    fn gstring(&mut self) -> Result<CompactString, VariantError> {
        let s = self.str()?;
        self.charge(0, s.len())?;
        Ok(CompactString::from(s))
    }

    /// `N` real_t components: f64 with FLAG_64, else f32.
    #[inline]
    fn reals<const N: usize>(&mut self, hdr: u32) -> Result<[f64; N], VariantError> {
        let mut out = [0.0; N];
        if hdr & self.real_flag != 0 {
            let need = N * 8;
            let Some(b) = self.buf.get(self.pos..self.pos + need) else {
                return Err(err(Error::InvalidData, self.pos, "math value truncated"));
            };
            for (o, c) in out.iter_mut().zip(b.chunks_exact(8)) {
                *o = f64::from_le_bytes(c.try_into().unwrap_or_default());
            }
            self.pos += need;
        } else {
            let need = N * 4;
            let Some(b) = self.buf.get(self.pos..self.pos + need) else {
                return Err(err(Error::InvalidData, self.pos, "math value truncated"));
            };
            for (o, c) in out.iter_mut().zip(b.chunks_exact(4)) {
                // Exact, NaN bits included, so that encoding gives the same bytes back.
                *o = crate::simd::widen_exact(f32::from_le_bytes(c.try_into().unwrap_or_default()));
            }
            self.pos += need;
        }
        Ok(out)
    }

    #[inline]
    fn ints<const N: usize>(&mut self) -> Result<[i32; N], VariantError> {
        let mut out = [0; N];
        let need = N * 4;
        let Some(b) = self.buf.get(self.pos..self.pos + need) else {
            return Err(err(Error::InvalidData, self.pos, "math value truncated"));
        };
        for (o, c) in out.iter_mut().zip(b.chunks_exact(4)) {
            *o = i32::from_le_bytes(c.try_into().unwrap_or_default());
        }
        self.pos += need;
        Ok(out)
    }

    /// Count of a fixed-size packed array (`docs/wire-format.md` §13): i32, not negative, no overflow, fits the data.
    /// Returns the count and its bytes, charged against the limits as `T`s.
    #[inline]
    /// A packed array of real vectors (`T::N` reals each): f64 components with FLAG_64, else f32
    /// widened (in bulk for large arrays). `make` builds one element from its `T::N` components.
    fn packed_reals<T: crate::simd::Reals>(
        &mut self,
        hdr: u32,
        make: impl Fn(&[f64]) -> T,
    ) -> Result<Vec<T>, VariantError> {
        let (wide, size) = if hdr & self.real_flag != 0 {
            (true, 8)
        } else {
            (false, 4)
        };
        let (_, b) = self.packed_count::<T>(size * T::N)?;
        if !wide {
            if let Some(v) = crate::simd::widened(b) {
                return Ok(v);
            }
        }
        let mut r = [0.0f64; 4];
        Ok(b.chunks_exact(size * T::N)
            .map(|c| {
                for (x, w) in r.iter_mut().zip(c.chunks_exact(size)) {
                    *x = if wide { f64le(w) } else { f32le(w) };
                }
                make(&r[..T::N])
            })
            .collect())
    }

    fn packed_count<T>(&mut self, elem: usize) -> Result<(usize, &'a [u8]), VariantError> {
        let at = self.pos;
        let c = self.u32("packed array count missing")? as i32;
        if c < 0 {
            return Err(err(Error::InvalidData, at, "negative packed array count"));
        }
        if c > i32::MAX / elem as i32 {
            return Err(err(Error::InvalidData, at, "packed array size overflows"));
        }
        let n = c as usize;
        let bytes = n * elem;
        if bytes > self.remaining() {
            return Err(err(
                Error::InvalidData,
                at,
                "packed array runs past the end of the data",
            ));
        }
        self.charge(n, n * size_of::<T>())?;
        let data = &self.buf[self.pos..self.pos + bytes];
        self.pos += bytes;
        Ok((n, data))
    }

    /// A typed-container descriptor of `kind` (`docs/wire-format.md` §9).
    fn descriptor(&mut self, kind: u32) -> Result<ContainerType, VariantError> {
        let at = self.pos;
        let eoaid = || ContainerType::Class(wire::ENCODED_OBJECT_AS_ID.to_owned());
        match kind {
            wire::KIND_BUILTIN => {
                let id = self.u32("fewer than 4 bytes for a container element type")?;
                if id as i32 as i64 >= i64::from(self.variant_max()) || (id as i32) < 0 {
                    return Err(err(
                        Error::InvalidData,
                        at,
                        "container element type id out of range",
                    ));
                }
                match wire::from_wire_id(id, self.dialect) {
                    WireType::Type(VariantType::Nil) => Ok(ContainerType::Any),
                    WireType::Type(VariantType::Object) if !self.allow_objects => Ok(eoaid()),
                    WireType::Type(t) => Ok(ContainerType::Builtin(t)),
                    WireType::Struct => Err(err(
                        Error::Bug,
                        at,
                        "typed container of STRUCT is not supported",
                    )),
                    WireType::Invalid => Err(err(
                        Error::InvalidData,
                        at,
                        "container element type id out of range",
                    )),
                }
            }
            wire::KIND_CLASS_NAME => {
                let s = self.str()?;
                if self.allow_objects {
                    self.charge(0, s.len())?;
                    Ok(ContainerType::Class(s.to_owned()))
                } else {
                    Ok(eoaid())
                }
            }
            wire::KIND_SCRIPT => {
                let s = self.str()?;
                if self.allow_objects {
                    if s.is_empty() || !s.starts_with("res://") {
                        return Err(err(
                            Error::InvalidData,
                            at,
                            "container script path is not a res:// path",
                        ));
                    }
                    self.charge(0, s.len())?;
                    Ok(ContainerType::Script(s.to_owned()))
                } else {
                    Ok(eoaid())
                }
            }
            _ => Ok(ContainerType::Any),
        }
    }

    fn variant_max(&self) -> u32 {
        match self.dialect {
            Dialect::Godot4 => VariantType::COUNT as u32,
            Dialect::RedotStruct => VariantType::COUNT as u32 + 1,
            Dialect::Godot3 => wire::GODOT3_VARIANT_MAX,
        }
    }

    /// A container count word (`docs/wire-format.md` §10, §11): bit 31 ignored.
    #[inline]
    fn container_count(&mut self) -> Result<u32, VariantError> {
        Ok(self.u32("container count missing")? & 0x7FFF_FFFF)
    }

    /// The next value when it is not a container (`Ok(None)`: it may be an Array, Dictionary or
    /// Object, or cannot be decoded here; nothing was consumed and `step` takes it, errors
    /// included). Checks and errors come in `step`'s order.
    #[inline(always)]
    fn leaf(&mut self, depth: usize) -> Result<Option<Variant>, VariantError> {
        if depth > self.max_depth {
            return Ok(None);
        }
        self.leaf_in_depth()
    }

    /// [`Decoder::leaf`] for a caller that has checked the depth.
    #[inline(always)]
    fn leaf_in_depth(&mut self) -> Result<Option<Variant>, VariantError> {
        use Variant as V;
        use VariantType as T;
        let Some(b) = self
            .buf
            .get(self.pos..self.pos + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
        else {
            return Ok(None);
        };
        let hdr = u32::from_le_bytes(b);
        let WireType::Type(t) = self.types[(hdr & 0xFF) as usize] else {
            return Ok(None);
        };
        if matches!(t, T::Array | T::Dictionary | T::Object) {
            return Ok(None);
        }
        let at = self.pos;
        self.pos += 4;
        self.charge(1, size_of::<Variant>())?;
        Ok(Some(match t {
            T::Nil => V::Nil,
            T::Bool => V::Bool(self.u32("bool truncated")? != 0),
            T::Int => {
                if hdr & FLAG_64 != 0 {
                    V::Int(self.u64("int truncated")? as i64)
                } else {
                    V::Int(i64::from(self.u32("int truncated")? as i32))
                }
            }
            T::Float => {
                if hdr & FLAG_64 != 0 {
                    V::Float(f64::from_bits(self.u64("float truncated")?))
                } else {
                    V::Float(f64::from(f32::from_bits(self.u32("float truncated")?)))
                }
            }
            T::String => V::String(self.gstring()?),
            T::StringName => V::StringName(self.gstring()?),
            T::Vector2 => {
                let [x, y] = self.reals(hdr)?;
                V::Vector2(Vector2 { x, y })
            }
            _ => {
                let mut v = V::Nil;
                self.step_other(t, hdr, at, &mut v)?;
                v
            }
        }))
    }

    /// Decodes one value at `depth` into `slot` (which holds NIL): a finished value, or the start
    /// of a container that still needs children, returned as a frame. A container whose
    /// children are all leaves is filled here and finished at once.
    fn step(&mut self, depth: usize, slot: &mut Variant) -> Result<Option<Frame>, VariantError> {
        use Variant as V;
        use VariantType as T;
        if let Some(v) = self.leaf(depth)? {
            put(slot, v);
            return Ok(None);
        }
        if depth > self.max_depth {
            return Err(err(
                Error::OutOfMemory,
                self.pos,
                "nesting deeper than the recursion limit",
            ));
        }
        let at = self.pos;
        let hdr = self.u32("fewer than 4 bytes for a header")?;
        self.charge(1, size_of::<Variant>())?;
        let t = match self.types[(hdr & 0xFF) as usize] {
            WireType::Type(t) => t,
            WireType::Struct => {
                return Err(err(Error::Bug, at, "STRUCT has no decoder (redot-struct)"))
            }
            WireType::Invalid => {
                return Err(err(
                    Error::InvalidData,
                    at,
                    "type id is not below VARIANT_MAX",
                ))
            }
        };
        let mut f = match t {
            T::Dictionary => {
                let hdr = hdr & self.kind_bits;
                let mut dict = Box::<Dictionary>::default();
                // Untyped (the common case, and all of Godot 3) needs no descriptor call.
                if hdr & (0xF << wire::KEY_KIND_SHIFT) != 0 {
                    dict.key_type = self.descriptor((hdr >> wire::KEY_KIND_SHIFT) & 3)?;
                    dict.value_type = self.descriptor((hdr >> wire::VALUE_KIND_SHIFT) & 3)?;
                }
                let n = self.container_count()?;
                let cap = self.capacity::<(Variant, Variant)>(n as usize, 2);
                dict.reserve(cap);
                if n == 0 {
                    put(slot, V::Dictionary(dict));
                    return Ok(None);
                }
                self.promised += 2 * cap;
                Frame::Dict {
                    dict,
                    left: n,
                    reserved: 2 * cap,
                    key_done: false,
                }
            }
            T::Array => {
                let kind = ((hdr & self.kind_bits) >> wire::KEY_KIND_SHIFT) & 3;
                let element_type = if kind == wire::KIND_NONE {
                    ContainerType::Any
                } else {
                    self.descriptor(kind)?
                };
                let n = self.container_count()?;
                let cap = self.capacity::<Variant>(n as usize, 1);
                let arr = Box::new(Array {
                    element_type,
                    elements: Vec::with_capacity(cap),
                });
                if n == 0 {
                    put(slot, V::Array(arr));
                    return Ok(None);
                }
                self.promised += cap;
                Frame::Array {
                    arr,
                    left: n,
                    reserved: cap,
                }
            }
            T::Object => return self.object(hdr, at, slot),
            _ => return Err(err(Error::Bug, at, "leaf type on the container path")),
        };
        if self.leaves(depth + 1, &mut f)? {
            put(slot, f.into_variant());
            return Ok(None);
        }
        Ok(Some(f))
    }

    /// Fills the just-opened container `f` (children at `depth`) in a plain loop while its
    /// children are leaves: the common case (a dictionary of numbers, vectors and strings) then
    /// needs no frame on the stack and no trip through the walk per child. Stops before the
    /// first child that is not a leaf (the walk carries on with `f` from there) and returns
    /// whether `f` is complete.
    #[inline]
    fn leaves(&mut self, depth: usize, f: &mut Frame) -> Result<bool, VariantError> {
        if depth > self.max_depth {
            return Ok(false);
        }
        match f {
            Frame::Dict {
                dict,
                left,
                reserved,
                key_done,
            } => loop {
                // Keys are nearly always plain Strings (header word 4 in every dialect).
                let k = if self.buf.get(self.pos..self.pos + 4) == Some(&[4, 0, 0, 0]) {
                    self.pos += 4;
                    self.charge(1, size_of::<Variant>())?;
                    Variant::String(self.gstring()?)
                } else {
                    match self.leaf_in_depth()? {
                        Some(k) => k,
                        None => return Ok(false),
                    }
                };
                let Some(v) = self.leaf_in_depth()? else {
                    // The value opens a container: the key waits as the pending pair.
                    dict.push_pending().0 = k;
                    *key_done = true;
                    return Ok(false);
                };
                dict.push_decoded(k, v);
                self.fill(reserved, 2);
                *left -= 1;
                if *left == 0 {
                    return Ok(true);
                }
            },
            Frame::Array {
                arr,
                left,
                reserved,
                ..
            } => loop {
                let Some(v) = self.leaf_in_depth()? else {
                    return Ok(false);
                };
                arr.elements.push(v);
                self.fill(reserved, 1);
                *left -= 1;
                if *left == 0 {
                    return Ok(true);
                }
            },
            Frame::Object { .. } => Ok(false),
        }
    }

    /// The less common types (kept out of `step` so that its hot path stays small).
    #[inline(never)]
    fn step_other(
        &mut self,
        t: VariantType,
        hdr: u32,
        at: usize,
        slot: &mut Variant,
    ) -> Result<Option<Frame>, VariantError> {
        use Variant as V;
        use VariantType as T;
        let v = match t {
            // `step` decodes these itself and never hands them here.
            T::Nil
            | T::Bool
            | T::Int
            | T::Float
            | T::String
            | T::StringName
            | T::Vector2
            | T::Dictionary
            | T::Array => return Err(err(Error::Bug, at, "hot type on the cold decode path")),
            T::Vector2i => {
                let [x, y] = self.ints()?;
                V::Vector2i(Vector2i { x, y })
            }
            T::Rect2 => {
                let [px, py, sx, sy] = self.reals(hdr)?;
                V::Rect2(Rect2 {
                    position: Vector2 { x: px, y: py },
                    size: Vector2 { x: sx, y: sy },
                })
            }
            T::Rect2i => {
                let [px, py, sx, sy] = self.ints()?;
                V::Rect2i(Rect2i {
                    position: Vector2i { x: px, y: py },
                    size: Vector2i { x: sx, y: sy },
                })
            }
            T::Vector3 => {
                let [x, y, z] = self.reals(hdr)?;
                V::Vector3(Vector3 { x, y, z })
            }
            T::Vector3i => {
                let [x, y, z] = self.ints()?;
                V::Vector3i(Vector3i { x, y, z })
            }
            T::Transform2D => {
                let r: [f64; 6] = self.reals(hdr)?;
                V::Transform2D(self.boxed(Transform2D {
                    columns: [
                        Vector2 { x: r[0], y: r[1] },
                        Vector2 { x: r[2], y: r[3] },
                        Vector2 { x: r[4], y: r[5] },
                    ],
                })?)
            }
            T::Vector4 => {
                let [x, y, z, w] = self.reals(hdr)?;
                V::Vector4(Vector4 { x, y, z, w })
            }
            T::Vector4i => {
                let [x, y, z, w] = self.ints()?;
                V::Vector4i(Vector4i { x, y, z, w })
            }
            T::Plane => {
                let [x, y, z, d] = self.reals(hdr)?;
                V::Plane(Plane {
                    normal: Vector3 { x, y, z },
                    d,
                })
            }
            T::Quaternion => {
                let [x, y, z, w] = self.reals(hdr)?;
                V::Quaternion(Quaternion { x, y, z, w })
            }
            T::Aabb => {
                let r: [f64; 6] = self.reals(hdr)?;
                V::Aabb(self.boxed(Aabb {
                    position: Vector3 {
                        x: r[0],
                        y: r[1],
                        z: r[2],
                    },
                    size: Vector3 {
                        x: r[3],
                        y: r[4],
                        z: r[5],
                    },
                })?)
            }
            T::Basis => {
                let r: [f64; 9] = self.reals(hdr)?;
                V::Basis(self.boxed(basis(&r))?)
            }
            T::Transform3D => {
                let r: [f64; 12] = self.reals(hdr)?;
                V::Transform3D(self.boxed(Transform3D {
                    basis: basis(&r[..9]),
                    origin: Vector3 {
                        x: r[9],
                        y: r[10],
                        z: r[11],
                    },
                })?)
            }
            T::Projection => {
                let r: [f64; 16] = self.reals(hdr)?;
                let col = |i: usize| Vector4 {
                    x: r[i * 4],
                    y: r[i * 4 + 1],
                    z: r[i * 4 + 2],
                    w: r[i * 4 + 3],
                };
                V::Projection(self.boxed(Projection {
                    columns: [col(0), col(1), col(2), col(3)],
                })?)
            }
            T::Color => {
                let b: [u8; 16] = self.fixed("color truncated")?;
                V::Color(color(&b))
            }
            T::NodePath => {
                let p = self.node_path()?;
                V::NodePath(self.boxed(p)?)
            }
            // Godot 3 sends an RID as the header alone and decodes it as an empty RID (§19).
            T::Rid if self.dialect == Dialect::Godot3 => V::Rid(0),
            T::Rid => V::Rid(self.u64("RID truncated")?),
            T::Object => return self.object(hdr, at, slot),
            T::Callable => V::Callable,
            T::Signal => {
                let name = self.string()?;
                let object_id = self.u64("signal object id truncated")?;
                V::Signal(Signal { name, object_id })
            }
            T::PackedByteArray => {
                let at = self.pos;
                let c = self.u32("packed array count missing")? as i32;
                if c < 0 || c as usize > self.remaining() {
                    return Err(err(
                        Error::InvalidData,
                        at,
                        "byte array count negative or past the end of the data",
                    ));
                }
                let n = c as usize;
                self.charge(n, n)?;
                let bytes = self.buf[self.pos..self.pos + n].to_vec();
                // The padding counts as consumed even when the data ends first (`docs/wire-format.md` §13).
                self.pos = (self.pos + n + wire::pad4(n)).min(self.buf.len());
                V::PackedByteArray(bytes)
            }
            T::PackedInt32Array => {
                let (_, b) = self.packed_count::<i32>(4)?;
                V::PackedInt32Array(
                    b.chunks_exact(4)
                        .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                        .collect(),
                )
            }
            T::PackedInt64Array => {
                let (_, b) = self.packed_count::<i64>(8)?;
                V::PackedInt64Array(
                    b.chunks_exact(8)
                        .map(|c| i64::from_le_bytes(c.try_into().unwrap_or_default()))
                        .collect(),
                )
            }
            T::PackedFloat32Array => {
                let (_, b) = self.packed_count::<f32>(4)?;
                V::PackedFloat32Array(
                    b.chunks_exact(4)
                        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                        .collect(),
                )
            }
            T::PackedFloat64Array => {
                let (_, b) = self.packed_count::<f64>(8)?;
                V::PackedFloat64Array(
                    b.chunks_exact(8)
                        .map(|c| f64::from_le_bytes(c.try_into().unwrap_or_default()))
                        .collect(),
                )
            }
            T::PackedStringArray => V::PackedStringArray(self.packed_strings()?),
            T::PackedVector2Array => {
                V::PackedVector2Array(self.packed_reals(hdr, |r| Vector2 { x: r[0], y: r[1] })?)
            }
            T::PackedVector3Array => {
                V::PackedVector3Array(self.packed_reals(hdr, |r| Vector3 {
                    x: r[0],
                    y: r[1],
                    z: r[2],
                })?)
            }
            T::PackedColorArray => {
                let (_, b) = self.packed_count::<Color>(16)?;
                V::PackedColorArray(
                    b.chunks_exact(16)
                        .map(|c| color(c.try_into().unwrap_or(&[0; 16])))
                        .collect(),
                )
            }
            T::PackedVector4Array => {
                V::PackedVector4Array(self.packed_reals(hdr, |r| Vector4 {
                    x: r[0],
                    y: r[1],
                    z: r[2],
                    w: r[3],
                })?)
            }
        };
        put(slot, v);
        Ok(None)
    }

    /// `docs/wire-format.md` §13: count not validated; negative means empty; each element is an ordinary string block.
    fn packed_strings(&mut self) -> Result<Vec<String>, VariantError> {
        let c = self.u32("packed array count missing")? as i32;
        let n = usize::try_from(c).unwrap_or(0);
        let mut out = Vec::with_capacity(self.capacity::<String>(n, 1));
        for _ in 0..n {
            self.charge(1, size_of::<String>())?;
            out.push(self.string()?);
        }
        Ok(out)
    }

    /// `docs/wire-format.md` §7.
    fn node_path(&mut self) -> Result<NodePath, VariantError> {
        let at = self.pos;
        let first = self.u32("NodePath counts missing")?;
        if first & 0x8000_0000 == 0 {
            return Err(err(
                Error::InvalidData,
                at,
                "NodePath in the pre-3.0 format (bit 31 clear)",
            ));
        }
        if self.buf.len() - at < 12 {
            return Err(err(Error::InvalidData, at, "NodePath counts truncated"));
        }
        let names = first & 0x7FFF_FFFF;
        let mut subnames = self.u32("NodePath counts truncated")?;
        let flags = self.u32("NodePath counts truncated")?;
        if flags & 2 != 0 {
            subnames = subnames.wrapping_add(1);
        }
        let total = names.wrapping_add(subnames);
        let mut p = NodePath {
            names: Vec::with_capacity(self.capacity::<String>(names.min(total) as usize, 1)),
            subnames: Vec::with_capacity(
                self.capacity::<String>(total.saturating_sub(names) as usize, 1),
            ),
            absolute: flags & 1 != 0,
        };
        for i in 0..total {
            self.charge(1, size_of::<String>())?;
            let s = self.string()?;
            if i < names {
                p.names.push(s);
            } else {
                p.subnames.push(s);
            }
        }
        Ok(p)
    }

    /// `docs/wire-format.md` §8.
    fn object(
        &mut self,
        hdr: u32,
        at: usize,
        slot: &mut Variant,
    ) -> Result<Option<Frame>, VariantError> {
        if hdr & FLAG_OBJECT_AS_ID != 0 {
            let id = self.u64("object id truncated")?;
            *slot = Variant::Object(if id == 0 {
                Object::Null
            } else {
                Object::Id(id)
            });
            return Ok(None);
        }
        if !self.allow_objects {
            return Err(err(
                Error::Unauthorized,
                at,
                "full object while allow_objects is false",
            ));
        }
        let class_name = self.string()?;
        if class_name.is_empty() {
            *slot = Variant::Object(Object::Null);
            return Ok(None);
        }
        let count = self.u32("object property count missing")? as i32;
        let n = u32::try_from(count).unwrap_or(0);
        let cap = self.capacity::<(String, Variant)>(n as usize, 2);
        let obj = FullObject {
            class_name,
            properties: Vec::with_capacity(cap),
        };
        if n == 0 {
            *slot = Variant::Object(Object::Full(Box::new(obj)));
            return Ok(None);
        }
        self.promised += 2 * cap;
        Ok(Some(Frame::Object {
            obj,
            left: n,
            reserved: 2 * cap,
            value_at: 0,
        }))
    }

    /// Appends the slot for the next child of `f` (reading an object's property name first).
    #[inline]
    fn next_slot<'f>(&mut self, f: &'f mut Frame) -> Result<&'f mut Variant, VariantError> {
        match f {
            Frame::Array { arr, .. } => {
                arr.elements.push(Variant::Nil);
                let last = arr.elements.len() - 1;
                Ok(&mut arr.elements[last])
            }
            Frame::Dict { dict, key_done, .. } => {
                if *key_done {
                    match dict.pending() {
                        Some((_, v)) => Ok(v),
                        None => Err(err(
                            Error::Bug,
                            self.pos,
                            "dictionary lost its pending pair",
                        )),
                    }
                } else {
                    Ok(&mut dict.push_pending().0)
                }
            }
            Frame::Object { obj, value_at, .. } => {
                let name = self.string()?;
                *value_at = self.pos;
                obj.properties.push((name, Variant::Nil));
                let last = obj.properties.len() - 1;
                Ok(&mut obj.properties[last].1)
            }
        }
    }

    /// One item of `slots` values arrived in a frame with `reserved` unfilled slots.
    #[inline]
    fn fill(&mut self, reserved: &mut usize, slots: usize) {
        let n = slots.min(*reserved);
        *reserved -= n;
        self.promised -= n;
    }

    /// The child in the current slot of `f` is complete; true when `f` itself is.
    #[inline]
    fn commit(&mut self, f: &mut Frame) -> Result<bool, VariantError> {
        match f {
            Frame::Array { left, reserved, .. } => {
                self.fill(reserved, 1);
                *left -= 1;
                Ok(*left == 0)
            }
            Frame::Dict {
                dict,
                left,
                reserved,
                key_done,
            } => {
                if !*key_done {
                    *key_done = true;
                    return Ok(false);
                }
                *key_done = false;
                dict.commit_pending();
                self.fill(reserved, 2);
                *left -= 1;
                Ok(*left == 0)
            }
            Frame::Object {
                obj,
                left,
                reserved,
                value_at,
            } => {
                if let Some((name, v)) = obj.properties.last() {
                    if name == "script" {
                        match v {
                            Variant::Nil => {}
                            Variant::String(p) if !p.is_empty() && p.starts_with("res://") => {}
                            Variant::String(_) => {
                                return Err(err(
                                    Error::InvalidData,
                                    *value_at,
                                    "object script path does not start with res://",
                                ))
                            }
                            _ => {
                                return Err(err(
                                    Error::InvalidData,
                                    *value_at,
                                    "object script property is not a String",
                                ))
                            }
                        }
                    }
                }
                self.fill(reserved, 2);
                *left -= 1;
                Ok(*left == 0)
            }
        }
    }

    fn run(&mut self) -> Result<Variant, VariantError> {
        let mut root = Variant::Nil;
        let mut stack = Stack {
            top: None,
            rest: Vec::new(),
        };
        loop {
            let depth = stack.rest.len() + usize::from(stack.top.is_some());
            let opened = match stack.top.as_mut() {
                None => self.step(depth, &mut root)?,
                Some(top) => {
                    let slot = self.next_slot(top)?;
                    self.step(depth, slot)?
                }
            };
            if let Some(f) = opened {
                if let Some(parent) = stack.top.replace(f) {
                    stack.rest.push(parent);
                }
                continue;
            }
            // The slot is filled: commit it, closing every container it completes.
            loop {
                let Some(top) = stack.top.as_mut() else {
                    return Ok(root);
                };
                if !self.commit(top)? {
                    break;
                }
                let done = std::mem::replace(&mut stack.top, stack.rest.pop());
                let value = done.map_or(Variant::Nil, Frame::into_variant);
                match stack.top.as_mut() {
                    None => root = value,
                    Some(parent) => match parent.current_slot() {
                        Some(slot) => *slot = value,
                        None => return Err(err(Error::Bug, self.pos, "container lost its slot")),
                    },
                }
            }
        }
    }
}

/// Stores a decoded value in its slot, which holds NIL: knowing that, the compiler drops nothing.
#[inline(always)]
fn put(slot: &mut Variant, v: Variant) {
    // The old value is NIL, which owns nothing: forgetting it skips a call to the drop glue.
    std::mem::forget(std::mem::replace(slot, v));
}

/// Godot's UTF-8 rules (`docs/wire-format.md` §4.3): skip a leading BOM, stop at the first NUL, then strict UTF-8.
#[inline(always)]
fn utf8(bytes: &[u8], at: usize) -> Result<&str, VariantError> {
    if bytes.len() <= 64 {
        if let Some(s) = crate::simd::ascii_no_nul(bytes) {
            return Ok(s);
        }
    }
    let (bytes, at) = match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => (rest, at + 3),
        _ => (bytes, at),
    };
    let has_nul = if bytes.len() <= 32 {
        bytes.iter().fold(false, |acc, &x| acc | (x == 0))
    } else {
        bytes.contains(&0)
    };
    let bytes = if has_nul {
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        &bytes[..end]
    } else {
        bytes
    };
    std::str::from_utf8(bytes)
        .map_err(|e| err(Error::InvalidData, at + e.valid_up_to(), "invalid UTF-8"))
}

#[inline]
fn f32le(b: &[u8]) -> f64 {
    crate::simd::widen_exact(f32::from_le_bytes(b.try_into().unwrap_or_default()))
}

#[inline]
fn f64le(b: &[u8]) -> f64 {
    f64::from_le_bytes(b.try_into().unwrap_or_default())
}

fn color(b: &[u8; 16]) -> Color {
    let c = |i: usize| f32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    Color {
        r: c(0),
        g: c(4),
        b: c(8),
        a: c(12),
    }
}

fn basis(r: &[f64]) -> Basis {
    let row = |i: usize| Vector3 {
        x: r[i * 3],
        y: r[i * 3 + 1],
        z: r[i * 3 + 2],
    };
    Basis {
        rows: [row(0), row(1), row(2)],
    }
}
