"""Build step of the packetpeer Python package: builds libpacketpeer with cargo and bundles it.

``pip install ./python`` runs ``cargo build --release --lib`` on the crate one directory up (or in
``PACKETPEER_SOURCE_DIR``) and copies ``libpacketpeer.so`` into the package, so the wheel is
self-contained. Environment:

- ``PACKETPEER_USE_SYSTEM_LIBRARY=1``: bundle nothing; at import the package then uses
  ``PACKETPEER_LIBRARY`` or the system copy (``ctypes.util.find_library("packetpeer")``).
- ``PACKETPEER_SOURCE_DIR``: the crate's directory (default: the parent of this file).
- ``PACKETPEER_CARGO_TARGET_DIR``: cargo's target dir (default: inside setuptools' build dir), e.g.
  to reuse an existing build.
- ``CARGO``: the cargo program (default: ``cargo`` on PATH, then ``~/.cargo/bin/cargo``).
"""

import os
import shutil
import subprocess
import sys

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = {"darwin": "libpacketpeer.dylib", "win32": "packetpeer.dll"}.get(sys.platform,
                                                                       "libpacketpeer.so")


def _cargo():
    cargo = os.environ.get("CARGO") or shutil.which("cargo")
    if not cargo:
        home = os.path.join(os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo")), "bin",
                            "cargo")
        cargo = home if os.path.exists(home) else None
    if not cargo:
        sys.exit("packetpeer: cargo not found: install Rust (rustup), or set "
                 "PACKETPEER_USE_SYSTEM_LIBRARY=1 to use an installed libpacketpeer")
    return cargo


class BuildPyWithLibrary(build_py):
    """build_py, then cargo build, then the library copied next to the package's modules."""

    def run(self):
        super().run()
        if os.environ.get("PACKETPEER_USE_SYSTEM_LIBRARY") == "1":
            return
        source = os.path.abspath(os.environ.get("PACKETPEER_SOURCE_DIR") or os.path.join(HERE, ".."))
        manifest = os.path.join(source, "Cargo.toml")
        if not os.path.exists(manifest):
            sys.exit(f"packetpeer: no Cargo.toml in {source}: build from a checkout of the "
                     "repository, set PACKETPEER_SOURCE_DIR to one, or set "
                     "PACKETPEER_USE_SYSTEM_LIBRARY=1 to use an installed libpacketpeer")
        build_base = self.get_finalized_command("build").build_base
        target = os.path.abspath(os.environ.get("PACKETPEER_CARGO_TARGET_DIR")
                                 or os.path.join(build_base, "cargo"))
        env = dict(os.environ, CARGO_TARGET_DIR=target)
        cmd = [_cargo(), "build", "--release", "--lib", "--manifest-path", manifest]
        self.announce("running " + " ".join(cmd), level=2)
        subprocess.run(cmd, check=True, env=env, cwd=source)
        dest = os.path.join(self.build_lib, "packetpeer", LIB)
        self.mkpath(os.path.dirname(dest))
        self.copy_file(os.path.join(target, "release", LIB), dest, preserve_mode=True)


class BinaryDistribution(Distribution):
    """The wheel carries a native library: tag it for this platform."""

    def has_ext_modules(self):
        return os.environ.get("PACKETPEER_USE_SYSTEM_LIBRARY") != "1"


setup(cmdclass={"build_py": BuildPyWithLibrary}, distclass=BinaryDistribution)
