import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { generateKeyPair } from 'jose'
import { startAuthServer } from '../support/auth-server.ts'
import { assertRefusedAndAudited, deliverCallback, oidcOptions, startFlow } from '../support/oidc.ts'
import { startRogueProvider } from '../support/rogue-provider.ts'

describe('ID tokens that must be refused', () => {
  const NOW = () => Math.floor(Date.now() / 1000)
  const cases: Array<
    [
      string,
      (
        issuer: string,
        nonce: string,
        rogue: Awaited<ReturnType<typeof startRogueProvider>>,
      ) => Promise<string>,
    ]
  > = [
    [
      'for another audience',
      (iss, nonce, r) => r.sign({ iss, aud: 'someone-else', sub: 'x', nonce, iat: NOW(), exp: NOW() + 60 }),
    ],
    [
      'from another issuer',
      (_iss, nonce, r) =>
        r.sign({
          iss: 'https://evil.example',
          aud: 'tessera-test',
          sub: 'x',
          nonce,
          iat: NOW(),
          exp: NOW() + 60,
        }),
    ],
    [
      'expired',
      (iss, nonce, r) =>
        r.sign({ iss, aud: 'tessera-test', sub: 'x', nonce, iat: NOW() - 7200, exp: NOW() - 3600 }),
    ],
    [
      'with another nonce',
      (iss, _nonce, r) =>
        r.sign({ iss, aud: 'tessera-test', sub: 'x', nonce: 'not-it', iat: NOW(), exp: NOW() + 60 }),
    ],
    [
      'unsigned (alg none)',
      async (iss, nonce) => {
        const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
        return `${part({ alg: 'none' })}.${part({ iss, aud: 'tessera-test', sub: 'x', nonce, iat: NOW(), exp: NOW() + 60 })}.`
      },
    ],
    [
      'signed by a key the provider does not publish',
      async (iss, nonce, r) => {
        const { privateKey } = await generateKeyPair('RS256')
        return r.sign(
          { iss, aud: 'tessera-test', sub: 'x', nonce, iat: NOW(), exp: NOW() + 60 },
          { key: privateKey },
        )
      },
    ],
  ]

  for (const [name, mint] of cases) {
    test(`refuses an ID token ${name} with sso_token_invalid, audited, nothing created`, async () => {
      const rogue = await startRogueProvider()
      const server = await startAuthServer('fastify', { oidc: oidcOptions(rogue.issuer) })
      try {
        const flow = await startFlow(server)
        const nonce = flow.authorizationUrl.searchParams.get('nonce') ?? ''
        rogue.setMint(() => mint(rogue.issuer, nonce, rogue))
        const callback = new URL(`${server.origin}/auth/oidc/corp/callback`)
        callback.searchParams.set('code', 'any-code')
        callback.searchParams.set('state', flow.authorizationUrl.searchParams.get('state') ?? '')
        const answer = await deliverCallback(server, callback, [flow.binding])
        assert.equal(answer.status, 401, answer.text)
        await assertRefusedAndAudited(server, answer, 'sso_token_invalid')
      } finally {
        await server.close()
        await rogue.close()
      }
    })
  }
})
