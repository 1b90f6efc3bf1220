#!/usr/bin/env bash
# Runs Godot 3.2.3's engine codec benchmark (bench/godot3_codec.gd, needs Debian's headless
# `godot3-server`: apt-get install godot3-server; scripts/deps.sh installs it) and this crate's codec
# benchmark in the Godot 3 dialect (cargo bench --bench codec -- REPS abcd godot3) back to back, then
# prints the figures side by side. Like for like: both encode the same four payloads in the same
# dialect, and the script checks that the encodings are the same bytes (size and SHA-256 of each,
# printed by both sides); a difference fails the script.
# usage: bench/codec_vs_godot3.sh [REPS=5] [LOOP_N=100000] [ROUNDS=1]
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
loop_n=${2:-100000}
# ROUNDS > 1 alternates the two sides (engine, ours, engine, ours, ...): the machine may be shared,
# so each round's ratio compares figures taken a few seconds apart. Every round is printed, then the
# median over the rounds of each side and of the per-round ratios.
rounds=${3:-1}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

have_godot=0
command -v godot3-server >/dev/null && have_godot=1
# Build first, so that no round pays for compiling. PP_CODEC_BENCH_BIN runs an already built
# benches/codec.rs binary instead; PP_CODEC_BENCH_BIN_BEFORE runs a second one in each round too (a
# copy kept from before a change), printed as a BEFORE table above the main one.
rust_bench() {
    if [ -n "${PP_CODEC_BENCH_BIN:-}" ]; then
        "$PP_CODEC_BENCH_BIN" "$@" --bench
    else
        cargo bench --quiet --bench codec -- "$@" 2>/dev/null
    fi
}
[ -n "${PP_CODEC_BENCH_BIN:-}" ] || cargo bench --quiet --bench codec --no-run 2>/dev/null

for r in $(seq 1 "$rounds"); do
    if [ "$have_godot" = 1 ]; then
        echo "# round $r: running Godot 3 (godot3-server) ..."
        # Run from a scratch directory: Godot writes its log files next to the script.
        rm -rf "$out/godot" && mkdir "$out/godot" && cp bench/godot3_codec.gd "$out/godot/"
        (cd "$out/godot" && LANG=en_US.UTF-8 godot3-server --no-window -s godot3_codec.gd -- "$reps" "$loop_n") \
            2>/dev/null | grep -E '^(godot3_|#)' | tee "$out/godot3.$r.txt"
        # What the engine's decode window holds: its (c) figure leaves out freeing the decoded tree,
        # so ours stops the clock before the drop too (decode + drop is printed beside it).
        cp bench/godot3_free_cost.gd "$out/godot/"
        (cd "$out/godot" && LANG=en_US.UTF-8 godot3-server --no-window -s godot3_free_cost.gd -- "$reps") \
            2>/dev/null | grep -E '^godot3_' | tee -a "$out/godot3.$r.txt"
    else
        echo "# godot3-server not installed: Godot 3 baseline skipped" | tee "$out/godot3.$r.txt"
    fi
    if [ -n "${PP_CODEC_BENCH_BIN_BEFORE:-}" ]; then
        echo "# round $r: running the 'before' bench binary ..."
        "$PP_CODEC_BENCH_BIN_BEFORE" "$reps" abcd godot3 --bench | tee "$out/rust_before.$r.txt"
    fi
    echo "# round $r: running cargo bench --bench codec ..."
    rust_bench "$reps" abcd godot3 | tee "$out/rust.$r.txt"
done

med() { awk -v k="$1:" '$1 == k { print $2 }' "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }
median() { tr ' ' '\n' | grep -v -e '^$' -e 'n/a' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
side=rust
row() { # label rust-key godot-key unit higher|lower
    local r g x rs="" gs="" xs="" i
    for i in $(seq 1 "$rounds"); do
        r=$(med "$2" "$out/$side.$i.txt"); g=$(med "$3" "$out/godot3.$i.txt")
        if [ "$5" = higher ]; then x=$(ratio "$r" "$g"); else x=$(ratio "$g" "$r"); fi
        [ "$rounds" -gt 1 ] && printf '  round %-2s %-44s %12s %12s %8s  %s\n' "$i" "$1" "${r:-n/a}" "${g:-n/a}" "${x}x" "$4"
        rs="$rs ${r:-}"; gs="$gs ${g:-}"; xs="$xs $x"
    done
    printf '%-53s %12s %12s %8s  %s\n' "$1" "$(echo "$rs" | median)" "$(echo "$gs" | median)" \
        "$(echo "$xs" | median)x" "$4"
}
# ours against itself: decode speed as a share of memcpy of the same bytes, round by round
selfrow() { # label key-a key-b
    local a b x xs="" i
    for i in $(seq 1 "$rounds"); do
        a=$(med "$2" "$out/$side.$i.txt"); b=$(med "$3" "$out/$side.$i.txt")
        x=$(ratio "$a" "$b"); xs="$xs $x"
        [ "$rounds" -gt 1 ] && printf '  round %-2s %-44s %12s %12s %8s\n' "$i" "$1" "${a:-n/a}" "${b:-n/a}" "$x"
    done
    printf '%-53s %12s %12s %8s\n' "$1" "" "" "$(echo "$xs" | median)"
}
table() {
    echo
    printf '%-53s %12s %12s %8s  %s\n' "figure (medians over $rounds round(s))" "packetpeer" "godot3" "speedup" "unit"
    row "(a) PackedVector3Array 1M encode" rust_pv3_1M_encode_MBps godot3_pv3_1M_encode_MBps MB/s higher
    row "(a) PackedVector3Array 1M decode" rust_pv3_1M_decode_MBps godot3_pv3_1M_decode_MBps MB/s higher
    row "(b) PackedByteArray 16MiB encode" rust_pba_16MiB_encode_MBps godot3_pba_16MiB_encode_MBps MB/s higher
    row "(b) PackedByteArray 16MiB decode" rust_pba_16MiB_decode_MBps godot3_pba_16MiB_decode_MBps MB/s higher
    row "(c) 100k dicts encode" rust_dict_array_100k_encode_rate godot3_dict_array_100k_encode_rate Mdicts/s higher
    row "(c) 100k dicts decode" rust_dict_array_100k_decode_rate godot3_dict_array_100k_decode_rate Mdicts/s higher
    row "(c) 100k dicts decode + drop (godot3: decode)" rust_dict_array_100k_decode_and_drop_rate godot3_dict_array_100k_decode_rate Mdicts/s higher
    row "(d) small dict encode (godot3: GDScript call)" rust_small_dict_encode_into_reused godot3_small_dict_var2bytes ns/op lower
    row "(d) small dict decode (godot3: GDScript call)" rust_small_dict_decode godot3_small_dict_bytes2var ns/op lower
    row "(d) C ABI small dict encode_into (godot3: GDScript)" c_small_dict_godot3_encode_into_reused godot3_small_dict_var2bytes ns/op lower
    row "(d) C ABI small dict decode+free (godot3: GDScript)" c_small_dict_godot3_decode_and_free godot3_small_dict_bytes2var ns/op lower
    selfrow "(a) PackedVector3Array decode / memcpy(reused)" rust_pv3_1M_decode_MBps rust_pv3_1M_memcpy_reused_MBps
}
if [ -n "${PP_CODEC_BENCH_BIN_BEFORE:-}" ]; then
    echo
    echo "# BEFORE ($PP_CODEC_BENCH_BIN_BEFORE), same rounds:"
    side=rust_before
    table
    side=rust
    echo
    echo "# AFTER:"
fi
table
for i in $(seq 1 "$rounds"); do
    echo "# round $i godot3 (c) decode window: verbatim $(med godot3_free_cost_verbatim_decode_ms "$out/godot3.$i.txt") ms; decode alone $(med godot3_free_cost_decode_ms "$out/godot3.$i.txt") ms, then free alone $(med godot3_free_cost_free_ms "$out/godot3.$i.txt") ms"
    echo "# round $i godot3 (d) figures include GDScript call and loop overhead: $(med godot3_gdscript_loop_overhead "$out/godot3.$i.txt") ns/iter"
done
# Fingerprints are checked on the last round's output.
cp "$out/rust.$rounds.txt" "$out/rust.txt"
cp "$out/godot3.$rounds.txt" "$out/godot3.txt"

# Like for like: the same bytes on both sides.
fp() { awk -v k="$1" '$2 == "sha256" && $3 == k { print $4 " " $5 }' "$2"; }
mismatch=0
echo "# same bytes (size and SHA-256 of each payload's encoding, godot3 dialect vs the engine's var2bytes):"
for k in pv3_1M pba_16MiB dict_array_100k small_dict; do
    r=$(fp "rust_$k" "$out/rust.txt"); g=$(fp "godot3_$k" "$out/godot3.txt")
    if [ -z "$g" ]; then
        echo "#   $k: no engine fingerprint (engine not run)"
    elif [ "$r" = "$g" ]; then
        echo "#   $k: same (${r%% *} bytes)"
    else
        echo "#   $k: DIFFERENT: ours $r, engine $g"
        mismatch=1
    fi
done
exit "$mismatch"
