#!/bin/sh
# Builds and runs the rules replay benchmark and its json-rules-engine peer on one core, and
# writes bench/out/replay_bench.json and bench/out/json_rules_engine.json.
# Usage: bench/rules/run_replay_bench.sh [EVENTS]   (default 1000000)
set -eu
cd "$(dirname "$0")/../.."
events="${1:-1000000}"
build=build-bench-rules
out=bench/out
mkdir -p "$out"

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSALESRADAR_BENCH=ON \
  -DSALESRADAR_MODULES="common;model;cel;calendar;rules" >/dev/null
cmake --build "$build" --target replay_bench

jsonl="$(mktemp /tmp/salesradar_replay_XXXXXX.jsonl)"
trap 'rm -f "$jsonl"' EXIT
taskset -c 0 "$build/bench/rules/replay_bench" --events "$events" --dump-jsonl "$jsonl" >"$out/replay_bench.json"
cat "$out/replay_bench.json"

(cd bench/rules/json-rules-engine && npm ci --no-audit --no-fund >/dev/null)
taskset -c 0 node bench/rules/json-rules-engine/condition_rules_bench.mjs "$jsonl" >"$out/json_rules_engine.json"
cat "$out/json_rules_engine.json"
