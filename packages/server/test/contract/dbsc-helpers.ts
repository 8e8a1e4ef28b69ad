import assert from 'node:assert/strict'
import { setTimeout as delay } from 'node:timers/promises'
import type { AuthServer } from '../../../../test/support/auth-server.ts'
import { DbscClient } from '../../../../test/support/dbsc-client.ts'
import { internals } from '../../src/core/internals.ts'
import type { AuditEventName, AuditRecord } from '../../src/core/stores.ts'

export const BOUND_COOKIE = 'tessera-bound'
export const SESSION_COOKIE = 'tessera-session'
export const TEN_MINUTES = 10 * 60_000

/** A user logged in by a DBSC client that registered its key: a bound session. */
export async function boundSession(server: AuthServer, role: 'user' | 'admin' = 'user') {
  const user = await server.createUser(role)
  const client = new DbscClient(server.baseUrl)
  const loginAnswer = await client.login(user.email, user.password)
  const registered = await client.register(loginAnswer)
  assert.equal(registered.status, 200, registered.text)
  return { user, client, loginAnswer, csrf: loginAnswer.json.csrfToken as string }
}

/** Audit writes after a refusal are off the response path: wait (bounded) until one shows. */
export async function auditEvent(
  server: AuthServer,
  event: AuditEventName,
  match: (record: AuditRecord) => boolean = () => true,
): Promise<AuditRecord> {
  const deadline = Date.now() + 5000
  for (;;) {
    const found = (await internals(server.tessera).stores.audit.list({ limit: 100, event })).find(match)
    if (found !== undefined) return found
    if (Date.now() > deadline) assert.fail(`no ${event} audit event`)
    await delay(20)
  }
}
