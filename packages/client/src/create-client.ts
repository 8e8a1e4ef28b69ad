import { ClientEvents } from './client-events.ts'
import type { CookieJar } from './cookie-jar.ts'
import { indexedDbKeyStore } from './indexed-db-key-store.ts'
import { type KeyStore, memoryKeyStore } from './key-store.ts'
import { ServerClock } from './server-clock.ts'
import { SessionMode } from './session-mode.ts'
import { SignedMode } from './signed-mode.ts'
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from './signing-key.ts'
import { TesseraClient } from './tessera-client.ts'
import { Transport } from './transport.ts'

export interface ClientOptions {
  /** The API's origin, e.g. `https://api.example.com`; the client calls nothing else. */
  baseUrl: string
  /** `session`: cookie + CSRF token (SPA on the API's site); `signed`: RFC 9421 signatures. */
  mode: 'session' | 'signed'
  /** Signed mode: where the key lives. Default: IndexedDB in browsers, memory elsewhere (Node). */
  keyStore?: KeyStore
  /** Signed mode: `ecdsa-p256-sha256` (default), `ed25519` (P-256 where unsupported) or `hmac-sha256`. */
  keyAlgorithm?: SignatureAlgorithm
  /** The credential's label at login (default: the server uses the User-Agent). */
  label?: string
  /** A known offset of the server's clock, ms; it is learnt anyway. */
  clockOffsetMs?: number
  /** Longest wait for one answer, ms; default 30 000. */
  timeoutMs?: number
  /**
   * Session mode in Node only (tests, CLI): keeps the session cookie, which Node's fetch does
   * not. `new CookieJar()` from `@tessera/client/cookie-jar`; browsers keep cookies themselves.
   */
  cookieJar?: CookieJar
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch
}

/** Makes a client for one API. Bad options throw here, not on the first request. */
export function createClient(options: ClientOptions): TesseraClient {
  const base = new URL(options.baseUrl)
  const algorithm = options.keyAlgorithm ?? 'ecdsa-p256-sha256'
  const valid = /^https?:$/.test(base.protocol) && /^(session|signed)$/.test(options.mode)
  if (!valid || !SIGNATURE_ALGORITHMS.includes(algorithm))
    throw new TypeError(
      'createClient: baseUrl is http(s), mode session or signed, keyAlgorithm a tessera one',
    )
  const clock = new ServerClock(options.clockOffsetMs)
  const events = new ClientEvents()
  const jar = options.cookieJar
  const store = options.keyStore ?? defaultKeyStore(base)
  let transport: Transport | undefined
  const auth =
    options.mode === 'session'
      ? new SessionMode((path, flags) => transport!.json(path, {}, flags))
      : new SignedMode(store, clock, algorithm)
  const fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  transport = new Transport({
    base,
    auth,
    clock,
    events,
    fetch: fetchFn,
    jar,
    timeoutMs: options.timeoutMs ?? 30_000,
  })
  return new TesseraClient({ mode: options.mode, auth, transport, events, clock, jar, label: options.label })
}

function defaultKeyStore(base: URL): KeyStore {
  return typeof indexedDB === 'undefined' ? memoryKeyStore() : indexedDbKeyStore({ name: base.origin })
}
