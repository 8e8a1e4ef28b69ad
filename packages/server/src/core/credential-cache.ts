import type {
  CredentialRecord,
  CredentialStore,
  CredentialWithUser,
  RevocationBus,
  RevocationEvent,
  RevocationReceipt,
  UserChanges,
  UserRecord,
  UserStore,
} from './stores.ts'

export interface CredentialCacheOptions {
  /**
   * How long a lookup may be served from memory at most (default 5 s): a safety net, since
   * changes invalidate at once — it bounds what a writer that could not publish leaves behind.
   */
  ttlMs?: number
  maxEntries?: number
  /** Tells other instances (and hears from them) what changed. */
  bus?: RevocationBus
  /** A counter that moves when another process wrote the database (SQLite's `PRAGMA data_version`). */
  changeCounter?: () => number
  now?: () => number
  /** Hears each revocation that not every instance confirmed in time (for the audit trail). */
  onUnconfirmed?: (event: RevocationEvent, receipt: RevocationReceipt) => Promise<void>
}

interface Entry {
  value: CredentialWithUser
  fetchedAt: number
}

/**
 * Serves the per-request credential lookups from memory, so an authenticated request
 * costs no database round trip — without ever serving a revoked credential: every
 * revocation, retirement and user change made through it drops the affected entries at
 * once and is published on the bus, whose events from other instances drop them there;
 * a change counter catches writes by other processes (the CLI on the same SQLite file).
 */
export class CachingCredentialStore implements CredentialStore {
  readonly #inner: CredentialStore
  readonly #byHash = new Map<string, Entry>()
  readonly #byId = new Map<string, Entry>()
  readonly #ttlMs: number
  readonly #maxEntries: number
  readonly #bus: RevocationBus | undefined
  readonly #changeCounter: (() => number) | undefined
  readonly #now: () => number
  readonly #onUnconfirmed: CredentialCacheOptions['onUnconfirmed']
  #seenVersion: number | undefined
  #unsubscribe: (() => Promise<void>) | undefined
  /** Moves at every invalidation: a lookup that raced one is not remembered. */
  #generation = 0
  // Made once, not per lookup: this is the path of every authenticated request.
  readonly #loadByHash = (hash: string) => this.#inner.findByTokenHash(hash)
  readonly #loadById = (id: string) => this.#inner.findById(id)
  #busWasLive = false
  #busGeneration = 0
  #checkedAt = Number.NEGATIVE_INFINITY

  constructor(inner: CredentialStore, options: CredentialCacheOptions = {}) {
    this.#inner = inner
    this.#ttlMs = options.ttlMs ?? 5_000
    this.#maxEntries = options.maxEntries ?? 50_000
    this.#bus = options.bus
    this.#changeCounter = options.changeCounter
    this.#now = options.now ?? Date.now
    this.#onUnconfirmed = options.onUnconfirmed
  }

  /** Starts hearing other instances' changes; call before serving requests. */
  async start(): Promise<void> {
    if (this.#bus !== undefined && this.#unsubscribe === undefined) {
      this.#unsubscribe = await this.#bus.subscribe((event) => this.#forget(event))
    }
  }

  async stop(): Promise<void> {
    await this.#unsubscribe?.()
    this.#unsubscribe = undefined
  }

  /**
   * The remembered answer for a session token, without a promise, when memory is trusted and
   * fresh; undefined means "not known here": ask `findByTokenHash`. The route guard's fast path.
   */
  cachedByTokenHash(tokenHash: string): CredentialWithUser | undefined {
    return this.#trusted() ? this.#fresh(this.#byHash.get(tokenHash)) : undefined
  }

  findByTokenHash(tokenHash: string): Promise<CredentialWithUser | undefined> {
    return this.#lookup(this.#byHash, tokenHash, this.#loadByHash)
  }

  findById(id: string): Promise<CredentialWithUser | undefined> {
    return this.#lookup(this.#byId, id, this.#loadById)
  }

  /** From memory when trusted and fresh; otherwise from the store, remembered unless an invalidation raced it. */
  async #lookup(
    entries: Map<string, Entry>,
    key: string,
    load: (key: string) => Promise<CredentialWithUser | undefined>,
  ): Promise<CredentialWithUser | undefined> {
    if (!this.#trusted()) return load(key)
    const hit = this.#fresh(entries.get(key))
    if (hit !== undefined) return hit
    const generation = this.#generation
    const value = await load(key)
    if (value !== undefined && generation === this.#generation) this.#remember(value)
    return value
  }

  async touch(id: string, now: number): Promise<void> {
    const entry = this.#byId.get(id)
    if (entry !== undefined)
      entry.value = { ...entry.value, credential: { ...entry.value.credential, lastUsedAt: now } }
    await this.#inner.touch(id, now)
  }

  async revoke(id: string, now: number): Promise<boolean> {
    const done = await this.#inner.revoke(id, now)
    await this.#announce({ credentialId: id })
    return done
  }

  async revokeAllForUser(userId: number, now: number, exceptId?: string): Promise<number> {
    const count = await this.#inner.revokeAllForUser(userId, now, exceptId)
    await this.#announce({ userId })
    return count
  }

  async retire(id: string, retiresAt: number): Promise<boolean> {
    const done = await this.#inner.retire(id, retiresAt)
    await this.#announce({ credentialId: id })
    return done
  }

  /** A re-authentication changes what cached lookups say (`authenticatedAt`): drop it everywhere. */
  async markAuthenticated(id: string, at: number): Promise<boolean> {
    const done = await this.#inner.markAuthenticated(id, at)
    await this.#announce({ credentialId: id })
    return done
  }

  create(credential: CredentialRecord): Promise<void> {
    return this.#inner.create(credential)
  }

  listForUser(userId: number, now: number): Promise<CredentialRecord[]> {
    return this.#inner.listForUser(userId, now)
  }

  deleteExpired(now: number): Promise<number> {
    return this.#inner.deleteExpired(now)
  }

  /** A user store whose updates (role, disabled, password) drop that user's cached credentials everywhere. */
  watchUsers(users: UserStore): UserStore {
    const update = async (id: number, changes: UserChanges, now: number): Promise<UserRecord | undefined> => {
      const result = await users.update(id, changes, now)
      await this.#announce({ userId: id })
      return result
    }
    return Object.freeze({
      create: users.create.bind(users),
      findByEmailKey: users.findByEmailKey.bind(users),
      findById: users.findById.bind(users),
      list: users.list.bind(users),
      update,
      changeEmail: async (id: number, email: string, key: string, now: number) => {
        const result = await users.changeEmail(id, email, key, now)
        await this.#announce({ userId: id })
        return result
      },
      markEmailVerified: users.markEmailVerified.bind(users),
    })
  }

  /**
   * Forget locally first (this instance's next request must see it), then tell the others and
   * wait until each has dropped it or stopped trusting its memory (the bus bounds the wait).
   */
  async #announce(event: RevocationEvent): Promise<void> {
    this.#forget(event)
    if (this.#bus === undefined) return
    const receipt = await this.#bus.publish(event)
    if (!receipt.published || receipt.confirmed < receipt.expected)
      await this.#onUnconfirmed?.(event, receipt)
  }

  #forget(event: RevocationEvent): void {
    this.#generation++
    for (const [hash, entry] of this.#byHash) if (matches(entry, event)) this.#byHash.delete(hash)
    for (const [id, entry] of this.#byId) if (matches(entry, event)) this.#byId.delete(id)
  }

  /**
   * Whether memory may answer at all: with a bus, only while subscribed and connected (a
   * reconnection may have missed events, so everything is dropped); and never after another
   * process wrote the database.
   */
  #trusted(): boolean {
    if (this.#bus !== undefined) {
      const live = this.#unsubscribe !== undefined && (this.#bus.isLive?.() ?? true)
      const generation = this.#bus.generation?.() ?? 0
      if (!live || !this.#busWasLive || generation !== this.#busGeneration) this.#clear()
      this.#busWasLive = live
      this.#busGeneration = generation
      if (!live) return false
    }
    if (this.#changeCounter !== undefined) {
      // Reading the counter costs about as much as the rest of a cached lookup, so it is read
      // at most once a millisecond: another process's write is seen within 1 ms.
      const now = performance.now()
      if (now - this.#checkedAt < 1) return true
      this.#checkedAt = now
      const version = this.#changeCounter()
      if (version !== this.#seenVersion) {
        this.#seenVersion = version
        this.#clear()
      }
    }
    return true
  }

  #fresh(entry: Entry | undefined): CredentialWithUser | undefined {
    if (entry === undefined || this.#now() - entry.fetchedAt >= this.#ttlMs) return undefined
    return entry.value
  }

  #clear(): void {
    this.#generation++
    this.#byHash.clear()
    this.#byId.clear()
  }

  #remember(value: CredentialWithUser): void {
    if (this.#byId.size >= this.#maxEntries) this.#clear()
    const entry = { value, fetchedAt: this.#now() }
    this.#byId.set(value.credential.id, entry)
    if (value.credential.tokenHash !== null) this.#byHash.set(value.credential.tokenHash, entry)
  }
}

function matches(entry: Entry, event: RevocationEvent): boolean {
  return 'credentialId' in event
    ? entry.value.credential.id === event.credentialId
    : entry.value.user.id === event.userId
}
