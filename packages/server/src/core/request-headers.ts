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
  for (const [key, header] of headers) {
    if (key.length !== 6 || key.toLowerCase() !== 'cookie') continue
    // `name` then `=`: no `${name}=` string is built per request (a search for it flattens it).
    for (let at = header.indexOf(name); at !== -1; at = header.indexOf(name, at + 1)) {
      const valueAt = at + name.length
      if (header.charCodeAt(valueAt) !== EQUALS || !startsPart(header, at)) continue
      const end = header.indexOf(';', valueAt)
      out.push(header.slice(valueAt + 1, end === -1 ? header.length : end).trimEnd())
    }
  }
  return out
}

const EQUALS = 0x3d
const SEMICOLON = 0x3b

/** Whether only blanks (what `\s` matches, as `trim()` drops) stand between the previous `;` (or the start) and `at`. */
function startsPart(header: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const c = header.charCodeAt(i)
    if (c === SEMICOLON) return true
    if (!isBlank(c)) return false
  }
  return true
}

const WIDE_BLANK = /\s/

function isBlank(c: number): boolean {
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0) return true
  return c > 0xff && WIDE_BLANK.test(String.fromCharCode(c))
}
