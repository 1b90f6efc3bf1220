"""The golden vectors (tests/vectors/*.tsv: bytes from the engine's own tests and from the spec)
decoded through the package: each decodable row gives its value (or the row's error), scalar
values equal the row's value notation, and each `both` row re-encodes from the Python value to the
same bytes (so the Python form loses nothing)."""

import glob
import json
import math
import os
import re

import pytest

import packetpeer as pp

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ROWS = []
for path in sorted(glob.glob(os.path.join(ROOT, "tests", "vectors", "*.tsv"))):
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or line.startswith("name\t") or not line.strip():
            continue
        name, hexbytes, value, direction, opts, _ = line.rstrip("\n").split("\t", 5)
        if direction not in ("both", "decode"):
            continue  # encode and frame rows: nothing to decode (the Rust tests check them)
        ROWS.append(pytest.param(name, hexbytes, value, direction, opts, id=f"{os.path.basename(path)}:{name}"))

assert len(ROWS) > 140, "the golden vector files were not found"

_FLOATS = {"vector2": pp.Vector2, "vector3": pp.Vector3, "vector4": pp.Vector4, "rect2": pp.Rect2,
           "plane": pp.Plane, "quaternion": pp.Quaternion, "aabb": pp.AABB, "color": pp.Color,
           "transform2d": pp.Transform2D, "basis": pp.Basis, "transform3d": pp.Transform3D,
           "projection": pp.Projection}
_INTS = {"vector2i": pp.Vector2i, "vector3i": pp.Vector3i, "vector4i": pp.Vector4i, "rect2i": pp.Rect2i}
_NO_REENCODE = ("array<", "dict<", "object:null", "object(")  # typed containers, null objects: not kept in Python


def _float(text):
    return float(text)


def expected(value):
    """The row's value notation as a Python value, for the scalar forms (None: not parsed)."""
    kind, _, rest = value.partition(":")
    if value == "nil":
        return True, None
    if kind == "bool":
        return True, rest == "true"
    if kind == "int":
        return True, int(rest, 0)
    if kind == "float":
        return True, _float(rest)
    if kind in ("string", "stringname", "nodepath") and rest.startswith('"'):
        text = json.loads(rest)
        return True, {"string": str, "stringname": pp.StringName, "nodepath": pp.NodePath}[kind](text)
    if kind == "rid":
        return True, pp.RID(int(rest, 0))
    if kind == "packedbytes":
        return True, bytes.fromhex(rest)
    m = re.fullmatch(r"([a-z0-9]+)\(([^()]*)\)", value)
    if m and m.group(1) in _FLOATS:
        return True, _FLOATS[m.group(1)](*[_float(x) for x in m.group(2).split(",")])
    if m and m.group(1) in _INTS:
        return True, _INTS[m.group(1)](*[int(x, 0) for x in m.group(2).split(",")])
    return False, None


def _codec(opts):
    return pp.Codec(pp.DIALECT_REDOT_STRUCT if "redot_struct" in opts else pp.DIALECT_GODOT4,
                    allow_objects="allow_objects" in opts, full_objects="full_objects" in opts,
                    real_is_double="real_double" in opts)


def _same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b and type(a) is type(b)


# Rows whose Python value cannot re-encode to the same bytes, and why:
_PYTHON_LIMITS = {
    # Python's dict takes 1, 1.0 and True as one key (types.py says so); Godot keeps three.
    "dict_distinct_number_keys": "one Python key",
    # 1025 nested Arrays: deeper than Python's default recursion limit lets the encoder go.
    "depth_1025_arrays_ok": "recursion limit",
}


@pytest.mark.parametrize("name,hexbytes,value,direction,opts", ROWS)
def test_golden_vector(name, hexbytes, value, direction, opts):
    data = bytes.fromhex(hexbytes)
    with _codec(opts) as codec:
        if value.startswith("error:"):
            with pytest.raises(pp.Error) as e:
                codec.decode(data)
            assert e.value.name == value[len("error:"):]
            assert e.value.reason, "a decode error carries the codec's reason"
            return
        got = codec.decode(data)
        parsed, want = expected(value)
        if parsed:
            assert _same(got, want), f"{got!r} != {want!r}"
        if name == "dict_distinct_number_keys":
            assert got == {1: None}  # the documented collapse, not a silent surprise
        if (direction == "both" and not any(t in value for t in _NO_REENCODE)
                and name not in _PYTHON_LIMITS):
            assert codec.encode(got).hex() == hexbytes
