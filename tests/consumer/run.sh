#!/bin/sh
# ctest install_consumer: installs the build into a temporary prefix, then builds and runs
# tests/consumer/main.c from outside the source tree three ways:
#   1. a plain cc command with `pkg-config --cflags --libs packetpeer` (shared library),
#   2. a CMake project with find_package(packetpeer CONFIG) -> packetpeer::packetpeer,
#   3. the same project's static target packetpeer::packetpeer_static.
# then checks the documented run-time environment (LD_LIBRARY_PATH for a non-system prefix), the
# installed size of a Release library, and that the `uninstall` target leaves no file behind.
# Usage: run.sh <cmake build dir> <this directory> <expected version> <C compiler> [<build type>]
set -eu
build=$1
src=$2
version=$3
cc=$4
build_type=${5:-}
work="$build/consumer-test"
prefix="$work/prefix"
rm -rf "$work"
mkdir -p "$work"

cmake --install "$build" --prefix "$prefix"

# Everything the brief promises is there, with the right links.
libdir=$(cd "$prefix" && ls -d lib lib64 lib/* 2>/dev/null | while read -r d; do
    [ -e "$prefix/$d/pkgconfig/packetpeer.pc" ] && echo "$d"; done | head -n 1)
[ -n "$libdir" ] || { echo "FAIL: no pkgconfig/packetpeer.pc installed" >&2; exit 1; }
L="$prefix/$libdir"
major=${version%%.*}
rest=${version#*.}
minor=${rest%%.*}
if [ "$major" = 0 ]; then soname="libpacketpeer.so.0.$minor"; else soname="libpacketpeer.so.$major"; fi
for f in "libpacketpeer.so.$version" "$soname" libpacketpeer.so libpacketpeer.a \
         "cmake/packetpeer/packetpeerConfig.cmake" "cmake/packetpeer/packetpeerConfigVersion.cmake"; do
    [ -e "$L/$f" ] || { echo "FAIL: $L/$f not installed" >&2; exit 1; }
done
[ -f "$prefix/include/packetpeer.h" ] || { echo "FAIL: include/packetpeer.h not installed" >&2; exit 1; }
[ -f "$prefix/include/packetpeer.hpp" ] || { echo "FAIL: include/packetpeer.hpp not installed" >&2; exit 1; }
# The command-line tool is installed beside the library and runs from there.
[ -x "$prefix/bin/packetpeer" ] || { echo "FAIL: bin/packetpeer not installed" >&2; exit 1; }
[ "$("$prefix/bin/packetpeer" decode 0200000078563412)" = 305419896 ] \
    || { echo "FAIL: the installed packetpeer tool does not decode" >&2; exit 1; }
[ "$(readlink "$L/$soname")" = "libpacketpeer.so.$version" ] || { echo "FAIL: $soname link" >&2; exit 1; }
[ "$(readlink "$L/libpacketpeer.so")" = "$soname" ] || { echo "FAIL: libpacketpeer.so link" >&2; exit 1; }
if nm -D --defined-only "$L/libpacketpeer.so.$version" | grep -q ' pp_test_panic$'; then
    echo "FAIL: the installed library exports pp_test_panic" >&2
    exit 1
fi

# Only the installed copy may be found.
unset LD_LIBRARY_PATH PKG_CONFIG_PATH CMAKE_PREFIX_PATH || true

echo "== pkg-config"
export PKG_CONFIG_PATH="$L/pkgconfig"
[ "$(pkg-config --modversion packetpeer)" = "$version" ] || { echo "FAIL: pkg-config version" >&2; exit 1; }
# shellcheck disable=SC2046
"$cc" -std=c99 -Wall -Wextra -Wpedantic -Werror "$src/main.c" -o "$work/consumer_pkgconfig" \
    $(pkg-config --cflags --libs packetpeer) -Wl,-rpath,"$(pkg-config --variable=libdir packetpeer)"
"$work/consumer_pkgconfig"
# Without an rpath, the README's documented environment is what makes a non-system prefix work.
# shellcheck disable=SC2046
"$cc" -std=c99 -Wall -Wextra -Wpedantic -Werror "$src/main.c" -o "$work/consumer_plain" \
    $(pkg-config --cflags --libs packetpeer)
LD_LIBRARY_PATH="$(pkg-config --variable=libdir packetpeer)" "$work/consumer_plain"
unset PKG_CONFIG_PATH

echo "== find_package(packetpeer CONFIG)"
cmake -S "$src" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_BUILD_TYPE=Release >"$work/cmake-configure.log" 2>&1 || { cat "$work/cmake-configure.log"; exit 1; }
cmake --build "$work/cmake-build"
"$work/cmake-build/consumer"
"$work/cmake-build/consumer_static"
if readelf -d "$work/cmake-build/consumer_static" | grep -q 'libpacketpeer'; then
    echo "FAIL: consumer_static depends on the shared library" >&2
    exit 1
fi
readelf -d "$work/cmake-build/consumer" | grep -q "Shared library: \[$soname\]" \
    || { echo "FAIL: consumer does not need $soname" >&2; exit 1; }
if [ "$build_type" = Release ]; then
    size=$(wc -c <"$L/libpacketpeer.so.$version")
    echo "installed libpacketpeer.so.$version: $size bytes"
    [ "$size" -lt 4194304 ] || { echo "FAIL: the Release library is $size bytes (limit 4 MiB)" >&2; exit 1; }
fi

echo "== uninstall"
cmake --build "$build" --target uninstall >"$work/uninstall.log" 2>&1 || { cat "$work/uninstall.log"; exit 1; }
left=$(find "$prefix" ! -type d)
[ -z "$left" ] || { echo "FAIL: uninstall left files behind:" >&2; echo "$left" >&2; exit 1; }
echo "OK: installed packetpeer $version works through pkg-config and find_package, and uninstalls cleanly"
