// Sends real requests to a local HTTP server and checks what the client puts on the wire.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ApiError, api, buildQuery, configureClient, readCookie, segment } from './client'

interface Seen {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

let server: Server
let seen: Seen[] = []
let locale = 'zh-CN'
let unauthenticatedCalls = 0

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body })
      if (request.url?.startsWith('/api/v1/fail')) {
        response.writeHead(409, { 'Content-Type': 'application/json' })
        response.end(JSON.stringify({ code: 'conflict', message: '预警已解决', details: { id: 'a/b' } }))
      } else if (request.url?.startsWith('/api/v1/plain')) {
        response.writeHead(502, { 'Content-Type': 'text/plain' })
        response.end('Bad Gateway')
      } else if (request.url?.startsWith('/api/v1/me')) {
        response.writeHead(401, { 'Content-Type': 'application/json' })
        response.end(JSON.stringify({ code: 'unauthenticated', message: 'sign in first' }))
      } else if (request.url?.startsWith('/api/v1/empty')) {
        response.writeHead(204)
        response.end()
      } else {
        response.writeHead(200, { 'Content-Type': 'application/json' })
        response.end(JSON.stringify({ ok: true }))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  configureClient({
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    locale: () => locale,
    csrfFallback: () => 'fallback-token',
    onUnauthenticated: () => (unauthenticatedCalls += 1),
  })
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

beforeEach(() => {
  seen = []
  locale = 'zh-CN'
  document.cookie = 'sr_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT'
})

describe('api client headers', () => {
  it('sends Accept-Language from the current locale', async () => {
    await api.get('/alerts')
    locale = 'en'
    await api.get('/alerts')

    expect(seen[0].headers['accept-language']).toBe('zh-CN')
    expect(seen[1].headers['accept-language']).toBe('en')
  })

  it('sends the CSRF cookie value on writes', async () => {
    document.cookie = 'other=1'
    document.cookie = 'sr_csrf=token%2F123'
    await api.post('/alerts/x/acknowledge', { note: '' })

    expect(seen[0].method).toBe('POST')
    expect(seen[0].headers['x-csrf-token']).toBe('token/123')
    expect(seen[0].headers['content-type']).toBe('application/json')
    expect(JSON.parse(seen[0].body)).toEqual({ note: '' })
  })

  it('uses the sign-in token when the cookie is missing', async () => {
    await api.delete('/rules/1')

    expect(seen[0].headers['x-csrf-token']).toBe('fallback-token')
  })

  it('sends no CSRF header on reads', async () => {
    document.cookie = 'sr_csrf=abc'
    await api.get('/alerts', { level: 'red', status: '', cursor: undefined })

    expect(seen[0].headers['x-csrf-token']).toBeUndefined()
    expect(seen[0].url).toBe('/api/v1/alerts?level=red')
  })
})

describe('api client errors', () => {
  it('surfaces the server code and message', async () => {
    const error = await api.post('/fail').catch((cause: unknown) => cause)

    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).status).toBe(409)
    expect((error as ApiError).code).toBe('conflict')
    expect((error as ApiError).message).toBe('预警已解决')
    expect((error as ApiError).details).toEqual({ id: 'a/b' })
  })

  it('falls back to the body text when it is not JSON', async () => {
    const error = (await api.get('/plain').catch((cause: unknown) => cause)) as ApiError

    expect(error.status).toBe(502)
    expect(error.message).toBe('Bad Gateway')
  })

  it('reports 401 to the session handler', async () => {
    const before = unauthenticatedCalls
    await api.get('/me').catch(() => undefined)

    expect(unauthenticatedCalls).toBe(before + 1)
  })

  it('returns undefined for 204', async () => {
    await expect(api.post('/empty')).resolves.toBeUndefined()
  })

  it('reports a refused connection as a network error', async () => {
    configureClient({ baseUrl: 'http://127.0.0.1:1/api/v1' })
    const error = (await api.get('/alerts').catch((cause: unknown) => cause)) as ApiError
    configureClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1` })

    expect(error).toBeInstanceOf(ApiError)
    expect(error.code).toBe('network')
  })
})

describe('api client helpers', () => {
  it('encodes alert ids with slashes as one segment', () => {
    expect(segment('pack/rule@1/opportunity/42/ev%2F1')).toBe('pack%2Frule%401%2Fopportunity%2F42%2Fev%252F1')
  })

  it('reads a cookie among others', () => {
    expect(readCookie('sr_csrf', 'a=1; sr_csrf=x%3Dy; b=2')).toBe('x=y')
    expect(readCookie('missing', 'a=1')).toBeNull()
  })

  it('builds a query without empty values', () => {
    expect(buildQuery({ a: 1, b: '', c: null, d: ['x', 'y'] })).toBe('?a=1&d=x&d=y')
    expect(buildQuery({})).toBe('')
  })
})
