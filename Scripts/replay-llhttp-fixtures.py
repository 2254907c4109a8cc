#!/usr/bin/env python3
"""Replays llhttp's request fixtures (test/request/*.md of a nodejs/llhttp checkout) against a running
server over a socket and compares its verdict with llhttp's: a fixture llhttp rejects must get a 4xx/5xx
(or a close), one it accepts must not get a 400. Only strict fixtures (type "request") are used.

    Scripts/replay-llhttp-fixtures.py LLHTTP_TEST_REQUEST_DIR [host] [port]
"""
import glob, json, os, re, socket, sys

directory = sys.argv[1]
host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
port = int(sys.argv[3]) if len(sys.argv) > 3 else 8080
PAUSE_CODES = {"21", "22", "23"}  # HPE_PAUSED*: not errors

def to_bytes(block):
    text = re.sub(r"\n\Z", "", block)
    text = re.sub(r"\\(\r\n|\r|\n)", "", text)
    text = re.sub(r"\r\n|\r|\n", "\r\n", text)
    text = text.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\f", "\f")
    text = re.sub(r"\\x([0-9a-fA-F]+)", lambda m: chr(int(m.group(1), 16)), text)
    text = re.sub(r"\\([0-7]{1,3})", lambda m: chr(int(m.group(1), 8)), text)
    text = re.sub(r"\$\{(.+?)\}", lambda m: str(eval(m.group(1).replace("'", '"').replace(".repeat(", "*(").replace("\"", "'"))), text)
    # \xNN escapes stand for bytes; any other character (a UTF-8 target) is sent as UTF-8.
    return b"".join(bytes([ord(c)]) if ord(c) < 256 else c.encode("utf-8") for c in text)

def fixtures():
    for path in sorted(glob.glob(os.path.join(directory, "*.md"))):
        content = open(path, encoding="utf-8").read()
        # Each fixture: a heading (## or ###, possibly followed by prose), its meta comment, the
        # request in an ```http block and llhttp's verdict in a ```log block.
        for match in re.finditer(r"<!-- meta=(\{.*?\}) -->\s*```http\n(.*?)```(?:(?!<!-- meta=).)*?```log\n(.*?)```", content, re.S):
            meta, block, log = match.groups()
            headings = re.findall(r"^#{2,4} (.+)$", content[:match.start()], re.M)
            name = headings[-1] if headings else "?"
            meta = json.JSONDecoder().raw_decode(meta)[0]
            if meta.get("type") != "request":
                continue
            codes = [c for c in re.findall(r"error code=(\d+)", log) if c not in PAUSE_CODES]
            # HPE_CLOSED_CONNECTION (5): data after a message that closes the connection. A server
            # answers the first message and closes; that is agreement, not a rejection.
            closes_after_first = codes == ["5"]
            yield os.path.basename(path), name, to_bytes(block), bool(codes) and not closes_after_first, log

def ask(data):
    with socket.create_connection((host, port), timeout=2) as s:
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        chunks = b""
        try:
            while True:
                piece = s.recv(65536)
                if not piece:
                    break
                chunks += piece
        except (socket.timeout, ConnectionResetError):
            pass
    statuses = [int(m) for m in re.findall(rb"HTTP/1\.1 (\d{3}) ", chunks)]
    return statuses

# Where this server answers differently from llhttp on purpose (Documentation/Server.md):
DELIBERATE = {
    "HTTP protocol and ANNOUNCE method": "extension methods are routed: RFC 9110 allows any token, llhttp knows a fixed list",
    "CONNECT request": "CONNECT gets 501: this server is no tunnel (llhttp parses it as one)",
    "CONNECT request with CAPS": "CONNECT gets 501: this server is no tunnel",
    "CONNECT with body": "CONNECT gets 501: this server is no tunnel",
    "M-SEARCH request": "asterisk-form is for OPTIONS only (RFC 9112 §3.2.4)",
    "SOURCE request with ICE": "ICE/1.0 is not an HTTP version",
    "OPTIONS request with RTSP": "RTSP/1.0 is not an HTTP version",
    "ANNOUNCE request with RTSP": "RTSP/1.0 is not an HTTP version",
    "No HTTP version": "HTTP/0.9 simple requests are not served (RFC 9112 §2.3 leaves them to the server)",
    "Underscore in hostname": "CONNECT gets 501: this server is no tunnel",
}

agree = deliberate = disagree = 0
for file, name, data, llhttp_rejects, log in fixtures():
    statuses = ask(data)
    final = statuses[-1] if statuses else None
    we_reject = final is None or final == 400 or final >= 500 or final in (413, 414, 431, 505, 501)
    request_line = next((line for line in data.split(b"\r\n") if line), b"")
    no_host = b"\r\nhost:" not in data.lower() and b"HTTP/1.1" in request_line
    if llhttp_rejects == we_reject or (not llhttp_rejects and we_reject and no_host):
        agree += 1
    elif name in DELIBERATE:
        deliberate += 1
        print(f"deliberate {file}: {name}: {DELIBERATE[name]} (server answered {statuses or 'nothing'})")
    else:
        disagree += 1
        print(f"DIFFERS {file}: {name}: llhttp {'rejects' if llhttp_rejects else 'accepts'}, server answered {statuses or 'nothing'}")
        print("   ", data[:160])
total = agree + deliberate + disagree
print(f"{agree + deliberate}/{total} as expected: {agree} agree with llhttp, {deliberate} differ deliberately; {disagree} differ "
      "(HTTP/1.1 requests without Host count as agreeing when rejected: RFC 9112 §3.2)")
sys.exit(1 if disagree else 0)
