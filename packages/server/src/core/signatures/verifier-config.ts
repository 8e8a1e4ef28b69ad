import type { NonceStore } from '../stores.ts'
import type { ResolvedKey, SignatureVerifierOptions } from './verify-request-signature.ts'

/** Validated, frozen options: the per-request path only reads these. */
export interface VerifierConfig<T> {
  authorities: ReadonlySet<string>
  scheme: 'http' | 'https'
  maxSkewSeconds: number
  maxFutureSkewSeconds: number
  maxLifetimeSeconds: number
  now: () => number
  resolveKey: (keyId: string) => Promise<ResolvedKey<T> | undefined>
  nonces: NonceStore
}

/** `host[:port]`: a DNS name, an IPv4 address or a bracketed IPv6 address, and an optional port. */
const AUTHORITY = /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/
const DEFAULT_PORT = { http: '80', https: '443' } as const

/**
 * Lowercases `host[:port]` and drops the scheme's default port (RFC 9421 §2.2.3); undefined
 * when it is not a plain authority (userinfo, paths, spaces, out-of-range port).
 */
export function normaliseAuthority(value: string, scheme: 'http' | 'https'): string | undefined {
  const authority = value.toLowerCase()
  const match = AUTHORITY.exec(authority)
  if (match === null) return undefined
  const port = match[1]
  if (port === undefined) return authority
  if (Number(port) > 65535) return undefined
  return port === DEFAULT_PORT[scheme] ? authority.slice(0, -(port.length + 1)) : authority
}

export function verifierConfig<T>(options: SignatureVerifierOptions<T>): VerifierConfig<T> {
  const scheme = options.scheme
  if (scheme !== 'http' && scheme !== 'https')
    throw new Error('signature verifier: scheme must be http or https')
  const maxSkewSeconds = seconds(options.maxSkewSeconds ?? 300, 'maxSkewSeconds', 3600)
  return Object.freeze({
    authorities: authoritySet(options.authorities, scheme),
    scheme,
    maxSkewSeconds,
    maxFutureSkewSeconds: seconds(
      options.maxFutureSkewSeconds ?? maxSkewSeconds,
      'maxFutureSkewSeconds',
      maxSkewSeconds,
    ),
    maxLifetimeSeconds: seconds(options.maxLifetimeSeconds ?? 300, 'maxLifetimeSeconds', 86400),
    now: fn(options.now ?? Date.now, 'now'),
    resolveKey: fn(options.resolveKey, 'resolveKey'),
    nonces: nonceStore(options.nonces),
  })
}

function authoritySet(values: readonly string[], scheme: 'http' | 'https'): ReadonlySet<string> {
  if (!Array.isArray(values) || values.length === 0)
    throw new Error('signature verifier: authorities must be a non-empty array')
  const set = new Set<string>()
  for (const value of values) {
    const authority = typeof value === 'string' ? normaliseAuthority(value, scheme) : undefined
    if (authority === undefined)
      throw new Error(`signature verifier: invalid authority ${JSON.stringify(value)}`)
    set.add(authority)
  }
  return set
}

function seconds(value: number, name: string, max: number): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new Error(`signature verifier: ${name} must be an integer from 1 to ${max}`)
  }
  return value
}

function fn<F>(value: F, name: string): F {
  if (typeof value !== 'function') throw new Error(`signature verifier: ${name} must be a function`)
  return value
}

function nonceStore(store: NonceStore): NonceStore {
  if (typeof store?.consume !== 'function') throw new Error('signature verifier: nonces must be a NonceStore')
  return store
}
