// Display formatting for money, times and rates. Money is integer fen (1/100 yuan) and is never
// turned into a floating-point yuan amount before it is split into yuan and fen.
import type { Money } from '@/api/types'

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

const CURRENCY_SYMBOLS: Record<string, string> = { CNY: '¥', USD: 'US$', EUR: '€', HKD: 'HK$', JPY: 'JP¥' }

function currencyPrefix(currency: string): string {
  return CURRENCY_SYMBOLS[currency] ?? `${currency} `
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

// Formats {amount_fen: 123456700, currency: "CNY"} as "¥1,234,567.00" and a negative amount as "-¥12.30".
export function formatMoney(money: Money | null | undefined): string {
  if (!money) return '—'
  const fen = Math.trunc(money.amount_fen)
  const sign = fen < 0 ? '-' : ''
  const absolute = BigInt(Math.abs(fen))
  const yuan = absolute / 100n
  const cents = absolute % 100n
  return `${sign}${currencyPrefix(money.currency)}${groupThousands(yuan.toString())}.${cents.toString().padStart(2, '0')}`
}

// Formats money in 万元 (units of 10,000 yuan) with two decimals, "123.46万元", the usual unit of
// Chinese sales reports. English shows the same amount in millions ("¥1.23M"). Rounds half away
// from zero on the fen value, so the result is exact for any amount below 2^53 fen.
export function formatMoneyWan(money: Money | null | undefined, locale: string): string {
  if (!money) return '—'
  const fen = Math.trunc(money.amount_fen)
  const sign = fen < 0 ? '-' : ''
  const absolute = BigInt(Math.abs(fen))

  if (locale.startsWith('en')) {
    return `${sign}${currencyPrefix(money.currency)}${formatHundredths(roundDiv(absolute, 1_000_000n))}M`
  }
  const suffix = money.currency === 'CNY' ? '万元' : `万 ${money.currency}`
  return `${sign}${formatHundredths(roundDiv(absolute, 10_000n))}${suffix}`
}

// Divides `value` by `divisor`, rounding half up.
function roundDiv(value: bigint, divisor: bigint): bigint {
  return (value * 2n + divisor) / (divisor * 2n)
}

function formatHundredths(hundredths: bigint): string {
  const whole = hundredths / 100n
  const fraction = hundredths % 100n
  return `${groupThousands(whole.toString())}.${fraction.toString().padStart(2, '0')}`
}

function parts(date: Date, timeZone: string, withTime: boolean): Record<string, string> {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
  })
  const result: Record<string, string> = {}
  for (const part of format.formatToParts(date)) result[part.type] = part.value
  return result
}

function toDate(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null
  const date = value instanceof Date ? value : new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

// Formats an instant as "2026-12-04 18:30" in `timeZone`. The layout is the same in both
// languages, as Chinese business software writes it.
export function formatDateTime(value: string | number | Date | null | undefined, timeZone = DEFAULT_TIME_ZONE): string {
  const date = toDate(value)
  if (!date) return '—'
  const p = parts(date, timeZone, true)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
}

// Formats an instant as "2026-12-04" in `timeZone`. A plain date ("2026-12-04") is shown as is.
export function formatDate(value: string | number | Date | null | undefined, timeZone = DEFAULT_TIME_ZONE): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value
  const date = toDate(value)
  if (!date) return '—'
  const p = parts(date, timeZone, false)
  return `${p.year}-${p.month}-${p.day}`
}

// Returns the calendar date of `date` in `timeZone` as "YYYY-MM-DD".
export function dateInZone(date: Date, timeZone = DEFAULT_TIME_ZONE): string {
  return formatDate(date, timeZone)
}

// Formats a 0..1 ratio as "87.5%" and null as "—".
export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—'
  return `${(ratio * 100).toFixed(digits)}%`
}

export function formatCount(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value)
}
