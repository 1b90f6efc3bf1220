#!/usr/bin/env bash
# ctest's `python_package` test: installs the package with pip as a user does (`pip install
# ./python`, here into a temporary directory, from a copy of python/ so that setuptools' build
# outputs stay out of the repository), then runs the pytest suite against that installed copy,
# which must use the library it bundled. The build reuses the CMake build's cargo target dir, so
# nothing is compiled twice. pytest and wheel come from the tools dir scripts/deps.sh fills, and so
# does aiortc for test_webrtc_aiortc.py (PP_TOOLS_DIR/webrtc-python); when they are missing the
# test fails and says so.
#
#   python/tests/run.sh <cargo target dir>
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=scripts/deps.sh
. "$root/scripts/deps.sh"
export PP_TOOLS_DIR
PP_TOOLS_DIR=$(pp_tools_dir)
tools="$PP_TOOLS_DIR/python"
if ! PYTHONPATH="$tools" python3 -c 'import pytest, wheel' 2>/dev/null; then
    echo "FAIL: pytest or wheel missing from $tools; scripts/deps.sh installs them (run" \
         "scripts/test-all.sh, or: python3 -m pip install --target $tools pytest wheel)" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/src"
cp -r "$root/python/pyproject.toml" "$root/python/setup.py" "$root/python/README.md" \
      "$root/python/packetpeer" "$tmp/src/"
rm -f "$tmp/src/packetpeer/libpacketpeer".*
export PYTHONDONTWRITEBYTECODE=1 PIP_ROOT_USER_ACTION=ignore
PYTHONPATH="$tools" PACKETPEER_SOURCE_DIR="$root" PACKETPEER_CARGO_TARGET_DIR="$1" \
    python3 -m pip install --quiet --disable-pip-version-check --no-build-isolation --no-index \
    --no-deps --target "$tmp/site" "$tmp/src"
cd "$tmp"
unset PACKETPEER_LIBRARY
PYTHONPATH="$tmp/site" python3 -c '
import packetpeer
assert packetpeer.library_origin == "bundled", (packetpeer.library_origin, packetpeer.library_path)
print("installed packetpeer", packetpeer.__version__, "with", packetpeer.library_path)'
PYTHONPATH="$tmp/site:$tools" python3 -m pytest -q -p no:cacheprovider "$root/python/tests"
