import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'

/** One remembered nonce as the journal holds it. */
export interface JournalEntry {
  keyId: string
  nonce: string
  expiresAt: number
}

export interface ReplayedJournal {
  entries: JournalEntry[]
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

const HEADER = 'tessera-nonce-journal 1 boot='
const CLOSED = 'closed'
const SEGMENT = /^segment-(\d{16})\.log$/

/** The kernel's id of this boot: equal before and after a process crash, new after a reboot. */
export function currentBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}

/**
 * The nonce store's append-only journal: a directory of segment files, each a header line,
 * then one JSON line per nonce (`[expiresAt,"keyId","nonce"]`), and `closed` after a clean stop.
 * Appends are one `write` each and reach the page cache before the caller answers, which a
 * process crash (kill -9) does not lose. Segments rotate every `rotateMs` and are deleted when
 * their last nonce has expired, so the disk holds at most window + 2 × rotateMs of nonces.
 */
export class NonceJournal {
  readonly #directory: string
  readonly #bootId: string | undefined
  readonly #rotateMs: number
  readonly #segments: Segment[] = []
  #fd: number | undefined
  #openedAt = 0
  #sequence = 0

  constructor(directory: string, options: { bootId?: string | undefined; rotateMs: number }) {
    this.#directory = directory
    this.#bootId = options.bootId
    this.#rotateMs = options.rotateMs
  }

  /** Reads every segment left by earlier runs (a torn last line is skipped). */
  replay(): ReplayedJournal {
    mkdirSync(this.#directory, { recursive: true })
    const names = readdirSync(this.#directory)
      .filter((name) => SEGMENT.test(name))
      .sort()
    const entries: JournalEntry[] = []
    let complete = true
    for (const name of names) {
      const file = join(this.#directory, name)
      const lines = readFileSync(file, 'utf8').split('\n')
      const read = readSegment(lines, entries)
      this.#segments.push({ file, maxExpiry: read.maxExpiry })
      this.#sequence = Number(SEGMENT.exec(name)![1])
      // Only the newest segment tells how the last run ended.
      complete = read.closed || (read.bootId !== undefined && read.bootId === this.#bootId)
    }
    return { entries, complete }
  }

  /** Appends lines (each ending in a newline) with one write; rotates first when the segment is old. */
  append(text: string, maxExpiry: number, now: number): void {
    if (this.#fd === undefined || now - this.#openedAt >= this.#rotateMs) this.#startSegment(now)
    writeSync(this.#fd!, text)
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
    writeSync(this.#fd, `${CLOSED}\n`)
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
    writeSync(this.#fd, `${HEADER}${this.#bootId ?? 'unknown'}\n`)
  }
}

function readSegment(
  lines: string[],
  into: JournalEntry[],
): { bootId: string | undefined; closed: boolean; maxExpiry: number } {
  const header = lines[0] ?? ''
  const bootId = header.startsWith(HEADER) ? header.slice(HEADER.length) : undefined
  let [closed, maxExpiry] = [false, 0]
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!
    if (line === CLOSED) closed = true
    const entry = parseEntry(line)
    if (entry === undefined) continue
    into.push(entry)
    if (entry.expiresAt > maxExpiry) maxExpiry = entry.expiresAt
  }
  return { bootId: bootId === 'unknown' ? undefined : bootId, closed, maxExpiry }
}

function parseEntry(line: string): JournalEntry | undefined {
  if (!line.startsWith('[')) return undefined
  try {
    const [expiresAt, keyId, nonce] = JSON.parse(line) as unknown[]
    if (typeof expiresAt !== 'number' || typeof keyId !== 'string' || typeof nonce !== 'string')
      return undefined
    return { keyId, nonce, expiresAt }
  } catch {
    return undefined
  }
}

export function journalLine(keyId: string, nonce: string, expiresAt: number): string {
  return `[${expiresAt},${JSON.stringify(keyId)},${JSON.stringify(nonce)}]\n`
}
