// Writes the dashboard load time measured by the browser tests into docs/benchmarks.md, between
// two marker comments, so that each run replaces the figure of the run before.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'

const START = '<!-- browser-dashboard:start -->'
const END = '<!-- browser-dashboard:end -->'

function chromiumVersion(executable) {
  try {
    return execFileSync(executable, ['--version'], { encoding: 'utf8' }).trim()
  } catch {
    return executable
  }
}

export function recordDashboardTiming(root, { milliseconds, chromium }) {
  const file = join(root, 'docs', 'benchmarks.md')
  const cpu = cpus()
  const section = [
    START,
    '## Web UI: dashboard load',
    '',
    'The browser tests (`web/tests/run.mjs`, run by `make test` as the CTest test `web_browser_test`)',
    'open `/dashboard` as the admin in a fresh page at 1440×900 and time it from navigation start',
    '(`performance.timeOrigin`) to the frame after both charts have their canvas. The database holds',
    'the bundled CRM sample and the first 20,000 rows of the BPI 2012 log with the alerts their replay',
    'raised; the server is `salesradar serve` on 127.0.0.1 serving the production build in `web/dist`.',
    'One measurement per run, reported and not asserted; it varies with the load of the machine.',
    '',
    '| measured | value |',
    '|---|---|',
    `| dashboard, navigation start to charts rendered | ${Math.round(milliseconds)} ms |`,
    `| date (UTC) | ${new Date().toISOString().slice(0, 16).replace('T', ' ')} |`,
    `| browser | ${chromiumVersion(chromium)}, headless |`,
    `| machine | ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM |`,
    '',
    'Command: `ctest --test-dir build -L browser --output-on-failure`.',
    END,
  ].join('\n')

  const text = readFileSync(file, 'utf8')
  const begin = text.indexOf(START)
  const end = text.indexOf(END)
  const updated = begin >= 0 && end > begin
    ? text.slice(0, begin) + section + text.slice(end + END.length)
    : `${text.trimEnd()}\n\n${section}\n`
  writeFileSync(file, updated)
}
