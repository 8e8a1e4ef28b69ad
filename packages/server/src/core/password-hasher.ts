import { availableParallelism } from 'node:os'
import { type Algorithm, hash, verify } from '@node-rs/argon2'
import { randomToken } from './secrets.ts'
import { Slots } from './slots.ts'

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
}

export class PasswordHasher {
  readonly #options: { algorithm: Algorithm; memoryCost: number; timeCost: number; parallelism: number }
  readonly #prefix: string
  #dummy: Promise<string> | undefined
  /**
   * At most one hash per core at a time: more would only share the cores (each login slower)
   * and fill libuv's pool, which fs, dns and zlib also need; the rest wait their turn in order.
   */
  readonly #slots = new Slots(availableParallelism())

  constructor(options: PasswordHasherOptions = {}) {
    const params = { ...ARGON2_PARAMS, ...options }
    // Algorithm is an ambient const enum (not importable under verbatimModuleSyntax); 2 is Argon2id.
    this.#options = { algorithm: 2 as Algorithm, ...params }
    this.#prefix = `$argon2id$v=19$m=${params.memoryCost},t=${params.timeCost},p=${params.parallelism}$`
  }

  hash(password: string): Promise<string> {
    return this.#slots.run(() => hash(password, this.#options))
  }

  /** Verifies a password; an unparsable stored hash counts as a mismatch, never an exception. */
  async verify(phc: string, password: string): Promise<boolean> {
    try {
      return await this.#slots.run(() => verify(phc, password))
    } catch {
      return false
    }
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
  async verifyDummy(password: string): Promise<false> {
    this.#dummy ??= this.hash(randomToken())
    await this.verify(await this.#dummy, password)
    return false
  }
}
