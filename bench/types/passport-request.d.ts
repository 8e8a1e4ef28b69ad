// passport's additions to Express's Request (its @types package is not installed).
import 'express-serve-static-core'

declare module 'express-serve-static-core' {
  interface Request {
    login(user: unknown, done: (error?: unknown) => void): void
    isAuthenticated(): boolean
  }
}
