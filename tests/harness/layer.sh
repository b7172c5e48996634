#!/usr/bin/env bash
# Runs one test layer: prints a section header, tees the output to tests/.work/logs/, and appends
# "<layer> <counts> <seconds>" to tests/.work/summary.txt for the closing summary. Exits with the
# layer's status. Counts come from cargo/wasm-bindgen-test "test result:" lines and from the
# "N passed, N failed" lines our runners print.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
name=$1
shift
mkdir -p "$root/tests/.work/logs"
log=$root/tests/.work/logs/$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '-').log

printf '\n==== %s ====\n' "$name"
started=$(date +%s%N)
"$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
seconds=$(( ($(date +%s%N) - started) / 100000000 ))
seconds="$((seconds / 10)).$((seconds % 10))"

counts=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
  /^test result: (ok|FAILED)\. [0-9]+ passed; [0-9]+ failed/ { p += $4; f += $6; n = 1 }
  /^(ℹ |# )?[a-z]*:? ?[0-9]+ passed, [0-9]+ failed/ { for (i = 1; i < NF; i++) if ($(i+1) ~ /^passed,?$/) { p += $i; f += $(i+2) }; n = 1 }
  END { if (n) printf "%d passed, %d failed", p, f }')
[ -n "$counts" ] || counts=$([ "$status" -eq 0 ] && echo "ok" || echo "FAILED")
[ "$status" -eq 0 ] || counts="$counts (exit $status)"
printf '%-30s %-32s %6ss\n' "$name" "$counts" "$seconds" >> "$root/tests/.work/summary.txt"
exit "$status"
