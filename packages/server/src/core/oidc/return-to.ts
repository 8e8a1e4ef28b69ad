const BASE = 'https://tessera.invalid'

/**
 * A web sign-in returns only to a path of this site: `/employees/7?tab=x` is kept,
 * `https://evil.example`, `//evil.example`, `/\evil.example` and `javascript:` are not
 * (they would make the callback an open redirect). Answers the normalised path, or undefined.
 */
export function sameOriginPath(value: string): string | undefined {
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined
  if (value.length > 2048 || /[\p{Cc}\\]/u.test(value)) return undefined
  let url: URL
  try {
    url = new URL(value, BASE)
  } catch {
    return undefined
  }
  if (url.origin !== BASE) return undefined
  return `${url.pathname}${url.search}${url.hash}`
}
