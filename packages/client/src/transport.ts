import type { AuthMode, CallFlags } from './auth-mode.ts'
import { type ClientEvents, eventFor } from './client-events.ts'
import type { CookieJar } from './cookie-jar.ts'
import { type OutgoingRequest, outgoingRequest } from './outgoing-request.ts'
import type { ServerClock } from './server-clock.ts'
import { errorFromResponse, TesseraError } from './tessera-error.ts'

export interface TransportParts {
  base: URL
  auth: AuthMode
  clock: ServerClock
  events: ClientEvents
  fetch: typeof fetch
  jar: CookieJar | undefined
  timeoutMs: number
}

/** `RequestInit` plus `json`: a value sent as `application/json`. */
export interface RequestOptions extends RequestInit {
  json?: unknown
}

/**
 * The one path every call takes: authenticate, send (bounded in time), learn the clock,
 * turn failures into TesseraErrors, retry once when the mode could repair the failure,
 * then announce the failure (events) and drop a credential only when the server says it is dead.
 */
export class Transport {
  readonly #p: TransportParts
  readonly #reported = new WeakSet<object>()

  constructor(parts: TransportParts) {
    this.#p = parts
  }

  send(path: string | URL, init: RequestInit = {}, flags: CallFlags = {}): Promise<Response> {
    return this.guard(async () => {
      const request = await outgoingRequest(this.#p.base, path, init)
      for (let attempt = 0; ; attempt++) {
        const response = await this.#attempt(request, flags)
        if (response.ok) return response
        const error = await errorFromResponse(response)
        if (attempt === 0 && !flags.anonymous && (await this.#p.auth.recover(error, flags))) continue
        throw error
      }
    }, flags)
  }

  /** Sends and parses the JSON answer (undefined for an empty one). */
  async json<T>(path: string | URL, options: RequestOptions = {}, flags: CallFlags = {}): Promise<T> {
    const { json, ...init } = options
    if (json !== undefined) {
      init.body = JSON.stringify(json)
      init.headers = new Headers(init.headers)
      init.headers.set('content-type', 'application/json')
    }
    const response = await this.send(path, init, flags)
    return this.guard(() => readJson(response) as Promise<T>, flags)
  }

  /** Runs `work`; a TesseraError it throws is announced once (events, lost credential dropped). */
  async guard<T>(work: () => Promise<T>, flags: CallFlags = {}): Promise<T> {
    try {
      return await work()
    } catch (error) {
      if (error instanceof TesseraError && !this.#reported.has(error)) {
        this.#reported.add(error)
        if (!flags.anonymous && this.#p.auth.isLost(error)) await this.#p.auth.forget()
        const event = eventFor(error)
        const lostNothing = flags.anonymous && event === 'unauthenticated'
        if (event !== undefined && !flags.quiet && !lostNothing) this.#p.events.emit(event, error)
      }
      throw error
    }
  }

  async #attempt(request: OutgoingRequest, flags: CallFlags): Promise<Response> {
    const headers = new Headers(request.headers)
    if (!flags.anonymous) await this.#p.auth.authorize({ ...request, headers }, flags)
    const cookie = this.#p.jar?.header()
    if (cookie !== undefined) headers.set('cookie', cookie)
    let response: Response
    try {
      response = await this.#p.fetch(request.url, {
        method: request.method,
        headers,
        body: request.body ?? null,
        credentials: this.#p.auth.credentials,
        signal: this.#signal(request.signal),
      })
    } catch (cause) {
      throw new TesseraError('network_error', { cause, detail: 'no answer from the server' })
    }
    this.#p.clock.learnFromDate(response.headers.get('date'))
    this.#p.jar?.store(response)
    return response
  }

  /** Every request is bounded in time, and still cancellable by the caller. */
  #signal(caller: AbortSignal | null | undefined): AbortSignal {
    const timeout = AbortSignal.timeout(this.#p.timeoutMs)
    if (!caller) return timeout
    return typeof AbortSignal.any === 'function' ? AbortSignal.any([caller, timeout]) : caller
  }
}

async function readJson(response: Response): Promise<unknown> {
  let text: string
  try {
    text = await response.text()
  } catch (cause) {
    throw new TesseraError('network_error', {
      status: response.status,
      cause,
      detail: 'the answer was cut off',
    })
  }
  if (response.status === 204 || text === '') return undefined
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new TesseraError('invalid_response', {
      status: response.status,
      cause,
      detail: 'the answer is not JSON',
    })
  }
}
