// The alert list's filters as they appear in the URL (/alerts?level=red&rule_id=...). They are
// the query parameters of GET /api/v1/alerts, so a report's drill-down filter links here as is.
import type { LocationQuery } from 'vue-router'
import type { Alert, AlertFilter, AlertStatus } from '@/api/types'

export const FILTER_KEYS = ['status', 'level', 'pack_id', 'rule_id', 'subject_type', 'subject_id', 'owner_id', 'from', 'to'] as const
export type FilterKey = (typeof FILTER_KEYS)[number]
export type AlertQuery = Partial<Record<FilterKey, string>>

const UNRESOLVED: AlertStatus[] = ['open', 'acknowledged', 'snoozed']
const RESOLVED: AlertStatus[] = ['resolved_by_person', 'resolved_automatically']

export function queryToFilter(query: LocationQuery): AlertQuery {
  const filter: AlertQuery = {}
  for (const key of FILTER_KEYS) {
    const value = query[key]
    const text = Array.isArray(value) ? value[0] : value
    if (typeof text === 'string' && text !== '') filter[key] = text
  }
  return filter
}

export function filterToRequest(filter: AlertQuery, cursor?: string): AlertFilter {
  return { ...filter, limit: 50, cursor }
}

// Returns the statuses that a status parameter selects; the server's default is "unresolved".
export function statusesOf(status: string | undefined): Set<string> | null {
  const result = new Set<string>()
  for (const part of (status || 'unresolved').split(',')) {
    if (part === 'all') return null
    if (part === 'unresolved') UNRESOLVED.forEach((name) => result.add(name))
    else if (part === 'resolved') RESOLVED.forEach((name) => result.add(name))
    else result.add(part)
  }
  return result
}

function inPeriod(alert: Alert, filter: AlertQuery): boolean {
  const raised = Date.parse(alert.raised_at)
  if (filter.from && !(raised >= Date.parse(filter.from))) return false
  if (filter.to && !(raised < Date.parse(filter.to))) return false
  return true
}

// Returns true when `alert` satisfies every filter, as the server would apply it.
export function matchesFilter(alert: Alert, filter: AlertQuery): boolean {
  const statuses = statusesOf(filter.status)
  if (statuses && !statuses.has(alert.status)) return false
  if (filter.level && !filter.level.split(',').includes(alert.level)) return false
  if (filter.pack_id && filter.pack_id !== alert.pack_id) return false
  if (filter.rule_id && filter.rule_id !== alert.rule_id) return false
  if (filter.subject_type && filter.subject_type !== alert.subject_type) return false
  if (filter.subject_id && filter.subject_id !== alert.subject_id) return false
  if (filter.owner_id && filter.owner_id !== String(alert.owner_user_id ?? '')) return false
  return inPeriod(alert, filter)
}

// Puts `alert` into `list`: replaces the entry with the same id, or adds it at the top.
export function upsertAlert(list: Alert[], alert: Alert): Alert[] {
  const index = list.findIndex((item) => item.id === alert.id)
  if (index === -1) return [alert, ...list]
  const next = list.slice()
  next[index] = alert
  return next
}

export function isResolved(alert: Alert): boolean {
  return RESOLVED.includes(alert.status)
}
