import { createPublicKey, type KeyObject } from 'node:crypto'
import { compactVerify, decodeProtectedHeader, errors } from 'jose'
import { parsePublicJwk } from '../signatures/keys.ts'
import type { DbscAlgorithm } from '../stores.ts'

/**
 * The proof a DBSC browser sends in `Secure-Session-Response`: a compact JWS with header
 * `{alg, typ: "dbsc+jwt", jwk?}` and payload `{jti: <challenge>}`, signed by the session's key
 * (ES256 as raw r‖s, or RS256). `jose` does the JWS work; which keys and claims count is ours.
 */
export type Proof =
  | { ok: true; algorithm: DbscAlgorithm; jwk: Record<string, string>; jti: string }
  | { ok: false; reason: string; wrongKey?: true }

/** Far above a real proof (an RS256 one with a 4096-bit JWK is under 2 KiB), far below header limits. */
export const MAX_PROOF_LENGTH = 4096
const ALGORITHMS: readonly string[] = ['ES256', 'RS256']
const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/
const RSA_MEMBERS = new Set(['kty', 'n', 'e', 'alg', 'use', 'key_ops', 'kid', 'ext'])

/** Registration: the key comes in the header and must be a public P-256 or RSA (2048–4096 bits) key fitting `alg`. */
export async function verifyRegistrationProof(jwt: string): Promise<Proof> {
  const header = readHeader(jwt)
  if (typeof header === 'string') return { ok: false, reason: header }
  const key = publicKeyFor(header.alg as DbscAlgorithm, header.jwk)
  if (typeof key === 'string') return { ok: false, reason: key }
  return verifyWith(jwt, header.alg as DbscAlgorithm, key.object, key.jwk)
}

/** Refresh: signed with the key stored at registration, by its algorithm (a header `jwk` is ignored). */
export async function verifyRefreshProof(
  jwt: string,
  algorithm: DbscAlgorithm,
  storedJwk: string,
): Promise<Proof> {
  const header = readHeader(jwt)
  if (typeof header === 'string') return { ok: false, reason: header }
  if (header.alg !== algorithm) return { ok: false, reason: `alg must be ${algorithm}, as registered` }
  const jwk = JSON.parse(storedJwk) as Record<string, string>
  const proof = await verifyWith(jwt, algorithm, createPublicKey({ key: jwk, format: 'jwk' }), jwk)
  if (!proof.ok && proof.reason === 'signature does not verify') return { ...proof, wrongKey: true }
  return proof
}

interface ProofHeader {
  alg: string
  jwk?: unknown
}

function readHeader(jwt: string): ProofHeader | string {
  if (jwt.length > MAX_PROOF_LENGTH) return `proof longer than ${MAX_PROOF_LENGTH} characters`
  if (!COMPACT.test(jwt)) return 'not a compact JWS'
  let header: Record<string, unknown>
  try {
    header = decodeProtectedHeader(jwt)
  } catch {
    return 'header is not base64url JSON'
  }
  if (header.typ !== 'dbsc+jwt') return 'typ must be dbsc+jwt'
  if (typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg)) return 'alg must be ES256 or RS256'
  if (header.crit !== undefined) return 'crit is not supported'
  return header as unknown as ProofHeader
}

function publicKeyFor(
  alg: DbscAlgorithm,
  jwk: unknown,
): { object: KeyObject; jwk: Record<string, string> } | string {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return 'header needs the public jwk'
  if (alg === 'ES256') {
    const parsed = parsePublicJwk(jwk)
    if (!parsed.ok) return `jwk: ${parsed.reason}`
    if (parsed.jwk.kty !== 'EC') return 'jwk: ES256 needs a P-256 key'
    const minimal = { kty: 'EC', crv: 'P-256', x: parsed.jwk.x, y: parsed.jwk.y }
    return { object: createPublicKey({ key: minimal, format: 'jwk' }), jwk: minimal }
  }
  const rsa = jwk as Record<string, unknown>
  if (Object.keys(rsa).some((m) => !RSA_MEMBERS.has(m))) return 'jwk: not a public RSA key'
  if (rsa.kty !== 'RSA' || typeof rsa.n !== 'string' || typeof rsa.e !== 'string')
    return 'jwk: RS256 needs an RSA key'
  const minimal = { kty: 'RSA', n: rsa.n, e: rsa.e }
  let object: KeyObject
  try {
    object = createPublicKey({ key: minimal, format: 'jwk' })
  } catch {
    return 'jwk: not a valid RSA key'
  }
  const bits = object.asymmetricKeyDetails?.modulusLength ?? 0
  if (bits < 2048 || bits > 4096) return 'jwk: RSA modulus must be 2048 to 4096 bits'
  return { object, jwk: minimal }
}

async function verifyWith(
  jwt: string,
  alg: DbscAlgorithm,
  key: KeyObject,
  jwk: Record<string, string>,
): Promise<Proof> {
  let payload: Uint8Array
  try {
    ;({ payload } = await compactVerify(jwt, key, { algorithms: [alg] }))
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed)
      return { ok: false, reason: 'signature does not verify' }
    return { ok: false, reason: 'not a valid JWS' }
  }
  let claims: unknown
  try {
    claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload))
  } catch {
    return { ok: false, reason: 'payload is not JSON' }
  }
  const jti = (claims as { jti?: unknown } | null)?.jti
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256)
    return { ok: false, reason: 'jti must be the challenge' }
  return { ok: true, algorithm: alg, jwk, jti }
}
