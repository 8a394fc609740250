import { describe, expect, it } from 'vitest'
import { normalizeBehaviourHealth } from '@/api/types'
import { alertsLink, levelTotals, ruleTotals } from './drill'

const period = { status: 'all', from: '2026-11-01T16:00:00Z', to: '2026-12-04T16:00:00Z' }

function week(name: string, yellow: number, red: number, rules: [string, number][]) {
  const filter = { ...period }
  return {
    week: name,
    alerts: { count: yellow + red, filter },
    by_level: {
      yellow: { count: yellow, filter: { ...filter, level: 'yellow' } },
      orange: { count: 0, filter: { ...filter, level: 'orange' } },
      red: { count: red, filter: { ...filter, level: 'red' } },
    },
    by_rule: rules.map(([rule, count]) => ({ pack_id: 'b2b', rule_id: rule, name: rule, count, filter: { ...filter, pack_id: 'b2b', rule_id: rule } })),
  }
}

const report = normalizeBehaviourHealth({
  alerts: { count: 9, filter: period },
  weeks: [week('2026-W48', 2, 1, [['no-follow-up', 3]]), week('2026-W49', 4, 2, [['no-follow-up', 2], ['quote', 4]])],
})

describe('dashboard drill-down', () => {
  it('sums level counts over the weeks', () => {
    const totals = levelTotals(report)

    expect(totals.yellow.count).toBe(6)
    expect(totals.red.count).toBe(3)
    expect(totals.orange.count).toBe(0)
    expect(totals.red.filter).toEqual({ ...period, level: 'red' })
  })

  it('sums rule counts, most frequent first', () => {
    const rules = ruleTotals(report)

    expect(rules.map((rule) => [rule.rule_id, rule.count])).toEqual([
      ['no-follow-up', 5],
      ['quote', 4],
    ])
    expect(rules[0].filter).toEqual({ ...period, pack_id: 'b2b', rule_id: 'no-follow-up' })
  })

  it('links to the alert list with the filter as query', () => {
    expect(alertsLink({ status: 'all', owner_id: '7' }, { level: 'red', rule_id: undefined })).toEqual({
      name: 'alerts',
      query: { status: 'all', owner_id: '7', level: 'red' },
    })
  })
})
