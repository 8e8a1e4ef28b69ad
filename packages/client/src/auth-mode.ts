import type { OutgoingRequest } from './outgoing-request.ts'
import type { TesseraError } from './tessera-error.ts'

/** How one call is made: `anonymous` sends no credential (login, register); `quiet` emits no event. */
export interface CallFlags {
  anonymous?: boolean
  quiet?: boolean
}

/** A GET of the API's JSON, through the same pipeline (for the CSRF token). */
export type GetJson = (path: string, flags: CallFlags) => Promise<unknown>

/** The `POST /auth/login` answer, in either mode. */
export interface LoginAnswer {
  user: { id: number; email: string; name: string; role: 'user' | 'admin' }
  csrfToken?: string
  expiresAt?: string
  key?: { id: string; algorithm: string; secret?: string; expiresAt: string }
}

/** What a mode adds to the login body, and how it takes the answer in. */
export interface LoginPlan {
  fields: Record<string, unknown>
  finish(answer: LoginAnswer): Promise<void>
}

/** How requests are authenticated: by the session cookie and CSRF token, or by signature. */
export interface AuthMode {
  /** The fetch `credentials` mode: cookies for sessions, none for signed requests. */
  readonly credentials: RequestCredentials
  /** Adds the credential to a request about to be sent. */
  authorize(request: OutgoingRequest, flags: CallFlags): Promise<void>
  /** After a failure: true when it was repaired and the request is worth one more try. */
  recover(error: TesseraError, flags: CallFlags): Promise<boolean>
  planLogin(): Promise<LoginPlan>
  /** Whether this failure means the local credential is dead and must be dropped. */
  isLost(error: TesseraError): boolean
  /** Whether `credentialId` is the credential this client uses. */
  isCurrent(credentialId: string): Promise<boolean>
  /** Drops the local credential (never throws). */
  forget(): Promise<void>
}
