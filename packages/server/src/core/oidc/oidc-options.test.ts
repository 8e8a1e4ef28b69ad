import assert from 'node:assert/strict'
import { test } from 'node:test'
import { emailDomain, type OidcProviderOptions, resolveOidc } from './oidc-options.ts'

const CORP: OidcProviderOptions = {
  id: 'corp',
  name: 'Corp',
  issuer: 'https://id.example.com',
  clientId: 'c',
  clientSecret: 's',
  allowedDomains: ['Example.COM'],
}

test('takes several providers, and lower-cases domains', () => {
  const resolved = resolveOidc({
    providers: [CORP, { ...CORP, id: 'partner', issuer: 'https://login.partner.example' }],
    ssoOnlyDomains: [' Corp.Example '],
  })
  assert.deepEqual([...resolved.providers.keys()], ['corp', 'partner'])
  assert.deepEqual(resolved.providers.get('corp')?.allowedDomains, ['example.com'])
  assert.ok(resolved.ssoOnlyDomains.has('corp.example'))
  assert.equal(resolved.timeoutMs, 5000)
  assert.equal(resolved.flowTtlMs, 10 * 60_000)
})

test('refuses bad provider entries at start-up', () => {
  const cases: Array<[Partial<OidcProviderOptions>, RegExp]> = [
    [{ id: 'Bad Id' }, /a-z/],
    [{ clientId: '' }, /clientId/],
    [{ privateKeyJwk: { kty: 'EC' } }, /not both/],
    [{ issuer: 'http://id.example.com' }, /https/],
  ]
  for (const [change, message] of cases)
    assert.throws(() => resolveOidc({ providers: [{ ...CORP, ...change }] }), message)
  assert.throws(() => resolveOidc({ providers: [CORP, CORP] }), /twice/)
  assert.throws(
    () => resolveOidc({ providers: [], mobileRedirectUris: ['https://app.example/cb#x'] }),
    /fragment/,
  )
})

test('allows an http issuer only on loopback and only when asked', () => {
  const local = { ...CORP, issuer: 'http://127.0.0.1:4400' }
  assert.throws(() => resolveOidc({ providers: [local] }), /https/)
  assert.doesNotThrow(() => resolveOidc({ providers: [local], allowLoopbackHttp: true }))
  assert.throws(
    () => resolveOidc({ providers: [{ ...CORP, issuer: 'http://id.example.com' }], allowLoopbackHttp: true }),
    /https/,
  )
})

test('reads the email domain as policy sees it', () => {
  assert.equal(emailDomain('Ann@Corp.Example'), 'corp.example')
  assert.equal(emailDomain('"a@b"@corp.example'), 'corp.example')
})
