#!/usr/bin/env bash
# nginx answering the reference routes (../shared/peers/nginx/nginx.conf) with the command line of
# the Trellis example, so Benchmarks/Scripts/alternate.sh can alternate it with Trellis binaries:
#   Benchmarks/Scripts/alternate.sh 5 / 64 nginx=Benchmarks/Scripts/nginx-server.sh trellis=.build/release/TrellisExample
# Takes --port N (other flags are ignored: one worker process, as the peer runs).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
conf="${NGINX_CONF:-$here/../shared/peers/nginx/nginx.conf}"
port=8085
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --threads) shift 2 ;;
    *) shift ;;
  esac
done
work="$(mktemp -d)"
mkdir -p "$work/logs"
sed "s/127.0.0.1:[0-9]*/127.0.0.1:$port/" "$conf" >"$work/nginx.conf"
exec nginx -p "$work/" -c "$work/nginx.conf" -g "pid $work/nginx.pid;"
