import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto'
import {
  createTessera,
  PasswordHasher,
  type Role,
  type Stores,
  type Tessera,
  type UserRecord,
} from '@tessera/server'
import { openDatabase } from '@tessera/server/db'
import { createSqlStores } from '@tessera/server/sql'

export interface MintedSession {
  id: string
  cookie: string
  csrf: string
}

export interface MintedKey {
  id: string
  key: KeyObject
}

/**
 * Users, sessions and keys written straight into the instances' database, exactly as the login
 * endpoint writes them, but without the Argon2 work of a login: the revocation rounds need
 * hundreds of fresh credentials, and what they test is what happens after issuance.
 */
export class CredentialMint {
  readonly #tessera: Tessera
  /** The mint's own stores on the instances' database: users are written there directly. */
  readonly #stores: Stores
  readonly #hasher = new PasswordHasher()

  private constructor(tessera: Tessera, stores: Stores) {
    this.#tessera = tessera
    this.#stores = stores
  }

  /** On the database at `url` (already migrated by an instance), with the instances' secret and origin. */
  static open(url: string, secret: string, publicOrigin: string): CredentialMint {
    const stores = createSqlStores(openDatabase(url))
    return new CredentialMint(createTessera({ stores, secret, publicOrigin, sweepIntervalMs: 0 }), stores)
  }

  /** Written to the store directly (the public `register` would hash a password every time). */
  async user(role: Role = 'user', password?: string): Promise<UserRecord> {
    const email = `rev-${randomBytes(6).toString('hex')}@example.com`
    const passwordHash = password === undefined ? 'not a hash' : await this.#hasher.hash(password)
    const user = await this.#stores.users.create(
      { email, emailKey: email, name: 'Revocation Round', role, passwordHash },
      Date.now(),
    )
    if (user === 'email_taken') throw new Error('a random email was taken')
    return user
  }

  /** As stored now: a round's password or role change moves the user's credential epoch. */
  async #current(user: UserRecord): Promise<UserRecord> {
    const found = await this.#tessera.findUser(user.id)
    if (found === undefined) throw new Error(`user ${user.id} is gone`)
    return found
  }

  async session(user: UserRecord): Promise<MintedSession> {
    const issued = await this.#tessera.issueSession(await this.#current(user), { label: 'minted' })
    const cookie = `${issued.cookie.name}=${issued.cookie.value}`
    return { id: issued.credentialId, cookie, csrf: issued.csrfToken }
  }

  async key(user: UserRecord): Promise<MintedKey> {
    const issued = await this.#tessera.issueKey(await this.#current(user), { label: 'minted' })
    return { id: issued.id, key: createSecretKey(Buffer.from(issued.secret as string, 'base64url')) }
  }

  close(): Promise<void> {
    return this.#tessera.close()
  }
}
