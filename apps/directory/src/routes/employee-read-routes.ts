import { ProblemError } from '@tessera/server'
import type { FastifyInstance } from 'fastify'
import {
  employeeDetail,
  employeeDetailList,
  employeeList,
  idParams,
  listQuery,
  problemResponses,
  searchParams,
  timestampParams,
} from './employee-schemas.ts'
import type { DirectoryRoutesOptions } from './register-directory-routes.ts'
import { idFrom, timestampFrom } from './route-inputs.ts'

const listResponse = {
  200: { ...employeeList, description: 'Employees in the list shape' },
  ...problemResponses,
}

/** GET routes: list and search for users, direct reports for admins. */
export function registerEmployeeReadRoutes(
  app: FastifyInstance,
  { repository, guards }: DirectoryRoutesOptions,
) {
  app.get<{ Querystring: { q?: string } }>(
    '/api/employees',
    {
      schema: {
        summary: 'List employees, or search them with ?q=',
        tags: ['user'],
        querystring: listQuery,
        response: listResponse,
      },
      preValidation: guards.user,
    },
    async (request) =>
      request.query.q === undefined ? repository.list() : repository.search(request.query.q),
  )
  app.get<{ Params: { query: string } }>(
    '/api/employees/search/:query',
    {
      schema: {
        summary: 'Search first, last or full name',
        tags: ['user'],
        params: searchParams,
        response: listResponse,
      },
      preValidation: guards.user,
    },
    async (request) => repository.search(request.params.query),
  )
  app.get<{ Params: { timestamp: string } }>(
    '/api/employees/modifiedsince/:timestamp',
    {
      schema: {
        summary: 'Employees changed after a time (Unix seconds or ISO-8601)',
        tags: ['user'],
        params: timestampParams,
        response: {
          200: { ...employeeDetailList, description: 'Changed employees, in detail' },
          ...problemResponses,
        },
      },
      preValidation: guards.user,
    },
    async (request) => repository.modifiedSince(timestampFrom(request.params.timestamp)),
  )
  registerByIdReadRoutes(app, { repository, guards })
}

function registerByIdReadRoutes(app: FastifyInstance, { repository, guards }: DirectoryRoutesOptions) {
  app.get<{ Params: { id: string } }>(
    '/api/employees/:id',
    {
      schema: {
        summary: 'One employee',
        tags: ['user'],
        params: idParams,
        response: { 200: { ...employeeDetail, description: 'The employee' }, ...problemResponses },
      },
      preValidation: guards.user,
    },
    async (request) => {
      const employee = await repository.findById(idFrom(request.params.id))
      if (employee === undefined) throw new ProblemError('not_found')
      return employee
    },
  )
  app.get<{ Params: { id: string } }>(
    '/api/employees/:id/reports',
    {
      schema: {
        summary: "An employee's direct reports",
        tags: ['admin'],
        params: idParams,
        response: listResponse,
      },
      preValidation: guards.admin,
    },
    async (request) => {
      const reports = await repository.reportsOf(idFrom(request.params.id))
      if (reports === undefined) throw new ProblemError('not_found')
      return reports
    },
  )
}
