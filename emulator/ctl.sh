#!/usr/bin/env bash
# Starts/stops the local Bedrock emulator in the background.
#   emulator/ctl.sh start STATE_DIR [server args…]   prints http://127.0.0.1:PORT
#   emulator/ctl.sh stop STATE_DIR
# STATE_DIR holds emulator.pid, emulator.port and emulator.log. NODE overrides the node binary.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
node_bin="${NODE:-node}"

die() { echo "ctl.sh: $*" >&2; exit 1; }

[[ $# -ge 2 ]] || die "usage: ctl.sh start|stop STATE_DIR [server args...]"
cmd="$1"
state="$2"
shift 2
pid_file="$state/emulator.pid"
port_file="$state/emulator.port"
log_file="$state/emulator.log"

# Alive and not a zombie (in containers, PID 1 may never reap an orphan that exited).
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [[ "$(ps -p "$1" -o stat= 2>/dev/null)" != Z* ]]
}

# True if the pid file names a live emulator (not some other process that reused the pid).
running_pid() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid="$(cat "$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  ps -p "$pid" -o args= 2>/dev/null | grep -q 'emulator/server.mjs' || return 1
  echo "$pid"
}

show_log() {
  echo "---- $log_file ----" >&2
  cat "$log_file" >&2 2>/dev/null || true
  echo "----" >&2
}

case "$cmd" in
  start)
    mkdir -p "$state"
    if pid="$(running_pid)" && [[ -s "$port_file" ]]; then
      echo "http://127.0.0.1:$(cat "$port_file")"
      exit 0
    fi
    rm -f "$pid_file" "$port_file"
    nohup "$node_bin" "$here/server.mjs" --port-file "$port_file" "$@" </dev/null >"$log_file" 2>&1 &
    pid=$!
    echo "$pid" >"$pid_file"
    for _ in $(seq 100); do
      [[ -s "$port_file" ]] && break
      if ! alive "$pid"; then
        rm -f "$pid_file"
        show_log
        die "emulator exited during startup"
      fi
      sleep 0.1
    done
    if [[ ! -s "$port_file" ]]; then
      kill "$pid" 2>/dev/null || true
      rm -f "$pid_file"
      show_log
      die "emulator did not write $port_file within 10 s"
    fi
    echo "http://127.0.0.1:$(cat "$port_file")"
    ;;
  stop)
    if pid="$(running_pid)"; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do
        alive "$pid" || break
        sleep 0.1
      done
      if alive "$pid"; then
        echo "ctl.sh: emulator $pid ignored SIGTERM for 5 s, killing" >&2
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
    rm -f "$pid_file" "$port_file"
    ;;
  *)
    die "unknown command '$cmd' (start|stop)"
    ;;
esac
