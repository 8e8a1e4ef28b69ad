import { mayLogIn } from '../accounts/email-verification.ts'
import { emailKey } from '../email.ts'
import { throttledCheck } from '../endpoints/throttled-check.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { requirePasswordAllowed } from '../oidc/require-password-allowed.ts'
import { normalizePassword } from '../password-policy.ts'
import type { UserRecord } from '../stores.ts'
import type { Tessera } from '../tessera.ts'

export interface PasswordCheck {
  email: string
  password: string
  /** The caller's address: the throttle counts failures per address and per account. */
  ip: string
  /** Recorded in the audit trail with the success. */
  credential?: 'session' | 'key'
}

/**
 * The one answer for unknown email, wrong password and disabled account: same status,
 * body and (through a dummy hash) timing (OWASP Authentication Cheat Sheet). Throttled
 * per address and account before the hash is even computed (`throttled-check.ts`).
 * `403 sso_required` first for a domain that signs in only through its provider; after the
 * right password, `email_unverified` when verification is required and still pending.
 */
export async function checkLogin(tessera: Tessera, input: PasswordCheck): Promise<UserRecord> {
  const { stores, hasher, audit, now: clock } = internals(tessera)
  await requirePasswordAllowed(tessera, input.email, input.ip)
  const now = clock()
  const key = emailKey(input.email)
  const password = normalizePassword(input.password)
  let user: UserRecord | undefined
  const ctx = { tessera, request: { ip: input.ip }, now }
  const { ok, attempt } = await throttledCheck(ctx, 'login', key, async (lane) => {
    user = await stores.users.findByEmailKey(key)
    return user !== undefined && !user.disabled
      ? hasher.verify(user.passwordHash, password, lane)
      : hasher.verifyDummy(password, lane)
  })
  if (!ok || user === undefined) {
    await audit.record(attempt.delay > 0 ? 'authn_login_lock' : 'authn_login_fail', {
      userId: user?.id ?? null,
      ip: input.ip,
      detail: { failures: attempt.failures, delaySeconds: attempt.delay },
    })
    throw new ProblemError('invalid_credentials')
  }
  if (hasher.needsRehash(user.passwordHash)) {
    // Guarded by the epoch: a rehash must not undo a password change that raced this login.
    const passwordHash = await hasher.hash(password)
    await stores.users.update(user.id, { passwordHash, rehashAtEpoch: user.credentialEpoch }, now)
  }
  const failures = attempt.failures - 1
  await audit.record(failures > 0 ? 'authn_login_successafterfail' : 'authn_login_success', {
    userId: user.id,
    ip: input.ip,
    detail: { failures, credential: input.credential ?? 'session' },
  })
  // Only after the right password: the refusal tells nothing to someone who does not know it.
  if (!mayLogIn(tessera, user)) {
    const detail = { code: 'email_unverified' }
    await audit.record('authz_fail', { userId: user.id, ip: input.ip, detail })
    throw new ProblemError('email_unverified')
  }
  return user
}
