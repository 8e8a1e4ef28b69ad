import type { Server } from 'node:http'
import type { FastifyHttpOptions } from 'fastify'

/**
 * How long the server waits for slow clients, in milliseconds. Fastify (unlike Node's own
 * `http.Server`) disables the request timeout by default, so a client that sends headers and
 * then stalls its body held a socket and a parser forever; these bounds free it.
 */
export interface HttpTimeouts {
  /** The whole request, headers and body, must have arrived within this (Node `requestTimeout`). */
  requestMs: number
  /** The headers must have arrived within this (Node `headersTimeout`); at most `requestMs`. */
  headersMs: number
  /**
   * A socket that neither sends nor receives for this long is closed, whatever the request's
   * state: a stalled body ends here first. Must exceed the slowest handler (Fastify `connectionTimeout`).
   */
  idleMs: number
  /** An idle keep-alive connection between requests is closed after this (Node `keepAliveTimeout`). */
  keepAliveMs: number
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = Object.freeze({
  requestMs: 30_000,
  headersMs: 10_000,
  idleMs: 15_000,
  // Fastify's default: longer than the 60 s idle timeout of common proxies and load balancers,
  // so the proxy, not the app, closes an idle upstream connection (no request lost in a race).
  keepAliveMs: 72_000,
})

/**
 * The Fastify options for the bounds. Node checks the request and headers timeouts every
 * `connectionsCheckingInterval` (default 30 s, which would double a 30 s bound); once a second
 * keeps them within a second of what they say, and proportionally for the small bounds of tests.
 */
export function fastifyTimeoutOptions(t: HttpTimeouts): FastifyHttpOptions<Server> {
  return {
    requestTimeout: t.requestMs,
    connectionTimeout: t.idleMs,
    keepAliveTimeout: t.keepAliveMs,
    http: {
      headersTimeout: t.headersMs,
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(t.headersMs / 4))),
    },
  }
}
