import {
  acceptInvitationWithPasskey,
  invitationPasskeyOptions,
  type PasskeyAcceptance,
} from '../accounts/passkey-invitation.ts'
import { publicUser } from '../credentials.ts'
import { ProblemError } from '../errors.ts'
import { singleHeader } from '../request-headers.ts'
import { parsePublicJwk } from '../signatures/keys.ts'
import { TOKEN, TOKEN_BODY, TOKEN_ERRORS } from './account-token-schema.ts'
import { type Endpoint, objectSchema, STRING } from './endpoint.ts'
import { requireIpBudget, requireOrigin } from './guards.ts'
import { issueKey, issueSession } from './issue-credential.ts'
import { revokePresentedSession } from './login.ts'
import { PASSKEY_RESPONSE } from './passkey-registration.ts'

/** Accepting an invitation by creating a passkey instead of choosing a password (issue 14). */

export const invitationPasskeyOptionsEndpoint: Endpoint = {
  method: 'POST',
  path: '/auth/invitations/passkey/options',
  access: 'public',
  summary:
    'Accept an invitation with a passkey, step 1: WebAuthn creation options and a ceremony bound to the invitation (the token is not spent yet)',
  body: TOKEN_BODY,
  errors: [...TOKEN_ERRORS],
  async handle(ctx) {
    await requireOrigin(ctx, true)
    await requireIpBudget(ctx, 'token')
    const { token } = ctx.body as { token: string }
    return { status: 200, body: await invitationPasskeyOptions(ctx.tessera, token, ctx.request.ip, ctx.now) }
  },
}

export const acceptInvitationWithPasskeyEndpoint: Endpoint = {
  method: 'POST',
  path: '/auth/invitations/passkey',
  access: 'public',
  summary:
    'Accept an invitation with a passkey, step 2: the registration response; creates the account with that passkey and no password, and logs in (a session, or with credential "key" a device key)',
  body: objectSchema(
    {
      token: TOKEN,
      ceremony: STRING(43, 43),
      response: PASSKEY_RESPONSE,
      name: STRING(1, 100),
      credential: { type: 'string', enum: ['session', 'key'] },
      publicKey: { type: 'object', maxProperties: 16 },
      label: STRING(1, 100),
    },
    ['token', 'ceremony', 'response'],
  ),
  errors: [...TOKEN_ERRORS, 'invalid_challenge', 'invalid_passkey', 'passkey_taken', 'email_taken'],
  async handle(ctx) {
    const body = ctx.body as PasskeyAcceptance & {
      credential?: 'session' | 'key'
      publicKey?: Record<string, unknown>
      label?: string
    }
    const wantsKey = body.credential === 'key'
    // A device key only: the mobile client's signed mode starts with no bearer secret ever.
    if (wantsKey !== (body.publicKey !== undefined))
      throw new ProblemError('validation_failed', {
        errors: [{ path: '/body/publicKey', message: 'goes with credential "key", and only with it' }],
      })
    // A session cookie is set for the app's own origins only (login CSRF); a key may come from the mobile origin.
    await requireOrigin(ctx, wantsKey)
    await requireIpBudget(ctx, 'token')
    if (wantsKey && !parsePublicJwk(body.publicKey).ok)
      throw new ProblemError('validation_failed', {
        errors: [{ path: '/body/publicKey', message: 'is invalid' }],
      })
    const user = await acceptInvitationWithPasskey(ctx.tessera, body, ctx.request.ip, ctx.now)
    const label = body.label ?? singleHeader(ctx.request.headers, 'user-agent')?.slice(0, 100) ?? 'passkey'
    if (wantsKey) {
      const key = await issueKey(ctx.tessera, user, label, body.publicKey, ctx.now)
      return { status: 201, body: { user: publicUser(user), key } }
    }
    await revokePresentedSession(ctx)
    const issued = await issueSession(ctx.tessera, user, label, ctx.now)
    return {
      status: 201,
      body: { user: publicUser(user), csrfToken: issued.csrfToken, expiresAt: issued.expiresAt },
      cookies: [issued.cookie],
    }
  },
}
