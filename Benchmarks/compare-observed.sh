#!/usr/bin/env bash
# Trellis with its ecosystem adapters (RequestTracing, RequestLogger, RequestMetrics: trellis-observed)
# beside Hummingbird 2 with its MetricsMiddleware and TracingMiddleware (Peers/hummingbird-observed),
# both bootstrapped with the same metrics and tracing backends (Peers/ObservabilityBackends), and
# Trellis's seed pipeline (TrellisExample) for what the adapters cost. Servers pinned to SERVER_CPU,
# trellis-load to LOAD_CPU, 64 connections; ROUNDS rounds, the servers alternating within each round;
# medians quoted. Writes results/<date>-<host>-observed.{md,jsonl}.
#
#   Benchmarks/compare-observed.sh        Env: ROUNDS (3), DURATION (5 s), WARMUP (2 s), CONNECTIONS (64)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
rounds="${ROUNDS:-3}"; duration="${DURATION:-5}"; warmup="${WARMUP:-2}"; conns="${CONNECTIONS:-64}"
scpu="${SERVER_CPU:-0}"; lcpu="${LOAD_CPU:-1}"
tmp="${TMPDIR:-/tmp}"

echo "building trellis-load, trellis-observed, TrellisExample and the Hummingbird peer (release)…" >&2
swift build -c release --package-path "$here" --product trellis-load >&2
swift build -c release --package-path "$here" --product trellis-observed >&2
swift build -c release --package-path "$root" --product TrellisExample >&2
swift build -c release --package-path "$here/Peers/hummingbird-observed" >&2
bin="$(swift build -c release --package-path "$here" --show-bin-path)"
declare -A command=(
  [trellis-observed]="$bin/trellis-observed --port 8087 --threads 1"
  [hummingbird-observed]="$here/Peers/hummingbird-observed/.build/release/PeerHummingbirdObserved 8086"
  [trellis-seed]="$(swift build -c release --package-path "$root" --show-bin-path)/TrellisExample --seed --port 8080 --threads 1"
)
declare -A port=([trellis-observed]=8087 [hummingbird-observed]=8086 [trellis-seed]=8080)

stamp="$(date -u +%Y-%m-%d)-$(hostname -s)-observed"
mkdir -p "$here/results"
runs="$here/results/$stamp.jsonl"; : > "$runs"
wait_up() { for _ in $(seq 1 200); do curl -fs -o /dev/null "$1/" && return 0; sleep 0.25; done; echo "no answer from $1" >&2; return 1; }

for round in $(seq 1 "$rounds"); do
  for server in trellis-observed hummingbird-observed trellis-seed; do
    if curl -fs -o /dev/null "http://127.0.0.1:${port[$server]}/"; then
      echo "port ${port[$server]} already answers: stop whatever serves it first" >&2; exit 1
    fi
    # shellcheck disable=SC2086
    taskset -c "$scpu" ${command[$server]} >/dev/null 2>"$tmp/observed-$server.log" & pid=$!
    wait_up "http://127.0.0.1:${port[$server]}"
    for route in / "/items/42?q=x"; do
      taskset -c "$lcpu" "$bin/trellis-load" "http://127.0.0.1:${port[$server]}$route" -c "$conns" -d "$duration" \
        --warmup "$warmup" --json --label "$server" \
        | python3 -c "import json,sys; r=json.load(sys.stdin); r.update(server='$server', route='$route', round=$round); print(json.dumps(r))" >> "$runs"
      tail -1 "$runs" | python3 -c "import json,sys; r=json.load(sys.stdin); print(f\"round {r['round']} {r['server']:21} {r['route']:14} {r['requestsPerSecond']:>9.0f} req/s  p99 {r['latencyMicroseconds']['p99']/1000:.3f} ms  errors {r['errors']} non2xx {r['non2xx']}\")" >&2
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true; sleep 0.5
  done
done

python3 - "$runs" "$here/results/$stamp.md" "$rounds" "$duration" "$conns" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
rounds, duration, conns = sys.argv[3], sys.argv[4], sys.argv[5]
def med(server, route, key):
    values = [r["requestsPerSecond"] if key == "rps" else r["latencyMicroseconds"]["p99"] / 1000
              for r in runs if r["server"] == server and r["route"] == route]
    return statistics.median(values)
lines = [
    "# Observed pipelines: Trellis adapters vs Hummingbird's MetricsMiddleware + TracingMiddleware", "",
    f"Medians of {rounds} rounds ({duration} s each after warm-up, {conns} connections, one core each for",
    "server and load, servers alternating within each round). Same metrics and tracing backends on both",
    "sides (Benchmarks/Peers/ObservabilityBackends); swift-log at `.info`, a logger per request with its",
    "request id on both. Reproduce: `Benchmarks/compare-observed.sh`.", "",
    "| route | server | req/s | p99 ms | Trellis observed ÷ this (req/s) |", "|---|---|---|---|---|",
]
for route in ["/", "/items/42?q=x"]:
    base = med("trellis-observed", route, "rps")
    for server in ["trellis-observed", "hummingbird-observed", "trellis-seed"]:
        rps = med(server, route, "rps")
        lines.append(f"| `{route}` | {server} | {rps:,.0f} | {med(server, route, 'p99'):.3f} | {base / rps:.2f}× |")
bad = [r for r in runs if r["errors"] or r["non2xx"]]
lines += ["", f"Runs with errors or non-2xx responses: {len(bad)}."]
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
