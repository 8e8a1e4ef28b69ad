import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { TesseraConfigError } from '../core/config-error.ts'
import { MasterSecrets, parseSecret } from '../core/secrets.ts'

export interface MasterSecretSource {
  /** TESSERA_SECRET: required in production. */
  secret?: string | undefined
  /** TESSERA_PREVIOUS_SECRETS: comma-separated earlier secrets kept during a rotation. */
  previous?: string | undefined
  /** Where a development secret is generated and kept when TESSERA_SECRET is unset. */
  file: string
  production: boolean
}

/**
 * The master secret from the environment; in development, generated once into a
 * file only its owner can read (mode 0600) and reused, so restarts keep keys and
 * CSRF tokens valid. Production without TESSERA_SECRET refuses to start.
 */
export function loadMasterSecrets(source: MasterSecretSource): MasterSecrets {
  const previous = (source.previous ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => fromEnvironment(s, 'TESSERA_PREVIOUS_SECRETS'))
  if (source.secret) return new MasterSecrets(fromEnvironment(source.secret, 'TESSERA_SECRET'), previous)
  if (source.production)
    throw new TesseraConfigError(
      'Tessera: TESSERA_SECRET is required in production (64 hex digits: `openssl rand -hex 32`)',
    )
  return new MasterSecrets(readOrCreate(source.file), previous)
}

function fromEnvironment(value: string, variable: string): Buffer {
  try {
    return parseSecret(value)
  } catch (error) {
    throw new TesseraConfigError(
      `Tessera: ${variable}: ${(error as Error).message}; make one with: openssl rand -hex 32`,
    )
  }
}

function readOrCreate(file: string): Buffer {
  try {
    return parseSecret(readFileSync(file, 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  mkdirSync(dirname(file), { recursive: true })
  const secret = randomBytes(32)
  // 'wx' fails if another process created it first; then read theirs.
  try {
    writeFileSync(file, `${secret.toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
    return secret
  } catch {
    return parseSecret(readFileSync(file, 'utf8'))
  }
}
