import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DIALECTS } from '../../../../test/support/databases.ts'
import type { EmployeeDetail, EmployeeSummary } from '../employees/employee-types.ts'
import { SEED_SIZE } from '../seed-employees.ts'
import { type DirectoryFixture, openDirectoryFixture } from '../testing/directory-fixture.ts'

const SUMMARY_KEYS = [
  'city',
  'department',
  'firstName',
  'id',
  'lastName',
  'managerId',
  'pictureUrl',
  'reportCount',
  'title',
]
const DETAIL_KEYS = [
  ...SUMMARY_KEYS,
  'cellPhone',
  'email',
  'managerFirstName',
  'managerLastName',
  'modifiedAt',
  'officePhone',
].sort()

function names(list: EmployeeSummary[]): string[] {
  return list.map((e) => `${e.firstName} ${e.lastName}`)
}

for (const dialect of DIALECTS) {
  describe(`directory reads on ${dialect}`, () => {
    let fx: DirectoryFixture
    before(async () => {
      fx = await openDirectoryFixture(dialect)
    })
    after(() => fx.close())

    async function getJson<T>(url: string): Promise<T> {
      const res = await fx.inject(url)
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`)
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8')
      return res.json() as T
    }

    test('answers ping publicly with the server time', async () => {
      const body = await getJson<{ ok: boolean; time: string }>('/api/ping')
      assert.equal(body.ok, true)
      assert.ok(Math.abs(Date.parse(body.time) - Date.now()) < 60_000)
    })

    test('lists everyone in the list shape, ordered by last then first name', async () => {
      const list = await getJson<EmployeeSummary[]>('/api/employees')
      assert.equal(list.length, SEED_SIZE)
      for (const e of list) assert.deepEqual(Object.keys(e).sort(), SUMMARY_KEYS)
      const sortKeys = list.map((e) => `${e.lastName}\u0000${e.firstName}`)
      assert.deepEqual(sortKeys, [...sortKeys].sort())
      const ceo = list.find((e) => e.id === 1)
      assert.deepEqual(ceo, {
        id: 1,
        firstName: 'Amara',
        lastName: 'Okafor',
        title: 'Chief Executive Officer',
        department: 'Executive',
        city: 'Boston',
        managerId: null,
        reportCount: 4,
        pictureUrl: '/avatars/1.svg',
      })
    })

    test('gives the CEO detail with a report count and no manager', async () => {
      const ceo = await getJson<EmployeeDetail>('/api/employees/1')
      assert.deepEqual(Object.keys(ceo).sort(), DETAIL_KEYS)
      assert.equal(ceo.reportCount, 4)
      assert.equal(ceo.managerId, null)
      assert.equal(ceo.managerFirstName, null)
      assert.equal(ceo.managerLastName, null)
      assert.equal(ceo.email, 'amara.okafor@example.com')
      assert.equal(new Date(ceo.modifiedAt).toISOString(), ceo.modifiedAt)
    })

    test("gives a staff member's detail with the manager's name", async () => {
      const list = await getJson<EmployeeSummary[]>('/api/employees')
      const anand = list.find((e) => e.firstName === 'Anand')!
      const detail = await getJson<EmployeeDetail>(`/api/employees/${anand.id}`)
      assert.equal(detail.managerFirstName, 'Tomasz')
      assert.equal(detail.managerLastName, 'Nowak')
      assert.equal(detail.reportCount, 0)
      assert.equal(detail.officePhone, '+1 617 555 0112')
    })

    test('answers 404 not_found for an id nobody has', async () => {
      const res = await fx.inject('/api/employees/2147483647')
      assert.equal(res.statusCode, 404)
      assert.equal(res.json().code, 'not_found')
    })

    test("lists a manager's direct reports, and 404 for a manager who does not exist", async () => {
      const reports = await getJson<EmployeeSummary[]>('/api/employees/1/reports')
      assert.deepEqual(names(reports).sort(), [
        'Daniel Reyes',
        'Ingrid Solberg',
        'Kenji Watanabe',
        'Priya Raman',
      ])
      assert.ok(reports.every((r) => r.managerId === 1))
      assert.deepEqual(await getJson('/api/employees/24/reports'), [])
      const missing = await fx.inject('/api/employees/99999/reports')
      assert.equal(missing.statusCode, 404)
      assert.equal(missing.json().code, 'not_found')
    })

    test('searches by path and by ?q= with the same result, case-insensitively', async () => {
      const byPath = await getJson<EmployeeSummary[]>('/api/employees/search/an')
      assert.ok(byPath.length >= 5, `"an" matches several: ${names(byPath)}`)
      assert.ok(names(byPath).every((n) => n.toLowerCase().includes('an')))
      assert.deepEqual(await getJson('/api/employees?q=an'), byPath)
      assert.deepEqual(await getJson('/api/employees/search/AN'), byPath)
      assert.deepEqual(await getJson('/api/employees?q=aN'), byPath)
    })

    test('matches the first name, the last name and the full name "first last"', async () => {
      assert.deepEqual(names(await getJson('/api/employees/search/hannah')), ['Hannah Whitfield'])
      assert.deepEqual(names(await getJson('/api/employees/search/WHITFIELD')), ['Hannah Whitfield'])
      assert.deepEqual(names(await getJson('/api/employees/search/Hannah%20Whit')), ['Hannah Whitfield'])
      assert.deepEqual(names(await getJson('/api/employees?q=nah%20whitfield')), ['Hannah Whitfield'])
      assert.deepEqual(await getJson('/api/employees/search/Whitfield%20Hannah'), [])
    })

    test('lists employees modified since Unix seconds or an ISO-8601 time', async () => {
      const past = Math.floor(Date.now() / 1000) - 3600
      assert.equal(
        (await getJson<EmployeeDetail[]>(`/api/employees/modifiedsince/${past}`)).length,
        SEED_SIZE,
      )
      const iso = new Date((past - 60) * 1000).toISOString()
      const all = await getJson<EmployeeDetail[]>(`/api/employees/modifiedsince/${encodeURIComponent(iso)}`)
      assert.equal(all.length, SEED_SIZE)
      assert.deepEqual(Object.keys(all[0]!).sort(), DETAIL_KEYS)
      const future = Math.floor(Date.now() / 1000) + 3600
      assert.deepEqual(await getJson(`/api/employees/modifiedsince/${future}`), [])
      assert.deepEqual(await getJson('/api/employees/modifiedsince/2999-01-01T00:00:00%2B01:00'), [])
    })

    test('draws an avatar SVG with the initials, cached privately only, and 404 for nobody', async () => {
      const res = await fx.inject('/avatars/1.svg')
      assert.equal(res.statusCode, 200)
      assert.equal(res.headers['cache-control'], 'private, max-age=300')
      assert.equal(res.headers['content-type'], 'image/svg+xml; charset=utf-8')
      assert.match(String(res.headers['content-security-policy']), /default-src 'none'/)
      assert.match(res.body, /^<svg [^>]*>.*>AO<\/text><\/svg>$/)
      const missing = await fx.inject('/avatars/99999.svg')
      assert.equal(missing.statusCode, 404)
      assert.equal(missing.json().code, 'not_found')
    })
  })
}
