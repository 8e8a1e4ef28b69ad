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

/**
 * What the API computes: a client may send these back (Backbone's `save()` PUTs the whole
 * model), but only with the stored values; a different value is refused, never written.
 */
export const READ_ONLY_FIELDS = [
  'id',
  'reportCount',
  'pictureUrl',
  'managerFirstName',
  'managerLastName',
  'modifiedAt',
] as const

export type ReadOnlyField = (typeof READ_ONLY_FIELDS)[number]
