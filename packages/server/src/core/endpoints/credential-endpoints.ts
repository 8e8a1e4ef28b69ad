import { clearedSessionCookie } from '../cookies.ts'
import { expiresAt } from '../credentials.ts'
import { clearedBoundCookie } from '../dbsc/bound-cookie.ts'
import { ProblemError } from '../errors.ts'
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
  async handle({ tessera, principal, now }) {
    const records = await tessera.stores.credentials.listForUser(principal.user.id, now)
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
    const passkeys = (await tessera.stores.passkeys.listForUser(principal.user.id)).map(passkeyView)
    const secondFactor = { totp: await hasSecondFactor(tessera.stores, principal.user.id) }
    return { status: 200, body: { credentials, passkeys, secondFactor } }
  },
}

function boundSessions(tessera: Tessera, records: CredentialRecord[]): Promise<Set<string>> {
  const sessions = records.filter((c) => c.type === 'session').map((c) => c.id)
  if (tessera.deviceBinding === undefined || sessions.length === 0) return Promise.resolve(new Set())
  return tessera.deviceBinding.store.boundAmong(sessions)
}

export const revokeCredential: Endpoint = {
  method: 'DELETE',
  path: '/auth/credentials/:id',
  access: 'authenticated',
  allowUnenrolled: true,
  summary: 'Revoke one of your credentials (admins: anyone’s)',
  params: objectSchema({ id: { ...STRING(5, 64), pattern: '^(ses|key)_[A-Za-z0-9_-]+$' } }, ['id']),
  errors: ['unauthenticated', 'not_found', 'csrf_failed'],
  async handle({ tessera, principal, params, request, now }) {
    const id = params.id as string
    const found = await tessera.stores.credentials.findById(id)
    const mine = found?.credential.userId === principal.user.id
    // Someone else's id answers exactly like an unknown one: ids cannot be probed.
    if (found === undefined || (!mine && principal.user.role !== 'admin')) throw new ProblemError('not_found')
    if (!(await tessera.stores.credentials.revoke(id, now))) throw new ProblemError('not_found')
    await tessera.audit.record('authn_token_revoked', {
      userId: found.credential.userId,
      credentialId: id,
      ip: request.ip,
      detail: { by: principal.user.id },
    })
    const { cookieName, secureCookies } = tessera.config
    const ownSession = id === principal.credential.id && found.credential.type === 'session'
    const cookies = ownSession ? [clearedSessionCookie(cookieName, secureCookies)] : []
    if (ownSession && tessera.deviceBinding) cookies.push(clearedBoundCookie(tessera.deviceBinding.config))
    return { status: 204, cookies }
  },
}
