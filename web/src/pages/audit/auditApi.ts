// GET /api/v1/audit: the audit log oldest first, paged with the server's cursor.
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
  next_cursor: string | null
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

// Reads one page; `afterId` starts after that row id, `cursor` continues a previous page.
export async function listAudit(
  filter: AuditFilter,
  position: { afterId?: number; cursor?: string },
  limit: number,
  signal?: AbortSignal,
): Promise<AuditPage> {
  const query = { ...filter, after_id: position.afterId || undefined, cursor: position.cursor, limit }
  const raw = await api.get<Raw>('/audit', query, signal)
  const items = (Array.isArray(raw.items) ? raw.items : []).map(normalizeEntry)
  return { items, next_cursor: typeof raw.next_cursor === 'string' ? raw.next_cursor : null }
}
