import type { SigningKey } from './signing-key.ts'

/**
 * Where a signed-mode client keeps its key between runs. The client validates whatever
 * `load` returns: a corrupted or unreadable store logs the user out cleanly (the store is
 * cleared and `unauthenticated` is emitted). Write one for a Keychain/Keystore bridge in a
 * native shell; `signingKeyToJson`/`signingKeyFromJson` help stores that keep text.
 */
export interface KeyStore {
  /**
   * True for stores that serialise keys (text storage): the client then creates keys it can
   * export. Stores that keep CryptoKey objects (memory, IndexedDB) leave it unset, so keys
   * stay non-extractable.
   */
  readonly extractable?: boolean
  load(): Promise<SigningKey | undefined>
  save(key: SigningKey): Promise<void>
  clear(): Promise<void>
}

/** Keeps the key for the life of the client only: the default where IndexedDB is absent (Node). */
export function memoryKeyStore(): KeyStore {
  let stored: SigningKey | undefined
  return {
    load: async () => stored,
    async save(key) {
      stored = key
    },
    async clear() {
      stored = undefined
    },
  }
}
