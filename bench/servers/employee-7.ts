/**
 * The seed's employee 7 as the directory's `GET /api/employees/7` answers it, kept as a
 * constant: every case serves the same small JSON object without a database read, so the
 * figures measure the authentication, not the directory's query.
 */
export const EMPLOYEE_7 = Object.freeze({
  id: 7,
  firstName: 'Lucia',
  lastName: 'Ferrante',
  title: 'QA Manager',
  department: 'Engineering',
  city: 'Boston',
  managerId: 2,
  reportCount: 2,
  pictureUrl: '/avatars/7.svg',
  officePhone: '+1 617 555 0107',
  cellPhone: '+1 617 555 0207',
  email: 'lucia.ferrante@example.com',
  managerFirstName: 'Daniel',
  managerLastName: 'Reyes',
  modifiedAt: '2026-11-24T12:00:00.000Z',
})

export const EMPLOYEE_PATH = '/api/employees/7'

/** How many sessions or keys each case makes: the requests cycle through them. */
export const CREDENTIALS_PER_CASE = 20
