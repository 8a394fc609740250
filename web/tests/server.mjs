// Starts `salesradar serve` for the browser tests over a fresh database in a temporary folder.
// The database gets the bundled CRM sample, the first rows of the bundled BPI 2012 loan log as
// leads and events, the BPI 2012 and default B2B rule packs, and an admin. The server listens on
// a free loopback port and serves web/dist. It replays the imported events when it starts, which
// raises the alerts that the tests see first.
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'

export const ADMIN = { login: 'admin', password: 'Admin-Passw0rd!2026', name: '系统管理员' }

// Rows of the BPI 2012 log to import: enough for several weeks of alerts, few enough that the
// import and the replay at start take seconds.
const BPI_ROWS = 20_000

// Writes the header and the first `rows` rows of the bundled BPI 2012 log to `file`.
function writeBpiSample(root, file, rows) {
  const compressed = readFileSync(join(root, 'examples', 'data', 'bpi2012-loan-events', 'bpi2012_events.csv.gz'))
  const lines = gunzipSync(compressed).toString('utf8').split('\n')
  writeFileSync(file, lines.slice(0, rows + 1).join('\n') + '\n')
}

// Returns a TCP port that was free on 127.0.0.1 a moment ago.
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

function run(binary, args, options = {}) {
  return execFileSync(binary, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...options })
}

async function waitUntilReady(baseUrl, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`salesradar serve exited with status ${child.exitCode}`)
    try {
      const response = await fetch(`${baseUrl}/readyz`)
      if (response.ok) return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`salesradar serve was not ready at ${baseUrl}/readyz within ${timeoutMs} ms`)
}

// Prepares the database and starts the server. Returns {baseUrl, dataDir, database, log, stop}.
export async function startServer({ binary, root, log = () => {} }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'salesradar-browser-'))
  const database = join(dataDir, 'salesradar.db')

  const cli = (args, extra = {}) => run(binary, ['--database', database, ...args], { cwd: root, ...extra })

  log(`importing the bundled samples into ${database}`)
  run(join(root, 'scripts', 'import_sample.sh'), [binary, database], { cwd: root })
  const bpiFile = join(dataDir, 'bpi2012_events.csv')
  writeBpiSample(root, bpiFile, BPI_ROWS)
  cli(['import', '--mapping', join(root, 'examples', 'mappings', 'bpi2012', 'leads.yaml'), bpiFile])
  cli(['events', 'import', '--mapping', join(root, 'examples', 'mappings', 'bpi2012', 'events.yaml'), bpiFile])
  const calendars = join(root, 'examples', 'calendars')
  for (const pack of ['b2b-default.yaml', 'bpi2012.yaml']) {
    cli(['rules', 'publish', join(root, 'examples', 'rules', pack), '--calendar-dir', calendars, '--by', 'browser-test'])
  }
  cli(['admin', 'create', '--login', ADMIN.login, '--name', ADMIN.name, '--password-stdin'], { input: `${ADMIN.password}\n` })

  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const output = []
  const child = spawn(binary, ['--database', database, 'serve', '--listen', `127.0.0.1:${port}`,
    '--data-dir', dataDir, '--web-root', join(root, 'web', 'dist')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout.on('data', (chunk) => output.push(chunk.toString()))
  child.stderr.on('data', (chunk) => output.push(chunk.toString()))

  try {
    await waitUntilReady(baseUrl, child, 60_000)
  } catch (error) {
    child.kill('SIGTERM')
    error.message += `\nserver output:\n${output.join('').slice(-4000)}`
    throw error
  }
  log(`salesradar serve is ready at ${baseUrl}`)

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))])
      if (child.exitCode === null) child.kill('SIGKILL')
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
  return { baseUrl, dataDir, database, output, stop }
}
