#!/usr/bin/env bash
# Side-by-side load comparison of Trellis and the reference peers, one server at a time, each
# pinned to SERVER_CPU with trellis-load pinned to LOAD_CPU; then a thread-scaling run and a
# cost-growth curve (1, 16, 64, 256, 1024 connections). Writes Benchmarks/results/<date>-<host>.md,
# a .json with every run, and SVG charts.
#
#   Benchmarks/compare.sh [peer…]        default peers: hummingbird vapor flyingfox fastapi nginx
#   Benchmarks/compare.sh --smoke        a few seconds, Trellis only: proves the harness works (CI)
#
# Env: STAMP (the results file name, default <date>-<host>), DURATION (s, default 10), WARMUP (default 3), CONNECTIONS (default 64), SERVER_CPU (0), LOAD_CPU (1),
#      PEERS_DIR (default ../shared/peers next to the repository).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
smoke=0
if [ "${1:-}" = "--smoke" ]; then smoke=1; shift; fi
duration="${DURATION:-10}"; warmup="${WARMUP:-3}"; conns="${CONNECTIONS:-64}"
scpu="${SERVER_CPU:-0}"; lcpu="${LOAD_CPU:-1}"
peers_dir="${PEERS_DIR:-$root/../shared/peers}"
peers=("$@"); [ ${#peers[@]} -gt 0 ] || peers=(hummingbird vapor flyingfox fastapi nginx)
if [ $smoke = 1 ]; then duration=2; warmup=1; peers=(); fi
# 1024 connections need more descriptors than the default soft limit.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
declare -A port=([trellis]=8080 [hummingbird]=8081 [vapor]=8082 [flyingfox]=8083 [fastapi]=8084 [nginx]=8085 [trellis-catalog]=8088)

echo "building trellis-load, trellis-catalog and TrellisExample (release)…" >&2
swift build -c release --package-path "$here" --product trellis-load >&2
[ $smoke = 1 ] || swift build -c release --package-path "$here" --product trellis-catalog >&2
swift build -c release --package-path "$root" --product TrellisExample >&2
load="$(swift build -c release --package-path "$here" --show-bin-path)/trellis-load"
catalog="$(swift build -c release --package-path "$here" --show-bin-path)/trellis-catalog"
example="$(swift build -c release --package-path "$root" --show-bin-path)/TrellisExample"

stamp="${STAMP:-$(date -u +%Y-%m-%d)-$(hostname -s)}"
[ $smoke = 1 ] && out="$(mktemp -d)" || out="$here/results"
mkdir -p "$out"
runs="$out/$stamp.jsonl"; : > "$runs"

wait_up() { for _ in $(seq 1 600); do curl -fs -o /dev/null "$1/" && return 0; sleep 0.5; done; echo "no answer from $1" >&2; return 1; }
measure() { # server route header connections [extra trellis-load args…]
  local server=$1 route=$2 header=$3 c=$4; shift 4
  local args=("http://127.0.0.1:${port[$server]}$route" -c "$c" -d "$duration" --warmup "$warmup" --json --label "$server")
  [ -n "$header" ] && args+=(-H "$header")
  taskset -c "$lcpu" "$load" "${args[@]}" "$@" | python3 -c "
import json, sys
r = json.load(sys.stdin); r.update(server='$server', route='$route' + (' +Origin' if '$header' else ''), kind='${KIND:-routes}', rss_mib=${RSS:-0})
print(json.dumps(r))" >> "$runs"
  tail -1 "$runs" | python3 -c "import json,sys; r=json.load(sys.stdin); print(f\"{r['server']:12} {r['route']:20} c={r['connections']:<5} {r['requestsPerSecond']:>10.0f} req/s  p50 {r['latencyMicroseconds']['p50']/1000:.3f} ms  p99 {r['latencyMicroseconds']['p99']/1000:.3f} ms  errors {r['errors']} non2xx {r['non2xx']}\")" >&2
}
routes() { # server
  RSS=0 measure "$1" / "" "$conns"
  RSS=0 measure "$1" "/items/42?q=x" "" "$conns"
  local rss; rss=$(awk '/VmHWM/ {printf "%.1f", $2/1024}' /proc/$pid/status 2>/dev/null || echo 0)
  RSS=$rss measure "$1" / "Origin: http://localhost:3000" "$conns"
}
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; sleep 0.5; }

# 1. Trellis and every peer on the three routes.
taskset -c "$scpu" "$example" --seed --port "${port[trellis]}" --threads 1 >/dev/null & pid=$!
wait_up "http://127.0.0.1:${port[trellis]}"; routes trellis; stop
# The same app behind RequestID, AccessLog (a line per request, to /dev/null) and GZip.
if [ $smoke = 0 ]; then
  taskset -c "$scpu" "$catalog" --port "${port[trellis-catalog]}" --threads 1 >/dev/null 2>&1 & pid=$!
  wait_up "http://127.0.0.1:${port[trellis-catalog]}"; routes trellis-catalog; stop
fi
for peer in "${peers[@]}"; do
  echo "starting $peer (Swift peers build first; Vapor takes minutes)…" >&2
  taskset -c "$scpu" "$peers_dir/run.sh" "$peer" >"${TMPDIR:-/tmp}/compare-peer-$peer.log" 2>&1 & pid=$!
  wait_up "http://127.0.0.1:${port[$peer]}"
  # run.sh execs the server, so $pid is the server itself.
  routes "$peer"
  # nginx at 1,024 connections: the reference for Trellis's own 1,024-connection row below.
  if [ "$peer" = nginx ]; then KIND=growth-nginx RSS=0 measure nginx / "" 1024; fi
  stop
done

# 2. Scaling: 1 and 2 event loops, server and load generator unpinned on both cores, 16 pipelined
#    requests per connection so the load generator spends little CPU per request and the server is
#    the bottleneck (without pipelining, on 2 cores, the load generator is).
for threads in 1 2; do
  "$example" --seed --port "${port[trellis]}" --threads "$threads" >/dev/null & pid=$!
  wait_up "http://127.0.0.1:${port[trellis]}"
  KIND="scaling-$threads" RSS=0 lcpu=0-1 measure trellis / "" "$conns" --pipeline 16 --threads 1
  stop
done

# 3. Cost growth: latency and throughput as connections grow (server and load pinned as in 1).
taskset -c "$scpu" "$example" --seed --port "${port[trellis]}" --threads 1 >/dev/null & pid=$!
wait_up "http://127.0.0.1:${port[trellis]}"
for c in 1 16 64 256 1024; do KIND=growth RSS=0 measure trellis / "" "$c"; done
stop

python3 "$here/Scripts/report.py" "$runs" "$out/$stamp" "$duration" "$conns"
echo "wrote $out/$stamp.md" >&2
if [ $smoke = 1 ]; then
  python3 - "$runs" <<'PY'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
bad = [r for r in runs if r["requests"] == 0 or r["errors"] or r["non2xx"]]
print(f"smoke: {len(runs)} runs, {sum(r['requests'] for r in runs)} requests")
sys.exit(1 if bad or len(runs) < 10 else 0)
PY
fi
