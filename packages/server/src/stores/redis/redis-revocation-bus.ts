import { setTimeout as delay } from 'node:timers/promises'
import type { Redis } from 'ioredis'
import type { RevocationBus, RevocationEvent, RevocationReceipt } from '../../core/stores.ts'
import { connectionNamePrefix, defaultInstanceId, instancesOtherThan } from './bus-instances.ts'
import { listenForErrors } from './connect-redis.ts'
import { failClosed } from './fail-closed.ts'
import {
  parseAckMessage,
  parseRevocationMessage,
  publisherOf,
  serializeRevocationEvent,
} from './parse-revocation-event.ts'
import { DEFAULT_KEY_PREFIX, type RedisStoreOptions } from './redis-store-options.ts'
import { RevocationAcks } from './revocation-acks.ts'
import { RevocationLease } from './revocation-lease.ts'

type Listener = (event: RevocationEvent) => void

export interface RedisRevocationBusOptions extends RedisStoreOptions {
  /** Hears the subscriber connection's errors and errors thrown by listeners (for logs). */
  onError?: (error: Error) => void
  /**
   * How long `publish` waits for every subscribed instance to confirm (default 250 ms). It is
   * also each instance's lease: memory is trusted only this long after it last proved itself
   * caught up. Every instance sharing the channel must use the same value.
   */
  ackTimeoutMs?: number
  /** This instance's name in acknowledgements and in the audit trail (default host-pid-random). */
  instanceId?: string
}

export const DEFAULT_ACK_TIMEOUT_MS = 250
/** How long a (re)subscription waits for its first ping to come back before it resolves anyway. */
const FIRST_PING_TIMEOUT_MS = 2_000
/** Revocations not yet published for want of Redis, kept to publish when it returns. */
const MAX_UNPUBLISHED = 10_000

/**
 * Revocation events over Redis pub/sub on `tessera:revocations`, as JSON, acknowledged: every
 * instance that applied an event answers on the publisher's `tessera:revocation-acks:<id>`,
 * and `publish` waits (bounded) for as many answers as PUBLISH counted subscribers. An
 * instance proves itself caught up by pinging itself on that same channel (see
 * RevocationLease); `isLive()` is false when it cannot, so caches fall back to the database.
 * The subscriber connection is this bus's own (a subscribed connection takes no other
 * commands), named so that the instances that did not confirm can be named in the audit.
 */
export class RedisRevocationBus implements RevocationBus {
  readonly instanceId: string
  readonly #publisher: Redis
  readonly #subscriber: Redis
  readonly #channel: string
  readonly #ackPrefix: string
  readonly #namePrefix: string
  readonly #listeners = new Set<Listener>()
  readonly #onError: ((error: Error) => void) | undefined
  readonly #ackTimeoutMs: number
  readonly #acks = new RevocationAcks()
  readonly #lease: RevocationLease
  readonly #unpublished = new Set<string>()
  #pinger: NodeJS.Timeout | undefined
  #subscribing: Promise<void> | undefined
  #wanted = false
  #live = false
  #generation = 0
  /** Counts the subscriber connection's 'ready' events: each one is a new connection. */
  #connections = 0
  #sequence = 0

  constructor(client: Redis, options: RedisRevocationBusOptions = {}) {
    const prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX
    this.instanceId = options.instanceId ?? defaultInstanceId()
    this.#publisher = client
    this.#channel = `${prefix}revocations`
    this.#ackPrefix = `${prefix}revocation-acks:`
    this.#namePrefix = connectionNamePrefix(this.#channel)
    this.#onError = options.onError
    this.#ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS
    this.#lease = new RevocationLease(this.#ackTimeoutMs)
    this.#subscriber = client.duplicate({
      autoResubscribe: false,
      connectionName: this.#namePrefix + this.instanceId,
    })
    listenForErrors(this.#subscriber, options.onError)
    this.#subscriber.on('message', (channel: string, message: string) => this.#receive(channel, message))
    this.#subscriber.on('close', () => {
      this.#live = false
      this.#lease.lose()
    })
    this.#subscriber.on('ready', () => {
      this.#connections++
      if (this.#wanted) this.#subscribeChannels().catch((error: Error) => this.#onError?.(error))
    })
    this.#publisher.on('ready', this.#onPublisherReady)
  }

  /** Redis is reachable again from the shared client: publish what could not be published. */
  readonly #onPublisherReady = () => this.#publishUnpublished()

  /**
   * Publishes and waits until every subscribed instance confirmed, at most `ackTimeoutMs`: an
   * instance that did not confirm by then no longer trusts its memory. When Redis cannot be
   * reached, waits one lease (instances cut off from Redis stop trusting their memory within
   * it) and keeps the event to publish when Redis is back.
   */
  async publish(event: RevocationEvent): Promise<RevocationReceipt> {
    const id = `${this.instanceId}.${++this.#sequence}`
    this.#acks.expect(id)
    // Without the acknowledgement channel no ack is heard: the wait below then runs its full bound.
    await this.#ensureSubscribed().catch(() => {})
    let expected: number
    try {
      expected = await failClosed(this.#publisher, 'revocations.publish', () =>
        this.#publisher.publish(this.#channel, serializeRevocationEvent(event, id)),
      )
    } catch (error) {
      this.#acks.forget(id)
      this.#onError?.(error instanceof Error ? error : new Error(String(error)))
      this.#keepUnpublished(serializeRevocationEvent(event))
      await delay(this.#ackTimeoutMs)
      return { published: false, expected: 0, confirmed: 0, unconfirmed: [] }
    }
    if (this.#unpublished.size > 0) this.#publishUnpublished()
    const confirmedBy = await this.#acks.until(id, expected, this.#ackTimeoutMs)
    const unconfirmed =
      confirmedBy.size >= expected
        ? []
        : await instancesOtherThan(this.#publisher, this.#namePrefix, confirmedBy)
    return { published: true, expected, confirmed: confirmedBy.size, unconfirmed }
  }

  /** Resolves once Redis confirmed the subscription; rejects (StoreUnavailableError) when it cannot. */
  async subscribe(listener: Listener): Promise<() => Promise<void>> {
    this.#listeners.add(listener)
    try {
      await this.#ensureSubscribed()
    } catch (error) {
      this.#listeners.delete(listener)
      throw error
    }
    return async () => {
      this.#listeners.delete(listener)
    }
  }

  isLive(): boolean {
    return this.#live && this.#subscriber.status === 'ready' && this.#lease.held()
  }

  /** Moves at every confirmed (re)subscription, so a drop and return between two lookups is noticed. */
  generation(): number {
    return this.#generation
  }

  /** Closes the subscriber connection (the shared client belongs to whoever passed it). */
  async close(): Promise<void> {
    clearInterval(this.#pinger)
    this.#publisher.off('ready', this.#onPublisherReady)
    this.#wanted = false
    this.#live = false
    this.#listeners.clear()
    this.#subscriber.disconnect()
  }

  #ensureSubscribed(): Promise<void> {
    this.#wanted = true
    if (this.#live) return Promise.resolve()
    return this.#subscribeChannels()
  }

  /** Both channels in one SUBSCRIBE; live once Redis confirmed it and the first ping came back. */
  #subscribeChannels(): Promise<void> {
    if (this.#subscribing) return this.#subscribing
    const connection = this.#connections
    this.#subscribing = failClosed(this.#subscriber, 'revocations.subscribe', async () => {
      await this.#subscriber.subscribe(this.#channel, this.#ackPrefix + this.instanceId)
      this.#live = true
      this.#generation++
      this.#pinger ??= setInterval(() => this.#ping(), Math.max(1, this.#ackTimeoutMs / 5)).unref()
      this.#ping()
      await this.#lease.whenHeld(FIRST_PING_TIMEOUT_MS)
    }).finally(() => {
      this.#subscribing = undefined
      // The connection was cut and made again while this attempt was pending: the reconnection
      // found it in flight and subscribed nothing on the new connection, so subscribe there now.
      if (this.#wanted && !this.#live && this.#connections !== connection)
        this.#subscribeChannels().catch((error: Error) => this.#onError?.(error))
    })
    return this.#subscribing
  }

  #ping(): void {
    if (!this.#live || this.#publisher.status !== 'ready') return
    const message = JSON.stringify({ ping: this.#lease.next() })
    this.#publisher.publish(this.#ackPrefix + this.instanceId, message).catch(() => {})
  }

  #receive(channel: string, message: string): void {
    if (channel === this.#channel) this.#apply(message)
    else if (channel === this.#ackPrefix + this.instanceId) {
      const ack = parseAckMessage(message)
      if (ack === undefined) return
      if ('ping' in ack) this.#lease.back(ack.ping)
      else this.#acks.confirm(ack.ack, ack.by)
    }
  }

  /** Hands the event to every listener, then acknowledges it to its publisher. */
  #apply(message: string): void {
    const parsed = parseRevocationMessage(message)
    if (parsed === undefined) return
    for (const listener of [...this.#listeners]) {
      try {
        listener(parsed.event)
      } catch (error) {
        // A listener's bug must neither starve the others nor escape into the socket's handler;
        // caches start over (a new generation), so what it failed to drop is dropped anyway.
        this.#generation++
        this.#onError?.(error instanceof Error ? error : new Error(String(error)))
      }
    }
    const publisher = parsed.id === undefined ? undefined : publisherOf(parsed.id)
    if (publisher === undefined) return
    const ack = JSON.stringify({ ack: parsed.id, by: this.instanceId })
    this.#publisher.publish(this.#ackPrefix + publisher, ack).catch(() => {})
  }

  #keepUnpublished(message: string): void {
    this.#unpublished.add(message)
    // Past the bound the oldest go first: their instances have reloaded them (cache TTL) long since.
    for (const oldest of this.#unpublished) {
      if (this.#unpublished.size <= MAX_UNPUBLISHED) break
      this.#unpublished.delete(oldest)
    }
  }

  /** Redis is back: publish what could not be (no acks awaited: nobody waits for them now). */
  #publishUnpublished(): void {
    for (const message of this.#unpublished) {
      this.#publisher
        .publish(this.#channel, message)
        .then(() => this.#unpublished.delete(message))
        .catch(() => {})
    }
  }
}
