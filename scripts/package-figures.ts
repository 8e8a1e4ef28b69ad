import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { cleanEnv, npmCommand, packPackages } from './pack-packages.ts'

/**
 * `node scripts/package-figures.ts`: the figures docs/benchmarks.md quotes for the published
 * packages, measured the way a user meets them: install size and package count of
 * @tessera/server from its tarball in an empty folder (SQLite only; PostgreSQL + Redis), the
 * time to import it, and each client entry's min+gzip size when an app bundles it.
 */
const RUNS = 9

function bytesUnder(dir: string): number {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) total += bytesUnder(path)
    else if (entry.isFile()) total += statSync(path).size
  }
  return total
}

function install(dir: string, specs: string[]): { bytes: number; packages: number } {
  mkdirSync(dir)
  writeFileSync(join(dir, 'package.json'), '{"private":true,"type":"module"}\n')
  const npm = npmCommand()
  execFileSync(
    npm.file,
    [...npm.prefix, 'install', '--prefer-offline', '--no-audit', '--no-fund', ...specs],
    {
      cwd: dir,
      env: cleanEnv(),
      stdio: 'ignore',
    },
  )
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'))
  return { bytes: bytesUnder(join(dir, 'node_modules')), packages: Object.keys(lock.packages).length - 1 }
}

function medianImportMs(dir: string, code: string): number {
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint()
    spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: dir, env: cleanEnv() })
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] as number
}

async function clientSize(dir: string, specifier: string): Promise<{ min: number; gzip: number }> {
  const entry = join(dir, 'entry.mjs')
  writeFileSync(entry, `export * from '${specifier}'\n`)
  const result = await build({
    absWorkingDir: dir,
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0]?.contents ?? new Uint8Array()
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length }
}

const root = mkdtempSync(join(tmpdir(), 'tessera-figures-'))
try {
  const tarballs = await packPackages(root)
  const server = tarballs['@tessera/server']
  const sqlite = install(join(root, 'sqlite'), [server])
  const scaled = install(join(root, 'pg-redis'), [server, 'pg', 'ioredis'])
  install(join(root, 'client'), [tarballs['@tessera/client']])
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`
  const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`
  console.log(`| @tessera/server install | size on disk | packages |\n|---|---:|---:|`)
  console.log(`| SQLite only (\`npm i @tessera/server\`) | ${mb(sqlite.bytes)} | ${sqlite.packages} |`)
  console.log(
    `| PostgreSQL + Redis (\`npm i @tessera/server pg ioredis\`) | ${mb(scaled.bytes)} | ${scaled.packages} |`,
  )
  const bare = medianImportMs(join(root, 'sqlite'), '0')
  const main = medianImportMs(join(root, 'sqlite'), "await import('@tessera/server')")
  console.log(`\nnode -e "await import('@tessera/server')": median of ${RUNS}: ${main.toFixed(0)} ms`)
  console.log(`(node -e "0" alone: ${bare.toFixed(0)} ms; Node ${process.version})\n`)
  console.log(
    '| @tessera/client entry, bundled by esbuild for the browser | min | min+gzip |\n|---|---:|---:|',
  )
  for (const entry of ['@tessera/client', '@tessera/client/backbone', '@tessera/client/text-stores']) {
    const size = await clientSize(join(root, 'client'), entry)
    console.log(`| \`${entry}\` | ${kb(size.min)} | ${kb(size.gzip)} |`)
  }
} finally {
  rmSync(root, { recursive: true, force: true })
}
