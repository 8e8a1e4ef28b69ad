import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

/** OpenAPI built from the route schemas, with the explorer at /docs and the JSON at /docs/json. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Employee Directory API',
        version: '0.1.0',
        description: 'The Tessera demo. Errors are application/problem+json with a stable `code`.',
      },
      tags: [
        { name: 'public', description: 'No authentication' },
        { name: 'user', description: 'Any signed-in user' },
        { name: 'admin', description: 'Administrators only' },
      ],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
}
