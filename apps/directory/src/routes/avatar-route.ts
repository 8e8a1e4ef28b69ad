import { ProblemError } from '@tessera/server'
import type { FastifyInstance } from 'fastify'
import { renderAvatarSvg } from './avatar-svg.ts'
import { idParams, problemResponses } from './employee-schemas.ts'
import type { DirectoryRoutesOptions } from './register-directory-routes.ts'
import { idFrom } from './route-inputs.ts'

/**
 * `GET /avatars/:id.svg`, for signed-in users only: public, walking the ids would list the
 * staff. The web app's `<img>` sends the session cookie (same origin); the mobile client fetches
 * it signed. The picture holds initials only (no name), may be cached privately, never by a
 * shared cache, and gets its own CSP so that, opened directly, it could run nothing.
 */
export function registerAvatarRoute(
  app: FastifyInstance,
  { repository, guards }: DirectoryRoutesOptions,
): void {
  app.get<{ Params: { id: string } }>(
    '/avatars/:id.svg',
    {
      schema: {
        summary: "An employee's initials as an SVG picture",
        tags: ['user'],
        params: idParams,
        produces: ['image/svg+xml'],
        response: {
          200: { type: 'string', description: 'An SVG picture (image/svg+xml)' },
          ...problemResponses,
        },
      },
      preValidation: guards.user,
    },
    async (request, reply) => {
      const id = idFrom(request.params.id)
      const name = await repository.nameOf(id)
      if (name === undefined) throw new ProblemError('not_found')
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        )
        .send(renderAvatarSvg(id, name.firstName, name.lastName))
    },
  )
}
