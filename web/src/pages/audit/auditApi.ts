// GET /api/v1/audit: the audit log in id order, paged with after_id.
import { api } from '@/api/client'

export interface AuditEntry {
  id: number
  at: string
  actor: string
  action: string
  entity_kind: string
  entity_id: string
  request_id: string
  before: unknown
  after: unknown
  hash: string
  prev_hash: string
}

export interface AuditFilter {
  actor?: string
  action?: string
  entity_kind?: string
  from?: string
  to?: string
}

export interface AuditPage {
  items: AuditEntry[]
  next_after_id: number | null
}

type Raw = Record<string, unknown>

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null
  try {
    return JSON.parse(value)
  } catch {
    return value
  }
}

function normalizeEntry(value: unknown): AuditEntry {
  const raw = (value ?? {}) as Raw
  return {
    id: Number(raw.id ?? 0),
    at: String(raw.at ?? raw.created_at ?? ''),
    actor: String(raw.actor ?? raw.actor_login ?? ''),
    action: String(raw.action ?? ''),
    entity_kind: String(raw.entity_kind ?? raw.entity_type ?? ''),
    entity_id: String(raw.entity_id ?? ''),
    request_id: String(raw.request_id ?? ''),
    before: parseJson(raw.before ?? raw.before_json),
    after: parseJson(raw.after ?? raw.after_json),
    hash: String(raw.hash ?? ''),
    prev_hash: String(raw.prev_hash ?? ''),
  }
}

export async function listAudit(filter: AuditFilter, afterId: number, limit: number, signal?: AbortSignal): Promise<AuditPage> {
  const raw = await api.get<Raw>('/audit', { ...filter, after_id: afterId || undefined, limit }, signal)
  const items = (Array.isArray(raw.items) ? raw.items : []).map(normalizeEntry)
  const explicit = raw.next_after_id ?? raw.next_cursor
  const next = explicit !== undefined ? (explicit === null ? null : Number(explicit)) : items.length === limit ? (items.at(-1)?.id ?? null) : null
  return { items, next_after_id: next }
}
