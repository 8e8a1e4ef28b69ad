import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { assertProblem } from '../../../../test/contract/session-helpers.ts'
import { ADAPTERS, type AuthServer, startAuthServer } from '../../../../test/support/auth-server.ts'
import { b64, DbscClient, parseRegistration, signJwt } from '../../../../test/support/dbsc-client.ts'
import { auditEvent, BOUND_COOKIE, boundSession, SESSION_COOKIE, TEN_MINUTES } from './dbsc-helpers.ts'

for (const adapter of ADAPTERS) {
  describe(`DBSC device-bound sessions (${adapter})`, { timeout: 60_000 }, () => {
    let server: AuthServer
    before(async () => {
      server = await startAuthServer(adapter)
    })
    after(() => server.close())

    test('a session login offers registration with a single-use challenge', async () => {
      const user = await server.createUser()
      const client = new DbscClient(server.baseUrl)
      const answer = await client.login(user.email, user.password)
      const offer = parseRegistration(String(answer.headers['secure-session-registration']))
      assert.deepEqual(offer.algorithms, ['ES256', 'RS256'])
      assert.equal(offer.path, '/auth/dbsc/register')
    })

    test('registration verifies the proof, binds the key and sets the bound cookie', async () => {
      const { client, user, loginAnswer } = await boundSession(server)
      const sessionId = client.sessionId as string
      assert.match(sessionId, /^ses_/)
      const me = await client.send('GET', '/auth/me')
      assert.equal(me.json.credential.id, sessionId)
      assert.ok(client.jar.has(BOUND_COOKIE))
      const registered = await client.register(loginAnswer)
      assertProblem(registered, 401, 'invalid_session_challenge')
      const listed = await client.send('GET', '/auth/credentials')
      assert.deepEqual(
        listed.json.credentials.map((c: { id: string; bound: boolean }) => [c.id, c.bound]),
        [[sessionId, true]],
      )
      const created = await auditEvent(server, 'authn_token_created', (r) => r.credentialId === sessionId)
      assert.deepEqual(
        [created.userId, created.detail.type, created.detail.algorithm],
        [user.id, 'dbsc', 'ES256'],
      )
    })

    test('the session configuration names the refresh URL and the bound cookie', async () => {
      const user = await server.createUser()
      const client = new DbscClient(server.baseUrl)
      const registered = await client.register(await client.login(user.email, user.password))
      assert.deepEqual(registered.json, {
        session_identifier: client.sessionId,
        refresh_url: '/auth/dbsc/refresh',
        scope: { include_site: false, scope_specification: [] },
        credentials: [
          { type: 'cookie', name: BOUND_COOKIE, attributes: 'Path=/; SameSite=Strict; HttpOnly' },
        ],
      })
      assert.match(
        registered.setCookies.join('\n'),
        /tessera-bound=\d+\.[\w-]+; Path=\/; SameSite=Strict; Max-Age=600; HttpOnly/,
      )
    })

    test('a bound session needs its bound cookie: without it 401 session_refresh_required', async () => {
      const { client } = await boundSession(server)
      assert.equal((await client.send('GET', '/api/things')).status, 200)
      client.jar.delete(BOUND_COOKIE)
      assertProblem(await client.send('GET', '/api/things'), 401, 'session_refresh_required')
    })

    test('a refresh signed by the session key renews the bound cookie after its 10 minutes', async () => {
      const { client } = await boundSession(server)
      server.clock.advance(TEN_MINUTES + 1000)
      assertProblem(await client.send('GET', '/api/things'), 401, 'session_refresh_required')
      const { challenge, signed } = await client.refresh()
      assert.equal(challenge.status, 403)
      assert.match(String(challenge.headers['secure-session-challenge']), /^"[^"]+";id="ses_[\w-]+"$/)
      assert.equal(signed?.status, 200, signed?.text)
      assert.equal(signed?.json.session_identifier, client.sessionId)
      assert.equal((await client.send('GET', '/api/things')).status, 200)
      await auditEvent(server, 'session_renewed', (r) => r.credentialId === client.sessionId)
    })

    test('the thief: copied cookies stop working after the bound lifetime and its refreshes fail, audited', async () => {
      const { client } = await boundSession(server)
      const thief = new DbscClient(server.baseUrl)
      for (const [name, value] of client.jar) thief.jar.set(name, value)
      thief.sessionId = client.sessionId
      assert.equal((await thief.send('GET', '/api/things')).status, 200, 'works while the bound cookie lives')
      server.clock.advance(TEN_MINUTES + 1000)
      assertProblem(await thief.send('GET', '/api/things'), 401, 'session_refresh_required')
      await auditEvent(server, 'session_use_after_expire', (r) => r.credentialId === client.sessionId)
      const { challenge, signed } = await thief.refresh()
      assert.equal(challenge.status, 403)
      assertProblem(signed as NonNullable<typeof signed>, 401, 'invalid_session_proof')
      const reuse = await auditEvent(server, 'authn_token_reuse', (r) => r.credentialId === client.sessionId)
      assert.equal(reuse.detail.reason, 'dbsc_wrong_key')
      assertProblem(await thief.send('GET', '/api/things'), 401, 'session_refresh_required')
      // The owner's browser is unaffected.
      assert.equal((await client.refresh()).signed?.status, 200)
      assert.equal((await client.send('GET', '/api/things')).status, 200)
    })

    test('a replayed refresh proof is refused: its challenge was used', async () => {
      const { client } = await boundSession(server)
      const { jwt } = await client.refresh()
      const replayed = await client.sendProof(jwt as string)
      assertProblem(replayed, 401, 'invalid_session_challenge')
      assert.deepEqual(replayed.setCookies, [], 'no bound cookie for a replay')
      const reuse = await auditEvent(server, 'authn_token_reuse', (r) => r.credentialId === client.sessionId)
      assert.equal(reuse.detail.reason, 'dbsc_challenge_reused')
    })

    test('of 20 parallel refreshes over one challenge exactly one renews', async () => {
      const { client } = await boundSession(server)
      const challenge = String((await client.askChallenge()).headers['secure-session-challenge'])
      const jwt = client.proof((/^"([^"]+)"/.exec(challenge) as RegExpExecArray)[1] as string, false)
      const answers = await Promise.all(Array.from({ length: 20 }, () => client.sendProof(jwt)))
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, ...Array(19).fill(401)])
    })

    test('of 20 parallel registrations of one session exactly one binds', async () => {
      const user = await server.createUser()
      const client = new DbscClient(server.baseUrl)
      const loginAnswer = await client.login(user.email, user.password)
      const offer = parseRegistration(String(loginAnswer.headers['secure-session-registration']))
      const keys = Array.from({ length: 20 }, () => new DbscClient(server.baseUrl))
      const answers = await Promise.all(
        keys.map((k) => client.register(loginAnswer, { jwt: k.proof(offer.challenge, true) })),
      )
      assert.equal(answers.filter((a) => a.status === 200).length, 1)
    })

    test('bad proofs are refused with clear codes and change nothing', async () => {
      const user = await server.createUser()
      const client = new DbscClient(server.baseUrl)
      const loginAnswer = await client.login(user.email, user.password)
      const { challenge } = parseRegistration(String(loginAnswer.headers['secure-session-registration']))
      const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
      const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 })
      const bad: Record<string, string> = {
        'alg none': `${b64(JSON.stringify({ alg: 'none', typ: 'dbsc+jwt', jwk: client.publicJwk }))}.${b64(JSON.stringify({ jti: challenge }))}.`,
        'alg none, empty signature': `${b64(JSON.stringify({ alg: 'none', typ: 'dbsc+jwt', jwk: client.publicJwk }))}.${b64(JSON.stringify({ jti: challenge }))}.AA`,
        'a P-384 key': signJwt(
          { alg: 'ES256', typ: 'dbsc+jwt', jwk: p384.publicKey.export({ format: 'jwk' }) },
          { jti: challenge },
          p384.privateKey,
        ),
        'a 1024-bit RSA key': signJwt(
          { alg: 'RS256', typ: 'dbsc+jwt', jwk: rsa1024.publicKey.export({ format: 'jwk' }) },
          { jti: challenge },
          rsa1024.privateKey,
        ),
        'a private key in the header': client.proof(challenge, true, {
          jwk: client.privateKey.export({ format: 'jwk' }),
        }),
        'typ JWT': client.proof(challenge, true, { typ: 'JWT' }),
        HS256: client.proof(challenge, true, { alg: 'HS256' }),
        'no jwk': client.proof(challenge, false),
        oversize: client.proof(challenge, true, { pad: 'x'.repeat(5000) }),
        'not a JWS': 'not.a.jws!',
        'signature of another key': new DbscClient(server.baseUrl).proof(challenge, true, {
          jwk: client.publicJwk,
        }),
      }
      for (const [name, jwt] of Object.entries(bad)) {
        const answer = await client.register(loginAnswer, { jwt })
        assertProblem(answer, 401, 'invalid_session_proof')
        assert.ok(answer.json.detail, name)
      }
      const long = client.proof(challenge, true, { pad: 'x'.repeat(3000) })
      assert.ok(long.length > 4096)
      const oversize = await client.register(loginAnswer, { jwt: long })
      assert.equal(oversize.json.detail, 'proof longer than 4096 characters')
      const forged = client.proof(`${client.jar.size}x.${challenge.split('.').slice(1).join('.')}`, true)
      assertProblem(await client.register(loginAnswer, { jwt: forged }), 401, 'invalid_session_challenge')
      await auditEvent(server, 'input_validation_fail', (r) => r.detail.code === 'invalid_session_proof')
      assert.equal((await client.send('GET', '/api/things')).status, 200, 'the session is untouched')
      const jwt = client.proof(challenge, true)
      assert.equal((await client.register(loginAnswer, { jwt })).status, 200, 'the challenge was not used up')
      const replayed = await client.register(loginAnswer, { jwt })
      assertProblem(replayed, 401, 'invalid_session_challenge')
      assert.deepEqual(replayed.setCookies, [], 'no bound cookie for a replay')
    })

    test('a registration without the session cookie the challenge was issued to is refused', async () => {
      const user = await server.createUser()
      const client = new DbscClient(server.baseUrl)
      const loginAnswer = await client.login(user.email, user.password)
      const other = new DbscClient(server.baseUrl)
      assertProblem(await other.register(loginAnswer), 401, 'invalid_session_challenge')
    })

    test('logging out ends the binding: the next refresh answers continue false', async () => {
      const { client, csrf } = await boundSession(server)
      const out = await client.send('POST', '/auth/logout', [
        ['origin', server.origin],
        ['x-csrf-token', csrf],
      ])
      assert.equal(out.status, 204, out.text)
      assert.match(
        out.setCookies.join('\n'),
        /tessera-bound=; .*Max-Age=0/,
        'the bound cookie is cleared too',
      )
      const answer = await client.askChallenge()
      assert.equal(answer.status, 200)
      assert.deepEqual(answer.json, { continue: false })
      assert.match(answer.setCookies.join('\n'), /tessera-bound=; .*Max-Age=0/)
    })

    test('revoking the current session from the account page clears the bound cookie too', async () => {
      const { client, csrf } = await boundSession(server)
      const path = `/auth/credentials/${client.sessionId}`
      const out = await client.send('DELETE', path, [
        ['origin', server.origin],
        ['x-csrf-token', csrf],
      ])
      assert.equal(out.status, 204, out.text)
      assert.equal(client.jar.has(BOUND_COOKIE), false)
      assert.deepEqual((await client.askChallenge()).json, { continue: false })
    })

    test('a refresh without a session identifier is refused as invalid input', async () => {
      const answer = await new DbscClient(server.baseUrl).askChallenge()
      assertProblem(answer, 400, 'validation_failed')
    })

    test('progressive: a browser that never registers keeps an ordinary session', async () => {
      const user = await server.createUser()
      const client = new DbscClient(server.baseUrl)
      await client.login(user.email, user.password)
      server.clock.advance(TEN_MINUTES + 1000)
      assert.equal((await client.send('GET', '/api/things')).status, 200)
      const listed = await client.send('GET', '/auth/credentials')
      assert.equal(listed.json.credentials[0].bound, false)
      assert.equal(client.jar.has(BOUND_COOKIE), false)
      assert.ok(client.jar.has(SESSION_COOKIE))
    })

    test('Secure-Session-Skipped never lets a request through but advises a new login, which works', async () => {
      const { client, user } = await boundSession(server)
      client.jar.delete(BOUND_COOKIE)
      const skipped = `quota_exceeded;session_identifier="${client.sessionId}"`
      const answer = await client.send('GET', '/api/things', [['secure-session-skipped', skipped]])
      assertProblem(answer, 401, 'session_refresh_required')
      assert.match(answer.json.detail, /skipped the refresh \(quota_exceeded\): log in again/)
      const used = await auditEvent(
        server,
        'session_use_after_expire',
        (r) => r.detail.skipped === 'quota_exceeded',
      )
      assert.equal(used.credentialId, client.sessionId)
      await client.login(user.email, user.password)
      assert.equal((await client.send('GET', '/api/things')).status, 200, 'the new, unbound session works')
    })
  })
}
