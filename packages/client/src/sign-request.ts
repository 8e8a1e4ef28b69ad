import { toBase64, toBase64Url } from './base64.ts'
import { signMessage } from './sign-message.ts'
import type { SigningKey } from './signing-key.ts'

export interface SignRequestOptions {
  method: string
  /** The exact URL fetch will request: it gives `@authority`, `@path` and `@query`. */
  url: URL
  /** Required when there is a body: it is covered. */
  contentType?: string | null
  /** The exact bytes that will be sent. */
  body?: Uint8Array<ArrayBuffer>
  key: Pick<SigningKey, 'id' | 'algorithm' | 'key'>
  /** Unix seconds, by the server's clock as far as the client knows it. */
  created: number
  /** Seconds until `expires`; default 60 (the server accepts at most 300). */
  lifetime?: number
  /** Default: 128 random bits, unpadded base64url. */
  nonce?: string
}

/**
 * Signs a request in the `tessera` profile (DESIGN §4, docs/signatures.md): covers `@method
 * @authority @path @query`, and `content-type content-digest` when there is a body, with
 * `created expires nonce keyid alg tag`. Answers the headers to add (lowercase names).
 */
export async function signRequest(options: SignRequestOptions): Promise<Record<string, string>> {
  const { url, body, key } = options
  const components: Array<[string, string]> = [
    ['@method', options.method],
    ['@authority', url.host],
    ['@path', url.pathname],
    ['@query', url.search || '?'],
  ]
  const headers: Record<string, string> = {}
  if (body !== undefined && body.length > 0) {
    if (!options.contentType) throw new TypeError('a signed body needs a Content-Type')
    headers['content-digest'] = await contentDigest(body)
    components.push(['content-type', options.contentType], ['content-digest', headers['content-digest']])
  }
  const params: Array<[string, string | number]> = [
    ['created', options.created],
    ['expires', options.created + (options.lifetime ?? 60)],
    ['nonce', options.nonce ?? toBase64Url(crypto.getRandomValues(new Uint8Array(16)))],
    ['keyid', key.id],
    ['alg', key.algorithm],
    ['tag', 'tessera'],
  ]
  const signed = await signMessage({ components, params, algorithm: key.algorithm, key: key.key })
  return { ...headers, ...signed }
}

/** RFC 9530 `Content-Digest` with the profile's `sha-256` member, over the exact bytes. */
export async function contentDigest(body: Uint8Array<ArrayBuffer>): Promise<string> {
  return `sha-256=:${toBase64(new Uint8Array(await crypto.subtle.digest('SHA-256', body)))}:`
}
