import { type ResetProof, requestPasswordReset, resetPassword } from '../accounts/password-reset.ts'
import { ProblemError } from '../errors.ts'
import { TOKEN, TOKEN_ERRORS } from './account-token-schema.ts'
import { type Endpoint, objectSchema, STRING } from './endpoint.ts'
import { mailRequestEmail, requireIpBudget, requireOrigin } from './guards.ts'

/** The one answer to "forgot password", whoever asks. */
export const FORGOT_ANSWER = Object.freeze({
  status: 'accepted',
  message: 'If the address has an account, a mail is on its way.',
})

const CODE = { type: 'string', pattern: '^[0-9]{6}$' }

export const forgotPassword: Endpoint = {
  method: 'POST',
  path: '/auth/password/forgot',
  access: 'public',
  summary: 'Mail a reset link and code; the same 202 whether or not the address has an account',
  body: objectSchema({ email: STRING(1, 320) }, ['email']),
  errors: ['validation_failed', 'csrf_failed', 'rate_limited'],
  async handle(ctx) {
    const email = await mailRequestEmail(ctx)
    await requestPasswordReset(ctx.tessera, email, ctx.request.ip, ctx.now)
    return { status: 202, body: FORGOT_ANSWER }
  },
}

export const resetPasswordEndpoint: Endpoint = {
  method: 'POST',
  path: '/auth/password/reset',
  access: 'public',
  summary: 'Set a new password from a reset link (token) or code (with email); revokes every session and key',
  body: objectSchema({ token: TOKEN, code: CODE, email: STRING(1, 320), newPassword: STRING(1, 1024) }, [
    'newPassword',
  ]),
  errors: [...TOKEN_ERRORS],
  async handle(ctx) {
    await requireOrigin(ctx, true)
    await requireIpBudget(ctx, 'reset')
    const body = ctx.body as { token?: string; code?: string; email?: string; newPassword: string }
    const proof = resetProof(body)
    await resetPassword(ctx.tessera, proof, body.newPassword, ctx.request.ip, ctx.now)
    return { status: 204 }
  },
}

function resetProof(body: { token?: string; code?: string; email?: string }): ResetProof {
  if (body.token !== undefined && body.code === undefined && body.email === undefined)
    return { token: body.token }
  if (body.token === undefined && body.code !== undefined && body.email !== undefined)
    return { code: body.code, email: body.email }
  throw new ProblemError('validation_failed', {
    errors: [{ path: '/body', message: 'needs either token, or code and email' }],
  })
}
