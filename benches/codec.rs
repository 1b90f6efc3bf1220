//! Codec throughput: `cargo bench --bench codec [-- REPS [PAYLOADS [DIALECT]]]` (PAYLOADS: letters
//! of a-d; DIALECT: `godot4`, the default, or `godot3`, the Godot 3 dialect of `bench/codec_vs_godot3.sh`,
//! whose encodings are byte for byte the engine's: each payload's size and SHA-256 are printed as
//! `# sha256 <name> <size> <hex>`, like the Godot script's, so the script can check).
//!
//! Payloads (the same as `bench/godot3_codec.gd`, so the figures compare with Godot 3.2.3's engine
//! codec run by `bench/codec_vs_godot3.sh`):
//!  (a) PackedVector3Array of 1,000,000 elements
//!  (b) PackedByteArray of 16 MiB
//!  (c) Array of 100,000 Dictionaries {"id": int, "pos": Vector2, "name": "player_NNN", "hp": float}
//!  (d) one such Dictionary encoded 100,000 times into a reused buffer, and decoded 100,000 times
//!
//! For each: encode and decode MB/s (encoded bytes), values/s, ns/op and heap allocations per op
//! (a counting global allocator), next to memcpy of the same bytes into a reused buffer and
//! `to_vec` (allocate + copy, what a decoder that must return owned data cannot beat).
//! Bulk decode figures (a-c) time the decode alone: the result is dropped after the clock stops,
//! as the Godot script's window closes before its previous result is freed
//! (`bench/godot3_free_cost.gd`); `*_decode_and_drop_rate` and `*_drop_ns_per_op` give the rest.
//! (d) decodes in a loop and drops each result inside the timed loop, as the Godot loop does.
//! Figures are medians of REPS runs (default 9) after one warm-up; lines read `name: median
//! (min..max) unit`, like the Godot script's.

use packetpeer::variant::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::time::Instant;

struct Counting;
static ALLOCS: AtomicU64 = AtomicU64::new(0);
/// Counting is switched on only for a separate, untimed run, so timed runs pay one relaxed load
/// per allocation, not an atomic add.
static COUNTING: AtomicBool = AtomicBool::new(false);

#[inline]
fn count() {
    if COUNTING.load(Relaxed) {
        ALLOCS.fetch_add(1, Relaxed);
    }
}

// SAFETY: forwards to the system allocator unchanged; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(l) }
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// One timed figure: seconds per run for each rep, plus allocations per op.
struct Runs {
    secs: Vec<f64>,
    allocs_per_op: f64,
}

/// Runs `f` (which performs `ops` operations) once to warm up, `reps` times timed, then once
/// more counting heap allocations.
fn measure(reps: usize, ops: u64, mut f: impl FnMut()) -> Runs {
    f();
    let mut secs = Vec::with_capacity(reps);
    for _ in 0..reps {
        let t = Instant::now();
        f();
        secs.push(t.elapsed().as_secs_f64());
    }
    let a0 = ALLOCS.load(Relaxed);
    COUNTING.store(true, Relaxed);
    f();
    COUNTING.store(false, Relaxed);
    let allocs = ALLOCS.load(Relaxed) - a0;
    Runs {
        secs,
        allocs_per_op: allocs as f64 / ops as f64,
    }
}

fn fmt(x: f64) -> String {
    let a = x.abs();
    if a >= 1000.0 {
        format!("{x:.0}")
    } else if a >= 100.0 {
        format!("{x:.1}")
    } else if a >= 10.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// Like [`measure`] for an `f` that returns what it built: the clock stops before the result is
/// dropped, as in Godot's benchmark script, whose timed window ends before the previous result is
/// freed (`bench/godot3_free_cost.gd` shows it). Also returns the drop times.
fn measure_built<T>(reps: usize, ops: u64, mut f: impl FnMut() -> T) -> (Runs, Runs) {
    drop(f());
    let mut secs = Vec::with_capacity(reps);
    let mut drops = Vec::with_capacity(reps);
    for _ in 0..reps {
        let t = Instant::now();
        let v = f();
        let built = t.elapsed();
        drop(v);
        secs.push(built.as_secs_f64());
        drops.push((t.elapsed() - built).as_secs_f64());
    }
    let a0 = ALLOCS.load(Relaxed);
    COUNTING.store(true, Relaxed);
    drop(f());
    COUNTING.store(false, Relaxed);
    let allocs = (ALLOCS.load(Relaxed) - a0) as f64 / ops as f64;
    (
        Runs {
            secs,
            allocs_per_op: allocs,
        },
        Runs {
            secs: drops,
            allocs_per_op: 0.0,
        },
    )
}

/// Prints `name: median (min..max) unit` of `per(secs)` over the runs; returns the median.
fn report(name: &str, r: &Runs, unit: &str, per: impl Fn(f64) -> f64) -> f64 {
    let mut v: Vec<f64> = r.secs.iter().map(|s| per(*s)).collect();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let med = if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    };
    println!(
        "{name}: {} ({}..{}) {unit}",
        fmt(med),
        fmt(v[0]),
        fmt(v[n - 1])
    );
    med
}

/// `# sha256 <name> <size> <hex>`: the fingerprint the Godot script prints for the same payload.
fn fingerprint(name: &str, bytes: &[u8]) {
    let hex: String = openssl::sha::sha256(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    println!("# sha256 {name} {} {hex}", bytes.len());
}

/// The standard set of lines for one payload measured as a whole.
fn bulk(
    prefix: &str,
    value: &Variant,
    count: f64,
    count_unit: &str,
    reps: usize,
    dialect: Dialect,
) {
    let opts = EncodeOptions {
        dialect,
        ..Default::default()
    };
    let bytes = encode(value, &opts).unwrap();
    let size = bytes.len() as f64;
    println!("# {prefix}: {} encoded bytes", bytes.len());
    fingerprint(prefix, &bytes);

    let enc = measure(reps, 1, || {
        black_box(encode(black_box(value), &opts).unwrap());
    });
    let mut buf = Vec::with_capacity(bytes.len());
    let enc_into = measure(reps, 1, || {
        buf.clear();
        encode_into(black_box(value), &opts, &mut buf).unwrap();
        black_box(&buf);
    });
    let dopts = DecodeOptions {
        dialect,
        ..Default::default()
    };
    let (dec, dec_drop) = measure_built(reps, 1, || {
        let (v, _) = decode(black_box(&bytes), &dopts).unwrap();
        black_box(v)
    });
    let dec_and_drop = Runs {
        secs: dec
            .secs
            .iter()
            .zip(&dec_drop.secs)
            .map(|(a, b)| a + b)
            .collect(),
        allocs_per_op: dec.allocs_per_op,
    };
    let mut dst = vec![0u8; bytes.len()];
    let copy = measure(reps, 1, || {
        dst.copy_from_slice(black_box(&bytes));
        black_box(&dst);
    });
    let to_vec = measure(reps, 1, || {
        black_box(black_box(&bytes).to_vec());
    });

    let mbps = |s: f64| size / s / 1e6;
    let e = report(&format!("{prefix}_encode_MBps"), &enc, "MB/s", mbps);
    let ei = report(
        &format!("{prefix}_encode_into_reused_MBps"),
        &enc_into,
        "MB/s",
        mbps,
    );
    let d = report(&format!("{prefix}_decode_MBps"), &dec, "MB/s", mbps);
    let c = report(&format!("{prefix}_memcpy_reused_MBps"), &copy, "MB/s", mbps);
    let tv = report(
        &format!("{prefix}_alloc_memcpy_MBps"),
        &to_vec,
        "MB/s",
        mbps,
    );
    if !count_unit.is_empty() {
        let rate = |s: f64| count / s / 1e6;
        report(&format!("{prefix}_encode_rate"), &enc, count_unit, rate);
        report(
            &format!("{prefix}_encode_into_reused_rate"),
            &enc_into,
            count_unit,
            rate,
        );
        report(&format!("{prefix}_decode_rate"), &dec, count_unit, rate);
        report(
            &format!("{prefix}_decode_and_drop_rate"),
            &dec_and_drop,
            count_unit,
            rate,
        );
    }
    let ns = |s: f64| s * 1e9;
    report(&format!("{prefix}_encode_ns_per_op"), &enc, "ns/op", ns);
    report(&format!("{prefix}_decode_ns_per_op"), &dec, "ns/op", ns);
    report(&format!("{prefix}_drop_ns_per_op"), &dec_drop, "ns/op", ns);
    println!(
        "{prefix}_allocs_per_op: encode {} / encode_into(reused) {} / decode {}",
        fmt(enc.allocs_per_op),
        fmt(enc_into.allocs_per_op),
        fmt(dec.allocs_per_op)
    );
    println!(
        "# {prefix} medians: encode {:.0}% and encode_into(reused) {:.0}% of memcpy(reused); decode {:.0}% of alloc+memcpy, {:.0}% of memcpy(reused)",
        100.0 * e / c,
        100.0 * ei / c,
        100.0 * d / tv,
        100.0 * d / c
    );
    let best = |r: &Runs| size / r.secs.iter().copied().fold(f64::INFINITY, f64::min) / 1e6;
    let (e, ei, d, c, tv) = (
        best(&enc),
        best(&enc_into),
        best(&dec),
        best(&copy),
        best(&to_vec),
    );
    println!(
        "# {prefix} best runs: encode {:.0}% and encode_into(reused) {:.0}% of memcpy(reused); decode {:.0}% of alloc+memcpy, {:.0}% of memcpy(reused)",
        100.0 * e / c,
        100.0 * ei / c,
        100.0 * d / tv,
        100.0 * d / c
    );
}

fn player(i: i64) -> Variant {
    let d: Dictionary = [
        (Variant::String("id".into()), Variant::Int(i)),
        (
            Variant::String("pos".into()),
            Variant::Vector2(Vector2 {
                x: i as f64,
                y: (i * 2) as f64,
            }),
        ),
        (
            Variant::String("name".into()),
            Variant::String(format!("player_{:03}", i % 1000).into()),
        ),
        (
            Variant::String("hp".into()),
            Variant::Float((i % 100) as f64 + 0.5),
        ),
    ]
    .into_iter()
    .collect();
    Variant::Dictionary(Box::new(d))
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let reps: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(9);
    // Optional second argument: which payloads to run, e.g. `cd` (default all).
    let only = args.get(1).cloned().unwrap_or_else(|| "abcd".into());
    let run = |c: char| only.contains(c);
    let dialect = match args.get(2).map(String::as_str) {
        None | Some("godot4") => Dialect::Godot4,
        Some("godot3") => Dialect::Godot3,
        Some(other) => panic!("unknown dialect {other:?} (godot4 or godot3)"),
    };
    println!(
        "# packetpeer codec bench: {reps} reps (+1 warm-up), size_of::<Variant>() = {}, dialect {dialect:?}",
        std::mem::size_of::<Variant>()
    );
    if let Ok(what) = std::env::var("PP_CODEC_BENCH_ONLY") {
        profile_only(&what, dialect);
        return;
    }

    // (a)
    if run('a') {
        let n3 = 1_000_000;
        let pv = Variant::PackedVector3Array(
            (0..n3)
                .map(|i| Vector3 {
                    x: i as f64,
                    y: i as f64 * 0.5,
                    // -i as the GDScript computes it: an int negated, so element 0 is +0.0, not -0.0.
                    z: -(i as i64) as f64,
                })
                .collect(),
        );
        bulk("rust_pv3_1M", &pv, n3 as f64, "Mvalues/s", reps, dialect);
        drop(pv);
    }

    // (b)
    if run('b') {
        let pb: Vec<u8> = (0..16usize << 20)
            .map(|i| (i % 1024 * 7 % 256) as u8)
            .collect();
        let pb = Variant::PackedByteArray(pb);
        bulk(
            "rust_pba_16MiB",
            &pb,
            f64::from(16u32 << 20),
            "",
            reps,
            dialect,
        );
        drop(pb);
    }

    // (c)
    if run('c') {
        let nd = 100_000;
        let arr = Variant::Array(Box::new(Array {
            element_type: ContainerType::Any,
            elements: (0..nd).map(player).collect(),
        }));
        bulk(
            "rust_dict_array_100k",
            &arr,
            nd as f64,
            "Mdicts/s",
            reps,
            dialect,
        );
        drop(arr);
    }
    if !run('d') {
        return;
    }

    // (d)
    let d = {
        let mut d = Dictionary::new();
        d.insert("id".into_variant(), Variant::Int(123));
        d.insert(
            "pos".into_variant(),
            Variant::Vector2(Vector2 { x: 1.5, y: -2.25 }),
        );
        d.insert("name".into_variant(), "player_123".into_variant());
        d.insert("hp".into_variant(), Variant::Float(87.5));
        Variant::Dictionary(Box::new(d))
    };
    let opts = EncodeOptions {
        dialect,
        ..Default::default()
    };
    let bytes = encode(&d, &opts).unwrap();
    println!(
        "# small dict: {} bytes hex={}",
        bytes.len(),
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    fingerprint("rust_small_dict", &bytes);
    let loop_n: u64 = 100_000;
    let mut buf = Vec::with_capacity(256);
    let enc = measure(reps, loop_n, || {
        for _ in 0..loop_n {
            buf.clear();
            encode_into(black_box(&d), &opts, &mut buf).unwrap();
            black_box(&buf);
        }
    });
    let dopts = DecodeOptions {
        dialect,
        ..Default::default()
    };
    let dec = measure(reps, loop_n, || {
        for _ in 0..loop_n {
            let (v, _) = decode(black_box(&bytes), &dopts).unwrap();
            black_box(&v);
        }
    });
    let mut dst = vec![0u8; bytes.len()];
    let copy = measure(reps, loop_n, || {
        for _ in 0..loop_n {
            dst.copy_from_slice(black_box(&bytes));
            black_box(&dst);
        }
    });
    let per = |s: f64| s * 1e9 / loop_n as f64;
    report("rust_small_dict_encode_into_reused", &enc, "ns/op", per);
    report("rust_small_dict_decode", &dec, "ns/op", per);
    report("rust_small_dict_memcpy", &copy, "ns/op", per);
    let rate = |s: f64| loop_n as f64 / s / 1e6;
    report("rust_small_dict_encode_rate", &enc, "Mops/s", rate);
    report("rust_small_dict_decode_rate", &dec, "Mops/s", rate);
    let mb = |s: f64| (bytes.len() as u64 * loop_n) as f64 / s / 1e6;
    report("rust_small_dict_encode_MBps", &enc, "MB/s", mb);
    report("rust_small_dict_decode_MBps", &dec, "MB/s", mb);
    println!(
        "rust_small_dict_allocs_per_op: encode_into(reused) {} / decode {}",
        fmt(enc.allocs_per_op),
        fmt(dec.allocs_per_op)
    );
    c_abi_small_dict(reps);
}

/// The same small dictionary through the C ABI (`bench_c/codec_bench.c`: `pp_codec_encode_into`
/// into a reused buffer, `pp_codec_decode` + `pp_variant_free`, both dialects), built with `cc`
/// against the shared library this `cargo bench` built and the committed header. Its lines are
/// printed as they come (`c_small_dict_<dialect>_<what>: median (min..max) ns/op`).
fn c_abi_small_dict(reps: usize) {
    use std::process::Command;
    // This binary is target/<profile>/deps/codec-<hash>; `cargo bench` leaves the shared library
    // beside it (`cargo build` also copies it one level up).
    let exe = std::env::current_exe().unwrap_or_default();
    let Some(lib_dir) = exe
        .ancestors()
        .skip(1)
        .take(2)
        .find(|d| d.join("libpacketpeer.so").exists())
        .map(|d| d.to_path_buf())
    else {
        println!(
            "# C ABI bench: no libpacketpeer.so beside {}",
            exe.display()
        );
        return;
    };
    let dir = std::env::temp_dir().join(format!("packetpeer-codec-bench-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        println!("# C ABI bench: cannot create a scratch directory");
        return;
    }
    let bin = dir.join("codec_bench");
    // The library's SONAME (build.rs): libpacketpeer.so.MAJOR, or .so.0.MINOR before 1.0. Cargo
    // leaves no file of that name, so the scratch directory gets one and is the run path.
    let soname = match env!("CARGO_PKG_VERSION_MAJOR") {
        "0" => format!("libpacketpeer.so.0.{}", env!("CARGO_PKG_VERSION_MINOR")),
        major => format!("libpacketpeer.so.{major}"),
    };
    if std::os::unix::fs::symlink(lib_dir.join("libpacketpeer.so"), dir.join(&soname)).is_err() {
        println!("# C ABI bench: cannot link {soname} in the scratch directory");
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let built = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .args(["-O2", "-std=c99", "-o"])
        .arg(&bin)
        .arg(format!("{root}/bench_c/codec_bench.c"))
        .arg(format!("-I{root}/include"))
        .arg(format!("-L{}", lib_dir.display()))
        .arg("-lpacketpeer")
        .arg(format!("-Wl,-rpath,{}", dir.display()))
        .status()
        .is_ok_and(|s| s.success());
    if built {
        match Command::new(&bin).arg(reps.to_string()).output() {
            Ok(out) => print!("{}", String::from_utf8_lossy(&out.stdout)),
            Err(e) => println!("# C ABI bench: cannot run it: {e}"),
        }
    } else {
        println!("# C ABI bench: cc failed to build bench_c/codec_bench.c");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Profiling hook (callgrind): `PP_CODEC_BENCH_ONLY=<what>` runs one operation untimed inside
/// [`profiled`], so `valgrind --tool=callgrind --toggle-collect='*profiled*'` counts only it:
/// `dict_decode` (the 100k dictionaries, decode only), `dict_drop` (dropping them), `small_decode`
/// and `small_encode` (the small dictionary 10,000 times, decode + drop / encode into a reused
/// buffer), `pv3_decode` (payload (a), decode only).
fn profile_only(what: &str, dialect: Dialect) {
    let opts = EncodeOptions {
        dialect,
        ..Default::default()
    };
    let dopts = DecodeOptions {
        dialect,
        ..Default::default()
    };
    let array = |n: i64| {
        Variant::Array(Box::new(Array {
            element_type: ContainerType::Any,
            elements: (0..n).map(player).collect(),
        }))
    };
    match what {
        "dict_decode" | "dict_drop" => {
            let bytes = encode(&array(100_000), &opts).unwrap();
            let v = if what == "dict_decode" {
                profiled(|| decode(&bytes, &dopts).unwrap().0)
            } else {
                decode(&bytes, &dopts).unwrap().0
            };
            if what == "dict_drop" {
                profiled(|| drop(v));
            } else {
                drop(v);
            }
        }
        "small_decode" | "small_encode" => {
            let d = player(123);
            let bytes = encode(&d, &opts).unwrap();
            let mut buf = Vec::with_capacity(256);
            profiled(|| {
                for _ in 0..10_000 {
                    if what == "small_decode" {
                        black_box(decode(black_box(&bytes), &dopts).unwrap());
                    } else {
                        buf.clear();
                        encode_into(black_box(&d), &opts, &mut buf).unwrap();
                        black_box(&buf);
                    }
                }
            });
        }
        "pv3_decode" => {
            let pv = Variant::PackedVector3Array(
                (0..1_000_000)
                    .map(|i| Vector3 {
                        x: i as f64,
                        y: i as f64 * 0.5,
                        z: -i as f64,
                    })
                    .collect(),
            );
            let bytes = encode(&pv, &opts).unwrap();
            drop(profiled(|| decode(&bytes, &dopts).unwrap().0));
        }
        other => panic!("PP_CODEC_BENCH_ONLY: unknown {other:?}"),
    }
    println!("# PP_CODEC_BENCH_ONLY={what} done");
}

#[inline(never)]
fn profiled<T>(f: impl FnOnce() -> T) -> T {
    black_box(f())
}

trait IntoVariant {
    fn into_variant(self) -> Variant;
}
impl IntoVariant for &str {
    fn into_variant(self) -> Variant {
        Variant::String(self.into())
    }
}
