// Merges the opportunity's timeline with its alerts: newest first, each alert once.
import type { Alert, TimelineEntry } from '@/api/types'

export function alertToEntry(alert: Alert): TimelineEntry {
  return {
    kind: 'alert',
    at: alert.raised_at,
    title: alert.rule_name,
    text: alert.message,
    actor: '',
    level: alert.level,
    alert_id: alert.id,
    activity_type: null,
    from_stage: null,
    to_stage: null,
  }
}

export function mergeTimeline(entries: TimelineEntry[], alerts: Alert[]): TimelineEntry[] {
  const seen = new Set(entries.filter((entry) => entry.alert_id).map((entry) => entry.alert_id))
  const merged = [...entries, ...alerts.filter((alert) => !seen.has(alert.id)).map(alertToEntry)]
  return merged.sort((a, b) => Date.parse(b.at || '0') - Date.parse(a.at || '0'))
}
