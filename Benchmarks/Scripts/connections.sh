#!/usr/bin/env bash
# Requests per second of each server at several connection counts, alternated round by round (each
# server at each count once per round), so that the machine's drift hits every pair alike; prints
# one line per run, then per server the median rate at each count and, per round, the rate at each
# count divided by the rate at the first. Each server pinned to CPU 0 (one event loop),
# trellis-load to CPU 1, as in alternate.sh.
#   [HEADER='Origin: http://localhost:3000'] Benchmarks/Scripts/connections.sh ROUNDS ROUTE "64 1024" name=/path/to/server …
# e.g. Trellis against nginx at 64 and 1,024 connections:
#   Benchmarks/Scripts/connections.sh 7 / "64 1024" trellis=.build/release/TrellisExample nginx=Benchmarks/Scripts/nginx-server.sh
# SERVER_ARGS=--seed serves the bare seed pipeline (builds from before --seed existed serve it without).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
rounds=$1; route=$2; counts=$3; shift 3
swift build -c release --package-path "$here" --product trellis-load >&2
load="$(swift build -c release --package-path "$here" --show-bin-path)/trellis-load"
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for round in $(seq 1 "$rounds"); do
  for pair in "$@"; do
    name=${pair%%=*}; bin=${pair#*=}
    for conns in $counts; do
      port=$((20000 + RANDOM % 20000))
      # shellcheck disable=SC2086
      taskset -c 0 "$bin" ${SERVER_ARGS:-} --port "$port" --threads 1 >/dev/null & pid=$!
      for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
      extra=(); [ -n "${HEADER:-}" ] && extra=(-H "$HEADER")
      measured=$(taskset -c 1 "$load" "http://127.0.0.1:$port$route" -c "$conns" -d "${DURATION:-4}" --warmup 1 --json "${extra[@]}" \
        | python3 -c "import json,sys; r=json.load(sys.stdin); print(round(r['requestsPerSecond']), round(r['latencyMicroseconds']['p99']), round(r['latencyMicroseconds']['p999']), r['errors'])")
      read -r rps p99 p999 errors <<<"$measured"
      echo "$name c=$conns round=$round rps=$rps p99_us=$p99 p999_us=$p999 errors=$errors" | tee -a "$results"
      kill "$pid"; wait "$pid" 2>/dev/null || true; sleep 0.3
    done
  done
done
python3 - "$results" "$counts" <<'PY'
import collections, re, statistics, sys
counts = [int(c) for c in sys.argv[2].split()]
runs = collections.defaultdict(dict)  # (name, round) -> count -> (rps, p99, p999)
for line in open(sys.argv[1]):
    m = re.match(r"(\S+) c=(\d+) round=(\d+) rps=(\d+) p99_us=(\d+) p999_us=(\d+)", line)
    if m:
        runs[(m.group(1), int(m.group(3)))][int(m.group(2))] = tuple(int(m.group(i)) for i in (4, 5, 6))
names = list(dict.fromkeys(name for name, _ in runs))
for name in names:
    rounds = [r for (n, _), r in runs.items() if n == name and all(c in r for c in counts)]
    parts = []
    for c in counts:
        part = (f"c={c}: {statistics.median(r[c][0] for r in rounds):,.0f} req/s, p99 {statistics.median(r[c][1] for r in rounds) / 1000:.3f} ms,"
                f" p99.9 {statistics.median(r[c][2] for r in rounds) / 1000:.3f} ms")
        if c != counts[0]:
            part += f" ({statistics.median(r[c][0] / r[counts[0]][0] for r in rounds):.2f}× c={counts[0]})"
        parts.append(part)
    print(f"{name:10} " + "; ".join(parts))
PY
