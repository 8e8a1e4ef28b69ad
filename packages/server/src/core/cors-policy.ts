import type { TesseraConfig } from './config.ts'

/**
 * What cross-origin callers may do (DESIGN §6 CORS): an exact origin allowlist, never `*`
 * and never with credentials (signed requests carry no ambient credential, and the session
 * SPA is same-origin); the signature, digest and CSRF headers allowed; `Date` exposed so a
 * client can correct its clock. Adapters hand this to @fastify/cors or cors.
 */
export interface CorsPolicy {
  origins: readonly string[]
  methods: readonly string[]
  allowedHeaders: readonly string[]
  exposedHeaders: readonly string[]
  credentials: false
  maxAgeSeconds: number
}

export function corsPolicy(config: TesseraConfig): CorsPolicy {
  return Object.freeze({
    origins: Object.freeze([...config.corsOrigins]),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['content-type', 'content-digest', 'signature', 'signature-input', 'x-csrf-token'],
    exposedHeaders: ['date', 'retry-after', 'www-authenticate', 'location'],
    credentials: false,
    maxAgeSeconds: 600,
  })
}
