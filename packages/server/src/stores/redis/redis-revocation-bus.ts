import type { Redis } from 'ioredis'
import type { RevocationBus, RevocationEvent } from '../../core/stores.ts'
import { listenForErrors } from './connect-redis.ts'
import { failClosed } from './fail-closed.ts'
import { parseRevocationEvent, serializeRevocationEvent } from './parse-revocation-event.ts'
import { DEFAULT_KEY_PREFIX, type RedisStoreOptions } from './redis-store-options.ts'

type Listener = (event: RevocationEvent) => void

export interface RedisRevocationBusOptions extends RedisStoreOptions {
  /** Hears the subscriber connection's errors and errors thrown by listeners (for logs). */
  onError?: (error: Error) => void
}

/**
 * Revocation events over Redis pub/sub on `tessera:revocations`, as JSON. Publishing uses the
 * shared client; hearing needs a connection of its own (a subscribed connection takes no other
 * commands), which this bus owns and closes. After a reconnection it subscribes again itself
 * and is not live until Redis confirms: events published meanwhile were missed, and `isLive()`
 * tells caches not to trust themselves for that time.
 */
export class RedisRevocationBus implements RevocationBus {
  readonly #publisher: Redis
  readonly #subscriber: Redis
  readonly #channel: string
  readonly #listeners = new Set<Listener>()
  readonly #onError: ((error: Error) => void) | undefined
  #live = false
  #generation = 0

  constructor(client: Redis, options: RedisRevocationBusOptions = {}) {
    this.#publisher = client
    this.#channel = `${options.keyPrefix ?? DEFAULT_KEY_PREFIX}revocations`
    this.#onError = options.onError
    this.#subscriber = client.duplicate({ autoResubscribe: false })
    listenForErrors(this.#subscriber, options.onError)
    this.#subscriber.on('message', (channel: string, message: string) => this.#receive(channel, message))
    this.#subscriber.on('close', () => {
      this.#live = false
    })
    this.#subscriber.on('ready', () => {
      if (this.#listeners.size > 0) this.#subscribeChannel().catch((error: Error) => this.#onError?.(error))
    })
  }

  publish(event: RevocationEvent): Promise<void> {
    const message = serializeRevocationEvent(event)
    return failClosed(this.#publisher, 'revocations.publish', async () => {
      await this.#publisher.publish(this.#channel, message)
    })
  }

  /** Resolves once Redis confirmed the subscription; rejects (StoreUnavailableError) when it cannot. */
  async subscribe(listener: Listener): Promise<() => Promise<void>> {
    this.#listeners.add(listener)
    try {
      await this.#subscribeChannel()
    } catch (error) {
      this.#listeners.delete(listener)
      throw error
    }
    return async () => {
      this.#listeners.delete(listener)
    }
  }

  isLive(): boolean {
    return this.#live && this.#subscriber.status === 'ready'
  }

  /** Moves at every confirmed (re)subscription, so a drop and return between two lookups is noticed. */
  generation(): number {
    return this.#generation
  }

  /** Closes the subscriber connection (the shared client belongs to whoever passed it). */
  async close(): Promise<void> {
    this.#live = false
    this.#listeners.clear()
    this.#subscriber.disconnect()
  }

  #subscribeChannel(): Promise<void> {
    return failClosed(this.#subscriber, 'revocations.subscribe', async () => {
      await this.#subscriber.subscribe(this.#channel)
      this.#live = true
      this.#generation++
    })
  }

  #receive(channel: string, message: string): void {
    if (channel !== this.#channel) return
    const event = parseRevocationEvent(message)
    if (event === undefined) return
    for (const listener of [...this.#listeners]) {
      try {
        listener(event)
      } catch (error) {
        // A listener's bug must neither starve the others nor escape into the socket's handler.
        this.#onError?.(error instanceof Error ? error : new Error(String(error)))
      }
    }
  }
}
