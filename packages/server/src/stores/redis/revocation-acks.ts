interface Waiting {
  by: Set<string>
  want: number
  done: (() => void) | undefined
}

/**
 * The acknowledgements a publisher is waiting for, per revocation id. Acks can arrive before
 * PUBLISH's own reply (they come over another connection), so a revocation is expected before
 * it is published and told how many to wait for afterwards.
 */
export class RevocationAcks {
  readonly #waiting = new Map<string, Waiting>()

  expect(id: string): void {
    this.#waiting.set(id, { by: new Set(), want: Number.POSITIVE_INFINITY, done: undefined })
  }

  /** Records that instance `by` dropped revocation `id` (counted once per instance). */
  confirm(id: string, by: string): void {
    const waiting = this.#waiting.get(id)
    if (waiting === undefined) return
    waiting.by.add(by)
    if (waiting.by.size >= waiting.want) waiting.done?.()
  }

  /** Resolves with the instances that confirmed, once `want` have or `timeoutMs` passed. */
  async until(id: string, want: number, timeoutMs: number): Promise<Set<string>> {
    const waiting = this.#waiting.get(id)
    if (waiting === undefined) return new Set()
    try {
      if (waiting.by.size < want) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeoutMs)
          waiting.want = want
          waiting.done = () => {
            clearTimeout(timer)
            resolve()
          }
        })
      }
      return waiting.by
    } finally {
      this.#waiting.delete(id)
    }
  }

  forget(id: string): void {
    this.#waiting.delete(id)
  }
}
