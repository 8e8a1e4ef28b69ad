import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto'
import type { SignatureAlgorithm } from '../types.ts'
import { ed25519PointProblem } from './ed25519-point.ts'

/** A public JWK as the profile accepts it: P-256 (`ecdsa-p256-sha256`) or Ed25519 (`ed25519`). */
export type PublicJwk =
  | { kty: 'EC'; crv: 'P-256'; x: string; y: string }
  | { kty: 'OKP'; crv: 'Ed25519'; x: string }

export type DeviceAlgorithm = 'ecdsa-p256-sha256' | 'ed25519'

export type ParsedJwk =
  | { ok: true; algorithm: DeviceAlgorithm; jwk: PublicJwk }
  | { ok: false; reason: string }

/** HMAC keys are 256-bit secrets (DESIGN §3); shorter ones are refused. */
export const MIN_HMAC_KEY_BYTES = 32
const MAX_JWK_TEXT = 4096
/** 32 bytes in unpadded base64url: a P-256 coordinate or an Ed25519 public key. */
const COORDINATE = /^[A-Za-z0-9_-]{43}$/
/** Members a browser's `exportKey('jwk')` or a JOSE library may add; anything else is refused. */
const ALLOWED_MEMBERS = new Set(['kty', 'crv', 'x', 'y', 'alg', 'use', 'key_ops', 'kid', 'ext'])
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']
const ALG_NAMES: Record<DeviceAlgorithm, readonly string[]> = {
  'ecdsa-p256-sha256': ['ES256'],
  ed25519: ['EdDSA', 'Ed25519'],
}

/**
 * Validates a device's public JWK (a JSON string or an already-parsed value) strictly: only
 * P-256 and Ed25519, well-formed 32-byte coordinates, a point on the curve (OpenSSL checks
 * P-256 points on import; Ed25519 points are checked here, small-order and non-canonical ones
 * refused), and never a private member. Answers the profile algorithm and a minimal JWK to store, or a reason.
 */
export function parsePublicJwk(input: unknown): ParsedJwk {
  const value = typeof input === 'string' ? parseJson(input) : input
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return refuse('not a JWK object')
  const jwk = value as Record<string, unknown>
  if (PRIVATE_MEMBERS.some((m) => Object.hasOwn(jwk, m)))
    return refuse('private key members are not accepted')
  if (Object.keys(jwk).some((m) => !ALLOWED_MEMBERS.has(m))) return refuse('unexpected JWK member')
  const shaped = shapeJwk(jwk)
  if (typeof shaped === 'string') return refuse(shaped)
  const optional = optionalMemberProblem(jwk, shaped.algorithm)
  if (optional !== undefined) return refuse(optional)
  if (shaped.jwk.kty === 'OKP') {
    const problem = ed25519PointProblem(Buffer.from(shaped.jwk.x, 'base64url'))
    if (problem !== undefined) return refuse(problem)
  }
  if (tryImport(shaped.jwk) === undefined) return refuse('not a valid public key')
  return { ok: true, algorithm: shaped.algorithm, jwk: shaped.jwk }
}

/**
 * Turns stored key material into the KeyObject the verifier uses, once per key (never per
 * request): raw secret bytes for `hmac-sha256`, a public JWK for the others. Throws on bad
 * material: it was validated when registered, so failing here is a bug or a corrupted store.
 */
export function importVerifyKey(
  algorithm: SignatureAlgorithm,
  material: Uint8Array | PublicJwk | string,
): KeyObject {
  if (algorithm === 'hmac-sha256') {
    if (!(material instanceof Uint8Array)) throw new TypeError('hmac-sha256 keys are raw secret bytes')
    if (material.length < MIN_HMAC_KEY_BYTES)
      throw new RangeError(`hmac-sha256 keys need ${MIN_HMAC_KEY_BYTES} bytes`)
    return createSecretKey(Buffer.from(material))
  }
  if (material instanceof Uint8Array) throw new TypeError(`${algorithm} keys are public JWKs`)
  const parsed = parsePublicJwk(material)
  if (!parsed.ok) throw new TypeError(`invalid ${algorithm} public key: ${parsed.reason}`)
  if (parsed.algorithm !== algorithm) throw new TypeError(`the JWK is not a ${algorithm} key`)
  return createPublicKey({ key: parsed.jwk, format: 'jwk' })
}

/** Whether a KeyObject is of the kind `algorithm` verifies with (a secret, a P-256 or an Ed25519 public key). */
export function keyFitsAlgorithm(algorithm: SignatureAlgorithm, key: KeyObject): boolean {
  if (algorithm === 'hmac-sha256') return key.type === 'secret'
  if (key.type !== 'public') return false
  if (algorithm === 'ed25519') return key.asymmetricKeyType === 'ed25519'
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
}

function shapeJwk(jwk: Record<string, unknown>): { algorithm: DeviceAlgorithm; jwk: PublicJwk } | string {
  const { kty, crv, x, y } = jwk
  if (kty === 'EC') {
    if (crv !== 'P-256') return 'unsupported curve'
    if (!isCoordinate(x) || !isCoordinate(y)) return 'invalid coordinates'
    return { algorithm: 'ecdsa-p256-sha256', jwk: { kty, crv, x, y } }
  }
  if (kty === 'OKP') {
    if (crv !== 'Ed25519') return 'unsupported curve'
    if (!isCoordinate(x) || y !== undefined) return 'invalid coordinates'
    return { algorithm: 'ed25519', jwk: { kty, crv, x } }
  }
  return 'unsupported key type'
}

function optionalMemberProblem(jwk: Record<string, unknown>, algorithm: DeviceAlgorithm): string | undefined {
  const { alg, use, key_ops: ops, kid, ext } = jwk
  if (alg !== undefined && !ALG_NAMES[algorithm].includes(alg as string)) return 'alg does not match the key'
  if (use !== undefined && use !== 'sig') return 'use must be sig'
  if (ops !== undefined && !(Array.isArray(ops) && ops.length > 0 && ops.every((op) => op === 'verify'))) {
    return 'key_ops must be ["verify"]'
  }
  if (kid !== undefined && (typeof kid !== 'string' || kid.length > 256)) return 'invalid kid'
  if (ext !== undefined && typeof ext !== 'boolean') return 'invalid ext'
  return undefined
}

/** Canonical unpadded base64url of exactly 32 bytes (the last character carries 4 zero bits). */
function isCoordinate(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    COORDINATE.test(value) &&
    Buffer.from(value, 'base64url').toString('base64url') === value
  )
}

function tryImport(jwk: PublicJwk): KeyObject | undefined {
  try {
    const key = createPublicKey({ key: jwk, format: 'jwk' })
    return keyFitsAlgorithm(jwk.kty === 'EC' ? 'ecdsa-p256-sha256' : 'ed25519', key) ? key : undefined
  } catch {
    return undefined
  }
}

function parseJson(text: string): unknown {
  if (text.length > MAX_JWK_TEXT) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function refuse(reason: string): ParsedJwk {
  return { ok: false, reason }
}
