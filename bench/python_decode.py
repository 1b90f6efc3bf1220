#!/usr/bin/env python3
"""Decoding the 100k-dictionary payload (the codec bench's payload (c): an Array of 100 000
dictionaries {"id": int, "pos": Vector2, "name": String, "hp": float}) into Python values: the
packetpeer package (``bytes_to_var``) against a straightforward pure-Python decoder of the same
format, written here (not in the package), measured in the same run, best of N interleaved rounds.

    python3 bench/python_decode.py [ROUNDS=5] [N=100000]

Needs the packetpeer package importable (pip install ./python, or PYTHONPATH=python with
PACKETPEER_LIBRARY pointing to a libpacketpeer.so). Figures only: nothing here is asserted.
"""

import gc
import struct
import sys
import time

import packetpeer as pp

_u32 = struct.Struct("<I").unpack_from
_i32 = struct.Struct("<i").unpack_from
_i64 = struct.Struct("<q").unpack_from
_f32 = struct.Struct("<f").unpack_from
_f64 = struct.Struct("<d").unpack_from
_2f32 = struct.Struct("<2f").unpack_from
_2f64 = struct.Struct("<2d").unpack_from
_4f32 = struct.Struct("<4f").unpack_from


def py_decode(buf, pos=0):
    """A straightforward decoder of Godot 4's binary Variant format (the types a game sends most:
    nil, bool, int, float, String, Vector2, Vector2i, Vector3, Color, StringName, Dictionary,
    Array, PackedByteArray, PackedInt32/Int64/Float32/Float64Array). Returns (value, next pos)."""
    header = _u32(buf, pos)[0]
    pos += 4
    t = header & 0xFF
    wide = header & (1 << 16)
    if t == 0:
        return None, pos
    if t == 1:
        return _u32(buf, pos)[0] != 0, pos + 4
    if t == 2:
        return (_i64(buf, pos)[0], pos + 8) if wide else (_i32(buf, pos)[0], pos + 4)
    if t == 3:
        return (_f64(buf, pos)[0], pos + 8) if wide else (_f32(buf, pos)[0], pos + 4)
    if t == 4 or t == 21:
        n = _u32(buf, pos)[0]
        pos += 4
        s = buf[pos:pos + n].decode("utf-8")
        s = pp.StringName(s) if t == 21 else s
        return s, pos + n + (-n & 3)
    if t == 5:
        if wide:
            return pp.Vector2(*_2f64(buf, pos)), pos + 16
        return pp.Vector2(*_2f32(buf, pos)), pos + 8
    if t == 6:
        return pp.Vector2i(*struct.unpack_from("<2i", buf, pos)), pos + 8
    if t == 9:
        if wide:
            return pp.Vector3(*struct.unpack_from("<3d", buf, pos)), pos + 24
        return pp.Vector3(*struct.unpack_from("<3f", buf, pos)), pos + 12
    if t == 20:
        return pp.Color(*_4f32(buf, pos)), pos + 16
    if t == 27:
        n = _u32(buf, pos)[0] & 0x7FFFFFFF
        pos += 4
        d = {}
        for _ in range(n):
            k, pos = py_decode(buf, pos)
            v, pos = py_decode(buf, pos)
            d[k] = v
        return d, pos
    if t == 28:
        n = _u32(buf, pos)[0] & 0x7FFFFFFF
        pos += 4
        out = []
        for _ in range(n):
            v, pos = py_decode(buf, pos)
            out.append(v)
        return out, pos
    if t == 29:
        n = _u32(buf, pos)[0]
        pos += 4
        return bytes(buf[pos:pos + n]), pos + n + (-n & 3)
    if t in (30, 31, 32, 33):
        import array
        code, size = {30: ("i", 4), 31: ("q", 8), 32: ("f", 4), 33: ("d", 8)}[t]
        n = _u32(buf, pos)[0]
        pos += 4
        a = array.array(code, buf[pos:pos + n * size])
        return a, pos + n * size
    raise ValueError(f"type {t} not handled by this decoder")


def py_decode_nogc(buf):
    gc.disable()
    try:
        return py_decode(buf)[0]
    finally:
        gc.enable()


def payload(n):
    return [{"id": i, "pos": pp.Vector2(i, i * 2), "name": f"player_{i % 1000:03}",
             "hp": (i % 100) + 0.5} for i in range(n)]


def best(fn, data, rounds):
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        v = fn(data)
        times.append(time.perf_counter() - t0)
        del v
    return min(times)


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    data = pp.var_to_bytes(payload(n))
    ours = pp.bytes_to_var(data)
    theirs, used = py_decode(data)
    assert used == len(data) and ours == theirs, "the two decoders disagree"
    print(f"# payload: Array of {n} dictionaries, {len(data)} bytes; library {pp.library_path} "
          f"({pp.library_origin}); best of {rounds} interleaved rounds")
    t_pp = t_py = t_py_nogc = float("inf")
    for _ in range(rounds):
        t_pp = min(t_pp, best(pp.bytes_to_var, data, 1))
        t_py = min(t_py, best(lambda b: py_decode(b)[0], data, 1))
        t_py_nogc = min(t_py_nogc, best(py_decode_nogc, data, 1))
    print(f"packetpeer.bytes_to_var         : {t_pp * 1000:8.1f} ms  ({n / t_pp / 1e6:.2f} Mdicts/s)")
    print(f"pure-Python decoder             : {t_py * 1000:8.1f} ms  ({n / t_py / 1e6:.2f} Mdicts/s)"
          f"  speedup {t_py / t_pp:.1f}x")
    # The package pauses the cyclic GC while it builds a large value; the same trick given to
    # the baseline, so that the speedup is not only that.
    print(f"pure-Python decoder, GC paused  : {t_py_nogc * 1000:8.1f} ms  "
          f"({n / t_py_nogc / 1e6:.2f} Mdicts/s)  speedup {t_py_nogc / t_pp:.1f}x")


if __name__ == "__main__":
    main()
