#!/bin/sh
# ctest lib_exports_only_pp: the shared library exports pp_* and nothing else (the version script in
# packetpeer.map), and neither it nor the static library carries the test-only pp_test_panic.
# Usage: check-exports.sh <libpacketpeer.so.X.Y.Z> <libpacketpeer.a>
set -eu
so=$1
ar=$2
syms=$(nm -D --defined-only "$so" | awk 'NF >= 3 { print $3 }')
if [ -z "$syms" ]; then
    echo "FAIL: $so exports no symbol at all" >&2
    exit 1
fi
bad=$(printf '%s\n' "$syms" | grep -v '^pp_' || true)
if [ -n "$bad" ]; then
    echo "FAIL: $so exports symbols outside pp_*:" >&2
    printf '%s\n' "$bad" >&2
    exit 1
fi
if printf '%s\n' "$syms" | grep -q '^pp_test_panic$'; then
    echo "FAIL: $so exports pp_test_panic (built with --features test-panic?)" >&2
    exit 1
fi
if nm --defined-only "$ar" 2>/dev/null | grep -q ' T pp_test_panic$'; then
    echo "FAIL: $ar defines pp_test_panic" >&2
    exit 1
fi
echo "OK: $(printf '%s\n' "$syms" | wc -l) exported symbols, all pp_*:"
printf '%s\n' "$syms" | sed 's/^/  /'
