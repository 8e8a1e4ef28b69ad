/**
 * The character rules a signed request is read by, as loops over char codes: they run on
 * every signed request, where a regular expression cost several times as much (measured with
 * `npm run instructions -w @tessera/bench`). `character-rules.test.ts` pins each to the
 * regular expression it stands for.
 */

/** `[A-Za-z0-9+/]` */
function isBase64Char(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2b ||
    c === 0x2f
  )
}

/** Canonical base64 with padding, as RFC 8941 byte sequences carry it: `^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$`. */
export function isPaddedBase64(text: string): boolean {
  const n = text.length
  if (n % 4 !== 0) return false
  let end = n
  if (n > 0 && text.charCodeAt(n - 1) === 0x3d) end = text.charCodeAt(n - 2) === 0x3d ? n - 2 : n - 1
  for (let i = 0; i < end; i++) if (!isBase64Char(text.charCodeAt(i))) return false
  return true
}

/** A nonce of ≥ 128 bits in base64 or base64url text: `^[A-Za-z0-9+/_=-]{22,128}$`. */
export function isNonceText(text: string): boolean {
  if (text.length < 22 || text.length > 128) return false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (!isBase64Char(c) && c !== 0x5f && c !== 0x3d && c !== 0x2d) return false
  }
  return true
}

/** What a signature base line may hold, visible ASCII, space or tab: `^[\t\x20-\x7e]*$`. */
export function isBaseSafe(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c !== 0x09 && (c < 0x20 || c > 0x7e)) return false
  }
  return true
}
