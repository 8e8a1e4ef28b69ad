import { setTimeout as sleep } from 'node:timers/promises'
import type { AuditRecord } from '../core/stores.ts'
import type { CliContext } from './cli-context.ts'
import { CliError } from './cli-error.ts'
import { findUser } from './user-commands.ts'

/** Issues an HMAC key to an existing account (accounts made before keys existed need no new login). */
export async function issueKeyFor(ctx: CliContext, email: string, label: string) {
  const user = await findUser(ctx, email)
  if (user.disabled) throw new CliError(`${email} is disabled`)
  const key = await ctx.tessera.issueKey(user, { label })
  ctx.out(`key id:     ${key.id}`)
  ctx.out(`algorithm:  ${key.algorithm}`)
  ctx.out(`expires at: ${key.expiresAt}`)
  ctx.out(`secret (shown once, base64url): ${key.secret}`)
}

export async function revokeKey(ctx: CliContext, id: string) {
  const found = await ctx.tessera.revoke(id, { via: 'cli' })
  if (found === undefined) throw new CliError(`no live credential ${id}`)
  ctx.out(`revoked ${id} (${found.credential.type} of ${found.user.email})`)
}

export async function listKeys(ctx: CliContext, email: string) {
  const user = await findUser(ctx, email)
  for (const c of await ctx.tessera.listCredentials(user.id)) {
    ctx.out(`${c.id}\t${c.type}\t${c.algorithm ?? '-'}\t${new Date(c.lastUsedAt).toISOString()}\t${c.label}`)
  }
}

function formatEvent(e: AuditRecord): string {
  const who = [
    e.userId !== null ? `user=${e.userId}` : '',
    e.credentialId ? `cred=${e.credentialId}` : '',
    e.ip ? `ip=${e.ip}` : '',
  ]
  return `${new Date(e.at).toISOString()}  #${e.id}  ${e.event}  ${who.filter(Boolean).join(' ')}  ${JSON.stringify(e.detail)}`
}

/** Prints the newest events oldest first; with `follow`, keeps polling for new ones until `signal` aborts. */
export async function tailAudit(ctx: CliContext, limit: number, follow: boolean, signal?: AbortSignal) {
  const events = await ctx.tessera.auditTrail({ limit })
  for (const e of events.toReversed()) ctx.out(formatEvent(e))
  let lastId = events[0]?.id ?? 0
  while (follow && !signal?.aborted) {
    await sleep(1000, undefined, { signal }).catch(() => {})
    const fresh = (await ctx.tessera.auditTrail({ limit: 200 })).filter((e) => e.id > lastId)
    for (const e of fresh.toReversed()) ctx.out(formatEvent(e))
    lastId = fresh[0]?.id ?? lastId
  }
}
