#!/usr/bin/env bash
# `make run`: imports the bundled CRM sample into a fresh database under var/, prints the
# pipeline report for all of its opportunities, publishes the default rule pack, creates a demo
# administrator with a random password, and runs `salesradar serve` on http://127.0.0.1:8080
# until Ctrl-C.
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

echo
echo "== salesradar rules publish examples/rules/b2b-default.yaml"
"$binary" --database "$database" rules publish examples/rules/b2b-default.yaml \
  --calendar-dir examples/calendars --by make-run

# The bundled loan-application event log gives the demo alerts to look at: its first 50,000 rows
# become leads and events, and the server replays them through the bpi2012 pack when it starts.
bpi_rows=50000
bpi_file=var/bpi2012_events.csv
echo
echo "== salesradar events import: the first $bpi_rows rows of examples/data/bpi2012-loan-events"
# awk reads to the end, so gzip never dies of a closed pipe (which pipefail would report).
gzip -dc examples/data/bpi2012-loan-events/bpi2012_events.csv.gz |
  awk -v rows=$((bpi_rows + 1)) 'NR <= rows' > "$bpi_file"
"$binary" --database "$database" import --mapping examples/mappings/bpi2012/leads.yaml "$bpi_file" >/dev/null
"$binary" --database "$database" events import --mapping examples/mappings/bpi2012/events.yaml "$bpi_file"
"$binary" --database "$database" rules publish examples/rules/bpi2012.yaml \
  --calendar-dir examples/calendars --by make-run

# The demo administrator gets a fresh random password on every run: 24 characters from
# /dev/urandom, shown once below. The imported sales agents and managers have no sign-in.
admin_password=$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
admin_password=${admin_password:0:24}
echo
echo "== salesradar admin create --login admin"
printf '%s\n' "$admin_password" |
  "$binary" --database "$database" admin create --login admin --name "演示管理员 Demo admin" \
    --password-stdin >/dev/null

listen=127.0.0.1:8080
serve_args=(--data-dir var --database "$database" --listen "$listen")
if [[ -d web/dist ]]; then
  serve_args+=(--web-root web/dist)
fi

box_line() { printf '  | %-58s |\n' "$1"; }
echo
echo "  +------------------------------------------------------------+"
box_line "SalesRadar is starting"
box_line ""
box_line "URL       http://$listen"
box_line "login     admin"
box_line "password  $admin_password"
box_line ""
box_line "The password is shown only now. Stop with Ctrl-C."
echo "  +------------------------------------------------------------+"
echo
exec "$binary" serve "${serve_args[@]}"
