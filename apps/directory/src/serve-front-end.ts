import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

export interface FrontEndOptions {
  /** A Vite build: `index.html` and `assets/`. */
  dir: string
  /** Where the page is served: `/` (web app) or `/m/` (mobile client). */
  base: string
  /** Rewrites the page once at start (the mobile client learns the API's origin this way). */
  page?: (html: string) => string
}

/**
 * Serves a built front-end: the page at `base`, revalidated on every visit, and the hashed
 * files under `base/assets/`, cached for a year. Only files present at start are routes
 * (`wildcard: false`): anything else is the app's problem+json 404.
 */
export async function registerFrontEnd(app: FastifyInstance, options: FrontEndOptions): Promise<void> {
  const raw = await readFile(join(options.dir, 'index.html'), 'utf8')
  const html = options.page === undefined ? raw : options.page(raw)
  await app.register(fastifyStatic, {
    root: join(options.dir, 'assets'),
    prefix: `${options.base}assets/`,
    wildcard: false,
    index: false,
    decorateReply: false,
    schemaHide: true,
    cacheControl: false,
    setHeaders: (reply) => reply.header('cache-control', 'public, max-age=31536000, immutable'),
  })
  app.get(options.base, { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html),
  )
}
