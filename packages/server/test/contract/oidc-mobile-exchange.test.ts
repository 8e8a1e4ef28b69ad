import assert from 'node:assert/strict'
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { signedSend } from '../../../../test/contract/signed-helpers.ts'
import type { AuthServer } from '../../../../test/support/auth-server.ts'
import { ADAPTERS } from '../../../../test/support/auth-server.ts'
import { send } from '../../../../test/support/http-client.ts'
import {
  APP_REDIRECT,
  deliverCallback,
  signInAtProvider,
  startOidcRig,
} from '../../../../test/support/oidc.ts'
import { internals } from '../../src/core/internals.ts'

const APP_ORIGIN = 'capacitor://localhost'

function pkce() {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

/** The app's sign-in up to the redirect back to it: answers the one-time code and the verifier. */
async function mobileCode(server: AuthServer, login: string) {
  const { verifier, challenge } = pkce()
  const answer = await send(server.baseUrl, {
    method: 'POST',
    path: '/auth/oidc/corp/start',
    headers: [['origin', APP_ORIGIN]],
    body: { mode: 'mobile', returnTo: APP_REDIRECT, appChallenge: challenge },
  })
  assert.equal(answer.status, 200, answer.text)
  assert.deepEqual(answer.setCookies, [], 'a mobile start sets no cookie')
  const callback = await signInAtProvider(new URL(answer.json.authorizationUrl), login)
  const back = await deliverCallback(server, callback, [])
  assert.equal(back.status, 303, back.text)
  const location = new URL(back.headers.location ?? '')
  assert.equal(`${location.protocol}${location.pathname}`, APP_REDIRECT)
  return { code: location.searchParams.get('code') ?? '', verifier }
}

function deviceKey() {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return { privateKey: pair.privateKey, publicKey: pair.publicKey.export({ format: 'jwk' }) }
}

function exchange(server: AuthServer, body: Record<string, unknown>) {
  return send(server.baseUrl, {
    method: 'POST',
    path: '/auth/oidc/exchange',
    headers: [['origin', APP_ORIGIN]],
    body,
  })
}

for (const adapter of ADAPTERS) {
  describe(`OIDC mobile sign-in (${adapter})`, () => {
    test('exchanges the one-time code and the verifier for a device key that signs requests', async () => {
      const rig = await startOidcRig(adapter, { corsOrigins: [APP_ORIGIN] })
      try {
        const { code, verifier } = await mobileCode(rig.server, 'bob')
        const device = deviceKey()
        const answer = await exchange(rig.server, {
          code,
          codeVerifier: verifier,
          publicKey: device.publicKey,
        })
        assert.equal(answer.status, 200, answer.text)
        assert.equal(answer.json.user.email, 'bob@example.com')
        assert.equal(answer.json.key.algorithm, 'ecdsa-p256-sha256')
        assert.equal(answer.json.key.secret, undefined, 'no shared secret, no bearer token')
        const key = { id: answer.json.key.id, algorithm: answer.json.key.algorithm, key: device.privateKey }
        const signed = await signedSend(rig.server, key, { path: '/api/things' })
        assert.equal(signed.answer.status, 200, signed.answer.text)
        const signIn = await internals(rig.server.tessera).oidc?.store.findSignIn(key.id)
        assert.deepEqual(signIn?.amr, ['pwd'])
      } finally {
        await rig.close()
      }
    })
  })
}

describe('OIDC mobile exchange refusals', () => {
  test('a code is good once: reused, or after a wrong verifier, it is refused', async () => {
    const rig = await startOidcRig('fastify', { corsOrigins: [APP_ORIGIN] })
    try {
      const first = await mobileCode(rig.server, 'bob')
      const body = { code: first.code, codeVerifier: first.verifier, publicKey: deviceKey().publicKey }
      assert.equal((await exchange(rig.server, body)).status, 200)
      const reused = await exchange(rig.server, body)
      assert.equal(reused.status, 400)
      assert.equal(reused.json.code, 'sso_exchange_invalid')

      const second = await mobileCode(rig.server, 'bob')
      const wrong = await exchange(rig.server, { ...body, code: second.code, codeVerifier: pkce().verifier })
      assert.equal(wrong.json.code, 'sso_exchange_invalid')
      const right = await exchange(rig.server, { ...body, code: second.code, codeVerifier: second.verifier })
      assert.equal(right.json.code, 'sso_exchange_invalid', 'a wrong verifier burns the code')
      const events = await rig.server.stores.stores.audit.list({ limit: 10, event: 'authn_login_fail' })
      assert.deepEqual(
        events.slice(0, 3).map((e) => e.detail.reason),
        ['unknown_code', 'wrong_verifier', 'unknown_code'],
      )
    } finally {
      await rig.close()
    }
  })

  test('many parallel exchanges of one code: exactly one device key', async () => {
    const rig = await startOidcRig('fastify', { corsOrigins: [APP_ORIGIN] })
    try {
      const { code, verifier } = await mobileCode(rig.server, 'bob')
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          exchange(rig.server, { code, codeVerifier: verifier, publicKey: deviceKey().publicKey }),
        ),
      )
      assert.equal(answers.filter((a) => a.status === 200).length, 1)
    } finally {
      await rig.close()
    }
  })

  test('an expired code is refused', async () => {
    const rig = await startOidcRig('fastify', { corsOrigins: [APP_ORIGIN] })
    try {
      const { code, verifier } = await mobileCode(rig.server, 'bob')
      rig.server.clock.advance(61_000)
      const answer = await exchange(rig.server, {
        code,
        codeVerifier: verifier,
        publicKey: deviceKey().publicKey,
      })
      assert.equal(answer.json.code, 'sso_exchange_invalid')
    } finally {
      await rig.close()
    }
  })

  test('a mobile sign-in returns only to a registered app URI', async () => {
    const rig = await startOidcRig('fastify', { corsOrigins: [APP_ORIGIN] })
    try {
      for (const returnTo of ['com.evil.app:/oidc', 'https://evil.example/oidc']) {
        const answer = await send(rig.server.baseUrl, {
          method: 'POST',
          path: '/auth/oidc/corp/start',
          headers: [['origin', APP_ORIGIN]],
          body: { mode: 'mobile', returnTo, appChallenge: pkce().challenge },
        })
        assert.equal(answer.json.code, 'validation_failed', returnTo)
      }
    } finally {
      await rig.close()
    }
  })
})
