/**
 * `@tessera/client/text-stores`: key stores that keep keys as text. A separate entry point
 * on purpose: importing it is the explicit opt-in to extractable keys (localStorage), or the
 * toolkit for a native Keychain/Keystore bridge that stores strings.
 */
export { type LocalStorageKeyStoreOptions, localStorageKeyStore } from './local-storage-key-store.ts'
export { type SigningKeyJson, signingKeyFromJson, signingKeyToJson } from './signing-key-json.ts'
