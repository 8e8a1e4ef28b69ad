/** `http://` or `https://`, the authority, then the path and query (RFC 9112 §3.2.2 absolute-form). */
const ABSOLUTE_FORM = /^https?:\/\/([^/?#]*)(.*)$/i

/** A request target split for the signature base; `authority` only when the target named one. */
export interface RequestTarget {
  /** The path and query as sent, `/` at least (an absolute URI with an empty path has path `/`). */
  pathAndQuery: string
  /** The authority written in an absolute-form target, as sent. */
  authority?: string
}

/**
 * Reads the request target of the request line. Origin-form (`/path?query`) is the usual one;
 * absolute-form (`http://host/path?query`, which RFC 9112 §3.2.2 says servers must accept) gives
 * the same path and query, and its authority for the caller to check. Asterisk-form (`*`) and
 * authority-form (`host:port`, CONNECT) have no path to sign: undefined.
 */
export function readRequestTarget(target: string): RequestTarget | undefined {
  if (target.startsWith('/')) return { pathAndQuery: target }
  const absolute = ABSOLUTE_FORM.exec(target)
  if (absolute === null) return undefined
  const [, authority = '', rest = ''] = absolute
  if (authority === '' || rest.includes('#')) return undefined
  return { pathAndQuery: rest.startsWith('/') ? rest : `/${rest}`, authority }
}
