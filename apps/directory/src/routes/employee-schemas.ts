/**
 * JSON schemas for every directory route: Fastify validates requests with them and
 * @fastify/swagger publishes the same objects as OpenAPI, so the two cannot drift.
 * Path and query values are declared as strings because they are strings on the wire and the
 * app turns Ajv's type coercion off (see build-app.ts); the handlers convert them.
 */

import { EDITABLE_FIELDS, type EditableField, type ReadOnlyField } from '../employees/employee-fields.ts'

/** Largest id: a signed 32-bit integer, the `integer` column type on every dialect. */
export const MAX_ID = 2_147_483_647

/** No leading/trailing whitespace and no control characters (which XML, for the avatar, cannot hold). */
const TEXT_PATTERN = '^[^\\s\\p{Cc}](?:[^\\p{Cc}]*[^\\s\\p{Cc}])?$'

const text = { type: 'string', minLength: 1, maxLength: 100, pattern: TEXT_PATTERN } as const
const phone = {
  type: ['string', 'null'],
  maxLength: 32,
  pattern: '^\\+?[0-9(][0-9 ().-]{2,30}[0-9]$',
} as const
const idValue = { type: 'integer', minimum: 1, maximum: MAX_ID } as const

const idParam = {
  type: 'string',
  pattern: '^[1-9][0-9]{0,9}$',
  description: `A positive integer up to ${MAX_ID}`,
} as const

export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: idParam },
} as const

export const searchParams = {
  type: 'object',
  required: ['query'],
  additionalProperties: false,
  properties: { query: { type: 'string', minLength: 1, maxLength: 100, description: 'Part of a name' } },
} as const

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: { type: 'string', minLength: 1, maxLength: 100, description: 'Search first, last or full name' },
  },
} as const

export const timestampParams = {
  type: 'object',
  required: ['timestamp'],
  additionalProperties: false,
  properties: {
    timestamp: {
      type: 'string',
      minLength: 1,
      maxLength: 40,
      description: 'Unix seconds (1764000000) or ISO-8601 (2025-11-24T16:00:00Z; no zone means UTC)',
    },
  },
} as const

const editableProperties = {
  firstName: text,
  lastName: text,
  title: text,
  department: text,
  city: text,
  managerId: {
    ...idValue,
    type: ['integer', 'null'],
    description: 'An existing employee other than this one',
  },
  officePhone: phone,
  cellPhone: phone,
  email: { type: 'string', format: 'email', maxLength: 254 },
} as const satisfies Record<EditableField, object>

const sentBack = (description: string) => ({
  description: `Read-only: ${description}; if sent, must equal the stored value`,
})

/** What a client may send back of what the API computed (Backbone's `save()` sends the whole model). */
const readOnlyProperties = {
  id: { ...idValue, ...sentBack('the id in the path') },
  reportCount: { type: 'integer', minimum: 0, ...sentBack('the number of direct reports') },
  pictureUrl: { type: 'string', maxLength: 100, ...sentBack('the avatar') },
  managerFirstName: { type: ['string', 'null'], maxLength: 100, ...sentBack("the stored manager's") },
  managerLastName: { type: ['string', 'null'], maxLength: 100, ...sentBack("the stored manager's") },
  modifiedAt: { type: 'string', maxLength: 40, ...sentBack('the last change') },
} as const satisfies Record<ReadOnlyField, object>

/** The editable fields; POST creates with them. */
export const employeeInput = {
  type: 'object',
  additionalProperties: false,
  required: EDITABLE_FIELDS,
  properties: editableProperties,
} as const

/** PUT replaces every editable field; the read-only ones may come along unchanged. */
export const employeeReplacement = {
  type: 'object',
  additionalProperties: false,
  required: EDITABLE_FIELDS,
  properties: { ...editableProperties, ...readOnlyProperties },
} as const

/** PATCH (Backbone's `save(attrs, { patch: true })`) changes the editable fields it names. */
export const employeePatch = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { ...editableProperties, ...readOnlyProperties },
} as const

const summaryProperties = {
  id: idValue,
  firstName: { type: 'string' },
  lastName: { type: 'string' },
  title: { type: 'string' },
  department: { type: 'string' },
  city: { type: 'string' },
  managerId: { type: ['integer', 'null'] },
  reportCount: { type: 'integer', minimum: 0 },
  pictureUrl: { type: 'string' },
} as const

export const employeeSummary = {
  type: 'object',
  required: Object.keys(summaryProperties),
  properties: summaryProperties,
} as const

const detailProperties = {
  ...summaryProperties,
  officePhone: { type: ['string', 'null'] },
  cellPhone: { type: ['string', 'null'] },
  email: { type: 'string' },
  managerFirstName: { type: ['string', 'null'] },
  managerLastName: { type: ['string', 'null'] },
  modifiedAt: { type: 'string', format: 'date-time' },
} as const

export const employeeDetail = {
  type: 'object',
  required: Object.keys(detailProperties),
  properties: detailProperties,
} as const

export const employeeList = { type: 'array', items: employeeSummary } as const
export const employeeDetailList = { type: 'array', items: employeeDetail } as const

/** RFC 9457 problem+json as core/errors.ts renders it. */
const problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
    retryAfter: { type: 'integer' },
    serverTime: { type: 'integer' },
  },
} as const

/** Error responses every route may give, described once, under their real media type. */
export const problemResponses = {
  '4xx': { description: 'Client error', content: { 'application/problem+json': { schema: problem } } },
  '5xx': {
    description: 'Server error or store outage',
    content: { 'application/problem+json': { schema: problem } },
  },
} as const
