import type { TesseraClient } from '@tessera/client'
import type { BackboneConnection } from '@tessera/client/backbone'
import type { Session } from './session.ts'

/** What every view may use: the API client, the adapter (for `resume`), the session and navigation. */
export interface AppContext {
  client: TesseraClient
  auth: BackboneConnection
  session: Session
  /** Goes to a route (a URL fragment such as `employees/7`) and renders it. */
  go(route: string): void
}
