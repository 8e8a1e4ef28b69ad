import { createHash, timingSafeEqual } from 'node:crypto'
import { parseDictionary } from 'structured-headers'

/** The outcome of checking a `Content-Digest` value against the raw body (RFC 9530). */
export type ContentDigestCheck = 'match' | 'mismatch' | 'malformed' | 'no-sha-256'

/** `sha-256=:<base64>:` of the raw body bytes, the only algorithm the profile requires. */
export function computeContentDigest(body: Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`
}

/**
 * Checks a `Content-Digest` field value. It is an SF dictionary; the `sha-256` member is
 * required and compared in constant time, other algorithms are ignored (RFC 9530 §2) so
 * a client may send a stronger digest too, but never instead.
 */
export function verifyContentDigest(header: string, body: Uint8Array): ContentDigestCheck {
  let member: unknown
  try {
    member = parseDictionary(header).get('sha-256')
  } catch {
    return 'malformed'
  }
  if (member === undefined) return 'no-sha-256'
  if (!Array.isArray(member) || !(member[0] instanceof ArrayBuffer)) return 'malformed'
  const given = new Uint8Array(member[0])
  const expected = createHash('sha256').update(body).digest()
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'match' : 'mismatch'
}
