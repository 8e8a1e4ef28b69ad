import { randomBytes } from 'node:crypto'
import { emailKey, type Tessera } from '@tessera/server'

export interface DemoAccount {
  email: string
  name: string
  role: 'admin' | 'user'
  password: string
}

const ACCOUNTS = [
  { email: 'admin@directory.example', name: 'Ada Admin', role: 'admin' },
  { email: 'user@directory.example', name: 'Uma User', role: 'user' },
] as const

/**
 * On a database without users, one admin and one user with generated passwords
 * (no fixed default passwords: OWASP ASVS 5.0 V6.3.2); answered once so `npm start`
 * can print them, never stored in clear anywhere.
 */
export async function createDemoAccounts(tessera: Tessera): Promise<DemoAccount[]> {
  const existing = await tessera.stores.users.list({ limit: 1, offset: 0 })
  if (existing.length > 0) return []
  const created: DemoAccount[] = []
  for (const account of ACCOUNTS) {
    const password = randomBytes(15).toString('base64url')
    const passwordHash = await tessera.hasher.hash(password)
    const user = await tessera.stores.users.create(
      { ...account, emailKey: emailKey(account.email), passwordHash, emailVerifiedAt: tessera.now() },
      tessera.now(),
    )
    if (user === 'email_taken') continue
    await tessera.audit.record('user_created', {
      userId: user.id,
      detail: { via: 'demo', role: account.role },
    })
    created.push({ ...account, password })
  }
  return created
}
