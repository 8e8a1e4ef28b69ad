import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import type { OidcOptions, OidcProviderOptions } from '@tessera/server'
import {
  ADMIN_GROUP,
  type DemoPerson,
  demoPeople,
  type LocalIdentityProvider,
  startLocalIdentityProvider,
} from '../../apps/directory/src/oidc/local-identity-provider.ts'
import { type AdapterName, type AuthServer, type AuthServerOptions, startAuthServer } from './auth-server.ts'
import { type HttpAnswer, send } from './http-client.ts'

export const CLIENT_ID = 'tessera-test'
export const CLIENT_SECRET = 'test-client-secret-0123456789abcdef'
export const APP_REDIRECT = 'com.example.directory:/oidc'
export const DOMAIN = 'example.com'

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

/** The test's provider entry for Tessera: client secret, JIT for example.com, admin group. */
export function providerEntry(issuer: string, extra: Partial<OidcProviderOptions> = {}): OidcProviderOptions {
  return {
    id: 'corp',
    name: 'Corp ID',
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    allowedDomains: [DOMAIN],
    adminGroup: ADMIN_GROUP,
    scopes: ['groups'],
    ...extra,
  }
}

export function oidcOptions(issuer: string, extra: Partial<OidcOptions> = {}): OidcOptions {
  return {
    providers: [providerEntry(issuer)],
    mobileRedirectUris: [APP_REDIRECT],
    allowLoopbackHttp: true,
    jwksCooldownMs: 0,
    timeoutMs: 2000,
    ...extra,
  }
}

export function clientFor(rpOrigin: string) {
  return {
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: [`${rpOrigin}/auth/oidc/corp/callback`],
    post_logout_redirect_uris: [`${rpOrigin}/`],
    token_endpoint_auth_method: 'client_secret_basic' as const,
    require_auth_time: true,
  }
}

export interface OidcRig {
  idp: LocalIdentityProvider
  server: AuthServer
  people: Map<string, DemoPerson>
  close(): Promise<void>
}

/** A local provider and a Tessera server (adapter, SQLite) that trusts it. */
export async function startOidcRig(
  adapter: AdapterName,
  options: AuthServerOptions & {
    oidcExtra?: Partial<OidcOptions>
    /** Changes to the provider entry Tessera uses, and to the client registered at the provider. */
    providerExtra?: Partial<OidcProviderOptions>
    clientExtra?: Record<string, unknown>
  } = {},
): Promise<OidcRig> {
  const port = await freePort()
  const people = demoPeople(DOMAIN)
  const client = { ...clientFor(`http://127.0.0.1:${port}`), ...options.clientExtra }
  const idp = await startLocalIdentityProvider({ clients: [client as never], people })
  const { oidcExtra, providerExtra, clientExtra: _, ...rest } = options
  try {
    const oidc = {
      ...oidcOptions(idp.issuer, oidcExtra),
      providers: [providerEntry(idp.issuer, providerExtra)],
    }
    const server = await startAuthServer(adapter, { ...rest, port, oidc })
    const rig: OidcRig = {
      idp,
      server,
      people,
      async close() {
        await server.close()
        await rig.idp.close()
      },
    }
    return rig
  } catch (error) {
    await idp.close()
    throw error
  }
}

/** The `name=value` pairs of Set-Cookie headers (attributes dropped). */
export function cookiePairs(setCookies: string[]): string[] {
  return setCookies.map((c) => c.split(';')[0] ?? '').filter((c) => !c.endsWith('='))
}

export interface StartedFlow {
  authorizationUrl: URL
  /** The browser-binding cookie pair (web flows). */
  binding: string | undefined
}

export async function startFlow(
  server: AuthServer,
  body: Record<string, unknown> = {},
  provider = 'corp',
): Promise<StartedFlow> {
  const answer = await send(server.baseUrl, {
    method: 'POST',
    path: `/auth/oidc/${provider}/start`,
    headers: [['origin', server.origin]],
    body,
  })
  assert.equal(answer.status, 200, answer.text)
  return {
    authorizationUrl: new URL(answer.json.authorizationUrl),
    binding: cookiePairs(answer.setCookies)[0],
  }
}

/**
 * Signs in at the local provider as a browser would (its login form), following its redirects
 * with a cookie jar, and answers the callback URL it sends back to Tessera (not followed).
 */
export async function signInAtProvider(
  authorizationUrl: URL,
  login: string,
  password?: string,
): Promise<URL> {
  const jar = new Map<string, string>()
  const password_ = password ?? `${login}-demo-password`
  let url = authorizationUrl
  let answer = await get(url, jar)
  for (let hops = 0; hops < 10; hops++) {
    const location = answer.headers.location
    if (answer.status >= 300 && answer.status < 400 && location) {
      const next = new URL(location, url)
      if (next.origin !== authorizationUrl.origin) return next
      url = next
      answer = await get(url, jar)
      continue
    }
    assert.equal(answer.status, 200, answer.text)
    assert.match(answer.text, /name="login"/, 'the provider shows its login form')
    const form = new URLSearchParams({ login, password: password_ }).toString()
    answer = await send(url.origin, {
      method: 'POST',
      path: url.pathname,
      headers: [...cookieHeader(jar), ['content-type', 'application/x-www-form-urlencoded']],
      body: form,
    })
    remember(jar, answer)
  }
  throw new Error('the provider did not redirect back')
}

async function get(url: URL, jar: Map<string, string>): Promise<HttpAnswer> {
  const answer = await send(url.origin, { path: url.pathname + url.search, headers: cookieHeader(jar) })
  remember(jar, answer)
  return answer
}

function cookieHeader(jar: Map<string, string>): Array<[string, string]> {
  if (jar.size === 0) return []
  return [['cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; ')]]
}

function remember(jar: Map<string, string>, answer: HttpAnswer): void {
  for (const pair of answer.setCookies.map((c) => c.split(';')[0] ?? '')) {
    const at = pair.indexOf('=')
    const [name, value] = [pair.slice(0, at), pair.slice(at + 1)]
    if (value === '') jar.delete(name)
    else jar.set(name, value)
  }
}

/** Delivers the provider's redirect to Tessera, with the browser's cookies. */
export function deliverCallback(server: AuthServer, callback: URL, cookies: Array<string | undefined>) {
  const pairs = cookies.filter((c): c is string => c !== undefined)
  return send(server.baseUrl, {
    path: callback.pathname + callback.search,
    headers: pairs.length ? [['cookie', pairs.join('; ')]] : [],
  })
}

/** A full web sign-in: start, provider login, callback; answers the callback's answer. */
export async function webSignIn(server: AuthServer, login: string, body: Record<string, unknown> = {}) {
  const flow = await startFlow(server, body)
  const callback = await signInAtProvider(flow.authorizationUrl, login)
  return deliverCallback(server, callback, [flow.binding])
}

/** Nothing changed: no user, no credential beyond what the test made, the refusal audited with its code. */
export async function assertRefusedAndAudited(
  server: AuthServer,
  answer: { status: number; json: any; setCookies: string[] },
  code: string,
) {
  assert.equal(answer.json?.code, code, JSON.stringify(answer.json))
  assert.deepEqual(
    cookiePairs(answer.setCookies).filter((c) => c.startsWith('tessera-session')),
    [],
  )
  const events = await server.stores.stores.audit.list({ limit: 20, event: 'authn_login_fail' })
  assert.ok(
    events.some((e) => e.detail.code === code),
    `a ${code} refusal is audited`,
  )
  assert.deepEqual(await server.stores.stores.users.list({ limit: 5, offset: 0 }), [])
}
