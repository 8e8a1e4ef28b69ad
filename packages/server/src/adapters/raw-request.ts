import type { IncomingHttpHeaders } from 'node:http'
import { ProblemError } from '../core/errors.ts'
import { verifyContentDigest } from '../core/signatures/content-digest.ts'
import type { RawHeaders } from '../core/types.ts'

/** Node's flat `rawHeaders` as `[name, value]` pairs, duplicates and order kept. */
export function headerPairs(raw: string[]): RawHeaders {
  const pairs: Array<readonly [string, string]> = []
  for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i] as string, raw[i + 1] as string])
  return pairs
}

/** Whether a request carries a body (RFC 9112 §6.3: a Transfer-Encoding, or a non-zero Content-Length). */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length']
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

/**
 * A signed request's Content-Digest checked against the exact bytes, before any JSON
 * parsing (DESIGN §4): the error to answer, or undefined when it matches or is not signed.
 */
export function digestProblem(headers: IncomingHttpHeaders, bytes: Uint8Array): ProblemError | undefined {
  const digest = headers['content-digest']
  if (headers['signature-input'] === undefined || typeof digest !== 'string') return undefined
  if (verifyContentDigest(digest, bytes) === 'match') return undefined
  return new ProblemError('invalid_signature', { detail: 'content-digest mismatch' })
}
