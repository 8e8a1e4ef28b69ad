import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto'
import { cookiePair, type HttpAnswer, send } from './http-client.ts'

/**
 * A Node client that speaks DBSC as Chromium 156 does: a P-256 key made at registration, proofs
 * as compact JWS `{alg: ES256, typ: dbsc+jwt[, jwk]}.{jti}` with a raw r‖s signature, the
 * registration POST, and the two-step refresh (403 + `Secure-Session-Challenge`, then the
 * signed retry). Written from the protocol, without the server's code or `jose`.
 */
export class DbscClient {
  jar = new Map<string, string>()
  readonly baseUrl: string
  readonly origin: string
  privateKey: KeyObject
  publicJwk: Record<string, unknown>
  sessionId: string | undefined
  refreshUrl: string | undefined

  constructor(baseUrl: string, origin = baseUrl) {
    this.baseUrl = baseUrl
    this.origin = origin
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    this.privateKey = pair.privateKey
    this.publicJwk = pair.publicKey.export({ format: 'jwk' }) as Record<string, unknown>
  }

  /** The same browser (key, cookies, session) talking to another instance behind the same site. */
  at(baseUrl: string): DbscClient {
    const other = new DbscClient(baseUrl, this.origin)
    Object.assign(other, { jar: this.jar, privateKey: this.privateKey, publicJwk: this.publicJwk })
    other.sessionId = this.sessionId
    other.refreshUrl = this.refreshUrl
    return other
  }

  /** Logs in for a session; answers the login answer (the registration offer is in its headers). */
  async login(email: string, password: string): Promise<HttpAnswer> {
    const answer = await this.send('POST', '/auth/login', [['origin', this.origin]], { email, password })
    if (answer.status !== 200) throw new Error(`login failed: ${answer.status} ${answer.text}`)
    return answer
  }

  /** Answers the login's `Secure-Session-Registration` offer with a proof over its challenge. */
  async register(loginAnswer: HttpAnswer, options: { jwt?: string } = {}): Promise<HttpAnswer> {
    const offer = parseRegistration(String(loginAnswer.headers['secure-session-registration'] ?? ''))
    const jwt = options.jwt ?? this.proof(offer.challenge, true)
    const answer = await this.send('POST', offer.path, [['secure-session-response', jwt]])
    if (answer.status === 200) {
      this.sessionId = answer.json.session_identifier
      this.refreshUrl = answer.json.refresh_url
    }
    return answer
  }

  /** The browser's refresh: ask, get the challenge, sign it. Answers both steps. */
  async refresh(): Promise<{ challenge: HttpAnswer; signed?: HttpAnswer; jwt?: string }> {
    const challenge = await this.askChallenge()
    const value = String(challenge.headers['secure-session-challenge'] ?? '')
    if (challenge.status !== 403 || value === '') return { challenge }
    const jwt = this.proof(parseChallenge(value), false)
    return { challenge, signed: await this.sendProof(jwt), jwt }
  }

  askChallenge(): Promise<HttpAnswer> {
    return this.send('POST', this.refreshUrl ?? '/auth/dbsc/refresh', this.#sessionIdHeader())
  }

  sendProof(jwt: string): Promise<HttpAnswer> {
    return this.send('POST', this.refreshUrl ?? '/auth/dbsc/refresh', [
      ...this.#sessionIdHeader(),
      ['secure-session-response', jwt],
    ])
  }

  /** A DBSC proof: header `{alg, typ, jwk?}`, payload `{jti}`, ES256 as raw r‖s (IEEE P1363). */
  proof(challenge: string, withJwk: boolean, header: Record<string, unknown> = {}): string {
    const head = { alg: 'ES256', typ: 'dbsc+jwt', ...(withJwk && { jwk: this.publicJwk }), ...header }
    return signJwt(head, { jti: challenge }, this.privateKey)
  }

  /** A request with the jar's cookies; Set-Cookie answers update the jar (Max-Age=0 deletes). */
  async send(
    method: string,
    path: string,
    headers: Array<[string, string]> = [],
    body?: unknown,
  ): Promise<HttpAnswer> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ')
    const all: Array<[string, string]> = [
      ...headers,
      ...(cookie ? [['cookie', cookie] as [string, string]] : []),
    ]
    const answer = await send(this.baseUrl, {
      method,
      path,
      headers: all,
      ...(body !== undefined && { body }),
    })
    for (const line of answer.setCookies) {
      const [name, value] = cookiePair(line).split('=') as [string, string]
      if (/;\s*Max-Age=0/i.test(line)) this.jar.delete(name)
      else this.jar.set(name, value)
    }
    return answer
  }

  #sessionIdHeader(): Array<[string, string]> {
    return this.sessionId === undefined ? [] : [['sec-secure-session-id', this.sessionId]]
  }
}

export function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: KeyObject,
): string {
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`
  const ec = key.asymmetricKeyType === 'ec'
  const signature = sign('sha256', Buffer.from(input), ec ? { key, dsaEncoding: 'ieee-p1363' } : key)
  return `${input}.${signature.toString('base64url')}`
}

export function b64(text: string): string {
  return Buffer.from(text).toString('base64url')
}

/** `(ES256 RS256);path="…";challenge="…"` → its parts (enough of RFC 8941 for this header). */
export function parseRegistration(value: string): { algorithms: string[]; path: string; challenge: string } {
  const match = /^\(([^)]*)\);path="([^"]+)";challenge="([^"]+)"$/.exec(value)
  if (match === null) throw new Error(`not a registration offer: ${value}`)
  return {
    algorithms: (match[1] as string).split(' '),
    path: match[2] as string,
    challenge: match[3] as string,
  }
}

/** `"<challenge>";id="<session id>"` → the challenge. */
export function parseChallenge(value: string): string {
  const match = /^"([^"]+)";id="[^"]+"$/.exec(value)
  if (match === null) throw new Error(`not a challenge: ${value}`)
  return match[1] as string
}
