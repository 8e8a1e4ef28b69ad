import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { type AuthServer, startAuthServer } from '../support/auth-server.ts'
import { send } from '../support/http-client.ts'
import { assertProblem } from './session-helpers.ts'

/** Public keys a forger could sign anything for, or that name no point: each must be refused at registration. */
const FORGEABLE: Record<string, object> = {
  'the Ed25519 identity point': ed25519('0100000000000000000000000000000000000000000000000000000000000000'),
  'an Ed25519 point of order 8': ed25519('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'),
  'a non-canonical Ed25519 y (p + 1)': ed25519(
    'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  ),
  'a P-256 point off the curve': { ...p256(), y: Buffer.alloc(32, 7).toString('base64url') },
}

function ed25519(hex: string): object {
  return { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }
}

function p256(): object {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' })
}

describe('device key registration refuses points a forger could use', () => {
  let server: AuthServer
  before(async () => {
    server = await startAuthServer('fastify', { throttle: { ipAttempts: 1000 } })
  })
  after(() => server.close())

  for (const [what, publicKey] of Object.entries(FORGEABLE)) {
    test(`refuses ${what} at /body/publicKey and issues no key`, async () => {
      const user = await server.createUser()
      const answer = await send(server.baseUrl, {
        method: 'POST',
        path: '/auth/login',
        body: { email: user.email, password: user.password, credential: 'key', publicKey },
      })
      assertProblem(answer, 400, 'validation_failed')
      assert.equal(answer.json.errors[0].path, '/body/publicKey')
      assert.deepEqual(await server.stores.stores.credentials.listForUser(user.id, Date.now()), [])
    })
  }
})
