import assert from 'node:assert/strict'
import net from 'node:net'
import { after, before, describe, test } from 'node:test'
import { signRequest } from '@tessera/server'
import { ADAPTERS, type AuthServer, startAuthServer } from '../support/auth-server.ts'
import { type ClientKey, loginForKey } from './signed-helpers.ts'

interface RawAnswer {
  status: number
  json: any
}

/** Writes one HTTP/1.1 request as raw text (any request-target form) and reads the answer to the end. */
function rawExchange(server: AuthServer, head: string, body = ''): Promise<RawAnswer> {
  const { hostname, port } = new URL(server.baseUrl)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(`${head}\r\n\r\n${body}`))
    socket.setTimeout(10_000, () => socket.destroy(new Error('raw request timed out')))
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)
      const payload = text.slice(text.indexOf('\r\n\r\n') + 4)
      resolve({ status, json: payload.startsWith('{') ? JSON.parse(payload) : undefined })
    })
  })
}

/** A request signed for `path` on the server, sent with `target` on the request line. */
function signedHead(
  server: AuthServer,
  key: ClientKey,
  method: string,
  path: string,
  target: string,
  body?: string,
) {
  const url = new URL(path, server.baseUrl)
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' }
  const signed = signRequest({
    method,
    url,
    headers,
    ...(body !== undefined && { body }),
    keyId: key.id,
    algorithm: key.algorithm,
    key: key.key,
    created: Math.floor(server.clock.now / 1000),
  })
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${url.host}`, 'Connection: close']
  for (const [name, value] of Object.entries({ ...headers, ...signed })) lines.push(`${name}: ${value}`)
  lines.push(`Content-Length: ${Buffer.byteLength(body ?? '')}`)
  return lines.join('\r\n')
}

// docs/signatures.md §7: absolute-form targets (RFC 9112 §3.2.2) are accepted.
for (const adapter of ADAPTERS) {
  describe(`absolute-form request targets on ${adapter}`, () => {
    let server: AuthServer
    let key: ClientKey
    before(async () => {
      server = await startAuthServer(adapter)
      const user = await server.createUser()
      key = await loginForKey(server, user.email, user.password)
    })
    after(() => server.close())

    test('a signed GET sent as GET http://host/path?query is verified: @path and @query come from the URL', async () => {
      const path = '/api/things?page=1'
      const answer = await rawExchange(
        server,
        signedHead(server, key, 'GET', path, `${server.baseUrl}${path}`),
      )
      assert.equal(answer.status, 200, JSON.stringify(answer.json))
      assert.deepEqual(answer.json.things, [1, 2])
    })

    test('a signed PUT with a JSON body in absolute-form is verified, digest included', async () => {
      const path = '/api/things/4'
      const body = '{"name":"absolute"}'
      const head = signedHead(server, key, 'PUT', path, `${server.baseUrl}${path}`, body)
      const answer = await rawExchange(server, head, body)
      assert.equal(answer.status, 200, JSON.stringify(answer.json))
      assert.deepEqual(answer.json, { saved: { name: 'absolute' } })
    })

    test('an absolute-form target naming another host than Host is 401 invalid_signature, with the reason', async () => {
      const port = new URL(server.baseUrl).port
      const head = signedHead(server, key, 'GET', '/api/things', `http://other.example:${port}/api/things`)
      const answer = await rawExchange(server, head)
      assert.equal(answer.status, 401)
      assert.equal(answer.json.code, 'invalid_signature')
      assert.equal(answer.json.detail, 'request target authority differs from host')
    })
  })
}
