import type { KeyObject } from 'node:crypto'
import type { Parameters } from 'structured-headers'
import type { RequestView, SignatureAlgorithm } from '../types.ts'
import { readCoveredComponents } from './covered-components.ts'
import { indexHeaders } from './header-index.ts'
import { parseSignatureHeaders } from './parse-signature-headers.ts'
import { verifySignatureBytes } from './signature-algorithms.ts'
import { buildSignatureBase } from './signature-base.ts'
import { normaliseAuthority } from './verifier-config.ts'

export interface MessageSignatureOptions {
  /** The label of the signature to verify (the dictionary key in `Signature-Input`). */
  label: string
  algorithm: SignatureAlgorithm
  key: KeyObject
  /** Default `https`. */
  scheme?: 'http' | 'https'
  /** The `@authority` to use; by default the Host header, normalised. */
  authority?: string
}

export type MessageSignatureResult =
  | { ok: true; base: string; params: Parameters }
  | { ok: false; detail: string; base?: string }

/**
 * Plain RFC 9421 verification of one labelled signature, without the `tessera` profile: no
 * tag, nonce, freshness or digest rules (the caller applies its own). Used for the RFC's
 * Appendix B test vectors; the profile verifier shares every piece of it.
 */
export function verifyMessageSignature(
  request: RequestView,
  options: MessageSignatureOptions,
): MessageSignatureResult {
  const headers = indexHeaders(request.headers)
  const parsed = parseSignatureHeaders(headers, { label: options.label })
  if (parsed.status === 'none') return { ok: false, detail: 'no signature with that label' }
  if (parsed.status === 'invalid') return { ok: false, detail: parsed.detail }
  const { entry } = parsed
  const alg = entry.params.get('alg')
  if (alg !== undefined && alg !== options.algorithm)
    return { ok: false, detail: 'alg does not match the key' }
  const components = readCoveredComponents(entry.components)
  if (!components.ok) return components
  const scheme = options.scheme ?? 'https'
  const host = headers.get('host')
  const authority =
    options.authority ?? (host?.length === 1 ? normaliseAuthority(host[0]!, scheme) : undefined)
  if (authority === undefined) return { ok: false, detail: 'no authority' }
  const base = buildSignatureBase(request, headers, components.names, entry.signatureParams, {
    authority,
    scheme,
  })
  if (!base.ok) return base
  const valid = verifySignatureBytes(
    options.algorithm,
    options.key,
    Buffer.from(base.base, 'latin1'),
    entry.signature,
  )
  return valid
    ? { ok: true, base: base.base, params: entry.params }
    : { ok: false, detail: 'signature mismatch', base: base.base }
}
