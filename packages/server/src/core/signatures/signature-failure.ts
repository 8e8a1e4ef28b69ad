import type { ErrorCode } from '../errors.ts'

/** The error codes (core/errors.ts) a signature check can end with. */
export type SignatureErrorCode = Extract<
  ErrorCode,
  'unauthenticated' | 'invalid_signature' | 'stale_signature' | 'replayed_signature' | 'unknown_key'
>

/** A refused signature: a stable code, a short generic reason safe to show, and the clock for stale ones. */
export interface VerifyFailure {
  ok: false
  code: SignatureErrorCode
  detail: string
  /** `stale_signature` only: the server's clock in Unix seconds, so the client can correct its skew. */
  serverTime?: number
}

export function signatureFailure(
  code: SignatureErrorCode,
  detail: string,
  serverTime?: number,
): VerifyFailure {
  return serverTime === undefined ? { ok: false, code, detail } : { ok: false, code, detail, serverTime }
}
