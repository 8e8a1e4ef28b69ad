import type { TesseraConfig } from './config.ts'

/**
 * What cross-origin callers may do (DESIGN §6 CORS): an exact origin allowlist, never `*`
 * and never with credentials (signed requests carry no ambient credential, and the session
 * SPA is same-origin); the signature, digest and CSRF headers allowed; `Date` exposed so a
 * client can correct its clock. The option names are those @fastify/cors and cors share, so
 * adapters pass the object as it is.
 */
export interface CorsOptions {
  origin: string[]
  methods: string[]
  allowedHeaders: string[]
  exposedHeaders: string[]
  credentials: false
  /** Seconds a browser may cache a preflight answer. */
  maxAge: number
}

export function corsOptions(config: TesseraConfig): CorsOptions {
  return {
    origin: [...config.corsOrigins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['content-type', 'content-digest', 'signature', 'signature-input', 'x-csrf-token'],
    exposedHeaders: ['date', 'retry-after', 'www-authenticate', 'location'],
    credentials: false,
    maxAge: 600,
  }
}
