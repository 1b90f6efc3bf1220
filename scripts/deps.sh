# Sourced by scripts/test-all.sh and scripts/run-example.sh: makes sure the build tools are there.
# As root with apt-get, installs what is missing; otherwise says what to install and fails.
# Needs: cargo + rustc (Rust is never installed here: use rustup), cmake >= 3.16, make, a C and a C++
# compiler, pkg-config, valgrind, python3, and the ENet C library headers (libenet-dev, for the interop
# tests against the reference ENet implementation), the OpenSSL headers and library (libssl-dev, for
# TLS/DTLS through the `openssl` crate), the openssl command (the TLS/DTLS interop tests' peer),
# and ip + unshare (tests/webrtc_browser.rs runs Chromium in a network namespace of its own).
# Test peers besides: the WebSocket and WebRTC peers (pp_ensure_ws_peers, pp_ensure_webrtc_peers) and
# Debian's `godot3-server`, the headless Godot 3.2.3 engine the Godot 3 interop tests run
# (pp_ensure_godot3; a test dependency only), and Debian's `coturn`, the TURN server the relayed-candidate
# tests start on loopback (pp_ensure_coturn; a test dependency only).

pp_ensure_deps() {
    local missing=() tool pkg
    if ! command -v cargo >/dev/null 2>&1 || ! command -v rustc >/dev/null 2>&1; then
        if [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]; then
            export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
        else
            echo "error: cargo/rustc not found. Install Rust (for example with rustup), then re-run." >&2
            return 1
        fi
    fi
    # tool:debian-package
    for tool in cmake:cmake make:make cc:gcc g++:g++ pkg-config:pkg-config valgrind:valgrind \
                python3:python3 readelf:binutils nm:binutils openssl:openssl \
                ip:iproute2 unshare:util-linux; do
        command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
    done
    if [ ! -f /usr/include/enet/enet.h ] && ! pkg-config --exists libenet 2>/dev/null; then
        missing+=(libenet-dev)
    fi
    if [ ! -f /usr/include/openssl/ssl.h ] && ! pkg-config --exists openssl 2>/dev/null; then
        missing+=(libssl-dev)
    fi
    if [ "${#missing[@]}" -eq 0 ]; then
        pp_ensure_ws_peers && pp_ensure_webrtc_peers && pp_ensure_godot3 && pp_ensure_coturn
        return
    fi
    # de-duplicate
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        if ! apt-get install -y --no-install-recommends "${missing[@]}" </dev/null; then
            apt-get update </dev/null
            apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
        fi
        for pkg in cmake make cc g++ pkg-config valgrind python3 openssl; do
            command -v "$pkg" >/dev/null 2>&1 || { echo "error: $pkg still missing" >&2; return 1; }
        done
        pp_ensure_ws_peers && pp_ensure_webrtc_peers && pp_ensure_godot3 && pp_ensure_coturn
        return
    fi
    echo "error: missing build tools. Install them first, e.g. on Debian/Ubuntu:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    return 1
}

# The independent WebSocket peers the interop tests run (tests/ws_interop.rs): Python's `websockets`
# and Node's `ws`, and pytest for the Python package's tests, installed by package name into a directory outside the repository (PP_TOOLS_DIR,
# default ~/.cache/packetpeer-tools); the tests find them there. Needs python3 with pip, and node + npm
# (Debian: python3-pip nodejs npm), and Debian's chromium for tests/ws_browser.rs. Nothing is installed
# when everything is already there.
pp_tools_dir() {
    echo "${PP_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/packetpeer-tools}"
}

pp_ensure_ws_peers() {
    local dir missing=()
    dir=$(pp_tools_dir)
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    if [ "${#missing[@]}" -gt 0 ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            export DEBIAN_FRONTEND=noninteractive
            apt-get install -y --no-install-recommends "${missing[@]}" </dev/null ||
                { apt-get update </dev/null && apt-get install -y --no-install-recommends "${missing[@]}" </dev/null; } ||
                return 1
        else
            echo "error: the WebSocket interop tests need: ${missing[*]} (e.g. sudo apt-get install ${missing[*]})" >&2
            return 1
        fi
    fi
    if ! PYTHONPATH="$dir/python" python3 -c 'import websockets.asyncio.server' 2>/dev/null; then
        echo "installing Python websockets into $dir/python"
        python3 -m pip install --quiet --disable-pip-version-check --target "$dir/python" 'websockets>=13,<18' ||
            { echo "error: pip could not install websockets" >&2; return 1; }
    fi
    # pytest runs the Python package's tests (python/tests); wheel lets pip build the package
    # without fetching a build environment (pip install --no-build-isolation).
    if ! PYTHONPATH="$dir/python" python3 -c 'import pytest, wheel' 2>/dev/null; then
        echo "installing pytest and wheel into $dir/python"
        python3 -m pip install --quiet --disable-pip-version-check --target "$dir/python" 'pytest>=7,<9' 'wheel<1' ||
            { echo "error: pip could not install pytest and wheel" >&2; return 1; }
    fi
    if [ ! -f "$dir/node/node_modules/ws/package.json" ]; then
        echo "installing Node ws into $dir/node"
        mkdir -p "$dir/node"
        (cd "$dir/node" && npm install --silent --no-save --no-package-lock --no-audit --no-fund 'ws@8') ||
            { echo "error: npm could not install ws" >&2; return 1; }
    fi
}

# The real Godot 3 engine for the Godot 3 interop tests (tests/godot3_engine.rs and the ENet Godot 3 mode
# tests): Debian's `godot3-server`, headless Godot 3.2.3 (bookworm). Only the tests run it; the library
# never needs it. The tests fail with the reason when it is missing.
pp_ensure_godot3() {
    command -v godot3-server >/dev/null 2>&1 && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing: godot3-server"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y --no-install-recommends godot3-server </dev/null ||
            { apt-get update </dev/null && apt-get install -y --no-install-recommends godot3-server </dev/null; } ||
            { echo "error: apt-get could not install godot3-server" >&2; return 1; }
    else
        echo "error: the Godot 3 interop tests need godot3-server (e.g. sudo apt-get install godot3-server)" >&2
        return 1
    fi
}

# The TURN server of the relayed-candidate tests (tests/webrtc_turn.rs): Debian's `coturn`, whose
# `turnserver` the tests start on 127.0.0.1 with a user of their own (no service is configured or
# started here). The tests fail with the reason when it is missing.
pp_ensure_coturn() {
    command -v turnserver >/dev/null 2>&1 && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing: coturn"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y --no-install-recommends coturn </dev/null ||
            { apt-get update </dev/null && apt-get install -y --no-install-recommends coturn </dev/null; } ||
            { echo "error: apt-get could not install coturn" >&2; return 1; }
    else
        echo "error: the TURN tests need coturn's turnserver (e.g. sudo apt-get install coturn)" >&2
        return 1
    fi
}

# The independent WebRTC stacks the interop tests run (tests/webrtc_interop.rs): Python's `aiortc`
# and npm's `node-datachannel` (libdatachannel, what Godot's desktop WebRTC plugin uses; its npm
# package ships the native library), installed by package name into the same tools directory
# (webrtc-python/, webrtc-node/). Needs what pp_ensure_ws_peers needs. Nothing is installed when
# both are there.
pp_ensure_webrtc_peers() {
    local dir
    dir=$(pp_tools_dir)
    if ! PYTHONPATH="$dir/webrtc-python" python3 -c 'import aiortc, aioice' 2>/dev/null; then
        echo "installing Python aiortc into $dir/webrtc-python"
        python3 -m pip install --quiet --disable-pip-version-check --target "$dir/webrtc-python" 'aiortc>=1.9,<2' ||
            { echo "error: pip could not install aiortc" >&2; return 1; }
    fi
    if [ ! -f "$dir/webrtc-node/node_modules/node-datachannel/package.json" ]; then
        echo "installing node-datachannel into $dir/webrtc-node"
        mkdir -p "$dir/webrtc-node"
        (cd "$dir/webrtc-node" && npm install --silent --no-save --no-package-lock --no-audit --no-fund 'node-datachannel@0.33') ||
            { echo "error: npm could not install node-datachannel" >&2; return 1; }
    fi
}
