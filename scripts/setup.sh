#!/usr/bin/env bash
# Installs the Debian packages that SalesRadar needs and are missing, and only those.
# Running it again when everything is present installs nothing and prints that.
#
# Usage: scripts/setup.sh [core|test|browser|postgres ...]
#   core      compilers, build tools and the C++ libraries (always included)
#   test      extra tools for `make test` (clang for the fuzz smoke run)
#   browser   Chromium and CJK fonts for the browser tests
#   postgres  the PostgreSQL server for the PostgreSQL tests
set -euo pipefail

core_packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates tzdata
  libsqlite3-dev sqlite3 libpq-dev
  libyaml-cpp-dev
  libspdlog-dev libfmt-dev
  nlohmann-json3-dev
  libcli11-dev
  libicu-dev
  libuchardet-dev
  libre2-dev
  libcctz-dev
  libgtest-dev libgmock-dev
  libbenchmark-dev
  libboost-dev libboost-system-dev
  libtomlplusplus-dev libsodium-dev
  libzip-dev libexpat1-dev
  libcurl4-openssl-dev
  libgoogle-perftools-dev
)
test_packages=(clang libclang-rt-14-dev)
browser_packages=(chromium chromium-driver fonts-noto-cjk)
postgres_packages=(postgresql postgresql-contrib)

wanted=("${core_packages[@]}")
for group in "$@"; do
  case "$group" in
    core) ;;
    test) wanted+=("${test_packages[@]}") ;;
    browser) wanted+=("${browser_packages[@]}") ;;
    postgres) wanted+=("${postgres_packages[@]}") ;;
    *) echo "setup: unknown package group '$group' (expected core, test, browser or postgres)" >&2; exit 2 ;;
  esac
done

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$package")
  fi
done

# Node.js may come from another source that bundles npm (nodesource's nodejs conflicts with
# Debian's npm package), so check for the commands rather than for Debian's packages.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all ${#wanted[@]} required Debian packages are installed"
  exit 0
fi

echo "setup: installing ${#missing[@]} missing Debian packages: ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  sudo_cmd=(sudo)
fi

# The package lists may be absent on a fresh machine; refresh them once.
if [[ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ]] \
   || ! apt-cache policy "${missing[0]}" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  "${sudo_cmd[@]}" apt-get update -qq
fi
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
