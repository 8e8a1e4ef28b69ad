/** A WebAuthn credential (passkey) of a user, as stored. */
export interface PasskeyRecord {
  /** The credential id, base64url. */
  id: string
  userId: number
  /** The COSE public key, base64url. */
  publicKey: string
  /** The last signature counter seen (0 for authenticators that keep none, such as synced passkeys). */
  signCount: number
  /** Backup state (BS flag): the passkey is synced to other devices. */
  backedUp: boolean
  /** `singleDevice` or `multiDevice` (backup eligibility, BE flag). */
  deviceType: string
  transports: string[]
  name: string
  createdAt: number
  lastUsedAt: number | null
}

export interface PasskeyStore {
  /** Answers false when the credential id is already registered (to anyone). */
  create(passkey: PasskeyRecord): Promise<boolean>
  findById(id: string): Promise<PasskeyRecord | undefined>
  listForUser(userId: number): Promise<PasskeyRecord[]>
  /**
   * Records a use: the new counter and backup state, only if the stored counter is still
   * `seenCount` (one conditional UPDATE: of two assertions racing with one counter, one wins).
   */
  recordUse(
    id: string,
    seenCount: number,
    use: { signCount: number; backedUp: boolean; now: number },
  ): Promise<boolean>
  rename(userId: number, id: string, name: string): Promise<boolean>
  remove(userId: number, id: string): Promise<boolean>
}
