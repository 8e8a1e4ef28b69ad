/**
 * The strict CSP of the web app and the mobile client: scripts, styles and everything else only
 * from the page's own origin (Vite emits files; there is no inline script or style, and
 * templates are precompiled, so neither 'unsafe-inline' nor 'unsafe-eval' is needed). `data:`
 * images are Bootstrap's inline SVG icons (form controls, close buttons) inside its CSS file.
 * `apiOrigin` is the API a cross-origin client calls (fetch); it shows the avatars it fetched
 * (signed) from `blob:` URLs, since an `<img>` could not sign its request.
 */
export function appContentSecurityPolicy(apiOrigin?: string): string {
  const api = apiOrigin === undefined ? '' : ` ${apiOrigin}`
  const blobs = apiOrigin === undefined ? '' : ' blob:'
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data:${blobs}`,
    `connect-src 'self'${api}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ')
}

/** JSON answers load nothing and are never framed (OWASP REST Security Cheat Sheet). */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"

/** The OpenAPI explorer's page ships inline bootstrapping, so it keeps only the framing rule. */
export const DOCS_CONTENT_SECURITY_POLICY = "frame-ancestors 'none'"
