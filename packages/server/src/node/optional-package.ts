import { createRequire } from 'node:module'
import { TesseraConfigError } from '../core/config-error.ts'

// Resolved from this file, so the app's own node_modules answers, as for any peer dependency.
const require = createRequire(import.meta.url)

/**
 * Loads an optional peer dependency (a database driver, ioredis, framework glue) the first
 * time the configuration needs it, so an app installs only what it uses. Synchronous on
 * purpose: `openDatabase` and the adapters stay synchronous. A missing package fails with one
 * line naming the setting that asked for it and the install command.
 */
export function requireOptional<T>(name: string, neededBecause: string): T {
  try {
    return require(name) as T
  } catch (error) {
    if (isMissing(error, name)) {
      throw new TesseraConfigError(
        `Tessera: ${neededBecause} but the "${name}" package is not installed. Run: npm i ${name}`,
      )
    }
    throw error
  }
}

/** Only the package itself missing; a broken install of one of its own dependencies is reported as it is. */
function isMissing(error: unknown, name: string): boolean {
  const { code, message } = error as NodeJS.ErrnoException
  return code === 'MODULE_NOT_FOUND' && message.startsWith(`Cannot find module '${name}'`)
}
