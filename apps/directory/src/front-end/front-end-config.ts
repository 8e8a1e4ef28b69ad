import { fileURLToPath } from 'node:url'
import type { InlineConfig } from 'vite'
import { underscoreTemplates } from './underscore-templates.ts'

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url))

/** The two front-ends: the SPA served at `/`, the mobile client at `/m/` on its own origin. */
export const FRONT_ENDS = {
  web: { root: path('../../web/'), base: '/' },
  mobile: { root: path('../../mobile/'), base: '/m/' },
} as const

export type FrontEndName = keyof typeof FRONT_ENDS

const CLIENT_SRC = path('../../../../packages/client/src/')

/**
 * Vite's settings for one front-end. `@tessera/client` resolves to its TypeScript sources
 * (its exports name a built `dist/` that would need a separate build). jQuery is the slim
 * build: Backbone's only use of `$.ajax` is replaced by the Tessera adapter. Assets are never
 * inlined and no module-preload polyfill is injected, so the pages run under a CSP without
 * 'unsafe-inline'.
 */
export function frontEndConfig(name: FrontEndName, outDir: string): InlineConfig {
  const { root, base } = FRONT_ENDS[name]
  return {
    configFile: false,
    envDir: false,
    root,
    base,
    publicDir: false,
    logLevel: 'warn',
    plugins: [underscoreTemplates()],
    resolve: {
      alias: [
        { find: /^@tessera\/client$/, replacement: `${CLIENT_SRC}index.ts` },
        { find: /^@tessera\/client\/backbone$/, replacement: `${CLIENT_SRC}backbone.ts` },
        { find: /^jquery$/, replacement: 'jquery/slim' },
      ],
    },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      reportCompressedSize: false,
      chunkSizeWarningLimit: 1024,
    },
  }
}
