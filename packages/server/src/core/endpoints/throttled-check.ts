import { internals } from '../internals.ts'
import type { PasswordAttempt } from '../login-throttle.ts'
import type { Lane } from '../slots.ts'
import type { EndpointContext } from './endpoint.ts'

/** What a throttled check needs of an endpoint's context (a verb called directly builds one). */
export type ThrottleContext = Pick<EndpointContext, 'tessera' | 'now'> & { request: { ip: string } }

/**
 * A password check under the throttle: the attempt is reserved before anything is hashed
 * (`429 rate_limited` when the address or the account must wait), hashed in the lane the
 * reservation chose, and cleared when the password was right. A check the hashing queue
 * refused (`503`) gives the address its failure back; the account keeps the attempt.
 */
export async function throttledCheck(
  ctx: ThrottleContext,
  action: string,
  emailKey: string,
  check: (lane: Lane) => Promise<boolean>,
): Promise<{ ok: boolean; attempt: PasswordAttempt }> {
  const { request, now } = ctx
  const { throttle } = internals(ctx.tessera)
  const attempt = await throttle.reserve(request.ip, action, emailKey, now)
  let ok: boolean
  try {
    ok = await check(attempt.lane)
  } catch (error) {
    await throttle.unchecked(request.ip, action, now)
    throw error
  }
  if (ok) await throttle.succeeded(request.ip, action, emailKey, now)
  return { ok, attempt }
}
