// One function per API route that the main pages call.
import { api, segment } from './client'
import {
  normalizeAlert,
  normalizeBehaviourHealth,
  normalizeHistoryEntry,
  normalizeOpportunity,
  normalizeOrgUnit,
  normalizePipeline,
  normalizeTimelineEntry,
  normalizeUser,
  type Alert,
  type AlertHistoryEntry,
  type AlertFilter,
  type BehaviourHealthReport,
  type OrgUnit,
  type Opportunity,
  type Page,
  type PipelineFilter,
  type PipelineReport,
  type SignInResult,
  type TimelineEntry,
  type User,
} from './types'

type RawPage = { items?: unknown[]; next_cursor?: string | null }

function mapPage<T>(raw: RawPage, map: (item: unknown) => T): Page<T> {
  return { items: (raw.items ?? []).map(map), next_cursor: raw.next_cursor ?? null }
}

export async function signIn(login: string, password: string): Promise<SignInResult> {
  const raw = await api.post<{ user: unknown; csrf_token?: string }>('/auth/sign-in', { login, password })
  return { user: normalizeUser(raw.user), csrf_token: raw.csrf_token ?? '' }
}

// Returns the signed-in user and, for a cookie session, its CSRF token.
export async function fetchMe(): Promise<{ user: User; csrf_token: string | null }> {
  const raw = await api.get<{ user?: unknown; csrf_token?: string }>('/auth/me')
  return { user: normalizeUser(raw.user ?? raw), csrf_token: raw.csrf_token ?? null }
}

export async function signOut(): Promise<void> {
  await api.post('/auth/sign-out')
}

export async function listAlerts(filter: AlertFilter, locale: string, signal?: AbortSignal): Promise<Page<Alert>> {
  const raw = await api.get<RawPage>('/alerts', { ...filter }, signal)
  return mapPage(raw, (item) => normalizeAlert(item, locale))
}

async function alertAction(id: string, action: string, body: object, locale: string): Promise<Alert> {
  const raw = await api.post<unknown>(`/alerts/${segment(id)}/${action}`, body)
  return normalizeAlert(raw && typeof raw === 'object' && 'alert' in raw ? (raw as { alert: unknown }).alert : raw, locale)
}

export function acknowledgeAlert(id: string, locale: string, note = ''): Promise<Alert> {
  return alertAction(id, 'acknowledge', note ? { note } : {}, locale)
}

export function snoozeAlert(id: string, until: Date, locale: string, note = ''): Promise<Alert> {
  return alertAction(id, 'snooze', { until: until.toISOString(), note }, locale)
}

export function resolveAlert(id: string, note: string, locale: string): Promise<Alert> {
  return alertAction(id, 'resolve', { note }, locale)
}

export async function behaviourHealth(
  query: { from?: string; to?: string; team?: string },
  signal?: AbortSignal,
): Promise<BehaviourHealthReport> {
  const raw = await api.get<unknown>('/reports/behaviour-health', query, signal)
  return normalizeBehaviourHealth(raw)
}

export async function pipelineReport(filter: PipelineFilter & { by?: string }, signal?: AbortSignal): Promise<PipelineReport> {
  const raw = await api.get<unknown>('/reports/pipeline', { ...filter }, signal)
  return normalizePipeline(raw)
}

export async function fetchOpportunity(id: string | number, signal?: AbortSignal): Promise<Opportunity> {
  const raw = await api.get<unknown>(`/opportunities/${segment(id)}`, undefined, signal)
  return normalizeOpportunity(raw)
}

// Returns the opportunity's activities and stage changes, oldest first. The server returns at
// most the newest 500 activities and sets `truncated` when it left older ones out.
export async function fetchTimeline(id: string | number, signal?: AbortSignal): Promise<{ items: TimelineEntry[]; truncated: boolean }> {
  const raw = await api.get<{ items?: unknown[]; activities_truncated?: boolean }>(`/opportunities/${segment(id)}/timeline`, undefined, signal)
  return { items: (raw.items ?? []).map(normalizeTimelineEntry), truncated: raw.activities_truncated === true }
}

// Finds the opportunity whose external id is `externalId`. Alerts name their subject by
// external id, while the opportunity routes take the numeric id.
// NOTE: the record routes have no external_id filter, so this searches by name when there is
// one and otherwise pages through the visible opportunities, at most MAX_LOOKUP_PAGES pages.
const MAX_LOOKUP_PAGES = 40

export async function findOpportunityByExternalId(externalId: string, name: string): Promise<number | null> {
  let cursor: string | undefined
  for (let page = 0; page < MAX_LOOKUP_PAGES; page += 1) {
    const raw = await api.get<RawPage>('/opportunities', { q: name && name !== externalId ? name : undefined, limit: 500, sort: 'id', cursor })
    const match = (raw.items ?? []).map((item) => normalizeOpportunity(item)).find((item) => item.external_id === externalId)
    if (match) return match.id
    if (!raw.next_cursor) return null
    cursor = raw.next_cursor
  }
  return null
}

export async function listAlertHistory(id: string): Promise<AlertHistoryEntry[]> {
  const raw = await api.get<{ items?: unknown[] }>(`/alerts/${segment(id)}/history`)
  return (raw.items ?? []).map(normalizeHistoryEntry)
}

export async function listUsers(query: { role?: string; limit?: number } = {}): Promise<User[]> {
  const raw = await api.get<RawPage>('/users', { limit: 500, ...query })
  return (raw.items ?? []).map(normalizeUser)
}

export async function listOrgUnits(): Promise<OrgUnit[]> {
  const raw = await api.get<RawPage>('/org-units', { limit: 500 })
  return (raw.items ?? []).map(normalizeOrgUnit)
}

// Lists the products that the visible opportunities refer to, for the pipeline filter.
// NOTE: the API has no product list route, so this collects the products of the 500 most
// recently updated opportunities. Products of older opportunities may be missing.
export async function listProducts(): Promise<{ id: number; name: string }[]> {
  const raw = await api.get<RawPage>('/opportunities', { limit: 500, sort: '-updated_at' })
  const products = new Map<number, string>()
  for (const item of raw.items ?? []) {
    const opportunity = normalizeOpportunity(item)
    if (opportunity.product_id !== null) products.set(opportunity.product_id, opportunity.product_name || String(opportunity.product_id))
  }
  return [...products].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
}
