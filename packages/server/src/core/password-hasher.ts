import { availableParallelism } from 'node:os'
import { type Algorithm, hash, verify } from '@node-rs/argon2'
import { ProblemError } from './errors.ts'
import { randomToken } from './secrets.ts'
import { type Lane, Slots, SlotsFullError } from './slots.ts'

/**
 * Argon2id with OWASP's first recommended configuration (Password Storage Cheat Sheet,
 * ASVS 5.0 V11.4.2): m = 19 MiB, t = 2, p = 1, PHC string output with a per-hash salt.
 * @node-rs/argon2 runs on libuv's thread pool, so hashing never blocks the event loop.
 */
export const ARGON2_PARAMS = { memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const

export interface PasswordHasherOptions {
  memoryCost?: number
  timeCost?: number
  parallelism?: number
  /** Hashes that may wait for a core (default 64); past it `503 service_unavailable`. */
  queueLength?: number
  /** How long a hash may wait for a core (default 2,000 ms); past it `503 service_unavailable`. */
  queueWaitMs?: number
}

/**
 * 64 waiting hashes are about 0.3 s of work at the ~210 verifications/s two cores manage
 * (docs/benchmarks.md), so a hash that gets a place starts well within the 2 s wait limit;
 * a storm beyond that is answered at once instead of making every login slower.
 */
/**
 * The stored hash of an account with no password (created with a passkey from an invitation):
 * no PHC string, so no password can ever match it; `verify` spends a dummy hash's time on it,
 * so such an account answers a password login exactly like a wrong password.
 */
export const NO_PASSWORD_HASH = ''

/** True when the account has a password to check (false for a passkey-only account). */
export function hasPassword(user: { passwordHash: string }): boolean {
  return user.passwordHash !== NO_PASSWORD_HASH
}

export const HASH_QUEUE = { queueLength: 64, queueWaitMs: 2000 } as const

/** What a refused hash answers: retry in a second, when the queue has moved on. */
const BUSY_RETRY_AFTER_S = 1

export class PasswordHasher {
  readonly #options: { algorithm: Algorithm; memoryCost: number; timeCost: number; parallelism: number }
  readonly #prefix: string
  #dummy: Promise<string> | undefined
  /**
   * At most one hash per core at a time: more would only share the cores (each login slower)
   * and fill libuv's pool, which fs, dns and zlib also need; the rest wait their turn in order.
   */
  readonly #slots: Slots

  constructor(options: PasswordHasherOptions = {}) {
    const { queueLength, queueWaitMs, ...argon2 } = { ...HASH_QUEUE, ...options }
    this.#slots = new Slots(availableParallelism(), { maxWaiting: queueLength, maxWaitMs: queueWaitMs })
    const params = { ...ARGON2_PARAMS, ...argon2 }
    // Algorithm is an ambient const enum (not importable under verbatimModuleSyntax); 2 is Argon2id.
    this.#options = { algorithm: 2 as Algorithm, ...params }
    this.#prefix = `$argon2id$v=19$m=${params.memoryCost},t=${params.timeCost},p=${params.parallelism}$`
  }

  hash(password: string, lane: Lane = 'fresh'): Promise<string> {
    return this.#run(() => hash(password, this.#options), lane)
  }

  /**
   * Verifies a password; an unparsable stored hash counts as a mismatch, never an exception,
   * and `NO_PASSWORD_HASH` as a mismatch that took a real verification's time.
   * Throws `service_unavailable` (503, Retry-After 1 s) when the queue has no place for it.
   */
  async verify(phc: string, password: string, lane: Lane = 'fresh'): Promise<boolean> {
    if (phc === NO_PASSWORD_HASH) return this.verifyDummy(password, lane)
    return this.#run(async () => {
      try {
        return await verify(phc, password)
      } catch {
        return false
      }
    }, lane)
  }

  /** True when the stored hash was made with other parameters: rehash on the next good login. */
  needsRehash(phc: string): boolean {
    return !phc.startsWith(this.#prefix)
  }

  /**
   * Spends the same time as a real verification against a hash nobody's password
   * matches, so unknown emails and disabled accounts answer like wrong passwords
   * (OWASP Authentication Cheat Sheet: no user enumeration through timing).
   */
  async verifyDummy(password: string, lane: Lane = 'fresh'): Promise<false> {
    // A dummy refused by a full queue is made again next time, not remembered as a failure.
    this.#dummy ??= this.hash(randomToken()).catch((error: unknown) => {
      this.#dummy = undefined
      throw error
    })
    await this.verify(await this.#dummy, password, lane)
    return false
  }

  async #run<T>(task: () => Promise<T>, lane: Lane): Promise<T> {
    try {
      return await this.#slots.run(task, lane)
    } catch (error) {
      if (error instanceof SlotsFullError)
        throw new ProblemError('service_unavailable', { retryAfter: BUSY_RETRY_AFTER_S })
      throw error
    }
  }
}
