#!/usr/bin/env bash
# Fuzz the scenario loader for a bounded time (default 120 s). Not part of CI: run it by hand
# after changing src/scenario/. Installs cargo-fuzz if needed; works on the stable toolchain
# (RUSTC_BOOTSTRAP lets cargo-fuzz pass its sanitizer-coverage flags).
# Usage: bash tests/fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-120}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
corpus=tests/fuzz/corpus/scenario_loader
mkdir -p "$corpus"
# Seed the corpus with the shipped scenarios and the malformed-input corpus.
cp scenarios/*.toml "$corpus"/ 2>/dev/null || true
for f in tests/corpus/*.toml; do [[ -f $f ]] && cp "$f" "$corpus"/; done
RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir tests/fuzz -s none scenario_loader "$corpus" -- \
  -max_total_time="$seconds" -max_len=20000
