#!/usr/bin/env bash
# Builds the library and runs the main example, examples_c/packet_peer_stream_pipe.c (two
# PacketPeerStreams exchanging Variants over an in-memory pipe). Another example: pass its name,
#   scripts/run-example.sh <name>        (examples_c/<name>.c)
# Extra arguments after the name go to the example. Environment: PP_BUILD_DIR (default: build).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=scripts/deps.sh
. scripts/deps.sh
pp_ensure_deps

name=${1:-packet_peer_stream_pipe}
[ $# -gt 0 ] && shift
if [ ! -f "examples_c/$name.c" ]; then
    first=$(ls examples_c/*.c 2>/dev/null | head -n 1 || true)
    if [ $# -eq 0 ] && [ "$name" = packet_peer_stream_pipe ] && [ -n "$first" ]; then
        name=$(basename "$first" .c)
        echo "note: examples_c/packet_peer_stream_pipe.c not found; running $name instead" >&2
    else
        echo "error: examples_c/$name.c not found; examples: $(ls examples_c 2>/dev/null | tr '\n' ' ')" >&2
        exit 1
    fi
fi
build=${PP_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE="${PP_BUILD_TYPE:-Debug}" -DPP_BUILD_EXAMPLES=ON >/dev/null
cmake --build "$build" --target "example_$name" -j "$(nproc 2>/dev/null || echo 2)"
args=()
if [ $# -eq 0 ]; then
    # the same arguments ctest uses (`// ctest-args: ...` in the example), if any
    line=$(grep -m1 -E '^[[:space:]]*//[[:space:]]*ctest-args:' "examples_c/$name.c" || true)
    if [ -n "$line" ]; then
        read -r -a args <<<"${line#*ctest-args:}"
    fi
else
    args=("$@")
fi
echo "== $build/example_$name ${args[*]:-}"
exec "$build/example_$name" "${args[@]}"
