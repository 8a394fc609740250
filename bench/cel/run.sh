#!/usr/bin/env bash
# Runs the CEL rule benchmark on SalesRadar's evaluator and on @marcbachmann/cel-js, one after
# the other on the same rules and data, and prints CPU time per evaluation side by side.
# Usage: bench/cel/run.sh [BUILD_DIR] [SECONDS_PER_RULE]
# Needs a build with the cel module (cel_bench) and Node.js; runs `npm ci` when node_modules
# is missing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build_dir=${1:-$here/../../build}
seconds=${2:-1}
bench="$build_dir/bench/cel/cel_bench"
[[ -x "$bench" ]] || { echo "missing $bench: build first (cmake --build $build_dir)"; exit 1; }
command -v node > /dev/null || { echo "Node.js is not installed (apt-get install nodejs npm)"; exit 1; }
[[ -d "$here/node_modules/@marcbachmann/cel-js" ]] || (cd "$here" && npm ci --no-audit --no-fund)

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bench" "$here/rules.json" --benchmark_min_time="$seconds" --benchmark_format=json \
  > "$out/cpp.json" 2> "$out/cpp.results"
node "$here/celjs_bench.mjs" "$here/rules.json" "$seconds" > "$out/js.json"

node - "$out/cpp.json" "$out/cpp.results" "$out/js.json" <<'JS'
const fs = require('fs')
const [cppPath, cppResultsPath, jsPath] = process.argv.slice(2)
const cpp = JSON.parse(fs.readFileSync(cppPath, 'utf8'))
const js = JSON.parse(fs.readFileSync(jsPath, 'utf8'))
const cppResults = Object.fromEntries(fs.readFileSync(cppResultsPath, 'utf8').split('\n')
  .filter(line => line.startsWith('result ')).map(line => {
    const [name, value] = line.slice(7).split(' = ')
    return [name, value]
  }))
const pad = (text, width) => String(text).padEnd(width)
const lpad = (text, width) => String(text).padStart(width)
console.log(`machine: ${cpp.context.num_cpus} CPUs at ${cpp.context.mhz_per_cpu} MHz; node ${js.node}`)
console.log(`${pad('rule', 38)} ${lpad('C++ ns', 9)} ${lpad('cel-js ns', 10)} ${lpad('ratio', 7)}  results`)
let product = 1
const ratios = []
for (const rule of js.rules) {
  const run = cpp.benchmarks.find(b => b.name === rule.name)
  const ratio = rule.cpu_ns_per_eval / run.cpu_time
  product *= ratio
  ratios.push(ratio)
  const same = String(cppResults[rule.name]).replace(/"/g, '') === String(rule.result) ? 'same' : `DIFFER: ${cppResults[rule.name]} vs ${rule.result}`
  console.log(`${pad(rule.name, 38)} ${lpad(run.cpu_time.toFixed(0), 9)} ${lpad(rule.cpu_ns_per_eval.toFixed(0), 10)} ${lpad(ratio.toFixed(1) + 'x', 7)}  ${same}`)
}
ratios.sort((a, b) => a - b)
const median = (ratios[(ratios.length - 1) >> 1] + ratios[ratios.length >> 1]) / 2
console.log(`ratio: geometric mean ${Math.pow(product, 1 / js.rules.length).toFixed(1)}x, median ${median.toFixed(1)}x, ` +
            `min ${ratios[0].toFixed(1)}x, max ${ratios[ratios.length - 1].toFixed(1)}x`)
JS
