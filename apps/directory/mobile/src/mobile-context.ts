import type { AppContext } from '../../web/src/app-context.ts'

/** The web app's context, plus the API's origin (the mobile client runs on another one). */
export interface MobileContext extends AppContext {
  apiOrigin: string
}

/** An API path such as `/avatars/7.svg` as a URL on the API's origin. */
export function apiUrl(app: MobileContext, path: string): string {
  return new URL(path, app.apiOrigin).href
}
