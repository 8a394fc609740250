#!/usr/bin/env bash
# `make bench`: runs every benchmark that the build contains, one after another, and prints
# their results. The import benchmark uses 1,000,000 generated rows and takes a few minutes.
#
# Usage: scripts/bench.sh [BUILD_DIR]   (BUILD_DIR defaults to build)
# Environment: INGEST_BENCH_ROWS overrides the number of generated rows.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${1:-build}
ran=0

if [[ -x $build_dir/bench/ingest/ingest_bench ]]; then
  echo "== import benchmark (bench/ingest)"
  "$build_dir/bench/ingest/ingest_bench" --salesradar "$build_dir/src/cli/salesradar" \
    --mappings examples/mappings --rows "${INGEST_BENCH_ROWS:-1000000}" \
    --work-dir bench/out/ingest
  ran=$((ran + 1))
fi

# Google Benchmark binaries of the other modules: every executable named *_benchmark under
# bench/ in the build.
while IFS= read -r benchmark; do
  echo
  echo "== ${benchmark#"$build_dir"/}"
  "$benchmark"
  ran=$((ran + 1))
done < <(find "$build_dir/bench" -type f -perm -u+x -name '*_benchmark' 2>/dev/null | sort)

if [[ $ran -eq 0 ]]; then
  echo "bench: no benchmark found in $build_dir/bench; configure with -DSALESRADAR_BENCH=ON" >&2
  exit 1
fi
