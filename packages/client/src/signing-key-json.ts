import { KEY_PARAMS, SIGNATURE_ALGORITHMS, type SignatureAlgorithm, type SigningKey } from './signing-key.ts'

/** A key as text storage keeps it: the private JWK is secret material, handle it as such. */
export interface SigningKeyJson {
  id: string
  algorithm: SignatureAlgorithm
  jwk: JsonWebKey
  expiresAt?: string
}

/** Exports an extractable key for a text store (localStorage, a native bridge). */
export async function signingKeyToJson(key: SigningKey): Promise<SigningKeyJson> {
  const json: SigningKeyJson = {
    id: key.id,
    algorithm: key.algorithm,
    jwk: await crypto.subtle.exportKey('jwk', key.key),
  }
  if (key.expiresAt !== undefined) json.expiresAt = key.expiresAt
  return json
}

/** Imports a stored key back, non-extractable this time; throws on anything malformed. */
export async function signingKeyFromJson(json: unknown): Promise<SigningKey> {
  const { id, algorithm, jwk, expiresAt } = (json ?? {}) as Partial<SigningKeyJson>
  if (typeof id !== 'string' || !SIGNATURE_ALGORITHMS.includes(algorithm!) || typeof jwk !== 'object')
    throw new TypeError('not a stored signing key')
  const key = await crypto.subtle.importKey('jwk', jwk, KEY_PARAMS[algorithm!], false, ['sign'])
  return { id, algorithm: algorithm!, key, ...(typeof expiresAt === 'string' ? { expiresAt } : {}) }
}
