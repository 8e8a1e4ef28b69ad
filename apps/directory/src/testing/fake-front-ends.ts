import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FrontEnds } from '../front-end/build-front-ends.ts'

/** Folders shaped like the two Vite builds (a page and one asset each), for tests that serve them without building. */
export async function fakeFrontEnds(root: string): Promise<FrontEnds> {
  const made: FrontEnds = { web: join(root, 'web'), mobile: join(root, 'mobile') }
  for (const [name, dir] of Object.entries(made)) {
    const base = name === 'web' ? '/' : '/m/'
    await mkdir(join(dir, 'assets'), { recursive: true })
    const meta = name === 'mobile' ? '<meta name="tessera-api-origin" content="">' : ''
    await writeFile(
      join(dir, 'index.html'),
      `<!doctype html><title>${name}</title>${meta}<script type="module" src="${base}assets/app-1.js"></script>`,
    )
    await writeFile(join(dir, 'assets', 'app-1.js'), `document.title = ${JSON.stringify(name)}\n`)
  }
  return made
}
