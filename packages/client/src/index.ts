export type { ClientEvent, ClientEventHandler } from './client-events.ts'
export { type ClientOptions, createClient } from './create-client.ts'
export { type IndexedDbKeyStoreOptions, indexedDbKeyStore } from './indexed-db-key-store.ts'
export { type KeyStore, memoryKeyStore } from './key-store.ts'
export type { ClientCode, ProblemCode, TesseraErrorCode } from './problem-codes.ts'
export type { SignatureAlgorithm, SigningKey } from './signing-key.ts'
export type {
  CredentialInfo,
  KeyInfo,
  Me,
  SecondFactorProof,
  TesseraClient,
  User,
  UserProof,
} from './tessera-client.ts'
export { type Problem, TesseraError } from './tessera-error.ts'
export type { RequestOptions } from './transport.ts'
