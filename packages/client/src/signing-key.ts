import { fromBase64Url } from './base64.ts'

/** Signature algorithms of the `tessera` profile (RFC 9421 names). */
export const SIGNATURE_ALGORITHMS = ['hmac-sha256', 'ecdsa-p256-sha256', 'ed25519'] as const
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number]

/** A key the client signs with: the server's key id and a WebCrypto key that can `sign`. */
export interface SigningKey {
  id: string
  algorithm: SignatureAlgorithm
  /** The HMAC secret or the private key; non-extractable unless the store needs to serialise it. */
  key: CryptoKey
  /** ISO 8601, as the server issued it. */
  expiresAt?: string
}

/** WebCrypto parameters to import or generate each algorithm's key. */
export const KEY_PARAMS: Record<SignatureAlgorithm, HmacImportParams | EcKeyImportParams | Algorithm> = {
  'hmac-sha256': { name: 'HMAC', hash: 'SHA-256' },
  'ecdsa-p256-sha256': { name: 'ECDSA', namedCurve: 'P-256' },
  ed25519: { name: 'Ed25519' },
}

const SIGN_PARAMS: Record<SignatureAlgorithm, AlgorithmIdentifier | EcdsaParams> = {
  'hmac-sha256': 'HMAC',
  'ecdsa-p256-sha256': { name: 'ECDSA', hash: 'SHA-256' },
  ed25519: 'Ed25519',
}

/** HMAC: 32 bytes; ECDSA: raw r‖s (IEEE P1363, what WebCrypto produces); Ed25519: 64 bytes. */
export async function signBytes(
  algorithm: SignatureAlgorithm,
  key: CryptoKey,
  data: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign(SIGN_PARAMS[algorithm], key, data))
}

/**
 * Imports the base64url secret of an HMAC key once; the decoded bytes are wiped right
 * after, so only the CryptoKey (non-extractable by default) remains.
 */
export async function importHmacSecret(secret: string, extractable = false): Promise<CryptoKey> {
  const bytes = fromBase64Url(secret)
  try {
    return await crypto.subtle.importKey('raw', bytes, KEY_PARAMS['hmac-sha256'], extractable, ['sign'])
  } finally {
    bytes.fill(0)
  }
}

const KEY_ID = /^[\x21-\x7e]{1,256}$/

/** Whether a value read back from a key store is a usable key (a corrupted store is not). */
export function isSigningKey(value: unknown): value is SigningKey {
  if (typeof value !== 'object' || value === null) return false
  const { id, algorithm, key } = value as Partial<SigningKey>
  if (typeof id !== 'string' || !KEY_ID.test(id)) return false
  if (!SIGNATURE_ALGORITHMS.includes(algorithm as SignatureAlgorithm)) return false
  if (typeof CryptoKey === 'undefined' || !(key instanceof CryptoKey)) return false
  const kind = algorithm === 'hmac-sha256' ? 'secret' : 'private'
  return key.type === kind && key.usages.includes('sign') && key.algorithm.name === algorithmName(algorithm!)
}

function algorithmName(algorithm: SignatureAlgorithm): string {
  return (KEY_PARAMS[algorithm] as Algorithm).name
}
