import type { preValidationHookHandler } from 'fastify'
import type { DirectoryGuards } from './register-directory-routes.ts'

const letThrough: preValidationHookHandler = (_request, _reply, done) => done()

/** Guards that let every request through: for tests, and until the auth layer supplies real ones. */
export const OPEN_GUARDS: DirectoryGuards = Object.freeze({
  user: letThrough,
  admin: letThrough,
  criticalAdmin: letThrough,
})
