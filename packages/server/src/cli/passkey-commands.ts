import { internals } from '../core/internals.ts'
import type { CliContext } from './cli-context.ts'
import { CliError } from './cli-error.ts'
import { findUser } from './user-commands.ts'

function iso(ms: number | null): string {
  return ms === null ? 'never' : new Date(ms).toISOString()
}

/** One line per passkey: id, name, added, last used, synced or not. */
export async function listPasskeys(ctx: CliContext, email: string) {
  const user = await findUser(ctx, email)
  for (const p of await internals(ctx.tessera).stores.passkeys.listForUser(user.id)) {
    ctx.out(
      `${p.id}\t${p.name}\t${iso(p.createdAt)}\t${iso(p.lastUsedAt)}\t${p.backedUp ? 'synced' : 'device-bound'}`,
    )
  }
}

/** Removes one passkey of the user (a lost device), audited like a removal from the account page. */
export async function removePasskey(ctx: CliContext, email: string, id: string) {
  const user = await findUser(ctx, email)
  if (!(await internals(ctx.tessera).stores.passkeys.remove(user.id, id)))
    throw new CliError(`${email} has no passkey ${id}`)
  await internals(ctx.tessera).audit.record('mfa_disabled', {
    userId: user.id,
    detail: { factor: 'passkey', via: 'cli' },
  })
  ctx.out(`removed passkey ${id} of ${email}`)
}
