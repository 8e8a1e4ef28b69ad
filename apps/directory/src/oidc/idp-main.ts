import { localOrigins } from '../auth-settings.ts'
import { ADMIN_GROUP, demoPeople, startLocalIdentityProvider } from './local-identity-provider.ts'

/**
 * `npm run idp`: a local OpenID provider for trying sign-in with an identity provider, with two
 * demo people, and the environment that starts the directory against it. Development only.
 */
export const DEV_CLIENT = { id: 'directory-dev', secret: 'directory-dev-secret-not-for-production' }

/** The variables `npm start` needs to trust the local provider (README "Sign in with your identity provider"). */
export function idpEnvironment(issuer: string): Record<string, string> {
  return {
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: DEV_CLIENT.id,
    OIDC_CLIENT_SECRET: DEV_CLIENT.secret,
    OIDC_NAME: 'Local IdP',
    OIDC_ALLOWED_DOMAINS: 'example.com',
    OIDC_ADMIN_GROUP: ADMIN_GROUP,
    OIDC_SCOPES: 'groups',
  }
}

/** The client registration for a directory on `port`: both loopback names, web callback and logout return. */
export function devClient(port: number) {
  const origins = localOrigins('127.0.0.1', port)
  return {
    client_id: DEV_CLIENT.id,
    client_secret: DEV_CLIENT.secret,
    redirect_uris: origins.map((o) => `${o}/auth/oidc/sso/callback`),
    post_logout_redirect_uris: origins.map((o) => `${o}/`),
    token_endpoint_auth_method: 'client_secret_basic' as const,
    require_auth_time: true,
  }
}

async function main(): Promise<void> {
  const port = Number(process.env.IDP_PORT || 4400)
  const directoryPort = Number(process.env.PORT || 3000)
  const idp = await startLocalIdentityProvider({
    port,
    clients: [devClient(directoryPort)],
    people: demoPeople(),
  })
  const env = Object.entries(idpEnvironment(idp.issuer))
    .map(([k, v]) => `${k}=${v.includes(' ') ? `'${v}'` : v}`)
    .join(' \\\n  ')
  console.log(`Local identity provider (development only) at ${idp.issuer}

People who can sign in there:
  alice / alice-demo-password   alice@example.com, in the "${ADMIN_GROUP}" group: admin in the directory
  bob   / bob-demo-password     bob@example.com

Start the directory against it, in another terminal:
  ${env} \\
  npm start
`)
  const stop = () => void idp.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

if (import.meta.main) await main()
