import type { FastifyInstance } from 'fastify'
import {
  API_CONTENT_SECURITY_POLICY,
  appContentSecurityPolicy,
  DOCS_CONTENT_SECURITY_POLICY,
} from './content-security-policy.ts'

export interface ResponseHeaderOptions {
  /** The public origin is https: send HSTS. */
  https: boolean
  /** The CSP of pages and their assets; default the app's strict policy for a same-origin API. */
  appPolicy?: string
}

function isUnder(url: string, prefix: string): boolean {
  return url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`)
}

function policyFor(url: string, appPolicy: string): string {
  if (isUnder(url, '/api') || isUnder(url, '/auth')) return API_CONTENT_SECURITY_POLICY
  if (isUnder(url, '/docs')) return DOCS_CONTENT_SECURITY_POLICY
  return appPolicy
}

/**
 * Headers on every response, errors and 404s included (onSend runs for all of them): a CSP
 * chosen by path (see content-security-policy.ts), `nosniff`, no referrer, HSTS on https.
 * A route that sets its own CSP (the avatar) keeps it.
 */
export function addResponseHeaders(
  app: FastifyInstance,
  options: ResponseHeaderOptions = { https: false },
): void {
  const appPolicy = options.appPolicy ?? appContentSecurityPolicy()
  app.addHook('onSend', async (request, reply, payload) => {
    // Only meaningful (and only honoured by browsers) over https: two years, as the OWASP HSTS Cheat Sheet suggests.
    if (options.https) reply.header('strict-transport-security', 'max-age=63072000; includeSubDomains')
    reply.header('x-content-type-options', 'nosniff')
    reply.header('referrer-policy', 'no-referrer')
    if (!reply.hasHeader('content-security-policy'))
      reply.header('content-security-policy', policyFor(request.url, appPolicy))
    // API answers are per-user data: no shared or browser cache may keep them (DESIGN §5).
    if (isUnder(request.url, '/api')) reply.header('cache-control', 'no-store')
    return payload
  })
}
