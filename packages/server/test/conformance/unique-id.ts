import { randomBytes } from 'node:crypto'

/** A fresh name per test (`prefix_3f9a…`), so tests sharing one database never see each other's rows. */
export function uniqueId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`
}
