#!/usr/bin/env bash
# A/B(/C…) throughput of Trellis example binaries, alternating them round by round so that the
# machine's drift hits every binary alike; prints one line per run and the median per binary.
# Each server is pinned to CPU 0 (one event loop), trellis-load to CPU 1.
#   [HEADER='Origin: http://localhost:3000'] Benchmarks/Scripts/alternate.sh ROUNDS ROUTE CONNECTIONS name=/path/to/TrellisExample …
# SERVER_ARGS=--seed serves the bare seed pipeline (builds from before --seed existed serve it without).
# e.g. build an old commit in a worktree and compare:
#   Benchmarks/Scripts/alternate.sh 5 / 64 old=/tmp/old/.build/release/TrellisExample new=.build/release/TrellisExample
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
rounds=$1; route=$2; conns=$3; shift 3
swift build -c release --package-path "$here" --product trellis-load >&2
load="$(swift build -c release --package-path "$here" --show-bin-path)/trellis-load"
port=$((20000 + RANDOM % 20000))
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for round in $(seq 1 "$rounds"); do
  for pair in "$@"; do
    name=${pair%%=*}; bin=${pair#*=}
    # shellcheck disable=SC2086
    taskset -c 0 "$bin" ${SERVER_ARGS:-} --port "$port" --threads 1 >/dev/null & pid=$!
    for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
    extra=(); [ -n "${HEADER:-}" ] && extra=(-H "$HEADER")
    measured=$(taskset -c 1 "$load" "http://127.0.0.1:$port$route" -c "$conns" -d "${DURATION:-4}" --warmup 1 --json "${extra[@]}" \
      | python3 -c "import json,sys; r=json.load(sys.stdin); print(round(r['requestsPerSecond']), round(r['latencyMicroseconds']['p99']), round(r['latencyMicroseconds']['p999']))")
    echo "$name $route c=$conns round=$round p99_us=${measured#* } rps=${measured%% *}" | tee -a "$results"
    kill "$pid"; wait "$pid" 2>/dev/null || true; sleep 0.3
  done
done
python3 - "$results" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
p99s = collections.defaultdict(list)
p999s = collections.defaultdict(list)
for line in open(sys.argv[1]):
    parts = line.split()
    runs[parts[0]].append(int(parts[-1].split("=")[1]))
    p99s[parts[0]].append(int(parts[4].split("=")[1]))
    p999s[parts[0]].append(int(parts[5]))
first = None
first_p99 = None
for name, values in runs.items():
    median = statistics.median(values)
    p99 = statistics.median(p99s[name])
    first = first or median
    first_p99 = first_p99 or p99
    print(f"{name:12} median {median:>10,.0f} req/s ({median / first:.2f}× the first)  p99 {p99 / 1000:.3f} ms ({p99 / first_p99:.2f}×)"
          f"  p99.9 {statistics.median(p999s[name]) / 1000:.3f} ms  runs {values}")
PY
