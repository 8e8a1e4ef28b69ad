import type { Item } from 'structured-headers'

/** The derived components (RFC 9421 §2.2) this implementation can build for a request. */
export const DERIVED_COMPONENTS: ReadonlySet<string> = new Set([
  '@method',
  '@authority',
  '@path',
  '@query',
  '@target-uri',
  '@scheme',
  '@request-target',
])

/** A lowercase HTTP field name (RFC 9110 token); RFC 9421 §2.1 requires the lowercased form. */
const FIELD_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/
const MAX_COMPONENTS = 32

export type CoveredComponents = { ok: true; names: string[] } | { ok: false; detail: string }

/**
 * Reads the covered components of a `Signature-Input` member into plain names. Component
 * parameters (`sf`, `key`, `bs`, `req`, `tr`, `name`) are refused rather than half-supported:
 * a component we cannot build exactly as the signer did must fail, never be approximated.
 */
export function readCoveredComponents(items: readonly Item[]): CoveredComponents {
  if (items.length > MAX_COMPONENTS) return { ok: false, detail: 'too many covered components' }
  const names: string[] = []
  for (const [name, params] of items) {
    if (typeof name !== 'string') return { ok: false, detail: 'component identifier is not a string' }
    if (params.size > 0) return { ok: false, detail: 'component parameters are not supported' }
    const problem = componentProblem(name)
    if (problem !== undefined) return { ok: false, detail: problem }
    if (names.includes(name)) return { ok: false, detail: 'duplicated component' }
    names.push(name)
  }
  return { ok: true, names }
}

function componentProblem(name: string): string | undefined {
  if (name.startsWith('@')) return DERIVED_COMPONENTS.has(name) ? undefined : 'unsupported derived component'
  if (FIELD_NAME.test(name)) return undefined
  return name.toLowerCase() !== name ? 'component names must be lowercase' : 'invalid component name'
}
