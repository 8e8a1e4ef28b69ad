import http from 'node:http'

export interface HttpAnswer {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
  /** The parsed JSON body, or undefined when the body is not JSON. */
  json: any
  setCookies: string[]
}

export interface HttpRequest {
  method?: string
  path: string
  /** Header pairs exactly as sent: duplicates and odd casing survive. */
  headers?: Array<[string, string]>
  /** A string or bytes is sent as is; anything else as JSON with `content-type: application/json`. */
  body?: unknown
}

/** A real HTTP request over 127.0.0.1 with full control of the raw headers. Bounded by a 10 s timeout. */
export function send(baseUrl: string, request: HttpRequest): Promise<HttpAnswer> {
  const url = new URL(request.path, baseUrl)
  const headers = [...(request.headers ?? [])]
  // With raw header pairs Node adds no Host of its own.
  if (!headers.some(([k]) => k.toLowerCase() === 'host')) headers.unshift(['host', url.host])
  let payload: Buffer | undefined
  if (request.body !== undefined) {
    const raw = typeof request.body === 'string' || request.body instanceof Uint8Array
    payload = raw
      ? Buffer.from(request.body as string | Uint8Array)
      : Buffer.from(JSON.stringify(request.body))
    if (!raw && !headers.some(([k]) => k.toLowerCase() === 'content-type'))
      headers.push(['content-type', 'application/json'])
    headers.push(['content-length', String(payload.length)])
  } else if (!['GET', 'HEAD'].includes(request.method ?? 'GET')) {
    // As browsers and curl do; without it Node would send an empty chunked body.
    headers.push(['content-length', '0'])
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method ?? 'GET',
        path: url.pathname + url.search,
        headers: headers.flat(),
        timeout: 10_000,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json: unknown
          try {
            json = text ? JSON.parse(text) : undefined
          } catch {
            json = undefined
          }
          const setCookie = res.headers['set-cookie']
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json,
            setCookies: setCookie ?? [],
          })
        })
      },
    )
    req.on('timeout', () => req.destroy(new Error('request timed out')))
    req.on('error', reject)
    req.end(payload)
  })
}

/** `name=value` of a Set-Cookie line, for sending it back. */
export function cookiePair(setCookie: string): string {
  return setCookie.split(';')[0] as string
}
