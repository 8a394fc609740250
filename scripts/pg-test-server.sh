#!/usr/bin/env bash
# Starts and stops a throwaway PostgreSQL 15 cluster for the pg tests.
#
#   scripts/pg-test-server.sh start   # prints the URL, e.g. postgresql://postgres@127.0.0.1:41234/salesradar_test
#   scripts/pg-test-server.sh url     # prints the URL of the running cluster
#   scripts/pg-test-server.sh stop    # stops it and deletes its directory
#
# The cluster lives in a new temporary directory, listens on 127.0.0.1 only, on a free port
# (never 5432), with its Unix socket inside that directory, and trusts every local login, so it
# is for tests only. fsync is off: a crash of the machine may corrupt it, which does not matter
# for a throwaway cluster. Run as root, the server runs as the `postgres` user (PostgreSQL
# refuses to run as root).
#
# Environment:
#   SALESRADAR_PG_TEST_STATE  file that records the running cluster (default: one per user in
#                             /tmp); give each concurrent run its own file
#   PG_BIN                    PostgreSQL's bin directory (default /usr/lib/postgresql/15/bin)
set -euo pipefail

pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
state_file=${SALESRADAR_PG_TEST_STATE:-/tmp/salesradar-pg-test-$(id -u).state}
database=salesradar_test

die() {
  echo "pg-test-server: $*" >&2
  exit 1
}

# Runs a command as the user that owns the cluster.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Prints a TCP port between 20000 and 59999 on which nothing listens on 127.0.0.1.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "found no free port on 127.0.0.1 after 50 tries"
}

start() {
  [[ -x "$pg_bin/initdb" ]] || die "$pg_bin/initdb not found; install PostgreSQL 15 with: scripts/setup.sh postgres"
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    die "no 'postgres' user to run the server as; install the postgresql package"
  fi
  if [[ -s "$state_file" ]]; then
    die "a cluster is already recorded in $state_file; run '$0 stop' first"
  fi

  local dir
  dir=$(mktemp -d /tmp/salesradar-pg.XXXXXX)
  mkdir -p "$dir/socket"
  if [[ $(id -u) -eq 0 ]]; then
    chown -R postgres:postgres "$dir"
  fi

  as_owner "$pg_bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; die "initdb failed"; }

  # A port taken between free_port and the server's bind makes pg_ctl fail; try a few ports.
  local port started=0
  for _ in 1 2 3; do
    port=$(free_port)
    if as_owner "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        >/dev/null; then
      started=1
      break
    fi
  done
  if [[ $started -ne 1 ]]; then
    cat "$dir/server.log" >&2 || true
    rm -rf "$dir"
    die "pg_ctl could not start the server"
  fi

  as_owner "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$database"
  printf '%s\n%s\n' "$dir" "postgresql://postgres@127.0.0.1:$port/$database" >"$state_file"
  sed -n 2p "$state_file"
}

stop() {
  [[ -s "$state_file" ]] || { echo "pg-test-server: no cluster recorded in $state_file" >&2; return 0; }
  local dir
  dir=$(sed -n 1p "$state_file")
  if [[ -d "$dir/data" ]]; then
    as_owner "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
  case "$dir" in
    /tmp/salesradar-pg.*) rm -rf "$dir" ;;
    *) die "will not delete '$dir': this script did not create it" ;;
  esac
  rm -f "$state_file"
}

url() {
  [[ -s "$state_file" ]] || die "no cluster recorded in $state_file; run '$0 start'"
  sed -n 2p "$state_file"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
