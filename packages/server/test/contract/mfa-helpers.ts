import assert from 'node:assert/strict'
import { type Session, withSession } from '../../../../test/contract/session-helpers.ts'
import type { AuthServer } from '../../../../test/support/auth-server.ts'
import { type HttpAnswer, send } from '../../../../test/support/http-client.ts'
import { totpCode } from '../../../../test/support/totp-code.ts'

export interface Enrolled {
  secret: string
  recoveryCodes: string[]
}

/** Enrols TOTP for the session's user (fresh login assumed) and confirms it with the current code. */
export async function enrolTotp(server: AuthServer, session: Session): Promise<Enrolled> {
  const begun = await withSession(server, session, { method: 'POST', path: '/auth/mfa/totp', body: {} })
  assert.equal(begun.status, 200, begun.text)
  const { secret } = begun.json
  const code = totpCode(secret, server.clock.now)
  const confirmed = await withSession(server, session, {
    method: 'POST',
    path: '/auth/mfa/totp/confirm',
    body: { code },
  })
  assert.equal(confirmed.status, 200, confirmed.text)
  // The enrolment used this step: later tests start on the next one.
  server.clock.advance(30_000)
  return { secret, recoveryCodes: confirmed.json.recoveryCodes }
}

/** The password step of a login that must answer `mfa_required`; answers the challenge. */
export async function passwordStep(
  server: AuthServer,
  email: string,
  password: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const answer = await send(server.baseUrl, {
    method: 'POST',
    path: '/auth/login',
    headers: [['origin', server.origin]],
    body: { email, password, ...extra },
  })
  assert.equal(answer.status, 401, answer.text)
  assert.equal(answer.json.code, 'mfa_required')
  assert.deepEqual(answer.setCookies, [], 'no credential before the second step')
  return answer.json.challenge
}

export function secondStep(server: AuthServer, body: Record<string, unknown>): Promise<HttpAnswer> {
  return send(server.baseUrl, {
    method: 'POST',
    path: '/auth/login/mfa',
    headers: [['origin', server.origin]],
    body,
  })
}
