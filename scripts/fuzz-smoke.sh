#!/usr/bin/env bash
# Builds the CEL libFuzzer target with clang (address and undefined-behaviour sanitizers) and
# runs it for a short time from the seed corpus: `scripts/fuzz-smoke.sh [BUILD_DIR] [SECONDS]`.
# Prints a SKIPPED line and exits 0 when clang or libFuzzer is missing, so that machines
# without them still pass `make test`.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-$root/build}
seconds=${2:-25}
fuzz_build="$build_dir/cel-fuzz"

clang=$(command -v clang++ || command -v clang++-14 || true)
if [[ -z "$clang" ]]; then
  echo "SKIPPED: cel fuzz smoke run: clang++ is not installed (apt-get install clang)"
  exit 0
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }\n' > "$probe/p.cc"
if ! "$clang" -fsanitize=fuzzer "$probe/p.cc" -o "$probe/p" 2>/dev/null; then
  echo "SKIPPED: cel fuzz smoke run: clang cannot link libFuzzer (apt-get install libclang-rt-14-dev)"
  exit 0
fi

cmake -S "$root/tests/cel/fuzz" -B "$fuzz_build" -G Ninja -DCMAKE_CXX_COMPILER="$clang" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$fuzz_build.configure.log" 2>&1 \
  || { cat "$fuzz_build.configure.log"; exit 1; }
cmake --build "$fuzz_build" -j "$(nproc)"

# Inputs the fuzzer finds go to a scratch corpus; the seeds in the repository stay unchanged.
corpus="$fuzz_build/corpus"
mkdir -p "$corpus"
"$fuzz_build/cel_fuzz" "$corpus" "$root/tests/data/cel/fuzz-seeds" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=512 \
  -print_final_stats=1 -artifact_prefix="$fuzz_build/" 2>&1 | tail -n 20
echo "cel fuzz smoke run: no crash, hang or leak in ${seconds} s"
