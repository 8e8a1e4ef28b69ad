import type { KeyStore } from './key-store.ts'
import type { SigningKey } from './signing-key.ts'

export interface IndexedDbKeyStoreOptions {
  /** Database name; default `tessera`. */
  database?: string
  /** Record name, one per API; `createClient` uses the API's origin. */
  name?: string
}

const OBJECT_STORE = 'keys'

/**
 * Keeps the CryptoKey object itself in IndexedDB (structured clone), so a non-extractable
 * key survives reloads without its bytes ever being readable by script: the browser default.
 */
export function indexedDbKeyStore(options: IndexedDbKeyStoreOptions = {}): KeyStore {
  const database = options.database ?? 'tessera'
  const name = options.name ?? 'default'
  return {
    load: () => transact(database, 'readonly', (store) => store.get(name)) as Promise<SigningKey | undefined>,
    save: async (key) => void (await transact(database, 'readwrite', (store) => store.put(key, name))),
    clear: async () => void (await transact(database, 'readwrite', (store) => store.delete(name))),
  }
}

/** One request in its own transaction; resolves when the transaction has committed. */
function transact(
  database: string,
  mode: IDBTransactionMode,
  work: (store: IDBObjectStore) => IDBRequest,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(database, 1)
    open.onupgradeneeded = () => open.result.createObjectStore(OBJECT_STORE)
    open.onerror = () => reject(open.error)
    open.onblocked = () => reject(new Error('IndexedDB blocked'))
    open.onsuccess = () => {
      const db = open.result
      try {
        const tx = db.transaction(OBJECT_STORE, mode)
        const request = work(tx.objectStore(OBJECT_STORE))
        tx.oncomplete = () => resolve(request.result)
        tx.onerror = tx.onabort = () => reject(tx.error)
      } catch (error) {
        reject(error)
      } finally {
        db.close()
      }
    }
  })
}
