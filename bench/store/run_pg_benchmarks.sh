#!/usr/bin/env bash
# Runs the PostgreSQL benchmarks against a throwaway server: import rows/s with COPY against
# pipelined INSERT (store_pg_import_bench), and HTTP intake events/s on SQLite, PostgreSQL with
# one node and PostgreSQL with two nodes in one run (intake_pg_bench). Figures go to stdout as
# Markdown tables for docs/benchmarks.md.
#
# Usage: bench/store/run_pg_benchmarks.sh [BUILD_DIR]   (BUILD_DIR defaults to build; configure it
#        with -DSALESRADAR_BENCH=ON and build store_pg_import_bench and intake_pg_bench)
# Environment:
#   SALESRADAR_TEST_PG_URL   use this server instead of starting one with scripts/pg-test-server.sh
#   IMPORT_ROWS (50000), INTAKE_EVENTS (5000), INTAKE_THREADS (4)
# NOTE: the throwaway server runs with fsync off, so commits cost less than on a production
# server. Compare the rows of one run with each other, not with another machine.
set -euo pipefail
cd "$(dirname "$0")/../.."

build_dir=${1:-build}
started_server=0
if [[ -z ${SALESRADAR_TEST_PG_URL:-} ]]; then
  SALESRADAR_TEST_PG_URL=$(scripts/pg-test-server.sh start)
  started_server=1
  trap 'scripts/pg-test-server.sh stop >/dev/null' EXIT
fi

echo "== $(date -u +%FT%TZ), $(nproc) cores, $(postgres --version 2>/dev/null || /usr/lib/postgresql/15/bin/postgres --version)"
echo
echo "== import: $build_dir/bench/store/store_pg_import_bench"
"$build_dir/bench/store/store_pg_import_bench" --url "$SALESRADAR_TEST_PG_URL" \
  --rows "${IMPORT_ROWS:-50000}"
echo
echo "== intake: $build_dir/bench/api/intake_pg_bench"
"$build_dir/bench/api/intake_pg_bench" --pg-url "$SALESRADAR_TEST_PG_URL" \
  --events "${INTAKE_EVENTS:-5000}" --threads "${INTAKE_THREADS:-4}"

if [[ $started_server -eq 1 ]]; then
  echo
  echo "(the server was started for this run and is stopped now)"
fi
