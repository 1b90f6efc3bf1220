//! ENet's adaptive range coder (`enet_host_compress_with_range_coder`), bit-exact with the C library.
//!
//! The model is an order-2 context mixer: every byte is coded in the contexts of the previous one or
//! two bytes (escaping to a shorter context when a symbol is new there) and finally in an order-0 root
//! context. Contexts are binary trees of symbols kept in a fixed arena of 4096 nodes that is reset when
//! it runs full, so memory is constant and independent of the input. All arithmetic is 32-bit (coder)
//! and 16-bit/8-bit (model) wrapping, exactly as the reference does it.
#![forbid(unsafe_code)]

const TOP: u32 = 1 << 24;
const BOTTOM: u32 = 1 << 16;
const CONTEXT_SYMBOL_DELTA: u16 = 3;
const CONTEXT_SYMBOL_MINIMUM: u16 = 1;
const CONTEXT_ESCAPE_MINIMUM: u16 = 1;
const SUBCONTEXT_ORDER: usize = 2;
const SUBCONTEXT_SYMBOL_DELTA: u16 = 2;
const SUBCONTEXT_ESCAPE_DELTA: u16 = 5;
const SYMBOL_COUNT: usize = 4096;

#[derive(Clone, Copy, Default)]
struct Symbol {
    value: u8,
    count: u8,
    under: u16,
    /// Children as forward offsets in the arena (0 = none).
    left: u16,
    right: u16,
    /// As a context: offset of the tree root (0 = empty), escape weight, total weight.
    symbols: u16,
    escapes: u16,
    total: u16,
    /// Index of the shorter context this symbol's context falls back to.
    parent: u16,
}

/// Model state shared by the encoder and decoder.
struct Model {
    s: Vec<Symbol>,
    next: usize,
    root: usize,
    predicted: u16,
    order: usize,
}

impl Model {
    fn new() -> Model {
        let mut m = Model {
            s: vec![Symbol::default(); SYMBOL_COUNT],
            next: 0,
            root: 0,
            predicted: 0,
            order: 0,
        };
        m.root = m.create_context(CONTEXT_ESCAPE_MINIMUM, CONTEXT_SYMBOL_MINIMUM);
        m
    }

    fn create_symbol(&mut self, value: u8, count: u16) -> usize {
        let i = self.next;
        self.next += 1;
        self.s[i] = Symbol {
            value,
            count: count as u8,
            under: count,
            ..Symbol::default()
        };
        i
    }

    fn create_context(&mut self, escapes: u16, minimum: u16) -> usize {
        let i = self.create_symbol(0, 0);
        self.s[i].escapes = escapes;
        self.s[i].total = escapes.wrapping_add(256u16.wrapping_mul(minimum));
        self.s[i].symbols = 0;
        i
    }

    /// Halves the counts of a subtree; returns its new total.
    fn rescale_tree(&mut self, mut i: usize) -> u16 {
        let mut total: u16 = 0;
        loop {
            let sym = &mut self.s[i];
            sym.count -= sym.count >> 1;
            sym.under = sym.count as u16;
            let left = sym.left;
            if left != 0 {
                let sub = self.rescale_tree(i + left as usize);
                self.s[i].under = self.s[i].under.wrapping_add(sub);
            }
            total = total.wrapping_add(self.s[i].under);
            let right = self.s[i].right;
            if right == 0 {
                break;
            }
            i += right as usize;
        }
        total
    }

    fn rescale_context(&mut self, ctx: usize, minimum: u16) {
        let symbols = self.s[ctx].symbols;
        let mut total = if symbols != 0 {
            self.rescale_tree(ctx + symbols as usize)
        } else {
            0
        };
        let c = &mut self.s[ctx];
        c.escapes -= c.escapes >> 1;
        total = total
            .wrapping_add(c.escapes)
            .wrapping_add(256u16.wrapping_mul(minimum));
        c.total = total;
    }

    /// Looks `value` up in context `ctx`, adding it if new. Returns (symbol, under, count); count is
    /// `minimum` for a symbol that was not there yet.
    fn context_encode(
        &mut self,
        ctx: usize,
        value: u8,
        update: u16,
        minimum: u16,
    ) -> (usize, u16, u16) {
        let mut under = (value as u16).wrapping_mul(minimum);
        let mut count = minimum;
        if self.s[ctx].symbols == 0 {
            let sym = self.create_symbol(value, update);
            self.s[ctx].symbols = (sym - ctx) as u16;
            return (sym, under, count);
        }
        let mut node = ctx + self.s[ctx].symbols as usize;
        loop {
            let nv = self.s[node].value;
            if value < nv {
                self.s[node].under = self.s[node].under.wrapping_add(update);
                let left = self.s[node].left;
                if left != 0 {
                    node += left as usize;
                    continue;
                }
                let sym = self.create_symbol(value, update);
                self.s[node].left = (sym - node) as u16;
                return (sym, under, count);
            } else if value > nv {
                under = under.wrapping_add(self.s[node].under);
                let right = self.s[node].right;
                if right != 0 {
                    node += right as usize;
                    continue;
                }
                let sym = self.create_symbol(value, update);
                self.s[node].right = (sym - node) as u16;
                return (sym, under, count);
            } else {
                let n = &mut self.s[node];
                count = count.wrapping_add(n.count as u16);
                under = under.wrapping_add(n.under.wrapping_sub(n.count as u16));
                n.under = n.under.wrapping_add(update);
                n.count = n.count.wrapping_add(update as u8);
                return (node, under, count);
            }
        }
    }

    /// Moves the prediction on after a byte and recycles the arena when it is nearly full.
    fn advance(&mut self) {
        if self.order >= SUBCONTEXT_ORDER {
            self.predicted = self.s[self.predicted as usize].parent;
        } else {
            self.order += 1;
        }
        if self.next >= SYMBOL_COUNT - SUBCONTEXT_ORDER {
            self.next = 0;
            self.root = self.create_context(CONTEXT_ESCAPE_MINIMUM, CONTEXT_SYMBOL_MINIMUM);
            self.predicted = 0;
            self.order = 0;
        }
    }
}

struct Encoder<'a> {
    low: u32,
    range: u32,
    out: &'a mut Vec<u8>,
    limit: usize,
}

impl Encoder<'_> {
    fn encode(&mut self, under: u16, count: u16, total: u16) -> Option<()> {
        self.range /= total as u32;
        self.low = self
            .low
            .wrapping_add((under as u32).wrapping_mul(self.range));
        self.range = self.range.wrapping_mul(count as u32);
        loop {
            if (self.low ^ self.low.wrapping_add(self.range)) >= TOP {
                if self.range >= BOTTOM {
                    break;
                }
                self.range = self.low.wrapping_neg() & (BOTTOM - 1);
            }
            self.put((self.low >> 24) as u8)?;
            self.range <<= 8;
            self.low <<= 8;
        }
        Some(())
    }
    fn put(&mut self, b: u8) -> Option<()> {
        if self.out.len() >= self.limit {
            return None;
        }
        self.out.push(b);
        Some(())
    }
}

/// Compresses `input` into `out` (cleared first). `None` when the result would exceed `limit` bytes
/// (ENet then sends the datagram uncompressed) or the input is empty.
pub fn compress(input: &[u8], out: &mut Vec<u8>, limit: usize) -> Option<usize> {
    out.clear();
    if input.is_empty() {
        return None;
    }
    let mut m = Model::new();
    let mut e = Encoder {
        low: 0,
        range: !0,
        out,
        limit,
    };
    for &value in input {
        // `parent` is the slot that receives the next symbol index: first `predicted`, then the
        // `parent` field of the symbol just coded.
        let mut parent_slot: Option<usize> = None;
        let set_parent = |m: &mut Model, slot: &mut Option<usize>, sym: usize| {
            match *slot {
                None => m.predicted = sym as u16,
                Some(p) => m.s[p].parent = sym as u16,
            }
            *slot = Some(sym);
        };
        let mut sub = m.predicted as usize;
        let mut done = false;
        while sub != m.root {
            let (sym, under, count) = m.context_encode(sub, value, SUBCONTEXT_SYMBOL_DELTA, 0);
            set_parent(&mut m, &mut parent_slot, sym);
            let total = m.s[sub].total;
            if count > 0 {
                e.encode(m.s[sub].escapes.wrapping_add(under), count, total)?;
            } else {
                let esc = m.s[sub].escapes;
                if esc > 0 && esc < total {
                    e.encode(0, esc, total)?;
                }
                let c = &mut m.s[sub];
                c.escapes = c.escapes.wrapping_add(SUBCONTEXT_ESCAPE_DELTA);
                c.total = c.total.wrapping_add(SUBCONTEXT_ESCAPE_DELTA);
            }
            m.s[sub].total = m.s[sub].total.wrapping_add(SUBCONTEXT_SYMBOL_DELTA);
            if count > 0xFF - 2 * SUBCONTEXT_SYMBOL_DELTA || m.s[sub].total as u32 > BOTTOM - 0x100
            {
                m.rescale_context(sub, 0);
            }
            if count > 0 {
                done = true;
                break;
            }
            sub = m.s[sub].parent as usize;
        }
        if !done {
            let root = m.root;
            let (sym, under, count) =
                m.context_encode(root, value, CONTEXT_SYMBOL_DELTA, CONTEXT_SYMBOL_MINIMUM);
            set_parent(&mut m, &mut parent_slot, sym);
            let total = m.s[root].total;
            e.encode(m.s[root].escapes.wrapping_add(under), count, total)?;
            m.s[root].total = m.s[root].total.wrapping_add(CONTEXT_SYMBOL_DELTA);
            if count > 0xFF - 2 * CONTEXT_SYMBOL_DELTA + CONTEXT_SYMBOL_MINIMUM
                || m.s[root].total as u32 > BOTTOM - 0x100
            {
                m.rescale_context(root, CONTEXT_SYMBOL_MINIMUM);
            }
        }
        m.advance();
    }
    while e.low != 0 {
        e.put((e.low >> 24) as u8)?;
        e.low <<= 8;
    }
    Some(e.out.len())
}

struct Decoder<'a> {
    low: u32,
    code: u32,
    range: u32,
    input: &'a [u8],
    at: usize,
}

impl Decoder<'_> {
    fn next_byte(&mut self) -> Option<u8> {
        let b = self.input.get(self.at).copied();
        if b.is_some() {
            self.at += 1;
        }
        b
    }
    fn read(&mut self, total: u16) -> u16 {
        self.range /= total as u32;
        (self.code.wrapping_sub(self.low) / self.range.max(1)) as u16
    }
    fn decode(&mut self, under: u16, count: u16) {
        self.low = self
            .low
            .wrapping_add((under as u32).wrapping_mul(self.range));
        self.range = self.range.wrapping_mul(count as u32);
        loop {
            if (self.low ^ self.low.wrapping_add(self.range)) >= TOP {
                if self.range >= BOTTOM {
                    break;
                }
                self.range = self.low.wrapping_neg() & (BOTTOM - 1);
            }
            self.code <<= 8;
            if let Some(b) = self.next_byte() {
                self.code |= b as u32;
            }
            self.range <<= 8;
            self.low <<= 8;
        }
    }
}

/// How a context lookup during decoding ended.
enum Found {
    Symbol {
        sym: usize,
        value: u8,
        under: u16,
        count: u16,
    },
    /// Not decodable in this context (corrupt input for a subcontext).
    Missing,
}

impl Model {
    /// Decodes `code` in a subcontext (minimum 0): the symbol must exist.
    fn try_decode(&mut self, ctx: usize, code: u16, update: u16) -> Found {
        let mut under: u16 = 0;
        if self.s[ctx].symbols == 0 {
            return Found::Missing;
        }
        let mut node = ctx + self.s[ctx].symbols as usize;
        loop {
            let n = self.s[node];
            let after = under.wrapping_add(n.under);
            let before = n.count as u16;
            if code >= after {
                under = under.wrapping_add(n.under);
                if n.right != 0 {
                    node += n.right as usize;
                    continue;
                }
                return Found::Missing;
            } else if code < after.wrapping_sub(before) {
                self.s[node].under = n.under.wrapping_add(update);
                if n.left != 0 {
                    node += n.left as usize;
                    continue;
                }
                return Found::Missing;
            } else {
                let nn = &mut self.s[node];
                nn.under = nn.under.wrapping_add(update);
                nn.count = nn.count.wrapping_add(update as u8);
                return Found::Symbol {
                    sym: node,
                    value: n.value,
                    under: after.wrapping_sub(before),
                    count: n.count as u16,
                };
            }
        }
    }

    /// Decodes `code` in the root context (minimum 1), creating the symbol when it is new.
    fn root_decode(&mut self, ctx: usize, code: u16, update: u16) -> Option<(usize, u8, u16, u16)> {
        let minimum = CONTEXT_SYMBOL_MINIMUM;
        let mut under: u16 = 0;
        if self.s[ctx].symbols == 0 {
            let value = code / minimum;
            let under = code - code % minimum;
            let sym = self.create_symbol(value as u8, update);
            self.s[ctx].symbols = (sym - ctx) as u16;
            return Some((sym, value as u8, under, minimum));
        }
        let mut node = ctx + self.s[ctx].symbols as usize;
        loop {
            let n = self.s[node];
            let after = under
                .wrapping_add(n.under)
                .wrapping_add((n.value as u16 + 1).wrapping_mul(minimum));
            let before = (n.count as u16).wrapping_add(minimum);
            if code >= after {
                under = under.wrapping_add(n.under);
                if n.right != 0 {
                    node += n.right as usize;
                    continue;
                }
                let value = (n.value as u16)
                    .wrapping_add(1)
                    .wrapping_add(code.wrapping_sub(after) / minimum);
                let under = code.wrapping_sub(code.wrapping_sub(after) % minimum);
                if value > 0xFF {
                    return None;
                }
                let sym = self.create_symbol(value as u8, update);
                self.s[node].right = (sym - node) as u16;
                return Some((sym, value as u8, under, minimum));
            } else if code < after.wrapping_sub(before) {
                self.s[node].under = n.under.wrapping_add(update);
                if n.left != 0 {
                    node += n.left as usize;
                    continue;
                }
                let d = after
                    .wrapping_sub(before)
                    .wrapping_sub(code)
                    .wrapping_sub(1);
                let value = (n.value as u16).wrapping_sub(1).wrapping_sub(d / minimum);
                let under = code.wrapping_sub(d % minimum);
                if value > 0xFF {
                    return None;
                }
                let sym = self.create_symbol(value as u8, update);
                self.s[node].left = (sym - node) as u16;
                return Some((sym, value as u8, under, minimum));
            } else {
                let nn = &mut self.s[node];
                nn.under = nn.under.wrapping_add(update);
                nn.count = nn.count.wrapping_add(update as u8);
                return Some((
                    node,
                    n.value,
                    after.wrapping_sub(before),
                    minimum + n.count as u16,
                ));
            }
        }
    }
}

/// Decompresses `input` into `out` (cleared first), producing at most `limit` bytes. `None` on corrupt
/// input or when the output would exceed `limit`.
pub fn decompress(input: &[u8], out: &mut Vec<u8>, limit: usize) -> Option<usize> {
    out.clear();
    if input.is_empty() {
        return None;
    }
    let mut m = Model::new();
    let mut d = Decoder {
        low: 0,
        code: 0,
        range: !0,
        input,
        at: 0,
    };
    for shift in [24, 16, 8, 0] {
        if let Some(b) = d.next_byte() {
            d.code |= (b as u32) << shift;
        }
    }
    loop {
        let mut parent_slot: Option<usize> = None;
        let mut sub = m.predicted as usize;
        let mut decoded: Option<(usize, u8)> = None;
        while sub != m.root {
            let esc = m.s[sub].escapes;
            let total = m.s[sub].total;
            if esc == 0 || esc >= total {
                sub = m.s[sub].parent as usize;
                continue;
            }
            let code = d.read(total);
            if code < esc {
                d.decode(0, esc);
                sub = m.s[sub].parent as usize;
                continue;
            }
            let code = code - esc;
            let Found::Symbol {
                sym,
                value,
                under,
                count,
            } = m.try_decode(sub, code, SUBCONTEXT_SYMBOL_DELTA)
            else {
                return None;
            };
            d.decode(esc.wrapping_add(under), count);
            m.s[sub].total = m.s[sub].total.wrapping_add(SUBCONTEXT_SYMBOL_DELTA);
            if count > 0xFF - 2 * SUBCONTEXT_SYMBOL_DELTA || m.s[sub].total as u32 > BOTTOM - 0x100
            {
                m.rescale_context(sub, 0);
            }
            decoded = Some((sym, value));
            break;
        }
        let (bottom, value) = match decoded {
            Some(x) => x,
            None => {
                let root = m.root;
                let total = m.s[root].total;
                let code = d.read(total);
                let esc = m.s[root].escapes;
                if code < esc {
                    d.decode(0, esc);
                    break;
                }
                let code = code - esc;
                if m.next >= SYMBOL_COUNT {
                    return None;
                }
                let (sym, value, under, count) = m.root_decode(root, code, CONTEXT_SYMBOL_DELTA)?;
                d.decode(esc.wrapping_add(under), count);
                m.s[root].total = m.s[root].total.wrapping_add(CONTEXT_SYMBOL_DELTA);
                if count > 0xFF - 2 * CONTEXT_SYMBOL_DELTA + CONTEXT_SYMBOL_MINIMUM
                    || m.s[root].total as u32 > BOTTOM - 0x100
                {
                    m.rescale_context(root, CONTEXT_SYMBOL_MINIMUM);
                }
                sub = root;
                (sym, value)
            }
        };
        // Teach the value to the contexts that escaped (those between the prediction and `sub`).
        let mut patch = m.predicted as usize;
        while patch != sub {
            let (sym, _under, count) = m.context_encode(patch, value, SUBCONTEXT_SYMBOL_DELTA, 0);
            match parent_slot {
                None => m.predicted = sym as u16,
                Some(p) => m.s[p].parent = sym as u16,
            }
            parent_slot = Some(sym);
            if count == 0 {
                let c = &mut m.s[patch];
                c.escapes = c.escapes.wrapping_add(SUBCONTEXT_ESCAPE_DELTA);
                c.total = c.total.wrapping_add(SUBCONTEXT_ESCAPE_DELTA);
            }
            m.s[patch].total = m.s[patch].total.wrapping_add(SUBCONTEXT_SYMBOL_DELTA);
            if count > 0xFF - 2 * SUBCONTEXT_SYMBOL_DELTA
                || m.s[patch].total as u32 > BOTTOM - 0x100
            {
                m.rescale_context(patch, 0);
            }
            patch = m.s[patch].parent as usize;
        }
        match parent_slot {
            None => m.predicted = bottom as u16,
            Some(p) => m.s[p].parent = bottom as u16,
        }
        if out.len() >= limit {
            return None;
        }
        out.push(value);
        m.advance();
    }
    Some(out.len())
}

/// [`super::host::Compressor`] using the range coder.
#[derive(Debug, Default)]
pub struct RangeCoder;

impl super::host::Compressor for RangeCoder {
    fn compress(&mut self, input: &[u8], out: &mut Vec<u8>) -> bool {
        compress(input, out, input.len()).is_some()
    }
    fn decompress(&mut self, input: &[u8], out: &mut Vec<u8>, limit: usize) -> bool {
        decompress(input, out, limit).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(data: &[u8]) {
        let mut c = Vec::new();
        let n = compress(data, &mut c, usize::MAX).unwrap();
        assert_eq!(n, c.len());
        let mut d = Vec::new();
        decompress(&c, &mut d, data.len() + 16).unwrap();
        assert_eq!(d, data);
    }

    #[test]
    fn round_trips() {
        round_trip(b"a");
        round_trip(b"hello hello hello hello, range coder");
        round_trip(&[0u8; 5000]);
        let noisy: Vec<u8> = (0..20000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        round_trip(&noisy);
        let text: Vec<u8> = b"ENet packets repeat themselves a lot. "
            .iter()
            .cycle()
            .take(30000)
            .copied()
            .collect();
        round_trip(&text);
    }

    #[test]
    fn respects_limits() {
        let noisy: Vec<u8> = (0..2000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        let mut c = Vec::new();
        assert!(compress(&noisy, &mut c, 100).is_none());
        let text = vec![b'x'; 3000];
        compress(&text, &mut c, usize::MAX).unwrap();
        let mut d = Vec::new();
        assert!(decompress(&c, &mut d, 100).is_none());
    }

    proptest::proptest! {
        #[test]
        fn garbage_never_panics(data in proptest::collection::vec(proptest::num::u8::ANY, 0..600)) {
            let mut d = Vec::new();
            let _ = decompress(&data, &mut d, 4096);
            proptest::prop_assert!(d.len() <= 4096);
        }

        #[test]
        fn any_input_round_trips(data in proptest::collection::vec(proptest::num::u8::ANY, 1..1500)) {
            round_trip(&data);
        }
    }
}
