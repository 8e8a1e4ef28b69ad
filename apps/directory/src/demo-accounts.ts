import { randomBytes } from 'node:crypto'
import { ProblemError, type Tessera } from '@tessera/server'

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
  const existing = await tessera.listUsers({ limit: 1, offset: 0 })
  if (existing.length > 0) return []
  const created: DemoAccount[] = []
  for (const account of ACCOUNTS) {
    const password = randomBytes(15).toString('base64url')
    try {
      await tessera.register({ ...account, password, emailVerified: true }, { via: 'demo' })
    } catch (error) {
      if (error instanceof ProblemError && error.code === 'email_taken') continue
      throw error
    }
    created.push({ ...account, password })
  }
  return created
}
