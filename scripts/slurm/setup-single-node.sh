#!/usr/bin/env bash
# Start a real single-node Slurm cluster on this machine, for tests and CI.
#
#   bash scripts/slurm/setup-single-node.sh     # as root; safe to rerun
#   bash scripts/slurm/teardown.sh              # stops the daemons again
#
# It installs Debian's slurmctld, slurmd, slurm-client and munge if they are missing, makes a
# munge key if there is none, writes /etc/slurm/slurm.conf for one node (this host, all its
# CPUs, cores consumable so that several array tasks run at once, no cgroups, no accounting),
# starts munged, slurmctld and slurmd as plain daemons (no systemd), resumes the node if an
# earlier run left it DOWN or DRAINED, and waits until `sinfo` shows it ready. On a time-out it
# prints the daemons' logs and exits non-zero.
#
# Environment:
#   TWINEDGE_SLURM_WAIT_S   how long to wait for the node (default 60)
#   TWINEDGE_SLURM_NODE     the node name (default: `hostname -s`, else localhost)
#   TWINEDGE_SLURM_ROOT     state, spool and pid folder (default /var/spool/twinedge-slurm)
set -euo pipefail

WAIT_S="${TWINEDGE_SLURM_WAIT_S:-60}"
STATE="${TWINEDGE_SLURM_ROOT:-/var/spool/twinedge-slurm}"
LOGDIR="$STATE/log"
CONF_DIR=/etc/slurm
CONF="$CONF_DIR/slurm.conf"
PARTITION=twinedge
MARK="# Written by twinedge scripts/slurm/setup-single-node.sh"

log() { echo "[slurm-setup] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (it installs packages and starts daemons)"

node_name() {
  local n="${TWINEDGE_SLURM_NODE:-}"
  [ -n "$n" ] || n="$(hostname -s 2>/dev/null || true)"
  [ -n "$n" ] || n=localhost
  echo "$n"
}
NODE="$(node_name)"

# --- 1. packages ---------------------------------------------------------------------------
need=()
for pair in slurmctld:slurmctld slurmd:slurmd sbatch:slurm-client munged:munge; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
export PATH="$PATH:/usr/sbin:/sbin"
if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]} (apt)"
  t0=$(date +%s)
  # Keep the packages' maintainer scripts from starting daemons with their own config.
  policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && policy_added=1
  fi
  trap '[ "$policy_added" = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
  export DEBIAN_FRONTEND=noninteractive
  for try in 1 2 3; do
    if apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; then break; fi
    [ "$try" = 3 ] && die "apt-get install ${need[*]} failed"
    log "apt failed (try $try), retrying"; sleep 5
  done
  [ "$policy_added" = 1 ] && rm -f /usr/sbin/policy-rc.d
  policy_added=0
  log "installed in $(( $(date +%s) - t0 )) s"
fi
for b in slurmctld slurmd sbatch sinfo scontrol munged munge unmunge; do
  command -v "$b" >/dev/null || die "$b not found after install"
done

# --- 2. munge ------------------------------------------------------------------------------
install -d -m 0755 "$STATE" "$STATE/ctld" "$STATE/d" "$LOGDIR" "$CONF_DIR"
getent passwd munge >/dev/null || die "user munge missing (the munge package makes it)"
install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
install -d -o munge -g munge -m 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  log "creating /etc/munge/munge.key"
  if command -v mungekey >/dev/null; then
    mungekey --create --keyfile=/etc/munge/munge.key --force
  else
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
  fi
fi
chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key

munge_ok() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }
if munge_ok; then
  log "munged already running"
else
  log "starting munged"
  rm -f /run/munge/munged.pid
  # munged daemonizes itself; it runs as the munge user, as the package intends.
  runuser -u munge -- munged --force
  : > "$STATE/munged-started"   # so that teardown.sh stops only a munged that we started
  for _ in $(seq 1 50); do munge_ok && break; sleep 0.2; done
  munge_ok || { tail -n 50 /var/log/munge/munged.log >&2 || true; die "munged does not answer"; }
fi

# --- 3. slurm.conf -------------------------------------------------------------------------
# The node's hardware as slurmd sees it, so that it registers without a DRAIN for a mismatch.
hw="$(slurmd -C 2>/dev/null | head -n 1 || true)"
cpus="$(sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' <<<"$hw")"; cpus="${cpus:-$(nproc)}"
topo="$(grep -o 'Boards=[0-9]* SocketsPerBoard=[0-9]* CoresPerSocket=[0-9]* ThreadsPerCore=[0-9]*' <<<"$hw" || true)"
mem="$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$hw")"
[ -n "$mem" ] || mem=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 ))
mem=$(( mem * 95 / 100 ))   # a little under the total: memory is not consumable here anyway

new_conf="$(cat <<CONF
$MARK; rerunning it rewrites this file.
# A single-node cluster for tests: no cgroups, no accounting, cores consumable.
ClusterName=twinedge
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/d
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$LOGDIR/slurmctld.log
SlurmdLogFile=$LOGDIR/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
MinJobAge=300
KillWait=10
Waittime=0
NodeName=$NODE NodeAddr=127.0.0.1 NodeHostname=$NODE CPUs=$cpus ${topo} RealMemory=$mem State=UNKNOWN
PartitionName=$PARTITION Nodes=$NODE Default=YES MaxTime=INFINITE OverSubscribe=NO State=UP
CONF
)"

conf_changed=0
if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$new_conf" ]; then
  if [ -f "$CONF" ] && ! grep -qF "$MARK" "$CONF" && [ ! -e "$CONF.twinedge-backup" ]; then
    log "keeping the existing $CONF as $CONF.twinedge-backup"
    cp -p "$CONF" "$CONF.twinedge-backup"
  fi
  printf '%s\n' "$new_conf" > "$CONF.tmp" && mv -f "$CONF.tmp" "$CONF"
  conf_changed=1
  log "wrote $CONF (node $NODE, CPUs=$cpus ${topo:+$topo }RealMemory=$mem)"
fi

dump_logs() {
  {
    echo "===== sinfo -N -l / sinfo -R"; sinfo -N -l 2>&1 || true; sinfo -R 2>&1 || true
    echo "===== scontrol show node $NODE"; scontrol show node "$NODE" 2>&1 || true
    echo "===== $CONF"; cat "$CONF" 2>&1 || true
    for f in "$LOGDIR/slurmctld.log" "$LOGDIR/slurmd.log" /var/log/munge/munged.log; do
      echo "===== tail -n 80 $f"; tail -n 80 "$f" 2>&1 || true
    done
  } >&2
}

# --- 4. daemons ----------------------------------------------------------------------------
# Running: the pid file names a live (not zombie) process of that name.
alive() {
  local f="$STATE/$1.pid" pid
  [ -s "$f" ] || return 1
  pid="$(cat "$f")"
  [ -r "/proc/$pid/stat" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ] && [ "$(awk '{print $3}' "/proc/$pid/stat")" != Z ]
}

if [ "$conf_changed" = 1 ] && { alive slurmctld || alive slurmd; }; then
  log "configuration changed: restarting the Slurm daemons"
  TWINEDGE_SLURM_KEEP_MUNGE=1 bash "$(dirname "$0")/teardown.sh"
fi
if alive slurmctld; then
  log "slurmctld already running (pid $(cat "$STATE/slurmctld.pid"))"
else
  log "starting slurmctld"
  # -i: ignore a state file it cannot read (from another Slurm version)
  slurmctld -i || { dump_logs; die "slurmctld did not start"; }
fi
if alive slurmd; then
  log "slurmd already running (pid $(cat "$STATE/slurmd.pid"))"
else
  log "starting slurmd"
  slurmd -N "$NODE" || { dump_logs; die "slurmd did not start"; }
fi

# --- 5. wait for the node ------------------------------------------------------------------
deadline=$(( $(date +%s) + WAIT_S ))
last_resume=0
state=""
while :; do
  state="$(sinfo -h -N -n "$NODE" -o '%T' 2>/dev/null | head -n 1 || true)"
  case "$state" in
    idle|mixed|allocated|completing) break ;;
  esac
  now=$(date +%s)
  # DRAIN/DOWN left from an earlier run (not merely "not responding yet", marked by '*').
  if [[ "$state" =~ drain|down|fail ]] && [[ "$state" != *'*' ]] && (( now - last_resume >= 5 )); then
    log "node $NODE is $state: resuming it"
    scontrol update nodename="$NODE" state=resume 2>&1 | sed 's/^/[slurm-setup] scontrol: /' >&2 || true
    last_resume=$now
  fi
  if (( now >= deadline )); then
    log "node $NODE not ready after ${WAIT_S} s (state: '${state:-none}')"
    dump_logs
    exit 1
  fi
  sleep 1
done
log "node $NODE is $state; partition $PARTITION is up ($(sinfo -h -p "$PARTITION" -o '%D node, %C CPUs (A/I/O/T)'))"
