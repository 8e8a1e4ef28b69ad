import type { SetCookie } from '../cookies.ts'
import type { ErrorCode } from '../errors.ts'
import type { Tessera } from '../tessera.ts'
import type { Principal, RequestView, Role } from '../types.ts'

/** Who may call an endpoint: nobody in particular, any authenticated caller, a session, a key, or a role. */
export type EndpointAccess = 'public' | 'authenticated' | 'session' | 'key' | Role

export interface EndpointContext {
  tessera: Tessera
  request: RequestView
  /** The parsed JSON body, already validated against the endpoint's schema. */
  body: unknown
  params: Record<string, string>
  query: Record<string, string | undefined>
  /** Set for every access but `public`. */
  principal: Principal
  now: number
}

export interface EndpointResult {
  status: number
  body?: unknown
  cookies?: SetCookie[]
  headers?: Record<string, string>
}

export interface JsonSchema {
  [key: string]: unknown
}

/**
 * One route of the `/auth` API, framework-free: both adapters register the same list,
 * so the HTTP contract cannot drift between Fastify and Express.
 */
export interface Endpoint {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  /** Fastify/Express style path, e.g. `/auth/credentials/:id`. */
  path: string
  access: EndpointAccess
  summary: string
  body?: JsonSchema
  params?: JsonSchema
  query?: JsonSchema
  /** Step-up: seconds within which the caller must have proved who they are (`reauth_required`). */
  recentAuth?: number
  /** Open to a role that must still enrol a second factor (`mfaRequiredRoles`). */
  allowUnenrolled?: boolean
  /** Codes this endpoint may answer besides its success (for the OpenAPI document). */
  errors: ErrorCode[]
  handle(context: EndpointContext): Promise<EndpointResult>
}

export const STRING = (min: number, max: number): JsonSchema => ({
  type: 'string',
  minLength: min,
  maxLength: max,
})

export function objectSchema(properties: Record<string, JsonSchema>, required: string[]): JsonSchema {
  return { type: 'object', additionalProperties: false, properties, required }
}
