import { requireCurrentPassword } from '../accounts/current-password.ts'
import { confirmEmailChange, requestEmailChange, undoEmailChange } from '../accounts/email-change.ts'
import { resendVerification, verifyEmail } from '../accounts/email-verification.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { CRITICAL_RECENT_AUTH_SECONDS } from '../step-up.ts'
import { TOKEN_BODY, TOKEN_ERRORS } from './account-token-schema.ts'
import { type Endpoint, type EndpointContext, objectSchema, STRING } from './endpoint.ts'
import { mailRequestEmail, requireIpBudget, requireOrigin } from './guards.ts'

/** The one answer to "send the link again" and "change my email", whoever asks. */
export const MAIL_ON_ITS_WAY = Object.freeze({ status: 'accepted', message: 'Check your inbox.' })

async function tokenGuards(ctx: EndpointContext): Promise<string> {
  await requireOrigin(ctx, true)
  await requireIpBudget(ctx, 'token')
  return (ctx.body as { token: string }).token
}

export const emailStatus: Endpoint = {
  method: 'GET',
  path: '/auth/email',
  access: 'authenticated',
  summary: "The caller's address and whether it is verified",
  errors: ['unauthenticated'],
  async handle({ tessera, principal }) {
    const user = await internals(tessera).stores.users.findById(principal.user.id)
    if (user === undefined) throw new ProblemError('unauthenticated')
    const { emailVerification } = internals(tessera).config
    return {
      status: 200,
      body: { email: user.email, verified: user.emailVerifiedAt !== null, verification: emailVerification },
    }
  },
}

export const verifyEmailEndpoint: Endpoint = {
  method: 'POST',
  path: '/auth/email/verify',
  access: 'public',
  summary: 'Verify an address from its link',
  body: TOKEN_BODY,
  errors: [...TOKEN_ERRORS],
  async handle(ctx) {
    await verifyEmail(ctx.tessera, await tokenGuards(ctx), ctx.request.ip, ctx.now)
    return { status: 204 }
  },
}

export const resendVerificationEndpoint: Endpoint = {
  method: 'POST',
  path: '/auth/email/verify/resend',
  access: 'public',
  summary: 'Mail the verification link again; the same 202 whoever asks',
  body: objectSchema({ email: STRING(1, 320) }, ['email']),
  errors: ['validation_failed', 'csrf_failed', 'rate_limited'],
  async handle(ctx) {
    const email = await mailRequestEmail(ctx)
    await resendVerification(ctx.tessera, email, ctx.request.ip, ctx.now)
    return { status: 202, body: MAIL_ON_ITS_WAY }
  },
}

export const changeEmailEndpoint: Endpoint = {
  method: 'POST',
  path: '/auth/email/change',
  access: 'authenticated',
  // Critical (issue 14): a recent proof of the user, besides the current password if there is one.
  recentAuth: CRITICAL_RECENT_AUTH_SECONDS,
  summary:
    'Change your address (needs a recent re-authentication and the current password, if the account has one): the new address must confirm, the old one can undo for 72 h',
  body: objectSchema({ newEmail: STRING(1, 320), currentPassword: STRING(1, 1024) }, ['newEmail']),
  errors: [
    'unauthenticated',
    'reauth_required',
    'validation_failed',
    'csrf_failed',
    'rate_limited',
    'service_unavailable',
  ],
  async handle(ctx) {
    const { tessera, principal, request, now } = ctx
    const { newEmail, currentPassword } = ctx.body as { newEmail: string; currentPassword?: string }
    await requireIpBudget(ctx, 'password')
    const user = await internals(tessera).stores.users.findById(principal.user.id)
    if (user === undefined) throw new ProblemError('unauthenticated')
    await requireCurrentPassword(ctx, user, currentPassword, 'email_change')
    await requestEmailChange(tessera, user, newEmail, request.ip, now)
    return { status: 202, body: MAIL_ON_ITS_WAY }
  },
}

export const confirmEmailEndpoint: Endpoint = {
  method: 'POST',
  path: '/auth/email/confirm',
  access: 'public',
  summary: 'Confirm a new address from its link',
  body: TOKEN_BODY,
  errors: [...TOKEN_ERRORS, 'email_taken'],
  async handle(ctx) {
    const user = await confirmEmailChange(ctx.tessera, await tokenGuards(ctx), ctx.request.ip, ctx.now)
    return { status: 200, body: { email: user.email } }
  },
}

export const undoEmailEndpoint: Endpoint = {
  method: 'POST',
  path: '/auth/email/undo',
  access: 'public',
  summary: 'Undo an email change from the old address (72 h): restores it and revokes every session and key',
  body: TOKEN_BODY,
  errors: [...TOKEN_ERRORS, 'email_taken'],
  async handle(ctx) {
    const user = await undoEmailChange(ctx.tessera, await tokenGuards(ctx), ctx.request.ip, ctx.now)
    return { status: 200, body: { email: user.email } }
  },
}
