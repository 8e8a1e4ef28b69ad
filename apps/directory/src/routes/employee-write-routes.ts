import { ProblemError } from '@tessera/server'
import type { FastifyInstance } from 'fastify'
import { READ_ONLY_FIELDS, type ReadOnlyField } from '../employees/employee-fields.ts'
import type {
  EmployeeDetail,
  EmployeeInput,
  EmployeeReadOnly,
  EmployeeWriteResult,
} from '../employees/employee-types.ts'
import {
  employeeDetail,
  employeeInput,
  employeePatch,
  employeeReplacement,
  idParams,
  problemResponses,
} from './employee-schemas.ts'
import type { DirectoryRoutesOptions } from './register-directory-routes.ts'
import { idFrom } from './route-inputs.ts'

/** The stored employee, or the problem that explains why nothing was written. */
function written(result: EmployeeWriteResult): EmployeeDetail {
  if (result.ok) return result.employee
  if (result.reason === 'not_found') throw new ProblemError('not_found')
  if (result.reason === 'read_only_differs') {
    throw new ProblemError('validation_failed', {
      errors: [{ path: `/body/${result.field}`, message: 'is read-only and differs from the stored value' }],
    })
  }
  throw new ProblemError('validation_failed', {
    errors: [{ path: '/body/managerId', message: result.message }],
  })
}

type EmployeeBody = Partial<EmployeeInput & EmployeeReadOnly>

/** Splits a PUT or PATCH body into the fields to write and the read-only ones sent back. */
function splitBody(body: EmployeeBody): [Partial<EmployeeInput>, Partial<EmployeeReadOnly>] {
  const changes: Record<string, unknown> = {}
  const sentBack: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(body)) {
    if (READ_ONLY_FIELDS.includes(field as ReadOnlyField)) sentBack[field] = value
    else changes[field] = value
  }
  return [changes, sentBack]
}

/** POST, PUT, PATCH and DELETE on `/api/employees`: admins only. */
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
  const replaceOrPatch = async (request: { params: { id: string }; body: EmployeeBody }) =>
    written(await repository.update(idFrom(request.params.id), ...splitBody(request.body)))
  app.put<{ Params: { id: string }; Body: EmployeeBody }>(
    '/api/employees/:id',
    {
      schema: {
        summary: 'Replace every editable field of an employee',
        description: 'Read-only fields (`id`, `modifiedAt`, …) may be sent back with their stored values.',
        tags: ['admin'],
        params: idParams,
        body: employeeReplacement,
        response: { 200: { ...employeeDetail, description: 'The employee as stored' }, ...problemResponses },
      },
      preValidation: guards.admin,
    },
    replaceOrPatch,
  )
  app.patch<{ Params: { id: string }; Body: EmployeeBody }>(
    '/api/employees/:id',
    {
      schema: {
        summary: 'Change some editable fields of an employee',
        description:
          'Fields not sent keep their values; read-only ones may be sent back with their stored values.',
        tags: ['admin'],
        params: idParams,
        body: employeePatch,
        response: { 200: { ...employeeDetail, description: 'The employee as stored' }, ...problemResponses },
      },
      preValidation: guards.admin,
    },
    replaceOrPatch,
  )
  app.delete<{ Params: { id: string } }>(
    '/api/employees/:id',
    {
      schema: {
        summary:
          "Delete an employee; their reports' managerId becomes null (needs a re-authentication within 5 minutes)",
        tags: ['admin'],
        params: idParams,
        response: { 204: { type: 'null', description: 'Deleted' }, ...problemResponses },
      },
      preValidation: guards.criticalAdmin,
    },
    async (request, reply) => {
      if (!(await repository.remove(idFrom(request.params.id)))) throw new ProblemError('not_found')
      return reply.code(204).send()
    },
  )
}
