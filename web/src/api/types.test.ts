import { describe, expect, it } from 'vitest'
import { localizedText, normalizeAlert, normalizeOpportunity, normalizePipeline } from './types'

describe('normalizeAlert', () => {
  it('picks the message in the UI language', () => {
    const raw = { id: 'a', level: 'red', message: { zh: '报价缺少合规声明', en: 'Quote lacks the compliance statement' } }

    expect(normalizeAlert(raw, 'zh-CN').message).toBe('报价缺少合规声明')
    expect(normalizeAlert(raw, 'en').message).toBe('Quote lacks the compliance statement')
  })

  it('reads a nested subject and defaults an unknown level to yellow', () => {
    const alert = normalizeAlert({ id: 'a', level: 'purple', subject: { type: 'lead', id: 9, name: '华东医疗' } }, 'zh-CN')

    expect(alert.level).toBe('yellow')
    expect(alert.subject_type).toBe('lead')
    expect(alert.subject_id).toBe('9')
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
  it('derives the win rate from won and lost counts', () => {
    const report = normalizePipeline({
      stages: [
        { stage: 'prospecting', count: 10, amount: { amount_fen: 100, currency: 'CNY' } },
        { stage: 'won', count: 3, amount: { amount_fen: 500, currency: 'CNY' } },
        { stage: 'lost', count: 1, amount: { amount_fen: 50, currency: 'CNY' } },
      ],
    })

    expect(report.win_rate).toBe(0.75)
    expect(report.won_amount.amount_fen).toBe(500)
  })

  it('leaves the win rate empty without closed opportunities', () => {
    expect(normalizePipeline({ stages: [] }).win_rate).toBeNull()
  })
})

describe('normalizeOpportunity', () => {
  it('reads built-in fields from a fields map and custom fields from a map', () => {
    const opportunity = normalizeOpportunity(
      {
        id: 42,
        external_id: 'OPP-42',
        fields: { name: 'CT 设备采购', stage: 'engaging', amount: { amount_fen: 880000000, currency: 'CNY' }, owner: { id: 7, name: '王磊' } },
        custom_fields: { hospital_level: '三甲' },
      },
      'zh-CN',
    )

    expect(opportunity.name).toBe('CT 设备采购')
    expect(opportunity.amount?.amount_fen).toBe(880000000)
    expect(opportunity.owner_name).toBe('王磊')
    expect(opportunity.owner_id).toBe(7)
    expect(opportunity.custom_fields).toEqual([{ name: 'hospital_level', label: 'hospital_level', type: 'string', value: '三甲' }])
  })
})
