/** Which queue a task waits in: 'fresh' ones start first (see `FRESH_PER_SUSPECT`). */
export type Lane = 'fresh' | 'suspect'

/**
 * While both lanes wait, one suspect task starts after every 4 fresh ones: fresh work keeps 80 %
 * of the slots, and suspect work (which may be a real user's retry) is slowed, never starved.
 */
export const FRESH_PER_SUSPECT = 4

export interface SlotsOptions {
  /** Tasks that may wait, both lanes together; past it a task is refused at once. */
  maxWaiting: number
  /** How long a task may wait for a slot before it is refused. */
  maxWaitMs: number
}

/** A task refused a slot: the queue was full, or it waited `maxWaitMs`. Nothing of it ran. */
export class SlotsFullError extends Error {
  constructor(reason: 'queue full' | 'waited too long') {
    super(`no slot free: ${reason}`)
    this.name = 'SlotsFullError'
  }
}

interface Waiter {
  start(): void
  refuse(error: SlotsFullError): void
}

/**
 * A counting semaphore with a bounded queue in two lanes: at most `size` tasks run at once;
 * the others wait, each lane in arrival order, fresh ones first (one suspect after every
 * `FRESH_PER_SUSPECT` fresh ones while both wait). When the queue is full a fresh task takes
 * the place of the newest suspect one (which is refused), so a storm of suspect work cannot
 * keep fresh work out; a task that waits too long is refused too.
 */
export class Slots {
  readonly #size: number
  readonly #options: SlotsOptions
  #busy = 0
  /** Fresh tasks started in a row while suspect ones waited. */
  #freshInARow = 0
  readonly #lanes: Record<Lane, Waiter[]> = { fresh: [], suspect: [] }

  constructor(size: number, options: SlotsOptions) {
    this.#size = Math.max(1, size)
    this.#options = options
  }

  /** Tasks waiting now, both lanes. */
  get waiting(): number {
    return this.#lanes.fresh.length + this.#lanes.suspect.length
  }

  async run<T>(task: () => Promise<T>, lane: Lane = 'fresh'): Promise<T> {
    if (this.#busy < this.#size) this.#busy++
    else await this.#wait(lane)
    try {
      return await task()
    } finally {
      const next = this.#next()
      if (next) next.start()
      else this.#busy--
    }
  }

  #next(): Waiter | undefined {
    const { fresh, suspect } = this.#lanes
    if (suspect.length > 0 && (fresh.length === 0 || this.#freshInARow >= FRESH_PER_SUSPECT)) {
      this.#freshInARow = 0
      return suspect.shift()
    }
    if (fresh.length > 0 && suspect.length > 0) this.#freshInARow++
    return fresh.shift()
  }

  #wait(lane: Lane): Promise<void> {
    if (this.waiting >= this.#options.maxWaiting) {
      const evicted = lane === 'fresh' ? this.#lanes.suspect.pop() : undefined
      if (evicted === undefined) return Promise.reject(new SlotsFullError('queue full'))
      evicted.refuse(new SlotsFullError('queue full'))
    }
    return new Promise<void>((resolve, reject) => {
      const queue = this.#lanes[lane]
      const timer = setTimeout(() => {
        queue.splice(queue.indexOf(waiter), 1)
        reject(new SlotsFullError('waited too long'))
      }, this.#options.maxWaitMs)
      const waiter: Waiter = {
        start() {
          clearTimeout(timer)
          resolve()
        },
        refuse(error) {
          clearTimeout(timer)
          reject(error)
        },
      }
      queue.push(waiter)
    })
  }
}
