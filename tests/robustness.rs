//! Randomized robustness: valid encodings are mutated (bit flips, byte and word overwrites with
//! huge/negative/boundary values, truncations, splices, insertions, deletions) and decoded with
//! every option combination for about three seconds. The decoder must never panic, and peak heap
//! growth during one decode must stay within `K * input_len + C` (measured by the counting global
//! allocator of this test binary). Inputs that decode are re-encoded and decoded again.
//!
//! This binary holds one test only, so no other test's allocations are counted.

mod common;

use packetpeer::variant::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

struct Counting;
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(l.size(), Relaxed) + l.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc_zeroed(l) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(l.size(), Relaxed) + l.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(p, l) };
        CURRENT.fetch_sub(l.size(), Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            // Both blocks may be live while the data moves.
            PEAK.fetch_max(CURRENT.load(Relaxed) + new, Relaxed);
            CURRENT.fetch_add(new, Relaxed);
            CURRENT.fetch_sub(l.size(), Relaxed);
        }
        q
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Bytes of heap a decode may grow by per input byte, and a constant. Each value on the wire
/// takes at least 4 bytes and becomes one `Variant` in memory (plus `Vec` growth, the open
/// container stack, boxes and the dictionary index), so the factor is a small multiple of
/// `size_of::<Variant>() / 4`.
fn bound(input_len: usize) -> usize {
    let k = 2 * std::mem::size_of::<Variant>();
    k * input_len + 64 * 1024
}

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn corpus() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for text in [
        include_str!("vectors/godot4-engine-tests.tsv"),
        include_str!("vectors/godot4-spec-derived.tsv"),
    ] {
        for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let hex = line.split('\t').nth(1).unwrap_or("");
            if hex.len() < 20_000 {
                out.push(common::hex(hex));
            }
        }
    }
    let s = |x: &str| Variant::String(x.into());
    let mut d: Dictionary = (0..12)
        .map(|i| (Variant::Int(i), s(&format!("v{i}"))))
        .collect();
    d.key_type = ContainerType::Builtin(VariantType::Int);
    let big = Variant::Array(Box::new(Array {
        element_type: ContainerType::Any,
        elements: vec![
            Variant::Dictionary(Box::new(d)),
            Variant::PackedStringArray(vec!["a".into(), "bcd".into(), String::new()]),
            Variant::PackedVector3Array(vec![Vector3::default(); 3]),
            Variant::PackedByteArray(vec![1, 2, 3, 4, 5]),
            Variant::NodePath(Box::new(common::node_path("/root/a/b:c:d"))),
            Variant::Object(Object::Full(Box::new(FullObject {
                class_name: "Node".into(),
                properties: vec![
                    ("script".into(), s("res://a.gd")),
                    ("name".into(), Variant::StringName("n".into())),
                ],
            }))),
            Variant::Signal(Signal {
                name: "sig".into(),
                object_id: 9,
            }),
            Variant::Float(0.1),
            Variant::Int(1 << 40),
        ],
    }));
    let full = EncodeOptions {
        full_objects: true,
        ..EncodeOptions::default()
    };
    out.push(encode(&big, &full).unwrap());
    out.push(
        encode(
            &big,
            &EncodeOptions {
                real_is_double: true,
                dialect: Dialect::RedotStruct,
                ..full
            },
        )
        .unwrap(),
    );
    out.retain(|b| !b.is_empty());
    out
}

const WORDS: [u32; 10] = [
    0xFFFF_FFFF,
    0x7FFF_FFFF,
    0x8000_0000,
    0x3FFF_FFFF,
    0x0FFF_FFFF,
    0x0001_0000,
    0x8000_0001,
    0,
    1,
    0x7FFF_FFFC,
];

fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..1 + rng.below(3) {
        match rng.below(8) {
            0 if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
            1 if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] = rng.next() as u8;
            }
            2 if b.len() >= 4 => {
                let i = rng.below(b.len() / 4) * 4;
                let w = if rng.below(4) == 0 {
                    rng.next() as u32
                } else {
                    WORDS[rng.below(WORDS.len())]
                };
                b[i..i + 4].copy_from_slice(&w.to_le_bytes());
            }
            3 => b.truncate(rng.below(b.len() + 1)),
            4 if !other.is_empty() => {
                // Splice a piece of another input in place of a piece of this one.
                let at = rng.below(b.len() + 1);
                let from = rng.below(other.len());
                let n = rng.below(other.len() - from + 1);
                let cut = rng.below(b.len() - at + 1);
                b.splice(at..at + cut, other[from..from + n].iter().copied());
            }
            5 if !b.is_empty() => {
                let at = rng.below(b.len());
                let n = rng.below(b.len() - at + 1).min(64);
                let piece: Vec<u8> = b[at..at + n].to_vec();
                let to = rng.below(b.len() + 1);
                b.splice(to..to, piece);
            }
            6 if !b.is_empty() => {
                let at = rng.below(b.len());
                let n = rng.below(b.len() - at + 1).min(16);
                b.drain(at..at + n);
            }
            _ => b.extend_from_slice(&(rng.next() as u32).to_le_bytes()),
        }
    }
    b
}

/// Decodes `data` under every option combination; checks the allocation bound and, for values that
/// decode, that re-encoding works and reads back the same.
fn exercise(data: &[u8], stats: &mut Stats) {
    for allow_objects in [false, true] {
        for dialect in [Dialect::Godot4, Dialect::RedotStruct, Dialect::Godot3] {
            let opts = DecodeOptions {
                allow_objects,
                dialect,
                ..DecodeOptions::default()
            };
            let base = CURRENT.load(Relaxed);
            PEAK.store(base, Relaxed);
            let r = decode(data, &opts);
            let grew = PEAK.load(Relaxed).saturating_sub(base);
            if data.len() >= 1024 {
                let r = grew as f64 / data.len() as f64;
                if r > stats.worst_ratio {
                    stats.worst_ratio = r;
                    stats.worst_input = common::to_hex(&data[..data.len().min(64)]);
                }
            }
            assert!(
                grew <= bound(data.len()),
                "decode of {} bytes grew the heap by {grew} (bound {}): {}",
                data.len(),
                bound(data.len()),
                common::to_hex(&data[..data.len().min(256)])
            );
            match r {
                Ok((v, used)) => {
                    stats.ok += 1;
                    assert!(used <= data.len());
                    let e = EncodeOptions {
                        full_objects: true,
                        real_is_double: true,
                        dialect,
                        // What the Godot 3 decoder builds exists in Godot 3: nothing to convert.
                        godot3_lossy: false,
                    };
                    let again = encode(&v, &e).expect("a decoded value re-encodes");
                    // Rounds converge: each gives the same bytes or strictly fewer (keys that
                    // only differed before encoding, such as a null Object and NIL, merge; a
                    // string beginning with several BOMs loses one per decode).
                    let dopts = DecodeOptions {
                        allow_objects: true,
                        ..opts
                    };
                    let mut prev = again;
                    loop {
                        let (w, used) = decode(&prev, &dopts).expect("a re-encoded value decodes");
                        assert_eq!(used, prev.len());
                        let next = encode(&w, &e).expect("a re-decoded value re-encodes");
                        if next == prev {
                            break;
                        }
                        assert!(
                            next.len() < prev.len(),
                            "encoding does not converge for input {}",
                            common::to_hex(&data[..data.len().min(256)])
                        );
                        prev = next;
                    }
                }
                Err(e) => {
                    stats.err += 1;
                    assert!(e.offset <= data.len(), "offset {} past input", e.offset);
                }
            }
        }
    }
}

#[derive(Default)]
struct Stats {
    ok: usize,
    err: usize,
    worst_ratio: f64,
    worst_input: String,
}

/// Inputs built to make a naive decoder allocate by the header counts.
fn hostile() -> Vec<Vec<u8>> {
    let h = common::hex;
    let mut out = vec![
        h("1c000000ffffff7f"),
        h("1b000000ffffff7f00000000"),
        h("22000000ffffff7f01000000"),
        h("16000000ffffffffffffffff02000000"),
        h("18000000010000004100000fffffff7f"),
        h("1d000000ffffff7f"),
        h("1c000100ffffffffffffffff"),
    ];
    // Nested containers each claiming 2^31-1 elements: the reservations must not multiply.
    for unit in [
        h("1c000000ffffff7f"),
        h("1b000000ffffff7f"),
        h("1b000000ffffff7f00000000"),
        h("180000000100000041000000ffffff7f0100000070000000"),
    ] {
        let mut b = Vec::new();
        for _ in 0..1000 {
            b.extend_from_slice(&unit);
        }
        b.extend_from_slice(&[0; 4096]);
        out.push(b);
    }
    // Many small values.
    let mut b = h("1c000000ffffff7f");
    b.extend_from_slice(&[0; 40_000]);
    out.push(b);
    let mut b = h("1c000000ffffff7f");
    for _ in 0..5000 {
        b.extend_from_slice(&h("1c00000000000000"));
    }
    out.push(b);
    out
}

#[test]
fn mutated_inputs_never_panic_and_allocate_in_proportion() {
    // Decoding, comparing and dropping (up to 1024-deep) values need no big stack.
    std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(body)
        .unwrap()
        .join()
        .unwrap();
}

fn body() {
    let budget = Duration::from_millis(
        std::env::var("ROBUSTNESS_MS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(3000),
    );
    let mut stats = Stats::default();
    for b in hostile() {
        exercise(&b, &mut stats);
    }
    let corpus = corpus();
    for b in &corpus {
        exercise(b, &mut stats);
    }
    let start = Instant::now();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut n = 0usize;
    while start.elapsed() < budget {
        for _ in 0..64 {
            let a = &corpus[rng.below(corpus.len())];
            let o = &corpus[rng.below(corpus.len())];
            let m = mutate(&mut rng, a, o);
            exercise(&m, &mut stats);
            n += 1;
        }
    }
    println!(
        "{n} mutated inputs, {} decodes ok, {} rejected; worst heap growth {:.1} bytes per input byte on inputs >= 1 KiB (bound {} per byte + 64 KiB)",
        stats.ok,
        stats.err,
        stats.worst_ratio,
        2 * std::mem::size_of::<Variant>()
    );
    println!("worst input starts {}", stats.worst_input);
    assert!(n > 1000, "too few iterations: {n}");
    assert!(stats.ok > 100 && stats.err > 100);
}
