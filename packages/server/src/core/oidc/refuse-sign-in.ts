import { type ErrorCode, ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import type { Tessera } from '../tessera.ts'

interface RefusalContext {
  tessera: Tessera
  provider: { id: string }
  ip: string
}

/** Audits a refused provider sign-in (with a secret-free reason) and throws its problem. */
export async function refuseSignIn(ctx: RefusalContext, code: ErrorCode, reason: string): Promise<never> {
  await internals(ctx.tessera).audit.record('authn_login_fail', {
    ip: ctx.ip,
    detail: { method: 'oidc', provider: ctx.provider.id, code, reason },
  })
  throw new ProblemError(code)
}
