"""A WebSocket client and server that both use permessage-deflate (Python's `websockets`, its
default compression), for the relay's inflating test (tools/cli/tests/relay.rs).

    deflate_pair.py

Prints "port N" (the server, on 127.0.0.1), then reads the relay's port from stdin and connects the
client through it. The client sends, in order: the text TEXT three times (the later copies compress
against the first: context takeover), the binary BINARY, and "bye"; the server echoes each message
back, then closes with 1000. Prints "done" when every echo matched, else "mismatch ..." and exits 1.
Everything is bounded by a 30 s deadline (exit 3).
"""
import asyncio
import struct
import sys

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

TEXT = "packetpeer relay inflates permessage-deflate " * 8
# A Godot 4 Variant: Dictionary {"hp": 42} (docs/wire-format.md).
BINARY = (struct.pack("<ii", 27, 1) + struct.pack("<ii", 4, 2) + b"hp\0\0"
          + struct.pack("<iq", 2 | (1 << 16), 42))


def say(*a):
    print(*a, flush=True)


async def echo(ws):
    async for msg in ws:
        await ws.send(msg)
        if msg == "bye":
            await ws.close(1000, "done")


async def main():
    async with serve(echo, "127.0.0.1", 0, compression="deflate") as server:
        say("port", server.sockets[0].getsockname()[1])
        line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        relay_port = int(line.strip())
        async with connect(f"ws://127.0.0.1:{relay_port}/", compression="deflate") as ws:
            if ws.response.headers.get("Sec-WebSocket-Extensions", "").find("permessage-deflate") < 0:
                say("mismatch: permessage-deflate was not negotiated")
                return 1
            for msg in [TEXT, TEXT, TEXT, BINARY, "bye"]:
                await ws.send(msg)
                got = await ws.recv()
                if got != msg:
                    say("mismatch", repr(got)[:80])
                    return 1
            await ws.wait_closed()
    say("done")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(asyncio.run(asyncio.wait_for(main(), 30)))
    except asyncio.TimeoutError:
        say("timeout")
        sys.exit(3)
