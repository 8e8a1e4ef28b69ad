import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { exportJWK, generateKeyPair } from 'jose'
import {
  newSigningKey,
  startLocalIdentityProvider,
} from '../../apps/directory/src/oidc/local-identity-provider.ts'
import { ADAPTERS, STEP_UP_SECONDS } from '../support/auth-server.ts'
import { send } from '../support/http-client.ts'
import {
  clientFor,
  cookiePairs,
  deliverCallback,
  signInAtProvider,
  startFlow,
  startOidcRig,
  webSignIn,
} from '../support/oidc.ts'

for (const adapter of ADAPTERS) {
  describe(`OIDC web sign-in (${adapter})`, () => {
    test('signs in at the provider and lands on the deep link with a session', async () => {
      const rig = await startOidcRig(adapter)
      try {
        const answer = await webSignIn(rig.server, 'bob', { returnTo: '/employees/7?tab=phones#top' })
        assert.equal(answer.status, 303, answer.text)
        assert.equal(answer.headers.location, '/employees/7?tab=phones#top')
        const session = cookiePairs(answer.setCookies).find((c) => c.startsWith('tessera-session='))
        assert.ok(session, 'a session cookie is set')
        const me = await send(rig.server.baseUrl, { path: '/auth/me', headers: [['cookie', session]] })
        assert.equal(me.status, 200, me.text)
        assert.equal(me.json.user.email, 'bob@example.com')
        assert.equal(me.json.user.role, 'user')
        const ids = await send(rig.server.baseUrl, {
          path: '/auth/oidc/identities',
          headers: [['cookie', session]],
        })
        assert.equal(ids.status, 200, ids.text)
        assert.deepEqual(
          ids.json.identities.map((i: { provider: string; email: string }) => [i.provider, i.email]),
          [['corp', 'bob@example.com']],
        )
        assert.deepEqual(ids.json.signIn.amr, ['pwd'])
        assert.equal(ids.json.signIn.acr, 'urn:tessera:demo:password')
        assert.equal(typeof ids.json.signIn.authenticatedAt, 'string')
      } finally {
        await rig.close()
      }
    })
  })
}

test('web flows still work after the provider rotates its signing key', async () => {
  const rig = await startOidcRig('fastify')
  try {
    const flow = await startFlow(rig.server)
    const cb = await signInAtProvider(flow.authorizationUrl, 'bob')
    assert.equal((await deliverCallback(rig.server, cb, [flow.binding])).status, 303)
    await rig.idp.close()
    const rotated = await startLocalIdentityProvider({
      port: rig.idp.port,
      clients: [clientFor(rig.server.origin)],
      people: rig.people,
      keys: [await newSigningKey()],
    })
    rig.idp = rotated
    const after = await startFlow(rig.server)
    const callback = await signInAtProvider(after.authorizationUrl, 'bob')
    const answer = await deliverCallback(rig.server, callback, [after.binding])
    assert.equal(answer.status, 303, answer.text)
  } finally {
    await rig.close()
  }
})

test('authenticates to the provider with private_key_jwt instead of a client secret', async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const kid = 'tessera-client-1'
  const rig = await startOidcRig('fastify', {
    providerExtra: {
      clientSecret: undefined,
      privateKeyJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
    },
    clientExtra: {
      client_secret: undefined,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] },
    },
  })
  try {
    const answer = await webSignIn(rig.server, 'bob')
    assert.equal(answer.status, 303, answer.text)
  } finally {
    await rig.close()
  }
})

test('a re-authentication asks the provider for a fresh login (max_age=0) and records its time', async () => {
  const rig = await startOidcRig('fastify')
  try {
    assert.equal((await webSignIn(rig.server, 'bob')).status, 303)
    const flow = await startFlow(rig.server, { reauthenticate: true, returnTo: '/#account' })
    assert.equal(flow.authorizationUrl.searchParams.get('max_age'), '0')
    assert.equal(flow.authorizationUrl.searchParams.get('prompt'), 'login')
    const before = Date.now()
    // The server's clock stands still unless moved: bring it to now, so its cap on auth_time is no older.
    rig.server.clock.now = before
    const callback = await signInAtProvider(flow.authorizationUrl, 'bob')
    const answer = await deliverCallback(rig.server, callback, [flow.binding])
    assert.equal(answer.status, 303, answer.text)
    const session = cookiePairs(answer.setCookies).find((c) => c.startsWith('tessera-session=')) ?? ''
    const ids = await send(rig.server.baseUrl, {
      path: '/auth/oidc/identities',
      headers: [['cookie', session]],
    })
    const provedAt = Date.parse(ids.json.signIn.authenticatedAt)
    assert.ok(provedAt >= Math.floor(before / 1000) * 1000, 'the time of the fresh login at the provider')
  } finally {
    await rig.close()
  }
})

test('a sign-in on an old provider session is not a fresh proof for step-up: the session keeps auth_time', async () => {
  const rig = await startOidcRig('fastify')
  try {
    const flow = await startFlow(rig.server, { returnTo: '/#account' })
    const callback = await signInAtProvider(flow.authorizationUrl, 'bob')
    // The callback arrives long after the user proved themselves at the provider.
    rig.server.clock.now = Date.now() + (STEP_UP_SECONDS + 60) * 1000
    const answer = await deliverCallback(rig.server, callback, [flow.binding])
    assert.equal(answer.status, 303, answer.text)
    const session = cookiePairs(answer.setCookies).find((c) => c.startsWith('tessera-session=')) ?? ''
    const me = await send(rig.server.baseUrl, { path: '/auth/csrf', headers: [['cookie', session]] })
    assert.equal(me.status, 200, me.text)
    const critical = await send(rig.server.baseUrl, {
      method: 'POST',
      path: '/api/critical',
      headers: [
        ['cookie', session],
        ['x-csrf-token', me.json.csrfToken],
        ['origin', rig.server.origin],
      ],
      body: {},
    })
    assert.equal(critical.status, 401, critical.text)
    assert.equal(critical.json.code, 'reauth_required')
  } finally {
    await rig.close()
  }
})
