import type { IncomingHttpHeaders } from 'node:http'
import proxyAddr from 'proxy-addr'
import { ProblemError } from '../core/errors.ts'
import type { RawHeaders, RequestView } from '../core/types.ts'
import { hasBody, headerPairs } from './raw-request.ts'

/**
 * A Web-standard `Request` as the core's RequestView. On Node the request's own
 * `IncomingMessage` (Hono's `c.env.incoming` under @hono/node-server) is used when there is
 * one: a Fetch `Headers` object merges duplicated headers into one comma-joined value, so
 * only the raw header list lets the core refuse two `Signature` or two `Cookie` headers.
 */

/** The part of Node's `IncomingMessage` (or `Http2ServerRequest`) read here. */
export interface NodeIncoming {
  url?: string
  rawHeaders: string[]
  socket?: { remoteAddress?: string }
}

/** Node's request when the runtime is Node: `c.env.incoming` under @hono/node-server. */
export function nodeIncomingOf(env: unknown): NodeIncoming | undefined {
  const incoming = (env as { incoming?: NodeIncoming } | undefined)?.incoming
  return Array.isArray(incoming?.rawHeaders) ? incoming : undefined
}

/**
 * Which proxies' `X-Forwarded-For` to believe, as Fastify's `trustProxy` (both use proxy-addr):
 * `true` every hop, addresses or CIDR ranges (`'loopback'`, `'10.0.0.0/8'`, a comma-separated
 * string or an array), or a function. Default: none, the socket address. No hop count: it cannot
 * tell a proxy from a client that sends the header itself (Fastify refuses it for that reason).
 */
export type TrustProxy = boolean | string | string[] | ((address: string, hop: number) => boolean)

export function trustFunction(trust: TrustProxy | undefined): (address: string, hop: number) => boolean {
  if (trust === undefined || trust === false) return () => false
  if (trust === true) return () => true
  if (typeof trust === 'function') return trust
  return proxyAddr.compile(typeof trust === 'string' ? trust.split(',').map((s) => s.trim()) : trust)
}

/** The client's address: the peer's, or the nearest untrusted one in `X-Forwarded-For`. */
export function clientIp(
  peerAddress: string | undefined,
  forwardedFor: string | undefined,
  trust: (address: string, hop: number) => boolean,
): string {
  if (peerAddress === undefined || peerAddress === '') return ''
  // proxy-addr reads only these two fields of a Node request.
  const request = { headers: { 'x-forwarded-for': forwardedFor }, socket: { remoteAddress: peerAddress } }
  return proxyAddr(request as unknown as Parameters<typeof proxyAddr>[0], trust)
}

/** A Fetch `Headers` as Node's lowercased header object (duplicates already comma-joined). */
export function nodeStyleHeaders(headers: Headers): IncomingHttpHeaders {
  return Object.fromEntries(headers)
}

/** The path and query as sent: Node's raw request target, else the parsed URL's. */
function target(request: Request, incoming: NodeIncoming | undefined): string {
  if (incoming?.url !== undefined) return incoming.url
  const url = new URL(request.url)
  return url.pathname + url.search
}

function rawHeaders(request: Request, incoming: NodeIncoming | undefined): RawHeaders {
  if (incoming !== undefined) return headerPairs(incoming.rawHeaders)
  const pairs: Array<readonly [string, string]> = [...request.headers]
  // Fetch keeps Host out of `Headers`; the runtime built the URL from it, so its host stands in.
  if (!request.headers.has('host')) pairs.unshift(['host', new URL(request.url).host])
  return pairs
}

export interface WebRequestParts {
  request: Request
  incoming: NodeIncoming | undefined
  /** The body bytes when read; undefined when no body reader ran. */
  rawBody: Uint8Array | undefined
  ip: string
}

const EMPTY = new Uint8Array(0)

/**
 * Whether the request has a body. Node's parser framed it by Content-Length or Transfer-Encoding
 * (RFC 9112 §6.3); a Request from elsewhere (another runtime, or one built in code) may have a
 * body stream and no Content-Length at all, and then counts as having one.
 */
export function carriesBody(request: Request, incoming: NodeIncoming | undefined): boolean {
  if (hasBody(nodeStyleHeaders(request.headers))) return true
  return incoming === undefined && request.body !== null && !request.headers.has('content-length')
}

export function webRequestView({ request, incoming, rawBody, ip }: WebRequestParts): RequestView {
  return {
    method: request.method,
    target: target(request, incoming),
    headers: rawHeaders(request, incoming),
    body: rawBody ?? EMPTY,
    ip,
    bodyUnread: rawBody === undefined && carriesBody(request, incoming),
  }
}

/**
 * The whole body as bytes, refused with `payload_too_large` as soon as it exceeds `limit`:
 * by its declared Content-Length before reading, or while streaming a chunked one.
 */
export async function readBodyWithin(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > limit) throw new ProblemError('payload_too_large')
  if (request.body === null) return EMPTY
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      throw new ProblemError('payload_too_large')
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/** Whether the Content-Type is JSON (`application/json`, parameters allowed), as Express's `req.is`. */
export function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json'
}
