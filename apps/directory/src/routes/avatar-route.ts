import { ProblemError } from '@tessera/server'
import type { FastifyInstance } from 'fastify'
import type { EmployeeRepository } from '../employees/employee-repository.ts'
import { renderAvatarSvg } from './avatar-svg.ts'
import { idParams, problemResponses } from './employee-schemas.ts'
import { idFrom } from './route-inputs.ts'

/**
 * `GET /avatars/:id.svg`, public like any image an `<img>` tag loads without credentials.
 * The SVG gets its own CSP so that, opened directly, it could run nothing even if it held script.
 */
export function registerAvatarRoute(app: FastifyInstance, repository: EmployeeRepository): void {
  app.get<{ Params: { id: string } }>(
    '/avatars/:id.svg',
    {
      schema: {
        summary: "An employee's initials as an SVG picture",
        tags: ['public'],
        params: idParams,
        produces: ['image/svg+xml'],
        response: {
          200: { type: 'string', description: 'An SVG picture (image/svg+xml)' },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const id = idFrom(request.params.id)
      const name = await repository.nameOf(id)
      if (name === undefined) throw new ProblemError('not_found')
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        )
        .send(renderAvatarSvg(id, name.firstName, name.lastName))
    },
  )
}
