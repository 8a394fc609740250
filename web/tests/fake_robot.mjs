// A local fake of a WeCom group robot for the browser tests: an HTTP server on 127.0.0.1 that
// accepts POST /cgi-bin/webhook/send?key=KEY with a text or markdown body, as WeCom documents it,
// records what arrived and replies {"errcode":0}. A wrong key gets WeCom's errcode 93000.
import { createServer } from 'node:http'

export async function startFakeWecomRobot({ key }) {
  const arrivals = []
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1')
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk) => {
      body += chunk
    })
    request.on('end', () => {
      let parsed = null
      try {
        parsed = JSON.parse(body)
      } catch {
        // Recorded as null; the shape check below fails.
      }
      const shapeOk = parsed && ['text', 'markdown'].includes(parsed.msgtype) && typeof parsed[parsed.msgtype]?.content === 'string'
      const keyOk = request.method === 'POST' && url.pathname === '/cgi-bin/webhook/send' && url.searchParams.get('key') === key
      arrivals.push({ body: parsed, accepted: Boolean(shapeOk && keyOk) })
      response.setHeader('Content-Type', 'application/json')
      response.end(JSON.stringify(keyOk && shapeOk ? { errcode: 0, errmsg: 'ok' } : { errcode: 93000, errmsg: 'invalid webhook url' }))
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  return {
    endpoint: `http://127.0.0.1:${port}/cgi-bin/webhook/send`,
    arrivals,
    stop: () => new Promise((resolve) => server.close(resolve)),
  }
}
