/** A Set-Cookie header as data: the core describes it, adapters write it. */
export interface SetCookie {
  name: string
  value: string
  httpOnly: boolean
  secure: boolean
  sameSite: 'Strict' | 'Lax'
  path: string
  /** Seconds; 0 deletes the cookie; undefined makes a browser-session cookie. */
  maxAge?: number
}

export function serializeCookie(cookie: SetCookie): string {
  let out = `${cookie.name}=${cookie.value}; Path=${cookie.path}; SameSite=${cookie.sameSite}`
  if (cookie.maxAge !== undefined) out += `; Max-Age=${cookie.maxAge}`
  if (cookie.httpOnly) out += '; HttpOnly'
  if (cookie.secure) out += '; Secure'
  return out
}

/**
 * The session cookie (OWASP Session Management Cheat Sheet): HttpOnly so scripts never
 * see it, SameSite=Strict because the SPA calls its own site, `__Host-` + Secure on https
 * (no Domain, Path=/). No Max-Age: it ends with the browser; the server enforces idle
 * and absolute limits whatever the browser keeps.
 */
export function sessionCookie(name: string, token: string, secure: boolean): SetCookie {
  return { name, value: token, httpOnly: true, secure, sameSite: 'Strict', path: '/' }
}

export function clearedSessionCookie(name: string, secure: boolean): SetCookie {
  return { ...sessionCookie(name, '', secure), maxAge: 0 }
}
