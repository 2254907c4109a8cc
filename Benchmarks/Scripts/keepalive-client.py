"""Sends N GET requests on one keep-alive connection, each after the previous response is read
whole (by Content-Length): the client count-allocations.sh and count-instructions.sh drive the
server with.

    python3 Benchmarks/Scripts/keepalive-client.py PORT ROUTE N [HEADER]
"""
import socket, sys

port, route, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
header = sys.argv[4] if len(sys.argv) > 4 else ""
s = socket.create_connection(("127.0.0.1", port))
extra = (header + "\r\n") if header else ""
req = f"GET {route} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()
buf = b""
for _ in range(n):
    s.sendall(req)
    while True:
        end = buf.find(b"\r\n\r\n")
        if end >= 0:
            length = int([l.split(b":")[1] for l in buf[:end].split(b"\r\n") if l.lower().startswith(b"content-length")][0])
            if len(buf) >= end + 4 + length:
                buf = buf[end + 4 + length:]
                break
        buf += s.recv(65536)
