/** Kysely table types of 0007_mfa (see migrations/0007-mfa.ts); same conventions as schema.ts. */

export interface TotpTable {
  user_id: number
  sealed_secret: string
  confirmed_at: number | null
  last_step: number
  created_at: number
}

export interface RecoveryCodeTable {
  user_id: number
  code_hash: string
  used_at: number | null
}

export interface MfaChallengeTable {
  id: string
  user_id: number | null
  purpose: string
  /** JSON text: what the challenge stands for (the login's credential request, a WebAuthn challenge). */
  detail: string
  failures: number
  expires_at: number
  used_at: number | null
}

export interface PasskeyTable {
  id: string
  user_id: number
  /** base64url of the COSE public key. */
  public_key: string
  sign_count: number
  backed_up: number
  device_type: string
  /** Comma-separated WebAuthn transports. */
  transports: string
  name: string
  created_at: number
  last_used_at: number | null
}

export interface MfaTables {
  tessera_totp: TotpTable
  tessera_recovery_code: RecoveryCodeTable
  tessera_mfa_challenge: MfaChallengeTable
  tessera_passkey: PasskeyTable
}
