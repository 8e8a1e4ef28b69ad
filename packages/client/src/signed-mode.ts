import type { AuthMode, LoginAnswer, LoginPlan } from './auth-mode.ts'
import { type DeviceAlgorithm, type DeviceKeyPair, generateDeviceKey } from './device-key.ts'
import type { KeyStore } from './key-store.ts'
import type { OutgoingRequest } from './outgoing-request.ts'
import type { ServerClock } from './server-clock.ts'
import { signRequest } from './sign-request.ts'
import { importHmacSecret, isSigningKey, type SignatureAlgorithm, type SigningKey } from './signing-key.ts'
import { TesseraError } from './tessera-error.ts'

/**
 * Signed mode (mobile apps, webviews, CLIs, cross-origin SPAs): every request carries an RFC
 * 9421 signature in the `tessera` profile and no ambient credential. The key is read from
 * its store once; an unreadable or corrupted store is cleared and reported as a logout.
 */
export class SignedMode implements AuthMode {
  readonly credentials = 'omit'
  readonly #store: KeyStore
  readonly #clock: ServerClock
  readonly #algorithm: SignatureAlgorithm
  #key: Promise<SigningKey | undefined> | undefined

  constructor(store: KeyStore, clock: ServerClock, algorithm: SignatureAlgorithm) {
    this.#store = store
    this.#clock = clock
    this.#algorithm = algorithm
  }

  /** The key in use, if any; read from the store on first use. */
  current(): Promise<SigningKey | undefined> {
    this.#key ??= this.#load()
    return this.#key
  }

  async authorize(request: OutgoingRequest): Promise<void> {
    const key = await this.current()
    // Without a key the request goes unsigned: public routes answer, others say 401.
    if (key === undefined) return
    const { method, url, body, headers } = request
    const contentType = headers.get('content-type')
    const added = await signRequest({
      method,
      url,
      body,
      contentType,
      key,
      created: this.#clock.nowSeconds(),
    })
    for (const [name, value] of Object.entries(added)) headers.set(name, value)
  }

  async recover(error: TesseraError): Promise<boolean> {
    return error.code === 'stale_signature' && this.#clock.learnFromServerTime(error.problem?.serverTime)
  }

  async planLogin(): Promise<LoginPlan> {
    const pair = await this.#newPair(this.#algorithm)
    const fields = { credential: 'key', ...(pair && { publicKey: pair.publicJwk }) }
    return { fields, finish: async (answer) => void (await this.#adopt(answer.key, pair)) }
  }

  /** Makes a key the server issued the current one, and stores it. */
  async #adopt(issued: LoginAnswer['key'], pair: DeviceKeyPair | undefined): Promise<SigningKey> {
    const { id, algorithm, secret, expiresAt } = issued ?? ({} as Partial<NonNullable<typeof issued>>)
    const material = pair?.privateKey ?? (await this.#importSecret(secret))
    const key = { id, algorithm, key: material, expiresAt } as SigningKey
    if (!isSigningKey(key) || (pair !== undefined && pair.algorithm !== algorithm))
      throw new TesseraError('invalid_response', { status: 200, detail: 'the server issued an unusable key' })
    this.#key = Promise.resolve(key)
    await this.#store.save(key).catch((error) => {
      // Still signed in for this run: losing the key now would strand a live credential.
      console.warn('tessera: key kept in memory only', error)
    })
    return key
  }

  /** A key pair for a device-key login or rotation; none for HMAC. */
  #newPair(algorithm: SignatureAlgorithm): Promise<DeviceKeyPair | undefined> {
    if (algorithm === 'hmac-sha256') return Promise.resolve(undefined)
    return generateDeviceKey(algorithm as DeviceAlgorithm, this.#store.extractable === true)
  }

  /** Rotation: a new key for the current one's kind, then the server's answer adopted. */
  async rotate(post: (body: object | undefined) => Promise<unknown>): Promise<SigningKey> {
    const current = await this.current()
    if (current === undefined)
      throw new TesseraError('unauthenticated', { status: 401, detail: 'no key to rotate' })
    const pair = await this.#newPair(current.algorithm)
    const answer = (await post(pair && { publicKey: pair.publicJwk })) as LoginAnswer | undefined
    return this.#adopt(answer?.key, pair)
  }

  isLost(error: TesseraError): boolean {
    return error.code === 'unknown_key'
  }

  async isCurrent(credentialId: string): Promise<boolean> {
    return (await this.current().catch(() => undefined))?.id === credentialId
  }

  async forget(): Promise<void> {
    this.#key = Promise.resolve(undefined)
    await this.#store.clear().catch(() => {})
  }

  async #load(): Promise<SigningKey | undefined> {
    let value: unknown
    try {
      value = await this.#store.load()
    } catch {
      value = false
    }
    if (value === undefined || value === null) return undefined
    if (isSigningKey(value)) return value
    await this.forget()
    throw new TesseraError('unauthenticated', { status: 401, detail: 'the stored key could not be read' })
  }

  async #importSecret(secret: unknown): Promise<CryptoKey | undefined> {
    if (typeof secret !== 'string') return undefined
    return importHmacSecret(secret, this.#store.extractable === true).catch(() => undefined)
  }
}
