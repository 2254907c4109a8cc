#!/usr/bin/env bash
# Proves both examples' OpenAPI documents: serves TrellisExample and TrellisCatalogExample on
# loopback, validates each /openapi.json with openapi-spec-validator, then runs schemathesis against
# each running server with all its checks (server errors, status codes, content types, response
# schemas and headers, …) over a bounded number of generated cases per operation, with a fixed seed.
# Python tools come from PyPI, pinned, into a venv under $TMPDIR (reused when present).
#   Scripts/check-openapi.sh            Env: CASES (cases per operation, default 25), SEED (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${CASES:-25}"; seed="${SEED:-1}"
venv="${TMPDIR:-/tmp}/trellis-openapi-venv"
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "openapi-spec-validator==0.9.0" "schemathesis==4.32.5"
fi
swift build --product TrellisExample >/dev/null
swift build --product TrellisCatalogExample >/dev/null
bin="$(swift build --show-bin-path)"
out="$(mktemp -d)"
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done' EXIT

check() { # name port command…
  local name=$1 port=$2; shift 2
  "$@" --port "$port" >"$out/$name.log" 2>&1 & pids+=($!)
  for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/openapi.json" && break; sleep 0.1; done
  curl -fs "http://127.0.0.1:$port/openapi.json" -o "$out/$name.json"
  "$venv/bin/openapi-spec-validator" "$out/$name.json"
  "$venv/bin/schemathesis" run "http://127.0.0.1:$port/openapi.json" --checks all -n "$cases" --seed "$seed" \
    --no-color "${auth[@]}" 2>&1 | tee "$out/$name.schemathesis" | sed -n '/FAILURES/,$p;/SUMMARY/,$p' | tail -20
  grep -qE "No issues found|[0-9]+ passed" "$out/$name.schemathesis" && ! grep -qE "failure|errors? in" "$out/$name.schemathesis" || {
    echo "FAIL: schemathesis found problems in $name (full report: $out/$name.schemathesis)" >&2; exit 1
  }
}
auth=()
check TrellisExample 18180 "$bin/TrellisExample" --threads 1
auth=(--auth admin:trellis)
check TrellisCatalogExample 18181 "$bin/TrellisCatalogExample"
echo "OpenAPI: both documents valid; schemathesis found nothing (at most $cases cases per operation, seed $seed)"
