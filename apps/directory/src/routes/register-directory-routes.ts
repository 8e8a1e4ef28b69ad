import type { FastifyInstance, preValidationHookHandler } from 'fastify'
import type { EmployeeRepository } from '../employees/employee-repository.ts'
import { registerAvatarRoute } from './avatar-route.ts'
import { registerEmployeeReadRoutes } from './employee-read-routes.ts'
import { registerEmployeeWriteRoutes } from './employee-write-routes.ts'

/** The auth layer's route guards: each answers 401/403 itself or lets the request through. */
export interface DirectoryGuards {
  /** Any signed-in user (role `user` or `admin`). */
  user: preValidationHookHandler
  /** Role `admin` only. */
  admin: preValidationHookHandler
  /** Role `admin` with a proof of the user within the step-up limit (`reauth_required` otherwise): destructive actions. */
  criticalAdmin: preValidationHookHandler
}

export interface DirectoryRoutesOptions {
  repository: EmployeeRepository
  guards: DirectoryGuards
}

/** The directory's API (DESIGN §5): `/api/ping`, `/api/employees…` and `/avatars/:id.svg` (signed-in users). */
export function registerDirectoryRoutes(app: FastifyInstance, options: DirectoryRoutesOptions): void {
  app.get(
    '/api/ping',
    {
      schema: {
        summary: 'Liveness check',
        tags: ['public'],
        response: {
          200: {
            description: 'The server is up',
            type: 'object',
            required: ['ok', 'time'],
            properties: {
              ok: { type: 'boolean', const: true },
              time: { type: 'string', format: 'date-time' },
            },
          },
        },
      },
    },
    async () => ({ ok: true, time: new Date().toISOString() }),
  )
  registerEmployeeReadRoutes(app, options)
  registerEmployeeWriteRoutes(app, options)
  registerAvatarRoute(app, options)
}
