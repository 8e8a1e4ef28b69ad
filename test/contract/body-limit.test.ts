import http from 'node:http'
import { after, before, describe, test } from 'node:test'
import { ADAPTERS, type AuthServer, startAuthServer } from '../support/auth-server.ts'
import { type HttpAnswer, send } from '../support/http-client.ts'
import { assertProblem } from './session-helpers.ts'

const LIMIT = 64 * 1024

/** A JSON body of exactly `size` bytes. */
function jsonOfSize(size: number): string {
  return `{"a":"${'x'.repeat(size - 8)}"}`
}

/** Sends the body in chunks with no Content-Length (Transfer-Encoding: chunked). */
function sendChunked(baseUrl: string, path: string, body: string): Promise<HttpAnswer> {
  const url = new URL(path, baseUrl)
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: 'PUT', path, timeout: 10_000, agent: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: JSON.parse(text),
            setCookies: [],
          })
        })
      },
    )
    req.setHeader('content-type', 'application/json')
    req.on('timeout', () => req.destroy(new Error('request timed out')))
    req.on('error', reject)
    for (let i = 0; i < body.length; i += 8192) req.write(body.slice(i, i + 8192))
    req.end()
  })
}

for (const adapter of ADAPTERS) {
  describe(`body limit on ${adapter}`, () => {
    let server: AuthServer
    before(async () => {
      server = await startAuthServer(adapter)
    })
    after(() => server.close())

    test('reads a JSON body of 64 KiB and refuses one byte more with 413, before authentication', async () => {
      const atLimit = await send(server.baseUrl, {
        method: 'PUT',
        path: '/api/things/1',
        body: jsonOfSize(LIMIT),
        headers: [['content-type', 'application/json']],
      })
      assertProblem(atLimit, 401, 'unauthenticated')
      const over = await send(server.baseUrl, {
        method: 'PUT',
        path: '/api/things/1',
        body: jsonOfSize(LIMIT + 1),
        headers: [['content-type', 'application/json']],
      })
      assertProblem(over, 413, 'payload_too_large')
    })

    test('refuses a chunked body over 64 KiB with 413 while reading it', async () => {
      assertProblem(
        await sendChunked(server.baseUrl, '/api/things/1', jsonOfSize(LIMIT + 1)),
        413,
        'payload_too_large',
      )
      assertProblem(
        await sendChunked(server.baseUrl, '/api/things/1', jsonOfSize(1000)),
        401,
        'unauthenticated',
      )
    })
  })
}
