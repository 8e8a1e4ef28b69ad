import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { test } from 'node:test'
import Fastify, { type FastifyInstance } from 'fastify'
import { ProblemError, StoreUnavailableError } from '../core/errors.ts'
import {
  acceptOnlyJsonBodies,
  problemClientErrorHandler,
  problemErrorHandler,
  problemFrameworkErrors,
  problemNotFoundHandler,
} from './fastify-problems.ts'

const PROBLEM_JSON = 'application/problem+json; charset=utf-8'

interface TestApp {
  app: FastifyInstance
  logs: Array<Record<string, unknown>>
  bodiesSeen: unknown[]
}

/** A small app wired like the directory, with its log lines captured. */
function buildTestApp(): TestApp {
  const logs: Array<Record<string, unknown>> = []
  const bodiesSeen: unknown[] = []
  const stream = { write: (line: string) => logs.push(JSON.parse(line)) }
  const app = Fastify({
    logger: { level: 'warn', stream },
    bodyLimit: 1024,
    // Reject unknown properties instead of silently dropping them, as the directory does.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
    routerOptions: { maxParamLength: 20 },
    frameworkErrors: problemFrameworkErrors,
    clientErrorHandler: problemClientErrorHandler,
  })
  acceptOnlyJsonBodies(app)
  app.setErrorHandler(problemErrorHandler)
  app.setNotFoundHandler(problemNotFoundHandler)
  const body = {
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' } },
  }
  app.post('/things', { schema: { body } }, async (request) => {
    bodiesSeen.push(request.body)
    return { ok: true }
  })
  app.get('/things/:name', async () => ({ ok: true }))
  app.get('/denied', async () => {
    throw new ProblemError('unauthenticated')
  })
  app.get('/outage', async () => {
    throw new StoreUnavailableError('connect ECONNREFUSED 127.0.0.1:5432')
  })
  app.get('/bug', async () => {
    throw new Error('secret internals: password=hunter2')
  })
  return { app, logs, bodiesSeen }
}

async function post(app: FastifyInstance, payload: string, contentType?: string) {
  const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType }
  return app.inject({ method: 'POST', url: '/things', payload, headers })
}

test('renders a ProblemError as its problem, with WWW-Authenticate on a 401', async () => {
  const { app } = buildTestApp()
  const res = await app.inject('/denied')
  assert.equal(res.statusCode, 401)
  assert.equal(res.headers['content-type'], PROBLEM_JSON)
  assert.match(String(res.headers['www-authenticate']), /Signature realm="tessera"/)
  assert.deepEqual(res.json(), {
    type: 'about:blank',
    title: 'Authentication required',
    status: 401,
    code: 'unauthenticated',
  })
})

test('renders schema failures as validation_failed with the field path', async () => {
  const { app, bodiesSeen } = buildTestApp()
  const bad = await post(app, JSON.stringify({ name: 'a', email: 'nope' }), 'application/json')
  assert.equal(bad.statusCode, 400)
  assert.equal(bad.headers['content-type'], PROBLEM_JSON)
  assert.equal(bad.json().code, 'validation_failed')
  assert.deepEqual(bad.json().errors, [{ path: '/body/email', message: 'must match format "email"' }])
  const missing = await post(app, '{}', 'application/json')
  assert.deepEqual(missing.json().errors, [{ path: '/body/name', message: 'is required' }])
  const extra = await post(app, JSON.stringify({ name: 'a', admin: true }), 'application/json')
  assert.deepEqual(extra.json().errors, [{ path: '/body/admin', message: 'is not allowed' }])
  const huge = await post(app, JSON.stringify({ name: 'a', ['k'.repeat(900)]: 1 }), 'application/json')
  assert.deepEqual(huge.json().errors, [{ path: `/body/${'k'.repeat(100)}…`, message: 'is not allowed' }])
  assert.equal(bodiesSeen.length, 0)
})

test('answers 413 payload_too_large for a body over the limit', async () => {
  const { app, bodiesSeen } = buildTestApp()
  const res = await post(app, JSON.stringify({ name: 'x'.repeat(2000) }), 'application/json')
  assert.equal(res.statusCode, 413)
  assert.equal(res.headers['content-type'], PROBLEM_JSON)
  assert.equal(res.json().code, 'payload_too_large')
  assert.equal(bodiesSeen.length, 0)
})

test('refuses text/plain, form and missing content types with 415', async () => {
  const { app, bodiesSeen } = buildTestApp()
  for (const type of [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    undefined,
  ]) {
    const res = await post(app, '{"name":"a"}', type)
    assert.equal(res.statusCode, 415, `content type ${type}`)
    assert.equal(res.headers['content-type'], PROBLEM_JSON)
    assert.equal(res.json().code, 'unsupported_media_type')
  }
  assert.equal(bodiesSeen.length, 0)
})

test('accepts JSON with a charset parameter', async () => {
  const { app, bodiesSeen } = buildTestApp()
  const res = await post(app, '{"name":"a"}', 'application/json; charset=utf-8')
  assert.equal(res.statusCode, 200)
  assert.deepEqual(bodiesSeen, [{ name: 'a' }])
})

test('answers malformed, empty and prototype-polluting JSON with validation_failed', async () => {
  const { app, bodiesSeen } = buildTestApp()
  for (const payload of ['{"name":', '', '{"name":"a","__proto__":{"admin":true}}']) {
    const res = await post(app, payload, 'application/json')
    assert.equal(res.statusCode, 400, `payload ${payload}`)
    assert.equal(res.headers['content-type'], PROBLEM_JSON)
    assert.equal(res.json().code, 'validation_failed')
    assert.doesNotMatch(res.body, /JSON|content-type/i)
  }
  assert.equal(bodiesSeen.length, 0)
})

test('answers a store outage with 503 and Retry-After: 5, without the driver message', async () => {
  const { app, logs } = buildTestApp()
  const res = await app.inject('/outage')
  assert.equal(res.statusCode, 503)
  assert.equal(res.headers['retry-after'], '5')
  assert.equal(res.json().code, 'service_unavailable')
  assert.doesNotMatch(res.body, /ECONNREFUSED|5432/)
  assert.equal(logs.filter((l) => l.msg === 'store unavailable').length, 1)
})

test('answers unknown routes with not_found', async () => {
  const { app } = buildTestApp()
  const res = await app.inject('/nowhere')
  assert.equal(res.statusCode, 404)
  assert.equal(res.headers['content-type'], PROBLEM_JSON)
  assert.equal(res.json().code, 'not_found')
})

test('hides unexpected errors behind a bare 500 and logs them with the request id', async () => {
  const { app, logs } = buildTestApp()
  const res = await app.inject('/bug')
  assert.equal(res.statusCode, 500)
  assert.deepEqual(res.json(), {
    type: 'about:blank',
    title: 'Internal error',
    status: 500,
    code: 'internal_error',
  })
  assert.doesNotMatch(res.body, /hunter2|secret|stack/)
  const logged = logs.find((l) => l.msg === 'unhandled error')
  assert.ok(logged, 'the error is logged')
  assert.equal(typeof logged.reqId, 'string')
  assert.match(JSON.stringify(logged.err), /hunter2/)
})

test('answers over-long path parameters and bad URL encoding with validation_failed', async () => {
  const { app } = buildTestApp()
  const long = await app.inject(`/things/${'x'.repeat(100)}`)
  assert.equal(long.statusCode, 400)
  assert.equal(long.headers['content-type'], PROBLEM_JSON)
  assert.equal(long.json().code, 'validation_failed')
  const badEncoding = await app.inject('/things/%E0%A4%A')
  assert.equal(badEncoding.statusCode, 400)
  assert.equal(badEncoding.json().code, 'validation_failed')
})

test('answers a request line over the header limit with problem+json on a real socket', async (t) => {
  const { app } = buildTestApp()
  t.after(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port })
    let text = ''
    socket.setTimeout(5000, () => socket.destroy(new Error('timed out')))
    socket.on('data', (chunk) => {
      text += chunk.toString()
    })
    socket.on('close', () => resolve(text))
    socket.on('error', reject)
    socket.write(`GET /things/${'x'.repeat(20_000)} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`)
  })
  assert.match(raw, /^HTTP\/1\.1 400 /)
  assert.match(raw, /content-type: application\/problem\+json/)
  const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))
  assert.equal(body.code, 'validation_failed')
})
