#!/usr/bin/env bash
# The instruction-count guard: GET / through the seed pipeline (TrellisExample --seed) under
# callgrind must not cost more than 10% over the figure committed in
# Benchmarks/results/instructions-per-request.txt. Instruction counts repeat to within 0.1% on a
# noisy machine, where timings spread ±20%: a 10% regression cannot hide in noise.
# After an intended change, re-measure (Benchmarks/Scripts/count-instructions.sh / 1000) and
# commit the new figure with the change that moved it.
#   Scripts/check-instructions.sh            (needs valgrind; ~40 s)
set -euo pipefail
cd "$(dirname "$0")/.."
figures=Benchmarks/results/instructions-per-request.txt
committed=$(awk '$1 == "trellis" && $2 == "/" && $3 == "-" {print $4}' "$figures")
[ -n "$committed" ] || { echo "no 'trellis / -' line in $figures" >&2; exit 1; }
measured=$(QUIET=1 Benchmarks/Scripts/count-instructions.sh / 1000)
limit=$(( committed * 110 / 100 ))
echo "GET / : $measured instructions per request (committed $committed, limit $limit)"
if [ "$measured" -gt "$limit" ]; then
  echo "FAIL: GET / costs $(( (measured - committed) * 100 / committed ))% more instructions than the committed figure." >&2
  echo "Find the cause (callgrind_annotate on a run of Benchmarks/Scripts/count-instructions.sh), or, if the cost is intended, commit the new figure in $figures." >&2
  exit 1
fi
if [ "$measured" -lt $(( committed * 90 / 100 )) ]; then
  echo "note: GET / is now more than 10% cheaper than the committed figure; commit the new one so the guard keeps its edge."
fi
