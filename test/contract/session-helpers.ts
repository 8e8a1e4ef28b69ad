import assert from 'node:assert/strict'
import type { AuthServer } from '../support/auth-server.ts'
import { cookiePair, type HttpAnswer, type HttpRequest, send } from '../support/http-client.ts'

export interface Session {
  cookie: string
  csrf: string
  answer: HttpAnswer
}

/** Logs in from the app's own origin and answers the cookie pair and CSRF token. */
export async function login(server: AuthServer, email: string, password: string): Promise<Session> {
  const answer = await send(server.baseUrl, {
    method: 'POST',
    path: '/auth/login',
    headers: [['origin', server.origin]],
    body: { email, password },
  })
  assert.equal(answer.status, 200, answer.text)
  const setCookie = answer.setCookies[0]
  assert.ok(setCookie, 'login sets a cookie')
  return { cookie: cookiePair(setCookie), csrf: answer.json.csrfToken, answer }
}

/** A request with the session: cookie always; origin and CSRF token on unsafe methods. */
export function withSession(server: AuthServer, session: Session, request: HttpRequest): Promise<HttpAnswer> {
  const unsafe = request.method !== undefined && request.method !== 'GET'
  const headers: Array<[string, string]> = [['cookie', session.cookie], ...(request.headers ?? [])]
  if (unsafe) headers.push(['origin', server.origin], ['x-csrf-token', session.csrf])
  return send(server.baseUrl, { ...request, headers })
}

export function assertProblem(answer: HttpAnswer, status: number, code: string): void {
  assert.equal(answer.status, status, `expected ${status} ${code}, got ${answer.status}: ${answer.text}`)
  assert.match(String(answer.headers['content-type']), /^application\/problem\+json/)
  assert.equal(answer.json?.code, code)
  assert.equal(answer.json?.status, status)
  if (status === 401) assert.match(String(answer.headers['www-authenticate']), /Signature/)
  assert.doesNotMatch(answer.text, /at [\w.<>]+ \(|node:internal|\.ts:\d+/, 'no stack trace')
}
