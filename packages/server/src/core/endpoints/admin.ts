import { publicUser } from '../credentials.ts'
import { ProblemError } from '../errors.ts'
import { CRITICAL_RECENT_AUTH_SECONDS } from '../step-up.ts'
import { AUDIT_EVENTS, type UserRecord } from '../stores.ts'
import type { UserUpdate } from '../verbs/account-verbs.ts'
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
    const users = await tessera.listUsers({
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
  async handle({ tessera, principal, params, body, request }) {
    const id = Number(params.id)
    const changes = body as UserUpdate
    if (id === principal.user.id && (changes.disabled === true || changes.role === 'user')) {
      const message = 'you cannot disable yourself or remove your own admin role'
      throw new ProblemError('validation_failed', { errors: [{ path: '/body', message }] })
    }
    const updated = await tessera.updateUser(id, changes, { by: principal.user.id, ip: request.ip })
    if (updated === undefined) throw new ProblemError('not_found')
    return { status: 200, body: { user: adminUser(updated.user) } }
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
    const events = await tessera.auditTrail({
      limit: limitOf(query.limit),
      ...(query.beforeId ? { beforeId: Number(query.beforeId) } : {}),
      ...(query.userId ? { userId: Number(query.userId) } : {}),
      ...(query.event ? { event: query.event as (typeof AUDIT_EVENTS)[number] } : {}),
    })
    return { status: 200, body: { events: events.map((e) => ({ ...e, at: iso(e.at) })) } }
  },
}
