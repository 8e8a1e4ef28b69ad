import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadOidcSettings } from './oidc-settings.ts'

test('reads one or two providers, SSO_ONLY and the mobile return URIs from the environment', () => {
  const oidc = loadOidcSettings(
    {
      OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0',
      OIDC_CLIENT_ID: 'a',
      OIDC_CLIENT_SECRET: 's',
      OIDC_NAME: 'Microsoft',
      OIDC_ALLOWED_DOMAINS: 'corp.example, corp2.example',
      OIDC_ADMIN_GROUP: 'admins',
      OIDC2_ISSUER: 'https://accounts.google.com',
      OIDC2_CLIENT_ID: 'b',
      OIDC2_ID: 'google',
      SSO_ONLY: 'corp.example',
      OIDC_MOBILE_REDIRECT_URIS: 'https://app.corp.example/oidc',
    },
    ['http://127.0.0.1:3001/m/'],
  )
  assert.deepEqual(
    oidc?.providers.map((p) => [p.id, p.name, p.allowedDomains, p.adminGroup ?? null]),
    [
      ['sso', 'Microsoft', ['corp.example', 'corp2.example'], 'admins'],
      ['google', 'your company account', [], null],
    ],
  )
  assert.deepEqual(oidc?.ssoOnlyDomains, ['corp.example'])
  assert.deepEqual(oidc?.mobileRedirectUris, ['https://app.corp.example/oidc', 'http://127.0.0.1:3001/m/'])
})

test('no provider without OIDC_ISSUER; SSO_ONLY alone and a missing client id are refused', () => {
  assert.equal(loadOidcSettings({}), undefined)
  assert.throws(() => loadOidcSettings({ SSO_ONLY: 'corp.example' }), /OIDC_ISSUER/)
  assert.throws(() => loadOidcSettings({ OIDC_ISSUER: 'https://id.example' }), /OIDC_CLIENT_ID/)
})
