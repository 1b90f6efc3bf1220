"""Variant ↔ Python values, Godot's ``var_to_bytes`` / ``bytes_to_var``, and the ``Codec`` and
``Variant`` handle classes.

Decoding builds Python values in one step: the library writes the decoded Variant as a pickle
(``pp_variant_to_pickle``) that Python's C unpickler turns into objects, instead of one foreign
call per element. Encoding builds the Variant with one ``pp_variant_new_*`` call per value.
"""

import array
import ctypes
import gc
import pickle
import threading
from ctypes import byref, c_char_p, c_double, c_float, c_int32, c_size_t, c_void_p

from . import _capi as C
from . import types as T
from .errors import INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, Err, Error, RangeError, check, cstr

__all__ = ["Codec", "Variant", "var_to_bytes", "bytes_to_var", "DIALECT_GODOT4", "DIALECT_GODOT3",
           "DIALECT_REDOT_STRUCT"]

DIALECT_GODOT4 = 0
DIALECT_REDOT_STRUCT = 1
DIALECT_GODOT3 = 2

_MODULE = T.__name__.encode()
_U64 = (1 << 64) - 1
_MAX_DEPTH = 1024
_GC_PAUSE_BYTES = 1 << 16


# ---- Variant handle → Python ----------------------------------------------------------------

def to_python(handle):
    """The Python value of a ``pp_variant *`` (not freed here)."""
    data, size = c_void_p(), c_size_t()
    check(C.pp_variant_to_pickle(handle, _MODULE, byref(data), byref(size)), "pp_variant_to_pickle")
    n = size.value
    # A large value makes many containers at once, and the cyclic collector would walk the
    # growing tree again and again while it is built (half the time of a 100k-dictionary
    # decode). The tree cannot hold a cycle, so the collector pauses while it is built.
    pause = n >= _GC_PAUSE_BYTES and gc.isenabled()
    try:
        if pause:
            gc.disable()
        return pickle.loads((ctypes.c_char * n).from_address(data.value))
    finally:
        if pause:
            gc.enable()
        C.pp_bytes_free(data, size)


# ---- Python → Variant handle ----------------------------------------------------------------

def _out(code, out, call):
    if code:
        raise Error(code, call)
    return out.value


def _int(v, lo, hi, what):
    if not lo <= v <= hi:
        raise RangeError(Err.ERR_PARAMETER_RANGE_ERROR, what,
                         reason=f"int {v} does not fit [{lo}, {hi}]")
    return v


def _new_int(v, depth):
    out = c_void_p()
    _int(v, INT64_MIN, INT64_MAX, "int (Godot's int is 64-bit)")
    return _out(C.pp_variant_new_int(v, byref(out)), out, "pp_variant_new_int")


def _new_str(v, depth, fn=C.pp_variant_new_string_n, call="pp_variant_new_string_n"):
    out = c_void_p()
    try:
        data = str.encode(v, "utf-8")
    except UnicodeEncodeError as e:
        raise Error(Err.ERR_INVALID_PARAMETER, call, reason=f"not encodable as UTF-8: {e}")
    return _out(fn(data, len(data), byref(out)), out, call)


def _new_string_name(v, depth):
    return _new_str(v, depth, C.pp_variant_new_string_name_n, "pp_variant_new_string_name_n")


def _new_node_path(v, depth):
    out = c_void_p()
    return _out(C.pp_variant_new_node_path(cstr(v, "NodePath"), byref(out)), out,
                "pp_variant_new_node_path")


def _new_float(v, depth):
    out = c_void_p()
    return _out(C.pp_variant_new_float(v, byref(out)), out, "pp_variant_new_float")


def _new_bool(v, depth):
    out = c_void_p()
    return _out(C.pp_variant_new_bool(v, byref(out)), out, "pp_variant_new_bool")


def _new_nil(v, depth):
    out = c_void_p()
    return _out(C.pp_variant_new_nil(byref(out)), out, "pp_variant_new_nil")


def _new_bytes(v, depth):
    out = c_void_p()
    data = bytes(v)
    return _out(C.pp_variant_new_packed_byte_array(data, len(data), byref(out)), out,
                "pp_variant_new_packed_byte_array")


def _floats(name, fn, n, ctype=c_double):
    call = "pp_variant_new_" + name

    def new(v, depth):
        if len(v) != n:
            raise Error(Err.ERR_INVALID_PARAMETER, call, reason=f"needs {n} components")
        out = c_void_p()
        return _out(fn(*[float(x) for x in v], byref(out)), out, call)
    return new


def _ints(name, fn, n):
    call = "pp_variant_new_" + name

    def new(v, depth):
        if len(v) != n:
            raise Error(Err.ERR_INVALID_PARAMETER, call, reason=f"needs {n} components")
        out = c_void_p()
        args = [_int(x, INT32_MIN, INT32_MAX, f"{name} component") for x in v]
        return _out(fn(*args, byref(out)), out, call)
    return new


def _matrix(name, fn, n):
    call = "pp_variant_new_" + name

    def new(v, depth):
        if len(v) != n:
            raise Error(Err.ERR_INVALID_PARAMETER, call, reason=f"needs {n} values")
        out = c_void_p()
        vals = (c_double * n)(*[float(x) for x in v])
        return _out(fn(vals, byref(out)), out, call)
    return new


def _new_u64(fn, call):
    def new(v, depth):
        out = c_void_p()
        _int(int(v), 0, _U64, call)
        return _out(fn(int(v), byref(out)), out, call)
    return new


def _new_callable(v, depth):
    out = c_void_p()
    return _out(C.pp_variant_new_callable(byref(out)), out, "pp_variant_new_callable")


def _new_signal(v, depth):
    out = c_void_p()
    _int(v.object_id, 0, _U64, "Signal.object_id")
    return _out(C.pp_variant_new_signal(cstr(v.name, "Signal.name"), v.object_id, byref(out)),
                out, "pp_variant_new_signal")


def _new_object(v, depth):
    out = c_void_p()
    obj = _out(C.pp_variant_new_object_full(cstr(v.class_name, "Object.class_name"), byref(out)),
               out, "pp_variant_new_object_full")
    try:
        for name, value in v.properties.items():
            h = _from(value, depth + 1)
            try:
                check(C.pp_variant_object_set_property(obj, cstr(name, "property name"), h),
                      "pp_variant_object_set_property")
            finally:
                C.pp_variant_free(h)
    except BaseException:
        C.pp_variant_free(obj)
        raise
    return obj


def _new_list(v, depth):
    out = c_void_p()
    arr = _out(C.pp_variant_new_array(byref(out)), out, "pp_variant_new_array")
    try:
        for item in v:
            h = _from(item, depth + 1)
            try:
                check(C.pp_variant_array_append(arr, h), "pp_variant_array_append")
            finally:
                C.pp_variant_free(h)
    except BaseException:
        C.pp_variant_free(arr)
        raise
    return arr


def _new_dict(v, depth):
    out = c_void_p()
    d = _out(C.pp_variant_new_dictionary(byref(out)), out, "pp_variant_new_dictionary")
    try:
        for key, value in v.items():
            k = _from(key, depth + 1)
            try:
                h = _from(value, depth + 1)
                try:
                    check(C.pp_variant_dictionary_set(d, k, h), "pp_variant_dictionary_set")
                finally:
                    C.pp_variant_free(h)
            finally:
                C.pp_variant_free(k)
    except BaseException:
        C.pp_variant_free(d)
        raise
    return d


_ARRAY_CODES = {  # (typecode, itemsize) -> (C call, ctype)
    ("i", 4): "int32", ("l", 4): "int32", ("l", 8): "int64", ("q", 8): "int64",
    ("f", 4): "float32", ("d", 8): "float64",
}


def _new_array_array(v, depth):
    kind = _ARRAY_CODES.get((v.typecode, v.itemsize))
    if kind is None:
        raise Error(Err.ERR_INVALID_PARAMETER, "array.array",
                    reason=f"type code {v.typecode!r} has no packed array (use i, q, f or d)")
    call = f"pp_variant_new_packed_{kind}_array"
    out = c_void_p()
    addr, n = v.buffer_info() if len(v) else (None, 0)
    return _out(getattr(C, call)(addr, n, byref(out)), out, call)


def _new_packed_strings(v, depth):
    call = "pp_variant_new_packed_string_array"
    items = (c_char_p * len(v))(*[cstr(s, "PackedStringArray item") for s in v])
    out = c_void_p()
    return _out(C.pp_variant_new_packed_string_array(items if len(v) else None, len(v), byref(out)),
                out, call)


def _packed_vectors(name, n, ctype):
    call = f"pp_variant_new_packed_{name}_array"
    fn = getattr(C, call)

    def new(v, depth):
        flat = []
        for item in v:
            if len(item) != n:
                raise Error(Err.ERR_INVALID_PARAMETER, call, reason=f"items need {n} components")
            flat.extend(float(x) for x in item)
        buf = (ctype * len(flat))(*flat)
        out = c_void_p()
        return _out(fn(buf if flat else None, len(v), byref(out)), out, call)
    return new


_ENCODERS = {
    type(None): _new_nil, bool: _new_bool, int: _new_int, float: _new_float, str: _new_str,
    bytes: _new_bytes, bytearray: _new_bytes, memoryview: _new_bytes,
    dict: _new_dict, list: _new_list, tuple: _new_list, array.array: _new_array_array,
    T.StringName: _new_string_name, T.NodePath: _new_node_path,
    T.Vector2: _floats("vector2", C.pp_variant_new_vector2, 2),
    T.Vector2i: _ints("vector2i", C.pp_variant_new_vector2i, 2),
    T.Rect2: _floats("rect2", C.pp_variant_new_rect2, 4),
    T.Rect2i: _ints("rect2i", C.pp_variant_new_rect2i, 4),
    T.Vector3: _floats("vector3", C.pp_variant_new_vector3, 3),
    T.Vector3i: _ints("vector3i", C.pp_variant_new_vector3i, 3),
    T.Transform2D: _matrix("transform2d", C.pp_variant_new_transform2d, 6),
    T.Vector4: _floats("vector4", C.pp_variant_new_vector4, 4),
    T.Vector4i: _ints("vector4i", C.pp_variant_new_vector4i, 4),
    T.Plane: _floats("plane", C.pp_variant_new_plane, 4),
    T.Quaternion: _floats("quaternion", C.pp_variant_new_quaternion, 4),
    T.AABB: _floats("aabb", C.pp_variant_new_aabb, 6),
    T.Basis: _matrix("basis", C.pp_variant_new_basis, 9),
    T.Transform3D: _matrix("transform3d", C.pp_variant_new_transform3d, 12),
    T.Projection: _matrix("projection", C.pp_variant_new_projection, 16),
    T.Color: _floats("color", C.pp_variant_new_color, 4),
    T.Signal: _new_signal,
    T.RID: _new_u64(C.pp_variant_new_rid, "pp_variant_new_rid"),
    T.ObjectID: _new_u64(C.pp_variant_new_object_id, "pp_variant_new_object_id"),
    T.Object: _new_object, T.Callable: _new_callable,
    T.PackedStringArray: _new_packed_strings,
    T.PackedVector2Array: _packed_vectors("vector2", 2, c_double),
    T.PackedVector3Array: _packed_vectors("vector3", 3, c_double),
    T.PackedColorArray: _packed_vectors("color", 4, c_float),
    T.PackedVector4Array: _packed_vectors("vector4", 4, c_double),
}

# Subclasses of builtins (IntEnum, OrderedDict, other namedtuples ...) take their base's encoder.
_BASES = (bool, int, float, str, bytes, bytearray, dict, list, tuple)


def from_python(value):
    """A new ``pp_variant *`` (an int address; free it with ``pp_variant_free``) for ``value``."""
    try:
        return _from(value, 0)
    except (RecursionError, ctypes.ArgumentError) as e:
        if isinstance(e, ctypes.ArgumentError) and "RecursionError" not in str(e):
            raise
        raise Error(Err.ERR_OUT_OF_MEMORY, "from_python",
                    reason="nested deeper than Python's recursion limit allows") from None


def _from(value, depth):
    if depth > _MAX_DEPTH:
        raise Error(Err.ERR_OUT_OF_MEMORY, "from_python",
                    reason=f"nested deeper than {_MAX_DEPTH} (the engine's limit)")
    enc = _ENCODERS.get(type(value))
    if enc is None:
        for base in _BASES:
            if isinstance(value, base):
                enc = _ENCODERS[base]
                break
        else:
            raise TypeError(f"no Godot Variant type for {type(value).__name__!r}")
    return enc(value, depth)


# ---- Classes and functions ------------------------------------------------------------------

class Variant:
    """An owned ``pp_variant`` handle. ``Variant(value)`` converts a Python value; use it as a
    context manager or call ``free()`` (garbage collection frees it too)."""

    __slots__ = ("_h",)

    def __init__(self, value=None, *, _handle=None):
        self._h = _handle if _handle is not None else from_python(value)

    @property
    def handle(self):
        if not self._h:
            raise ValueError("the Variant has been freed")
        return self._h

    @property
    def type(self):
        """The Godot type id (``2`` for int ...)."""
        return C.pp_variant_get_type(self.handle)

    @property
    def type_name(self):
        """Godot's name of the type (``"Vector2"``)."""
        return C.pp_variant_type_name(self.type).decode()

    def value(self):
        """The Python value."""
        return to_python(self.handle)

    def to_string(self, max_len=INT32_MAX):
        text = c_void_p()
        check(C.pp_variant_to_string(self.handle, max_len, byref(text)), "pp_variant_to_string")
        try:
            return ctypes.string_at(text).decode("utf-8")
        finally:
            C.pp_string_free(text)

    def __eq__(self, other):
        return isinstance(other, Variant) and C.pp_variant_equal(self.handle, other.handle)

    __hash__ = None

    def __repr__(self):
        return f"Variant({self.to_string(200)})" if self._h else "Variant(<freed>)"

    def free(self):
        h, self._h = self._h, None
        if h:
            C.pp_variant_free(h)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.free()

    def __del__(self):
        try:
            self.free()
        except Exception:  # interpreter shutdown
            pass


class Codec:
    """A ``pp_codec``: encode and decode with chosen settings; decode errors carry the byte offset
    and the reason. One thread at a time (like every handle)."""

    def __init__(self, dialect=DIALECT_GODOT4, *, allow_objects=False, full_objects=False,
                 real_is_double=False, godot3_lossy=False, max_depth=None, max_elements=None,
                 max_bytes=None):
        out = c_void_p()
        self._h = _out(C.pp_codec_new(byref(out)), out, "pp_codec_new")
        try:
            check(C.pp_codec_set_dialect(self._h, dialect), "pp_codec_set_dialect")
            check(C.pp_codec_set_allow_objects(self._h, allow_objects), "pp_codec_set_allow_objects")
            check(C.pp_codec_set_full_objects(self._h, full_objects), "pp_codec_set_full_objects")
            check(C.pp_codec_set_real_is_double(self._h, real_is_double),
                  "pp_codec_set_real_is_double")
            if godot3_lossy:
                check(C.pp_codec_set_godot3_lossy(self._h, True), "pp_codec_set_godot3_lossy")
            if max_depth is not None:
                _int(max_depth, 0, (1 << 32) - 1, "max_depth")
                check(C.pp_codec_set_max_depth(self._h, max_depth), "pp_codec_set_max_depth")
            if max_elements is not None:
                _int(max_elements, 0, (1 << 63) - 1, "max_elements")
                check(C.pp_codec_set_max_elements(self._h, max_elements), "pp_codec_set_max_elements")
            if max_bytes is not None:
                _int(max_bytes, 0, (1 << 63) - 1, "max_bytes")
                check(C.pp_codec_set_max_bytes(self._h, max_bytes), "pp_codec_set_max_bytes")
        except BaseException:
            self.free()
            raise

    def _fail(self, call):
        code, offset, reason = c_int32(), c_size_t(), c_char_p()
        C.pp_codec_get_last_error(self._h, byref(code), byref(offset), byref(reason))
        return Error(code.value, call, offset.value, (reason.value or b"").decode())

    def encode(self, value):
        """The bytes of ``value`` (a Python value or a ``Variant``)."""
        h = self._h
        if not h:
            raise ValueError("the Codec has been freed")
        if isinstance(value, Variant):
            return self._encode(value.handle)
        v = from_python(value)
        try:
            return self._encode(v)
        finally:
            C.pp_variant_free(v)

    def _encode(self, v):
        data, size = c_void_p(), c_size_t()
        if C.pp_codec_encode(self._h, v, byref(data), byref(size)):
            raise self._fail("pp_codec_encode")
        try:
            return ctypes.string_at(data, size.value)
        finally:
            C.pp_bytes_free(data, size)

    def decode_variant(self, data):
        """(``Variant``, bytes used) for the value at the start of ``data``."""
        if not self._h:
            raise ValueError("the Codec has been freed")
        data = bytes(data)
        out, used = c_void_p(), c_size_t()
        if C.pp_codec_decode(self._h, data, len(data), byref(out), byref(used)):
            raise self._fail("pp_codec_decode")
        return Variant(_handle=out.value), used.value

    def decode(self, data):
        """The Python value at the start of ``data`` (trailing bytes ignored, as the engine does).
        Raises ``Error`` with ``offset`` and ``reason`` on malformed bytes."""
        v, _ = self.decode_variant(data)
        try:
            return to_python(v.handle)
        finally:
            v.free()

    def free(self):
        h, self._h = getattr(self, "_h", None), None
        if h:
            C.pp_codec_free(h)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.free()

    def __del__(self):
        try:
            self.free()
        except Exception:
            pass


_local = threading.local()


def _default_codec(allow_objects):
    key = "objects" if allow_objects else "plain"
    codec = getattr(_local, key, None)
    if codec is None:
        codec = Codec(allow_objects=allow_objects)
        setattr(_local, key, codec)
    return codec


def var_to_bytes(value, full_objects=False):
    """Godot's ``var_to_bytes`` (``var_to_bytes_with_objects`` when ``full_objects``)."""
    v = value.handle if isinstance(value, Variant) else from_python(value)
    try:
        data, size = c_void_p(), c_size_t()
        check(C.pp_var_to_bytes(v, full_objects, byref(data), byref(size)), "pp_var_to_bytes")
        try:
            return ctypes.string_at(data, size.value)
        finally:
            C.pp_bytes_free(data, size)
    finally:
        if not isinstance(value, Variant):
            C.pp_variant_free(v)


def bytes_to_var(data, allow_objects=False):
    """Godot's ``bytes_to_var`` (``bytes_to_var_with_objects`` when ``allow_objects``). Raises
    ``Error`` with the codec's ``offset`` and ``reason`` on malformed bytes."""
    return _default_codec(allow_objects).decode(data)
