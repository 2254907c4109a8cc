#!/usr/bin/env bash
# The instruction-count guard: GET / through the seed pipeline (TrellisExample --seed) under
# callgrind must not cost more than 10% over the figure committed in
# Benchmarks/results/instructions-per-request.txt. Instruction counts repeat to within 0.1% on a
# noisy machine, where timings spread ±20%: a 10% regression cannot hide in noise.
# After an intended change, re-measure (Benchmarks/Scripts/count-instructions.sh / 1000) and
# commit the new figure with the change that moved it.
# It also holds the allocation figures (valgrind's dhat, exact): GET / allocates nothing per request
# in steady state, nor /items/42?q=x (the JSON writer keeps its keyed containers, and its bytes reuse
# the last response's storage); and
# the runtime's executor checks: three per GET /.
#   Scripts/check-instructions.sh            (needs valgrind; ~90 s)
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

# Allocations per request: fixed limits (what the design reaches), not a committed measurement.
# Work done per second rather than per request allocates a little (the Date line is formatted once
# a second; under valgrind the longer run spans more seconds): 0.05 per request is allowed for it,
# far below one allocation per request.
check_allocations() { # route limit
  local measured
  measured=$(QUIET=1 COUNT=allocations Benchmarks/Scripts/count-instructions.sh "$1" 1000)
  echo "GET $1 : $measured allocations per request (limit $2, plus 0.05 for per-second work)"
  if python3 -c "import sys; sys.exit(0 if $measured > $2 + 0.05 else 1)"; then
    echo "FAIL: GET $1 allocates $measured times per request, more than $2. Find the site with valgrind --tool=dhat on TrellisExample --seed." >&2
    exit 1
  fi
}
check_allocations / 0
check_allocations '/items/42?q=x' 0

# Executor checks per request (calls of swift_task_switch, exact): about sixty instructions each
# on a connection task (TaskRouting), a few hundred on a task that prefers its executor. GET / makes three: when its wait for
# readiness resumes, after the route's handler closure, after the route's converting closure. One
# more means a layer of the pipeline stopped being inlined, or a path that answers without calling
# on stopped confirming the executor (Documentation/Server.md, "Where checks come from").
checks=$(QUIET=1 COUNT=executor-checks Benchmarks/Scripts/count-instructions.sh / 1000)
echo "GET / : $checks executor checks per request (limit 3)"
if python3 -c "import sys; sys.exit(0 if $checks > 3.05 else 1)"; then
  echo "FAIL: GET / makes $checks executor checks per request, more than 3. Find the new swift_task_switch caller with callgrind_annotate --tree=caller." >&2
  exit 1
fi
