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
  base: Uint8Array | string,
  signature: Uint8Array,
): boolean {
  if (signature.length !== SIGNATURE_LENGTH[algorithm]) return false
  try {
    switch (algorithm) {
      case 'hmac-sha256':
        // A string base is hashed as latin1 bytes without a copy into a Buffer first.
        return timingSafeEqual(
          createHmac('sha256', key)
            .update(base as string, 'latin1')
            .digest(),
          signature,
        )
      case 'ecdsa-p256-sha256':
        // The key alone, not an options object: spares Node's per-call key-argument checks.
        return verify('sha256', bytesOf(base), key, p1363ToDer(signature))
      case 'ed25519':
        return verify(null, bytesOf(base), key, signature)
    }
  } catch {
    return false
  }
}

function bytesOf(base: Uint8Array | string): Uint8Array {
  return typeof base === 'string' ? Buffer.from(base, 'latin1') : base
}

/** One DER INTEGER of an unsigned big-endian value: leading zeros dropped, a 0 byte before a high bit. */
function derInteger(bytes: Uint8Array): Buffer {
  let start = 0
  while (start < bytes.length - 1 && bytes[start] === 0) start++
  const pad = bytes[start]! >= 0x80 ? 1 : 0
  const out = Buffer.alloc(2 + pad + bytes.length - start)
  out[0] = 0x02
  out[1] = pad + bytes.length - start
  out.set(bytes.subarray(start), 2 + pad)
  return out
}

/** A raw r‖s ECDSA signature (IEEE P1363, 64 bytes for P-256) as the DER SEQUENCE OpenSSL reads by default. */
export function p1363ToDer(signature: Uint8Array): Buffer {
  const half = signature.length / 2
  const r = derInteger(signature.subarray(0, half))
  const s = derInteger(signature.subarray(half))
  return Buffer.concat([Buffer.from([0x30, r.length + s.length]), r, s])
}
