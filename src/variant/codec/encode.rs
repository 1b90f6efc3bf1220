//! The encoder: one walk over the value, generic over a `Sink` that either counts bytes
//! (`encoded_len`) or writes them (`encode_into`), so both agree on every byte and every error.

use super::wire::{self, pad4, FLAG_64, FLAG_OBJECT_AS_ID};
use super::{EncodeOptions, VariantError, MAX_RECURSION_DEPTH};
use crate::error::Error;
use crate::variant::{
    ContainerType, Dictionary, Object, Variant, VariantType, Vector2, Vector3, Vector4,
};

/// Where encoded bytes go.
pub(super) trait Sink {
    /// Bytes produced so far by this encode (error offsets).
    fn pos(&self) -> usize;
    fn bytes(&mut self, b: &[u8]);
    fn zeros(&mut self, n: usize);
    /// `b`, then zeros up to the next multiple of 4 (a string block's text and padding).
    #[inline(always)]
    fn bytes_padded(&mut self, b: &[u8]) {
        self.bytes(b);
        self.zeros(pad4(b.len()));
    }
    /// `items` converted by `f`, `W` bytes each.
    fn packed<T, const W: usize>(&mut self, items: &[T], f: impl Fn(&T) -> [u8; W]);
    /// `reals` narrowed to little-endian f32, 4 bytes each.
    fn reals_f32(&mut self, reals: &[f64]);

    /// A fixed-size piece (headers, numbers): kept apart from `bytes` so that it compiles to a
    /// few stores instead of a call.
    fn arr<const N: usize>(&mut self, a: [u8; N]);

    #[inline(always)]
    fn u32(&mut self, x: u32) {
        self.arr(x.to_le_bytes());
    }
    #[inline(always)]
    fn u64(&mut self, x: u64) {
        self.arr(x.to_le_bytes());
    }
}

/// Counts bytes only.
pub(super) struct Counter(pub usize);

impl Sink for Counter {
    #[inline]
    fn pos(&self) -> usize {
        self.0
    }
    #[inline]
    fn bytes(&mut self, b: &[u8]) {
        self.0 += b.len();
    }
    #[inline]
    fn zeros(&mut self, n: usize) {
        self.0 += n;
    }
    #[inline(always)]
    fn arr<const N: usize>(&mut self, _a: [u8; N]) {
        self.0 += N;
    }
    #[inline]
    fn packed<T, const W: usize>(&mut self, items: &[T], _f: impl Fn(&T) -> [u8; W]) {
        self.0 += items.len() * W;
    }
    #[inline]
    fn reals_f32(&mut self, reals: &[f64]) {
        self.0 += reals.len() * 4;
    }
}

/// Appends to a Vec; `start` is where this encode began. `CAPPED`: obeys `limit` (a separate
/// instantiation, so the unlimited writer pays nothing for the check). Small pieces are staged in a local
/// buffer and appended in one copy, so a header or a number costs a few stores, not a call.
pub(super) struct Writer<'o, const CAPPED: bool> {
    pub out: &'o mut Vec<u8>,
    pub start: usize,
    stage: [u8; STAGE],
    staged: usize,
    /// Most bytes this encode may append to `out` (`usize::MAX`: no limit).
    limit: usize,
    /// Bytes not appended because they would have passed `limit` (the walk goes on, so that
    /// errors and offsets are those of an unlimited encode).
    dropped: usize,
}

const STAGE: usize = 128;
/// Pieces up to this size go through the stage.
const SMALL: usize = 48;

impl<'o, const CAPPED: bool> Writer<'o, CAPPED> {
    /// A writer that appends at most `limit` bytes (when `CAPPED`) and then never grows `out`
    /// past that: it grows to powers of two (counted from where this encode starts) capped at
    /// `limit`.
    pub fn new(out: &'o mut Vec<u8>, limit: usize) -> Self {
        let start = out.len();
        Writer {
            out,
            start,
            stage: [0; STAGE],
            staged: 0,
            limit,
            dropped: 0,
        }
    }

    /// Whether the encoding went past the limit (and so was not all written).
    pub fn over_limit(&self) -> bool {
        self.dropped > 0
    }

    /// Appends what is staged; call once the walk is done.
    #[inline]
    pub fn flush(&mut self) {
        if self.staged > 0 {
            let n = self.staged;
            self.staged = 0;
            if self.admit(n) {
                self.out.extend_from_slice(&self.stage[..n]);
            }
        }
    }

    #[inline(never)]
    fn bytes_large(&mut self, b: &[u8]) {
        self.flush();
        if self.admit(b.len()) {
            self.out.extend_from_slice(b);
        }
    }

    #[inline(never)]
    fn zeros_large(&mut self, n: usize) {
        self.flush();
        if self.admit(n) {
            self.out.resize(self.out.len() + n, 0);
        }
    }

    /// Whether `n` more bytes may be appended to `out` (making room for them under a limit);
    /// once one piece did not fit, nothing more is appended.
    #[inline]
    fn admit(&mut self, n: usize) -> bool {
        if !CAPPED {
            return true;
        }
        let used = self.out.len() - self.start;
        if self.dropped > 0 || n > self.limit - used {
            self.dropped += n;
            return false;
        }
        if self.out.capacity() - self.out.len() < n {
            let want = (used + n)
                .checked_next_power_of_two()
                .map_or(self.limit, |p| p.min(self.limit));
            self.out.reserve_exact(want - used);
        }
        true
    }

    #[inline(always)]
    fn room(&mut self, n: usize) {
        if self.staged + n > STAGE {
            self.flush();
        }
    }
}

impl<const CAPPED: bool> Sink for Writer<'_, CAPPED> {
    #[inline]
    fn pos(&self) -> usize {
        self.out.len() - self.start + self.staged + self.dropped
    }
    #[inline(always)]
    fn bytes(&mut self, b: &[u8]) {
        if b.len() <= SMALL {
            self.room(b.len());
            self.stage[self.staged..self.staged + b.len()].copy_from_slice(b);
            self.staged += b.len();
        } else {
            self.bytes_large(b);
        }
    }
    #[inline(always)]
    fn zeros(&mut self, n: usize) {
        if n <= SMALL {
            self.room(n);
            self.stage[self.staged..self.staged + n].fill(0);
            self.staged += n;
        } else {
            self.zeros_large(n);
        }
    }
    #[inline(always)]
    fn bytes_padded(&mut self, b: &[u8]) {
        let n = b.len();
        if n + 4 <= SMALL {
            // Room for the text and a whole zero word, written at once; only the padding
            // (0-3 bytes of it) is kept.
            self.room(n + 4);
            let at = self.staged;
            self.stage[at..at + n].copy_from_slice(b);
            self.stage[at + n..at + n + 4].copy_from_slice(&[0; 4]);
            self.staged += n + pad4(n);
        } else {
            self.bytes(b);
            self.zeros(pad4(n));
        }
    }
    #[inline(always)]
    fn arr<const N: usize>(&mut self, a: [u8; N]) {
        self.room(N);
        self.stage[self.staged..self.staged + N].copy_from_slice(&a);
        self.staged += N;
    }
    fn packed<T, const W: usize>(&mut self, items: &[T], f: impl Fn(&T) -> [u8; W]) {
        // Convert in L1-sized blocks, then append each block with one copy: the conversion loop
        // vectorizes, and no zero-fill of the destination is needed.
        self.flush();
        const BLOCK: usize = 4096;
        if !self.admit(items.len() * W) {
            return;
        }
        self.out.reserve(items.len() * W);
        let mut buf = [0u8; BLOCK];
        for chunk in items.chunks(BLOCK / W) {
            let n = chunk.len() * W;
            for (dst, item) in buf[..n].chunks_exact_mut(W).zip(chunk) {
                dst.copy_from_slice(&f(item));
            }
            self.out.extend_from_slice(&buf[..n]);
        }
    }
    fn reals_f32(&mut self, reals: &[f64]) {
        self.flush();
        if self.admit(reals.len() * 4) {
            crate::simd::extend_narrowed(self.out, reals);
        }
    }
}

fn err(code: Error, offset: usize, reason: &'static str) -> VariantError {
    VariantError::new(code, offset, reason)
}

/// An open container whose children are still being written.
enum Frame<'a> {
    Array(std::slice::Iter<'a, Variant>),
    Dict {
        dict: &'a Dictionary,
        next: usize,
        value: Option<&'a Variant>,
    },
    Object(std::slice::Iter<'a, (String, Variant)>),
}

/// The innermost open frame lives in `top`; only its parents go to the heap, so one container
/// of scalars is encoded without allocating.
struct Stack<T> {
    top: Option<T>,
    rest: Vec<T>,
}

impl<T> Stack<T> {
    fn new() -> Self {
        Stack {
            top: None,
            rest: Vec::new(),
        }
    }
    fn len(&self) -> usize {
        self.rest.len() + usize::from(self.top.is_some())
    }
    fn push(&mut self, f: T) {
        if let Some(old) = self.top.replace(f) {
            self.rest.push(old);
        }
    }
    fn pop(&mut self) {
        self.top = self.rest.pop();
    }
}

struct Enc<'s, S: Sink> {
    sink: &'s mut S,
    full_objects: bool,
    real_double: bool,
    dialect: super::Dialect,
    /// The Godot 3 dialect (§19): checked only on the arms of types that differ in Godot 3.
    g3: bool,
    /// `EncodeOptions::godot3_lossy`.
    lossy: bool,
}

pub(super) fn encode_with<S: Sink>(
    v: &Variant,
    opts: &EncodeOptions,
    sink: &mut S,
) -> Result<(), VariantError> {
    let mut e = Enc {
        sink,
        full_objects: opts.full_objects,
        // Godot 3.2 never sends f64 math types (§19): decided once per call.
        real_double: opts.real_is_double && opts.dialect != super::Dialect::Godot3,
        dialect: opts.dialect,
        g3: opts.dialect == super::Dialect::Godot3,
        lossy: opts.godot3_lossy,
    };
    let mut stack: Stack<Frame<'_>> = Stack::new();
    let mut cur = v;
    loop {
        if stack.len() > MAX_RECURSION_DEPTH as usize {
            return Err(err(
                Error::OutOfMemory,
                e.sink.pos(),
                "nesting deeper than the recursion limit (1024)",
            ));
        }
        if let Some(mut frame) = e.value(cur)? {
            // Leaf children are written right away (their depth is the frame's + 1, checked
            // here as the walk would check it); the frame goes on the stack only if a child
            // container is left.
            if stack.len() >= MAX_RECURSION_DEPTH as usize || !e.leaves(&mut frame)? {
                stack.push(frame);
            }
        }
        // Find the next value to write, closing finished containers.
        loop {
            let Some(top) = stack.top.as_mut() else {
                return Ok(());
            };
            if let Some(next) = e.next_child(top)? {
                cur = next;
                break;
            }
            stack.pop();
        }
    }
}

/// Whether `v` is written without a frame of its own (anything but a container or an object).
#[inline(always)]
fn is_leaf(v: &Variant) -> bool {
    !matches!(
        v,
        Variant::Array(_) | Variant::Dictionary(_) | Variant::Object(_)
    )
}

/// Whether a container type is more than untyped (Godot 3 has no typed containers, §19).
#[inline]
fn is_typed(t: &ContainerType) -> bool {
    !matches!(
        t,
        ContainerType::Any | ContainerType::Builtin(VariantType::Nil)
    )
}

/// Refuses what a Godot String cannot hold (U+0000; Rust strings have no lone surrogates).
#[inline]
fn check_str(s: &str, at: usize) -> Result<(), VariantError> {
    let b = s.as_bytes();
    let has_nul = if b.len() <= SMALL {
        // Eight bytes at a time (the exact has-a-zero-byte test), then the rest one by one.
        const LO: u64 = 0x0101_0101_0101_0101;
        const HI: u64 = 0x8080_8080_8080_8080;
        let mut words = b.chunks_exact(8);
        let mut zero = 0u64;
        for w in &mut words {
            let w = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            zero |= w.wrapping_sub(LO) & !w & HI;
        }
        zero != 0
            || words
                .remainder()
                .iter()
                .fold(false, |acc, &x| acc | (x == 0))
    } else {
        b.contains(&0)
    };
    if has_nul {
        return Err(err(
            Error::InvalidParameter,
            at,
            "string contains U+0000, which a Godot String cannot hold",
        ));
    }
    Ok(())
}

#[inline]
fn wire_len(n: usize, at: usize) -> Result<u32, VariantError> {
    if n > i32::MAX as usize {
        return Err(err(
            Error::OutOfMemory,
            at,
            "size too large for the wire (over INT32_MAX)",
        ));
    }
    Ok(n as u32)
}

/// A 32-bit real_t component. NaN bits are kept (a signalling NaN decoded from 32 bits goes out as
/// it came in), as a single-precision engine build copies the float.
#[inline]
fn f32b(x: f64) -> [u8; 4] {
    crate::simd::narrow_exact(x).to_le_bytes()
}

impl<'a, S: Sink> Enc<'_, S> {
    #[inline]
    fn header(&mut self, t: VariantType, flags: u32) {
        self.sink.u32(wire::wire_id(t, self.dialect) | flags);
    }

    /// A string block (`docs/wire-format.md` §4.1).
    #[inline(always)]
    fn string(&mut self, s: &str) -> Result<(), VariantError> {
        let at = self.sink.pos();
        check_str(s, at)?;
        let n = wire_len(s.len(), at)?;
        self.sink.u32(n);
        self.sink.bytes_padded(s.as_bytes());
        Ok(())
    }

    /// A real_t type: header with FLAG_64 when double, then the components.
    fn reals<const N: usize>(&mut self, t: VariantType, xs: [f64; N]) {
        if self.real_double {
            self.header(t, FLAG_64);
            for x in xs {
                self.sink.arr(x.to_le_bytes());
            }
        } else {
            self.header(t, 0);
            for x in xs {
                self.sink.arr(f32b(x));
            }
        }
    }

    fn ints<const N: usize>(&mut self, t: VariantType, xs: [i32; N]) {
        self.header(t, 0);
        for x in xs {
            self.sink.arr(x.to_le_bytes());
        }
    }

    /// Kind bits and descriptor writer for a container type (`docs/wire-format.md` §9).
    fn descriptor_kind(&self, ct: &ContainerType) -> u32 {
        match ct {
            ContainerType::Any | ContainerType::Builtin(VariantType::Nil) => wire::KIND_NONE,
            ContainerType::Builtin(_) => wire::KIND_BUILTIN,
            ContainerType::Class(_) => wire::KIND_CLASS_NAME,
            ContainerType::Script(_) if self.full_objects => wire::KIND_SCRIPT,
            ContainerType::Script(_) => wire::KIND_CLASS_NAME,
        }
    }

    fn descriptor(&mut self, ct: &ContainerType) -> Result<(), VariantError> {
        match ct {
            ContainerType::Any | ContainerType::Builtin(VariantType::Nil) => Ok(()),
            ContainerType::Builtin(t) => {
                self.sink.u32(wire::wire_id(*t, self.dialect));
                Ok(())
            }
            ContainerType::Class(name) if self.full_objects => self.string(name),
            ContainerType::Script(path) if self.full_objects => {
                if path.is_empty() || !path.starts_with("res://") {
                    return Err(err(
                        Error::Unavailable,
                        self.sink.pos(),
                        "typed container script path is not a res:// path",
                    ));
                }
                self.string(path)
            }
            ContainerType::Class(_) | ContainerType::Script(_) => {
                self.string(wire::ENCODED_OBJECT_AS_ID)
            }
        }
    }

    /// Writes `v` (or the start of it, for a non-empty container, which is returned as a frame).
    /// The common types are handled here; the others in `value_other`, which keeps this one small.
    #[inline]
    fn value(&mut self, v: &'a Variant) -> Result<Option<Frame<'a>>, VariantError> {
        use Variant as V;
        use VariantType as T;
        match v {
            V::Nil => self.header(T::Nil, 0),
            V::Bool(b) => {
                self.header(T::Bool, 0);
                self.sink.u32(u32::from(*b));
            }
            V::Int(i) => match i32::try_from(*i) {
                Ok(small) => {
                    self.header(T::Int, 0);
                    self.sink.arr(small.to_le_bytes());
                }
                Err(_) => {
                    self.header(T::Int, FLAG_64);
                    self.sink.arr(i.to_le_bytes());
                }
            },
            V::Float(x) => {
                let narrow = *x as f32;
                if f64::from(narrow) == *x {
                    self.header(T::Float, 0);
                    self.sink.arr(narrow.to_le_bytes());
                } else {
                    self.header(T::Float, FLAG_64);
                    self.sink.arr(x.to_le_bytes());
                }
            }
            V::String(s) => {
                self.header(T::String, 0);
                self.string(s)?;
            }
            V::StringName(s) => {
                if self.g3 {
                    self.lossy_or("Godot 3 has no StringName")?;
                    self.header(T::String, 0);
                } else {
                    self.header(T::StringName, 0);
                }
                self.string(s)?;
            }
            V::Vector2(a) => self.reals(T::Vector2, [a.x, a.y]),
            _ => return self.value_other(v),
        }
        Ok(None)
    }

    #[inline(never)]
    fn value_other(&mut self, v: &'a Variant) -> Result<Option<Frame<'a>>, VariantError> {
        use Variant as V;
        use VariantType as T;
        match v {
            // `value` writes these itself and never hands them here.
            V::Nil
            | V::Bool(_)
            | V::Int(_)
            | V::Float(_)
            | V::String(_)
            | V::StringName(_)
            | V::Vector2(_) => {
                return Err(err(
                    Error::Bug,
                    self.sink.pos(),
                    "hot type on the cold encode path",
                ))
            }
            V::Vector2i(a) if self.g3 => {
                let xs = self.g3_ints("Godot 3 has no Vector2i", [a.x, a.y])?;
                self.reals(T::Vector2, xs);
            }
            V::Vector2i(a) => self.ints(T::Vector2i, [a.x, a.y]),
            V::Rect2(a) => self.reals(T::Rect2, [a.position.x, a.position.y, a.size.x, a.size.y]),
            V::Rect2i(a) if self.g3 => {
                let xs = self.g3_ints(
                    "Godot 3 has no Rect2i",
                    [a.position.x, a.position.y, a.size.x, a.size.y],
                )?;
                self.reals(T::Rect2, xs);
            }
            V::Rect2i(a) => self.ints(T::Rect2i, [a.position.x, a.position.y, a.size.x, a.size.y]),
            V::Vector3(a) => self.reals(T::Vector3, [a.x, a.y, a.z]),
            V::Vector3i(a) if self.g3 => {
                let xs = self.g3_ints("Godot 3 has no Vector3i", [a.x, a.y, a.z])?;
                self.reals(T::Vector3, xs);
            }
            V::Vector3i(a) => self.ints(T::Vector3i, [a.x, a.y, a.z]),
            // No Godot 3 counterpart at all: refused even with `godot3_lossy` (§19).
            V::Vector4(_) if self.g3 => return Err(self.missing("Godot 3 has no Vector4")),
            V::Vector4i(_) if self.g3 => return Err(self.missing("Godot 3 has no Vector4i")),
            V::Projection(_) if self.g3 => return Err(self.missing("Godot 3 has no Projection")),
            V::Callable if self.g3 => return Err(self.missing("Godot 3 has no Callable")),
            V::Signal(_) if self.g3 => return Err(self.missing("Godot 3 has no Signal")),
            V::PackedVector4Array(_) if self.g3 => {
                return Err(self.missing("Godot 3 has no PackedVector4Array"))
            }
            V::Transform2D(a) => {
                let [c0, c1, c2] = a.columns;
                self.reals(T::Transform2D, [c0.x, c0.y, c1.x, c1.y, c2.x, c2.y]);
            }
            V::Vector4(a) => self.reals(T::Vector4, [a.x, a.y, a.z, a.w]),
            V::Vector4i(a) => self.ints(T::Vector4i, [a.x, a.y, a.z, a.w]),
            V::Plane(a) => self.reals(T::Plane, [a.normal.x, a.normal.y, a.normal.z, a.d]),
            V::Quaternion(a) => self.reals(T::Quaternion, [a.x, a.y, a.z, a.w]),
            V::Aabb(a) => self.reals(
                T::Aabb,
                [
                    a.position.x,
                    a.position.y,
                    a.position.z,
                    a.size.x,
                    a.size.y,
                    a.size.z,
                ],
            ),
            V::Basis(a) => {
                let [r0, r1, r2] = a.rows;
                self.reals(
                    T::Basis,
                    [r0.x, r0.y, r0.z, r1.x, r1.y, r1.z, r2.x, r2.y, r2.z],
                );
            }
            V::Transform3D(a) => {
                let [r0, r1, r2] = a.basis.rows;
                let o = a.origin;
                self.reals(
                    T::Transform3D,
                    [
                        r0.x, r0.y, r0.z, r1.x, r1.y, r1.z, r2.x, r2.y, r2.z, o.x, o.y, o.z,
                    ],
                );
            }
            V::Projection(a) => {
                let mut xs = [0.0; 16];
                for (i, c) in a.columns.iter().enumerate() {
                    xs[i * 4..i * 4 + 4].copy_from_slice(&[c.x, c.y, c.z, c.w]);
                }
                self.reals(T::Projection, xs);
            }
            V::Color(c) => {
                self.header(T::Color, 0);
                for x in [c.r, c.g, c.b, c.a] {
                    self.sink.arr(x.to_le_bytes());
                }
            }
            V::NodePath(p) => {
                self.header(T::NodePath, 0);
                let at = self.sink.pos();
                let names = wire_len(p.names.len(), at)?;
                let subnames = wire_len(p.subnames.len(), at)?;
                self.sink.u32(names | 0x8000_0000);
                self.sink.u32(subnames);
                self.sink.u32(u32::from(p.absolute));
                for s in p.names.iter().chain(&p.subnames) {
                    self.string(s)?;
                }
            }
            V::Rid(r) if self.g3 => {
                // Godot 3 sends an RID as the header alone (§19): a non-zero id would be lost.
                if *r != 0 {
                    self.lossy_or("Godot 3 RIDs carry no id (RID with a non-zero id)")?;
                }
                self.header(T::Rid, 0);
            }
            V::Rid(r) => {
                self.header(T::Rid, 0);
                self.sink.u64(*r);
            }
            V::Object(o) => return self.object(o),
            V::Callable => self.header(T::Callable, 0),
            V::Signal(s) => {
                self.header(T::Signal, 0);
                self.string(&s.name)?;
                self.sink.u64(s.object_id);
            }
            V::Dictionary(d) if self.g3 => {
                if is_typed(&d.key_type) || is_typed(&d.value_type) {
                    self.lossy_or("Godot 3 has no typed Dictionary")?;
                }
                self.header(T::Dictionary, 0);
                let n = wire_len(d.len(), self.sink.pos())?;
                self.sink.u32(n);
                if n > 0 {
                    return Ok(Some(Frame::Dict {
                        dict: d,
                        next: 0,
                        value: None,
                    }));
                }
            }
            V::Dictionary(d) => {
                let kinds = self.descriptor_kind(&d.key_type) << wire::KEY_KIND_SHIFT
                    | self.descriptor_kind(&d.value_type) << wire::VALUE_KIND_SHIFT;
                self.header(T::Dictionary, kinds);
                self.descriptor(&d.key_type)?;
                self.descriptor(&d.value_type)?;
                let n = wire_len(d.len(), self.sink.pos())?;
                self.sink.u32(n);
                if n > 0 {
                    return Ok(Some(Frame::Dict {
                        dict: d,
                        next: 0,
                        value: None,
                    }));
                }
            }
            V::Array(a) if self.g3 => {
                if is_typed(&a.element_type) {
                    self.lossy_or("Godot 3 has no typed Array")?;
                }
                self.header(T::Array, 0);
                let n = wire_len(a.elements.len(), self.sink.pos())?;
                self.sink.u32(n);
                if n > 0 {
                    return Ok(Some(Frame::Array(a.elements.iter())));
                }
            }
            V::Array(a) => {
                let kind = self.descriptor_kind(&a.element_type) << wire::KEY_KIND_SHIFT;
                self.header(T::Array, kind);
                self.descriptor(&a.element_type)?;
                let n = wire_len(a.elements.len(), self.sink.pos())?;
                self.sink.u32(n);
                if n > 0 {
                    return Ok(Some(Frame::Array(a.elements.iter())));
                }
            }
            V::PackedByteArray(a) => {
                self.header(T::PackedByteArray, 0);
                self.sink.u32(wire_len(a.len(), self.sink.pos())?);
                self.sink.bytes(a);
                self.sink.zeros(pad4(a.len()));
            }
            V::PackedInt32Array(a) => {
                self.packed_header(T::PackedInt32Array, 0, a.len(), 4)?;
                self.sink.packed(a, |x: &i32| x.to_le_bytes());
            }
            V::PackedInt64Array(a) if self.g3 => {
                self.lossy_or("Godot 3 has no PackedInt64Array")?;
                if a.iter().any(|&x| i32::try_from(x).is_err()) {
                    return Err(self.missing(
                        "Godot 3 has no PackedInt64Array (a value does not fit POOL_INT_ARRAY's i32)",
                    ));
                }
                self.packed_header(T::PackedInt32Array, 0, a.len(), 4)?;
                // Every value fits (checked above), so the cast is exact.
                self.sink.packed(a, |x: &i64| (*x as i32).to_le_bytes());
            }
            V::PackedInt64Array(a) => {
                self.packed_header(T::PackedInt64Array, 0, a.len(), 8)?;
                self.sink.packed(a, |x: &i64| x.to_le_bytes());
            }
            V::PackedFloat32Array(a) => {
                self.packed_header(T::PackedFloat32Array, 0, a.len(), 4)?;
                self.sink.packed(a, |x: &f32| x.to_le_bytes());
            }
            V::PackedFloat64Array(a) if self.g3 => {
                self.lossy_or("Godot 3 has no PackedFloat64Array")?;
                // The documented loss: each value rounded to the nearest f32.
                self.packed_header(T::PackedFloat32Array, 0, a.len(), 4)?;
                self.sink.packed(a, |x: &f64| (*x as f32).to_le_bytes());
            }
            V::PackedFloat64Array(a) => {
                self.packed_header(T::PackedFloat64Array, 0, a.len(), 8)?;
                self.sink.packed(a, |x: &f64| x.to_le_bytes());
            }
            V::PackedStringArray(a) => {
                self.header(T::PackedStringArray, 0);
                self.sink.u32(wire_len(a.len(), self.sink.pos())?);
                for s in a {
                    // `docs/wire-format.md` §13: length includes one NUL terminator, which is written.
                    let at = self.sink.pos();
                    check_str(s, at)?;
                    let n = wire_len(s.len() + 1, at)?;
                    self.sink.u32(n);
                    self.sink.bytes(s.as_bytes());
                    self.sink.zeros(1 + pad4(s.len() + 1));
                }
            }
            V::PackedVector2Array(a) => {
                if self.real_double {
                    self.packed_header(T::PackedVector2Array, FLAG_64, a.len(), 16)?;
                    self.sink.packed(a, |v: &Vector2| {
                        let mut b = [0u8; 16];
                        b[..8].copy_from_slice(&v.x.to_le_bytes());
                        b[8..].copy_from_slice(&v.y.to_le_bytes());
                        b
                    });
                } else {
                    self.packed_header(T::PackedVector2Array, 0, a.len(), 8)?;
                    self.sink.reals_f32(crate::simd::flat(a));
                }
            }
            V::PackedVector3Array(a) => {
                if self.real_double {
                    self.packed_header(T::PackedVector3Array, FLAG_64, a.len(), 24)?;
                    self.sink.packed(a, |v: &Vector3| {
                        let mut b = [0u8; 24];
                        b[..8].copy_from_slice(&v.x.to_le_bytes());
                        b[8..16].copy_from_slice(&v.y.to_le_bytes());
                        b[16..].copy_from_slice(&v.z.to_le_bytes());
                        b
                    });
                } else {
                    self.packed_header(T::PackedVector3Array, 0, a.len(), 12)?;
                    self.sink.reals_f32(crate::simd::flat(a));
                }
            }
            V::PackedColorArray(a) => {
                self.packed_header(T::PackedColorArray, 0, a.len(), 16)?;
                self.sink.packed(a, |c: &crate::variant::Color| {
                    let mut b = [0u8; 16];
                    b[..4].copy_from_slice(&c.r.to_le_bytes());
                    b[4..8].copy_from_slice(&c.g.to_le_bytes());
                    b[8..12].copy_from_slice(&c.b.to_le_bytes());
                    b[12..].copy_from_slice(&c.a.to_le_bytes());
                    b
                });
            }
            V::PackedVector4Array(a) => {
                if self.real_double {
                    self.packed_header(T::PackedVector4Array, FLAG_64, a.len(), 32)?;
                    self.sink.packed(a, |v: &Vector4| {
                        let mut b = [0u8; 32];
                        b[..8].copy_from_slice(&v.x.to_le_bytes());
                        b[8..16].copy_from_slice(&v.y.to_le_bytes());
                        b[16..24].copy_from_slice(&v.z.to_le_bytes());
                        b[24..].copy_from_slice(&v.w.to_le_bytes());
                        b
                    });
                } else {
                    self.packed_header(T::PackedVector4Array, 0, a.len(), 16)?;
                    self.sink.reals_f32(crate::simd::flat(a));
                }
            }
        }
        Ok(None)
    }

    /// A value Godot 3 has no type for (§19): `ERR_INVALID_PARAMETER` naming the type.
    #[cold]
    fn missing(&self, what: &'static str) -> VariantError {
        err(Error::InvalidParameter, self.sink.pos(), what)
    }

    /// Allowed only with `godot3_lossy`; otherwise refused with `what`.
    #[inline]
    fn lossy_or(&self, what: &'static str) -> Result<(), VariantError> {
        if self.lossy {
            Ok(())
        } else {
            Err(self.missing(what))
        }
    }

    /// The components of an integer vector as Godot 3 reals, with `godot3_lossy` and only when
    /// every one is exactly an f32 (otherwise the conversion would change the value).
    fn g3_ints<const N: usize>(
        &self,
        what: &'static str,
        xs: [i32; N],
    ) -> Result<[f64; N], VariantError> {
        self.lossy_or(what)?;
        let mut out = [0.0; N];
        for (o, &x) in out.iter_mut().zip(&xs) {
            let r = f64::from(x as f32);
            if r != f64::from(x) {
                return Err(self.missing(match N {
                    2 => "Godot 3 has no Vector2i (a component is not exactly an f32)",
                    3 => "Godot 3 has no Vector3i (a component is not exactly an f32)",
                    _ => "Godot 3 has no Rect2i (a component is not exactly an f32)",
                }));
            }
            *o = r;
        }
        Ok(out)
    }

    /// Header and count of a fixed-size packed array; the byte size must fit the engine's `int`.
    fn packed_header(
        &mut self,
        t: VariantType,
        flags: u32,
        count: usize,
        elem: usize,
    ) -> Result<(), VariantError> {
        let at = self.sink.pos();
        if count > i32::MAX as usize / elem {
            return Err(err(
                Error::OutOfMemory,
                at,
                "packed array too large for the wire (over INT32_MAX bytes)",
            ));
        }
        self.header(t, flags);
        self.sink.u32(count as u32);
        Ok(())
    }

    /// `docs/wire-format.md` §8: null objects as NIL, ids by id, full objects only with `full_objects`.
    fn object(&mut self, o: &'a Object) -> Result<Option<Frame<'a>>, VariantError> {
        match o {
            Object::Null | Object::Id(0) => self.header(VariantType::Nil, 0),
            Object::Id(id) => {
                self.header(VariantType::Object, FLAG_OBJECT_AS_ID);
                self.sink.u64(*id);
            }
            Object::Full(full) => {
                let at = self.sink.pos();
                if !self.full_objects {
                    return Err(err(
                        Error::InvalidParameter,
                        at,
                        "a full object has no instance id to send without full_objects",
                    ));
                }
                if full.class_name.is_empty() {
                    if full.properties.is_empty() {
                        self.header(VariantType::Nil, 0);
                        return Ok(None);
                    }
                    return Err(err(
                        Error::InvalidParameter,
                        at,
                        "full object with properties but no class name",
                    ));
                }
                for (name, value) in &full.properties {
                    if name == "script" {
                        match value {
                            Variant::Nil => {}
                            Variant::String(p) if !p.is_empty() && p.starts_with("res://") => {}
                            Variant::String(_) => {
                                return Err(err(
                                    Error::Unavailable,
                                    at,
                                    "object script path does not start with res://",
                                ))
                            }
                            _ => {
                                return Err(err(
                                    Error::InvalidParameter,
                                    at,
                                    "object script property must be NIL or a res:// String",
                                ))
                            }
                        }
                    }
                }
                self.header(VariantType::Object, 0);
                self.string(&full.class_name)?;
                let n = wire_len(full.properties.len(), self.sink.pos())?;
                self.sink.u32(n);
                if n > 0 {
                    return Ok(Some(Frame::Object(full.properties.iter())));
                }
            }
        }
        Ok(None)
    }

    /// Writes the children of the just-opened `f` while they are leaves (no frame of their
    /// own), in a plain loop; stops before the first that is a container (the walk takes it
    /// from there, `f` positioned on it) and returns whether `f` is complete.
    #[inline]
    fn leaves(&mut self, f: &mut Frame<'a>) -> Result<bool, VariantError> {
        match f {
            Frame::Array(it) => {
                while let Some(v) = it.as_slice().first() {
                    if !is_leaf(v) {
                        return Ok(false);
                    }
                    it.next();
                    self.value(v)?;
                }
                Ok(true)
            }
            Frame::Dict { dict, next, value } => {
                while let Some((k, v)) = dict.get_index(*next) {
                    if !is_leaf(k) {
                        return Ok(false);
                    }
                    self.value(k)?;
                    *next += 1;
                    if !is_leaf(v) {
                        *value = Some(v);
                        return Ok(false);
                    }
                    self.value(v)?;
                }
                Ok(true)
            }
            Frame::Object(_) => Ok(false),
        }
    }

    /// The next child of an open container (writing a property name first), or None when done.
    #[inline]
    fn next_child(&mut self, f: &mut Frame<'a>) -> Result<Option<&'a Variant>, VariantError> {
        match f {
            Frame::Array(it) => Ok(it.next()),
            Frame::Dict { dict, next, value } => {
                if let Some(v) = value.take() {
                    return Ok(Some(v));
                }
                match dict.get_index(*next) {
                    Some((k, v)) => {
                        *next += 1;
                        *value = Some(v);
                        Ok(Some(k))
                    }
                    None => Ok(None),
                }
            }
            Frame::Object(it) => match it.next() {
                Some((name, value)) => {
                    self.string(name)?;
                    Ok(Some(value))
                }
                None => Ok(None),
            },
        }
    }
}
