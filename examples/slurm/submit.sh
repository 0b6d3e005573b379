#!/usr/bin/env bash
# Submit a sharded run or sweep to Slurm: a job array with one shard per task, and a merge job
# that starts only when every task has succeeded (--dependency=afterok).
#
#   examples/slurm/submit.sh run SCENARIO SHARDS OUT [RUN ARGS...]
#   examples/slurm/submit.sh sweep EXPERIMENT SHARDS OUT [SWEEP ARGS...]
#
# e.g. examples/slurm/submit.sh run baseline 16 results/big -n 1000000 --seed 7
# The merged results land in OUT/merged, the logs in OUT/logs. Environment: DW (the binary,
# default dialogue-wargame on PATH; give a path the compute nodes can see), CPUS (threads per
# shard, default 1), SBATCH_ARGS (more sbatch options, e.g. "--partition=short --time=1:00:00").
# Prints the two job ids. docs/CLUSTER.md explains the choices.
set -euo pipefail
if [[ $# -lt 4 ]]; then
  sed -n '4,6p' "$0" | sed 's/^# *//' >&2
  exit 2
fi
kind=$1 name=$2 shards=$3 out=$4
shift 4
case $kind in run | sweep) ;; *)
  echo "submit.sh: the first argument is run or sweep, not '$kind'" >&2
  exit 2
  ;;
esac
if ! [[ $shards =~ ^[1-9][0-9]*$ ]]; then
  echo "submit.sh: SHARDS must be a positive whole number, not '$shards'" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
export DW=${DW:-dialogue-wargame} SHARDS=$shards
# shellcheck disable=SC2086 # SBATCH_ARGS holds several options
array=$(sbatch --parsable ${SBATCH_ARGS:-} --array="1-$shards" --cpus-per-task="${CPUS:-1}" \
  --job-name="dw-$kind" --output="$out/logs/shard-%a.out" \
  "$here/shard.sbatch" "$kind" "$name" "$out" "$@")
array=${array%%;*}
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_ARGS:-} --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --job-name=dw-merge --output="$out/logs/merge.out" "$here/merge.sbatch" "$out")
merge=${merge%%;*}
echo "array job $array ($shards shards), merge job $merge: results in $out/merged"
