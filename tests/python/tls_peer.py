"""A TLS peer on Python's ssl module, for tests/tls_stream.rs.

server CERT KEY VERSION: listens on 127.0.0.1:0 (prints the port), accepts one client. Each line
received is answered with "echo:" + line; on "BYE" it answers "bye", sends close_notify and waits for
the peer's (prints UNWRAPPED). A close_notify from the peer prints PEER CLOSE_NOTIFY; a TCP close
without one fails (exit 1). VERSION is 1.2 or 1.3.

client CAFILE HOSTNAME PORT: connects with verification on, sends "ping", expects "pong", then waits
for the peer's close_notify (prints PEER CLOSE_NOTIFY).
"""
import socket
import ssl
import sys


def lines(conn):
    buf = b""
    while True:
        try:
            data = conn.recv(4096)
        except ssl.SSLEOFError:
            print("RAGGED EOF", flush=True)
            sys.exit(1)
        if not data:
            return
        buf += data
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            yield line


def server(cert, key, version):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    v = ssl.TLSVersion.TLSv1_3 if version == "1.3" else ssl.TLSVersion.TLSv1_2
    ctx.minimum_version = v
    ctx.maximum_version = v
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(1)
    lsock.settimeout(20)
    print(lsock.getsockname()[1], flush=True)
    raw, _ = lsock.accept()
    raw.settimeout(20)
    conn = ctx.wrap_socket(raw, server_side=True, suppress_ragged_eofs=False)
    print("VERSION " + conn.version(), flush=True)
    for line in lines(conn):
        if line == b"BYE":
            conn.sendall(b"bye\n")
            conn.unwrap()
            print("UNWRAPPED", flush=True)
            return
        print("GOT " + line.decode(), flush=True)
        conn.sendall(b"echo:" + line + b"\n")
    print("PEER CLOSE_NOTIFY", flush=True)


def client(cafile, hostname, port):
    ctx = ssl.create_default_context(cafile=cafile)
    raw = socket.create_connection(("127.0.0.1", int(port)), timeout=20)
    conn = ctx.wrap_socket(raw, server_hostname=hostname, suppress_ragged_eofs=False)
    print("VERSION " + conn.version(), flush=True)
    conn.sendall(b"ping\n")
    got = list()
    for line in lines(conn):
        got.append(line)
        print("GOT " + line.decode(), flush=True)
    if got != [b"pong"]:
        print("UNEXPECTED %r" % got, flush=True)
        sys.exit(1)
    print("PEER CLOSE_NOTIFY", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        client(sys.argv[2], sys.argv[3], sys.argv[4])
