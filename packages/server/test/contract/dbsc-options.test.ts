import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { describe, test } from 'node:test'
import { assertProblem } from '../../../../test/contract/session-helpers.ts'
import { startAuthServer } from '../../../../test/support/auth-server.ts'
import { DbscClient, parseRegistration } from '../../../../test/support/dbsc-client.ts'
import { internals } from '../../src/core/internals.ts'
import { boundSession } from './dbsc-helpers.ts'

describe('DBSC options', { timeout: 60_000 }, () => {
  test('the role policy refuses an unbound admin session on a browser that can bind, 10 s after login, until it registers', async () => {
    const server = await startAuthServer('fastify', {
      dbsc: { requireForRoles: ['admin'], browserSupports: (h) => h.some(([k]) => k === 'sec-ch-ua') },
    })
    try {
      const admin = await server.createUser('admin')
      const capable = new DbscClient(server.baseUrl)
      const loginAnswer = await capable.send(
        'POST',
        '/auth/login',
        [
          ['origin', server.origin],
          ['sec-ch-ua', '"Chromium";v="156"'],
        ],
        { email: admin.email, password: admin.password },
      )
      assert.equal((await capable.send('GET', '/api/admin')).status, 200, 'usable for 10 s while registering')
      server.clock.advance(10_000)
      assertProblem(await capable.send('GET', '/api/admin'), 401, 'session_refresh_required')
      assert.equal((await capable.register(loginAnswer)).status, 200)
      assert.equal((await capable.send('GET', '/api/admin')).status, 200)
      const other = new DbscClient(server.baseUrl)
      await other.login(admin.email, admin.password)
      assert.equal(
        (await other.send('GET', '/api/admin')).status,
        200,
        'a browser that cannot bind is let in',
      )
      const user = await server.createUser('user')
      const plain = new DbscClient(server.baseUrl)
      await plain.send(
        'POST',
        '/auth/login',
        [
          ['origin', server.origin],
          ['sec-ch-ua', '"Chromium";v="156"'],
        ],
        { email: user.email, password: user.password },
      )
      assert.equal(
        (await plain.send('GET', '/api/things')).status,
        200,
        'other roles are not required to bind',
      )
    } finally {
      await server.close()
    }
  })

  test('switched off: no offer, no endpoints, sessions as before', async () => {
    const server = await startAuthServer('express', { dbsc: { enabled: false } })
    try {
      const user = await server.createUser()
      const client = new DbscClient(server.baseUrl)
      const answer = await client.login(user.email, user.password)
      assert.equal(answer.headers['secure-session-registration'], undefined)
      client.sessionId = 'ses_x'
      assertProblem(await client.askChallenge(), 404, 'not_found')
    } finally {
      await server.close()
    }
  })

  test('an unbound session costs no binding query per request once its registration window has passed', async () => {
    const server = await startAuthServer('fastify')
    try {
      const dbsc = internals(server.tessera).stores.dbsc as NonNullable<
        ReturnType<typeof internals>['stores']['dbsc']
      >
      const find = dbsc.find.bind(dbsc)
      let reads = 0
      dbsc.find = (id) => {
        reads++
        return find(id)
      }
      const user = await server.createUser()
      const client = new DbscClient(server.baseUrl)
      await client.login(user.email, user.password)
      server.clock.advance(5 * 60_000 + 1)
      for (let i = 0; i < 5; i++) assert.equal((await client.send('GET', '/api/things')).status, 200)
      assert.equal(reads, 1)
    } finally {
      await server.close()
    }
  })

  test('an RS256 key (2048-bit RSA) registers and refreshes', async () => {
    const server = await startAuthServer('express')
    try {
      const user = await server.createUser()
      const client = new DbscClient(server.baseUrl)
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      client.privateKey = rsa.privateKey
      client.publicJwk = rsa.publicKey.export({ format: 'jwk' }) as Record<string, unknown>
      const loginAnswer = await client.login(user.email, user.password)
      const { challenge } = parseRegistration(String(loginAnswer.headers['secure-session-registration']))
      const jwt = client.proof(challenge, true, { alg: 'RS256' })
      assert.equal((await client.register(loginAnswer, { jwt })).status, 200)
      const asked = String((await client.askChallenge()).headers['secure-session-challenge'])
      const proof = client.proof((/^"([^"]+)"/.exec(asked) as RegExpExecArray)[1] as string, false, {
        alg: 'RS256',
      })
      assert.equal((await client.sendProof(proof)).status, 200)
      const es256 = client.proof((/^"([^"]+)"/.exec(asked) as RegExpExecArray)[1] as string, false)
      assertProblem(await client.sendProof(es256), 401, 'invalid_session_proof')
    } finally {
      await server.close()
    }
  })

  test('the bound cookie lifetime is an option', async () => {
    const server = await startAuthServer('hono', { dbsc: { boundCookieMs: 60_000 } })
    try {
      const { client } = await boundSession(server)
      server.clock.advance(60_000)
      assertProblem(await client.send('GET', '/api/things'), 401, 'session_refresh_required')
    } finally {
      await server.close()
    }
  })
})
