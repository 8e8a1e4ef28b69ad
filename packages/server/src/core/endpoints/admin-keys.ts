import { publicUser } from '../credentials.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { CRITICAL_RECENT_AUTH_SECONDS } from '../step-up.ts'
import { type Endpoint, objectSchema, STRING } from './endpoint.ts'
import { issueKey } from './issue-credential.ts'

const ID = { type: 'string', pattern: '^[1-9][0-9]{0,9}$' }

/**
 * An admin issues a signing key to another account (a service, a colleague's script) over HTTP,
 * as `tessera keys issue` does from the CLI. Critical (issue 14): a recent proof of the admin.
 * Answers like the key login: an HMAC key's secret, shown this once and never stored; or, with
 * a public JWK, a device key registered for the holder of the private key.
 */
export const issueUserKey: Endpoint = {
  method: 'POST',
  path: '/auth/admin/users/:id/keys',
  access: 'admin',
  recentAuth: CRITICAL_RECENT_AUTH_SECONDS,
  summary:
    "Issue a signing key to a user (needs a recent re-authentication): an HMAC key's secret shown once, or a device key for a given public JWK",
  params: objectSchema({ id: ID }, ['id']),
  body: objectSchema({ label: STRING(1, 100), publicKey: { type: 'object', maxProperties: 16 } }, []),
  errors: [
    'unauthenticated',
    'forbidden',
    'reauth_required',
    'not_found',
    'user_disabled',
    'validation_failed',
    'csrf_failed',
  ],
  async handle({ tessera, principal, params, body, request, now }) {
    const { label, publicKey } = (body ?? {}) as { label?: string; publicKey?: Record<string, unknown> }
    const { stores, audit } = internals(tessera)
    const target = await stores.users.findById(Number(params.id))
    if (target === undefined) throw new ProblemError('not_found')
    // A key for a disabled account would be born dead: say so instead of showing a useless secret.
    if (target.disabled) throw new ProblemError('user_disabled')
    const key = await issueKey(tessera, target, label ?? 'issued by an admin', publicKey, now)
    await audit.record('authz_admin', {
      userId: principal.user.id,
      credentialId: principal.credential.id,
      ip: request.ip,
      detail: {
        action: 'issue_key',
        targetUserId: target.id,
        keyId: key.id,
        type: key.secret ? 'hmac' : 'device',
      },
    })
    return { status: 201, body: { user: publicUser(target), key } }
  },
}
