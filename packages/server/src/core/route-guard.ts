import type { AuthOutcome } from './authenticator.ts'
import { ProblemError, StoreUnavailableError } from './errors.ts'
import { internals } from './internals.ts'
import { requireEnrolment } from './mfa-policy.ts'
import { type GuardOptions, requireRecentAuth } from './step-up.ts'
import type { Tessera } from './tessera.ts'
import type { Principal, RequestView, Role } from './types.ts'

/**
 * After `authenticate`: the role (401/403), step-up (`recentAuth`) and the `mfaRequiredRoles`
 * policy. Throws the ProblemError to answer; a promise only when the policy must ask a store.
 */
export function judgeOutcome(
  tessera: Tessera,
  outcome: AuthOutcome,
  role: Role,
  request: RequestView,
  options: GuardOptions,
): Principal | Promise<Principal> {
  const principal = tessera.authorize(outcome, role, request)
  const { config, stores, now } = internals(tessera)
  if (options.recentAuth !== undefined) requireRecentAuth(principal, options.recentAuth, now())
  if (options.allowUnenrolled || !config.mfaRequiredRoles.has(principal.user.role)) return principal
  return requireEnrolment(config.mfaRequiredRoles, stores, principal).then(() => principal)
}

/**
 * The whole route guard the adapters run on every protected request. A session found in the
 * credential cache is judged without a single promise (most requests): the answer comes back
 * as a value, and the adapter goes on in the same tick. Throws, or rejects with, the
 * ProblemError to answer; a failing store becomes a 503 (`StoreUnavailableError`).
 */
export function guardRequest(
  tessera: Tessera,
  request: RequestView,
  role: Role,
  options: GuardOptions,
): Principal | Promise<Principal> {
  try {
    const outcome = internals(tessera).authenticator.authenticate(request)
    const judged =
      outcome instanceof Promise
        ? outcome.then((settled) => judgeOutcome(tessera, settled, role, request, options))
        : judgeOutcome(tessera, outcome, role, request, options)
    return judged instanceof Promise ? judged.catch(failClosed) : judged
  } catch (error) {
    return failClosed(error)
  }
}

function failClosed(error: unknown): never {
  if (error instanceof ProblemError || error instanceof StoreUnavailableError) throw error
  throw new StoreUnavailableError('authentication store failed', { cause: error })
}
