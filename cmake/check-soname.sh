#!/bin/sh
# ctest lib_soname: the library carries its SONAME and the build tree has the installed layout
# (real file, SONAME link, dev link), so programs linked against it load it by SONAME.
# Usage: check-soname.sh <lib dir> <real file name> <soname>
set -eu
dir=$1
real=$2
soname=$3
got=$(readelf -d "$dir/$real" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
if [ "$got" != "$soname" ]; then
    echo "FAIL: SONAME of $real is '$got', expected '$soname'" >&2
    exit 1
fi
for link in "$soname" libpacketpeer.so; do
    if [ ! -L "$dir/$link" ]; then
        echo "FAIL: $dir/$link is not a symlink" >&2
        exit 1
    fi
done
[ "$(readlink "$dir/$soname")" = "$real" ] || { echo "FAIL: $soname -> $(readlink "$dir/$soname")" >&2; exit 1; }
[ "$(readlink "$dir/libpacketpeer.so")" = "$soname" ] || { echo "FAIL: libpacketpeer.so -> $(readlink "$dir/libpacketpeer.so")" >&2; exit 1; }
echo "OK: SONAME $got; $soname -> $real; libpacketpeer.so -> $soname"
