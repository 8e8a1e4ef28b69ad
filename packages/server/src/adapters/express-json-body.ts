import express, { type RequestHandler } from 'express'
import sjson from 'secure-json-parse'
import { ProblemError } from '../core/errors.ts'
import { digestProblem, hasBody } from './raw-request.ts'

const EMPTY = Buffer.alloc(0)

/**
 * Express's JSON body parser for Tessera: the bytes first (kept as `req.rawBody` for the
 * signature), the Content-Digest checked against them before any parsing (DESIGN §4), then a
 * prototype-poisoning-safe parse. Only `application/json` bodies: anything else is 415.
 */
export function expressJsonBody(limit: number): RequestHandler {
  const raw = express.raw({ type: () => true, limit })
  return (req, res, next) => {
    req.rawBody = EMPTY
    if (!hasBody(req.headers)) return next()
    if (!req.is('application/json')) return next(new ProblemError('unsupported_media_type'))
    raw(req, res, (error?: unknown) => {
      if (error) {
        const tooLarge = (error as { type?: string }).type === 'entity.too.large'
        return next(new ProblemError(tooLarge ? 'payload_too_large' : 'validation_failed'))
      }
      const bytes = Buffer.isBuffer(req.body) ? req.body : EMPTY
      req.rawBody = bytes
      const mismatch = digestProblem(req.headers, bytes)
      if (mismatch !== undefined) return next(mismatch)
      try {
        const text = bytes.toString('utf8')
        req.body =
          bytes.length === 0
            ? undefined
            : sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' })
        next()
      } catch {
        next(new ProblemError('validation_failed', { detail: 'body is not valid JSON' }))
      }
    })
  }
}
