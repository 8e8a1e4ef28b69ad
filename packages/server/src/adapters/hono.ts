import { type Context, type ErrorHandler, Hono, type MiddlewareHandler, type NotFoundHandler } from 'hono'
import { cors } from 'hono/cors'
import { HTTPException } from 'hono/http-exception'
import { serializeCookie } from '../core/cookies.ts'
import { corsOptions } from '../core/cors-policy.ts'
import { AUTH_ENDPOINTS, type Endpoint, type EndpointResult } from '../core/endpoints/index.ts'
import { runEndpoint } from '../core/endpoints/run-endpoint.ts'
import { type ErrorCode, ProblemError, StoreUnavailableError, toProblem } from '../core/errors.ts'
import { internals } from '../core/internals.ts'
import { guardRequest } from '../core/route-guard.ts'
import { checkGuardOptions, type GuardOptions } from '../core/step-up.ts'
import type { Tessera } from '../core/tessera.ts'
import type { RequestView, Role } from '../core/types.ts'
import { honoJsonBody, type TesseraHonoEnv } from './hono-json-body.ts'
import { clientIp, nodeIncomingOf, type TrustProxy, trustFunction, webRequestView } from './web-request.ts'

export type { TesseraHonoEnv, TesseraVariables } from './hono-json-body.ts'
export type { TrustProxy } from './web-request.ts'

export interface TesseraHonoOptions {
  tessera: Tessera
  /** Largest accepted JSON body (default 64 KiB). */
  bodyLimit?: number
  /** Which proxies' `X-Forwarded-For` to believe for the client IP (default none). */
  trustProxy?: TrustProxy
  /**
   * The peer's address where the runtime is not Node (e.g. `getConnInfo(c).remote.address`
   * from `hono/bun` or `hono/deno`); on @hono/node-server it is read from the socket.
   */
  peerAddress?: (c: Context) => string | undefined
}

export interface TesseraHono {
  /** Serves `/auth/*`; mount with `app.route('/', t.routes)`. */
  routes: Hono<TesseraHonoEnv>
  /** JSON body reader that keeps the raw bytes for signatures; use it on your API routes. */
  json: MiddlewareHandler<TesseraHonoEnv>
  /** The role guard: `app.get(path, t.authorize('user'), handler)`; sets `c.get('auth')`. */
  authorize(role: Role, options?: GuardOptions): MiddlewareHandler<TesseraHonoEnv>
  /** CORS for the configured origins (hono/cors); mount first. */
  cors: MiddlewareHandler
  /** Answers unknown routes as problem+json `not_found`: `app.notFound(t.notFound)`. */
  notFound: NotFoundHandler
  /** Renders every error as problem+json: `app.onError(t.onError)`. */
  onError: ErrorHandler
}

/** Seconds a client should wait after a store outage before retrying. */
const OUTAGE_RETRY_AFTER_SECONDS = 5

/** Hono's own client-side failures (its HTTPException), by status; other 4xx are invalid input. */
const HONO_STATUSES = new Map<number, ErrorCode>([
  [404, 'not_found'],
  [405, 'method_not_allowed'],
  [413, 'payload_too_large'],
  [415, 'unsupported_media_type'],
  [429, 'rate_limited'],
])

function toResponse(result: EndpointResult): Response {
  const headers = new Headers({ 'cache-control': 'no-store', ...result.headers })
  for (const cookie of result.cookies ?? []) headers.append('set-cookie', serializeCookie(cookie))
  if (result.body === undefined) return new Response(null, { status: result.status, headers })
  if (!headers.has('content-type')) headers.set('content-type', 'application/json; charset=utf-8')
  return new Response(JSON.stringify(result.body), { status: result.status, headers })
}

/**
 * Tessera for Hono, on Web-standard Request/Response: the same core, endpoints and guard as
 * the Fastify plugin and the Express middleware. Holds no auth logic of its own.
 */
export function tesseraHono({
  tessera,
  bodyLimit = 64 * 1024,
  trustProxy,
  peerAddress,
}: TesseraHonoOptions): TesseraHono {
  const trust = trustFunction(trustProxy)

  function view(c: Context<TesseraHonoEnv>): RequestView {
    const incoming = nodeIncomingOf(c.env)
    const peer = incoming === undefined ? peerAddress?.(c) : incoming.socket?.remoteAddress
    return webRequestView({
      request: c.req.raw,
      incoming,
      rawBody: c.get('rawBody'),
      ip: clientIp(peer, c.req.header('x-forwarded-for'), trust),
    })
  }

  const json = honoJsonBody(bodyLimit)

  function endpointHandler(endpoint: Endpoint) {
    return async (c: Context<TesseraHonoEnv>): Promise<Response> =>
      toResponse(
        await runEndpoint(tessera, endpoint, {
          request: view(c),
          body: c.get('body'),
          params: c.req.param() as Record<string, string>,
          query: c.req.query(),
        }),
      )
  }

  const routes = new Hono<TesseraHonoEnv>()
  routes.use('/auth/*', json)
  for (const endpoint of AUTH_ENDPOINTS) routes.on(endpoint.method, endpoint.path, endpointHandler(endpoint))

  const authorize = (role: Role, options: GuardOptions = {}): MiddlewareHandler<TesseraHonoEnv> => {
    checkGuardOptions(options)
    return async (c, next) => {
      c.set('auth', await guardRequest(tessera, view(c), role, options))
      await next()
    }
  }

  const onError: ErrorHandler = (error, c) => {
    if (error instanceof ProblemError) return toResponse(error.toProblem())
    if (error instanceof StoreUnavailableError) {
      internals(tessera).logger?.warn({ err: error, url: c.req.url }, 'store unavailable')
      return toResponse(toProblem('service_unavailable', { retryAfter: OUTAGE_RETRY_AFTER_SECONDS }))
    }
    // Its message is not used: only the catalogue's words reach a client.
    if (error instanceof HTTPException && error.status >= 400 && error.status < 500)
      return toResponse(toProblem(HONO_STATUSES.get(error.status) ?? 'validation_failed'))
    internals(tessera).logger?.error({ err: error, url: c.req.url }, 'unhandled error')
    return toResponse(toProblem('internal_error'))
  }

  const { origin, methods, allowedHeaders, exposedHeaders, credentials, maxAge } = corsOptions(
    internals(tessera).config,
  )
  return {
    routes,
    json,
    authorize,
    cors: cors({
      origin,
      allowMethods: methods,
      allowHeaders: allowedHeaders,
      exposeHeaders: exposedHeaders,
      credentials,
      maxAge,
    }),
    notFound: () => toResponse(toProblem('not_found')),
    onError,
  }
}
