#!/usr/bin/env bash
# Prints the throughput and peak memory of whole runs of the release binary on the baseline:
# 10^5 and 10^6 replications, on 1 thread and on all cores, with and without per-replication rows.
# Usage: bash benches/throughput.sh [REPLICATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/dialogue-wargame
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=${1:-1000000}
measure() {
  local label=$1; shift
  local start end secs rss
  start=$(date +%s.%N)
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f '%M' -o "$tmp/rss" "$bin" "$@" -q >/dev/null
    rss=$(( $(cat "$tmp/rss") / 1024 ))
  else
    "$bin" "$@" -q >/dev/null
    rss="?"
  fi
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc -l)
  printf '%-44s %8.2f s  %12.0f replications/s  peak RSS %s MiB\n' "$label" "$secs" \
    "$(echo "$3 / $secs" | bc -l)" "$rss"
}
echo "baseline scenario, 8 designs, $(nproc) cores"
measure "100000 replications, 1 thread" run -n 100000 --threads 1 --out "$tmp/a"
measure "100000 replications, all cores" run -n 100000 --out "$tmp/b"
measure "$n replications, all cores" run -n "$n" --out "$tmp/c"
measure "$n replications, all cores, --per-replication" run -n "$n" --out "$tmp/d" --per-replication
ls -l "$tmp/d/replications.csv" | awk '{printf "replications.csv: %.0f MiB\n", $5/1048576}'
