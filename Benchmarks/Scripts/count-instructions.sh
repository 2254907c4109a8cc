#!/usr/bin/env bash
# Instructions per request through the real server, counted by callgrind (exact: the same on a
# noisy machine): serves the seed pipeline (TrellisExample --seed, one event loop) under
# `valgrind --tool=callgrind` twice, sends N and then 2N keep-alive requests on one connection, and
# divides the difference of the two totals by N (start-up, the warm-up and shutdown cancel out).
#   Benchmarks/Scripts/count-instructions.sh [route] [N]        (needs valgrind; N default 2000)
#   HEADER='Origin: http://localhost:3000' Benchmarks/Scripts/count-instructions.sh / 2000
set -euo pipefail
cd "$(dirname "$0")/../.."
route="${1:-/}"; n="${2:-2000}"; header="${HEADER:-}"
command -v valgrind >/dev/null || { echo "valgrind missing: apt-get install -y valgrind" >&2; exit 1; }
swift build -c release --product TrellisExample >/dev/null
bin="$(swift build -c release --show-bin-path)/TrellisExample"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

client() { python3 Benchmarks/Scripts/keepalive-client.py "$1" "$route" "$2" "$header"; }

# Total instructions of one server run that answers 200 warm-up requests, then `count`.
run() { # count
  local port=$((20000 + RANDOM % 20000)) log="$work/run-$1.log"
  valgrind --tool=callgrind --callgrind-out-file="$work/callgrind-$1.out" "$bin" --seed --port "$port" --threads 1 >"$log" 2>&1 &
  local pid=$!
  # Wait for the start-up line (no probe request: it would add instructions to one run only).
  for _ in $(seq 1 600); do grep -q "listening" "$log" && break; sleep 0.1; done
  client "$port" 200
  client "$port" "$1"
  kill -INT "$pid"; wait "$pid" || true
  grep -o "Collected : [0-9]*" "$log" | grep -o "[0-9]*"
}
one=$(run "$n")
two=$(run "$((2 * n))")
echo "route $route${header:+ ($header)}: $(( (two - one) / n )) instructions per request (callgrind, $n vs $((2 * n)) requests: $one, $two)"
