import { createHash, createSecretKey, hash, hkdfSync, type KeyObject, randomBytes } from 'node:crypto'

/** 256 bits from the CSPRNG, base64url: session tokens, key secrets, ids (OWASP Session Management: ≥ 64 bits of entropy). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

/** A public, unguessable id with a readable prefix: `ses_…`, `key_…`. */
export function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`
}

export function sha256Hex(value: string | Uint8Array): string {
  // The one-shot crypto.hash is about three times cheaper than a Hash object (it is on every session request).
  return hash('sha256', value, 'hex')
}

/**
 * The master secret (TESSERA_SECRET) and the ones it replaced. Everything secret the
 * server needs is derived from it with HKDF-SHA256 (RFC 5869) under a purpose label,
 * so no derived secret is ever stored. Each master has a short public id so that a
 * credential can record which master it derives from and survive a rotation.
 */
export class MasterSecrets {
  readonly currentId: string
  readonly #byId: Map<string, Buffer>

  constructor(current: Uint8Array, previous: Uint8Array[] = []) {
    if (current.length < 32) throw new Error('TESSERA_SECRET must hold at least 32 bytes (256 bits)')
    this.#byId = new Map()
    for (const secret of [current, ...previous]) this.#byId.set(masterId(secret), Buffer.from(secret))
    this.currentId = masterId(current)
  }

  has(id: string): boolean {
    return this.#byId.has(id)
  }

  /** A 256-bit key for `purpose` (and an optional subject such as a key id), as a reusable KeyObject. */
  derive(purpose: string, subject = '', masterId = this.currentId): KeyObject {
    const master = this.#byId.get(masterId)
    if (master === undefined) throw new Error('unknown master secret id')
    const info = `tessera/${purpose}/${subject}`
    return createSecretKey(Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32)))
  }

  /** Raw bytes of a derived key, for secrets that must be shown once (HMAC key secrets). */
  deriveBytes(purpose: string, subject: string, masterId = this.currentId): Buffer {
    return this.derive(purpose, subject, masterId).export()
  }
}

/** A public fingerprint of a master secret: 8 hex digits of SHA-256 under a label. */
export function masterId(secret: Uint8Array): string {
  return createHash('sha256').update('tessera-master-id').update(secret).digest('hex').slice(0, 8)
}

/** Parses TESSERA_SECRET-style values: base64url/base64 or hex of at least 32 bytes. */
export function parseSecret(value: string): Buffer {
  const text = value.trim()
  const bytes =
    /^[0-9a-f]+$/i.test(text) && text.length % 2 === 0
      ? Buffer.from(text, 'hex')
      : Buffer.from(text, 'base64url')
  if (bytes.length < 32)
    throw new Error('a master secret must decode to at least 32 bytes (hex or base64url)')
  return bytes
}
