#!/usr/bin/env bash
# THE test command: builds everything in a fresh build dir and runs every test through ctest
# (Rust unit/integration/doc tests, header drift, header alone as C and C++, exported symbols, SONAME,
# install + outside consumer via pkg-config and find_package, every c_tests/test_*.c plain, under
# ASan/UBSan and under valgrind, and again under ASan/UBSan and valgrind against a cargo --release copy
# of the library (what distributions ship), the panic path, every examples_c/*.c as a smoke test).
#
#   scripts/test-all.sh
#
# Environment: PP_BUILD_DIR (default: build), PP_BUILD_TYPE (default: Debug; Release uses cargo --release),
# PP_KEEP_BUILD=1 reuses an existing build dir instead of starting fresh, PP_JOBS (default: nproc).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=scripts/deps.sh
. scripts/deps.sh
pp_ensure_deps

build=${PP_BUILD_DIR:-build}
jobs=${PP_JOBS:-$(nproc 2>/dev/null || echo 2)}
if [ "${PP_KEEP_BUILD:-0}" != 1 ]; then
    rm -rf "$build"
fi

start=$(date +%s)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE="${PP_BUILD_TYPE:-Debug}"
cmake --build "$build" -j "$jobs"
echo "build finished in $(( $(date +%s) - start )) s"
cd "$build"
exec ctest --output-on-failure --no-label-summary -j "$jobs"
