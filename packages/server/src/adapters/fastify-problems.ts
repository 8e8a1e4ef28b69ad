import { once } from 'node:events'
import type { Socket } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  type ErrorCode,
  type FieldError,
  type Problem,
  ProblemError,
  StoreUnavailableError,
  toProblem,
} from '../core/errors.ts'

/**
 * Fastify's error plumbing rendered as problem+json from the one catalogue in core/errors.ts,
 * so no framework default handler ever answers (and no error message ever reaches a client).
 * Wire it with:
 *   Fastify({ frameworkErrors: problemFrameworkErrors, clientErrorHandler: problemClientErrorHandler })
 *   app.setErrorHandler(problemErrorHandler); app.setNotFoundHandler(problemNotFoundHandler)
 */

/** Seconds a client should wait after a store outage before retrying. */
const OUTAGE_RETRY_AFTER_SECONDS = 5

/** Fastify's own client-side failures, by code; the rest fall back to their status below. */
const FASTIFY_CODES = new Map<string, ErrorCode>([
  ['FST_ERR_CTP_BODY_TOO_LARGE', 'payload_too_large'],
  ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'unsupported_media_type'],
  ['FST_ERR_CTP_INVALID_JSON_BODY', 'validation_failed'],
  ['FST_ERR_CTP_EMPTY_JSON_BODY', 'validation_failed'],
  ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 'validation_failed'],
  ['FST_ERR_BAD_URL', 'validation_failed'],
  // The catalogue has no 414: an over-long path parameter is invalid input like any other.
  ['FST_ERR_MAX_PARAM_LENGTH', 'validation_failed'],
])

const FASTIFY_STATUSES = new Map<number, ErrorCode>([
  [404, 'not_found'],
  [405, 'method_not_allowed'],
  [413, 'payload_too_large'],
  [415, 'unsupported_media_type'],
  [429, 'rate_limited'],
])

/** Property names come from the client: cap them so an error never echoes a huge input back. */
const MAX_NAME_IN_PATH = 100

/** Writes a finished problem (status, headers, body) to the reply. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).headers(problem.headers).send(problem.body)
}

interface ValidationIssue {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
  message?: string
}

function capped(name: unknown): string {
  const text = String(name)
  return text.length > MAX_NAME_IN_PATH ? `${text.slice(0, MAX_NAME_IN_PATH)}…` : text
}

/** One Ajv error as `{path, message}`, the path starting with the request part (`/body/email`). */
function toFieldError(part: string, issue: ValidationIssue): FieldError {
  const base = capped(`/${part}${issue.instancePath}`)
  if (issue.keyword === 'required') {
    return { path: `${base}/${capped(issue.params.missingProperty)}`, message: 'is required' }
  }
  if (issue.keyword === 'additionalProperties') {
    return { path: `${base}/${capped(issue.params.additionalProperty)}`, message: 'is not allowed' }
  }
  return { path: base, message: issue.message ?? 'is invalid' }
}

function validationProblem(error: FastifyError): Problem {
  const part = error.validationContext ?? 'request'
  return toProblem('validation_failed', {
    errors: (error.validation ?? []).map((i) => toFieldError(part, i)),
  })
}

/** Fastify errors carry a code (`FST_…`) and a status; map them without using their message. */
function fastifyProblem(error: FastifyError): Problem | undefined {
  const byCode = FASTIFY_CODES.get(error.code)
  if (byCode !== undefined) return toProblem(byCode)
  const status = error.statusCode ?? 500
  if (!error.code?.startsWith('FST_') || status < 400 || status >= 500) return undefined
  return toProblem(FASTIFY_STATUSES.get(status) ?? 'validation_failed')
}

/**
 * The problem for any thrown error. Unknown errors become a bare 500 whose details only reach
 * the log, tagged with the request id so an operator can find them.
 */
export function problemFromError(error: unknown, log: FastifyBaseLogger, requestId: string): Problem {
  if (error instanceof ProblemError) return error.toProblem()
  if (error instanceof StoreUnavailableError) {
    log.warn({ reqId: requestId, err: error }, 'store unavailable')
    return toProblem('service_unavailable', { retryAfter: OUTAGE_RETRY_AFTER_SECONDS })
  }
  const fastifyError = error as FastifyError
  if (Array.isArray(fastifyError?.validation)) return validationProblem(fastifyError)
  const known = typeof fastifyError?.code === 'string' ? fastifyProblem(fastifyError) : undefined
  if (known !== undefined) return known
  log.error({ reqId: requestId, err: error }, 'unhandled error')
  return toProblem('internal_error')
}

/** For `app.setErrorHandler`. */
export function problemErrorHandler(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply | Promise<FastifyReply> {
  const problem = problemFromError(error, request.log, request.id)
  if (problem.status === 413 && !request.raw.readableEnded) return drainThenSend(request, reply, problem)
  return sendProblem(reply, problem)
}

/** A refused body is still read up to this size, for at most this long, before the 413 goes out. */
const DRAIN_LIMIT_BYTES = 1024 * 1024
const DRAIN_MS = 2000

/**
 * Answering 413 while the client (or a proxy such as nginx) is still sending the body would close
 * the connection with unread bytes: the peer sees a reset and a proxy answers 502 instead of our
 * problem. A body of modest size is read and thrown away first; a larger one is not worth reading.
 */
async function drainThenSend(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
  const length = Number(request.headers['content-length'])
  if (Number.isFinite(length) && length <= DRAIN_LIMIT_BYTES) {
    const timer = delay(DRAIN_MS, undefined, { ref: false })
    request.raw.resume()
    await Promise.race([once(request.raw, 'end'), timer]).catch(() => {})
  }
  return sendProblem(reply, problem)
}

/** For `app.setNotFoundHandler`: unknown routes answer like any other missing resource. */
export function problemNotFoundHandler(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(reply, toProblem('not_found'))
}

/** For the `frameworkErrors` option: bad URL encoding and over-long path parameters, before routing. */
export function problemFrameworkErrors(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  sendProblem(reply, problemFromError(error, request.log, request.id))
}

const CLIENT_ERROR_DETAILS = new Map([
  ['HPE_HEADER_OVERFLOW', 'Request line or headers too large'],
  // Node's `requestTimeout` / `headersTimeout` ran out: the client sent too slowly, not badly.
  ['ERR_HTTP_REQUEST_TIMEOUT', 'Request not received in time'],
])

/**
 * For the `clientErrorHandler` option: requests Node's HTTP parser refuses (a request line or
 * headers over `maxHeaderSize`, malformed syntax) never reach routing; answer them as problem+json
 * too, then close the connection as Node does.
 */
export function problemClientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  if (socket.writable) {
    const detail = CLIENT_ERROR_DETAILS.get(error.code ?? '') ?? 'Malformed request'
    const { status, headers, body } = toProblem('validation_failed', { detail })
    const text = JSON.stringify(body)
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`)
    socket.write(
      `HTTP/1.1 ${status} Bad Request\r\n${lines.join('')}content-length: ${Buffer.byteLength(text)}\r\n` +
        `connection: close\r\n\r\n${text}`,
    )
  }
  socket.destroy(error)
}

/**
 * Leaves JSON as the only request body type. Fastify also parses `text/plain` by default, and
 * a JSON API that accepts it can be called cross-site without a CORS preflight; every other
 * type (forms included) already fails with FST_ERR_CTP_INVALID_MEDIA_TYPE → 415.
 */
export function acceptOnlyJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain')
}
