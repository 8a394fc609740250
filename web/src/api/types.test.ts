import { describe, expect, it } from 'vitest'
import { localizedText, normalizeAlert, normalizeOpportunity, normalizePipeline, normalizeTimelineEntry } from './types'

describe('normalizeAlert', () => {
  it('picks the message in the UI language', () => {
    const raw = { id: 'a', level: 'red', message: { zh: '报价缺少合规声明', en: 'Quote lacks the compliance statement' } }

    expect(normalizeAlert(raw, 'zh-CN').message).toBe('报价缺少合规声明')
    expect(normalizeAlert(raw, 'en').message).toBe('Quote lacks the compliance statement')
  })

  it('reads a nested subject and defaults an unknown level to yellow', () => {
    const alert = normalizeAlert(
      { id: 'a', level: 'purple', subject: { type: 'lead', id: 'L-9', name: '华东医疗' }, owner: { external_id: 'U7', user_id: 7, name: '王磊' } },
      'zh-CN',
    )

    expect(alert.level).toBe('yellow')
    expect(alert.subject_type).toBe('lead')
    expect(alert.subject_id).toBe('L-9')
    expect(alert.owner_user_id).toBe(7)
    expect(alert.owner_name).toBe('王磊')
    expect(alert.subject_name).toBe('华东医疗')
  })
})

describe('localizedText', () => {
  it('falls back to the other language', () => {
    expect(localizedText({ zh: '只有中文' }, 'en')).toBe('只有中文')
    expect(localizedText('plain', 'en')).toBe('plain')
  })
})

describe('normalizePipeline', () => {
  it('reads report money and derives the ratios', () => {
    const report = normalizePipeline({
      as_of: '2026-12-04',
      total: {
        key: 'all',
        opportunities: 14,
        stages: [
          { stage: 'prospecting', label: '初步接触', count: 10, amounts: [{ fen: 100, currency: 'CNY', formatted: '¥1.00' }] },
          { stage: 'won', label: '赢单', count: 3, amounts: [{ fen: 500, currency: 'CNY' }, { fen: 7, currency: 'USD' }] },
          { stage: 'lost', label: '输单', count: 1, amounts: [] },
        ],
        won: 3,
        lost: 1,
        win_rate: { won: 3, closed: 4, percent: '75.0%' },
        days_to_close: { closed: 2, total_days: 61, average: '30.5' },
        stale: { count: 2, deals: [] },
        won_below_list: { count: 1, not_compared: 0, deals: [] },
      },
      groups: [],
    })

    expect(report.total.win_rate).toBe(0.75)
    expect(report.total.average_days_to_close).toBe(30.5)
    expect(report.total.stages[1].amounts).toEqual([
      { amount_fen: 500, currency: 'CNY' },
      { amount_fen: 7, currency: 'USD' },
    ])
    expect(report.total.stale).toBe(2)
    expect(report.total.won_below_list).toBe(1)
  })

  it('leaves ratios empty without closed opportunities', () => {
    const report = normalizePipeline({ total: { won: 0, lost: 0, win_rate: { won: 0, closed: 0 }, days_to_close: { closed: 0, total_days: 0 } } })

    expect(report.total.win_rate).toBeNull()
    expect(report.total.average_days_to_close).toBeNull()
  })
})

describe('normalizeOpportunity', () => {
  it('reads references as id plus name and custom fields from a map', () => {
    const opportunity = normalizeOpportunity({
      id: 42,
      external_id: 'OPP-42',
      name: 'CT 设备采购',
      stage: 'engaging',
      amount: { amount_fen: 880000000, currency: 'CNY' },
      owner_id: 7,
      owner_name: '王磊',
      custom_fields: { hospital_level: '三甲', beds: 1200 },
    })

    expect(opportunity.name).toBe('CT 设备采购')
    expect(opportunity.amount?.amount_fen).toBe(880000000)
    expect(opportunity.owner_name).toBe('王磊')
    expect(opportunity.owner_id).toBe(7)
    expect(opportunity.custom_fields).toEqual([
      { name: 'hospital_level', label: 'hospital_level', type: 'string', value: '三甲' },
      { name: 'beds', label: 'beds', type: 'number', value: 1200 },
    ])
  })
})

describe('normalizeTimelineEntry', () => {
  it('reads a stage change', () => {
    const entry = normalizeTimelineEntry({ kind: 'stage_change', at: '2026-12-01T02:00:00Z', from_stage: null, to_stage: 'engaging' })

    expect(entry.kind).toBe('stage_change')
    expect(entry.from_stage).toBeNull()
    expect(entry.to_stage).toBe('engaging')
  })

  it('reads an activity', () => {
    const entry = normalizeTimelineEntry({
      kind: 'activity',
      at: '2026-12-02T02:00:00Z',
      activity: { id: 5, type: 'visit', actor_id: 7, actor_name: '王磊', subject_text: '客户要求下周演示' },
    })

    expect(entry.activity_type).toBe('visit')
    expect(entry.actor).toBe('王磊')
    expect(entry.text).toBe('客户要求下周演示')
  })
})
