import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { passkeyView } from '../passkeys/passkey-view.ts'
import { CRITICAL_RECENT_AUTH_SECONDS } from '../step-up.ts'
import { type Endpoint, objectSchema, STRING } from './endpoint.ts'

const ID = objectSchema({ id: { ...STRING(1, 255), pattern: '^[A-Za-z0-9_-]+$' } }, ['id'])

export const listPasskeys: Endpoint = {
  method: 'GET',
  path: '/auth/passkeys',
  access: 'authenticated',
  allowUnenrolled: true,
  summary: 'Your passkeys with their last use',
  errors: ['unauthenticated'],
  async handle({ tessera, principal }) {
    const passkeys = await internals(tessera).stores.passkeys.listForUser(principal.user.id)
    return { status: 200, body: { passkeys: passkeys.map(passkeyView) } }
  },
}

export const renamePasskey: Endpoint = {
  method: 'PATCH',
  path: '/auth/passkeys/:id',
  access: 'authenticated',
  summary: 'Rename one of your passkeys',
  params: ID,
  body: objectSchema({ name: STRING(1, 100) }, ['name']),
  errors: ['unauthenticated', 'not_found', 'validation_failed', 'csrf_failed'],
  async handle({ tessera, principal, params, body }) {
    const { name } = body as { name: string }
    // Someone else's passkey answers like an unknown one.
    if (!(await internals(tessera).stores.passkeys.rename(principal.user.id, params.id as string, name)))
      throw new ProblemError('not_found')
    return { status: 204 }
  },
}

export const removePasskey: Endpoint = {
  method: 'DELETE',
  path: '/auth/passkeys/:id',
  access: 'authenticated',
  recentAuth: CRITICAL_RECENT_AUTH_SECONDS,
  summary: 'Remove one of your passkeys (needs a recent re-authentication)',
  params: ID,
  errors: ['unauthenticated', 'reauth_required', 'not_found', 'csrf_failed'],
  async handle({ tessera, principal, params, request }) {
    const id = params.id as string
    if (!(await internals(tessera).stores.passkeys.remove(principal.user.id, id)))
      throw new ProblemError('not_found')
    await internals(tessera).audit.record('mfa_disabled', {
      userId: principal.user.id,
      credentialId: principal.credential.id,
      ip: request.ip,
      detail: { factor: 'passkey' },
    })
    return { status: 204 }
  },
}
