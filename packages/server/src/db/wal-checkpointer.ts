import { Worker } from 'node:worker_threads'

/**
 * Checkpoints a WAL-mode SQLite file from a worker thread. SQLite's automatic checkpoint runs
 * inside whichever commit crosses the threshold, on the event loop, and ends in an fsync that
 * stalls every request behind it; a PASSIVE checkpoint from another connection never blocks
 * the writer (https://sqlite.org/wal.html#checkpointing), so the main thread only appends.
 */
const SOURCE = `
const { workerData, parentPort } = require('node:worker_threads')
const { DatabaseSync } = require('node:sqlite')
let db
let checkpoint
const run = () => {
  try {
    db ??= new DatabaseSync(workerData.path, { timeout: 1000 })
    checkpoint ??= db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
    checkpoint.get()
  } catch {}
}
const timer = setInterval(run, workerData.everyMs)
parentPort.on('message', () => {
  clearInterval(timer)
  run()
  try { db?.close() } catch {}
  process.exit(0)
})
`

export class WalCheckpointer {
  readonly #worker: Worker

  constructor(path: string, everyMs = 200) {
    this.#worker = new Worker(SOURCE, { eval: true, workerData: { path, everyMs } })
    // A failed checkpoint only leaves the WAL longer; it must never take the process down.
    this.#worker.on('error', () => {})
    this.#worker.unref()
  }

  /** A last checkpoint, then the worker ends. */
  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.#worker.once('exit', resolve))
    this.#worker.postMessage('stop')
    await exited
  }
}
