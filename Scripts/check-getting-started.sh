#!/usr/bin/env bash
# Builds and tests a fresh package made only from Documentation/GettingStarted.md: every code block
# that follows a `<!-- file: PATH -->` line is written to PATH, the dependency `../trellis` is
# pointed at this checkout, then `swift build` and `swift test` run in it. Fails if the page rots.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
app="$work/Shop"
mkdir -p "$app"

python3 - "$root/Documentation/GettingStarted.md" "$app" <<'PY'
import os, re, sys
page, target = sys.argv[1], sys.argv[2]
text = open(page).read()
files = re.findall(r"<!-- file: (\S+) -->\n```swift\n(.*?)```", text, re.S)
if len(files) < 4:
    sys.exit(f"expected the package's files on the page, found {len(files)}")
for path, body in files:
    full = os.path.join(target, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    open(full, "w").write(body)
    print("wrote", path)
PY

# The page depends on a checkout next to the package (`../trellis`): make that true.
ln -s "$root" "$work/trellis"
cd "$app"
swift build 2>&1 | tail -3
swift test 2>&1 | tee "$work/test.log" | tail -30
grep -qE "Test run with [0-9]+ tests? .*passed" "$work/test.log"
echo "getting-started package builds and its tests pass"
