// Times @marcbachmann/cel-js on the rule conditions in rules.json with the same data as
// rule_data.h. Money has no cel-js type, so rules that use money run an equivalent int
// expression over amounts in fen (the "celjs" entry in rules.json).
// Usage: node celjs_bench.mjs [rules.json] [seconds per rule]; prints one JSON object.
import {readFileSync} from 'node:fs'
import {parse} from '@marcbachmann/cel-js'

const rulesPath = process.argv[2] ?? new URL('./rules.json', import.meta.url)
const secondsPerRule = Number(process.argv[3] ?? 1)
const rules = JSON.parse(readFileSync(rulesPath, 'utf8'))

const types = ['visit', 'call', 'email', 'demo', 'visit']
const activities = Array.from({length: 20}, (_, i) => ({
  type: types[i % 5],
  duration_minutes: BigInt(30 + i * 7),
}))
const context = {
  opp: {
    amount: 60000000n,
    stage: 'negotiation',
    risk: 0.72,
    updated_at: new Date('2026-01-01T00:00:00Z'),
    owner: {region: 'east', level: 2n},
    custom: {industry: 'medical', region: '华东'},
  },
  quote: {
    attachments: ['price_sheet', 'contract_draft', 'product_spec'],
    title: 'Quote for 华东 region, order ORDER-2026-0042',
    discount: 0.18,
  },
  activities,
  now: new Date('2026-01-03T00:00:00Z'),
}

// Returns CPU nanoseconds per evaluation, measured over about `seconds` of CPU time.
function cpuNanosPerEval(evaluate) {
  for (let i = 0; i < 20000; i++) evaluate(context)
  let iterations = 0
  const start = process.cpuUsage()
  let elapsedMicros = 0
  while (elapsedMicros < secondsPerRule * 1e6) {
    for (let i = 0; i < 1000; i++) evaluate(context)
    iterations += 1000
    const used = process.cpuUsage(start)
    elapsedMicros = used.user + used.system
  }
  return (elapsedMicros * 1000) / iterations
}

const results = []
for (const rule of rules) {
  const source = rule.celjs ?? rule.cel
  const evaluate = parse(source)
  const value = evaluate(context)
  results.push({
    name: rule.name,
    expression: source,
    result: typeof value === 'bigint' ? value.toString() : value,
    cpu_ns_per_eval: cpuNanosPerEval(evaluate),
  })
}
console.log(JSON.stringify({node: process.version, rules: results}, null, 2))
