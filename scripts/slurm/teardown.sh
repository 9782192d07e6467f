#!/usr/bin/env bash
# Stop what scripts/slurm/setup-single-node.sh started: cancel the test partition's jobs, then
# stop slurmd and slurmctld (by their pid files), and munged if setup started it.
# Safe to run when nothing is running. TWINEDGE_SLURM_KEEP_MUNGE=1 leaves munged up.
set -uo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
STATE="${TWINEDGE_SLURM_ROOT:-/var/spool/twinedge-slurm}"
log() { echo "[slurm-teardown] $*" >&2; }

running() {  # pid name: a live (not zombie) process of that name
  [ -r "/proc/$1/stat" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

stop_pid() {  # name pidfile
  local name="$1" f="$2" pid
  [ -s "$f" ] || return 0
  pid="$(cat "$f")"
  if ! running "$pid" "$name"; then rm -f "$f"; return 0; fi
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do running "$pid" "$name" || break; sleep 0.1; done
  if running "$pid" "$name"; then log "$name still up after 10 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$f"
}

if [ -s "$STATE/slurmctld.pid" ] && running "$(cat "$STATE/slurmctld.pid")" slurmctld; then
  scancel --partition=twinedge >/dev/null 2>&1 || true
  sleep 1
fi
stop_pid slurmd "$STATE/slurmd.pid"
stop_pid slurmctld "$STATE/slurmctld.pid"
if [ "${TWINEDGE_SLURM_KEEP_MUNGE:-0}" != 1 ] && [ -e "$STATE/munged-started" ]; then
  stop_pid munged /run/munge/munged.pid
  rm -f "$STATE/munged-started"
fi
exit 0
