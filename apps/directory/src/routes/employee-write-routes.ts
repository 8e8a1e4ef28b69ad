import { ProblemError } from '@tessera/server'
import type { FastifyInstance } from 'fastify'
import type { EmployeeDetail, EmployeeInput, EmployeeWriteResult } from '../employees/employee-types.ts'
import { employeeDetail, employeeInput, idParams, problemResponses } from './employee-schemas.ts'
import type { DirectoryRoutesOptions } from './register-directory-routes.ts'
import { idFrom } from './route-inputs.ts'

/** The stored employee, or the problem that explains why nothing was written. */
function written(result: EmployeeWriteResult): EmployeeDetail {
  if (result.ok) return result.employee
  if (result.reason === 'not_found') throw new ProblemError('not_found')
  throw new ProblemError('validation_failed', {
    errors: [{ path: '/body/managerId', message: result.message }],
  })
}

/** POST, PUT and DELETE on `/api/employees`: admins only. */
export function registerEmployeeWriteRoutes(
  app: FastifyInstance,
  { repository, guards }: DirectoryRoutesOptions,
) {
  app.post<{ Body: EmployeeInput }>(
    '/api/employees',
    {
      schema: {
        summary: 'Create an employee',
        tags: ['admin'],
        body: employeeInput,
        response: {
          201: { ...employeeDetail, description: 'Created; Location names the new employee' },
          ...problemResponses,
        },
      },
      preValidation: guards.admin,
    },
    async (request, reply) => {
      const employee = written(await repository.create(request.body))
      return reply.code(201).header('location', `/api/employees/${employee.id}`).send(employee)
    },
  )
  app.put<{ Params: { id: string }; Body: EmployeeInput }>(
    '/api/employees/:id',
    {
      schema: {
        summary: 'Replace every editable field of an employee',
        tags: ['admin'],
        params: idParams,
        body: employeeInput,
        response: { 200: { ...employeeDetail, description: 'The employee as stored' }, ...problemResponses },
      },
      preValidation: guards.admin,
    },
    async (request) => written(await repository.update(idFrom(request.params.id), request.body)),
  )
  app.delete<{ Params: { id: string } }>(
    '/api/employees/:id',
    {
      schema: {
        summary: "Delete an employee; their reports' managerId becomes null",
        tags: ['admin'],
        params: idParams,
        response: { 204: { type: 'null', description: 'Deleted' }, ...problemResponses },
      },
      preValidation: guards.admin,
    },
    async (request, reply) => {
      if (!(await repository.remove(idFrom(request.params.id)))) throw new ProblemError('not_found')
      return reply.code(204).send()
    },
  )
}
