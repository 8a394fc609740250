// Calendar periods in the user's time zone, sent to the API as RFC 3339 UTC instants.
import { DEFAULT_TIME_ZONE, dateInZone } from './format'

// Returns the offset of `zone` from UTC at `instant`, in minutes (Asia/Shanghai: 480).
export function zoneOffsetMinutes(instant: Date, zone: string): number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
  const p: Record<string, number> = {}
  for (const part of format.formatToParts(instant)) p[part.type] = Number(part.value)
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000)
}

// Returns the instant at which calendar day `ymd` ("2026-12-04") starts in `zone`, as RFC 3339 UTC.
export function startOfDayUtc(ymd: string, zone = DEFAULT_TIME_ZONE): string {
  const [year, month, day] = ymd.split('-').map(Number)
  const guess = Date.UTC(year, month - 1, day)
  // Two passes settle the offset when the day starts near a daylight-saving change.
  let instant = guess - zoneOffsetMinutes(new Date(guess), zone) * 60000
  instant = guess - zoneOffsetMinutes(new Date(instant), zone) * 60000
  return new Date(instant).toISOString().replace('.000Z', 'Z')
}

export function addDays(ymd: string, days: number): string {
  const [year, month, day] = ymd.split('-').map(Number)
  const date = new Date(Date.UTC(year, month - 1, day + days))
  return date.toISOString().slice(0, 10)
}

// Returns the Monday of the week that contains `ymd`.
export function mondayOf(ymd: string): string {
  const [year, month, day] = ymd.split('-').map(Number)
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay() // 0 = Sunday
  return addDays(ymd, weekday === 0 ? -6 : 1 - weekday)
}

export function today(zone = DEFAULT_TIME_ZONE): string {
  return dateInZone(new Date(), zone)
}

// A period of whole days [fromDate, toDate], both inclusive, as the API's {from, to} instants
// (`to` is the start of the day after toDate, so the range is half-open).
export function periodToQuery(fromDate: string, toDate: string, zone = DEFAULT_TIME_ZONE): { from: string; to: string } {
  return { from: startOfDayUtc(fromDate, zone), to: startOfDayUtc(addDays(toDate, 1), zone) }
}
