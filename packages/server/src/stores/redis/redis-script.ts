import { createHash } from 'node:crypto'
import type { Redis, RedisKey } from 'ioredis'

/**
 * A Lua script run atomically by Redis: sent by its SHA-1 (EVALSHA), and in full (EVAL) only
 * when Redis does not know it yet (first use, or after a restart or SCRIPT FLUSH).
 */
export class RedisScript {
  readonly #source: string
  readonly #sha: string

  constructor(source: string) {
    this.#source = source
    this.#sha = createHash('sha1').update(source).digest('hex')
  }

  async run(client: Redis, keys: RedisKey[], args: (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.#sha, keys.length, ...keys, ...args)
    } catch (error) {
      if (!isNoScript(error)) throw error
      return await client.eval(this.#source, keys.length, ...keys, ...args)
    }
  }
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT')
}
