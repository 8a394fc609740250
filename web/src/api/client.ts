// The fetch wrapper every API call goes through: same-origin cookies, the CSRF header on writes,
// Accept-Language from the current locale, and errors as ApiError with the server's {code, message}.

export const API_BASE = '/api/v1'
export const CSRF_COOKIE = 'sr_csrf'
export const CSRF_HEADER = 'X-CSRF-Token'

// An error from the server's body {code, message, details}. The message is in the request's language.
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: Record<string, string>

  constructor(status: number, code: string, message: string, details: Record<string, string> = {}) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details
  }
}

// The client's links to the rest of the app, set once by main.ts (tests set their own).
export interface ClientSettings {
  baseUrl: string // API_BASE in the app, a local server's URL in tests
  locale: () => string
  csrfFallback: () => string | null
  onUnauthenticated: () => void
}

let settings: ClientSettings = {
  baseUrl: API_BASE,
  locale: () => 'zh-CN',
  csrfFallback: () => null,
  onUnauthenticated: () => {},
}

export function configureClient(next: Partial<ClientSettings>): void {
  settings = { ...settings, ...next }
}

// Returns the value of cookie `name` from document.cookie, or null.
export function readCookie(name: string, cookieText: string = document.cookie): string | null {
  for (const part of cookieText.split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return decodeURIComponent(rest.join('='))
  }
  return null
}

export type QueryValue = string | number | boolean | null | undefined
export type Query = Record<string, QueryValue | QueryValue[]>

// Builds "?a=1&b=2", leaving out null, undefined and empty-string values.
export function buildQuery(query: Query | undefined): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value]
    for (const item of values) {
      if (item === null || item === undefined || item === '') continue
      params.append(key, String(item))
    }
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

export interface RequestOptions {
  query?: Query
  body?: unknown
  signal?: AbortSignal
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function buildHeaders(method: string, hasBody: boolean): Headers {
  const headers = new Headers({ Accept: 'application/json', 'Accept-Language': settings.locale() })
  if (hasBody) headers.set('Content-Type', 'application/json')

  if (WRITE_METHODS.has(method)) {
    const token = readCookie(CSRF_COOKIE) ?? settings.csrfFallback()
    if (token) headers.set(CSRF_HEADER, token)
  }
  return headers
}

async function toApiError(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '')
  try {
    const body = JSON.parse(text) as { code?: string; message?: string; details?: Record<string, string> }
    if (body && typeof body.message === 'string') {
      return new ApiError(response.status, body.code ?? 'unknown', body.message, body.details ?? {})
    }
  } catch {
    // Not JSON, so a proxy or the dev server sent it. Fall through with the status line.
  }
  const message = text.trim().slice(0, 200) || `HTTP ${response.status} ${response.statusText}`
  return new ApiError(response.status, 'http_' + response.status, message)
}

// Sends one request and returns the parsed JSON body (undefined for 204).
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const hasBody = options.body !== undefined
  let response: Response
  try {
    response = await fetch(settings.baseUrl + path + buildQuery(options.query), {
      method,
      credentials: 'same-origin',
      headers: buildHeaders(method, hasBody),
      body: hasBody ? JSON.stringify(options.body) : undefined,
      signal: options.signal,
    })
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause))
  }

  if (!response.ok) {
    const error = await toApiError(response)
    if (response.status === 401) settings.onUnauthenticated()
    throw error
  }
  if (response.status === 204) return undefined as T
  const text = await response.text()
  return (text ? JSON.parse(text) : undefined) as T
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body: body ?? {} }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body: body ?? {} }),
  delete: <T>(path: string) => request<T>('DELETE', path),
  request: <T>(method: string, path: string, options?: RequestOptions) => request<T>(method, path, options),
}

// Path segment for an id that may contain '/' (alert ids do).
export function segment(id: string | number): string {
  return encodeURIComponent(String(id))
}
