import {
  type AuthServer,
  type AuthServerOptions,
  startAuthServer,
} from '../../../test/support/auth-server.ts'
import type { ClientEvent } from '../src/client-events.ts'
import { CookieJar } from '../src/cookie-jar.ts'
import { type ClientOptions, createClient } from '../src/create-client.ts'
import type { SignatureAlgorithm } from '../src/signing-key.ts'
import type { TesseraClient } from '../src/tessera-client.ts'
import type { TesseraError } from '../src/tessera-error.ts'

export type { AuthServer }

/** A real Tessera server (Fastify, real SQLite) for one test file. */
export function startServer(options: AuthServerOptions = {}): Promise<AuthServer> {
  return startAuthServer('fastify', options)
}

/** A session-mode client for Node: the cookie jar stands in for the browser's. */
export function sessionClient(server: AuthServer, options: Partial<ClientOptions> = {}): TesseraClient {
  return createClient({ baseUrl: server.baseUrl, mode: 'session', cookieJar: new CookieJar(), ...options })
}

export function signedClient(
  server: AuthServer,
  keyAlgorithm: SignatureAlgorithm = 'ecdsa-p256-sha256',
  options: Partial<ClientOptions> = {},
): TesseraClient {
  return createClient({ baseUrl: server.baseUrl, mode: 'signed', keyAlgorithm, ...options })
}

export interface EventLog {
  events: Array<{ event: ClientEvent; code: string; status: number }>
  names(): ClientEvent[]
}

/** Records every event a client emits. */
export function recordEvents(client: TesseraClient): EventLog {
  const events: EventLog['events'] = []
  const all = ['unauthenticated', 'forbidden', 'expired', 'rate-limited', 'reauth-required'] as const
  for (const event of all) {
    client.on(event, (error: TesseraError) => events.push({ event, code: error.code, status: error.status }))
  }
  return { events, names: () => events.map((e) => e.event) }
}

/** Awaits a call that must fail, and answers its error. */
export async function failure(call: Promise<unknown>): Promise<TesseraError> {
  try {
    await call
  } catch (error) {
    return error as TesseraError
  }
  throw new Error('the call did not fail')
}

export const ALGORITHMS: SignatureAlgorithm[] = ['hmac-sha256', 'ecdsa-p256-sha256', 'ed25519']
