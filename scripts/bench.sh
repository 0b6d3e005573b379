#!/usr/bin/env bash
# Measures, on the machine at hand, the figures of docs/PERFORMANCE.md for the baseline scenario:
#   design-replications per second on 1 thread and on all threads, and the ratio;
#   CPU nanoseconds per design-replication (whole process, 1 thread) and of the engine alone;
#   ChaCha8 words computed per design-replication, the bare generator's time for as many, the ratio;
#   peak resident memory at 10^4 and at REPLICATIONS replications;
#   the plain-Python reference's rate (benches/reference.py) and the ratio.
# Each figure is printed with its target from issue 13. Wall-clock figures depend on what else
# runs on the machine: the load average is printed before and after; CPU times are steadier.
#
# Usage: bash scripts/bench.sh [REPLICATIONS [PYTHON_REPLICATIONS]]   (defaults 1000000 and 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
py_n=${2:-2000}
small=10000

if [[ ! -x /usr/bin/time ]]; then
  echo "bench.sh: /usr/bin/time is missing (Debian: apt-get install time)" >&2
  exit 2
fi
cargo build --release --quiet
bin=target/release/dialogue-wargame
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run LABEL ARGS...: one whole run; sets wall, cpu (user + sys) and rss (KiB).
run() {
  local label=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$bin" run "$@" --out "$tmp/out" --force -q \
    --checkpoint-every 3600 >/dev/null
  read -r wall user sys rss <"$tmp/time"
  cpu=$(echo "$user + $sys" | bc -l)
  printf '  %-34s %8.2f s wall %8.2f s CPU %8.1f MiB peak RSS\n' "$label" "$wall" "$cpu" \
    "$(echo "$rss / 1024" | bc -l)"
}

threads=$(nproc)
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $threads cores"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "baseline scenario, $n replications"

echo "engine alone (benches/draws.rs, one thread):"
cargo bench --quiet --bench draws -- 20000 2>/dev/null >"$tmp/draws"
val() { grep "^$1:" "$2" | cut -d: -f2 | tr -d ' '; }
designs=$(val designs "$tmp/draws")
dr=$((n * designs))

echo "whole runs (release binary):"
run "$n replications, 1 thread" -n "$n" --threads 1
wall1=$wall cpu1=$cpu
run "$n replications, $threads threads" -n "$n" --threads "$threads"
wallN=$wall rssN=$rss cpuN=$cpu
run "$small replications, $threads threads" -n "$small" --threads "$threads"
rss_small=$rss

echo "python reference (benches/reference.py, $py_n replications):"
python3 benches/reference.py "$py_n" >"$tmp/py"
py_us=$(val us_per_design_replication "$tmp/py")
echo "  $(val design_replications_per_second "$tmp/py") design-replications/s, $py_us us each (CPU)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

f() { printf "%.${2:-2}f" "$(echo "$1" | bc -l)"; }
rate1=$(echo "$dr / $wall1" | bc -l)
rateN=$(echo "$dr / $wallN" | bc -l)
ns=$(echo "$cpu1 * 1000000000 / $dr" | bc -l)
echo
printf '%-58s %16s %s\n' "figure" "measured" "target"
row() { printf '%-58s %16s %s\n' "$1" "$2" "$3"; }
row "design-replications/s, 1 thread" "$(f "$rate1" 0)" ""
row "design-replications/s, $threads threads" "$(f "$rateN" 0)" ""
row "speed-up, $threads threads over 1" "$(f "$rateN / $rate1")" ">= 1.85 (2 threads)"
row "  bound from CPU time: $threads x CPU(1 thread) / CPU($threads)" "$(f "$threads * $cpu1 / $cpuN")" "(a loaded machine)"
row "wall time, $n replications x $designs designs, $threads threads" "$(f "$wallN") s" "< 6 s (10^6, 2 cores)"
row "CPU ns per design-replication (whole run, 1 thread)" "$(f "$ns" 0)" "<= 1000"
row "CPU ns per design-replication (engine alone)" "$(val engine_ns_per_design_replication "$tmp/draws")" ""
row "ChaCha8 words computed per design-replication" "$(val words_per_design_replication "$tmp/draws")" ""
row "bare ChaCha8 ns per word" "$(val bare_ns_per_word "$tmp/draws")" ""
row "bare ChaCha8 ns for those words" "$(val bare_ns_per_design_replication "$tmp/draws")" ""
row "engine alone / bare ChaCha8" "$(val engine_over_bare "$tmp/draws")" "<= 4"
row "whole run / bare ChaCha8" "$(f "$ns / $(val bare_ns_per_design_replication "$tmp/draws")")" ""
row "peak RSS, $small replications" "$(f "$rss_small / 1024" 1) MiB" ""
row "peak RSS, $n replications" "$(f "$rssN / 1024" 1) MiB" "< 64 MiB"
row "peak RSS ratio" "$(f "$rssN / $rss_small")" "<= 1.2"
row "python reference, us per design-replication" "$py_us" ""
row "speed-up over the python reference (CPU, 1 thread)" "$(f "$py_us * 1000 / $ns" 0)" ">= 60"
