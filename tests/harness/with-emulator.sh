#!/usr/bin/env bash
# Runs a command with the Bedrock emulator up: starts it on an ephemeral 127.0.0.1 port, exports
# BEDROCK_EMULATOR_URL, and stops it by its PID when the command ends, however it ends.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
ctl=$root/emulator/ctl.sh
mkdir -p "$root/tests/.work"
state=$(mktemp -d "$root/tests/.work/emulator.XXXXXX")
stop() { "$ctl" stop "$state" >/dev/null 2>&1 || true; rm -rf "$state"; }
trap stop EXIT
trap 'exit 130' INT TERM
BEDROCK_EMULATOR_URL=$("$ctl" start "$state" | tail -n 1)
export BEDROCK_EMULATOR_URL
echo "emulator: $BEDROCK_EMULATOR_URL (pid $(cat "$state/emulator.pid"))"
"$@"
