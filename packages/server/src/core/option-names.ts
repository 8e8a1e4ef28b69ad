/** Option names createTessera() accepts: a misspelt or unknown one fails at start instead of being ignored. */
import type { TesseraOptions } from './config.ts'
import { TesseraConfigError } from './config-error.ts'

/** Every option's name; typed so that adding an option to TesseraOptions without listing it here fails the type check. */
const OPTION_NAMES: Record<keyof TesseraOptions, true> = {
  stores: true,
  secret: true,
  previousSecrets: true,
  publicOrigin: true,
  alsoOrigins: true,
  allowInsecureHttp: true,
  credentialCache: true,
  sweepIntervalMs: true,
  corsOrigins: true,
  openRegistration: true,
  session: true,
  keys: true,
  maxSkewSeconds: true,
  maxFutureSkewSeconds: true,
  throttle: true,
  passwordHashing: true,
  dbsc: true,
  appName: true,
  emailVerification: true,
  mailLimits: true,
  mailer: true,
  mfaRequiredRoles: true,
  passkeys: true,
  onSecondFactorReset: true,
  oidc: true,
  logger: true,
  now: true,
}

const REQUIRED: Record<'stores' | 'secret' | 'publicOrigin', string> = {
  stores: 'pass the stores, e.g. createSqlStores(database) from @tessera/server/sql',
  secret: 'pass TESSERA_SECRET, at least 32 random bytes as hex (openssl rand -hex 32)',
  publicOrigin: 'pass the origin users reach, e.g. https://app.example.com',
}

/** A misspelt option would otherwise be ignored silently and its default used: refuse it. */
export function checkOptionNames(options: TesseraOptions): void {
  for (const name of Object.keys(options)) {
    if (name in OPTION_NAMES) continue
    const near = Object.keys(OPTION_NAMES).find((known) => editDistance(known, name) <= 2)
    throw new TesseraConfigError(
      `Tessera: createTessera() has no option "${name}"${near ? `; did you mean "${near}"?` : ''} (the options are listed in TesseraOptions)`,
    )
  }
  checkNestedNames(options.session, ['idleMs', 'absoluteMs'], 'session')
  checkNestedNames(options.keys, ['idleMs', 'absoluteMs', 'rotationOverlapMs'], 'keys')
  checkNestedNames(options.credentialCache || undefined, ['ttlMs'], 'credentialCache')
  for (const [name, what] of Object.entries(REQUIRED)) {
    const value = options[name as keyof typeof REQUIRED]
    if (value === undefined || value === null || value === '')
      throw new TesseraConfigError(`Tessera: createTessera() option "${name}" is missing: ${what}`)
  }
}

function checkNestedNames(given: object | undefined, known: string[], parent: string): void {
  const unknown = Object.keys(given ?? {}).find((name) => !known.includes(name))
  if (unknown !== undefined)
    throw new TesseraConfigError(
      `Tessera: createTessera() has no option "${parent}.${unknown}"; ${parent} takes ${known.join(', ')}`,
    )
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1
      row[j] = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost)
    }
    previous = row
  }
  return previous[b.length] ?? 0
}
