import { Secret, TOTP } from 'otpauth'

/** RFC 6238 as authenticator apps expect it: HMAC-SHA-1, 6 digits, 30-second steps. */
const PARAMETERS = { algorithm: 'SHA1', digits: 6, period: 30 } as const

/** A new 160-bit seed (RFC 4226 §4 recommends 160), base32 as apps show and type it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

/** The `otpauth://` URI a QR code carries. */
export function totpUri(secret: string, account: string, issuer: string): string {
  return new TOTP({ ...PARAMETERS, issuer, label: account, secret: Secret.fromBase32(secret) }).toString()
}

/** The time step of `now` (Unix seconds / 30). */
export function timeStep(now: number): number {
  return Math.floor(now / 1000 / PARAMETERS.period)
}

/**
 * The time step whose code `code` is, within one step either side of `now` (clock drift,
 * RFC 6238 §5.2), or undefined. The caller must still accept the step only once.
 */
export function matchingStep(secret: string, code: string, now: number): number | undefined {
  if (!/^[0-9]{6}$/.test(code)) return undefined
  const delta = TOTP.validate({
    ...PARAMETERS,
    token: code,
    secret: Secret.fromBase32(secret),
    timestamp: now,
    window: 1,
  })
  return delta === null ? undefined : timeStep(now) + delta
}
