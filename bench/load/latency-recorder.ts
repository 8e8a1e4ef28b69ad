/**
 * Every response's latency at full float precision (autocannon's own histogram keeps whole
 * milliseconds, too coarse for sub-millisecond medians): a growing Float64Array, sorted once.
 */
export class LatencyRecorder {
  #values = new Float64Array(1 << 16)
  #count = 0

  record(ms: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2)
      grown.set(this.#values)
      this.#values = grown
    }
    this.#values[this.#count++] = ms
  }

  get count(): number {
    return this.#count
  }

  /** The given percentiles (0–100), nearest-rank; NaN when nothing was recorded. */
  percentiles(...ps: number[]): number[] {
    const sorted = this.#values.subarray(0, this.#count).sort()
    return ps.map((p) =>
      this.#count === 0
        ? Number.NaN
        : (sorted[Math.min(this.#count - 1, Math.ceil((p / 100) * this.#count) - 1)] as number),
    )
  }
}
