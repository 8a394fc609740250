#!/usr/bin/env bash
# Runs every test of an existing build: `scripts/test.sh BUILD_DIR`.
# Tests that need a missing component (PostgreSQL, Chromium, clang's libFuzzer) are labelled
# and skip themselves, saying so.
#
# The pg tests use the server in SALESRADAR_TEST_PG_URL when it is set. Otherwise, when
# PostgreSQL 15 is installed (scripts/setup.sh postgres), this script starts a throwaway
# cluster on a free loopback port for the run and stops it on exit.
set -euo pipefail
build_dir=${1:-build}
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ -z "${SALESRADAR_TEST_PG_URL:-}" && -x /usr/lib/postgresql/15/bin/initdb ]]; then
  # A state file of its own, so that runs in parallel do not stop each other's cluster.
  SALESRADAR_PG_TEST_STATE=$(mktemp /tmp/salesradar-pg-state.XXXXXX)
  export SALESRADAR_PG_TEST_STATE
  trap '"$script_dir/pg-test-server.sh" stop; rm -f "$SALESRADAR_PG_TEST_STATE"' EXIT
  if pg_url=$("$script_dir/pg-test-server.sh" start); then
    export SALESRADAR_TEST_PG_URL=$pg_url
    echo "test: PostgreSQL test server at $SALESRADAR_TEST_PG_URL"
  else
    echo "test: could not start a PostgreSQL test server; the pg tests will be skipped" >&2
  fi
fi

ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" --timeout 900
