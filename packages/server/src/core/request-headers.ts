import type { RawHeaders } from './types.ts'

/** All values of one header (case-insensitive name), in order received. */
export function headerValues(headers: RawHeaders, name: string): string[] {
  const out: string[] = []
  for (const [key, value] of headers)
    if (key.length === name.length && key.toLowerCase() === name) out.push(value)
  return out
}

/** The single value of a header; `undefined` when absent, `null` when sent more than once (refused). */
export function singleHeader(headers: RawHeaders, name: string): string | undefined | null {
  let found: string | undefined
  for (const [key, value] of headers) {
    if (key.length !== name.length || key.toLowerCase() !== name) continue
    if (found !== undefined) return null
    found = value
  }
  return found
}

/**
 * The values of cookie `name` across every Cookie header. More than one means two
 * session cookies at once (a cookie-tossing or fixation attempt): the caller refuses.
 */
export function cookieValues(headers: RawHeaders, name: string): string[] {
  const out: string[] = []
  const prefix = `${name}=`
  for (const header of headerValues(headers, 'cookie')) {
    for (const part of header.split(';')) {
      const trimmed = part.trim()
      if (trimmed.startsWith(prefix)) out.push(trimmed.slice(prefix.length))
    }
  }
  return out
}
