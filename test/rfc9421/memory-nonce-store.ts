import type { NonceStore } from '@tessera/server'

/**
 * A test double of the NonceStore dependency (not of the verifier under test): nonces per
 * key in a Map, with the interface's expiry semantics. `consumeCalls` counts every call,
 * so a test can assert that nothing was recorded when a signature is refused.
 */
export class MemoryNonceStore implements NonceStore {
  consumeCalls = 0
  readonly #records = new Map<string, number>()

  async consume(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    this.consumeCalls++
    const id = `${keyId}\u0000${nonce}`
    const until = this.#records.get(id)
    if (until !== undefined && until > now) return false
    this.#records.set(id, expiresAt)
    return true
  }

  async deleteExpired(now: number): Promise<number> {
    let deleted = 0
    for (const [id, until] of this.#records) {
      if (until <= now && this.#records.delete(id)) deleted++
    }
    return deleted
  }

  get size(): number {
    return this.#records.size
  }
}
