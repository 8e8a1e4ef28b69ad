import { type KeyObject, randomBytes } from 'node:crypto'
import { serializeInnerList, serializeKey } from 'structured-headers'
import type { RequestView, SignatureAlgorithm } from '../types.ts'
import { computeContentDigest } from './content-digest.ts'
import { indexHeaders } from './header-index.ts'
import { signBase } from './signature-algorithms.ts'
import { buildSignatureBase } from './signature-base.ts'
import { REQUIRED_BODY_COMPONENTS, REQUIRED_COMPONENTS, TESSERA_TAG } from './tessera-profile.ts'

export interface SignRequestOptions {
  method: string
  /** The full URL the request goes to: it gives `@authority`, `@path` and `@query`. */
  url: string | URL
  /** Headers the request will carry: `content-type` when there is a body, and any `fields`. */
  headers?: Readonly<Record<string, string>>
  body?: Uint8Array | string
  keyId: string
  algorithm: SignatureAlgorithm
  /** The secret key for `hmac-sha256`, the private key otherwise. */
  key: KeyObject
  /** Unix seconds; default now. */
  created?: number
  /** Unix seconds; default `created + 60`; `null` sends none. */
  expires?: number | null
  /** Default 128 random bits, base64url. */
  nonce?: string
  tag?: string
  label?: string
  /** Further header fields to cover, lowercase. */
  fields?: readonly string[]
}

/** The headers to add to the request (lowercase names). */
export interface SignatureHeaders {
  'signature-input': string
  signature: string
  'content-digest'?: string
}

/** fetch() upper-cases these method names and sends every other one as given. */
const NORMALISED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'])

/**
 * Signs a request the way the `tessera` verifier expects (DESIGN §4): covers `@method
 * @authority @path @query`, plus `content-type content-digest` when there is a body, with
 * `created`, `expires`, `nonce`, `keyid`, `alg` and `tag`. Throws on a request it cannot sign.
 */
export function signRequest(options: SignRequestOptions): SignatureHeaders {
  const url = new URL(options.url)
  const body =
    typeof options.body === 'string' ? Buffer.from(options.body) : (options.body ?? new Uint8Array())
  const digest = body.length > 0 ? computeContentDigest(body) : undefined
  const pairs: [string, string][] = Object.entries(options.headers ?? {}).map(([k, v]) => [
    k.toLowerCase(),
    v,
  ])
  if (digest !== undefined) pairs.push(['content-digest', digest])
  const components = coveredComponents(body.length > 0, options.fields ?? [])
  const signatureParams = serializeInnerList([
    components.map((name) => [name, new Map()]),
    signingParams(options),
  ])
  const upper = options.method.toUpperCase()
  const request: RequestView = {
    method: NORMALISED_METHODS.has(upper) ? upper : options.method,
    target: `${url.pathname}${url.search}`,
    headers: pairs,
    body,
    ip: '',
  }
  const scheme = url.protocol === 'http:' ? 'http' : 'https'
  const base = buildSignatureBase(request, indexHeaders(pairs), components, signatureParams, {
    authority: url.host,
    scheme,
  })
  if (!base.ok) throw new Error(`cannot sign this request: ${base.detail}`)
  const label = serializeKey(options.label ?? 'sig')
  const signature = signBase(options.algorithm, options.key, Buffer.from(base.base, 'latin1'))
  const headers: SignatureHeaders = {
    'signature-input': `${label}=${signatureParams}`,
    signature: `${label}=:${signature.toString('base64')}:`,
  }
  if (digest !== undefined) headers['content-digest'] = digest
  return headers
}

function coveredComponents(hasBody: boolean, fields: readonly string[]): string[] {
  const names: string[] = [...REQUIRED_COMPONENTS, ...(hasBody ? REQUIRED_BODY_COMPONENTS : [])]
  for (const field of fields) if (!names.includes(field)) names.push(field)
  return names
}

function signingParams(options: SignRequestOptions): Map<string, string | number> {
  const created = options.created ?? Math.floor(Date.now() / 1000)
  const expires = options.expires === undefined ? created + 60 : options.expires
  const params = new Map<string, string | number>([['created', created]])
  if (expires !== null) params.set('expires', expires)
  params.set('nonce', options.nonce ?? randomBytes(16).toString('base64url'))
  params.set('keyid', options.keyId)
  params.set('alg', options.algorithm)
  params.set('tag', options.tag ?? TESSERA_TAG)
  return params
}
