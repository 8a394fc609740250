import { describe, expect, it } from 'vitest'
import { normalizeAlert, type Alert } from '@/api/types'
import { matchesFilter, queryToFilter, statusesOf, upsertAlert } from './alertQuery'

function alert(overrides: Record<string, unknown> = {}): Alert {
  return normalizeAlert(
    {
      id: 'b2b/no-follow-up@1/opportunity/OPP-42/ev-1',
      pack_id: 'b2b',
      rule_id: 'no-follow-up',
      level: 'orange',
      status: 'open',
      subject: { type: 'opportunity', id: 'OPP-42', name: 'CT 设备采购' },
      owner: { external_id: 'U7', user_id: 7, name: '王磊' },
      message: { zh: '48 小时未跟进', en: 'No follow-up within 48 hours' },
      raised_at: '2026-12-04T08:00:00Z',
      ...overrides,
    },
    'zh-CN',
  )
}

describe('alert filters', () => {
  it('reads filters from the query and drops unknown keys', () => {
    expect(queryToFilter({ level: 'red', status: '', junk: 'x', rule_id: ['r1', 'r2'] })).toEqual({ level: 'red', rule_id: 'r1' })
  })

  it('expands status groups', () => {
    expect([...statusesOf(undefined)!].sort()).toEqual(['acknowledged', 'open', 'snoozed'])
    expect([...statusesOf('resolved')!].sort()).toEqual(['resolved_automatically', 'resolved_by_person'])
    expect(statusesOf('all')).toBeNull()
    expect([...statusesOf('open,snoozed')!]).toEqual(['open', 'snoozed'])
  })

  it('matches an alert like the server', () => {
    expect(matchesFilter(alert(), { level: 'orange', subject_id: 'OPP-42' })).toBe(true)
    expect(matchesFilter(alert(), { level: 'red' })).toBe(false)
    expect(matchesFilter(alert(), { level: 'orange,red' })).toBe(true)
    expect(matchesFilter(alert(), { owner_id: '7' })).toBe(true)
    expect(matchesFilter(alert(), { owner_id: '8' })).toBe(false)
    expect(matchesFilter(alert(), { pack_id: 'other' })).toBe(false)
  })

  it('hides resolved alerts by default', () => {
    expect(matchesFilter(alert({ status: 'resolved_by_person' }), {})).toBe(false)
    expect(matchesFilter(alert({ status: 'resolved_by_person' }), { status: 'all' })).toBe(true)
  })

  it('checks the raised time against the period', () => {
    expect(matchesFilter(alert(), { from: '2026-12-04T00:00:00Z', to: '2026-12-05T00:00:00Z' })).toBe(true)
    expect(matchesFilter(alert(), { from: '2026-12-04T08:00:00Z' })).toBe(true)
    expect(matchesFilter(alert(), { to: '2026-12-04T08:00:00Z' })).toBe(false)
  })

  it('replaces a known alert and prepends a new one', () => {
    const first = alert()
    const second = alert({ id: 'other' })
    const updated = alert({ status: 'acknowledged' })

    expect(upsertAlert([first], second).map((item) => item.id)).toEqual(['other', first.id])
    const replaced = upsertAlert([second, first], updated)
    expect(replaced.map((item) => item.id)).toEqual(['other', first.id])
    expect(replaced[1].status).toBe('acknowledged')
  })
})
