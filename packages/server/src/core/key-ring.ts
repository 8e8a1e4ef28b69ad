import type { KeyObject } from 'node:crypto'
import type { TesseraConfig } from './config.ts'
import { liveness } from './credentials.ts'
import { importVerifyKey } from './signatures/keys.ts'
import type { CredentialStore, CredentialWithUser } from './stores.ts'
import type { SignatureAlgorithm } from './types.ts'

export interface RingKey {
  id: string
  algorithm: SignatureAlgorithm
  key: KeyObject
  record: CredentialWithUser
}

/** The purpose label HMAC key secrets are derived under (HKDF info `tessera/hmac-key/<key id>`). */
export const HMAC_KEY_PURPOSE = 'hmac-key'

/**
 * Finds the verification key of a signed request. The credential row comes from the
 * credential store on every request (through its revocation-aware cache, so a revocation
 * is honoured at once); the imported KeyObject, which never changes for a key id, is kept
 * here, because importing or deriving it per request would dominate a verification.
 */
export class KeyRing {
  readonly #credentials: CredentialStore
  readonly #config: TesseraConfig
  readonly #now: () => number
  readonly #cache = new Map<string, KeyObject>()
  readonly #cacheSize = 10_000

  constructor(credentials: CredentialStore, config: TesseraConfig, now: () => number) {
    this.#credentials = credentials
    this.#config = config
    this.#now = now
  }

  async resolve(keyId: string): Promise<RingKey | undefined> {
    if (!keyId.startsWith('key_') || keyId.length > 64) return undefined
    const record = await this.#credentials.findById(keyId)
    if (record === undefined) return undefined
    const { credential } = record
    if (credential.type === 'session' || credential.algorithm === null) return undefined
    if (liveness(record, this.#now()) !== 'live') return undefined
    const key = this.#keyObject(credential.id, credential.algorithm, credential.keyMaterial ?? '')
    return key === undefined ? undefined : { id: keyId, algorithm: credential.algorithm, key, record }
  }

  /** The secret of an HMAC key, shown to its owner once at issue and derivable again, never stored. */
  hmacSecret(keyId: string): Buffer {
    return this.#config.secrets.deriveBytes(HMAC_KEY_PURPOSE, keyId)
  }

  #keyObject(id: string, algorithm: SignatureAlgorithm, material: string): KeyObject | undefined {
    const cached = this.#cache.get(id)
    if (cached !== undefined) return cached
    // HMAC: material is the id of the master secret the key derives from; it may have been rotated out.
    if (algorithm === 'hmac-sha256' && !this.#config.secrets.has(material)) return undefined
    const key =
      algorithm === 'hmac-sha256'
        ? this.#config.secrets.derive(HMAC_KEY_PURPOSE, id, material)
        : importVerifyKey(algorithm, material)
    if (this.#cache.size >= this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value as string)
    this.#cache.set(id, key)
    return key
  }
}
