/** Pings not yet back beyond this many are forgotten (their connection is gone anyway). */
const MAX_OUTSTANDING = 64

/**
 * Whether this instance may trust what it remembers: it pings itself through Redis on its own
 * acknowledgement channel, and a ping that comes back proves that every revocation Redis had
 * before it has been delivered to, and applied by, this instance (Redis delivers a subscriber's
 * messages in order). Memory is trusted for `leaseMs` after the *sending* of the newest ping
 * that came back. With `leaseMs` no longer than the publishers' acknowledgement bound, an
 * instance that missed an acknowledgement deadline has stopped trusting its cache by the time
 * the publisher reports the revocation done.
 */
export class RevocationLease {
  readonly #leaseMs: number
  readonly #now: () => number
  readonly #sentAt = new Map<number, number>()
  readonly #onBack = new Set<() => void>()
  #sequence = 0
  #confirmedSentAt = Number.NEGATIVE_INFINITY

  constructor(leaseMs: number, now: () => number = () => performance.now()) {
    this.#leaseMs = leaseMs
    this.#now = now
  }

  /** A new ping's number, its sending time recorded now (before it is sent: the lease only shrinks). */
  next(): number {
    const ping = ++this.#sequence
    this.#sentAt.set(ping, this.#now())
    if (this.#sentAt.size > MAX_OUTSTANDING) this.#sentAt.delete(ping - MAX_OUTSTANDING)
    return ping
  }

  /** Resolves true once the lease is held, or false after `timeoutMs`. */
  async whenHeld(timeoutMs: number): Promise<boolean> {
    if (this.held()) return true
    let onBack = () => {}
    const timer = new Promise<void>((resolve) => {
      const timeout = setTimeout(resolve, timeoutMs)
      onBack = () => {
        clearTimeout(timeout)
        resolve()
      }
      this.#onBack.add(onBack)
    })
    await timer
    this.#onBack.delete(onBack)
    return this.held()
  }

  back(ping: number): void {
    const sentAt = this.#sentAt.get(ping)
    if (sentAt === undefined) return
    for (const earlier of this.#sentAt.keys()) if (earlier <= ping) this.#sentAt.delete(earlier)
    this.#confirmedSentAt = Math.max(this.#confirmedSentAt, sentAt)
    for (const resolve of this.#onBack) resolve()
  }

  held(): boolean {
    return this.#now() - this.#confirmedSentAt < this.#leaseMs
  }

  /** The subscription dropped: nothing sent before now proves anything any more. */
  lose(): void {
    this.#confirmedSentAt = Number.NEGATIVE_INFINITY
    this.#sentAt.clear()
  }
}
