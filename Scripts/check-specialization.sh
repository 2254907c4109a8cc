#!/usr/bin/env bash
# Proves the example's request path is fully specialised: builds TrellisExample in release, then walks
# the disassembly from the specialised entry point (serveConnection<Pipeline<…>>) through every
# function it calls or references, and fails if any of them is an unspecialised generic `handle` /
# `respond` of a Trellis middleware, builder node or router (or the async function pointer to one).
# The unspecialised versions exist in the binary because the Trellis module exports them; what
# matters is that nothing on the request path reaches them.
#
# Usage: Scripts/check-specialization.sh [PACKAGE_DIR PRODUCT] — by default the root package's
# TrellisExample; `Adapters TrellisAdaptersSample` checks a pipeline that uses the adapters.
set -euo pipefail
cd "$(dirname "$0")/.."
package="${1:-.}"
product="${2:-TrellisExample}"
swift build -c release --package-path "$package" --product "$product" >/dev/null
bin="$(swift build -c release --package-path "$package" --show-bin-path)/$product"
command -v objdump >/dev/null || { echo "objdump missing (apt-get install -y binutils)" >&2; exit 1; }
python3 - "$bin" <<'PY'
import re, subprocess, sys
binary = sys.argv[1]
demangle = lambda names: subprocess.run(["swift", "demangle", "--compact"], input="\n".join(names), capture_output=True, text=True).stdout.split("\n")
dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", binary], capture_output=True, text=True).stdout
bodies, refs, current = {}, {}, None
for line in dis.splitlines():
    m = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
    if m:
        current = m.group(1); refs[current] = set(); continue
    if current:
        for target in re.findall(r"<([^>+]+)(?:\+0x[0-9a-f]+)?>", line):
            refs[current].add(target)
# Data symbols (async function pointers) referenced via RIP-relative loads are annotated by objdump as comments.
names = sorted(set(refs) | {t for ts in refs.values() for t in ts})
pretty = dict(zip(names, demangle(names)))
roots = [n for n in refs if "specialization" in pretty.get(n, "") and "serveConnection" in pretty.get(n, "")]
if not roots:
    print("FAIL: no specialised serveConnection<Pipeline<…>> in the binary"); sys.exit(1)
bad = re.compile(r"^(async function pointer to )?(Trellis|TrellisMiddleware|TrellisReferenceApp|TrellisLogging|TrellisTracing|TrellisMetrics)\.[A-Za-z]+\.(handle|respond|value)")
seen, stack, offenders = set(), list(roots), []
while stack:
    name = stack.pop()
    if name in seen: continue
    seen.add(name)
    text = pretty.get(name, name)
    if bad.match(text):
        offenders.append(text); continue
    if name in refs and not name.startswith(("swift_", "_swift")):
        stack.extend(refs[name])
print(f"entry points: {len(roots)} (specialised serveConnections); functions reachable: {len(seen)}")
print("entry:", pretty[roots[0]][:200])
if offenders:
    print("FAIL: the request path reaches unspecialised generic code:")
    for o in sorted(set(offenders)): print("  ", o[:200])
    sys.exit(1)
print("OK: no unspecialised Trellis handle/respond on the request path")
PY
