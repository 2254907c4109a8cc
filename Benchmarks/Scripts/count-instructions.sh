#!/usr/bin/env bash
# Instructions per request through a real server, counted by callgrind (exact: the same on a
# noisy machine): runs the server under `valgrind --tool=callgrind` twice, sends 200 warm-up
# requests and then N, resp. 2N, keep-alive requests on one connection, and divides the
# difference of the two totals by N (start-up, warm-up and shutdown cancel out). User-space
# instructions only: the kernel's share of a request is not counted.
#
#   Benchmarks/Scripts/count-instructions.sh [route] [N]              Trellis (the seed pipeline,
#                                                                     TrellisExample --seed, one loop)
#   SERVER=catalog Benchmarks/Scripts/count-instructions.sh [route] [N]
#                                                                     the catalog row (trellis-catalog:
#                                                                     RequestID, AccessLog, GZip, then the seed)
#   SERVER=nginx Benchmarks/Scripts/count-instructions.sh [route] [N] nginx on the same requests
#                                                                     (../shared/peers/nginx/nginx.conf,
#                                                                     one process: master_process off)
#   HEADER='Origin: http://localhost:3000' Benchmarks/Scripts/count-instructions.sh / 2000
#   COUNT=allocations Benchmarks/Scripts/count-instructions.sh [route] [N]
#                                                                     heap allocations per request instead
#                                                                     (valgrind's dhat: every malloc, exact)
#   CONNECTIONS=1024 Benchmarks/Scripts/count-instructions.sh [route] [N]
#                                                                     the same with 1,024 connections open
#                                                                     and busy at once (requests sent in
#                                                                     rounds, one on each connection)
#   COUNT=executor-checks Benchmarks/Scripts/count-instructions.sh [route] [N]
#                                                                     the runtime's executor checks per request
#                                                                     (calls of swift_task_switch; see
#                                                                     Documentation/Server.md, "Executor checks")
#
# Needs valgrind (and nginx for SERVER=nginx). Prints one line; with QUIET=1 only the number.
set -euo pipefail
cd "$(dirname "$0")/../.."
route="${1:-/}"; n="${2:-2000}"; header="${HEADER:-}"; server="${SERVER:-trellis}"; count="${COUNT:-instructions}"
command -v valgrind >/dev/null || { echo "valgrind missing: apt-get install -y valgrind" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

case "$server" in
  trellis)
    swift build -c release --product TrellisExample >/dev/null
    bin="$(swift build -c release --show-bin-path)/TrellisExample"
    server_command() { echo "$bin" --seed --port "$1" --threads 1; }
    ready="listening" ;;
  catalog)
    # The catalog row: RequestID, AccessLog (its lines go to the log file) and GZip before the seed.
    swift build -c release --package-path Benchmarks --product trellis-catalog >/dev/null
    bin="$(swift build -c release --package-path Benchmarks --show-bin-path)/trellis-catalog"
    server_command() { echo "$bin" --port "$1" --threads 1; }
    ready="listening" ;;
  nginx)
    command -v nginx >/dev/null || { echo "nginx missing: apt-get install -y nginx" >&2; exit 1; }
    conf="${NGINX_CONF:-$(pwd)/../shared/peers/nginx/nginx.conf}"
    [ -f "$conf" ] || { echo "no nginx configuration at $conf (set NGINX_CONF)" >&2; exit 1; }
    mkdir -p "$work/nginx/logs"
    # nginx logs nothing on start-up: `ready` is checked by connecting (outside the counted runs'
    # difference: both runs get the same probe).
    server_command() {
      sed "s/127.0.0.1:[0-9]*/127.0.0.1:$1/; s/^worker_processes.*/worker_processes 1;\nmaster_process off;\npid nginx.pid;/" \
        "$conf" >"$work/nginx/nginx.conf"
      echo "$(command -v nginx)" -p "$work/nginx/" -c "$work/nginx/nginx.conf"
    }
    ready="" ;;
  *) echo "SERVER is trellis, catalog or nginx" >&2; exit 2 ;;
esac

client() { python3 Benchmarks/Scripts/keepalive-client.py "$1" "$route" "$2" "$header"; }

# Total instructions of one server run that answers 200 warm-up requests, then `count`.
run() { # count
  local log="$work/run-$1.log" port pid command attempt
  # A port another process holds makes the server exit at once: try another one.
  for attempt in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    read -r -a command <<<"$(server_command "$port")"
    if [ "$count" = allocations ]; then
      valgrind --tool=dhat --dhat-out-file="$work/dhat-$1.json" "${command[@]}" >"$log" 2>&1 &
    else
      valgrind --tool=callgrind --callgrind-out-file="$work/callgrind-$1.out" "${command[@]}" >"$log" 2>&1 &
    fi
    pid=$!
    for _ in $(seq 1 600); do
      kill -0 "$pid" 2>/dev/null || break
      if [ -n "$ready" ]; then grep -q "$ready" "$log" && break
      else (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; fi
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && break
    wait "$pid" || true
    [ "$attempt" = 5 ] && { echo "the server did not start:" >&2; cat "$log" >&2; return 1; }
  done
  client "$port" 200 && client "$port" "$1" || { kill "$pid" 2>/dev/null; echo "the client failed" >&2; return 1; }
  if [ "$server" = nginx ]; then kill -QUIT "$pid"; else kill -INT "$pid"; fi
  wait "$pid" || true
  if [ "$count" = allocations ]; then
    grep -o "Total: .* in [0-9,]* blocks" "$log" | sed 's/.* in \([0-9,]*\) blocks/\1/; s/,//g'
  elif [ "$count" = executor-checks ]; then
    # Calls of the runtime's executor switch (swift_task_switch), summed over the call lines of the
    # profile (names are compressed: "cfn=(id) name" once, "cfn=(id)" after).
    python3 - "$work/callgrind-$1.out" <<'PY'
import re, sys
names, callee, total = {}, "", 0
for line in open(sys.argv[1], errors="replace"):
    named = re.match(r"c?fn=\((\d+)\)(?: (.*))?", line)
    if named:
        if named.group(2):
            names[named.group(1)] = named.group(2).strip()
        if line.startswith("cfn="):
            callee = names.get(named.group(1), "")
        continue
    if line.startswith("calls=") and callee.startswith("swift_task_switch"):
        total += int(line[6:].split()[0])
print(total)
PY
  else
    grep -o "Collected : [0-9]*" "$log" | grep -o "[0-9]*"
  fi
}
one=$(run "$n") || exit 1
two=$(run "$((2 * n))") || exit 1
[[ "$one" =~ ^[0-9]+$ && "$two" =~ ^[0-9]+$ ]] || { echo "no count in valgrind's output" >&2; exit 1; }
if [ "$count" = allocations ] || [ "$count" = executor-checks ]; then
  per=$(python3 -c "print(f'{round(($two - $one) / $n, 2) + 0.0:.2f}')")  # + 0.0: no '-0.00'
  if [ -n "${QUIET:-}" ]; then echo "$per"; exit 0; fi
  echo "$server $route${header:+ ($header)}: $per ${count/-/ } per request ($n vs $((2 * n)) requests: $one, $two)"
  exit 0
fi
per=$(( (two - one) / n ))
if [ -n "${QUIET:-}" ]; then echo "$per"; exit 0; fi
echo "$server $route${header:+ ($header)}: $per instructions per request (callgrind, $n vs $((2 * n)) requests: $one, $two)"
