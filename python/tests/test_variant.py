"""Variant ↔ Python values, var_to_bytes / bytes_to_var, the Codec, errors."""

import array
import math

import pytest

import packetpeer as pp


VALUES = [
    None, True, False, 0, 1, -1, 255, 256, -(2 ** 31), 2 ** 31, 2 ** 63 - 1, -(2 ** 63), 0.5, -0.0,
    1e300, "", "héllo", "x" * 300, b"", b"\x00\x01\xff", [1, "a", [2.5, None]], {"a": 1, 2: [3]},
    {(1, 2): "tuple key"}, pp.Vector2(1.5, -2.0), pp.Vector2i(-(2 ** 31), 2 ** 31 - 1),
    pp.Rect2(1, 2, 3, 4), pp.Rect2i(1, 2, 3, 4), pp.Vector3(1, 2, 3), pp.Vector3i(1, 2, 3),
    pp.Transform2D(1, 0, 0, 1, 5, 6), pp.Vector4(1, 2, 3, 4), pp.Vector4i(1, 2, 3, 4),
    pp.Plane(0, 1, 0, 2), pp.Quaternion(0, 0, 0, 1), pp.AABB(0, 0, 0, 1, 2, 3),
    pp.Basis(1, 0, 0, 0, 1, 0, 0, 0, 1), pp.Transform3D(*range(12)), pp.Projection(*range(16)),
    pp.Color(1, 0.5, 0.25, 1), pp.StringName("name"), pp.NodePath("/root/Main:position:x"),
    pp.RID(7), pp.ObjectID(2 ** 64 - 1), pp.Callable(), pp.Signal("hit", 42),
    array.array("i", [1, -2]), array.array("q", [2 ** 40]), array.array("f", [1.5]),
    array.array("d", [0.1]), pp.PackedStringArray(["a", "é"]), pp.PackedVector2Array([pp.Vector2(1, 2)]),
    pp.PackedVector3Array([pp.Vector3(1, 2, 3)]), pp.PackedColorArray([pp.Color(1, 0, 0, 1)]),
    pp.PackedVector4Array([pp.Vector4(1, 2, 3, 4)]),
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_round_trip(value):
    back = pp.bytes_to_var(pp.var_to_bytes(value))
    assert type(back) is type(value) or (type(value) is tuple and type(back) is list)
    if isinstance(value, float) and value == 0:
        assert math.copysign(1, back) == math.copysign(1, value)
    assert back == value


def test_types_and_tags():
    assert isinstance(pp.bytes_to_var(pp.var_to_bytes(pp.StringName("a"))), pp.StringName)
    assert type(pp.bytes_to_var(pp.var_to_bytes("a"))) is str
    assert pp.bytes_to_var(pp.var_to_bytes((1, 2))) == [1, 2]  # tuple → Array → list
    with pp.Variant(pp.Vector2(1, 2)) as v:
        assert v.type_name == "Vector2" and v.value() == (1.0, 2.0)
        assert v.to_string() == "(1, 2)"
        assert v == pp.Variant(pp.Vector2(1, 2))
    assert repr(v) == "Variant(<freed>)"
    with pytest.raises(ValueError):
        v.value()


def test_full_objects():
    obj = pp.Object("Node2D", {"name": "n", "position": pp.Vector2(1, 2)})
    data = pp.var_to_bytes(obj, full_objects=True)
    assert pp.bytes_to_var(data, allow_objects=True) == obj
    with pytest.raises(pp.Error) as e:
        pp.bytes_to_var(data)
    assert e.value.code == pp.Err.ERR_UNAUTHORIZED


@pytest.mark.parametrize("big", [2 ** 63, 2 ** 70, -(2 ** 63) - 1])
def test_int_range_is_checked(big):
    with pytest.raises(pp.RangeError) as e:
        pp.var_to_bytes(big)
    assert e.value.code == pp.Err.ERR_PARAMETER_RANGE_ERROR and e.value.name == "ERR_PARAMETER_RANGE_ERROR"
    with pytest.raises(OverflowError):  # RangeError is also an OverflowError
        pp.var_to_bytes({"nested": [big]})
    with pytest.raises(pp.RangeError):
        pp.var_to_bytes(pp.Vector2i(2 ** 31, 0))


def test_bad_values():
    with pytest.raises(TypeError):
        pp.var_to_bytes(object())
    with pytest.raises(pp.Error) as e:
        pp.var_to_bytes("\ud800")  # a lone surrogate is not UTF-8
    assert e.value.code == pp.Err.ERR_INVALID_PARAMETER
    with pytest.raises(pp.Error):
        pp.var_to_bytes(array.array("b", [1]))
    deep = []
    for _ in range(1100):
        deep = [deep]
    with pytest.raises(pp.Error) as e:
        pp.var_to_bytes(deep)
    assert e.value.code == pp.Err.ERR_OUT_OF_MEMORY


def test_decode_error_has_offset_and_reason():
    with pytest.raises(pp.Error) as e:
        pp.bytes_to_var(bytes.fromhex("1c000000" "02000000" "02000000"))  # array of 2, 1 element
    err = e.value
    assert err.code == pp.Err.ERR_INVALID_DATA and err.name == "ERR_INVALID_DATA"
    assert err.call == "pp_codec_decode"
    assert err.offset == 12 and err.reason
    assert f"at byte {err.offset}" in str(err)
    with pytest.raises(pp.Error) as e:
        pp.bytes_to_var(b"")
    assert e.value.offset == 0 and e.value.reason


def test_dictionary_as_key_has_no_python_form():
    with pp.Codec() as c:
        # {{}: 1}: a Dictionary key (Godot allows it; a Python dict key must be hashable)
        data = bytes.fromhex("1b000000 01000000 1b000000 00000000 02000000 01000000".replace(" ", ""))
        with pytest.raises(pp.Error) as e:
            c.decode(data)
        assert e.value.code == pp.Err.ERR_INVALID_PARAMETER


def test_codec_settings():
    with pp.Codec(pp.DIALECT_GODOT3) as g3:
        data = g3.encode({"a": pp.Vector2(1, 2)})
        assert g3.decode(data) == {"a": (1.0, 2.0)}
    with pp.Codec(real_is_double=True) as c:
        assert len(c.encode(pp.Vector2(0.1, 0.2))) == 4 + 16
    with pp.Codec(max_depth=2) as c:
        with pytest.raises(pp.Error) as e:
            c.decode(pp.var_to_bytes([[[[1]]]]))
        assert e.value.offset is not None
    v, used = pp.Codec().decode_variant(pp.var_to_bytes(5) + b"trailing")
    assert used == 8 and v.value() == 5


def test_errors_enum_and_names():
    assert pp.Err.ERR_BUSY == 44 and pp.error_name(44) == "ERR_BUSY"
    assert pp.error_name(1000) == "ERR_UNKNOWN"
    e = pp.Error(30, "x")
    assert (e.code, e.name, e.call, e.offset, e.reason) == (pp.Err.ERR_INVALID_DATA, "ERR_INVALID_DATA", "x", None, None)
    assert pp.library_version() == pp.__version__
