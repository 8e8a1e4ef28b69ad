import { ProblemError } from './errors.ts'
import type { Stores } from './stores.ts'
import type { Principal, Role } from './types.ts'

/** A confirmed TOTP: what makes a password login ask for a second step. */
export async function hasSecondFactor(stores: Stores, userId: number): Promise<boolean> {
  const totp = await stores.mfa.findTotp(userId)
  return totp?.confirmedAt != null
}

/** A confirmed TOTP or a passkey: what the `mfaRequiredRoles` policy asks a user of those roles to have. */
async function hasStrongFactor(stores: Stores, userId: number): Promise<boolean> {
  if (await hasSecondFactor(stores, userId)) return true
  return (await stores.passkeys.listForUser(userId)).length > 0
}

/**
 * The `mfaRequiredRoles` policy: a user of such a role without a second factor may only
 * enrol one (`mfa_enrolment_required` elsewhere). Costs a lookup only for those roles.
 */
export async function requireEnrolment(
  required: ReadonlySet<Role>,
  stores: Stores,
  principal: Principal,
): Promise<void> {
  if (!required.has(principal.user.role)) return
  if (await hasStrongFactor(stores, principal.user.id)) return
  throw new ProblemError('mfa_enrolment_required')
}
