import type { Kysely } from 'kysely'
import type { ChallengeRecord, MfaStore, TotpRecord } from '../../core/mfa-store.ts'
import { failClosed } from './fail-closed.ts'
import type { AuthTables } from './schema.ts'

function nullableNumber(value: number | null): number | null {
  return value === null ? null : Number(value)
}

export class SqlMfaStore implements MfaStore {
  readonly #db: Kysely<AuthTables>

  constructor(db: Kysely<AuthTables>) {
    this.#db = db
  }

  findTotp(userId: number): Promise<TotpRecord | undefined> {
    return failClosed('mfa.findTotp', async () => {
      const row = await this.#db
        .selectFrom('tessera_totp')
        .selectAll()
        .where('user_id', '=', userId)
        .executeTakeFirst()
      if (row === undefined) return undefined
      return {
        userId: Number(row.user_id),
        sealedSecret: row.sealed_secret,
        confirmedAt: nullableNumber(row.confirmed_at),
        lastStep: Number(row.last_step),
        createdAt: Number(row.created_at),
      }
    })
  }

  beginTotp(userId: number, sealedSecret: string, now: number): Promise<boolean> {
    return failClosed('mfa.beginTotp', () =>
      this.#db.transaction().execute(async (trx) => {
        const removed = await trx
          .deleteFrom('tessera_totp')
          .where('user_id', '=', userId)
          .where('confirmed_at', 'is', null)
          .executeTakeFirst()
        const existing = await trx
          .selectFrom('tessera_totp')
          .select('user_id')
          .where('user_id', '=', userId)
          .executeTakeFirst()
        if (existing !== undefined && removed.numDeletedRows === 0n) return false
        await trx
          .insertInto('tessera_totp')
          .values({ user_id: userId, sealed_secret: sealedSecret, last_step: 0, created_at: now })
          .execute()
        return true
      }),
    )
  }

  acceptTotpStep(userId: number, step: number, now: number, confirming: boolean): Promise<boolean> {
    return failClosed('mfa.acceptTotpStep', async () => {
      const result = await this.#db
        .updateTable('tessera_totp')
        .set(confirming ? { last_step: step, confirmed_at: now } : { last_step: step })
        .where('user_id', '=', userId)
        .where('last_step', '<', step)
        .where('confirmed_at', confirming ? 'is' : 'is not', null)
        .executeTakeFirst()
      return result.numUpdatedRows > 0n
    })
  }

  deleteTotp(userId: number): Promise<boolean> {
    return failClosed('mfa.deleteTotp', () =>
      this.#db.transaction().execute(async (trx) => {
        await trx.deleteFrom('tessera_recovery_code').where('user_id', '=', userId).execute()
        const result = await trx.deleteFrom('tessera_totp').where('user_id', '=', userId).executeTakeFirst()
        return result.numDeletedRows > 0n
      }),
    )
  }

  replaceRecoveryCodes(userId: number, codeHashes: string[]): Promise<void> {
    return failClosed('mfa.replaceRecoveryCodes', () =>
      this.#db.transaction().execute(async (trx) => {
        await trx.deleteFrom('tessera_recovery_code').where('user_id', '=', userId).execute()
        const rows = codeHashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null }))
        if (rows.length > 0) await trx.insertInto('tessera_recovery_code').values(rows).execute()
      }),
    )
  }

  useRecoveryCode(userId: number, codeHash: string, now: number): Promise<boolean> {
    return failClosed('mfa.useRecoveryCode', async () => {
      const result = await this.#db
        .updateTable('tessera_recovery_code')
        .set({ used_at: now })
        .where('user_id', '=', userId)
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst()
      return result.numUpdatedRows > 0n
    })
  }

  countRecoveryCodes(userId: number): Promise<number> {
    return failClosed('mfa.countRecoveryCodes', async () => {
      const row = await this.#db
        .selectFrom('tessera_recovery_code')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .executeTakeFirstOrThrow()
      return Number(row.n)
    })
  }

  createChallenge(idHash: string, c: ChallengeRecord): Promise<void> {
    return failClosed('mfa.createChallenge', async () => {
      await this.#db
        .insertInto('tessera_mfa_challenge')
        .values({
          id: idHash,
          user_id: c.userId,
          purpose: c.purpose,
          detail: JSON.stringify(c.detail),
          failures: c.failures,
          expires_at: c.expiresAt,
          used_at: null,
        })
        .execute()
    })
  }

  findChallenge(idHash: string, now: number, maxFailures: number): Promise<ChallengeRecord | undefined> {
    return failClosed('mfa.findChallenge', async () => {
      const row = await this.#db
        .selectFrom('tessera_mfa_challenge')
        .selectAll()
        .where('id', '=', idHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .where('failures', '<', maxFailures)
        .executeTakeFirst()
      if (row === undefined) return undefined
      return {
        userId: nullableNumber(row.user_id),
        purpose: row.purpose,
        detail: JSON.parse(row.detail) as Record<string, unknown>,
        failures: Number(row.failures),
        expiresAt: Number(row.expires_at),
      }
    })
  }

  failChallenge(idHash: string): Promise<void> {
    return failClosed('mfa.failChallenge', async () => {
      await this.#db
        .updateTable('tessera_mfa_challenge')
        .set((eb) => ({ failures: eb('failures', '+', 1) }))
        .where('id', '=', idHash)
        .execute()
    })
  }

  consumeChallenge(idHash: string, now: number, maxFailures: number): Promise<boolean> {
    return failClosed('mfa.consumeChallenge', async () => {
      const result = await this.#db
        .updateTable('tessera_mfa_challenge')
        .set({ used_at: now })
        .where('id', '=', idHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .where('failures', '<', maxFailures)
        .executeTakeFirst()
      return result.numUpdatedRows > 0n
    })
  }

  deleteExpiredChallenges(now: number): Promise<number> {
    return failClosed('mfa.deleteExpiredChallenges', async () => {
      const result = await this.#db
        .deleteFrom('tessera_mfa_challenge')
        .where('expires_at', '<', now)
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    })
  }
}
