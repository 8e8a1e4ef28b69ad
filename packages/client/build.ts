import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = dirname(fileURLToPath(import.meta.url))

/** The bundles: the core SDK, the Backbone adapter and the opt-in text key stores, each standalone. */
export const ENTRIES = {
  index: 'src/index.ts',
  backbone: 'src/backbone.ts',
  'text-stores': 'src/text-stores.ts',
} as const

export interface BundleSize {
  name: keyof typeof ENTRIES
  file: string
  minified: number
  gzipped: number
}

/**
 * Builds `bundle/*.js` (standalone ESM, minified, for browsers) and answers each bundle's min
 * and min+gzip size. Not published: apps' bundlers bundle the package's `dist/` modules.
 */
export async function buildClient(): Promise<BundleSize[]> {
  await build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir: 'bundle',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  })
  const sizes: BundleSize[] = []
  for (const name of Object.keys(ENTRIES) as Array<keyof typeof ENTRIES>) {
    const file = join(root, 'bundle', `${name}.js`)
    const bytes = await readFile(file)
    sizes.push({ name, file, minified: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length })
  }
  return sizes
}

if (import.meta.main) {
  for (const size of await buildClient()) {
    const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`
    console.log(`bundle/${size.name}.js  ${kb(size.minified)} min  ${kb(size.gzipped)} min+gzip`)
  }
}
