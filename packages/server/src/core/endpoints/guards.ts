import { checkRequestOrigin } from '../csrf.ts'
import { emailProblem } from '../email.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import type { EndpointContext } from './endpoint.ts'

/**
 * Login and register answer only the app's own origins (login CSRF, OWASP CSRF Cheat
 * Sheet "Login CSRF"); `allowCors` widens that to the CORS allowlist where no cookie
 * is set (a key login from the mobile app's origin).
 */
export async function requireOrigin(ctx: EndpointContext, allowCors: boolean): Promise<void> {
  const { config, audit } = internals(ctx.tessera)
  const verdict = checkRequestOrigin(ctx.request.headers, allowCors ? config.corsOrigins : config.ownOrigins)
  if (verdict === 'allowed') return
  await audit.record('malicious_csrf', { ip: ctx.request.ip, detail: { verdict, path: ctx.request.target } })
  throw new ProblemError('csrf_failed')
}

/** The per-IP budget of password-handling endpoints; 429 with Retry-After when spent. */
export async function requireIpBudget(ctx: EndpointContext, action: string): Promise<void> {
  const wait = await internals(ctx.tessera).throttle.attempt(ctx.request.ip, action, ctx.now)
  if (wait > 0) throw new ProblemError('rate_limited', { retryAfter: wait })
}

export function iso(ms: number): string {
  return new Date(ms).toISOString()
}

/**
 * A public "mail me" request (forgot password, resend verification): an own or CORS origin,
 * the per-IP budget shared by both, and a well-formed address (`validation_failed` otherwise).
 * Answers the address; whether it has an account is never told here.
 */
export async function mailRequestEmail(ctx: EndpointContext): Promise<string> {
  await requireOrigin(ctx, true)
  await requireIpBudget(ctx, 'forgot')
  const { email } = ctx.body as { email: string }
  const refusal = emailProblem(email)
  if (refusal !== undefined)
    throw new ProblemError('validation_failed', { errors: [{ path: '/body/email', message: refusal }] })
  return email
}
