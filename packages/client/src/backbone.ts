import type { ClientEvent, ClientEventHandler } from './client-events.ts'
import type { Problem } from './tessera-error.ts'
import type { RequestOptions } from './transport.ts'

/** What the adapter needs of a client (a TesseraClient), so this file pulls in nothing at runtime. */
export interface BackboneClient {
  request(path: string, options?: RequestOptions): Promise<unknown>
  on(event: ClientEvent, handler: ClientEventHandler): () => void
}

/** The settings `Backbone.sync` hands to `Backbone.ajax` (jQuery.ajax's shape, the part used). */
export interface AjaxSettings {
  url?: string
  type?: string
  data?: unknown
  contentType?: string | false
  headers?: Record<string, string>
  success?: (data: unknown, textStatus: string, xhr: AjaxAnswer) => void
  error?: (xhr: AjaxAnswer, textStatus: string, errorThrown: string) => void
}

/** What success/error callbacks and a model's `'error'` event receive: a jqXHR-like answer. */
export interface AjaxAnswer {
  status: number
  statusText: string
  responseJSON: Problem | undefined
  responseText: string
  /** The TesseraError of a failure (`code`, `status`, `retryAfter`, `problem`). */
  error?: unknown
}

/** The parts of the Backbone object used: it is a parameter, never imported. */
export interface BackboneLike {
  ajax: (settings: AjaxSettings) => unknown
  history?: { fragment?: string; navigate(fragment: string, options?: { trigger?: boolean }): unknown }
}

export interface BackboneOptions {
  /** Where a 401 (or an expired session) sends the user; default `login`. */
  loginRoute?: string
  /** Where a 403 sends the user; default `denied`. */
  deniedRoute?: string
  /** Default: `Backbone.history.navigate(fragment, { trigger: true })`. */
  navigate?: (fragment: string) => void
  /** Default: `Backbone.history.fragment`. */
  currentRoute?: () => string
}

export interface BackboneConnection {
  /** The route the user was on when a 401 sent them to log in. */
  readonly returnTo: string | undefined
  /** After a successful login: back to `returnTo`, else to `fallback` (default: the home route). */
  resume(fallback?: string): void
  /** Restores the previous `Backbone.ajax` and stops the fallback routing. */
  disconnect(): void
}

/**
 * Routes `Backbone.sync` through the client, so models and collections are authenticated in
 * either mode. A failure reaches the model as its `'error'` event (with `status`), and the
 * app-level fallback sends a 401 or an expired session to the login route (remembering
 * where the user was) and a 403 to the denied route.
 */
export function connectBackbone(
  Backbone: BackboneLike,
  client: BackboneClient,
  options: BackboneOptions = {},
): BackboneConnection {
  const previous = Backbone.ajax
  Backbone.ajax = (settings) => ajax(client, settings)
  const loginRoute = options.loginRoute ?? 'login'
  const deniedRoute = options.deniedRoute ?? 'denied'
  const navigate = options.navigate ?? ((route) => Backbone.history?.navigate(route, { trigger: true }))
  const here = options.currentRoute ?? (() => Backbone.history?.fragment ?? '')
  let returnTo: string | undefined
  const toLogin = () => {
    const route = here()
    if (route === loginRoute) return
    if (route !== deniedRoute) returnTo = route
    navigate(loginRoute)
  }
  const toDenied = () => here() !== deniedRoute && navigate(deniedRoute)
  const stops = [
    client.on('unauthenticated', toLogin),
    client.on('expired', toLogin),
    client.on('forbidden', toDenied),
  ]
  return {
    get returnTo() {
      return returnTo
    },
    resume(fallback = '') {
      const route = returnTo ?? fallback
      returnTo = undefined
      navigate(route)
    },
    disconnect() {
      Backbone.ajax = previous
      for (const stop of stops) stop()
    },
  }
}

/**
 * `Backbone.ajax` over the client. The promise it answers is already handled, so a bare
 * `model.fetch()` never leaves an unhandled rejection: errors arrive through `'error'`.
 */
function ajax(client: BackboneClient, settings: AjaxSettings): Promise<unknown> {
  const method = (settings.type ?? 'GET').toUpperCase()
  const done = client.request(urlOf(settings, method), requestOf(settings, method)).then(
    (data) => {
      const answer = { status: 200, statusText: 'success', responseJSON: undefined, responseText: '' }
      callBack(() => settings.success?.(data, 'success', answer))
      return data
    },
    (error) => {
      callBack(() => settings.error?.(failure(error), 'error', String(error?.code ?? 'error')))
      throw error
    },
  )
  done.catch(() => {})
  return done
}

function urlOf(settings: AjaxSettings, method: string): string {
  const url = settings.url ?? ''
  if ((method !== 'GET' && method !== 'HEAD') || settings.data == null) return url
  const query = typeof settings.data === 'string' ? settings.data : formOf(settings.data)
  return query === '' ? url : `${url}${url.includes('?') ? '&' : '?'}${query}`
}

function requestOf(settings: AjaxSettings, method: string): RequestOptions {
  const headers = new Headers(settings.headers)
  if (method === 'GET' || method === 'HEAD' || settings.data == null) return { method, headers }
  const text = typeof settings.data === 'string'
  const type = text
    ? settings.contentType || 'application/json'
    : 'application/x-www-form-urlencoded; charset=UTF-8'
  headers.set('content-type', type)
  return { method, headers, body: text ? (settings.data as string) : formOf(settings.data) }
}

function formOf(data: unknown): string {
  return new URLSearchParams(data as Record<string, string>).toString()
}

function failure(error: { status?: number; code?: string; problem?: Problem } | undefined): AjaxAnswer {
  const problem = error?.problem
  return {
    status: error?.status ?? 0,
    statusText: error?.code ?? 'error',
    responseJSON: problem,
    responseText: problem === undefined ? '' : JSON.stringify(problem),
    error,
  }
}

/** An app callback that throws is reported, not turned into a failure of the request. */
function callBack(run: () => void): void {
  try {
    run()
  } catch (error) {
    console.error('tessera: a Backbone callback failed', error)
  }
}
