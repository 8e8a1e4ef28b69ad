import type { RawHeaders } from '../types.ts'

/** Every header's values by lowercased name, in the order received; duplicates stay visible. */
export type HeaderIndex = ReadonlyMap<string, readonly string[]>

/** One pass over the raw pairs, so the verifier never rescans them per component. */
export function indexHeaders(headers: RawHeaders): HeaderIndex {
  const index = new Map<string, string[]>()
  for (const [name, value] of headers) {
    const key = name.toLowerCase()
    const values = index.get(key)
    if (values === undefined) index.set(key, [value])
    else values.push(value)
  }
  return index
}
