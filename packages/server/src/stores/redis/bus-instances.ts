import { createHash, randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { Redis } from 'ioredis'

/**
 * How instances on one revocation channel are named in Redis: each bus's subscriber connection
 * carries `tessera-bus-<hash of the channel>-<instance id>` (CLIENT SETNAME), so the instances
 * that did not acknowledge a revocation can be named in the audit trail.
 */
export function connectionNamePrefix(channel: string): string {
  return `tessera-bus-${createHash('sha256').update(channel).digest('hex').slice(0, 8)}-`
}

/** Host, process and a random part: unique per bus, readable in the audit trail. */
export function defaultInstanceId(): string {
  const host = hostname()
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .slice(0, 40)
  return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`
}

/**
 * The instances subscribed under `namePrefix` now, other than those in `confirmed`, sorted.
 * Empty when CLIENT LIST is refused (ACLs): the receipt's counts still tell.
 */
export async function instancesOtherThan(
  client: Redis,
  namePrefix: string,
  confirmed: Set<string>,
): Promise<string[]> {
  try {
    const list = String(await client.call('CLIENT', 'LIST', 'TYPE', 'pubsub'))
    return [...list.matchAll(/ name=(\S+)/g)]
      .map(([, name]) => name as string)
      .filter((name) => name.startsWith(namePrefix))
      .map((name) => name.slice(namePrefix.length))
      .filter((instance) => !confirmed.has(instance))
      .sort()
  } catch {
    return []
  }
}
