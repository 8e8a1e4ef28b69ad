import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { createTessera, type Tessera } from '@tessera/server'
import { openDatabase } from '@tessera/server/db'
import { tesseraFastify } from '@tessera/server/fastify'
import { acceptOnlyJsonBodies, problemErrorHandler } from '@tessera/server/fastify-problems'
import { withRedis } from '@tessera/server/redis'
import { type AuthTables, createSqlStores } from '@tessera/server/sql'
import Fastify from 'fastify'
import {
  demoPeople,
  startLocalIdentityProvider,
} from '../../apps/directory/src/oidc/local-identity-provider.ts'
import { TEST_HASHING } from '../support/auth-server.ts'
import { send } from '../support/http-client.ts'
import { clientFor, cookiePairs, freePort, oidcOptions, signInAtProvider } from '../support/oidc.ts'
import { sharedPostgresRedis } from '../support/sql-stores.ts'

const REDIS_URL = 'redis://127.0.0.1:6379/7'

interface Instance {
  baseUrl: string
  tessera: Tessera
  close(): Promise<void>
}

/** One instance behind the load balancer: its own port, the shared public origin, database and Redis. */
async function instance(
  url: string,
  prefix: string,
  secret: Buffer,
  publicOrigin: string,
  issuer: string,
  port: number,
): Promise<Instance> {
  const stores = withRedis(createSqlStores(openDatabase<AuthTables>(url)), REDIS_URL, { keyPrefix: prefix })
  const tessera = createTessera({
    stores,
    secret,
    publicOrigin,
    passwordHashing: TEST_HASHING,
    oidc: oidcOptions(issuer),
  })
  const app = Fastify()
  app.setErrorHandler(problemErrorHandler)
  acceptOnlyJsonBodies(app)
  await app.register(tesseraFastify, { tessera })
  await app.listen({ port, host: '127.0.0.1' })
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    tessera,
    async close() {
      await app.close()
      await tessera.close()
    },
  }
}

test('two instances on PostgreSQL + Redis: a sign-in begun on A finishes on B, and its replay on A is refused', {
  timeout: 60_000,
}, async () => {
  const shared = await sharedPostgresRedis()
  const secret = randomBytes(32)
  const [portA, portB] = [await freePort(), await freePort()]
  const publicOrigin = `http://127.0.0.1:${portA}`
  const idp = await startLocalIdentityProvider({ clients: [clientFor(publicOrigin)], people: demoPeople() })
  const instances: Instance[] = []
  try {
    instances.push(await instance(shared.url, shared.prefix, secret, publicOrigin, idp.issuer, portA))
    instances.push(await instance(shared.url, shared.prefix, secret, publicOrigin, idp.issuer, portB))
    const [a, b] = instances as [Instance, Instance]
    const started = await send(a.baseUrl, {
      method: 'POST',
      path: '/auth/oidc/corp/start',
      headers: [['origin', publicOrigin]],
      body: { returnTo: '/employees?q=an' },
    })
    assert.equal(started.status, 200, started.text)
    const binding = cookiePairs(started.setCookies)[0] ?? ''
    const callback = await signInAtProvider(new URL(started.json.authorizationUrl), 'alice')
    const deliver = (to: Instance) =>
      send(to.baseUrl, { path: callback.pathname + callback.search, headers: [['cookie', binding]] })
    const onB = await deliver(b)
    assert.equal(onB.status, 303, onB.text)
    assert.equal(onB.headers.location, '/employees?q=an')
    const replayOnA = await deliver(a)
    assert.equal(replayOnA.json.code, 'sso_state_invalid', 'the state was spent on B')
    const session = cookiePairs(onB.setCookies).find((c) => c.startsWith('tessera-session=')) ?? ''
    for (const each of instances) {
      const me = await send(each.baseUrl, { path: '/auth/me', headers: [['cookie', session]] })
      assert.equal(me.status, 200, me.text)
      assert.equal(me.json.user.role, 'admin', 'alice is in the admin group')
    }
  } finally {
    for (const each of instances) await each.close().catch(() => {})
    await idp.close()
    await shared.close()
  }
})
