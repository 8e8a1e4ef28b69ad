import { PROBLEM_CODES, type ProblemCode, type TesseraErrorCode } from './problem-codes.ts'

/** An RFC 9457 problem as the Tessera API sends it. */
export interface Problem {
  type?: string
  title?: string
  status?: number
  code?: string
  detail?: string
  errors?: Array<{ path: string; message: string }>
  /** `stale_signature`: the server's clock, Unix seconds. */
  serverTime?: number
  retryAfter?: number
  [member: string]: unknown
}

export interface TesseraErrorOptions {
  /** HTTP status; 0 when no answer arrived. */
  status?: number
  retryAfter?: number
  problem?: Problem
  detail?: string
  cause?: unknown
}

/**
 * Every failure of a client call: the problem's stable `code` (or `network_error` /
 * `invalid_response`), the HTTP `status`, `retryAfter` in seconds when the server asked to
 * wait, and the `problem` body as sent. Messages are generic titles, never secrets.
 */
export class TesseraError extends Error {
  readonly code: TesseraErrorCode
  readonly status: number
  readonly retryAfter: number | undefined
  readonly problem: Problem | undefined

  constructor(code: TesseraErrorCode, options: TesseraErrorOptions = {}) {
    super(options.problem?.title ?? options.detail ?? code, { cause: options.cause })
    this.name = 'TesseraError'
    this.code = code
    this.status = options.status ?? 0
    this.retryAfter = options.retryAfter
    this.problem = options.problem
  }
}

/** What an answer without a usable problem code (a proxy's page, say) most likely means. */
const BY_STATUS: Record<number, ProblemCode> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  429: 'rate_limited',
  500: 'internal_error',
}

function codeForStatus(status: number): TesseraErrorCode {
  return BY_STATUS[status] ?? (status > 500 ? 'service_unavailable' : 'invalid_response')
}

/**
 * The TesseraError for a failed answer. The body is read as text and parsed only if it is
 * JSON, so an HTML error page from a proxy is still a typed error, never a parse exception.
 */
export async function errorFromResponse(response: Response): Promise<TesseraError> {
  const problem = parseProblem(await response.text().catch(() => ''))
  const known = (PROBLEM_CODES as readonly string[]).includes(problem?.code as string)
  const code = known ? (problem?.code as ProblemCode) : codeForStatus(response.status)
  const options: TesseraErrorOptions = { status: response.status, detail: `HTTP ${response.status}` }
  if (problem !== undefined) options.problem = problem
  const retryAfter = parseRetryAfter(response.headers.get('retry-after')) ?? problem?.retryAfter
  if (typeof retryAfter === 'number') options.retryAfter = retryAfter
  return new TesseraError(code, options)
}

function parseProblem(text: string): Problem | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Problem)
      : undefined
  } catch {
    return undefined
  }
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date; answered in whole seconds from now. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000))
}
