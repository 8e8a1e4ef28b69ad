import type { SignatureAlgorithm } from '@tessera/server'

/**
 * What a bench server hands the load generator so it can authenticate, on its ready line.
 * Secrets travel in clear here on purpose: they are throwaway credentials of a throwaway
 * server on 127.0.0.1 that lives for one benchmark.
 */
export type BenchCredential =
  /** A request sent as is, again and again (cookies; the login form; no auth at all). */
  | { kind: 'fixed'; method?: 'GET' | 'POST'; headers: Record<string, string>; body?: string }
  /** A Tessera signing key: every request gets its own signature and nonce. */
  | { kind: 'tessera-signed'; keyId: string; algorithm: SignatureAlgorithm; jwk: JsonWebKey }
  /** Hawk credentials: every request gets its own `Authorization: Hawk …` header. */
  | { kind: 'hawk'; id: string; key: string; algorithm: 'sha256' }
  /** The hand-written minimal HMAC peer: `key` is the secret, base64url. */
  | { kind: 'minimal-hmac'; id: string; key: string }

/** The line a bench server prints on stdout when it listens: `READY {json}`. */
export interface ReadyMessage {
  port: number
  credentials: BenchCredential[]
  /** The login storm server also announces form posts that log in (one per account). */
  logins?: BenchCredential[]
  /** …and form posts with a wrong password for emails nobody has, for the bogus-login storm. */
  bogusLogins?: BenchCredential[]
}

export const READY_PREFIX = 'READY '
