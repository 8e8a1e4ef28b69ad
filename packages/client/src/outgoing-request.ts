/** A request ready to authenticate and send: the exact URL, method and body bytes. */
export interface OutgoingRequest {
  method: string
  url: URL
  headers: Headers
  /** The exact bytes to send (and to digest), or none. */
  body: Uint8Array<ArrayBuffer> | undefined
  signal: AbortSignal | null | undefined
}

/**
 * Resolves `path` against the API's base URL (only that origin: credentials are never sent
 * elsewhere) and turns the body into the exact bytes that will be sent.
 */
export async function outgoingRequest(
  base: URL,
  path: string | URL,
  init: RequestInit = {},
): Promise<OutgoingRequest> {
  const url = new URL(path, base)
  if (url.origin !== base.origin) throw new TypeError(`the client only calls ${base.origin}`)
  const headers = new Headers(init.headers)
  const body = await bodyBytes(init.body, headers)
  // fetch upper-cases only some method names; doing it for all keeps the signed @method exact.
  return { method: (init.method ?? 'GET').toUpperCase(), url, headers, body, signal: init.signal }
}

/**
 * The exact bytes fetch would send for any body (string, bytes, Blob, FormData, URLSearchParams,
 * stream), and the Content-Type it would give them, taken from a throwaway Request: the
 * digest and the signature must cover precisely what goes on the wire.
 */
async function bodyBytes(body: BodyInit | null | undefined, headers: Headers) {
  if (body === null || body === undefined) return undefined
  const request = new Request('http://body.invalid/', { method: 'POST', body, duplex: 'half' } as RequestInit)
  const type = request.headers.get('content-type')
  if (type !== null && !headers.has('content-type')) headers.set('content-type', type)
  return new Uint8Array(await request.arrayBuffer())
}
