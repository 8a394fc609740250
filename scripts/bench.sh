#!/usr/bin/env bash
# `make bench`: runs every benchmark that the build contains, one after another.
# The import benchmark uses 1,000,000 generated rows and takes a few minutes. The other
# benchmarks are run through their own scripts, which know their inputs and peers.
#
# Usage: scripts/bench.sh [BUILD_DIR]   (BUILD_DIR defaults to build)
# Environment: INGEST_BENCH_ROWS overrides the number of generated import rows.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${1:-build}
ran=0

if [[ -x $build_dir/bench/ingest/ingest_bench ]]; then
  echo "== import benchmark: bench/ingest"
  "$build_dir/bench/ingest/ingest_bench" --salesradar "$build_dir/src/cli/salesradar" \
    --mappings examples/mappings --rows "${INGEST_BENCH_ROWS:-1000000}" \
    --work-dir bench/out/ingest
  ran=$((ran + 1))
fi

if [[ -x $build_dir/bench/cel/cel_bench ]]; then
  echo
  echo "== CEL evaluation: bench/cel/run.sh (needs Node.js for the peer)"
  bench/cel/run.sh "$build_dir"
  ran=$((ran + 1))
fi

if [[ -x $build_dir/bench/rules/timing_wheel_bench ]]; then
  # The script builds its own Release copy of the benchmark in build-bench.
  echo
  echo "== timing wheel: bench/rules/run_timing_wheel_bench.sh"
  bench/rules/run_timing_wheel_bench.sh
  ran=$((ran + 1))
fi

if [[ $ran -eq 0 ]]; then
  echo "bench: no benchmark found in $build_dir/bench; configure with -DSALESRADAR_BENCH=ON" >&2
  exit 1
fi
