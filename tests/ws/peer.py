"""An independent WebSocket peer for tests/ws_interop.rs: Python's `websockets` (asyncio API).

    peer.py server <max_size> <protocols|->         prints "port N", serves one connection, exits
    peer.py client <url> <max_size> <protocols|->   connects once, exits

Then prints "open <subprotocol|->" and obeys text commands from the other side (binary: echoed):
  echo:<s>   send <s> back as text           frag      a fragmented text and a fragmented binary
  ping       ping "hi", wait for the pong, send "pong-ok"
  big:<n>    send n bytes (i % 256)          close:<code>:<reason>   close with that code and reason
At the end prints "closed <code> <reason>" (the close frame received), or "refused <error>" when
the handshake failed. Everything is bounded by a 30 s deadline (exit 3).

wss: with PP_WS_TLS_CERT and PP_WS_TLS_KEY (PEM files) the server speaks TLS; with PP_WS_TLS_CA (PEM
file, the only trusted certificate) and PP_WS_TLS_NAME (the name checked, and sent as SNI) the client
does (Python's `ssl`, full verification).
"""
import asyncio
import os
import ssl
import sys

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed


def say(*a):
    print(*a, flush=True)


async def run(ws):
    say("open", ws.subprotocol or "-")
    try:
        async for msg in ws:
            if isinstance(msg, bytes):
                await ws.send(msg)
            elif msg.startswith("echo:"):
                await ws.send(msg[5:])
            elif msg == "frag":
                await ws.send(["frag", "men", "ted \u2713"])
                await ws.send([b"\x01\x02", b"\x03"])
            elif msg == "ping":
                waiter = await ws.ping(b"hi")
                await asyncio.wait_for(waiter, 10)
                await ws.send("pong-ok")
            elif msg.startswith("big:"):
                n = int(msg[4:])
                await ws.send((bytes(range(256)) * (n // 256 + 1))[:n])
            elif msg.startswith("close:"):
                _, code, reason = msg.split(":", 2)
                await ws.close(int(code), reason)
    except ConnectionClosed:
        pass
    await ws.wait_closed()
    say("closed", ws.close_code, ws.close_reason or "")


def server_tls():
    cert = os.environ.get("PP_WS_TLS_CERT")
    if not cert:
        return None
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, os.environ["PP_WS_TLS_KEY"])
    return ctx


def client_tls():
    ca = os.environ.get("PP_WS_TLS_CA")
    if not ca:
        return {}
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=ca)
    return {"ssl": ctx, "server_hostname": os.environ["PP_WS_TLS_NAME"]}


async def main():
    mode = sys.argv[1]
    if mode == "server":
        max_size, protos = int(sys.argv[2]), sys.argv[3]
        done = asyncio.Event()

        async def handler(ws):
            try:
                await run(ws)
            finally:
                done.set()

        subprotocols = None if protos == "-" else protos.split(",")
        async with serve(handler, "127.0.0.1", 0, max_size=max_size, subprotocols=subprotocols,
                         compression=None, ping_interval=None, ssl=server_tls()) as server:
            say("port", server.sockets[0].getsockname()[1])
            await done.wait()
    else:
        url, max_size, protos = sys.argv[2], int(sys.argv[3]), sys.argv[4]
        subprotocols = None if protos == "-" else protos.split(",")
        try:
            ws = await connect(url, max_size=max_size, subprotocols=subprotocols,
                               compression=None, ping_interval=None, open_timeout=10,
                               **client_tls())
        except Exception as e:  # the handshake was refused: report it
            say("refused", type(e).__name__)
            return
        await run(ws)


try:
    asyncio.run(asyncio.wait_for(main(), 30))
except asyncio.TimeoutError:
    say("deadline")
    sys.exit(3)
