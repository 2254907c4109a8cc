#!/usr/bin/env bash
# Type-checks the generated 8-middleware, 100-route pipeline (Tests/TrellisTests/LargePipeline.swift)
# against the built Trellis module and budgets the work the constraint solver does, read from the
# compiler's own counters (`-stats-output-dir`): `Sema.NumConstraintScopes` and `Sema.NumLeafScopes`
# are identical run to run and on any machine, unlike wall-clock time. A builder change that makes
# the solver explore more (the usual way a result builder gets slow) raises them. The wall-clock
# time of the slowest function body is printed for information only. Run after `swift build`.
set -euo pipefail
cd "$(dirname "$0")/.."
# Figures: 2,519 constraint scopes and 991 leaf scopes when the budget was set; 3,078 and 1,250
# since routes accept handlers that only throw (one more disfavoured overload, tried for closures
# whose result is not ResponseConvertible; 2,478 and 950 without it); 3,239 and 1,260 since the
# overloads that turn mistakes into errors naming their fix (an unavailable route initialiser for a
# non-response result, an unavailable dynamic member on `With`). About 5% margin over today.
max_scopes="${MAX_CONSTRAINT_SCOPES:-3400}"
max_leaves="${MAX_LEAF_SCOPES:-1400}"
modules="$(swift build --show-bin-path)/Modules"
stats=$(mktemp -d)
trap 'rm -rf "$stats"' EXIT
out=$(swiftc -typecheck -swift-version 6 -I "$modules" -I Sources/CZlib -I Sources/CTrellisThreadLocal/include \
  -stats-output-dir "$stats" \
  -Xfrontend -debug-time-function-bodies \
  Tests/TrellisTests/LargePipeline.swift 2>&1)
slowest=$(grep -E '^[0-9.]+ms' <<<"$out" | sort -rn | head -1 || true)
echo "slowest function body (information only, depends on the machine): ${slowest:-none}"
counter() { grep -h "\"$1\"" "$stats"/*.json | head -1 | tr -dc '0-9'; }
scopes=$(counter Sema.NumConstraintScopes)
leaves=$(counter Sema.NumLeafScopes)
if [ -z "$scopes" ] || [ -z "$leaves" ]; then
  echo "FAIL: the compiler wrote no Sema counters" >&2
  exit 1
fi
echo "Sema.NumConstraintScopes: $scopes (budget $max_scopes)"
echo "Sema.NumLeafScopes: $leaves (budget $max_leaves)"
if [ "$scopes" -gt "$max_scopes" ] || [ "$leaves" -gt "$max_leaves" ]; then
  echo "FAIL: the 100-route fixture makes the type checker do more work than budgeted" >&2
  exit 1
fi
echo "type-checking within budget"
