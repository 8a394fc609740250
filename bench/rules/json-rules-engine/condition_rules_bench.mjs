// The two condition rules of examples/rules/b2b-default.yaml (large quote without the
// compliance statement; quote more than 15 % off the list price) in json-rules-engine, over
// the events that replay_bench wrote with --dump-jsonl. json-rules-engine has no arithmetic
// in conditions, so the price ratio and the attachment check are computed facts.
// Usage: node condition_rules_bench.mjs EVENTS.jsonl
import { readFileSync } from 'node:fs';
import { Engine } from 'json-rules-engine';

const events = readFileSync(process.argv[2], 'utf8').trim().split('\n').map((line) => JSON.parse(line));

const engine = new Engine([], { allowUndefinedFacts: true });
engine.addFact('priceRatio', async (params, almanac) => {
  const payload = await almanac.factValue('payload');
  if (!payload.list_total) return undefined;
  return (payload.total.fen * 100) / payload.list_total.fen;
});
engine.addFact('hasComplianceStatement', async (params, almanac) => {
  const payload = await almanac.factValue('payload');
  return (payload.attachments || []).some((attachment) => attachment.kind === 'compliance_statement');
});
engine.addRule({
  name: 'large-quote-without-compliance-statement',
  conditions: {
    all: [
      { fact: 'type', operator: 'equal', value: 'quote_sent' },
      { fact: 'payload', path: '$.total.fen', operator: 'greaterThan', value: 50000000 },
      { fact: 'hasComplianceStatement', operator: 'equal', value: false },
    ],
  },
  event: { type: 'large-quote-without-compliance-statement' },
});
engine.addRule({
  name: 'discount-beyond-15-percent',
  conditions: {
    all: [
      { fact: 'type', operator: 'equal', value: 'quote_sent' },
      {
        any: [
          { fact: 'priceRatio', operator: 'lessThan', value: 85 },
          { fact: 'priceRatio', operator: 'greaterThan', value: 115 },
        ],
      },
    ],
  },
  event: { type: 'discount-beyond-15-percent' },
});

const alerts = {};
const start = process.hrtime.bigint();
for (const event of events) {
  const { events: fired } = await engine.run({ type: event.type, payload: event.payload });
  for (const alert of fired) alerts[alert.type] = (alerts[alert.type] || 0) + 1;
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ events: events.length, seconds, events_per_second: events.length / seconds, alerts }, null, 2));
