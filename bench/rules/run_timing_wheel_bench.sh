#!/usr/bin/env bash
# Builds and runs the timing-wheel benchmark. It prints the machine and the command with the
# figures, as docs/benchmarks.md records them. It needs about 2 GB of free memory and takes 2 to 7
# minutes, most of it filling the baseline's 10 million timers.
#
# Usage: bench/rules/run_timing_wheel_bench.sh [BUILD_DIR]   (default: build-bench)
set -euo pipefail
cd "$(dirname "$0")/../.."
build_dir="${1:-build-bench}"

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DSALESRADAR_MODULES="common;rules" >/dev/null
cmake --build "$build_dir" --target timing_wheel_bench >/dev/null

mkdir -p bench/out
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
echo "command: $build_dir/bench/rules/timing_wheel_bench"
"$build_dir/bench/rules/timing_wheel_bench" --benchmark_out=bench/out/timing_wheel.json \
  --benchmark_out_format=json
