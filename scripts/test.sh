#!/usr/bin/env bash
# Runs every test of an existing build: `scripts/test.sh BUILD_DIR`.
# Tests that need a missing component (PostgreSQL, Chromium, clang's libFuzzer) are labelled
# and skip themselves, saying so.
set -euo pipefail
build_dir=${1:-build}

ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" --timeout 900
