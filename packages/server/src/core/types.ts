export const ROLES = ['user', 'admin'] as const
export type Role = (typeof ROLES)[number]

export const CREDENTIAL_TYPES = ['session', 'hmac', 'device'] as const
export type CredentialType = (typeof CREDENTIAL_TYPES)[number]

/** Signature algorithms of the `tessera` profile (RFC 9421 names). */
export const SIGNATURE_ALGORITHMS = ['hmac-sha256', 'ecdsa-p256-sha256', 'ed25519'] as const
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number]

/** The public view of a user, as the HTTP contract shows it. */
export interface User {
  id: number
  email: string
  name: string
  role: Role
}

/** Who made a request, and with which credential. */
export interface Principal {
  user: User
  credential: {
    id: string
    type: CredentialType
    /** Epoch ms: the earlier of the idle and the absolute limit. */
    expiresAt: number
    /** Epoch ms of the last proof of the user (login or re-authentication): what `recentAuth` checks. */
    authenticatedAt: number
  }
}

/** `[name, value]` pairs exactly as received, so duplicated headers stay visible. */
export type RawHeaders = ReadonlyArray<readonly [string, string]>

/**
 * The small, framework-free view of a request that the core works on.
 * Adapters build it; the core never sees a framework object.
 */
export interface RequestView {
  method: string
  /** Path and query exactly as sent, e.g. `/api/employees?q=an`. */
  target: string
  headers: RawHeaders
  /** The raw body bytes before any parsing; empty when there is none. */
  body: Uint8Array
  /**
   * True when the request has a body the adapter did not keep as bytes (a content type it
   * does not read raw): a signature cannot vouch for it, so signed requests are refused.
   */
  bodyUnread?: boolean
  /** The client's address as the adapter determined it (proxy headers only when trusted). */
  ip: string
}
