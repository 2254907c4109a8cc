#!/usr/bin/env python3
"""Memory figures of the example server under hostile and heavy clients (issue: bounded request bodies).

Starts the release TrellisExample on an ephemeral loopback port and prints its RSS (VmRSS) for:
  1. 1,000 connections that each send only the head of an 8 MiB POST and stall  (bound: < 64 MiB);
  2. 5 idle keep-alive connections after each uploaded 8 MiB to /echo      (bound: warm + 16 MiB);
  3. 10,000 mixed requests including 1 MiB uploads, then idle              (bound: within 10% of warm);
  4. 2,000 idle keep-alive connections after one GET each                  (bound: 12 KiB per connection).
Exits non-zero when a bound is missed. Every loop is bounded in count and time; loopback only.

    swift build -c release --product TrellisExample && python3 Scripts/measure-memory.py
"""
import os, re, resource, socket, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("TRELLIS_BIN") or os.path.join(
    subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True).stdout.strip(),
    "TrellisExample")
MiB = 1024 * 1024


def rss(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1)) * 1024


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_response(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise RuntimeError("closed before the head")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
    while len(rest) < length:
        chunk = s.recv(65536)
        if not chunk:
            raise RuntimeError("closed before the body")
        rest += chunk
    return head.split(b" ")[1], rest[:length]


def request(s, method, path, body=b""):
    s.sendall(f"{method} {path} HTTP/1.1\r\nHost: m\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    return read_response(s)


def settle(pid, seconds=1.0):
    time.sleep(seconds)
    return rss(pid)


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    server = subprocess.Popen([BIN, "--port", "0", "--threads", "1"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    failures = []
    try:
        port = None
        deadline = time.time() + 20
        while port is None and time.time() < deadline:
            line = server.stdout.readline()
            m = re.search(r"http://\[?[0-9a-f.:]+\]?:(\d+)", line)
            if m:
                port = int(m.group(1))
        if port is None:
            raise RuntimeError("server did not print its address")
        pid = server.pid
        idle = rss(pid)
        # Warm up: every route once, a few keep-alive connections.
        for _ in range(200):
            with connect(port) as s:
                request(s, "GET", "/")
                request(s, "GET", "/items/42?q=x")
                request(s, "POST", "/echo", b"x" * 1000)
        warm = settle(pid)
        print(f"idle RSS {idle / MiB:.1f} MiB, warm RSS {warm / MiB:.1f} MiB")

        # 1. 1,000 stalled 8 MiB POST heads.
        stalled = []
        for _ in range(1000):
            s = connect(port)
            s.sendall(b"POST /echo HTTP/1.1\r\nHost: m\r\nContent-Length: 8388608\r\n\r\n")
            stalled.append(s)
        held = settle(pid, 2.0)
        print(f"1. 1,000 connections holding the head of an 8 MiB POST: RSS {held / MiB:.1f} MiB (bound 64 MiB)")
        if held >= 64 * MiB:
            failures.append("stalled heads")
        for s in stalled:
            s.close()
        settle(pid)

        # 2. Idle keep-alive connections after 8 MiB uploads.
        keep = []
        for _ in range(5):
            s = connect(port)
            status, body = request(s, "POST", "/echo", b"u" * (8 * MiB))
            assert status == b"200" and len(body) == 8 * MiB, status
            keep.append(s)
        after_upload = settle(pid)
        print(f"2. 5 idle keep-alive connections after 8 MiB uploads each: RSS {after_upload / MiB:.1f} MiB "
              f"(bound warm + 16 MiB = {(warm + 16 * MiB) / MiB:.1f} MiB)")
        if after_upload > warm + 16 * MiB:
            failures.append("buffers after upload")
        for s in keep:
            s.close()

        # 3. 10,000 mixed requests including 1 MiB uploads, over 8 keep-alive connections.
        started = time.time()
        connections = [connect(port) for _ in range(8)]
        megabyte = b"m" * MiB
        for index in range(10_000):
            s = connections[index % 8]
            kind = index % 10
            if kind == 0:
                status, body = request(s, "POST", "/echo", megabyte)
                assert len(body) == MiB
            elif kind < 4:
                status, _ = request(s, "POST", "/echo", b"p" * 2048)
            elif kind < 7:
                status, _ = request(s, "GET", "/items/7?q=abc")
            else:
                status, _ = request(s, "GET", "/")
            if time.time() - started > 300:
                raise RuntimeError("mixed load took over 300 s")
        for s in connections:
            s.close()
        after_mixed = settle(pid, 2.0)
        print(f"3. after 10,000 mixed requests (1,000 of them 1 MiB uploads): RSS {after_mixed / MiB:.1f} MiB "
              f"(bound warm + 10% = {warm * 1.1 / MiB:.1f} MiB)")
        if after_mixed > warm * 1.1:
            failures.append("after mixed load")

        # 4. Idle keep-alive connections, each after one small request: what a connection holds
        #    between requests (its task, state and buffers; no read buffer: that goes back to the
        #    loop's pool while it waits).
        before_idle = settle(pid, 0.5)
        idle_connections = []
        for _ in range(2000):
            s = connect(port)
            status, _ = request(s, "GET", "/")
            assert status == b"200", status
            idle_connections.append(s)
        with_idle = settle(pid)
        per_connection = (with_idle - before_idle) / len(idle_connections)
        print(f"4. 2,000 idle keep-alive connections after one GET each: {per_connection / 1024:.1f} KiB per connection "
              f"(bound 12 KiB)")
        if per_connection > 12 * 1024:
            failures.append("idle keep-alive connections")
        for s in idle_connections:
            s.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    if failures:
        print("FAIL: " + ", ".join(failures), file=sys.stderr)
        return 1
    print("memory within bounds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
