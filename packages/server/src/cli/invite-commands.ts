import { inviteUser, listInvitations, revokeInvitation } from '../core/accounts/invitations.ts'
import { ProblemError } from '../core/errors.ts'
import { internals } from '../core/internals.ts'
import type { Role } from '../core/types.ts'
import type { CliContext } from './cli-context.ts'
import { CliError } from './cli-error.ts'

/** The API's refusal in words for the terminal. */
async function orCliError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error
    const fields = (error.extras.errors ?? []).map((e) => `${e.path.replace('/body/', '')} ${e.message}`)
    throw new CliError([error.message, ...fields].join(': '))
  }
}

export async function invite(ctx: CliContext, email: string, name: string, role: Role): Promise<void> {
  const { tessera } = ctx
  const invitation = await orCliError(() =>
    inviteUser(tessera, { email, name, role, by: null }, null, internals(tessera).now()),
  )
  // The mail leaves in the background: wait for it before the process ends.
  await internals(tessera).mail.drain()
  ctx.out(
    `invited ${invitation.email} as ${invitation.role} (${invitation.id}); the link works until ${invitation.expiresAt}`,
  )
}

export async function listInvites(ctx: CliContext): Promise<void> {
  for (const i of await listInvitations(ctx.tessera, internals(ctx.tessera).now()))
    ctx.out(
      `${i.id}  ${i.status.padEnd(8)}  ${i.role.padEnd(5)}  ${i.email}  (${i.name}) until ${i.expiresAt}`,
    )
}

export async function uninvite(ctx: CliContext, id: string): Promise<void> {
  await orCliError(() => revokeInvitation(ctx.tessera, id, 0, internals(ctx.tessera).now()))
  ctx.out(`revoked invitation ${id}`)
}
