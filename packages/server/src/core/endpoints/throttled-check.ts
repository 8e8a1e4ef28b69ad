import type { PasswordAttempt } from '../login-throttle.ts'
import type { Lane } from '../slots.ts'
import type { EndpointContext } from './endpoint.ts'

/**
 * A password check under the throttle: the attempt is reserved before anything is hashed
 * (`429 rate_limited` when the address or the account must wait), hashed in the lane the
 * reservation chose, and cleared when the password was right. A check the hashing queue
 * refused (`503`) gives the address its failure back; the account keeps the attempt.
 */
export async function throttledCheck(
  ctx: EndpointContext,
  action: string,
  emailKey: string,
  check: (lane: Lane) => Promise<boolean>,
): Promise<{ ok: boolean; attempt: PasswordAttempt }> {
  const { tessera, request, now } = ctx
  const attempt = await tessera.throttle.reserve(request.ip, action, emailKey, now)
  let ok: boolean
  try {
    ok = await check(attempt.lane)
  } catch (error) {
    await tessera.throttle.unchecked(request.ip, action, now)
    throw error
  }
  if (ok) await tessera.throttle.succeeded(request.ip, action, emailKey, now)
  return { ok, attempt }
}
