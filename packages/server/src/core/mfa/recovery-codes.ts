import { createHmac, randomBytes } from 'node:crypto'
import type { MasterSecrets } from '../secrets.ts'

export const RECOVERY_CODE_COUNT = 10
// Crockford-like base32 without look-alikes (no I, L, O, U): easy to read off paper and type.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** Ten codes of 20 random base32 characters (100 bits each), shown as `XXXXX-XXXXX-XXXXX-XXXXX`. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = [...randomBytes(20)].map((b) => ALPHABET[b & 31]).join('')
    return (chars.match(/.{5}/g) as string[]).join('-')
  })
}

/** Case, dashes and spaces do not matter when a code is typed back. */
export function normalizeRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '')
}

/**
 * What is stored: HMAC-SHA-256 keyed by a master-derived key over user and code, so a
 * database dump alone cannot test guesses offline and a code is only good for its user.
 */
export function recoveryCodeHash(secrets: MasterSecrets, userId: number, code: string): string {
  return createHmac('sha256', secrets.derive('recovery-code'))
    .update(`${userId}:${normalizeRecoveryCode(code)}`)
    .digest('hex')
}
