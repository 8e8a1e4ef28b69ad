import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { cleanEnv, PACKAGES, packPackages, REPO_ROOT } from './pack-packages.ts'

const run = promisify(execFile)

/**
 * `npm run check:packages`: packs both packages once, then lints each tarball with publint
 * (strict: warnings fail too) and checks its types with Are the Types Wrong (ESM-only
 * profile: the packages publish no CommonJS). Exits non-zero on any finding.
 */
async function checkPackages(): Promise<number> {
  const destination = mkdtempSync(join(tmpdir(), 'tessera-check-'))
  try {
    const tarballs = await packPackages(destination)
    let failures = 0
    for (const name of PACKAGES) {
      const tarball = readFileSync(tarballs[name])
      const { messages: all, pkg } = await publint({
        pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.length) },
        level: 'suggestion',
        strict: true,
      })
      const messages = all.filter((message) => !isSourceCondition(message))
      for (const message of messages)
        console.error(`publint ${name}: ${formatMessage(message, pkg, { color: false })}`)
      failures += messages.length
      try {
        await run(
          join(REPO_ROOT, 'node_modules/.bin/attw'),
          [tarballs[name], '--profile', 'esm-only', '--format', 'ascii'],
          {
            env: cleanEnv(),
            timeout: 120_000,
          },
        )
      } catch (error) {
        console.error(`attw ${name}:\n${(error as { stdout?: string }).stdout ?? error}`)
        failures++
      }
      console.log(`${name}: publint ${messages.length === 0 ? 'clean' : 'FAILED'}, attw checked`)
    }
    return failures === 0 ? 0 : 1
  } finally {
    rmSync(destination, { recursive: true, force: true })
  }
}

/**
 * The `@tessera/source` condition maps each export to its TypeScript source for this
 * repository's own scripts (`--conditions=@tessera/source`); the tarball has no `src/`, and no
 * tool sets that scoped name, so publint's "file does not exist" for it is expected.
 */
function isSourceCondition(message: { code: string; path: string[] }): boolean {
  return message.code === 'FILE_DOES_NOT_EXIST' && message.path.includes('@tessera/source')
}

process.exitCode = await checkPackages()
