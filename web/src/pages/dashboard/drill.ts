// Links from a report number to the alerts behind it. The report gives each count the query
// parameters of GET /api/v1/alerts, which the alert list reads from its URL as they are.
import type { RouteLocationRaw } from 'vue-router'
import type { BehaviourHealthReport, CountLink, Level, RuleCount } from '@/api/types'
import { LEVELS } from '@/api/types'

export function alertsLink(filter: Record<string, string>, extra: Record<string, string | undefined> = {}): RouteLocationRaw {
  const query: Record<string, string> = { ...filter }
  for (const [key, value] of Object.entries(extra)) {
    if (value) query[key] = value
  }
  return { name: 'alerts', query }
}

// Sums the weekly level counts over the period; each filter is the period's filter plus the level.
export function levelTotals(report: BehaviourHealthReport): Record<Level, CountLink> {
  const totals = {} as Record<Level, CountLink>
  for (const level of LEVELS) {
    const count = report.weeks.reduce((sum, week) => sum + week.by_level[level].count, 0)
    totals[level] = { count, filter: { ...report.alerts.filter, level } }
  }
  return totals
}

// Adds up the weekly rule counts over the period, most frequent first.
export function ruleTotals(report: BehaviourHealthReport): RuleCount[] {
  const totals = new Map<string, RuleCount>()
  for (const week of report.weeks) {
    for (const rule of week.by_rule) {
      const key = `${rule.pack_id}\u0000${rule.rule_id}`
      const total = totals.get(key) ?? {
        pack_id: rule.pack_id,
        rule_id: rule.rule_id,
        name: rule.name,
        count: 0,
        filter: { ...report.alerts.filter, pack_id: rule.pack_id, rule_id: rule.rule_id },
      }
      total.count += rule.count
      totals.set(key, total)
    }
  }
  return [...totals.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
}
