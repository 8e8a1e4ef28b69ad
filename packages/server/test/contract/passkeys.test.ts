import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { assertProblem, login, withSession } from '../../../../test/contract/session-helpers.ts'
import { signedSend } from '../../../../test/contract/signed-helpers.ts'
import { ADAPTERS, type AuthServer, startAuthServer } from '../../../../test/support/auth-server.ts'
import { cookiePair, send } from '../../../../test/support/http-client.ts'
import { SoftAuthenticator } from '../../../../test/support/soft-authenticator.ts'
import { internals } from '../../src/core/internals.ts'
import { enrolTotp, passwordStep, secondStep } from './mfa-helpers.ts'
import { addPasskey, passkeyLogin, passkeyOptions } from './passkey-helpers.ts'

for (const adapter of ADAPTERS) {
  describe(`passkeys on ${adapter}`, () => {
    let server: AuthServer
    before(async () => {
      server = await startAuthServer(adapter, { throttle: { ipAttempts: 10_000 } })
    })
    after(() => server.close())

    test('adds a discoverable, user-verified passkey; lists, renames and (after a recent proof) removes it', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const started = await withSession(server, session, {
        method: 'POST',
        path: '/auth/passkeys/register/options',
        body: {},
      })
      const { options } = started.json
      assert.equal(options.rp.id, 'localhost')
      assert.deepEqual(options.authenticatorSelection, {
        residentKey: 'required',
        userVerification: 'required',
        requireResidentKey: true,
      })
      const authenticator = await addPasskey(server, session, 'Work laptop')
      const listed = await withSession(server, session, { path: '/auth/passkeys' })
      assert.deepEqual(
        listed.json.passkeys.map((p: { id: string; name: string }) => [p.id, p.name]),
        [[authenticator.id, 'Work laptop']],
      )
      const path = `/auth/passkeys/${authenticator.id}`
      assert.equal(
        (await withSession(server, session, { method: 'PATCH', path, body: { name: 'Home' } })).status,
        204,
      )
      const credentials = await withSession(server, session, { path: '/auth/credentials' })
      assert.equal(credentials.json.passkeys[0].name, 'Home')
      assert.deepEqual(credentials.json.secondFactor, { totp: false })
      server.clock.advance(301_000)
      assertProblem(await withSession(server, session, { method: 'DELETE', path }), 401, 'reauth_required')
      await withSession(server, session, {
        method: 'POST',
        path: '/auth/reauth',
        body: { password: user.password },
      })
      assert.equal((await withSession(server, session, { method: 'DELETE', path })).status, 204)
      assertProblem(await withSession(server, session, { method: 'DELETE', path }), 404, 'not_found')
    })

    test('logs in with a passkey for a session, and records its last use', async () => {
      const user = await server.createUser()
      const authenticator = await addPasskey(server, await login(server, user.email, user.password))
      const { options, ceremony } = await passkeyOptions(server)
      assert.equal(options.rpId, 'localhost')
      const answer = await passkeyLogin(server, {
        ceremony,
        response: authenticator.assert(options, server.origin),
      })
      assert.equal(answer.status, 200, answer.text)
      assert.equal(answer.json.user.id, user.id)
      const cookie = cookiePair(answer.setCookies[0] as string)
      const me = await send(server.baseUrl, { path: '/auth/passkeys', headers: [['cookie', cookie]] })
      assert.notEqual(me.json.passkeys[0].lastUsedAt, null)
    })

    test('a passkey login with a P-256 public key gives a device key that signs requests', async () => {
      const user = await server.createUser()
      const authenticator = await addPasskey(server, await login(server, user.email, user.password))
      const { options, ceremony } = await passkeyOptions(server)
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      const answer = await passkeyLogin(server, {
        ceremony,
        response: authenticator.assert(options, server.origin),
        credential: 'key',
        publicKey: pair.publicKey.export({ format: 'jwk' }),
      })
      assert.equal(answer.status, 200, answer.text)
      assert.equal(answer.json.key.secret, undefined, 'no bearer secret')
      assert.deepEqual(answer.setCookies, [])
      const key = { id: answer.json.key.id, algorithm: 'ecdsa-p256-sha256' as const, key: pair.privateKey }
      assert.equal((await signedSend(server, key, { path: '/api/things' })).answer.status, 200)
    })

    test('a ceremony is single-use and expires after 5 minutes', async () => {
      const user = await server.createUser()
      const authenticator = await addPasskey(server, await login(server, user.email, user.password))
      const first = await passkeyOptions(server)
      const response = authenticator.assert(first.options, server.origin)
      assert.equal((await passkeyLogin(server, { ceremony: first.ceremony, response })).status, 200)
      assertProblem(
        await passkeyLogin(server, { ceremony: first.ceremony, response }),
        401,
        'invalid_challenge',
      )
      const late = await passkeyOptions(server)
      server.clock.advance(5 * 60_000 + 1)
      const lateResponse = authenticator.assert(late.options, server.origin)
      assertProblem(
        await passkeyLogin(server, { ceremony: late.ceremony, response: lateResponse }),
        401,
        'invalid_challenge',
      )
    })

    test('refuses an assertion for another challenge, origin or RP ID, or without user verification', async () => {
      const user = await server.createUser()
      const authenticator = await addPasskey(server, await login(server, user.email, user.password))
      const forged = [
        (o: { challenge: string; rpId: string }) =>
          authenticator.assert({ ...o, challenge: 'AAAA' }, server.origin),
        (o: { challenge: string; rpId: string }) => authenticator.assert(o, 'https://evil.example'),
        (o: { challenge: string; rpId: string }) =>
          authenticator.assert(o, server.origin, { rpId: 'evil.example' }),
        (o: { challenge: string; rpId: string }) => authenticator.assert(o, server.origin, { uv: false }),
      ]
      for (const make of forged) {
        const { options, ceremony } = await passkeyOptions(server)
        assertProblem(
          await passkeyLogin(server, { ceremony, response: make(options) }),
          401,
          'invalid_passkey',
        )
      }
      const { options, ceremony } = await passkeyOptions(server)
      const tampered = authenticator.assert(options, server.origin)
      tampered.response.signature = tampered.response.signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))
      assertProblem(await passkeyLogin(server, { ceremony, response: tampered }), 401, 'invalid_passkey')
    })

    test('refuses an unknown passkey and one presented with another user’s handle', async () => {
      const alice = await server.createUser()
      const bob = await server.createUser()
      const alices = await addPasskey(server, await login(server, alice.email, alice.password))
      const bobs = await addPasskey(server, await login(server, bob.email, bob.password))
      const stranger = new SoftAuthenticator()
      let round = await passkeyOptions(server)
      assertProblem(
        await passkeyLogin(server, {
          ceremony: round.ceremony,
          response: stranger.assert(round.options, server.origin),
        }),
        401,
        'unknown_passkey',
      )
      round = await passkeyOptions(server)
      const response = alices.assert(round.options, server.origin, { userHandle: bobs.userHandle })
      assertProblem(
        await passkeyLogin(server, { ceremony: round.ceremony, response }),
        401,
        'unknown_passkey',
      )
    })

    test('a cloned authenticator whose counter goes backwards is refused and audited', async () => {
      const user = await server.createUser()
      const original = await addPasskey(server, await login(server, user.email, user.password))
      const clone = original.clone()
      for (let i = 0; i < 2; i++) {
        const { options, ceremony } = await passkeyOptions(server)
        assert.equal(
          (await passkeyLogin(server, { ceremony, response: original.assert(options, server.origin) }))
            .status,
          200,
        )
      }
      const { options, ceremony } = await passkeyOptions(server)
      assertProblem(
        await passkeyLogin(server, { ceremony, response: clone.assert(options, server.origin) }),
        401,
        'passkey_cloned',
      )
      const [event] = await internals(server.tessera).stores.audit.list({
        limit: 1,
        userId: user.id,
        event: 'authn_token_reuse',
      })
      assert.equal(event?.detail.reason, 'passkey_cloned')
    })

    test('adding a passkey needs a recent proof, and a registration without user verification is refused', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const started = await withSession(server, session, {
        method: 'POST',
        path: '/auth/passkeys/register/options',
        body: {},
      })
      const response = new SoftAuthenticator().register(started.json.options, server.origin, { uv: false })
      const refused = await withSession(server, session, {
        method: 'POST',
        path: '/auth/passkeys/register',
        body: { ceremony: started.json.ceremony, response },
      })
      assertProblem(refused, 401, 'invalid_passkey')
      server.clock.advance(301_000)
      const stale = await withSession(server, session, {
        method: 'POST',
        path: '/auth/passkeys/register/options',
        body: {},
      })
      assertProblem(stale, 401, 'reauth_required')
    })

    test('a passkey re-authenticates its owner only', async () => {
      const alice = await server.createUser()
      const bob = await server.createUser()
      const session = await login(server, alice.email, alice.password)
      const alices = await addPasskey(server, session)
      const bobs = await addPasskey(server, await login(server, bob.email, bob.password))
      server.clock.advance(301_000)
      let round = await passkeyOptions(server)
      const others = { ceremony: round.ceremony, response: bobs.assert(round.options, server.origin) }
      const refused = await withSession(server, session, {
        method: 'POST',
        path: '/auth/reauth',
        body: { passkey: others },
      })
      assertProblem(refused, 401, 'reauth_failed')
      round = await passkeyOptions(server)
      const mine = { ceremony: round.ceremony, response: alices.assert(round.options, server.origin) }
      const again = await withSession(server, session, {
        method: 'POST',
        path: '/auth/reauth',
        body: { passkey: mine },
      })
      assert.equal(again.status, 200, again.text)
      assert.equal(
        (await withSession(server, session, { method: 'POST', path: '/api/critical', body: {} })).status,
        200,
      )
    })

    test('a passkey answers the second login step of an account with TOTP', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const authenticator = await addPasskey(server, session)
      await enrolTotp(server, session)
      const challenge = await passwordStep(server, user.email, user.password)
      const round = await passkeyOptions(server)
      const passkey = {
        ceremony: round.ceremony,
        response: authenticator.assert(round.options, server.origin),
      }
      const done = await secondStep(server, { challenge, passkey })
      assert.equal(done.status, 200, done.text)
      assert.equal(done.json.user.id, user.id)
    })

    test('a passkey satisfies the second-factor policy', async () => {
      const strict = await startAuthServer(adapter, { mfaRequiredRoles: ['admin'] })
      try {
        const admin = await strict.createUser('admin')
        const session = await login(strict, admin.email, admin.password)
        assertProblem(
          await withSession(strict, session, { path: '/api/admin' }),
          403,
          'mfa_enrolment_required',
        )
        await addPasskey(strict, session)
        assert.equal((await withSession(strict, session, { path: '/api/admin' })).status, 200)
      } finally {
        await strict.close()
      }
    })
  })
}
