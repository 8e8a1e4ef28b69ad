import type { KeyStore } from './key-store.ts'
import { signingKeyFromJson, signingKeyToJson } from './signing-key-json.ts'

export interface LocalStorageKeyStoreOptions {
  /** Item name; default `tessera-key`. */
  name?: string
  /** Default `globalThis.localStorage`; any Web Storage object works. */
  storage?: Storage
}

/**
 * EXPLICIT OPT-IN, weaker than the default: the key's secret material is written to
 * localStorage as a JWK, where any script running on the origin (an XSS payload, a
 * compromised dependency) can read and exfiltrate it, and it outlives the session on disk.
 * Use it only where IndexedDB is unavailable and the risk is accepted.
 */
export function localStorageKeyStore(options: LocalStorageKeyStoreOptions = {}): KeyStore {
  const name = options.name ?? 'tessera-key'
  const storage = () => options.storage ?? globalThis.localStorage
  return {
    extractable: true,
    async load() {
      const text = storage().getItem(name)
      return text === null ? undefined : signingKeyFromJson(JSON.parse(text))
    },
    async save(key) {
      storage().setItem(name, JSON.stringify(await signingKeyToJson(key)))
    },
    async clear() {
      storage().removeItem(name)
    },
  }
}
