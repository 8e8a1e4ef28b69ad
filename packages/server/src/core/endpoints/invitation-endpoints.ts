import {
  acceptInvitation,
  inviteUser,
  listInvitations,
  peekInvitation,
  revokeInvitation,
} from '../accounts/invitations.ts'
import { publicUser } from '../credentials.ts'
import type { Role } from '../types.ts'
import { TOKEN, TOKEN_BODY, TOKEN_ERRORS } from './account-token-schema.ts'
import { type Endpoint, objectSchema, STRING } from './endpoint.ts'
import { iso, requireIpBudget, requireOrigin } from './guards.ts'

const TOKEN_ID = { type: 'string', pattern: '^tok_[A-Za-z0-9_-]{22}$' }

export const createInvitation: Endpoint = {
  method: 'POST',
  path: '/auth/admin/invitations',
  access: 'admin',
  summary: 'Invite an email address; the invitee gets a 7-day link to set a password or create a passkey',
  body: objectSchema(
    { email: STRING(3, 320), name: STRING(1, 200), role: { type: 'string', enum: ['user', 'admin'] } },
    ['email', 'name'],
  ),
  errors: ['unauthenticated', 'forbidden', 'validation_failed', 'email_taken', 'csrf_failed'],
  async handle({ tessera, principal, body, request, now }) {
    const { email, name, role = 'user' } = body as { email: string; name: string; role?: Role }
    const invitation = await inviteUser(
      tessera,
      { email, name, role, by: principal.user.id },
      request.ip,
      now,
    )
    return { status: 201, body: { invitation } }
  },
}

export const listInvitationsEndpoint: Endpoint = {
  method: 'GET',
  path: '/auth/admin/invitations',
  access: 'admin',
  summary: 'Invitations, newest first, with their status (pending, accepted, revoked, expired)',
  errors: ['unauthenticated', 'forbidden'],
  async handle({ tessera, now }) {
    return { status: 200, body: { invitations: await listInvitations(tessera, now) } }
  },
}

export const revokeInvitationEndpoint: Endpoint = {
  method: 'DELETE',
  path: '/auth/admin/invitations/:id',
  access: 'admin',
  summary: 'Revoke a pending invitation: its link stops working',
  params: objectSchema({ id: TOKEN_ID }, ['id']),
  errors: ['unauthenticated', 'forbidden', 'not_found', 'csrf_failed'],
  async handle({ tessera, principal, params, now }) {
    await revokeInvitation(tessera, params.id as string, principal.user.id, now)
    return { status: 204 }
  },
}

export const inspectInvitation: Endpoint = {
  method: 'POST',
  path: '/auth/invitations/inspect',
  access: 'public',
  summary: 'The address and name of a live invitation (for the accept page)',
  body: TOKEN_BODY,
  errors: [...TOKEN_ERRORS],
  async handle(ctx) {
    await requireOrigin(ctx, true)
    await requireIpBudget(ctx, 'token')
    const found = await peekInvitation(
      ctx.tessera,
      (ctx.body as { token: string }).token,
      ctx.now,
      ctx.request.ip,
    )
    return { status: 200, body: { invitation: { ...found, expiresAt: iso(found.expiresAt) } } }
  },
}

export const acceptInvitationEndpoint: Endpoint = {
  method: 'POST',
  path: '/auth/invitations/accept',
  access: 'public',
  summary: 'Accept an invitation with a password: creates the account (then log in)',
  body: objectSchema({ token: TOKEN, password: STRING(1, 1024) }, ['token', 'password']),
  errors: [...TOKEN_ERRORS, 'email_taken'],
  async handle(ctx) {
    await requireOrigin(ctx, true)
    await requireIpBudget(ctx, 'token')
    const { token, password } = ctx.body as { token: string; password: string }
    const user = await acceptInvitation(ctx.tessera, token, password, ctx.request.ip, ctx.now)
    return { status: 201, body: { user: publicUser(user) } }
  },
}
