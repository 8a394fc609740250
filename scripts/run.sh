#!/usr/bin/env bash
# `make run`: imports the bundled CRM sample into a fresh database under var/ and prints the
# pipeline report for all of its opportunities.
#
# Usage: scripts/run.sh [BUILD_DIR]   (BUILD_DIR defaults to build)
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${1:-build}
binary=$build_dir/src/cli/salesradar
database=var/salesradar.db
# The sample's last close date; a later as-of date would mark every open deal as stale.
as_of=2017-12-31

if [[ ! -x $binary ]]; then
  echo "run: $binary not found; build it first with 'make build'" >&2
  exit 1
fi

mkdir -p var
rm -f "$database" "$database-wal" "$database-shm"

echo "== salesradar import: examples/data/crm-sales-opportunities -> $database"
scripts/import_sample.sh "$binary" "$database"

echo
echo "== salesradar report pipeline --as-of $as_of --by region"
"$binary" --database "$database" report pipeline --as-of "$as_of" --by region
