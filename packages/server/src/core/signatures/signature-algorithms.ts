import { createHmac, type KeyObject, sign, timingSafeEqual, verify } from 'node:crypto'
import type { SignatureAlgorithm } from '../types.ts'

/** Signature lengths in bytes: HMAC-SHA256 output, raw r‖s for P-256 (IEEE P1363), Ed25519. */
const SIGNATURE_LENGTH: Record<SignatureAlgorithm, number> = {
  'hmac-sha256': 32,
  'ecdsa-p256-sha256': 64,
  ed25519: 64,
}

/** Signs a signature base (RFC 9421 §3.3): `key` is the secret for HMAC, the private key otherwise. */
export function signBase(algorithm: SignatureAlgorithm, key: KeyObject, base: Uint8Array): Buffer {
  switch (algorithm) {
    case 'hmac-sha256':
      return createHmac('sha256', key).update(base).digest()
    case 'ecdsa-p256-sha256':
      return sign('sha256', base, { key, dsaEncoding: 'ieee-p1363' })
    case 'ed25519':
      return sign(null, base, key)
  }
}

/**
 * Verifies a signature over a base: HMAC recomputed and compared in constant time, public
 * keys through `crypto.verify`. Wrong lengths and malformed signatures are simply false.
 */
export function verifySignatureBytes(
  algorithm: SignatureAlgorithm,
  key: KeyObject,
  base: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (signature.length !== SIGNATURE_LENGTH[algorithm]) return false
  try {
    switch (algorithm) {
      case 'hmac-sha256':
        return timingSafeEqual(createHmac('sha256', key).update(base).digest(), signature)
      case 'ecdsa-p256-sha256':
        return verify('sha256', base, { key, dsaEncoding: 'ieee-p1363' }, signature)
      case 'ed25519':
        return verify(null, base, key, signature)
    }
  } catch {
    return false
  }
}
