"""``Error``: a failed call, with Godot's error code and name, and for decoding the byte offset and
reason the codec reports."""

import enum

from . import _capi

#: Godot's ``Error`` enum (the numbers of ``pp_error``): ``Err.OK``, ``Err.ERR_BUSY``, ...
Err = enum.IntEnum("Err", {_capi.pp_error_name(i).decode(): i for i in range(49)})

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
INT32_MIN, INT32_MAX = -(1 << 31), (1 << 31) - 1


class Error(Exception):
    """A packetpeer call failed.

    - ``code``: Godot's error number (an ``Err`` member when it is one).
    - ``name``: its constant's name (``"ERR_INVALID_DATA"``).
    - ``call``: the C function (or Python check) that failed.
    - ``offset``, ``reason``: for decoding, the byte offset where the codec stopped and its reason
      (``None`` otherwise).
    """

    def __init__(self, code, call=None, offset=None, reason=None):
        try:
            code = Err(code)
        except ValueError:
            pass
        self.code = code
        self.name = _capi.pp_error_name(int(code)).decode()
        self.call = call
        self.offset = offset
        self.reason = reason
        text = f"{self.name} ({int(code)})"
        if call:
            text = f"{call}: {text}"
        if reason:
            text += f" at byte {offset}: {reason}" if offset is not None else f": {reason}"
        super().__init__(text)


class RangeError(Error, OverflowError):
    """A number does not fit the C type it must pass as (``ERR_PARAMETER_RANGE_ERROR``); also an
    ``OverflowError``. ctypes would silently truncate it, so the package checks first."""


def check(code, call):
    """Raises ``Error`` for a non-zero ``pp_error``."""
    if code:
        raise Error(code, call)


def check_int(value, lo, hi, what):
    """``value`` as an int within [lo, hi], else ``RangeError`` (``TypeError`` for non-integers)."""
    if not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not lo <= value <= hi:
        raise RangeError(Err.ERR_PARAMETER_RANGE_ERROR, what,
                         reason=f"{value} is outside [{lo}, {hi}]")
    return value


def i32(value, what):
    return check_int(value, INT32_MIN, INT32_MAX, what)


def cstr(text, what):
    """UTF-8 bytes of ``text`` for a NUL-terminated C string (``str`` or ``bytes``)."""
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    if b"\0" in data:
        raise Error(Err.ERR_INVALID_PARAMETER, what, reason="contains a NUL character")
    return data
