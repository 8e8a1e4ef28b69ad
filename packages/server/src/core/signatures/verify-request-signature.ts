import type { KeyObject } from 'node:crypto'
import type { NonceStore } from '../stores.ts'
import type { RequestView, SignatureAlgorithm } from '../types.ts'
import { verifyContentDigest } from './content-digest.ts'
import { type HeaderIndex, indexHeaders } from './header-index.ts'
import { keyFitsAlgorithm } from './keys.ts'
import {
  MAX_SIGNATURE_HEADER_LENGTH,
  parseSignatureHeaders,
  type SignatureEntry,
} from './parse-signature-headers.ts'
import { readRequestTarget } from './request-target.ts'
import { verifySignatureBytes } from './signature-algorithms.ts'
import { buildSignatureBase } from './signature-base.ts'
import { signatureFailure, type VerifyFailure } from './signature-failure.ts'
import { checkTesseraProfile, TESSERA_TAG, type TesseraParams } from './tessera-profile.ts'
import { normaliseAuthority, type VerifierConfig, verifierConfig } from './verifier-config.ts'

/** A key the caller found for a `keyid`, with whatever it wants back on success (e.g. the user). */
export interface ResolvedKey<T = unknown> {
  id: string
  algorithm: SignatureAlgorithm
  /** The secret key for `hmac-sha256`, the public key otherwise; imported once, not per request. */
  key: KeyObject
  payload: T
}

export interface SignatureVerifierOptions<T = unknown> {
  /** Accepted `@authority` values, `host[:port]` (e.g. `127.0.0.1:3000`); the Host header must be one. */
  authorities: readonly string[]
  scheme: 'http' | 'https'
  /** Accepted distance between `created` and the server clock, either way. Default 300. */
  maxSkewSeconds?: number
  /**
   * Accepted distance of a `created` ahead of the server clock, at most `maxSkewSeconds`.
   * Default `maxSkewSeconds`. A client that corrects its clock (Tessera's SDK does) needs little.
   */
  maxFutureSkewSeconds?: number
  /** Longest accepted `expires - created`. Default 300. */
  maxLifetimeSeconds?: number
  /** The clock, epoch milliseconds. Default `Date.now`. */
  now?: () => number
  resolveKey: (keyId: string) => Promise<ResolvedKey<T> | undefined>
  nonces: NonceStore
}

export interface VerifySuccess<T = unknown> {
  ok: true
  key: ResolvedKey<T>
  /** Unix seconds, as signed. */
  created: number
  expires?: number
}

export type VerifyResult<T = unknown> = VerifySuccess<T> | VerifyFailure

export interface SignatureVerifier<T = unknown> {
  verify(request: RequestView): Promise<VerifyResult<T>>
}

export type { VerifyFailure }

/**
 * The `tessera` profile verifier (DESIGN §4). Options are validated and precomputed here, so a
 * bad configuration fails at startup. Checks run cheapest first and the nonce is recorded
 * last, only once the signature has verified. Bad input never throws; store outages do.
 */
export function createSignatureVerifier<T>(options: SignatureVerifierOptions<T>): SignatureVerifier<T> {
  const config = verifierConfig(options)
  return { verify: (request) => verifyRequest(config, request) }
}

async function verifyRequest<T>(config: VerifierConfig<T>, request: RequestView): Promise<VerifyResult<T>> {
  const now = config.now()
  const headers = indexHeaders(request.headers)
  const checked = checkBeforeKey(config, request, headers, now)
  if (!checked.ok) return checked
  const { params } = checked
  const key = await config.resolveKey(params.keyId)
  if (key === undefined) return signatureFailure('unknown_key', 'unknown key')
  const problem = checkWithKey(key, request, headers, checked, config.scheme)
  if (problem !== undefined) return signatureFailure('invalid_signature', problem)
  // Remembered for as long as `created` could still pass the skew check: to the end of second created + skew.
  const until = (params.created + config.maxSkewSeconds + 1) * 1000
  if (!(await config.nonces.consume(key.id, params.nonce, until, now))) {
    return signatureFailure('replayed_signature', 'nonce already used')
  }
  const verified: VerifySuccess<T> = { ok: true, key, created: params.created }
  if (params.expires !== undefined) verified.expires = params.expires
  return verified
}

interface Checked {
  ok: true
  entry: SignatureEntry
  params: TesseraParams
  authority: string
}

/** Everything that needs neither key nor crypto: headers, profile, clock, authority. */
function checkBeforeKey<T>(
  config: VerifierConfig<T>,
  request: RequestView,
  headers: HeaderIndex,
  now: number,
): Checked | VerifyFailure {
  const parsed = parseSignatureHeaders(headers, { tag: TESSERA_TAG })
  if (parsed.status === 'none') return signatureFailure('unauthenticated', 'no tessera signature')
  if (parsed.status === 'invalid') return signatureFailure('invalid_signature', parsed.detail)
  const profile = checkTesseraProfile(parsed.entry, request.body.length > 0, config.maxLifetimeSeconds)
  if (!profile.ok) return signatureFailure('invalid_signature', profile.detail)
  const stale = checkFreshness(profile.params, now, config.maxSkewSeconds, config.maxFutureSkewSeconds)
  if (stale !== undefined) return stale
  const authority = acceptedAuthority(config, headers)
  if (authority === undefined) return signatureFailure('invalid_signature', 'authority not accepted')
  const targetProblem = requestTargetProblem(request.target, authority, config.scheme)
  if (targetProblem !== undefined) return signatureFailure('invalid_signature', targetProblem)
  return { ok: true, entry: parsed.entry, params: profile.params, authority }
}

/** alg, then the body digest (one hash), then the base and one MAC or signature check. */
function checkWithKey<T>(
  key: ResolvedKey<T>,
  request: RequestView,
  headers: HeaderIndex,
  checked: Checked,
  scheme: 'http' | 'https',
): string | undefined {
  if (key.algorithm !== checked.params.alg) return 'alg does not match the key'
  if (!fitsAlgorithm(key.algorithm, key.key))
    throw new TypeError('resolveKey returned a key unfit for its algorithm')
  const digest = digestProblem(headers, request.body)
  if (digest !== undefined) return digest
  const { entry, params, authority } = checked
  const base = buildSignatureBase(request, headers, params.components, entry.signatureParams, {
    authority,
    scheme,
  })
  if (!base.ok) return base.detail
  return verifySignatureBytes(key.algorithm, key.key, base.base, entry.signature)
    ? undefined
    : 'signature mismatch'
}

/** KeyObjects already found fit, per algorithm: resolved keys are cached, so each is checked once. */
const FIT_KEYS = new WeakMap<KeyObject, SignatureAlgorithm>()

function fitsAlgorithm(algorithm: SignatureAlgorithm, key: KeyObject): boolean {
  if (FIT_KEYS.get(key) === algorithm) return true
  if (!keyFitsAlgorithm(algorithm, key)) return false
  FIT_KEYS.set(key, algorithm)
  return true
}

/**
 * `created` within −skew … +future skew of the server clock (the edges themselves pass); `expires`, if any, still
 * ahead. Compared in whole seconds, as signed: `created = now − 300` passes for the whole of
 * that second, not only at its first millisecond.
 */
function checkFreshness(
  params: TesseraParams,
  now: number,
  maxSkewSeconds: number,
  maxFutureSkewSeconds: number,
): VerifyFailure | undefined {
  const serverTime = Math.floor(now / 1000)
  if (serverTime - params.created > maxSkewSeconds || params.created - serverTime > maxFutureSkewSeconds) {
    return signatureFailure('stale_signature', 'created is outside the accepted clock skew', serverTime)
  }
  if (params.expires !== undefined && params.expires <= serverTime) {
    return signatureFailure('stale_signature', 'signature expired', serverTime)
  }
  return undefined
}

/** The one Host header, normalised, if it names an accepted authority; that value goes into the base. */
function acceptedAuthority<T>(config: VerifierConfig<T>, headers: HeaderIndex): string | undefined {
  const hosts = headers.get('host')
  if (hosts === undefined || hosts.length !== 1) return undefined
  const authority = normaliseAuthority(hosts[0]!, config.scheme)
  return authority !== undefined && config.authorities.has(authority) ? authority : undefined
}

/**
 * An absolute-form target (`GET http://host/path HTTP/1.1`) is accepted; the authority it names
 * must be the one Host names (already checked against the configured ones), so the two can
 * never disagree about where the request was addressed.
 */
function requestTargetProblem(
  target: string,
  authority: string,
  scheme: 'http' | 'https',
): string | undefined {
  const read = readRequestTarget(target)
  if (read === undefined) return 'request target is neither origin-form nor absolute-form'
  if (read.authority === undefined) return undefined
  return normaliseAuthority(read.authority, scheme) === authority
    ? undefined
    : 'request target authority differs from host'
}

/** Checked whenever the header is present (covered whenever there is a body), before any parsing of the body. */
function digestProblem(headers: HeaderIndex, body: Uint8Array): string | undefined {
  const values = headers.get('content-digest')
  if (values === undefined) return body.length > 0 ? 'missing content-digest' : undefined
  if (values.length > 1) return 'duplicated content-digest header'
  if (values[0]!.length > MAX_SIGNATURE_HEADER_LENGTH) return 'content-digest header too large'
  switch (verifyContentDigest(values[0]!, body)) {
    case 'match':
      return undefined
    case 'mismatch':
      return 'content-digest mismatch'
    case 'no-sha-256':
      return 'content-digest lacks sha-256'
    case 'malformed':
      return 'malformed content-digest'
  }
}
