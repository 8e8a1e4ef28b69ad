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
 * Reads each header in place (every authenticated request passes here): a cookie is
 * `name=` at the start of the header or of a `;`-separated part, blanks allowed before it;
 * its value runs to the next `;`, trailing blanks dropped.
 */
export function cookieValues(headers: RawHeaders, name: string): string[] {
  const out: string[] = []
  const prefix = `${name}=`
  for (const [key, header] of headers) {
    if (key.length !== 6 || key.toLowerCase() !== 'cookie') continue
    for (let at = header.indexOf(prefix); at !== -1; at = header.indexOf(prefix, at + 1)) {
      if (!startsPart(header, at)) continue
      const end = header.indexOf(';', at)
      out.push(header.slice(at + prefix.length, end === -1 ? header.length : end).trimEnd())
    }
  }
  return out
}

const BLANK = /^\s*$/

/** Whether only blanks stand between the previous `;` (or the start) and `at`. */
function startsPart(header: string, at: number): boolean {
  const separator = header.lastIndexOf(';', at - 1)
  return BLANK.test(header.slice(separator + 1, at))
}
