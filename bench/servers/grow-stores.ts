import { randomBytes } from 'node:crypto'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Stores } from '@tessera/server'
import type { AuthTables } from '@tessera/server/sql'
import type { Kysely } from 'kysely'

const ROWS_PER_INSERT = 500
const NONCE_WINDOW_MS = 301_000
const NONCES_PER_TURN = 10_000

/**
 * `BENCH_LIVE_CREDENTIALS=N`: N more live credentials of the case's type in the table (the
 * cost-growth table's 10 / 100 k / 1 M), inserted in batches; never used by the load, they
 * only make the table and its indexes as large as a big deployment's.
 */
export async function addLiveCredentials(
  db: Kysely<AuthTables>,
  userId: number,
  type: 'session' | 'key',
  count: number,
) {
  const now = Date.now()
  for (let done = 0; done < count; done += ROWS_PER_INSERT) {
    const rows = Array.from({ length: Math.min(ROWS_PER_INSERT, count - done) }, () => {
      const id = `${type === 'session' ? 'ses' : 'key'}_${randomBytes(16).toString('base64url')}`
      return {
        id,
        user_id: userId,
        type,
        token_hash: type === 'session' ? randomBytes(32).toString('hex') : null,
        algorithm: type === 'session' ? null : 'hmac-sha256',
        key_material: type === 'session' ? null : randomBytes(32).toString('base64url'),
        label: 'growth',
        created_at: now,
        last_used_at: now,
        absolute_expires_at: now + 86_400_000,
        idle_timeout_ms: 86_400_000,
        revoked_at: null,
        retires_at: null,
        credential_epoch: 0,
      }
    })
    await db.insertInto('tessera_credential').values(rows).execute()
  }
}

/**
 * `BENCH_NONCE_WINDOW_RATE=R`: the nonce store holding a full window at R signed requests/s
 * (R × 301 nonces, expiries spread over the next 301 s), through the store's own consume.
 */
export async function fillNonceWindow(stores: Stores, rate: number) {
  const total = Math.round(rate * (NONCE_WINDOW_MS / 1000))
  const now = Date.now()
  const keyId = `key_${randomBytes(16).toString('base64url')}`
  for (let done = 0; done < total; done += NONCES_PER_TURN) {
    const turn: Promise<boolean>[] = []
    for (let i = done; i < Math.min(total, done + NONCES_PER_TURN); i++) {
      const expiresAt = now + 1000 + Math.floor((i / total) * NONCE_WINDOW_MS)
      turn.push(
        stores.nonces.consume(keyId, `growth-${i}-${randomBytes(8).toString('base64url')}`, expiresAt, now),
      )
    }
    await Promise.all(turn)
  }
}

/** Bytes under a path (a file, or a directory's files one level deep). */
export function diskBytes(path: string): number {
  try {
    const stat = statSync(path)
    if (!stat.isDirectory()) return stat.size
    return readdirSync(path).reduce((sum, name) => sum + statSync(join(path, name)).size, 0)
  } catch {
    return 0
  }
}
