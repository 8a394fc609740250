// The rule-pack routes of /api/v1 that the rule centre calls, with the responses read leniently
// into the shapes the pages use.
import { api, segment } from '@/api/client'

export interface PackVersion {
  pack_id: string
  version: number
  active: boolean
  published_at: string
  published_by: string
  name: { zh: string; en: string }
  rule_count: number
  yaml: string | null // absent in lists
}

export interface PackSummary {
  pack_id: string
  name: { zh: string; en: string }
  active_version: number | null
  latest_version: number
  version_count: number
  rule_count: number | null
  published_at: string
  published_by: string
}

export interface ExpressionCheck {
  valid: boolean
  message: string // the server's message for an invalid expression, in the request's language
  type: string // the expression's CEL type when valid, when the server reports it
}

export interface BacktestRule {
  rule_id: string
  name: { zh: string; en: string }
  alerts: number
  by_week: Record<string, number>
  by_level: Record<string, number>
  evaluation_failures: number
}

export interface BacktestResult {
  events: number
  first_event: string | null
  last_event: string | null
  windows_open_at_end: number
  rules: BacktestRule[]
}

type Raw = Record<string, unknown>

function record(value: unknown): Raw {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {}
}

function texts(value: unknown): { zh: string; en: string } {
  if (typeof value === 'string') return { zh: value, en: value }
  const raw = record(value)
  return { zh: String(raw.zh ?? raw.en ?? ''), en: String(raw.en ?? raw.zh ?? '') }
}

function counts(value: unknown): Record<string, number> {
  return Object.fromEntries(Object.entries(record(value)).map(([key, count]) => [key, Number(count) || 0]))
}

function normalizeVersion(value: unknown, packId = ''): PackVersion {
  const raw = record(value)
  return {
    pack_id: String(raw.pack_id ?? raw.pack ?? packId),
    version: Number(raw.version ?? 0),
    active: Boolean(raw.active),
    published_at: String(raw.published_at ?? ''),
    published_by: String(raw.published_by ?? ''),
    name: texts(raw.name),
    rule_count: Number(raw.rule_count ?? (Array.isArray(raw.rules) ? raw.rules.length : 0)),
    yaml: typeof raw.yaml === 'string' ? raw.yaml : null,
  }
}

function normalizePack(value: unknown): PackSummary {
  const raw = record(value)
  return {
    pack_id: String(raw.id ?? raw.pack_id ?? ''),
    name: texts(raw.name),
    active_version: raw.active_version != null ? Number(raw.active_version) : null,
    latest_version: Number(raw.latest_version ?? raw.active_version ?? 0),
    version_count: Number(raw.version_count ?? 0),
    rule_count: raw.rule_count != null ? Number(raw.rule_count) : null,
    published_at: String(raw.published_at ?? ''),
    published_by: String(raw.published_by ?? ''),
  }
}

export async function listPacks(signal?: AbortSignal): Promise<PackSummary[]> {
  const raw = await api.get<{ items?: unknown[] }>('/rule-packs', { limit: 500 }, signal)
  return (raw.items ?? []).map(normalizePack)
}

// The active version of a pack (or its newest when none is active), with its YAML.
export async function fetchActiveVersion(packId: string, signal?: AbortSignal): Promise<PackVersion> {
  return normalizeVersion(await api.get<unknown>(`/rule-packs/${segment(packId)}`, undefined, signal), packId)
}

// Every stored version of a pack, newest first, without the YAML.
export async function listVersions(packId: string, signal?: AbortSignal): Promise<PackVersion[]> {
  const raw = await api.get<{ items?: unknown[] }>(`/rule-packs/${segment(packId)}/versions`, undefined, signal)
  return (raw.items ?? []).map((item) => normalizeVersion(item, packId)).sort((a, b) => b.version - a.version)
}

export async function fetchVersion(packId: string, version: number, signal?: AbortSignal): Promise<PackVersion> {
  const raw = await api.get<unknown>(`/rule-packs/${segment(packId)}/versions/${version}`, undefined, signal)
  return normalizeVersion(raw, packId)
}

// The places of a rule that hold a CEL expression; each decides the variables it may use.
export type ExpressionPart = 'trigger' | 'trigger_subject_id' | 'awaited' | 'awaited_subject_id' | 'streak' | 'threshold'

// Checks one CEL expression of a rule about `subject_type` on the server.
export async function checkExpression(
  body: { expression: string; subject_type: string; part: ExpressionPart },
  signal?: AbortSignal,
): Promise<ExpressionCheck> {
  const raw = record(await api.request<unknown>('POST', '/rule-packs/check-expression', { body, signal }))
  const problems = Array.isArray(raw.problems) ? raw.problems.map((item) => String(record(item).message ?? item)) : []
  return {
    valid: raw.ok !== undefined ? Boolean(raw.ok) : problems.length === 0,
    message: problems.join('; '),
    type: raw.type ? String(raw.type) : '',
  }
}

export async function backtest(body: { yaml: string; from?: string; to?: string }): Promise<BacktestResult> {
  const raw = record(await api.post<unknown>('/rule-packs/backtest', body))
  return {
    events: Number(raw.events ?? 0),
    first_event: raw.first_event ? String(raw.first_event) : null,
    last_event: raw.last_event ? String(raw.last_event) : null,
    windows_open_at_end: Number(raw.windows_open_at_end ?? 0),
    rules: (Array.isArray(raw.rules) ? raw.rules : []).map((item) => {
      const rule = record(item)
      return {
        rule_id: String(rule.rule_id ?? rule.id ?? ''),
        name: texts(rule.name),
        alerts: Number(rule.alerts ?? 0),
        by_week: counts(rule.by_week),
        by_level: counts(rule.by_level),
        evaluation_failures: Number(rule.evaluation_failures ?? 0),
      }
    }),
  }
}

export async function publish(yaml: string): Promise<PackVersion> {
  return normalizeVersion(await api.post<unknown>('/rule-packs/publish', { yaml }))
}
