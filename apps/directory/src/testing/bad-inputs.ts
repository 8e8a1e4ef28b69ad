import type { InjectOptions } from 'fastify'
import { newEmployee } from './directory-fixture.ts'

/** A request the API must refuse, and how. */
export interface BadInput {
  name: string
  request: InjectOptions
  status: number
  code: string
  /** The first field error's path, when the answer must name one. */
  path?: string
}

const JSON_TYPE = { 'content-type': 'application/json' }
const MEGABYTE = 'a'.repeat(1024 * 1024)

function post(payload: unknown, headers: Record<string, string> = JSON_TYPE): InjectOptions {
  return { method: 'POST', url: '/api/employees', payload: payload as string, headers }
}

function put(payload: unknown, url = '/api/employees/2'): InjectOptions {
  return { method: 'PUT', url, payload: payload as string, headers: JSON_TYPE }
}

function invalid(name: string, request: InjectOptions | string, path?: string): BadInput {
  const options = typeof request === 'string' ? { url: request } : request
  return { name, request: options, status: 400, code: 'validation_failed', path }
}

const IDS = ['abc', '12abc', '1.5', '0', '-1', '2147483648', '1e3', '0x10', '%201', '99999999999']

const badIds = IDS.flatMap((id) => [
  invalid(`GET of id ${id}`, `/api/employees/${id}`),
  invalid(`reports of id ${id}`, `/api/employees/${id}/reports`),
  invalid(`PUT of id ${id}`, put(newEmployee(), `/api/employees/${id}`)),
  invalid(`DELETE of id ${id}`, { method: 'DELETE', url: `/api/employees/${id}` }),
  invalid(`avatar of id ${id}`, `/avatars/${id}.svg`),
])

const badSearches = [
  invalid('an empty search path', '/api/employees/search/', '/params/query'),
  invalid('an empty ?q=', '/api/employees?q=', '/querystring/q'),
  invalid('a 101-character search', `/api/employees/search/${'b'.repeat(101)}`, '/params/query'),
  invalid('a 1 MB search path', `/api/employees/search/${MEGABYTE}`),
  invalid('a 1 MB ?q=', `/api/employees?q=${MEGABYTE}`, '/querystring/q'),
  invalid('a repeated ?q=', '/api/employees?q=a&q=b', '/querystring/q'),
  invalid('an unknown query parameter', '/api/employees?admin=1', '/querystring/admin'),
  invalid('bad percent-encoding', '/api/employees/search/%E0%A4%A'),
]

const TIMESTAMPS = [
  'yesterday',
  '-1',
  '1e9',
  '1.5',
  '2025-13-01',
  '2025-02-30T00:00:00Z',
  '2025-11-24T25:00Z',
  "0' OR 1=1",
]

const badTimestamps = TIMESTAMPS.map((t) =>
  invalid(
    `modified since ${t}`,
    `/api/employees/modifiedsince/${encodeURIComponent(t)}`,
    '/params/timestamp',
  ),
)

const proto = `{"__proto__":{"x":1},${JSON.stringify(newEmployee()).slice(1)}`

const badFields = [
  invalid('an unknown JSON field', post({ ...newEmployee(), role: 'admin' }), '/body/role'),
  invalid('a missing field on PUT', put({ ...newEmployee(), email: undefined }), '/body/email'),
  invalid('a string managerId', post(newEmployee({ managerId: '6' as never })), '/body/managerId'),
  invalid('a boolean managerId', put(newEmployee({ managerId: true as never })), '/body/managerId'),
  invalid('managerId 0', post(newEmployee({ managerId: 0 })), '/body/managerId'),
  invalid('a numeric name', post(newEmployee({ firstName: 42 as never })), '/body/firstName'),
  invalid('an empty name', post(newEmployee({ lastName: '' })), '/body/lastName'),
  invalid('a blank title', post(newEmployee({ title: '   ' })), '/body/title'),
  invalid('a 101-character city', put(newEmployee({ city: 'c'.repeat(101) })), '/body/city'),
  invalid('a control character', post(newEmployee({ firstName: 'Bo\u0000b' })), '/body/firstName'),
  invalid('a bad email', post(newEmployee({ email: 'not-an-email' })), '/body/email'),
  invalid('a bad phone', post(newEmployee({ cellPhone: 'call me' })), '/body/cellPhone'),
]

const badBodies: BadInput[] = [
  invalid('an array body', post([newEmployee()]), '/body'),
  invalid('a null body', post('null')),
  invalid('malformed JSON', post('{"firstName":')),
  invalid('an empty JSON body', post('')),
  invalid('a __proto__ key', post(proto)),
  {
    name: 'a body over 64 KiB',
    request: post({ ...newEmployee(), title: 't'.repeat(70_000) }),
    status: 413,
    code: 'payload_too_large',
  },
  ...[
    { 'content-type': 'text/plain' },
    { 'content-type': 'application/x-www-form-urlencoded' },
    {} as Record<string, string>,
  ].map((headers) => ({
    name: `a body typed ${headers['content-type'] ?? '(nothing)'}`,
    request: post(JSON.stringify(newEmployee()), headers),
    status: 415,
    code: 'unsupported_media_type',
  })),
  {
    name: 'an unknown route',
    request: { method: 'POST', url: '/api/employees/2/promote' },
    status: 404,
    code: 'not_found',
  },
]

/** The "Bad input" list of issue 2: each must answer problem+json and change nothing. */
export const BAD_INPUTS: readonly BadInput[] = [
  ...badIds,
  ...badSearches,
  ...badTimestamps,
  ...badFields,
  ...badBodies,
]
