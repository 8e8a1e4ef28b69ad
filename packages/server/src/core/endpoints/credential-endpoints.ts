import { clearedSessionCookie } from '../cookies.ts'
import { expiresAt } from '../credentials.ts'
import { clearedBoundCookie } from '../dbsc/bound-cookie.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { hasSecondFactor } from '../mfa-policy.ts'
import { passkeyView } from '../passkeys/passkey-view.ts'
import type { CredentialRecord } from '../stores.ts'
import type { Tessera } from '../tessera.ts'
import { type Endpoint, objectSchema, STRING } from './endpoint.ts'
import { iso } from './guards.ts'

export const listCredentials: Endpoint = {
  method: 'GET',
  path: '/auth/credentials',
  access: 'authenticated',
  allowUnenrolled: true,
  summary: "The caller's live sessions and keys (the current one marked), passkeys and second factor",
  errors: ['unauthenticated'],
  async handle({ tessera, principal }) {
    const records = await tessera.listCredentials(principal.user.id)
    const bound = await boundSessions(tessera, records)
    const credentials = records.map((c) => ({
      id: c.id,
      type: c.type,
      algorithm: c.algorithm,
      label: c.label,
      createdAt: iso(c.createdAt),
      lastUsedAt: iso(c.lastUsedAt),
      expiresAt: iso(expiresAt(c)),
      current: c.id === principal.credential.id,
      // DBSC: the session is bound to a key its browser cannot export ("bound to this device").
      bound: bound.has(c.id),
    }))
    const passkeys = (await internals(tessera).stores.passkeys.listForUser(principal.user.id)).map(
      passkeyView,
    )
    const secondFactor = { totp: await hasSecondFactor(internals(tessera).stores, principal.user.id) }
    return { status: 200, body: { credentials, passkeys, secondFactor } }
  },
}

function boundSessions(tessera: Tessera, records: CredentialRecord[]): Promise<Set<string>> {
  const sessions = records.filter((c) => c.type === 'session').map((c) => c.id)
  const { deviceBinding } = internals(tessera)
  if (deviceBinding === undefined || sessions.length === 0) return Promise.resolve(new Set())
  return deviceBinding.store.boundAmong(sessions)
}

export const revokeCredential: Endpoint = {
  method: 'DELETE',
  path: '/auth/credentials/:id',
  access: 'authenticated',
  allowUnenrolled: true,
  summary: 'Revoke one of your credentials (admins: anyone’s)',
  params: objectSchema({ id: { ...STRING(5, 64), pattern: '^(ses|key)_[A-Za-z0-9_-]+$' } }, ['id']),
  errors: ['unauthenticated', 'not_found', 'csrf_failed'],
  async handle({ tessera, principal, params, request }) {
    const id = params.id as string
    const isAdmin = principal.user.role === 'admin'
    const found = await tessera.revoke(id, {
      by: principal.user.id,
      ip: request.ip,
      ...(!isAdmin && { ownedBy: principal.user.id }),
    })
    // Someone else's id answers exactly like an unknown one: ids cannot be probed.
    if (found === undefined) throw new ProblemError('not_found')
    const { config, deviceBinding } = internals(tessera)
    const { cookieName, secureCookies } = config
    const ownSession = id === principal.credential.id && found.credential.type === 'session'
    const cookies = ownSession ? [clearedSessionCookie(cookieName, secureCookies)] : []
    if (ownSession && deviceBinding) cookies.push(clearedBoundCookie(deviceBinding.config))
    return { status: 204, cookies }
  },
}
