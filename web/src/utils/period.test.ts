import { describe, expect, it } from 'vitest'
import { addDays, mondayOf, periodToQuery, startOfDayUtc, zoneOffsetMinutes } from './period'

describe('period helpers', () => {
  it('finds the start of a day in Beijing time', () => {
    expect(startOfDayUtc('2026-12-04', 'Asia/Shanghai')).toBe('2026-12-03T16:00:00Z')
  })

  it('follows daylight saving time', () => {
    expect(startOfDayUtc('2026-07-01', 'America/New_York')).toBe('2026-07-01T04:00:00Z')
    expect(startOfDayUtc('2026-01-15', 'America/New_York')).toBe('2026-01-15T05:00:00Z')
  })

  it('reads zone offsets', () => {
    expect(zoneOffsetMinutes(new Date('2026-12-04T00:00:00Z'), 'Asia/Shanghai')).toBe(480)
    expect(zoneOffsetMinutes(new Date('2026-12-04T00:00:00Z'), 'UTC')).toBe(0)
  })

  it('makes a half-open period from inclusive days', () => {
    expect(periodToQuery('2026-12-01', '2026-12-07', 'Asia/Shanghai')).toEqual({
      from: '2026-11-30T16:00:00Z',
      to: '2026-12-07T16:00:00Z',
    })
  })

  it('finds the Monday of a week', () => {
    expect(mondayOf('2026-12-04')).toBe('2026-11-30') // a Friday
    expect(mondayOf('2026-12-06')).toBe('2026-11-30') // a Sunday
    expect(mondayOf('2026-11-30')).toBe('2026-11-30')
  })

  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29')
  })
})
