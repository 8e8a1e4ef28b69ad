import { problemErrorHandler, problemNotFoundHandler } from '@tessera/server/fastify-problems'
import Fastify, { type FastifyInstance } from 'fastify'
import type { LogLevel } from './config.ts'
import { appContentSecurityPolicy } from './content-security-policy.ts'
import { addResponseHeaders } from './http-headers.ts'
import { DEFAULT_HTTP_TIMEOUTS, fastifyTimeoutOptions, type HttpTimeouts } from './http-timeouts.ts'
import { registerFrontEnd } from './serve-front-end.ts'

export interface MobileAppOptions {
  /** The mobile client's Vite build. */
  dir: string
  /** The API it calls cross-origin, e.g. `http://127.0.0.1:3000`. */
  apiOrigin: string
  logger?: false
  logLevel?: LogLevel
  /** Bounds for slow clients, as on the API's port (default DEFAULT_HTTP_TIMEOUTS). */
  timeouts?: HttpTimeouts
}

/** The empty meta tag in `mobile/index.html` that receives the API's origin. */
const API_META = '<meta name="tessera-api-origin" content="">'

function withApiOrigin(html: string, apiOrigin: string): string {
  if (!html.includes(API_META)) throw new Error('mobile index.html has no tessera-api-origin meta tag')
  // An origin has no quotes or angle brackets (canonicalised by Tessera); escape anyway.
  const escaped = apiOrigin.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  return html.replace(API_META, `<meta name="tessera-api-origin" content="${escaped}">`)
}

/**
 * The mobile client's own origin (a second port in development): the page at `/m/`, its
 * assets, and nothing else. It is a static site like a PhoneGap/Capacitor bundle; every
 * API call goes cross-origin, signed, through CORS, which the CSP's connect-src allows.
 */
export async function buildMobileApp(options: MobileAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: options.logLevel ?? 'info' },
    ...fastifyTimeoutOptions(options.timeouts ?? DEFAULT_HTTP_TIMEOUTS),
  })
  app.setErrorHandler(problemErrorHandler)
  app.setNotFoundHandler(problemNotFoundHandler)
  addResponseHeaders(app, {
    https: options.apiOrigin.startsWith('https:'),
    appPolicy: appContentSecurityPolicy(options.apiOrigin),
  })
  await registerFrontEnd(app, {
    dir: options.dir,
    base: '/m/',
    page: (html) => withApiOrigin(html, options.apiOrigin),
  })
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/m/'))
  return app
}
