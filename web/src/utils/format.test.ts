import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, formatMoney, formatMoneyWan, formatPercent } from './format'

describe('formatMoney', () => {
  it('groups yuan and shows two fen digits', () => {
    expect(formatMoney({ amount_fen: 123456700, currency: 'CNY' })).toBe('¥1,234,567.00')
    expect(formatMoney({ amount_fen: 5, currency: 'CNY' })).toBe('¥0.05')
    expect(formatMoney({ amount_fen: 0, currency: 'CNY' })).toBe('¥0.00')
    expect(formatMoney({ amount_fen: 99999, currency: 'CNY' })).toBe('¥999.99')
  })

  it('keeps fen exact for large amounts', () => {
    expect(formatMoney({ amount_fen: 900719925474099, currency: 'CNY' })).toBe('¥9,007,199,254,740.99')
  })

  it('puts the sign before the symbol', () => {
    expect(formatMoney({ amount_fen: -1230, currency: 'CNY' })).toBe('-¥12.30')
  })

  it('names other currencies', () => {
    expect(formatMoney({ amount_fen: 100, currency: 'USD' })).toBe('US$1.00')
    expect(formatMoney({ amount_fen: 100, currency: 'GBP' })).toBe('GBP 1.00')
  })

  it('shows a dash for no amount', () => {
    expect(formatMoney(null)).toBe('—')
  })
})

describe('formatMoneyWan', () => {
  it('shows 万元 with two decimals in Chinese', () => {
    expect(formatMoneyWan({ amount_fen: 123456700, currency: 'CNY' }, 'zh-CN')).toBe('123.46万元')
    expect(formatMoneyWan({ amount_fen: 1_000_000, currency: 'CNY' }, 'zh-CN')).toBe('1.00万元')
    expect(formatMoneyWan({ amount_fen: 12_345_678_900, currency: 'CNY' }, 'zh-CN')).toBe('12,345.68万元')
  })

  it('rounds half up on the fen value', () => {
    expect(formatMoneyWan({ amount_fen: 5_000, currency: 'CNY' }, 'zh-CN')).toBe('0.01万元')
    expect(formatMoneyWan({ amount_fen: 4_999, currency: 'CNY' }, 'zh-CN')).toBe('0.00万元')
  })

  it('shows millions in English', () => {
    expect(formatMoneyWan({ amount_fen: 123456700, currency: 'CNY' }, 'en')).toBe('¥1.23M')
  })

  it('keeps the sign', () => {
    expect(formatMoneyWan({ amount_fen: -2_000_000, currency: 'CNY' }, 'zh-CN')).toBe('-2.00万元')
  })
})

describe('formatDateTime', () => {
  const instant = '2026-12-04T16:30:00Z'

  it('uses Beijing time by default', () => {
    expect(formatDateTime(instant)).toBe('2026-12-05 00:30')
  })

  it('uses the given zone', () => {
    expect(formatDateTime(instant, 'UTC')).toBe('2026-12-04 16:30')
    expect(formatDateTime(instant, 'America/New_York')).toBe('2026-12-04 11:30')
  })

  it('shows a dash for a missing or invalid time', () => {
    expect(formatDateTime(null)).toBe('—')
    expect(formatDateTime('not a time')).toBe('—')
  })
})

describe('formatDate', () => {
  it('shows the calendar day in the zone', () => {
    expect(formatDate('2026-12-04T16:30:00Z', 'Asia/Shanghai')).toBe('2026-12-05')
  })

  it('leaves a plain date unchanged', () => {
    expect(formatDate('2026-02-17', 'America/New_York')).toBe('2026-02-17')
  })
})

describe('formatPercent', () => {
  it('formats a ratio', () => {
    expect(formatPercent(0.875)).toBe('87.5%')
    expect(formatPercent(1, 0)).toBe('100%')
    expect(formatPercent(null)).toBe('—')
  })
})
