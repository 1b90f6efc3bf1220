"""The WebRTC example of python/README.md runs as written (two connections on loopback) and prints
what its comment says."""

import contextlib
import io
import os

README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "README.md")


def _block_after(heading):
    text = open(README, encoding="utf-8").read()
    start = text.index("```python\n", text.index(heading)) + len("```python\n")
    return text[start:text.index("```", start)]


def test_webrtc_example_runs():
    code = _block_after("## WebRTC")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "python/README.md (WebRTC)", "exec"), {})
    assert out.getvalue() == "chat {'hello': Vector2(x=1.0, y=2.0)}\n"
