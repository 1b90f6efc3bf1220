"""Python classes for the Godot Variant types without a Python builtin.

Variant → Python (``bytes_to_var``, ``get_var``):

=====================================  ====================================================
Nil, null Object                       ``None``
bool, int, float, String               ``bool``, ``int``, ``float``, ``str``
Vector2 … Projection, Color, Signal    the tuple classes below (``Vector2(x=1.0, y=2.0)``)
StringName, NodePath                   ``StringName`` / ``NodePath`` (``str`` subclasses)
RID, Object sent as an id              ``RID`` / ``ObjectID`` (``int`` subclasses)
Object sent in full                    ``Object(class_name, properties)``
Callable                               ``Callable()`` (nothing about a callable travels)
Dictionary, Array                      ``dict``, ``list`` (inside a dict key: ``tuple``)
PackedByteArray                        ``bytes``
PackedInt32/Int64/Float32/Float64Array ``array.array`` with type code ``i``, ``q``, ``f``, ``d``
PackedStringArray, PackedVector2Array, the ``list`` subclasses below
PackedVector3Array, PackedColorArray,
PackedVector4Array
=====================================  ====================================================

Python → Variant takes the same values back, plus ``tuple`` (as Array), ``bytearray`` and
``memoryview`` (as PackedByteArray), and ``int``/``float``/``str``/``dict``/``list`` subclasses.
Ints must fit Godot's 64-bit int (``RangeError`` otherwise), the ``…i`` vectors' components 32 bits.
A dictionary key that is an Array arrives as a ``tuple`` (Python keys must be hashable); a
Dictionary used as a key cannot arrive at all (``Error``, ``ERR_INVALID_PARAMETER``).

Python's dict keys are equal where Godot's are not: ``1``, ``1.0`` and ``True`` are one Python key
(three in Godot), and so are ``"a"`` and ``StringName("a")``; a Godot Dictionary holding several of
them keeps one entry in Python (the last value, at the first one's position).

The tuple classes compare as tuples: ``Vector2(1, 2) == (1, 2)``. Float components are Python
floats (the wire's 32-bit floats widened exactly).
"""

from collections import namedtuple

__all__ = [
    "Vector2", "Vector2i", "Rect2", "Rect2i", "Vector3", "Vector3i", "Transform2D", "Vector4",
    "Vector4i", "Plane", "Quaternion", "AABB", "Basis", "Transform3D", "Projection", "Color",
    "Signal", "StringName", "NodePath", "RID", "ObjectID", "Object", "Callable",
    "PackedStringArray", "PackedVector2Array", "PackedVector3Array", "PackedColorArray",
    "PackedVector4Array",
]


def _nt(name, fields, defaults=None, doc=""):
    cls = namedtuple(name, fields, defaults=defaults, module=__name__)
    cls.__doc__ = doc or f"Godot's {name}."
    return cls


Vector2 = _nt("Vector2", "x y")
Vector2i = _nt("Vector2i", "x y", doc="Godot's Vector2i (32-bit int components).")
Rect2 = _nt("Rect2", "x y width height", doc="Godot's Rect2: position (x, y) and size.")
Rect2i = _nt("Rect2i", "x y width height")
Vector3 = _nt("Vector3", "x y z")
Vector3i = _nt("Vector3i", "x y z")
Transform2D = _nt("Transform2D", "xx xy yx yy ox oy",
                  doc="Godot's Transform2D in wire order: x axis, y axis, origin.")
Vector4 = _nt("Vector4", "x y z w")
Vector4i = _nt("Vector4i", "x y z w")
Plane = _nt("Plane", "x y z d", doc="Godot's Plane: normal (x, y, z) and distance d.")
Quaternion = _nt("Quaternion", "x y z w", defaults=(1.0,))
AABB = _nt("AABB", "x y z width height depth", doc="Godot's AABB: position and size.")
Basis = _nt("Basis", "xx xy xz yx yy yz zx zy zz",
            doc="Godot's Basis, row-major as on the wire (rows x, y, z).")
Transform3D = _nt("Transform3D", "xx xy xz yx yy yz zx zy zz ox oy oz",
                  doc="Godot's Transform3D: the basis row-major, then the origin.")
Projection = _nt("Projection", " ".join(f"c{c}{a}" for c in range(4) for a in "xyzw"),
                 doc="Godot's Projection: 16 values, column-major as on the wire.")
Color = _nt("Color", "r g b a", defaults=(1.0,),
            doc="Godot's Color (32-bit float components on the wire).")
Signal = _nt("Signal", "name object_id", doc="Godot's Signal: name and owner's instance id.")


class StringName(str):
    """Godot's StringName (a ``str``; sent with the StringName type id)."""
    __slots__ = ()

    def __repr__(self):
        return f"StringName({str.__repr__(self)})"


class NodePath(str):
    """Godot's NodePath in path syntax (``"/root/Main:position:x"``)."""
    __slots__ = ()

    def __repr__(self):
        return f"NodePath({str.__repr__(self)})"


class RID(int):
    """Godot's RID (an opaque 64-bit id)."""
    __slots__ = ()

    def __repr__(self):
        return f"RID({int(self)})"


class ObjectID(int):
    """An Object sent as its instance id (``put_var`` without ``full_objects``)."""
    __slots__ = ()

    def __repr__(self):
        return f"ObjectID({int(self)})"


class Object:
    """An Object sent in full (``full_objects`` / ``allow_objects``): class name and properties
    in wire order. Never instantiated as a real object."""
    __slots__ = ("class_name", "properties")

    def __init__(self, class_name, properties=None):
        self.class_name = str(class_name)
        self.properties = dict(properties or {})

    def __eq__(self, other):
        return (isinstance(other, Object) and self.class_name == other.class_name
                and list(self.properties.items()) == list(other.properties.items()))

    __hash__ = None

    def __repr__(self):
        return f"Object({self.class_name!r}, {self.properties!r})"


class Callable:
    """Godot's Callable: nothing about it travels, so every one equals every other."""
    __slots__ = ()

    def __eq__(self, other):
        return isinstance(other, Callable)

    def __hash__(self):
        return hash(Callable)

    def __repr__(self):
        return "Callable()"


class PackedStringArray(list):
    """Godot's PackedStringArray: a list of ``str``."""
    __slots__ = ()


class PackedVector2Array(list):
    """Godot's PackedVector2Array: a list of ``Vector2`` (or (x, y) pairs)."""
    __slots__ = ()


class PackedVector3Array(list):
    """Godot's PackedVector3Array: a list of ``Vector3``."""
    __slots__ = ()


class PackedColorArray(list):
    """Godot's PackedColorArray: a list of ``Color``."""
    __slots__ = ()


class PackedVector4Array(list):
    """Godot's PackedVector4Array: a list of ``Vector4``."""
    __slots__ = ()
