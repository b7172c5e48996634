#!/usr/bin/env bash
# Prints the per-layer summary that layer.sh collected, and the grand total as the closing line.
set -euo pipefail
summary=$(cd "$(dirname "$0")/.." && pwd)/.work/summary.txt
[ -f "$summary" ] || exit 0
printf '\n==== summary ====\n'
cat "$summary"
# A layer without counts (fmt, clippy, tsc, size) that failed counts as one failure.
awk '{ counted = 0; for (i = 1; i < NF; i++) if ($(i+1) == "passed,") { p += $i; f += $(i+2); counted = 1 } }
     !counted && /FAILED/ { f += 1 }
     END { printf "total: %d passed, %d failed\n", p, f }' "$summary"
