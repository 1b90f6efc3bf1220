"""Independent TCP peer for the Rust tests, speaking PacketPeerStream framing (u32 little-endian
length + payload).

usage: tcp_framed.py HOST echo          echo every frame back until the peer closes
       tcp_framed.py HOST raw HEXBYTES  send these raw bytes once, then close (hostile frames)
Prints the listening port on stdout first. 30 s timeout on everything. Loopback only.
"""
import socket
import struct
import sys

host, mode = sys.argv[1], sys.argv[2]
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
srv = socket.socket(fam, socket.SOCK_STREAM)
srv.bind((host, 0))
srv.listen(1)
srv.settimeout(30)
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept()
conn.settimeout(30)


def read_exact(n):
    buf = bytearray()
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


if mode == "echo":
    while True:
        hdr = read_exact(4)
        if hdr is None:
            break
        (n,) = struct.unpack("<I", hdr)
        body = read_exact(n)
        if body is None:
            break
        conn.sendall(hdr + body)
elif mode == "raw":
    conn.sendall(bytes.fromhex(sys.argv[3]))
    conn.shutdown(socket.SHUT_WR)
    # Wait for the other side to close so nothing is reset early.
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass
conn.close()
srv.close()
