#!/usr/bin/env bash
# Counts the public declarations of each library module from the compiler's symbol graphs
# (`swift package dump-symbol-graph`; synthesised members and test modules left out), so a change
# to the public surface shows as a number. Usage: Scripts/count-public-api.sh [PACKAGE_DIR]
set -euo pipefail
dir=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$dir"
swift package dump-symbol-graph >/dev/null 2>&1 || true  # it exits non-zero for modules with no Swift (CZlib)
python3 - "$dir" <<'PY'
import collections, glob, json, sys
counts = collections.Counter()
for path in glob.glob(f"{sys.argv[1]}/.build/*/symbolgraph/*.symbols.json"):
    module = path.rsplit("/", 1)[-1].split(".")[0].split("@")[0]
    if module.endswith("Tests") or module.startswith("C"):
        continue
    graph = json.load(open(path))
    counts[module] += sum(
        1 for symbol in graph["symbols"]
        if symbol.get("accessLevel") == "public" and "::SYNTHESIZED::" not in symbol["identifier"]["precise"]
    )
for module in sorted(counts):
    print(f"{module:24} {counts[module]:5}")
print(f"{'total':24} {sum(counts.values()):5}")
PY
