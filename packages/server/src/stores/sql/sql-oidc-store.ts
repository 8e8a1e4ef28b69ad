import type { Kysely } from 'kysely'
import type { OidcFlow, OidcGrant, OidcIdentity, OidcSignIn, OidcStore } from '../../core/oidc/oidc-store.ts'
import { failClosed, orWhenTaken } from './fail-closed.ts'
import type { AuthTables, OidcFlowTable, OidcGrantTable, OidcSignInTable } from './schema.ts'

type SingleUseTable = 'tessera_oidc_flow' | 'tessera_oidc_grant'

/**
 * OpenID Connect rows on SQL. A single-use row is read, then deleted by id: only the caller
 * whose DELETE removed it (one affected row) gets it, so two callbacks racing on two
 * instances cannot both succeed, on any dialect (MySQL has no DELETE … RETURNING).
 */
export class SqlOidcStore implements OidcStore {
  readonly #db: Kysely<AuthTables>

  constructor(db: Kysely<AuthTables>) {
    this.#db = db
  }

  saveFlow(flow: OidcFlow): Promise<void> {
    return failClosed('oidc.saveFlow', async () => {
      await this.#db.insertInto('tessera_oidc_flow').values(toFlowRow(flow)).execute()
    })
  }

  takeFlow(id: string, now: number): Promise<OidcFlow | undefined> {
    return failClosed('oidc.takeFlow', async () => {
      const row = await this.#take('tessera_oidc_flow', id, now)
      return row && toFlow(row as OidcFlowTable)
    })
  }

  saveGrant(grant: OidcGrant): Promise<void> {
    return failClosed('oidc.saveGrant', async () => {
      const { id, userId, provider, appChallenge, credentialEpoch, expiresAt } = grant
      await this.#db
        .insertInto('tessera_oidc_grant')
        .values({
          id,
          user_id: userId,
          provider,
          app_challenge: appChallenge,
          credential_epoch: credentialEpoch,
          authenticated_at: grant.authenticatedAt,
          amr: JSON.stringify(grant.amr),
          acr: grant.acr,
          expires_at: expiresAt,
        })
        .execute()
    })
  }

  takeGrant(id: string, now: number): Promise<OidcGrant | undefined> {
    return failClosed('oidc.takeGrant', async () => {
      const row = (await this.#take('tessera_oidc_grant', id, now)) as OidcGrantTable | undefined
      if (row === undefined) return undefined
      return {
        id: row.id,
        userId: Number(row.user_id),
        appChallenge: row.app_challenge,
        credentialEpoch: Number(row.credential_epoch),
        expiresAt: Number(row.expires_at),
        ...toProof(row),
      }
    })
  }

  async #take(table: SingleUseTable, id: string, now: number) {
    const row = await this.#db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst()
    if (row === undefined) return undefined
    const deleted = await this.#db.deleteFrom(table).where('id', '=', id).executeTakeFirst()
    if (Number(deleted.numDeletedRows) !== 1) return undefined
    return Number(row.expires_at) > now ? row : undefined
  }

  findIdentity(provider: string, subject: string): Promise<OidcIdentity | undefined> {
    return failClosed('oidc.findIdentity', async () => {
      const row = await this.#db
        .selectFrom('tessera_oidc_identity')
        .selectAll()
        .where('provider', '=', provider)
        .where('subject', '=', subject)
        .executeTakeFirst()
      return row && toIdentity(row)
    })
  }

  linkIdentity(identity: OidcIdentity): Promise<'linked' | 'taken'> {
    const { provider, subject, userId, email, linkedAt } = identity
    return failClosed('oidc.linkIdentity', () =>
      orWhenTaken(async () => {
        await this.#db
          .insertInto('tessera_oidc_identity')
          .values({ provider, subject, user_id: userId, email, linked_at: linkedAt })
          .execute()
        return 'linked' as const
      }, 'taken' as const),
    )
  }

  listIdentities(userId: number): Promise<OidcIdentity[]> {
    return failClosed('oidc.listIdentities', async () => {
      const rows = await this.#db
        .selectFrom('tessera_oidc_identity')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('linked_at', 'desc')
        .execute()
      return rows.map(toIdentity)
    })
  }

  recordSignIn(signIn: OidcSignIn): Promise<void> {
    return failClosed('oidc.recordSignIn', async () => {
      await this.#db
        .insertInto('tessera_oidc_sign_in')
        .values({
          credential_id: signIn.credentialId,
          user_id: signIn.userId,
          provider: signIn.provider,
          authenticated_at: signIn.authenticatedAt,
          amr: JSON.stringify(signIn.amr),
          acr: signIn.acr,
        })
        .execute()
    })
  }

  findSignIn(credentialId: string): Promise<OidcSignIn | undefined> {
    return failClosed('oidc.findSignIn', async () => {
      const row = await this.#db
        .selectFrom('tessera_oidc_sign_in')
        .selectAll()
        .where('credential_id', '=', credentialId)
        .executeTakeFirst()
      return row && { credentialId: row.credential_id, userId: Number(row.user_id), ...toProof(row) }
    })
  }

  deleteExpired(now: number): Promise<number> {
    return failClosed('oidc.deleteExpired', async () => {
      let count = 0
      for (const table of ['tessera_oidc_flow', 'tessera_oidc_grant'] as const) {
        const result = await this.#db.deleteFrom(table).where('expires_at', '<=', now).executeTakeFirst()
        count += Number(result.numDeletedRows)
      }
      return count
    })
  }
}

function toFlowRow(flow: OidcFlow): OidcFlowTable {
  return {
    id: flow.id,
    provider: flow.provider,
    nonce: flow.nonce,
    code_verifier: flow.codeVerifier,
    browser_hash: flow.browserHash,
    mode: flow.mode,
    return_to: flow.returnTo,
    app_challenge: flow.appChallenge,
    max_age: flow.maxAge,
    expires_at: flow.expiresAt,
  }
}

function toFlow(row: OidcFlowTable): OidcFlow {
  return {
    id: row.id,
    provider: row.provider,
    nonce: row.nonce,
    codeVerifier: row.code_verifier,
    browserHash: row.browser_hash,
    mode: row.mode === 'mobile' ? 'mobile' : 'web',
    returnTo: row.return_to,
    appChallenge: row.app_challenge,
    maxAge: row.max_age === null ? null : Number(row.max_age),
    expiresAt: Number(row.expires_at),
  }
}

function toProof(row: Pick<OidcSignInTable, 'provider' | 'authenticated_at' | 'amr' | 'acr'>) {
  return {
    provider: row.provider,
    authenticatedAt: Number(row.authenticated_at),
    amr: JSON.parse(row.amr) as string[],
    acr: row.acr,
  }
}

function toIdentity(row: AuthTables['tessera_oidc_identity']): OidcIdentity {
  return {
    provider: row.provider,
    subject: row.subject,
    userId: Number(row.user_id),
    email: row.email,
    linkedAt: Number(row.linked_at),
  }
}
