import { randomBytes } from 'node:crypto'
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'

/** Bytes of one record: the fingerprint's two 32-bit halves and the expiry (float64 epoch ms). */
export const RECORD_BYTES = 16
/** The header: `tessera-nonce-journal 2 boot=<id>`, space-padded to a fixed size, then a newline. */
const HEADER_BYTES = 128
const HEADER_PREFIX = 'tessera-nonce-journal 2 boot='
const SEGMENT = /^segment-(\d{16})\.log$/

export interface ReplayedJournal {
  /** Fingerprint halves and expiries, in the order written. */
  records: Array<[high: number, low: number, expiresAt: number]>
  /**
   * False when the last stop was unclean AND the machine may have lost page-cache writes
   * (it rebooted since, or its boot id cannot be read): nonces accepted just before that stop
   * may be missing.
   */
  complete: boolean
}

interface Segment {
  file: string
  /** Latest expiry written to it; the file is deleted once that has passed. */
  maxExpiry: number
}

/** The kernel's id of this boot: equal before and after a process crash, new after a reboot. */
export function currentBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}

/**
 * The nonce store's append-only journal: a directory with the fingerprint seeds (`seeds`) and
 * segment files, each a 128-byte header naming the boot, then one 16-byte record per nonce
 * (fingerprint, expiry), and an all-zero record after a clean stop. Appends are one `write`
 * each and reach the page cache before the caller answers, which a process crash (kill -9)
 * does not lose. Segments rotate every `rotateMs` and are deleted when their last nonce has
 * expired, so the disk holds at most (window + 2 × rotateMs) × rate × 16 bytes.
 */
export class NonceJournal {
  readonly #directory: string
  readonly #bootId: string | undefined
  readonly #rotateMs: number
  readonly #segments: Segment[] = []
  #fd: number | undefined
  #openedAt = 0
  #sequence = 0
  #seedsWereMissing = false

  constructor(directory: string, options: { bootId?: string | undefined; rotateMs: number }) {
    this.#directory = directory
    this.#bootId = options.bootId
    this.#rotateMs = options.rotateMs
  }

  /** The fingerprint seeds of this journal, made (and synced) on first use. */
  seeds(): Uint32Array {
    mkdirSync(this.#directory, { recursive: true })
    const file = join(this.#directory, 'seeds')
    if (!existsSync(file)) {
      this.#seedsWereMissing = true
      const fd = openSync(file, 'w')
      writeSync(fd, randomBytes(8))
      fsyncSync(fd)
      closeSync(fd)
    }
    const bytes = readFileSync(file)
    return new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + 8))
  }

  /** Reads every segment left by earlier runs (a torn last record is skipped). */
  replay(): ReplayedJournal {
    const names = readdirSync(this.#directory)
      .filter((name) => SEGMENT.test(name))
      .sort()
    const records: ReplayedJournal['records'] = []
    let complete = true
    for (const name of names) {
      const file = join(this.#directory, name)
      const read = readSegment(readFileSync(file), records)
      this.#segments.push({ file, maxExpiry: read.maxExpiry })
      this.#sequence = Number(SEGMENT.exec(name)![1])
      // Only the newest segment tells how the last run ended.
      complete = read.closed || (read.bootId !== undefined && read.bootId === this.#bootId)
    }
    // Segments without their seeds cannot be read back: as good as lost.
    if (this.#seedsWereMissing && names.length > 0) return { records: [], complete: false }
    return { records, complete }
  }

  /** Appends records with one write; rotates first when the segment is old. */
  append(records: Buffer, maxExpiry: number, now: number): void {
    if (this.#fd === undefined || now - this.#openedAt >= this.#rotateMs) this.#startSegment(now)
    writeSync(this.#fd!, records)
    const current = this.#segments.at(-1)!
    if (maxExpiry > current.maxExpiry) current.maxExpiry = maxExpiry
  }

  /** Deletes the segments, other than the one being written, whose every nonce has expired by `now`. */
  dropExpired(now: number): void {
    const writing = this.#fd === undefined ? 0 : 1
    for (let i = 0; i < this.#segments.length - writing; ) {
      const segment = this.#segments[i]!
      if (segment.maxExpiry > now) {
        i++
        continue
      }
      rmSync(segment.file, { force: true })
      this.#segments.splice(i, 1)
    }
  }

  get segmentCount(): number {
    return this.#segments.length
  }

  /** Marks the segment as cleanly closed and syncs it: a clean stop loses nothing, even to a power cut later. */
  close(): void {
    if (this.#fd === undefined) return
    writeSync(this.#fd, Buffer.alloc(RECORD_BYTES))
    fsyncSync(this.#fd)
    closeSync(this.#fd)
    this.#fd = undefined
  }

  #startSegment(now: number): void {
    if (this.#fd !== undefined) closeSync(this.#fd)
    this.#sequence++
    const file = join(this.#directory, `segment-${String(this.#sequence).padStart(16, '0')}.log`)
    this.#fd = openSync(file, 'a')
    this.#openedAt = now
    this.#segments.push({ file, maxExpiry: 0 })
    const header = `${HEADER_PREFIX}${this.#bootId ?? 'unknown'}`
      .slice(0, HEADER_BYTES - 1)
      .padEnd(HEADER_BYTES - 1)
    writeSync(this.#fd, `${header}\n`)
  }
}

function readSegment(
  bytes: Buffer,
  into: ReplayedJournal['records'],
): { bootId: string | undefined; closed: boolean; maxExpiry: number } {
  const header = bytes.toString('latin1', 0, Math.min(bytes.length, HEADER_BYTES)).trimEnd()
  const boot = header.startsWith(HEADER_PREFIX) ? header.slice(HEADER_PREFIX.length) : 'unknown'
  let [closed, maxExpiry] = [false, 0]
  // A record cut short by a power cut is ignored: its nonce was never answered.
  const end =
    HEADER_BYTES + Math.floor(Math.max(0, bytes.length - HEADER_BYTES) / RECORD_BYTES) * RECORD_BYTES
  for (let at = HEADER_BYTES; at < end; at += RECORD_BYTES) {
    const expiresAt = bytes.readDoubleLE(at + 8)
    if (expiresAt === 0) {
      closed = true
      continue
    }
    into.push([bytes.readUInt32LE(at), bytes.readUInt32LE(at + 4), expiresAt])
    if (expiresAt > maxExpiry) maxExpiry = expiresAt
  }
  return { bootId: boot === 'unknown' ? undefined : boot, closed, maxExpiry }
}

/** Writes one record at `offset` of `into`. */
export function writeRecord(
  into: Buffer,
  offset: number,
  high: number,
  low: number,
  expiresAt: number,
): void {
  into.writeUInt32LE(high, offset)
  into.writeUInt32LE(low, offset + 4)
  into.writeDoubleLE(expiresAt, offset + 8)
}
