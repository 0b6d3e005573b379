#!/usr/bin/env bash
# Test examples/slurm/ for real on a one-node Slurm started here, from Debian's slurm-wlm and
# munge: a private munged, slurmctld and slurmd on localhost (temporary state, spool, logs,
# key and ports), then examples/slurm/submit.sh submits a job array of shards and the merge job
# that depends on it, for a run and then for a sweep (`sweep --shard K/N`, five points); the
# merged results must equal an unsharded run's, and an unsharded sweep's, byte for byte. The
# daemons are stopped (by their own pid files) and the temporary directory removed on exit.
#
# If slurmd or slurmctld cannot start here (containers often lack what they need), the script
# says why, then runs the same shard.sbatch and merge.sbatch with GNU parallel in place of
# Slurm and checks the same equality.
#
# Usage: tests/cluster/slurm-local.sh BINARY [REPLICATIONS [SHARDS]]
# Exit: 0 passed (a line "mode: slurm" or "mode: parallel-fallback: REASON" says which),
#       77 skipped (a program is missing; the reason on stderr), anything else failed.
set -euo pipefail
bin=$(realpath "${1:?usage: slurm-local.sh BINARY [REPLICATIONS [SHARDS]]}")
reps=${2:-3000}
shards=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
examples=$(cd "$here/../../examples/slurm" && pwd)

for p in munged slurmctld slurmd sbatch scontrol squeue sinfo; do
  if ! command -v "$p" >/dev/null; then
    echo "skip: $p not found (Debian: apt-get install slurm-wlm munge)" >&2
    exit 77
  fi
done

d=$(mktemp -d "${TMPDIR:-/tmp}/dw-slurm.XXXXXX")
chmod 700 "$d"
stop() {
  for pidfile in "$d/slurmd.pid" "$d/slurmctld.pid" "$d/munged.pid"; do
    if [[ -s $pidfile ]]; then
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
}
cleanup() {
  stop
  if [[ ${KEEP_SLURM_DIR:-} == 1 ]]; then echo "kept $d" >&2; else rm -rf "$d"; fi
}
trap cleanup EXIT

# Two free TCP ports on localhost for slurmctld and slurmd.
read -r port_ctld port_d < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
host=$(hostname -s)
user=$(id -un) # root on CI; slurmd runs jobs as this user either way
cpus=$(nproc)
mkdir -p "$d/state" "$d/spool" "$d/out"
dd if=/dev/urandom of="$d/munge.key" bs=1024 count=1 status=none
chmod 400 "$d/munge.key"
: >"$d/plugstack.conf"
cat >"$d/slurm.conf" <<CONF
ClusterName=dwtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port_ctld
SlurmdPort=$port_d
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$d/munge.sock
SlurmUser=$user
SlurmdUser=$user
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
PlugStackConfig=$d/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$d/slurm.conf

# The references: one unsharded run, and one unsharded sweep of a small experiment (five
# points: two assumptions at their low and high values around the baseline).
"$bin" run baseline -n "$reps" --seed 5 --threads 1 --out "$d/one" -q >/dev/null
cat >"$d/experiment.toml" <<TOML
description = "Two assumptions, low and high around the baseline"
scenario = "baseline"
replications = $((reps / 10 + 1))
seed = 5

[sampling]
method = "one-at-a-time"

[[parameter]]
key = "beijing.sensitivity"
low = 0.5
high = 2.0
base = 1.0

[[parameter]]
key = "crisis.warning_days.mode"
low = 5
high = 30
base = 14
TOML
"$bin" sweep "$d/experiment.toml" --threads 1 --out "$d/sweep-one" -q >/dev/null

# compare REFERENCE MERGED WHAT: every CSV of the unsharded REFERENCE equals the merged one.
compare() {
  local n=0
  for f in "$1"/*.csv; do
    cmp "$f" "$2/$(basename "$f")" || return 1
    n=$((n + 1))
  done
  [[ $n -ge 3 ]] || { echo "only $n CSV files compared" >&2; return 1; }
  echo "merged $3 shards ($shards) equal the unsharded $3 ($n CSV files, byte for byte)"
}

fallback() {
  echo "mode: parallel-fallback: $1"
  if ! command -v parallel >/dev/null; then
    echo "skip: GNU parallel not found for the fallback (apt-get install parallel)" >&2
    exit 77
  fi
  stop
  DW=$bin parallel --halt now,fail=1 -j "$cpus" \
    SLURM_ARRAY_TASK_ID={} SHARDS="$shards" bash "$examples/shard.sbatch" \
    run baseline "$d/out" -n "$reps" --seed 5 ::: $(seq "$shards")
  DW=$bin bash "$examples/merge.sbatch" "$d/out"
  compare "$d/one" "$d/out/merged" run
  DW=$bin parallel --halt now,fail=1 -j "$cpus" \
    SLURM_ARRAY_TASK_ID={} SHARDS="$shards" bash "$examples/shard.sbatch" \
    sweep "$d/experiment.toml" "$d/sweep" ::: $(seq "$shards")
  DW=$bin bash "$examples/merge.sbatch" "$d/sweep"
  compare "$d/sweep-one" "$d/sweep/merged" sweep
  exit 0
}

munged --socket="$d/munge.sock" --key-file="$d/munge.key" --pid-file="$d/munged.pid" \
  --log-file="$d/munged.log" --seed-file="$d/munge.seed" --force 2>"$d/munged.err" ||
  fallback "munged did not start: $(tail -q -n 3 "$d/munged.err" "$d/munged.log" 2>/dev/null | tr '\n' ' ')"
slurmctld -f "$d/slurm.conf" 2>"$d/slurmctld.err" ||
  fallback "slurmctld did not start: $(tail -q -n 3 "$d/slurmctld.err" "$d/slurmctld.log" 2>/dev/null | tr '\n' ' ')"
slurmd -f "$d/slurm.conf" 2>"$d/slurmd.err" ||
  fallback "slurmd did not start: $(tail -q -n 3 "$d/slurmd.err" "$d/slurmd.log" 2>/dev/null | tr '\n' ' ')"

# Wait for the node to be idle.
state=""
for _ in $(seq 100); do
  state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
  [[ $state == idle* ]] && break
  sleep 0.2
done
if [[ $state != idle* ]]; then
  why=$(grep -hiE 'error|fatal' "$d/slurmd.log" "$d/slurmctld.log" 2>/dev/null | tail -n 3 | tr '\n' ' ')
  fallback "node $host is '${state:-unknown}' after 20 s, not idle: $why"
fi
echo "mode: slurm (slurmctld on port $port_ctld, slurmd on $port_d, node $host idle)"

# submit OUT run|sweep NAME [ARGS...]: submit.sh's array and merge job; wait for the merge.
submit() {
  local out=$1 ids merge js=""
  shift
  ids=$(DW=$bin "$examples/submit.sh" "$1" "$2" "$shards" "$out" "${@:3}")
  echo "$ids"
  merge=$(sed -E 's/.*merge job ([0-9]+).*/\1/' <<<"$ids")
  for _ in $(seq 300); do
    js=$(scontrol show job "$merge" 2>/dev/null | grep -oE 'JobState=[A-Z_]+' | cut -d= -f2 || true)
    case $js in COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY) break ;; esac
    sleep 0.2
  done
  if [[ $js != COMPLETED ]]; then
    echo "merge job $merge ended as '${js:-unknown}'" >&2
    scontrol show job 2>/dev/null | grep -E 'JobId|JobState|Reason' >&2 || true
    tail -n 20 "$out"/logs/*.out "$d/slurmd.log" >&2 || true
    exit 1
  fi
}
submit "$d/out" run baseline -n "$reps" --seed 5
compare "$d/one" "$d/out/merged" run
submit "$d/sweep" sweep "$d/experiment.toml"
compare "$d/sweep-one" "$d/sweep/merged" sweep
