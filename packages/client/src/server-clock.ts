/** Date headers have one-second resolution: smaller differences are noise, not skew. */
const DATE_TOLERANCE_MS = 2000

/**
 * The server's clock as the client estimates it: local time plus an offset learnt from
 * `Date` headers and from `stale_signature` answers (`serverTime`). The system clock is
 * never touched. Once the verifier itself has said what time it is, its word wins over
 * `Date`, which a proxy or CDN may have written.
 */
export class ServerClock {
  #offsetMs: number
  #fromVerifier = false

  constructor(offsetMs = 0) {
    this.#offsetMs = offsetMs
  }

  get offsetMs(): number {
    return this.#offsetMs
  }

  /** The server's time now, Unix seconds. */
  nowSeconds(): number {
    return Math.floor((Date.now() + this.#offsetMs) / 1000)
  }

  learnFromDate(header: string | null): void {
    if (this.#fromVerifier || header === null) return
    const server = Date.parse(header)
    if (Number.isNaN(server)) return
    // The header is truncated to the second: its middle is half a second later.
    const estimate = server + 500 - Date.now()
    if (Math.abs(estimate - this.#offsetMs) > DATE_TOLERANCE_MS) this.#offsetMs = estimate
  }

  /** Answers whether `serverTime` was usable (a retry makes sense). */
  learnFromServerTime(serverTime: unknown): boolean {
    if (typeof serverTime !== 'number' || !Number.isFinite(serverTime)) return false
    this.#offsetMs = serverTime * 1000 + 500 - Date.now()
    this.#fromVerifier = true
    return true
  }
}
