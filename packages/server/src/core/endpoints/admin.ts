import { notifyOwner } from '../accounts/notifications.ts'
import { publicUser } from '../credentials.ts'
import { displayNameProblem } from '../display-name.ts'
import { ProblemError } from '../errors.ts'
import { CRITICAL_RECENT_AUTH_SECONDS } from '../step-up.ts'
import { AUDIT_EVENTS, type UserChanges, type UserRecord } from '../stores.ts'
import { type Endpoint, objectSchema, STRING } from './endpoint.ts'
import { iso } from './guards.ts'

const ID = { type: 'string', pattern: '^[1-9][0-9]{0,9}$' }
const LIMIT = { type: 'string', pattern: '^[1-9][0-9]{0,2}$' }

function adminUser(user: UserRecord) {
  return {
    ...publicUser(user),
    disabled: user.disabled,
    createdAt: iso(user.createdAt),
    updatedAt: iso(user.updatedAt),
  }
}

function limitOf(value: string | undefined): number {
  return Math.min(Number(value ?? 50), 200)
}

export const listUsers: Endpoint = {
  method: 'GET',
  path: '/auth/admin/users',
  access: 'admin',
  summary: 'List users',
  query: objectSchema({ limit: LIMIT, offset: { type: 'string', pattern: '^[0-9]{1,9}$' } }, []),
  errors: ['unauthenticated', 'forbidden'],
  async handle({ tessera, query }) {
    const users = await tessera.stores.users.list({
      limit: limitOf(query.limit),
      offset: Number(query.offset ?? 0),
    })
    return { status: 200, body: { users: users.map(adminUser) } }
  },
}

export const updateUser: Endpoint = {
  method: 'PATCH',
  path: '/auth/admin/users/:id',
  access: 'admin',
  // Changing roles and disabling users are critical (issue 14): a recent proof of the admin.
  recentAuth: CRITICAL_RECENT_AUTH_SECONDS,
  summary:
    "Change a user's role, name or disabled flag (needs a recent re-authentication); role changes and disabling revoke their credentials",
  params: objectSchema({ id: ID }, ['id']),
  body: {
    ...objectSchema(
      {
        role: { type: 'string', enum: ['user', 'admin'] },
        disabled: { type: 'boolean' },
        name: STRING(1, 200),
      },
      [],
    ),
    minProperties: 1,
  },
  errors: [
    'unauthenticated',
    'forbidden',
    'reauth_required',
    'not_found',
    'validation_failed',
    'csrf_failed',
  ],
  async handle({ tessera, principal, params, body, request, now }) {
    const id = Number(params.id)
    const changes = body as UserChanges
    if (id === principal.user.id && (changes.disabled === true || changes.role === 'user')) {
      const message = 'you cannot disable yourself or remove your own admin role'
      throw new ProblemError('validation_failed', { errors: [{ path: '/body', message }] })
    }
    const nameRefusal = changes.name === undefined ? undefined : displayNameProblem(changes.name)
    if (nameRefusal !== undefined) {
      throw new ProblemError('validation_failed', { errors: [{ path: '/body/name', message: nameRefusal }] })
    }
    const before = await tessera.stores.users.findById(id)
    if (before === undefined) throw new ProblemError('not_found')
    const after = await tessera.stores.users.update(id, changes, now)
    if (after === undefined) throw new ProblemError('not_found')
    const privilegeChanged = after.role !== before.role || after.disabled !== before.disabled
    const revoked = privilegeChanged ? await tessera.stores.credentials.revokeAllForUser(id, now) : 0
    await tessera.audit.record(privilegeChanged ? 'privilege_permissions_changed' : 'user_updated', {
      userId: id,
      ip: request.ip,
      detail: { by: principal.user.id, role: after.role, disabled: after.disabled, revoked },
    })
    if (after.disabled && !before.disabled) notifyOwner(tessera, after, 'disabled')
    else if (after.role !== before.role) notifyOwner(tessera, after, 'role_changed', after.role)
    return { status: 200, body: { user: adminUser(after) } }
  },
}

export const listAudit: Endpoint = {
  method: 'GET',
  path: '/auth/admin/audit',
  access: 'admin',
  summary: 'The audit trail, newest first',
  query: objectSchema(
    { limit: LIMIT, beforeId: ID, userId: ID, event: { type: 'string', enum: [...AUDIT_EVENTS] } },
    [],
  ),
  errors: ['unauthenticated', 'forbidden'],
  async handle({ tessera, query }) {
    const events = await tessera.stores.audit.list({
      limit: limitOf(query.limit),
      ...(query.beforeId ? { beforeId: Number(query.beforeId) } : {}),
      ...(query.userId ? { userId: Number(query.userId) } : {}),
      ...(query.event ? { event: query.event as (typeof AUDIT_EVENTS)[number] } : {}),
    })
    return { status: 200, body: { events: events.map((e) => ({ ...e, at: iso(e.at) })) } }
  },
}
