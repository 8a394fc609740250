#!/usr/bin/env bash
# Runs the browser tests in web/tests/ against the given salesradar binary.
# Usage: tests/web/run_browser_tests.sh SALESRADAR_BINARY
# Exits 77 (CTest's skip code for this test) when something they need is missing, saying what
# and how to get it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
binary=${1:?usage: run_browser_tests.sh SALESRADAR_BINARY}
chromium=${SALESRADAR_CHROMIUM:-/usr/bin/chromium}

skip() {
  echo "browser tests skipped: $1" >&2
  exit 77
}

[[ -x $chromium ]] || skip "$chromium not found; install it with 'scripts/setup.sh browser'"
command -v node >/dev/null 2>&1 || skip "node not found; install it with 'scripts/setup.sh'"
[[ -d $root/web/node_modules/playwright-core ]] ||
  skip "web/node_modules/playwright-core not found; run 'npm ci' in web/ (make test does)"
[[ -f $root/web/dist/index.html ]] ||
  skip "web/dist/index.html not found; build the UI with 'npm run build' in web/ (make test does)"

exec node "$root/web/tests/run.mjs" --binary "$binary" --chromium "$chromium" --root "$root"
