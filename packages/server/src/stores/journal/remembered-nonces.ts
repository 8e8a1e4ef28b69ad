const INITIAL_CAPACITY = 1 << 12
/** Rebuild once this share of slots is taken (live or expired): keeps probe chains short. */
const MAX_USED = 0.6

/**
 * The live `(key, nonce)` pairs of the replay window, in memory, at 16 bytes a slot: an
 * open-addressing table (linear probing) of 64-bit fingerprints with their expiry (epoch ms,
 * the caller's clock, as in NonceStore). No strings are kept, so a nonce costs 27–53 bytes
 * (slots at 30–60 % load) instead of the ~330 of a Map of strings.
 *
 * A fingerprint is two 32-bit hashes of the pair with seeds drawn at start. Two pairs sharing
 * one can only make the second look like a replay (refused, the safe side), never let a
 * replay through; with 64 bits that takes ~4 billion live nonces to be likely.
 *
 * An expired slot stays in its probe chain and is reused by the next insert that passes it;
 * a rebuild (when 60 % of the slots are taken) drops them all and halves or doubles the table.
 */
export class RememberedNonces {
  readonly #seeds: Uint32Array
  #high = new Uint32Array(INITIAL_CAPACITY)
  #low = new Uint32Array(INITIAL_CAPACITY)
  /** 0: never used. */
  #expiry = new Float64Array(INITIAL_CAPACITY)
  #used = 0
  #live = 0

  /** `seeds`: two random 32-bit words, kept with the journal so fingerprints stay comparable across restarts. */
  constructor(seeds: Uint32Array) {
    this.#seeds = seeds
  }

  /** Pairs added since the last rebuild, expired or not: what the memory bound counts. */
  get added(): number {
    return this.#live
  }

  /** Pairs unexpired at `now` (a scan of the table: for measurements and tests). */
  liveAt(now: number): number {
    let live = 0
    for (let i = 0; i < this.#expiry.length; i++) if (this.#expiry[i]! > now) live++
    return live
  }

  /** Bytes the table holds (slot arrays only). */
  get bytes(): number {
    return this.#expiry.length * 16
  }

  /**
   * Remembers the pair (by its `fingerprint`) until `expiresAt` unless it is remembered and unexpired at `now`;
   * answers whether it was added. `expiresAt` must be after `now`.
   */
  add(high: number, low: number, expiresAt: number, now: number): boolean {
    const mask = this.#expiry.length - 1
    let reusable = -1
    let i = low & mask
    for (let until = this.#expiry[i]!; until !== 0; until = this.#expiry[i]!) {
      if (this.#high[i] === high && this.#low[i] === low) {
        if (until > now) return false
        this.#expiry[i] = expiresAt
        return true
      }
      if (reusable === -1 && until <= now) reusable = i
      i = (i + 1) & mask
    }
    if (reusable !== -1) i = reusable
    else this.#used++
    this.#high[i] = high
    this.#low[i] = low
    this.#expiry[i] = expiresAt
    this.#live++
    if (this.#used > this.#expiry.length * MAX_USED) this.dropExpired(now)
    return true
  }

  /**
   * Rebuilds the table with only the pairs unexpired at `now`, sized for them at ≤ 30 % load
   * (so the next rebuild is far); answers how many were dropped.
   */
  dropExpired(now: number): number {
    const [high, low, expiry] = [this.#high, this.#low, this.#expiry]
    let live = 0
    for (let i = 0; i < expiry.length; i++) if (expiry[i]! > now) live++
    let capacity = INITIAL_CAPACITY
    while (capacity * 0.3 < live) capacity *= 2
    this.#high = new Uint32Array(capacity)
    this.#low = new Uint32Array(capacity)
    this.#expiry = new Float64Array(capacity)
    const mask = capacity - 1
    for (let j = 0; j < expiry.length; j++) {
      if (!(expiry[j]! > now)) continue
      let i = low[j]! & mask
      while (this.#expiry[i] !== 0) i = (i + 1) & mask
      this.#high[i] = high[j]!
      this.#low[i] = low[j]!
      this.#expiry[i] = expiry[j]!
    }
    const dropped = this.#live - live
    this.#used = live
    this.#live = live
    return Math.max(0, dropped)
  }

  /** Two seeded 32-bit hashes (FNV-1a and a multiply-rotate variant, each with a final mix). */
  fingerprint(keyId: string, nonce: string): [number, number] {
    let a = this.#seeds[0]! ^ 0x811c9dc5
    let b = this.#seeds[1]! ^ 0x9747b28c
    for (let i = 0; i < keyId.length; i++) {
      const c = keyId.charCodeAt(i)
      a = Math.imul(a ^ c, 0x01000193)
      b = Math.imul(((b ^ c) << 13) | ((b ^ c) >>> 19), 0x5bd1e995)
    }
    a = Math.imul(a ^ 0xff, 0x01000193)
    b = Math.imul(b ^ 0xff, 0x5bd1e995)
    for (let i = 0; i < nonce.length; i++) {
      const c = nonce.charCodeAt(i)
      a = Math.imul(a ^ c, 0x01000193)
      b = Math.imul(((b ^ c) << 13) | ((b ^ c) >>> 19), 0x5bd1e995)
    }
    return [mix(a), mix(b)]
  }
}

/** murmur3's fmix32: every input bit reaches every output bit. */
function mix(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}
