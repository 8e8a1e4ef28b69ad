import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import Provider, { type ClientMetadata, type KoaContextWithOIDC } from 'oidc-provider'

/** Someone who can sign in at the local provider. */
export interface DemoPerson {
  login: string
  password: string
  email: string
  emailVerified: boolean
  name: string
  groups: string[]
}

export interface LocalIdentityProviderOptions {
  /** Default: a free port on 127.0.0.1. */
  port?: number
  clients: ClientMetadata[]
  /** Keyed by login; changes take effect at the next sign-in (a demotion, an unverified email). */
  people?: Map<string, DemoPerson>
  /** Private signing JWKs, the first signs; default one new RSA key. */
  keys?: JWK[]
}

export interface LocalIdentityProvider {
  issuer: string
  port: number
  people: Map<string, DemoPerson>
  keys: JWK[]
  close(): Promise<void>
}

export const ADMIN_GROUP = 'directory-admins'

/** The two demo people of `npm run idp`: Alice is in the admin group, Bob is not. */
export function demoPeople(domain = 'example.com'): Map<string, DemoPerson> {
  const alice = {
    login: 'alice',
    password: 'alice-demo-password',
    name: 'Alice Admin',
    groups: [ADMIN_GROUP],
  }
  const bob = { login: 'bob', password: 'bob-demo-password', name: 'Bob Builder', groups: ['staff'] }
  return new Map(
    [alice, bob].map((p) => [p.login, { ...p, email: `${p.login}@${domain}`, emailVerified: true }]),
  )
}

export async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  return { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' }
}

/**
 * A real OpenID provider (`oidc-provider`) for development and tests, on 127.0.0.1: code flow
 * with PKCE, `groups` claim, `auth_time`/`amr`/`acr`, RP-initiated logout, and a plain login
 * page that checks the demo people's passwords. Never for production.
 */
export async function startLocalIdentityProvider(
  options: LocalIdentityProviderOptions,
): Promise<LocalIdentityProvider> {
  const people = options.people ?? demoPeople()
  const keys = options.keys ?? [await newSigningKey()]
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const issuer = `http://127.0.0.1:${port}`
  const provider = new Provider(issuer, {
    clients: options.clients,
    jwks: { keys },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: {
      openid: ['sub', 'amr', 'acr', 'auth_time'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    conformIdTokenClaims: false,
    ttl: {
      Interaction: 600,
      Grant: 3600,
      Session: 3600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
    acrValues: ['urn:tessera:demo:password'],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
    loadExistingGrant: grantEverything,
    findAccount: (_ctx: KoaContextWithOIDC, id: string) => {
      const person = people.get(id)
      return person && { accountId: id, claims: () => claimsOf(person) }
    },
  })
  const handleProvider = provider.callback()
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) void interaction(provider, people, req, res)
    else handleProvider(req, res)
  })
  return {
    issuer,
    port,
    people,
    keys,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function claimsOf(person: DemoPerson) {
  return {
    sub: person.login,
    email: person.email,
    email_verified: person.emailVerified,
    name: person.name,
    groups: person.groups,
  }
}

/** First-party demo: every client gets every scope without a consent screen. */
async function grantEverything(ctx: KoaContextWithOIDC) {
  const { client, session, provider } = ctx.oidc
  if (client === undefined || session?.accountId === undefined) return undefined
  const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId })
  grant.addOIDCScope('openid email profile groups')
  grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups'])
  await grant.save()
  return grant
}

async function interaction(
  provider: Provider,
  people: Map<string, DemoPerson>,
  req: IncomingMessage,
  res: ServerResponse,
) {
  try {
    const details = await provider.interactionDetails(req, res)
    if (req.method === 'GET') return page(res, details.uid, '')
    const form = new URLSearchParams(await bodyOf(req))
    const person = people.get(form.get('login') ?? '')
    if (person === undefined || person.password !== form.get('password'))
      return page(res, details.uid, 'Unknown login or wrong password.')
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: person.login, amr: ['pwd'], acr: 'urn:tessera:demo:password' } },
      { mergeWithLastSubmission: false },
    )
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('This sign-in has expired; start again.')
  }
}

function page(res: ServerResponse, uid: string, error: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local identity provider</title></head>
<body><h1>Local identity provider</h1><p>Development only. Demo people: alice (admin group), bob.</p>
${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${encodeURIComponent(uid)}">
<label>Login <input name="login" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form></body></html>`
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html)
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  let body = ''
  for await (const chunk of req) {
    body += String(chunk)
    if (body.length > 4096) throw new Error('form too large')
  }
  return body
}
