import type { RevocationBus, RevocationEvent, RevocationReceipt, Stores, UserChanges } from './stores.ts'

/**
 * Stores whose revocations, retirements and user changes are published on the bus, for an
 * instance that caches nothing itself (`credentialCache: false`): the other instances may
 * cache, and they must hear it just the same. Like the cache, each call answers only once the
 * bus confirmed (or bounded its wait); an unconfirmed one goes to `onUnconfirmed` for the audit.
 */
export function publishingStores(
  stores: Stores,
  bus: RevocationBus,
  onUnconfirmed: (event: RevocationEvent, receipt: RevocationReceipt) => Promise<void>,
): Stores {
  const announce = async (event: RevocationEvent): Promise<void> => {
    const receipt = await bus.publish(event)
    if (!receipt.published || receipt.confirmed < receipt.expected) await onUnconfirmed(event, receipt)
  }
  const { credentials, users } = stores
  return {
    ...stores,
    credentials: Object.freeze({
      ...bindAll(credentials),
      async revoke(id: string, now: number) {
        const done = await credentials.revoke(id, now)
        await announce({ credentialId: id })
        return done
      },
      async revokeAllForUser(userId: number, now: number, exceptId?: string) {
        const count = await credentials.revokeAllForUser(userId, now, exceptId)
        await announce({ userId })
        return count
      },
      async retire(id: string, retiresAt: number) {
        const done = await credentials.retire(id, retiresAt)
        await announce({ credentialId: id })
        return done
      },
      // A fresh proof of the user (step-up): caches elsewhere must not keep the old time.
      async markAuthenticated(id: string, at: number) {
        const done = await credentials.markAuthenticated(id, at)
        await announce({ credentialId: id })
        return done
      },
    }),
    users: Object.freeze({
      ...bindAll(users),
      async update(id: number, changes: UserChanges, now: number) {
        const result = await users.update(id, changes, now)
        await announce({ userId: id })
        return result
      },
      async changeEmail(id: number, email: string, key: string, now: number) {
        const result = await users.changeEmail(id, email, key, now)
        await announce({ userId: id })
        return result
      },
    }),
    close: () => stores.close(),
  }
}

/** The store's methods bound to it (stores may be class instances, whose methods spread loses). */
function bindAll<T extends object>(store: T): T {
  const bound: Record<string, unknown> = {}
  let proto: object | null = store
  while (proto !== null && proto !== Object.prototype) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const value = (store as Record<string, unknown>)[name]
      if (name !== 'constructor' && typeof value === 'function' && !(name in bound))
        bound[name] = value.bind(store)
    }
    proto = Object.getPrototypeOf(proto)
  }
  return bound as T
}
