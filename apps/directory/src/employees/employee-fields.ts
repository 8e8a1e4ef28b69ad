/**
 * The editable fields of an employee: what POST creates and PUT replaces. The API's schema
 * requires exactly these and the web app's edit form sends exactly these. No Node or Fastify
 * imports here: the front-ends import this file's types.
 */
export const EDITABLE_FIELDS = [
  'firstName',
  'lastName',
  'title',
  'department',
  'city',
  'managerId',
  'officePhone',
  'cellPhone',
  'email',
] as const

export type EditableField = (typeof EDITABLE_FIELDS)[number]
