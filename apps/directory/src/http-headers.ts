import type { FastifyInstance } from 'fastify'

/**
 * Headers on every response, errors and 404s included (onSend runs for all of them).
 * The CSP only forbids framing for now; the SPA will bring a strict one. A route that sets its
 * own CSP (the avatar) keeps it.
 */
export function addResponseHeaders(
  app: FastifyInstance,
  options: { https: boolean } = { https: false },
): void {
  app.addHook('onSend', async (request, reply, payload) => {
    // Only meaningful (and only honoured by browsers) over https: two years, as the OWASP HSTS Cheat Sheet suggests.
    if (options.https) reply.header('strict-transport-security', 'max-age=63072000; includeSubDomains')
    reply.header('x-content-type-options', 'nosniff')
    reply.header('referrer-policy', 'no-referrer')
    if (!reply.hasHeader('content-security-policy'))
      reply.header('content-security-policy', "frame-ancestors 'none'")
    // API answers are per-user data: no shared or browser cache may keep them (DESIGN §5).
    if (request.url === '/api' || request.url.startsWith('/api/')) reply.header('cache-control', 'no-store')
    return payload
  })
}
