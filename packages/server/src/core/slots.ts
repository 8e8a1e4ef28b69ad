/** A counting semaphore: at most `size` tasks run at once; the others start in arrival order. */
export class Slots {
  readonly #size: number
  #busy = 0
  readonly #waiting: Array<() => void> = []

  constructor(size: number) {
    this.#size = Math.max(1, size)
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#busy >= this.#size) await new Promise<void>((resolve) => this.#waiting.push(resolve))
    else this.#busy++
    try {
      return await task()
    } finally {
      const next = this.#waiting.shift()
      if (next) next()
      else this.#busy--
    }
  }
}
