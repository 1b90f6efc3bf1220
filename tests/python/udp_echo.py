"""Independent UDP peer for the Rust tests: echoes N datagrams back to their sender.

usage: udp_echo.py HOST COUNT   (prints the bound port on stdout, then echoes; 30 s idle timeout)
Loopback only: HOST is 127.0.0.1 or ::1.
"""
import socket
import sys

host, count = sys.argv[1], int(sys.argv[2])
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind((host, 0))
s.settimeout(30)
print(s.getsockname()[1], flush=True)
for _ in range(count):
    data, addr = s.recvfrom(65536)
    s.sendto(data, addr)
s.close()
