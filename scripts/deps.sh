# Sourced by scripts/test-all.sh and scripts/run-example.sh: makes sure the build tools are there.
# As root with apt-get, installs what is missing; otherwise says what to install and fails.
# Needs: cargo + rustc (Rust is never installed here: use rustup), cmake >= 3.16, make, a C and a C++
# compiler, pkg-config, valgrind, python3, and the ENet C library headers (libenet-dev, for the interop
# tests against the reference ENet implementation), the OpenSSL headers and library (libssl-dev, for
# TLS/DTLS through the `openssl` crate) and the openssl command (the TLS/DTLS interop tests' peer).

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
                python3:python3 readelf:binutils nm:binutils openssl:openssl; do
        command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
    done
    if [ ! -f /usr/include/enet/enet.h ] && ! pkg-config --exists libenet 2>/dev/null; then
        missing+=(libenet-dev)
    fi
    if [ ! -f /usr/include/openssl/ssl.h ] && ! pkg-config --exists openssl 2>/dev/null; then
        missing+=(libssl-dev)
    fi
    if [ "${#missing[@]}" -eq 0 ]; then
        return 0
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
        return 0
    fi
    echo "error: missing build tools. Install them first, e.g. on Debian/Ubuntu:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    return 1
}
