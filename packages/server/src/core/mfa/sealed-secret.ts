import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { MasterSecrets } from '../secrets.ts'

const PURPOSE = 'totp-seed'

/**
 * A TOTP seed at rest: AES-256-GCM under a key derived from the master secret, bound to the
 * user (additional data), prefixed with the master's id so a rotated master still opens it.
 */
export function sealSecret(secrets: MasterSecrets, userId: number, plain: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', secrets.derive(PURPOSE), iv)
  cipher.setAAD(Buffer.from(String(userId)))
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return `${secrets.currentId}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`
}

/** The seed, or undefined when it was sealed for another user or under a master no longer known. */
export function openSecret(secrets: MasterSecrets, userId: number, sealed: string): string | undefined {
  const [masterId, data] = sealed.split('.')
  if (masterId === undefined || data === undefined || !secrets.has(masterId)) return undefined
  const bytes = Buffer.from(data, 'base64url')
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      secrets.derive(PURPOSE, '', masterId),
      bytes.subarray(0, 12),
    )
    decipher.setAAD(Buffer.from(String(userId)))
    decipher.setAuthTag(bytes.subarray(12, 28))
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8')
  } catch {
    return undefined
  }
}
