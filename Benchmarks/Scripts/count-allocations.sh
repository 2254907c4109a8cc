#!/usr/bin/env bash
# Heap allocations per request of the example server: counts calls to libc's malloc, calloc,
# realloc and posix_memalign in the server process with perf uprobes while a client sends N
# keep-alive requests on one connection, and divides by N. (valgrind 3.19 crashes on this binary.)
#   Benchmarks/Scripts/count-allocations.sh [route] [N]      (needs root and linux-perf)
set -euo pipefail
cd "$(dirname "$0")/../.."
route="${1:-/}"; n="${2:-20000}"; header="${3:-}"
libc=$(ldd "$(command -v ls)" | awk '/libc.so/ {print $3}')
for fn in malloc calloc realloc posix_memalign; do
  perf probe -q -x "$libc" --add "$fn" 2>/dev/null || true
done
swift build -c release --product TrellisExample >/dev/null
bin="$(swift build -c release --show-bin-path)/TrellisExample"
port=$((20000 + RANDOM % 20000))
"$bin" --seed --port "$port" --threads 1 >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
client() { python3 Benchmarks/Scripts/keepalive-client.py "$port" "$route" "$1" "$header"; }
client 200   # warm-up: first-use caches, buffers grown to size
out=$(perf stat -x, -e probe_libc:malloc,probe_libc:calloc,probe_libc:realloc,probe_libc:posix_memalign -p "$pid" -- bash -c "$(declare -f client); port=$port route='$route' header='$header'; client $n" 2>&1 >/dev/null)
total=$(awk -F, '/probe_libc/ {s += $1} END {print s}' <<<"$out")
echo "route $route${header:+ ($header)}: $total allocations for $n requests = $(python3 -c "print(round($total/$n, 2))") per request"
