import type { IncomingHttpHeaders } from 'node:http'

/** Whether a request carries a body (RFC 9112 §6.3: a Transfer-Encoding, or a non-zero Content-Length). */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length']
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}
