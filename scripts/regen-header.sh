#!/usr/bin/env bash
# Regenerates include/packetpeer.h from the Rust sources in src/ffi (cbindgen runs in build.rs; the
# header drift test copies its output into include/ when PP_REGEN_HEADER=1), then docs/packetpeer.3 from
# the header docs (scripts/gen-man.py). Commit the results.
set -euo pipefail
cd "$(dirname "$0")/.."
PP_REGEN_HEADER=1 cargo test --quiet --test header
# The man page comes from the header docs.
python3 scripts/gen-man.py
git --no-pager diff --stat -- include/packetpeer.h 2>/dev/null || true
