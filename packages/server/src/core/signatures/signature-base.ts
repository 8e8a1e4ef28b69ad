import type { RequestView } from '../types.ts'
import { isBaseSafe } from './character-rules.ts'
import type { HeaderIndex } from './header-index.ts'
import { readRequestTarget } from './request-target.ts'

/** Where the request was addressed, as the verifier accepts it (never taken on trust from the request). */
export interface BaseContext {
  /** Lowercase `host[:port]`, default port omitted (RFC 9421 §2.2.3). */
  authority: string
  scheme: 'http' | 'https'
}

export type SignatureBase = { ok: true; base: string } | { ok: false; detail: string }

/** obs-fold (RFC 9112 §5.2) inside a field value: replaced by one space (RFC 9421 §2.1). */
const OBS_FOLD = /[ \t]*\r?\n[ \t]+/g
/** Field value trimming is of SP and HTAB only (RFC 9110 §5.5), not JavaScript's wider `trim()`. */
const EDGE_WHITESPACE = /^[ \t]+|[ \t]+$/g

/**
 * Builds the RFC 9421 §2.5 signature base: one `"<name>": <value>` line per covered component,
 * in the signer's order, then the `"@signature-params"` line with `signatureParams` as given
 * (the serialised inner list of the Signature-Input member). Any component that cannot be
 * built exactly (absent header, unsafe characters, unusual request target) is a failure.
 */
export function buildSignatureBase(
  request: RequestView,
  headers: HeaderIndex,
  components: readonly string[],
  signatureParams: string,
  context: BaseContext,
): SignatureBase {
  const target = readRequestTarget(request.target)
  if (target === undefined)
    return { ok: false, detail: 'request target is neither origin-form nor absolute-form' }
  let base = ''
  for (const name of components) {
    const value = name.startsWith('@')
      ? derivedValue(request, target.pathAndQuery, name, context)
      : fieldValue(headers, name)
    if (value === undefined) return { ok: false, detail: `missing component ${name}` }
    if (!isBaseSafe(value)) return { ok: false, detail: `invalid characters in component ${name}` }
    base += `"${name}": ${value}\n`
  }
  return { ok: true, base: `${base}"@signature-params": ${signatureParams}` }
}

/** `target` is the path and query, also of an absolute-form request target; `@request-target` is the line's own. */
function derivedValue(
  request: RequestView,
  target: string,
  name: string,
  context: BaseContext,
): string | undefined {
  const q = target.indexOf('?')
  switch (name) {
    case '@method':
      return request.method
    case '@authority':
      return context.authority
    case '@scheme':
      return context.scheme
    case '@target-uri':
      return `${context.scheme}://${context.authority}${target}`
    case '@request-target':
      // RFC 9421 §2.2.5: the request target exactly as on the request line, absolute-form included.
      return request.target
    case '@path':
      return q === -1 ? target : target.slice(0, q)
    case '@query':
      // §2.2.7: an absent or empty query is the `?` alone.
      return q === -1 ? '?' : target.slice(q)
    default:
      return undefined
  }
}

/** §2.1: each value trimmed and unfolded, several field lines joined by `, `. */
function fieldValue(headers: HeaderIndex, name: string): string | undefined {
  const values = headers.get(name)
  if (values === undefined) return undefined
  return values.map((value) => value.replace(OBS_FOLD, ' ').replace(EDGE_WHITESPACE, '')).join(', ')
}
