/**
 * The live `(key, nonce)` pairs of the replay window, in memory: one Map from pair to expiry
 * (epoch ms) for the lookup, and the pairs grouped by the second they expire by, so expiry
 * drops whole groups instead of scanning. Every time is the caller's clock, as in NonceStore.
 */
export class RememberedNonces {
  readonly #expiry = new Map<string, number>()
  readonly #bySecond = new Map<number, string[]>()
  /** The seconds of #bySecond, ascending (nearly always appended at the end). */
  readonly #seconds: number[] = []

  get size(): number {
    return this.#expiry.size
  }

  /** True when `id` is remembered and unexpired at `now`. */
  has(id: string, now: number): boolean {
    const until = this.#expiry.get(id)
    return until !== undefined && until > now
  }

  /** Remembers `id` until `expiresAt`, replacing an expired record of it. */
  add(id: string, expiresAt: number): void {
    this.#expiry.set(id, expiresAt)
    const second = Math.ceil(expiresAt / 1000)
    const group = this.#bySecond.get(second)
    if (group !== undefined) {
      group.push(id)
      return
    }
    this.#bySecond.set(second, [id])
    this.#insertSecond(second)
  }

  /** Forgets every pair whose expiry has come by `now`; answers how many. */
  dropExpired(now: number): number {
    let dropped = 0
    let first = 0
    // Group s holds expiries in ((s − 1)·1000, s·1000]: all expired once now ≥ s·1000.
    while (first < this.#seconds.length && this.#seconds[first]! * 1000 <= now) {
      const second = this.#seconds[first]!
      for (const id of this.#bySecond.get(second)!) {
        const until = this.#expiry.get(id)
        // A pair renewed later belongs to a later group.
        if (until !== undefined && Math.ceil(until / 1000) === second) {
          this.#expiry.delete(id)
          dropped++
        }
      }
      this.#bySecond.delete(second)
      first++
    }
    if (first > 0) this.#seconds.splice(0, first)
    return dropped
  }

  /** Every live pair with its expiry, for rewriting the journal. */
  entries(): IterableIterator<[string, number]> {
    return this.#expiry.entries()
  }

  #insertSecond(second: number): void {
    const seconds = this.#seconds
    let at = seconds.length
    while (at > 0 && seconds[at - 1]! > second) at--
    seconds.splice(at, 0, second)
  }
}
