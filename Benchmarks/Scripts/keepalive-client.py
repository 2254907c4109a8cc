"""Sends N GET requests on one keep-alive connection, each after the previous response is read
whole (by Content-Length): the client count-allocations.sh and count-instructions.sh drive the
server with.

With CONNECTIONS=C (default 1) it opens C connections and sends in rounds: a request on each
connection, then each response read, so that C connections are open and busy at once (what a
request costs with many connections open).

    [CONNECTIONS=C] python3 Benchmarks/Scripts/keepalive-client.py PORT ROUTE N [HEADER]
"""
import os, resource, socket, sys

port, route, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
header = sys.argv[4] if len(sys.argv) > 4 else ""
connections = int(os.environ.get("CONNECTIONS", "1"))
if connections > 1:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < connections + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, connections + 64), hard))
sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(connections)]
extra = (header + "\r\n") if header else ""
req = f"GET {route} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()
buffers = [b""] * connections


def read_response(index):
    """Reads one whole response from connection `index`, keeping what follows it."""
    buf = buffers[index]
    while True:
        end = buf.find(b"\r\n\r\n")
        if end >= 0:
            length = int([l.split(b":")[1] for l in buf[:end].split(b"\r\n") if l.lower().startswith(b"content-length")][0])
            if len(buf) >= end + 4 + length:
                buffers[index] = buf[end + 4 + length:]
                return
        buf += sockets[index].recv(65536)


sent = 0
while sent < n:
    batch = min(connections, n - sent)
    for index in range(batch):
        sockets[index].sendall(req)
    for index in range(batch):
        read_response(index)
    sent += batch
