import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { StoreUnavailableError } from '../../core/errors.ts'
import type { NonceStore } from '../../core/stores.ts'
import { lockFile } from './directory-lock.ts'
import { currentBootId, NonceJournal, RECORD_BYTES, writeRecord } from './nonce-journal.ts'
import { RememberedNonces } from './remembered-nonces.ts'

export interface JournalNonceStoreOptions {
  /**
   * After a stop that may have lost journal writes (a reboot or power cut without a clean
   * close), nonces expiring within this many ms of the start are refused: every signature
   * created before the restart. Default 361,000 (a 300 s past and 60 s future skew, + 1 s).
   */
  refuseAfterUncleanStopMs?: number
  /**
   * Upper bound on remembered nonces; beyond it consumes fail closed (503). Default 10,000,000:
   * a full 301 s window at 33 k signed requests/s, ≤ 16 B × 2^26 slots = 1 GiB at worst.
   */
  maxNonces?: number
  /** How long one journal segment is written before the next starts. Default 60,000. */
  rotateMs?: number
  /** The kernel's boot id (tests simulate a reboot with another). Default: read from /proc. */
  bootId?: string | undefined
  /** Wall clock for the start (epoch ms). Default `Date.now`. */
  now?: () => number
}

const SQLITE_BUSY = 5

interface Waiting {
  settle: (consumed: boolean) => void
  fail: (error: unknown) => void
}

/**
 * The replay store for a single-host deployment: the live nonces in memory
 * (RememberedNonces), made durable by an append-only journal (NonceJournal) written once per
 * event-loop turn for every nonce of that turn, before any of them is answered. A request
 * accepted before a kill -9 or a restart is refused after it; after a reboot or power cut
 * without a clean stop, signatures created before the start are refused.
 *
 * One process per journal: an OS lock on `<directory>/lock` refuses a second process (every
 * consume there fails closed, 503), since a nonce accepted by one could not be seen by the
 * other. Instances sharing a database on several processes need a shared store (Redis).
 * The journal opens on the first use, so processes that never verify a signature (the CLI)
 * can share the database freely.
 */
export class JournalNonceStore implements NonceStore {
  readonly #directory: string
  readonly #options: JournalNonceStoreOptions
  #nonces: RememberedNonces | undefined
  readonly #maxNonces: number
  #journal: NonceJournal | undefined
  #release: (() => void) | undefined
  #refuseExpiringBy = 0
  /** The turn's records, [high, low, expiresAt] flattened. */
  #pending: number[] = []
  #maxExpiry = 0
  #flushNow = 0
  #waiting: Waiting[] = []
  #closed = false

  constructor(directory: string, options: JournalNonceStoreOptions = {}) {
    this.#directory = directory
    this.#options = options
    this.#maxNonces = options.maxNonces ?? 10_000_000
  }

  consume(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    try {
      this.#open()
    } catch (error) {
      return Promise.reject(error)
    }
    // Already expired: a record would be dead on arrival, as in the SQL stores.
    if (expiresAt <= now) return Promise.resolve(true)
    if (expiresAt <= this.#refuseExpiringBy) return Promise.resolve(false)
    const nonces = this.#nonces!
    if (nonces.added >= this.#maxNonces) {
      nonces.dropExpired(now)
      if (nonces.added >= this.#maxNonces)
        return Promise.reject(new StoreUnavailableError('nonce store full'))
    }
    const [high, low] = nonces.fingerprint(keyId, nonce)
    if (!nonces.add(high, low, expiresAt, now)) return Promise.resolve(false)
    if (this.#pending.length === 0) {
      this.#flushNow = now
      setImmediate(() => this.#flush())
    }
    this.#pending.push(high, low, expiresAt)
    if (expiresAt > this.#maxExpiry) this.#maxExpiry = expiresAt
    return new Promise((settle, fail) => this.#waiting.push({ settle, fail }))
  }

  /** A process that never consumed (the CLI's sweep) leaves the journal alone: nothing in memory, no lock taken. */
  async deleteExpired(now: number): Promise<number> {
    if (this.#journal === undefined) return 0
    const dropped = this.#nonces!.dropExpired(now)
    this.#journal!.dropExpired(now)
    return dropped
  }

  /** Nonces unexpired at `now` (a scan: for measurements and tests). */
  liveAt(now: number): number {
    return this.#nonces?.liveAt(now) ?? 0
  }

  /** Bytes of the in-memory table. */
  get bytes(): number {
    return this.#nonces?.bytes ?? 0
  }

  /** Journal segment files on disk (for tests of the disk bound). */
  get segmentCount(): number {
    return this.#journal?.segmentCount ?? 0
  }

  /** Writes what is pending, marks the journal cleanly closed and releases the lock. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#flush()
    this.#journal?.close()
    this.#release?.()
  }

  /** Locks the directory, replays the journal. Once; a refusal is repeated on every call. */
  #open(): void {
    if (this.#journal !== undefined) return
    if (this.#closed) throw new StoreUnavailableError('nonce store closed')
    try {
      mkdirSync(this.#directory, { recursive: true })
      this.#release = lockFile(join(this.#directory, 'lock'))
    } catch (error) {
      if ((error as { errcode?: unknown }).errcode !== SQLITE_BUSY)
        throw new StoreUnavailableError('nonce journal cannot be opened', { cause: error })
      throw new StoreUnavailableError(
        `nonce journal ${this.#directory} is held by another process: instances sharing a SQLite file cannot share its in-memory nonces; run one process, or use a shared nonce store (Redis)`,
        { cause: error },
      )
    }
    const journal = new NonceJournal(this.#directory, {
      bootId: 'bootId' in this.#options ? this.#options.bootId : currentBootId(),
      rotateMs: this.#options.rotateMs ?? 60_000,
    })
    const start = (this.#options.now ?? Date.now)()
    const nonces = new RememberedNonces(journal.seeds())
    const replayed = journal.replay()
    for (const [high, low, expiresAt] of replayed.records) {
      if (expiresAt > start) nonces.add(high, low, expiresAt, start)
    }
    this.#nonces = nonces
    if (!replayed.complete)
      this.#refuseExpiringBy = start + (this.#options.refuseAfterUncleanStopMs ?? 361_000)
    this.#journal = journal
  }

  /** One write for the turn's nonces, then every caller of the turn is answered. */
  #flush(): void {
    if (this.#pending.length === 0) return
    const [pending, waiting, maxExpiry] = [this.#pending, this.#waiting, this.#maxExpiry]
    this.#pending = []
    this.#waiting = []
    this.#maxExpiry = 0
    try {
      this.#journal!.dropExpired(this.#flushNow)
      const records = Buffer.allocUnsafe((pending.length / 3) * RECORD_BYTES)
      for (let i = 0, at = 0; i < pending.length; i += 3, at += RECORD_BYTES)
        writeRecord(records, at, pending[i]!, pending[i + 1]!, pending[i + 2]!)
      this.#journal!.append(records, maxExpiry, this.#flushNow)
    } catch (cause) {
      // The nonces stay remembered: refusing them later is the safe side.
      const error = new StoreUnavailableError('nonce journal write failed', { cause })
      for (const w of waiting) w.fail(error)
      return
    }
    for (const w of waiting) w.settle(true)
  }
}
