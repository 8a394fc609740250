#!/usr/bin/env bash
# Imports a folder laid out like the bundled CRM sample into a database, with the sample's
# mapping files: sales teams first, then accounts and products, then the pipeline rows that
# refer to them by name.
#
# Usage: scripts/import_sample.sh SALESRADAR_BINARY DATABASE [DATA_DIR]
#   DATA_DIR defaults to examples/data/crm-sales-opportunities and must contain
#   sales_teams.csv, accounts.csv, products.csv and sales_pipeline.csv.
# Stops at the first import that fails or rejects rows, with salesradar import's exit status.
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: scripts/import_sample.sh SALESRADAR_BINARY DATABASE [DATA_DIR]" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
binary=$1
database=$2
data_dir=${3:-$root/examples/data/crm-sales-opportunities}
mappings=$root/examples/mappings

for name in sales_teams accounts products sales_pipeline; do
  "$binary" --database "$database" import --mapping "$mappings/$name.yaml" "$data_dir/$name.csv"
done
