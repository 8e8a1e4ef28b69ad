import type { AppContext } from '../../web/src/app-context.ts'

/** The web app's context, plus the API's origin (the mobile client runs on another one). */
export interface MobileContext extends AppContext {
  apiOrigin: string
}
