import { PasswordHasher, type Stores, type UserRecord } from '@tessera/server'
import { createSqlStores } from '@tessera/server/sql'
import type { RunningDirectory } from '../../src/start-directory.ts'

/**
 * The running directory's auth tables through Tessera's public SQL stores, for what the verbs do
 * not offer (a user written without a registration mail, a device binding). No nonce journal, so
 * the view opens no file beside the database; never closed, since that would close the
 * directory's own database.
 */
export function authTables(running: RunningDirectory): Stores {
  return createSqlStores(running.database, { nonceJournal: false })
}

// The directory hashes with the default parameters too; a login verifies either way.
const hasher = new PasswordHasher()

/** A user with a verified address and a password, written directly: registering would send a mail. */
export async function addVerifiedUser(
  running: RunningDirectory,
  who: { email: string; password: string; name: string },
): Promise<UserRecord> {
  const created = await authTables(running).users.create(
    {
      email: who.email,
      emailKey: who.email,
      name: who.name,
      role: 'user',
      passwordHash: await hasher.hash(who.password),
      emailVerifiedAt: Date.now(),
    },
    Date.now(),
  )
  if (created === 'email_taken') throw new Error(`${who.email} already has an account`)
  return created
}
