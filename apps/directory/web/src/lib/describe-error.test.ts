import assert from 'node:assert/strict'
import { test } from 'node:test'
import { TesseraError } from '@tessera/client'
import { describeError, isRedirected } from './describe-error.ts'
import { explainDenial } from './explain-denial.ts'
import { fieldErrors } from './field-errors.ts'

test('tells the user what happened: no connection, wait N s, wrong password, anything else', () => {
  assert.equal(
    describeError(new TesseraError('network_error')),
    'Could not reach the server. Check your connection and try again.',
  )
  assert.equal(
    describeError(new TesseraError('rate_limited', { status: 429, retryAfter: 42 })),
    'Too many attempts. Try again in 42 s.',
  )
  assert.equal(
    describeError(new TesseraError('service_unavailable', { status: 503, retryAfter: 5 })),
    'The server is unavailable right now. Try again in 5 s.',
  )
  assert.equal(
    describeError(new TesseraError('invalid_credentials', { status: 401 })),
    'The email address or password is not right.',
  )
  assert.equal(
    describeError(new TesseraError('internal_error', { status: 500 })),
    'Something went wrong on the server. Please try again.',
  )
  assert.equal(describeError(new Error('boom')), 'Something went wrong. Please try again.')
})

test('leaves 401s and 403 forbidden to the login and denied pages, not a 403 csrf_failed', () => {
  assert.equal(isRedirected(new TesseraError('session_expired', { status: 401 })), true)
  assert.equal(isRedirected(new TesseraError('forbidden', { status: 403 })), true)
  assert.equal(isRedirected(new TesseraError('csrf_failed', { status: 403 })), false)
  assert.equal(isRedirected(new TesseraError('network_error')), false)
})

test('maps validation_failed paths to input names, first message per field', () => {
  const problem = {
    code: 'validation_failed',
    errors: [
      { path: '/body/email', message: 'must match format "email"' },
      { path: '/body/email', message: 'second message' },
      { path: '/body/managerId', message: 'cannot be one of their reports' },
      { path: '/params/id', message: 'must be an integer' },
    ],
  }
  const error = new TesseraError('validation_failed', { status: 400, problem })
  assert.deepEqual(
    [...fieldErrors(error)],
    [
      ['email', 'must match format "email"'],
      ['managerId', 'cannot be one of their reports'],
    ],
  )
  assert.deepEqual(
    [...fieldErrors(new TesseraError('email_taken', { status: 409 }))],
    [['email', 'already has an account']],
  )
  assert.equal(fieldErrors(new Error('x')).size, 0)
})

test('explains a denial from the route that was refused', () => {
  assert.deepEqual(explainDenial('employees/5/reports'), {
    reason: 'Direct reports are visible to administrators only.',
    back: { route: 'employees/5', label: 'Back to the employee' },
  })
  assert.equal(explainDenial('employees/5/edit').reason, 'Only administrators can edit employees.')
  assert.deepEqual(explainDenial(''), { reason: 'Your role does not allow this.' })
})
