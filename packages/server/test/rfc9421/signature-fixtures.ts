import { createSecretKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto'
import { type BareItem, type Item, type Parameters, serializeInnerList } from 'structured-headers'
import { MemoryNonceStore } from '../../../../test/rfc9421/memory-nonce-store.ts'
import { computeContentDigest } from '../../src/core/signatures/content-digest.ts'
import { indexHeaders } from '../../src/core/signatures/header-index.ts'
import { type SignRequestOptions, signRequest } from '../../src/core/signatures/sign-request.ts'
import { signBase } from '../../src/core/signatures/signature-algorithms.ts'
import { buildSignatureBase } from '../../src/core/signatures/signature-base.ts'
import {
  createSignatureVerifier,
  type ResolvedKey,
  type SignatureVerifier,
  type SignatureVerifierOptions,
} from '../../src/core/signatures/verify-request-signature.ts'
import type { NonceStore } from '../../src/core/stores.ts'
import type { RequestView, SignatureAlgorithm } from '../../src/core/types.ts'

export const AUTHORITY = '127.0.0.1:3000'
/** A fixed server clock (epoch ms, a whole second) so freshness edges are exact. */
export const NOW = 1_764_000_000_000
export const NOW_SECONDS = NOW / 1000

export interface TestKey {
  id: string
  algorithm: SignatureAlgorithm
  /** Secret for HMAC, private key otherwise. */
  signingKey: KeyObject
  /** What resolveKey hands the verifier: the secret, or the public key. */
  verifyKey: KeyObject
}

/** A fresh key of each algorithm, generated for each test. */
export function makeKey(algorithm: SignatureAlgorithm, id = `key_${algorithm}`): TestKey {
  if (algorithm === 'hmac-sha256') {
    const secret = createSecretKey(randomBytes(32))
    return { id, algorithm, signingKey: secret, verifyKey: secret }
  }
  const pair =
    algorithm === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  return { id, algorithm, signingKey: pair.privateKey, verifyKey: pair.publicKey }
}

export interface Fixture {
  verifier: SignatureVerifier<string>
  nonces: MemoryNonceStore
  /** How many times the verifier asked for a key. */
  resolveCalls(): number
}

/** A verifier over the given keys at the fixed clock, with counters on its two dependencies. */
export function makeFixture(
  keys: readonly TestKey[],
  overrides: Partial<SignatureVerifierOptions<string>> & { nonceStore?: NonceStore } = {},
): Fixture {
  const nonces = new MemoryNonceStore()
  let calls = 0
  const byId = new Map<string, ResolvedKey<string>>(
    keys.map((k) => [
      k.id,
      { id: k.id, algorithm: k.algorithm, key: k.verifyKey, payload: `user of ${k.id}` },
    ]),
  )
  const verifier = createSignatureVerifier<string>({
    authorities: [AUTHORITY],
    scheme: 'http',
    now: () => NOW,
    nonces: overrides.nonceStore ?? nonces,
    resolveKey: async (id) => {
      calls++
      return byId.get(id)
    },
    ...overrides,
  })
  return { verifier, nonces, resolveCalls: () => calls }
}

export interface TestRequest {
  method?: string
  /** Path and query, as sent. */
  target?: string
  body?: string
  contentType?: string
  host?: string
  /** Extra header pairs, sent after the others. */
  headers?: [string, string][]
}

/** A request as an adapter would hand it to the core, signed by `signRequest` with `key`. */
export function signedRequest(
  key: TestKey,
  request: TestRequest = {},
  sign: Partial<SignRequestOptions> = {},
): RequestView {
  const method = request.method ?? (request.body === undefined ? 'GET' : 'POST')
  const target = request.target ?? '/api/employees?q=an'
  const contentType = request.contentType ?? 'application/json'
  const headers: Record<string, string> = request.body === undefined ? {} : { 'content-type': contentType }
  const added = signRequest({
    method,
    url: `http://${AUTHORITY}${target}`,
    headers,
    body: request.body,
    keyId: key.id,
    algorithm: key.algorithm,
    key: key.signingKey,
    created: NOW_SECONDS,
    ...sign,
  })
  return unsignedRequest({
    ...request,
    method,
    target,
    headers: [...Object.entries(added), ...(request.headers ?? [])],
  })
}

/** The same request shape without a signature (headers as given, plus Host and Content-Type). */
export function unsignedRequest(request: TestRequest = {}): RequestView {
  const pairs: [string, string][] = [['Host', request.host ?? AUTHORITY]]
  if (request.body !== undefined) pairs.push(['Content-Type', request.contentType ?? 'application/json'])
  return {
    method: request.method ?? 'GET',
    target: request.target ?? '/api/employees?q=an',
    headers: [...pairs, ...(request.headers ?? [])],
    body: Buffer.from(request.body ?? ''),
    ip: '127.0.0.1',
  }
}

/** Replaces (or adds) header `name` in a request's pairs, leaving the others as they were. */
export function withHeader(request: RequestView, name: string, value: string): RequestView {
  const others = request.headers.filter(([n]) => n.toLowerCase() !== name)
  return { ...request, headers: [...others, [name, value]] }
}

/** The value of header `name` (first line). */
export function headerOf(request: RequestView, name: string): string {
  const pair = request.headers.find(([n]) => n.toLowerCase() === name)
  if (pair === undefined) throw new Error(`no ${name} header`)
  return pair[1]
}

/** The profile's parameters for `key` at the fixed clock; an `undefined` override drops that parameter. */
export function tesseraParams(
  key: TestKey,
  overrides: Record<string, BareItem | undefined> = {},
): Parameters {
  const defaults: Record<string, BareItem | undefined> = {
    created: NOW_SECONDS,
    expires: NOW_SECONDS + 60,
    nonce: randomBytes(16).toString('base64url'),
    keyid: key.id,
    alg: key.algorithm,
    tag: 'tessera',
  }
  const params: Parameters = new Map()
  for (const [name, value] of Object.entries({ ...defaults, ...overrides }))
    if (value !== undefined) params.set(name, value)
  return params
}

/**
 * Signs `request` with a hand-made Signature-Input (any components, any parameters), correctly:
 * so that a refusal can only come from the profile rule under test, never from the signature.
 */
export function craftSignedRequest(
  key: TestKey,
  request: RequestView,
  components: readonly string[],
  params: Parameters,
  label = 'sig',
): RequestView {
  const signatureParams = serializeInnerList([components.map((c) => [c, new Map()] as Item), params])
  return signWithMemberText(key, request, components, signatureParams, label)
}

/**
 * Signs `request` with a Signature-Input member given as text (`("@method" …);created=…`),
 * for forms no serialiser produces (a Decimal `created`, odd spacing).
 */
export function signWithMemberText(
  key: TestKey,
  request: RequestView,
  components: readonly string[],
  signatureParams: string,
  label = 'sig',
): RequestView {
  const context = { authority: AUTHORITY, scheme: 'http' as const }
  const base = buildSignatureBase(
    request,
    indexHeaders(request.headers),
    components,
    signatureParams,
    context,
  )
  if (!base.ok) throw new Error(`test request cannot be signed: ${base.detail}`)
  const signature = signBase(key.algorithm, key.signingKey, Buffer.from(base.base, 'latin1'))
  const headers: [string, string][] = [
    ['Signature-Input', `${label}=${signatureParams}`],
    ['Signature', `${label}=:${signature.toString('base64')}:`],
  ]
  return { ...request, headers: [...request.headers, ...headers] }
}

/** An unsigned request with a body and its correct Content-Digest, ready for craftSignedRequest. */
export function requestWithBody(body: string, request: TestRequest = {}): RequestView {
  const digest = computeContentDigest(Buffer.from(body))
  return unsignedRequest({
    method: 'POST',
    ...request,
    body,
    headers: [['Content-Digest', digest], ...(request.headers ?? [])],
  })
}
