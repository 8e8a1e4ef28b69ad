/**
 * A minimal cookie jar for Node (tests, CLI scripts), where fetch keeps no cookies. It holds
 * the cookies of the one API the client talks to, by name, and drops them on `Max-Age=0` or
 * a past `Expires`. Browsers keep the HttpOnly session cookie themselves: never use this there.
 */
export class CookieJar {
  readonly #cookies = new Map<string, string>()

  /** The `Cookie` header to send, if any cookie is held. */
  header(): string | undefined {
    if (this.#cookies.size === 0) return undefined
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  /** Takes in the answer's `Set-Cookie` lines. */
  store(response: Response): void {
    for (const line of response.headers.getSetCookie?.() ?? []) {
      const [pair = '', ...attributes] = line.split(';')
      const at = pair.indexOf('=')
      if (at < 1) continue
      const name = pair.slice(0, at).trim()
      if (attributes.some(isRemoval)) this.#cookies.delete(name)
      else this.#cookies.set(name, pair.slice(at + 1).trim())
    }
  }

  clear(): void {
    this.#cookies.clear()
  }
}

function isRemoval(attribute: string): boolean {
  const [name = '', value = ''] = attribute.split('=').map((s) => s.trim())
  if (name.toLowerCase() === 'max-age') return Number(value) <= 0
  if (name.toLowerCase() === 'expires') return Date.parse(value) <= Date.now()
  return false
}
