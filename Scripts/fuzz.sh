#!/usr/bin/env bash
# Fuzzes every target in Sources/TrellisFuzzing with libFuzzer under AddressSanitizer, starting
# from the committed seeds in Fuzz/corpus/<target>/ (new inputs go to a scratch corpus, not the
# repository). A finding stops its target and leaves the input in .build-fuzz/findings/; replay
# it with `swift run trellis-fuzz <target> FILE`, fix the cause, and commit the input to
# Fuzz/corpus/<target>/ as its regression (the tests replay every committed input).
#   Scripts/fuzz.sh [SECONDS_PER_TARGET=300] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(framer route cookies json form gzip range serializer)
swift build -c release --product trellis-fuzz --sanitize=fuzzer --sanitize=address \
  -Xswiftc -DTRELLIS_FUZZING --scratch-path .build-fuzz 2>&1 | grep -v "ld.gold: warning" | tail -1
bin=.build-fuzz/release/trellis-fuzz
mkdir -p .build-fuzz/findings
total=0
status=0
for target in "${targets[@]}"; do
  work=.build-fuzz/corpus/$target
  mkdir -p "$work"
  log=.build-fuzz/$target.log
  if ! TRELLIS_FUZZ_TARGET=$target ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no "$bin" "$work" "Fuzz/corpus/$target" \
      -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix=".build-fuzz/findings/$target-" -print_final_stats=1 >"$log" 2>&1; then
    echo "FINDING in $target:"; grep -E "trellis-fuzz|ERROR|SUMMARY|Test unit written" "$log" | head -5
    status=1
  fi
  runs=$(grep -E "^stat::number_of_executed_units" "$log" | awk '{print $2}' | tail -1)
  runs=${runs:-0}
  total=$((total + runs))
  printf '%-11s %12s executions in %ss\n' "$target" "$runs" "$seconds"
done
printf '%-11s %12s executions\n' total "$total"
exit $status
