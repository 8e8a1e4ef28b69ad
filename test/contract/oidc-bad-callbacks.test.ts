import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createServer, type Socket } from 'node:net'
import { describe, test } from 'node:test'
import { startLocalIdentityProvider } from '../../apps/directory/src/oidc/local-identity-provider.ts'
import { startAuthServer } from '../support/auth-server.ts'
import { send } from '../support/http-client.ts'
import {
  assertRefusedAndAudited,
  clientFor,
  deliverCallback,
  oidcOptions,
  providerEntry,
  signInAtProvider,
  startFlow,
  startOidcRig,
} from '../support/oidc.ts'

describe('OIDC callbacks that must be refused', () => {
  test('a forged callback (another browser: no binding cookie) is refused, and its state is spent', async () => {
    const rig = await startOidcRig('fastify')
    try {
      const flow = await startFlow(rig.server)
      const callback = await signInAtProvider(flow.authorizationUrl, 'bob')
      const forged = await deliverCallback(rig.server, callback, [])
      assert.equal(forged.status, 400)
      await assertRefusedAndAudited(rig.server, forged, 'sso_state_invalid')
      const late = await deliverCallback(rig.server, callback, [flow.binding])
      assert.equal(late.json.code, 'sso_state_invalid', 'a state is taken once, even by a refused callback')
    } finally {
      await rig.close()
    }
  })

  test('with an error page, a refused callback sends the browser there with the code', async () => {
    const rig = await startOidcRig('fastify', { oidcExtra: { errorPage: '/#login' } })
    try {
      const flow = await startFlow(rig.server)
      const callback = await signInAtProvider(flow.authorizationUrl, 'bob')
      const forged = await deliverCallback(rig.server, callback, [])
      assert.equal(forged.status, 303)
      assert.equal(forged.headers.location, '/?sso_error=sso_state_invalid#login')
      await assertRefusedAndAudited(
        rig.server,
        { ...forged, json: { code: 'sso_state_invalid' } },
        'sso_state_invalid',
      )
    } finally {
      await rig.close()
    }
  })

  test('a sign-in left at the provider for more than 10 minutes is swept, and its callback refused', async () => {
    const rig = await startOidcRig('fastify')
    try {
      const flow = await startFlow(rig.server)
      const callback = await signInAtProvider(flow.authorizationUrl, 'bob')
      rig.server.clock.advance(10 * 60_000 + 1)
      assert.equal((await rig.server.tessera.sweep()).oidc, 1)
      const late = await deliverCallback(rig.server, callback, [flow.binding])
      assert.equal(late.json.code, 'sso_state_invalid')
    } finally {
      await rig.close()
    }
  })

  test('a replayed callback and a wrong state are refused', async () => {
    const rig = await startOidcRig('fastify')
    try {
      const flow = await startFlow(rig.server)
      const callback = await signInAtProvider(flow.authorizationUrl, 'bob')
      assert.equal((await deliverCallback(rig.server, callback, [flow.binding])).status, 303)
      const replay = await deliverCallback(rig.server, callback, [flow.binding])
      assert.equal(replay.status, 400)
      assert.equal(replay.json.code, 'sso_state_invalid')
      const wrong = new URL(callback)
      wrong.searchParams.set('state', randomBytes(32).toString('base64url'))
      const answer = await deliverCallback(rig.server, wrong, [flow.binding])
      assert.equal(answer.json.code, 'sso_state_invalid')
    } finally {
      await rig.close()
    }
  })

  test('a code used once is refused with a new state: the provider says invalid_grant', async () => {
    const rig = await startOidcRig('fastify')
    try {
      const first = await startFlow(rig.server)
      const used = await signInAtProvider(first.authorizationUrl, 'bob')
      assert.equal((await deliverCallback(rig.server, used, [first.binding])).status, 303)
      const second = await startFlow(rig.server)
      const reused = new URL(used)
      reused.searchParams.set('state', second.authorizationUrl.searchParams.get('state') ?? '')
      const answer = await deliverCallback(rig.server, reused, [second.binding])
      assert.equal(answer.status, 401, answer.text)
      assert.equal(answer.json.code, 'sso_token_invalid')
    } finally {
      await rig.close()
    }
  })

  test('two deliveries of one callback at once: exactly one session', async () => {
    const rig = await startOidcRig('fastify')
    try {
      const flow = await startFlow(rig.server)
      const callback = await signInAtProvider(flow.authorizationUrl, 'bob')
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => deliverCallback(rig.server, callback, [flow.binding])),
      )
      assert.deepEqual(answers.map((a) => a.status).sort(), [303, 400, 400, 400, 400, 400, 400, 400])
    } finally {
      await rig.close()
    }
  })

  test('refuses a return target off this site before anything is stored', async () => {
    const rig = await startOidcRig('fastify')
    try {
      for (const returnTo of [
        'https://evil.example/x',
        '//evil.example/x',
        '/\\evil.example',
        'javascript:alert(1)',
      ]) {
        const answer = await send(rig.server.baseUrl, {
          method: 'POST',
          path: '/auth/oidc/corp/start',
          headers: [['origin', rig.server.origin]],
          body: { returnTo },
        })
        assert.equal(answer.status, 400, returnTo)
        assert.equal(answer.json.code, 'validation_failed')
        assert.deepEqual(answer.setCookies, [])
      }
      const audited = await rig.server.stores.stores.audit.list({ limit: 10, event: 'input_validation_fail' })
      assert.equal(audited.length, 4, 'each attempt is on the record')
      const unknown = await send(rig.server.baseUrl, {
        method: 'POST',
        path: '/auth/oidc/nobody/start',
        headers: [['origin', rig.server.origin]],
        body: {},
      })
      assert.equal(unknown.status, 404)
    } finally {
      await rig.close()
    }
  })

  test('a provider that is down answers 503 sso_unavailable in bounded time; password login is unaffected', async () => {
    const rig = await startOidcRig('fastify')
    await rig.idp.close()
    try {
      const answer = await send(rig.server.baseUrl, {
        method: 'POST',
        path: '/auth/oidc/corp/start',
        headers: [['origin', rig.server.origin]],
        body: {},
      })
      assert.equal(answer.status, 503, answer.text)
      assert.equal(answer.json.code, 'sso_unavailable')
      assert.equal(answer.headers['retry-after'], '30')
      const user = await rig.server.createUser()
      const login = await send(rig.server.baseUrl, {
        method: 'POST',
        path: '/auth/login',
        headers: [['origin', rig.server.origin]],
        body: { email: user.email, password: user.password },
      })
      assert.equal(login.status, 200, login.text)
    } finally {
      await rig.server.close()
    }
  })

  test('a provider that accepts connections and never answers is given up after the timeout', async () => {
    const sockets: Socket[] = []
    const silent = createServer((socket) => sockets.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const issuer = `http://127.0.0.1:${(silent.address() as { port: number }).port}`
    const server = await startAuthServer('fastify', { oidc: oidcOptions(issuer, { timeoutMs: 1000 }) })
    try {
      const started = Date.now()
      const answer = await send(server.baseUrl, {
        method: 'POST',
        path: '/auth/oidc/corp/start',
        headers: [['origin', server.origin]],
        body: {},
      })
      assert.equal(answer.json.code, 'sso_unavailable')
      assert.ok(Date.now() - started < 5000, 'answered within the bound')
    } finally {
      await server.close()
      for (const socket of sockets) socket.destroy()
      silent.close()
    }
  })
})

test('two providers: each has its own button and callback, and a callback on the other provider is refused (mix-up)', async () => {
  const rig = await startOidcRig('fastify')
  const other = await startLocalIdentityProvider({
    clients: [
      { ...clientFor(rig.server.origin), redirect_uris: [`${rig.server.origin}/auth/oidc/partner/callback`] },
    ],
  })
  try {
    await rig.server.close({ keepStores: true })
    const server = await startAuthServer('fastify', {
      stores: rig.server.stores,
      port: Number(new URL(rig.server.origin).port),
      oidc: {
        ...oidcOptions(rig.idp.issuer),
        providers: [
          providerEntry(rig.idp.issuer),
          providerEntry(other.issuer, { id: 'partner', name: 'Partner ID' }),
        ],
      },
    })
    try {
      const list = await send(server.baseUrl, { path: '/auth/oidc/providers' })
      assert.deepEqual(list.json.providers, [
        { id: 'corp', name: 'Corp ID' },
        { id: 'partner', name: 'Partner ID' },
      ])
      const flow = await startFlow(server, {}, 'corp')
      const callback = await signInAtProvider(flow.authorizationUrl, 'bob')
      const mixed = new URL(callback)
      mixed.pathname = '/auth/oidc/partner/callback'
      const answer = await deliverCallback(server, mixed, [flow.binding])
      assert.equal(answer.json.code, 'sso_state_invalid')
      const partner = await startFlow(server, {}, 'partner')
      const back = await signInAtProvider(partner.authorizationUrl, 'alice')
      assert.equal((await deliverCallback(server, back, [partner.binding])).status, 303)
    } finally {
      await server.close()
    }
  } finally {
    await other.close()
    await rig.idp.close()
    await rig.server.stores.close()
  }
})
