import assert from 'node:assert/strict'
import { type Session, withSession } from '../../../../test/contract/session-helpers.ts'
import type { AuthServer } from '../../../../test/support/auth-server.ts'
import { type HttpAnswer, send } from '../../../../test/support/http-client.ts'
import { SoftAuthenticator } from '../../../../test/support/soft-authenticator.ts'

/** Adds a passkey made by a new software authenticator to the session's user. */
export async function addPasskey(
  server: AuthServer,
  session: Session,
  name = 'Laptop',
): Promise<SoftAuthenticator> {
  const authenticator = new SoftAuthenticator()
  const started = await withSession(server, session, {
    method: 'POST',
    path: '/auth/passkeys/register/options',
    body: {},
  })
  assert.equal(started.status, 200, started.text)
  const response = authenticator.register(started.json.options, server.origin)
  const done = await withSession(server, session, {
    method: 'POST',
    path: '/auth/passkeys/register',
    body: { ceremony: started.json.ceremony, response, name },
  })
  assert.equal(done.status, 201, done.text)
  return authenticator
}

export async function passkeyOptions(
  server: AuthServer,
): Promise<{ options: { challenge: string; rpId: string }; ceremony: string }> {
  const answer = await send(server.baseUrl, {
    method: 'POST',
    path: '/auth/passkeys/login/options',
    headers: [['origin', server.origin]],
    body: {},
  })
  assert.equal(answer.status, 200, answer.text)
  return answer.json
}

export function passkeyLogin(server: AuthServer, body: Record<string, unknown>): Promise<HttpAnswer> {
  return send(server.baseUrl, {
    method: 'POST',
    path: '/auth/passkeys/login',
    headers: [['origin', server.origin]],
    body,
  })
}
