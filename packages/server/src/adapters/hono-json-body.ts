import type { MiddlewareHandler } from 'hono'
import sjson from 'secure-json-parse'
import { ProblemError } from '../core/errors.ts'
import type { Principal } from '../core/types.ts'
import { digestProblem } from './raw-request.ts'
import { carriesBody, isJson, nodeIncomingOf, nodeStyleHeaders, readBodyWithin } from './web-request.ts'

/** What the middleware puts on the context: `c.get('auth')` in a guarded handler. */
export interface TesseraVariables {
  /** Who made the request; set by `authorize()`. */
  auth?: Principal
  /** The exact bytes of a JSON body, for the signature's Content-Digest; set by `json`. */
  rawBody?: Uint8Array
  /** The JSON body, parsed without prototype poisoning; set by `json`. */
  body?: unknown
}

export interface TesseraHonoEnv {
  Variables: TesseraVariables
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    const text = new TextDecoder().decode(bytes)
    return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' })
  } catch {
    throw new ProblemError('validation_failed', { detail: 'body is not valid JSON' })
  }
}

/**
 * Hono's JSON body reader for Tessera: the bytes first (kept as `c.get('rawBody')` for the
 * signature), the Content-Digest checked against them before any parsing (DESIGN §4), then a
 * prototype-poisoning-safe parse into `c.get('body')`. Only `application/json` bodies: anything
 * else is 415.
 */
export function honoJsonBody(limit: number): MiddlewareHandler<TesseraHonoEnv> {
  return async (c, next) => {
    if (c.get('rawBody') !== undefined) return next()
    if (!carriesBody(c.req.raw, nodeIncomingOf(c.env))) {
      c.set('rawBody', new Uint8Array(0))
      return next()
    }
    if (!isJson(c.req.header('content-type'))) throw new ProblemError('unsupported_media_type')
    const bytes = await readBodyWithin(c.req.raw, limit)
    c.set('rawBody', bytes)
    // The stream is consumed: handlers calling c.req.json() or text() read these same bytes.
    ;(c.req.bodyCache as Record<string, unknown>).arrayBuffer = Promise.resolve(bytes.buffer)
    const mismatch = digestProblem(nodeStyleHeaders(c.req.raw.headers), bytes)
    if (mismatch !== undefined) throw mismatch
    if (bytes.length > 0) c.set('body', parseJson(bytes))
    return next()
  }
}
