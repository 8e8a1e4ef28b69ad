import express, {
  type ErrorRequestHandler,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express'
import { serializeCookie } from '../core/cookies.ts'
import { corsOptions } from '../core/cors-policy.ts'
import { AUTH_ENDPOINTS, type Endpoint, type EndpointResult } from '../core/endpoints/index.ts'
import { runEndpoint } from '../core/endpoints/run-endpoint.ts'
import { type ErrorCode, ProblemError, StoreUnavailableError, toProblem } from '../core/errors.ts'
import { internals } from '../core/internals.ts'
import { guardRequest } from '../core/route-guard.ts'
import { checkGuardOptions, type GuardOptions } from '../core/step-up.ts'
import type { Tessera } from '../core/tessera.ts'
import type { Principal, RequestView, Role } from '../core/types.ts'
import { requireOptional } from '../node/optional-package.ts'
import { expressJsonBody } from './express-json-body.ts'
import { hasBody, headerPairs } from './raw-request.ts'

declare global {
  namespace Express {
    interface Request {
      auth?: Principal
      rawBody?: Buffer
    }
  }
}

export interface TesseraExpressOptions {
  tessera: Tessera
  /** Largest accepted JSON body (default 64 KiB). */
  bodyLimit?: number
}

export interface TesseraExpress {
  /** Serves `/auth/*`; mount with `app.use(t.router)`. */
  router: express.Router
  /** JSON body parser that keeps the raw bytes for signatures; use it on your API routes. */
  json: RequestHandler
  /** The role guard: `app.get(path, t.authorize('user'), handler)`; `{ recentAuth: 300 }` for step-up. */
  authorize(role: Role, options?: GuardOptions): RequestHandler
  /** CORS for the configured origins (the `cors` package); mount first. */
  cors: RequestHandler
  /** Answers unknown routes as problem+json `not_found`; mount after your routes. */
  notFound: RequestHandler
  /** Renders every error as problem+json; mount last. */
  errorHandler: ErrorRequestHandler
}

const EMPTY = Buffer.alloc(0)

export function requestView(req: Request): RequestView {
  return {
    method: req.method,
    target: req.originalUrl,
    headers: headerPairs(req.rawHeaders),
    body: req.rawBody ?? EMPTY,
    ip: req.ip ?? '',
    bodyUnread: req.rawBody === undefined && hasBody(req.headers),
  }
}

function send(res: Response, result: EndpointResult): void {
  res
    .status(result.status)
    .set('cache-control', 'no-store')
    .set(result.headers ?? {})
  if (result.cookies?.length) res.set('set-cookie', result.cookies.map(serializeCookie))
  if (result.body === undefined) res.end()
  else res.type(res.get('content-type') ?? 'application/json').send(JSON.stringify(result.body))
}

function problem(code: ErrorCode, extras = {}): ProblemError {
  return new ProblemError(code, extras)
}

function endpointHandler(tessera: Tessera, endpoint: Endpoint): RequestHandler {
  return (req, res, next) => {
    runEndpoint(tessera, endpoint, {
      request: requestView(req),
      body: req.body,
      params: req.params as Record<string, string>,
      query: req.query as Record<string, string | undefined>,
    }).then((result) => send(res, result), next)
  }
}

function errorHandlerFor(tessera: Tessera): ErrorRequestHandler {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof ProblemError) return send(res, error.toProblem())
    if (error instanceof StoreUnavailableError) {
      internals(tessera).logger?.warn({ err: error, url: req.originalUrl }, 'store unavailable')
      return send(res, toProblem('service_unavailable', { retryAfter: 5 }))
    }
    internals(tessera).logger?.error({ err: error, url: req.originalUrl }, 'unhandled error')
    send(res, toProblem('internal_error'))
  }
}

/**
 * Tessera for Express: the same core, endpoints and guard as the Fastify plugin, in
 * Express's idiom. Holds no auth logic of its own.
 */
export function tesseraExpress({ tessera, bodyLimit = 64 * 1024 }: TesseraExpressOptions): TesseraExpress {
  const json = expressJsonBody(bodyLimit)
  const router = express.Router()
  router.use('/auth', json)
  for (const endpoint of AUTH_ENDPOINTS) {
    router[endpoint.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](
      endpoint.path,
      endpointHandler(tessera, endpoint),
    )
  }
  const authorize = (role: Role, options: GuardOptions = {}): RequestHandler => {
    checkGuardOptions(options)
    return (req, _res, next) => {
      let judged: Principal | Promise<Principal>
      try {
        judged = guardRequest(tessera, requestView(req), role, options)
      } catch (error) {
        next(error)
        return
      }
      if (!(judged instanceof Promise)) {
        req.auth = judged
        next()
        return
      }
      judged.then((principal) => {
        req.auth = principal
        next()
      }, next)
    }
  }
  const corsHandler = corsFor(tessera)
  const notFound: RequestHandler = (_req, _res, next) => next(problem('not_found'))
  return { router, json, authorize, cors: corsHandler, notFound, errorHandler: errorHandlerFor(tessera) }
}

/** Same-origin requests need no CORS (as in the Fastify plugin): only other origins load `cors`. */
function corsFor(tessera: Tessera): RequestHandler {
  const { corsOrigins, ownOrigins } = internals(tessera).config
  if (corsOrigins.size === ownOrigins.size) return (_req, _res, next) => next()
  const cors = requireOptional<typeof import('cors')>('cors', 'corsOrigins names other origins')
  return cors(corsOptions(internals(tessera).config))
}
