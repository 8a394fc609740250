// A small client of /api/v1 for the browser tests' set-up steps: it signs in like the web UI
// (session cookie plus X-CSRF-Token on writes) and throws on any status that is not 2xx.
export class ApiSession {
  constructor(baseUrl) {
    this.baseUrl = baseUrl
    this.cookies = new Map()
  }

  static async signIn(baseUrl, login, password) {
    const session = new ApiSession(baseUrl)
    await session.request('POST', '/auth/sign-in', { login, password })
    return session
  }

  cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  async request(method, path, body) {
    const headers = { Accept: 'application/json', 'Accept-Language': 'en' }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    if (this.cookies.size > 0) headers.Cookie = this.cookieHeader()
    const csrf = this.cookies.get('sr_csrf')
    if (csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf

    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const index = pair.indexOf('=')
      this.cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim())
    }

    const text = await response.text()
    const json = text ? JSON.parse(text) : undefined
    if (!response.ok) {
      throw new Error(`${method} ${path} returned ${response.status}: ${text.slice(0, 500)}`)
    }
    return json
  }

  get(path) {
    return this.request('GET', path)
  }

  post(path, body = {}) {
    return this.request('POST', path, body)
  }
}
