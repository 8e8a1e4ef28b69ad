import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  preHandlerHookHandler,
} from 'fastify'
import { serializeCookie } from '../core/cookies.ts'
import { corsOptions } from '../core/cors-policy.ts'
import { AUTH_ENDPOINTS, type Endpoint, type EndpointResult } from '../core/endpoints/index.ts'
import { runEndpoint } from '../core/endpoints/run-endpoint.ts'
import { ERRORS } from '../core/errors.ts'
import { internals } from '../core/internals.ts'
import { guardRequest } from '../core/route-guard.ts'
import { checkGuardOptions, type GuardOptions } from '../core/step-up.ts'
import type { Tessera } from '../core/tessera.ts'
import type { Principal, RequestView, Role } from '../core/types.ts'
import { requireOptional } from '../node/optional-package.ts'
import { digestProblem, hasBody, headerPairs } from './raw-request.ts'

declare module 'fastify' {
  interface FastifyInstance {
    tessera: Tessera
  }
  interface FastifyRequest {
    /** Who made the request; set by `authorize()`, null on public routes. */
    auth: Principal | null
    /** The exact bytes of a JSON body, for the signature's Content-Digest. */
    rawBody: Buffer | undefined
  }
}

export interface TesseraFastifyOptions {
  tessera: Tessera
  /** Serve the `/auth` API (default true). */
  routes?: boolean
  /** Answer CORS for the configured origins with @fastify/cors (default true). */
  cors?: boolean
}

const EMPTY = new Uint8Array(0)

/** The framework-free view of a Fastify request the core works on. */
export function requestView(request: FastifyRequest): RequestView {
  return {
    method: request.method,
    target: request.raw.url ?? '/',
    headers: headerPairs(request.raw.rawHeaders),
    body: request.rawBody ?? EMPTY,
    ip: request.ip,
    bodyUnread: request.rawBody === undefined && hasBody(request.headers),
  }
}

/**
 * The route guard: `preHandler: authorize('user')`. 401 without a valid session or
 * signature, 403 below the role, 401 `reauth_required` when `recentAuth` seconds have passed
 * since the user last proved who they are; sets `request.auth`. A store failure answers 503.
 */
export function authorize(role: Role, options: GuardOptions = {}): preHandlerHookHandler {
  checkGuardOptions(options)
  // Callback style: a session the credential cache knows is judged without a promise, and the
  // request goes on in the same tick.
  return function tesseraAuthorize(request, _reply, done) {
    let judged: Principal | Promise<Principal>
    try {
      judged = guardRequest(request.server.tessera, requestView(request), role, options)
    } catch (error) {
      done(error as Error)
      return
    }
    if (!(judged instanceof Promise)) {
      request.auth = judged
      done()
      return
    }
    judged.then(
      (principal) => {
        request.auth = principal
        done()
      },
      (error: Error) => done(error),
    )
  }
}

function writeResult(reply: FastifyReply, result: EndpointResult): FastifyReply {
  reply.code(result.status).header('cache-control', 'no-store')
  for (const [name, value] of Object.entries(result.headers ?? {})) reply.header(name, value)
  if (result.cookies?.length) reply.header('set-cookie', result.cookies.map(serializeCookie))
  return result.body === undefined ? reply.send() : reply.send(result.body)
}

function registerEndpoint(app: FastifyInstance, tessera: Tessera, endpoint: Endpoint): void {
  app.route({
    method: endpoint.method,
    url: endpoint.path,
    schema: {
      tags: ['auth'],
      summary: endpoint.summary,
      ...(endpoint.body && { body: endpoint.body }),
      ...(endpoint.params && { params: endpoint.params }),
      ...(endpoint.query && { querystring: endpoint.query }),
      description: `Errors: ${endpoint.errors.map((c) => `${c} (${ERRORS[c].status})`).join(', ')}`,
    },
    // The core validates (the same strict rules for every adapter); the schema here documents.
    validatorCompiler: () => () => true,
    async handler(request, reply) {
      const result = await runEndpoint(tessera, endpoint, {
        request: requestView(request),
        body: request.body,
        params: request.params as Record<string, string>,
        query: request.query as Record<string, string | undefined>,
      })
      return writeResult(reply, result)
    },
  })
}

/**
 * JSON bodies are read as bytes first: a signed request's Content-Digest is checked
 * against the exact bytes before any JSON parsing (DESIGN §4), then parsed with
 * Fastify's prototype-poisoning-safe parser.
 */
function captureRawJson(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer
    request.rawBody = bytes
    const mismatch = digestProblem(request.headers, bytes)
    if (mismatch !== undefined) {
      done(mismatch, undefined)
      return
    }
    parseJson(request, bytes.toString('utf8'), done)
  })
}

const plugin: FastifyPluginAsync<TesseraFastifyOptions> = async (app, options) => {
  app.decorate('tessera', options.tessera)
  app.decorateRequest('auth', null)
  app.decorateRequest('rawBody', undefined)
  captureRawJson(app)
  // Same-origin requests need no CORS: only with other origins to serve is the hook worth its cost.
  const { corsOrigins, ownOrigins } = internals(options.tessera).config
  if (options.cors !== false && corsOrigins.size > ownOrigins.size) {
    const fastifyCors = requireOptional<typeof import('@fastify/cors')>(
      '@fastify/cors',
      'corsOrigins names other origins and the Fastify plugin answers CORS',
    )
    await app.register(fastifyCors, {
      ...corsOptions(internals(options.tessera).config),
      strictPreflight: true,
    })
  }
  if (options.routes !== false)
    for (const endpoint of AUTH_ENDPOINTS) registerEndpoint(app, options.tessera, endpoint)
}

// Loaded here, not at the top: an app that never imports this adapter never needs it.
const fp = requireOptional<typeof import('fastify-plugin')>('fastify-plugin', 'the Fastify plugin is used')

export const tesseraFastify = fp(plugin, { name: '@tessera/fastify', fastify: '5.x' })
