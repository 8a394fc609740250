// The import routes of /api/v1 that the import page calls: upload a file (with upload progress),
// preview rows with a column mapping, run the import and poll the job.
import { API_BASE, ApiError, api, buildHeaders, segment } from '@/api/client'

export type JobState = 'uploaded' | 'running' | 'succeeded' | 'failed' | 'cancelled'

export const IMPORT_ENTITIES = ['opportunity', 'account', 'contact', 'lead', 'activity'] as const

export interface TargetField {
  name: string
  required: boolean
}

// The built-in fields of each entity (docs/import.md, "Built-in fields"); required ones first.
// `external_id` identifies the record, so that importing the same file again updates it.
export const ENTITY_FIELDS: Record<string, TargetField[]> = Object.fromEntries(
  Object.entries({
    opportunity: ['stage*', 'name', 'amount', 'owner', 'account', 'product', 'engage_date', 'close_date'],
    account: ['name*', 'industry', 'employees', 'revenue', 'region', 'parent', 'year_established'],
    contact: ['name*', 'account', 'title', 'phone', 'email'],
    lead: ['name*', 'company', 'owner', 'source', 'status', 'created_on'],
    activity: ['type*', 'occurred_at*', 'actor', 'subject_type', 'subject_id', 'subject_text', 'payload'],
  }).map(([entity, names]) => [
    entity,
    [{ name: 'external_id', required: false }, ...names.map((name) => ({ name: name.replace('*', ''), required: name.endsWith('*') }))],
  ]),
)

export interface RowError {
  line: number
  column: string
  value: string
  message: string
}

export interface ImportJob {
  id: number
  file_name: string
  entity: string
  format: string
  encoding: string
  state: JobState
  header: string[]
  data_rows: number
  rows_total: number
  rows_done: number
  totals: Record<string, number>
  summary_text: string
  row_errors: RowError[]
  row_errors_total: number
  error: string
}

export interface PreviewRow {
  line: number
  ok: boolean
  values: Record<string, string>
  errors: RowError[]
}

export interface Preview {
  mapping_ok: boolean
  mapping_problems: string[]
  suggested_mapping: Record<string, string | null> // column -> field
  fields: string[]
  rows: PreviewRow[]
  rows_with_errors: number
}

type Raw = Record<string, unknown>

function record(value: unknown): Raw {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {}
}

function text(value: unknown): string {
  if (value && typeof value === 'object') return JSON.stringify(value)
  return value === undefined || value === null ? '' : String(value)
}

function rowError(value: unknown): RowError {
  const raw = typeof value === 'string' ? { message: value } : record(value)
  return { line: Number(raw.line ?? 0), column: text(raw.column), value: text(raw.value), message: text(raw.message) }
}

export function normalizeJob(value: unknown): ImportJob {
  const raw = record(value)
  const summary = record(raw.summary)
  return {
    id: Number(raw.id ?? 0),
    file_name: text(raw.file_name),
    entity: text(raw.entity),
    format: text(raw.format),
    encoding: text(raw.encoding),
    state: (text(raw.state) || 'uploaded') as JobState,
    header: (Array.isArray(raw.header) ? raw.header : []).map(text),
    data_rows: Number(raw.data_rows ?? 0),
    rows_total: Number(raw.rows_total ?? 0),
    rows_done: Number(raw.rows_done ?? 0),
    totals: Object.fromEntries(Object.entries(record(summary.totals)).map(([key, count]) => [key, Number(count) || 0])),
    summary_text: text(raw.summary_text),
    row_errors: (Array.isArray(raw.row_errors) ? raw.row_errors : []).map(rowError),
    row_errors_total: Number(raw.row_errors_total ?? 0),
    error: text(raw.error),
  }
}

function normalizePreview(value: unknown): Preview {
  const raw = record(value)
  const rows = (Array.isArray(raw.rows) ? raw.rows : []).map((item) => {
    const row = record(item)
    const converted = record(row.record)
    const values: Record<string, string> = {}
    if (converted.external_id !== undefined) values.external_id = text(converted.external_id)
    for (const [key, cell] of Object.entries({ ...record(converted.fields), ...record(converted.custom_fields) })) {
      values[key] = text(cell)
    }
    const errors = (Array.isArray(row.errors) ? row.errors : []).map(rowError)
    return { line: Number(row.line ?? 0), ok: row.ok !== undefined ? Boolean(row.ok) : errors.length === 0, values, errors }
  })
  return {
    mapping_ok: raw.mapping_ok !== false,
    mapping_problems: (Array.isArray(raw.mapping_problems) ? raw.mapping_problems : []).map(text),
    suggested_mapping: Object.fromEntries(
      Object.entries(record(raw.suggested_mapping)).map(([column, field]) => [column, field ? text(field) : null]),
    ),
    fields: [...new Set(rows.flatMap((row) => Object.keys(row.values)))],
    rows,
    rows_with_errors: rows.filter((row) => !row.ok).length,
  }
}

// Builds the mapping JSON (the keys of a mapping file) from field -> column choices.
export function mappingJson(choices: Record<string, string>): Raw {
  const fields: Record<string, string> = {}
  let externalId: string | undefined
  for (const [field, column] of Object.entries(choices)) {
    if (!column) continue
    if (field === 'external_id') externalId = column
    else fields[field] = column
  }
  return externalId ? { external_id: externalId, fields } : { fields }
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

// Uploads `file` as the request body; `onProgress` gets the fraction sent, 0 to 1.
export function uploadFile(file: File, entity: string, onProgress: (fraction: number) => void): Promise<ImportJob> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest()
    const query = new URLSearchParams({ entity, file_name: file.name })
    request.open('POST', `${API_BASE}/imports?${query}`)
    buildHeaders('POST', false).forEach((value, name) => request.setRequestHeader(name, value))
    const isXlsx = file.name.toLowerCase().endsWith('.xlsx')
    request.setRequestHeader('Content-Type', isXlsx ? XLSX_TYPE : 'text/csv')

    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total)
    }
    request.onload = () => {
      let body: Raw = {}
      try {
        body = record(JSON.parse(request.responseText || '{}'))
      } catch {
        // Not JSON; the status line is reported below.
      }
      if (request.status >= 200 && request.status < 300) {
        onProgress(1)
        resolve(normalizeJob(body))
      } else {
        const message = text(body.message) || `HTTP ${request.status}`
        reject(new ApiError(request.status, text(body.code) || `http_${request.status}`, message))
      }
    }
    request.onerror = () => reject(new ApiError(0, 'network', 'network error'))
    request.send(file)
  })
}

export async function previewImport(id: number, choices: Record<string, string>, rows = 20): Promise<Preview> {
  return normalizePreview(await api.post<unknown>(`/imports/${segment(id)}/preview`, { mapping: mappingJson(choices), rows }))
}

export async function runImport(id: number, choices: Record<string, string>): Promise<ImportJob> {
  return normalizeJob(await api.post<unknown>(`/imports/${segment(id)}/run`, { mapping: mappingJson(choices) }))
}

export async function fetchJob(id: number): Promise<ImportJob> {
  return normalizeJob(await api.get<unknown>(`/imports/${segment(id)}`))
}

export async function cancelJob(id: number): Promise<void> {
  await api.post(`/imports/${segment(id)}/cancel`)
}
