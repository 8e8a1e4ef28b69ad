import { availableParallelism } from 'node:os'
import { ARGON2_PARAMS, PasswordHasher } from '@tessera/server'
import { median } from '../http/median.ts'

export interface HashingLimit {
  params: typeof ARGON2_PARAMS
  /** One Argon2id verification, alone on an idle machine (median), ms. */
  verifyMs: number
  cores: number
  /** libuv's thread pool, where @node-rs/argon2 hashes: UV_THREADPOOL_SIZE, default 4. */
  threadPool: number
  /** min(cores, thread pool) ÷ verification time: the "hashing limit", logins/s. */
  limitPerSecond: number
  /**
   * Verifications/s measured with min(cores, thread pool) running at once and nothing else:
   * lower than the limit where parallel hashes slow each other (memory bandwidth).
   */
  measuredPerSecond: number
}

const PASSWORD = 'correct horse battery staple, measured'

/** What password hashing allows on this machine, with Tessera's production parameters. */
export async function measureHashing(samples = 9): Promise<HashingLimit> {
  const hasher = new PasswordHasher()
  const phc = await hasher.hash(PASSWORD)
  const times: number[] = []
  for (let i = 0; i <= samples; i++) {
    const start = performance.now()
    await verifyOrThrow(hasher, phc)
    if (i > 0) times.push(performance.now() - start) // the first one also allocates
  }
  const cores = availableParallelism()
  const threadPool = Number(process.env.UV_THREADPOOL_SIZE) || 4
  const parallel = Math.min(cores, threadPool)
  const verifyMs = median(times)
  return {
    params: ARGON2_PARAMS,
    verifyMs,
    cores,
    threadPool,
    limitPerSecond: parallel / (verifyMs / 1000),
    measuredPerSecond: await verificationsPerSecond(hasher, phc, parallel, 16 * parallel),
  }
}

async function verificationsPerSecond(hasher: PasswordHasher, phc: string, at: number, total: number) {
  let started = 0
  const start = performance.now()
  await Promise.all(
    Array.from({ length: at }, async () => {
      while (started++ < total) await verifyOrThrow(hasher, phc)
    }),
  )
  return total / ((performance.now() - start) / 1000)
}

async function verifyOrThrow(hasher: PasswordHasher, phc: string): Promise<void> {
  if (!(await hasher.verify(phc, PASSWORD))) throw new Error('Argon2id verification failed')
}
