import { after, before } from 'node:test'
import type { Stores } from '../../src/core/stores.ts'

/** What a suite's factory opens: the stores it exercises, and how to release them. */
export interface OpenedStores<K extends keyof Stores> {
  stores: Pick<Stores, K>
  close(): Promise<void>
}

/**
 * A backend's factory. Each suite asks only for the stores it needs, so a Redis
 * `NonceStore` can run the nonce suite alone: `async () => ({ stores: { nonces }, close })`.
 */
export type OpenStores<K extends keyof Stores> = () => Promise<OpenedStores<K>>

/** Opens the stores before a suite's tests and closes them after; answers a getter for its tests. */
export function useStores<K extends keyof Stores>(open: OpenStores<K>): () => Pick<Stores, K> {
  let opened: OpenedStores<K> | undefined
  before(async () => {
    opened = await open()
  })
  after(async () => {
    await opened?.close()
  })
  return () => {
    if (opened === undefined) throw new Error('stores are not open')
    return opened.stores
  }
}
