import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ProblemError } from '@tessera/server'
import type { preValidationHookHandler } from 'fastify'
import { DIALECTS } from '../../../../test/support/databases.ts'
import type { EmployeeDetail, EmployeeInput } from '../employees/employee-types.ts'
import { type DirectoryFixture, newEmployee, openDirectoryFixture } from '../testing/directory-fixture.ts'

const JSON_HEADERS = { 'content-type': 'application/json' }

for (const dialect of DIALECTS) {
  describe(`directory writes on ${dialect}`, () => {
    let fx: DirectoryFixture
    before(async () => {
      fx = await openDirectoryFixture(dialect)
    })
    after(() => fx.close())

    async function create(input: EmployeeInput): Promise<EmployeeDetail> {
      const res = await fx.inject({
        method: 'POST',
        url: '/api/employees',
        payload: input,
        headers: JSON_HEADERS,
      })
      assert.equal(res.statusCode, 201, res.body)
      return res.json()
    }

    function put(id: number, input: EmployeeInput) {
      return fx.inject({ method: 'PUT', url: `/api/employees/${id}`, payload: input, headers: JSON_HEADERS })
    }

    test('creates an employee: 201, Location, and the detail shape', async () => {
      const input = newEmployee({ email: 'create@example.com' })
      const res = await fx.inject({
        method: 'POST',
        url: '/api/employees',
        payload: input,
        headers: JSON_HEADERS,
      })
      assert.equal(res.statusCode, 201)
      const created = res.json() as EmployeeDetail
      assert.equal(res.headers.location, `/api/employees/${created.id}`)
      assert.equal(res.headers['cache-control'], 'no-store')
      assert.equal(created.managerFirstName, 'Tomasz')
      assert.equal(created.reportCount, 0)
      assert.equal(created.pictureUrl, `/avatars/${created.id}.svg`)
      assert.deepEqual((await fx.inject(`/api/employees/${created.id}`)).json(), created)
    })

    test('replaces every editable field on PUT and bumps modifiedAt', async () => {
      const created = await create(newEmployee({ email: 'update@example.com' }))
      const replacement = newEmployee({
        firstName: 'Rowan',
        title: 'Staff Data Engineer',
        managerId: 1,
        officePhone: null,
        cellPhone: '+1 (617) 555-0300',
        email: 'rowan@example.com',
      })
      const res = await put(created.id, replacement)
      assert.equal(res.statusCode, 200, res.body)
      const updated = res.json() as EmployeeDetail
      const { id, reportCount, pictureUrl, managerFirstName, managerLastName, modifiedAt, ...fields } =
        updated
      assert.deepEqual(fields, replacement)
      assert.deepEqual([managerFirstName, managerLastName], ['Amara', 'Okafor'])
      assert.ok(
        Date.parse(modifiedAt) > Date.parse(created.modifiedAt),
        `${modifiedAt} > ${created.modifiedAt}`,
      )
      const since = await fx.inject(`/api/employees/modifiedsince/${encodeURIComponent(created.modifiedAt)}`)
      assert.deepEqual(
        since.json().map((e: EmployeeDetail) => e.id),
        [id],
      )
    })

    function patch(id: number, body: object) {
      return fx.inject({ method: 'PATCH', url: `/api/employees/${id}`, payload: body, headers: JSON_HEADERS })
    }

    test('accepts a PUT of the whole fetched employee, read-only fields included, as Backbone save() sends it', async () => {
      const created = await create(newEmployee({ email: 'whole@example.com' }))
      const res = await fx.inject({
        method: 'PUT',
        url: `/api/employees/${created.id}`,
        payload: { ...created, title: 'Principal Engineer' },
        headers: JSON_HEADERS,
      })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().title, 'Principal Engineer')
      assert.equal(res.json().id, created.id)
    })

    test('refuses a read-only field that differs from the stored value at its path, writing nothing', async () => {
      const created = await create(newEmployee({ email: 'readonly@example.com' }))
      const before = await fx.snapshot()
      const differing: Array<[string, unknown]> = [
        ['id', created.id + 1],
        ['reportCount', created.reportCount + 3],
        ['pictureUrl', '/avatars/1.svg'],
        ['managerFirstName', 'Someone'],
        ['managerLastName', null],
        ['modifiedAt', '2020-01-01T00:00:00.000Z'],
      ]
      for (const [field, value] of differing) {
        for (const send of [put, patch]) {
          const res = await send(created.id, {
            ...created,
            title: 'Changed',
            [field]: value,
          } as EmployeeInput)
          assert.equal(res.statusCode, 400, `${field}: ${res.body}`)
          assert.equal(res.json().code, 'validation_failed')
          assert.deepEqual(res.json().errors, [
            { path: `/body/${field}`, message: 'is read-only and differs from the stored value' },
          ])
        }
      }
      assert.deepEqual(await fx.snapshot(), before)
    })

    test('PATCH changes only the fields it names, validates them like PUT and bumps modifiedAt', async () => {
      const created = await create(newEmployee({ email: 'patch@example.com' }))
      const res = await patch(created.id, { title: 'Head of Patching', id: created.id })
      assert.equal(res.statusCode, 200, res.body)
      const patched = res.json() as EmployeeDetail
      assert.deepEqual(
        { ...patched, modifiedAt: created.modifiedAt },
        { ...created, title: 'Head of Patching' },
      )
      assert.ok(Date.parse(patched.modifiedAt) > Date.parse(created.modifiedAt))
      for (const [body, path] of [
        [{ title: '' }, '/body/title'],
        [{ managerId: created.id }, '/body/managerId'],
        [{ role: 'admin' }, '/body'],
        [{}, '/body'],
      ] as const) {
        const refused = await patch(created.id, body)
        assert.equal(refused.statusCode, 400, refused.body)
        assert.equal(refused.json().code, 'validation_failed')
        assert.equal(refused.json().errors[0].path.startsWith(path), true, refused.body)
      }
      assert.equal((await patch(99_999, { title: 'Nobody' })).statusCode, 404)
    })

    test('20 parallel PATCHes of different fields all land (the row is locked, no lost update)', async () => {
      const created = await create(newEmployee({ email: 'parallel@example.com' }))
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          patch(created.id, i % 2 === 0 ? { title: `Title ${i}` } : { city: `City ${i}` }),
        ),
      )
      assert.deepEqual(
        answers.map((a) => a.statusCode),
        Array(20).fill(200),
      )
      const stored = (await fx.inject(`/api/employees/${created.id}`)).json() as EmployeeDetail
      assert.notEqual(stored.title, created.title)
      assert.notEqual(stored.city, created.city)
    })

    test('answers 404 for a PUT or DELETE of nobody, writing nothing', async () => {
      const before = await fx.snapshot()
      assert.equal((await put(99_999, newEmployee())).statusCode, 404)
      const gone = await fx.inject({ method: 'DELETE', url: '/api/employees/99999' })
      assert.equal(gone.statusCode, 404)
      assert.equal(gone.json().code, 'not_found')
      assert.deepEqual(await fx.snapshot(), before)
    })

    test("deletes an employee with 204, and their reports' managerId becomes null", async () => {
      const boss = await create(newEmployee({ email: 'boss@example.com', managerId: null }))
      const report = await create(newEmployee({ email: 'report@example.com', managerId: boss.id }))
      const res = await fx.inject({ method: 'DELETE', url: `/api/employees/${boss.id}` })
      assert.equal(res.statusCode, 204)
      assert.equal(res.body, '')
      assert.equal((await fx.inject(`/api/employees/${boss.id}`)).statusCode, 404)
      const orphan = (await fx.inject(`/api/employees/${report.id}`)).json() as EmployeeDetail
      assert.equal(orphan.managerId, null)
      assert.equal(orphan.managerFirstName, null)
      assert.ok(Date.parse(orphan.modifiedAt) >= Date.parse(report.modifiedAt))
    })

    test('refuses a manager that does not exist, is the employee, or reports to the employee', async () => {
      const top = await create(newEmployee({ email: 'top@example.com', managerId: 1 }))
      const middle = await create(newEmployee({ email: 'middle@example.com', managerId: top.id }))
      const bottom = await create(newEmployee({ email: 'bottom@example.com', managerId: middle.id }))
      const before = await fx.snapshot()
      const cases: Array<[number | undefined, number, RegExp]> = [
        [undefined, 99_999, /existing employee/],
        [top.id, top.id, /itself/],
        [top.id, bottom.id, /own reports/],
      ]
      for (const [id, managerId, message] of cases) {
        const input = newEmployee({ managerId })
        const res =
          id === undefined
            ? await fx.inject({
                method: 'POST',
                url: '/api/employees',
                payload: input,
                headers: JSON_HEADERS,
              })
            : await put(id, input)
        assert.equal(res.statusCode, 400, res.body)
        assert.equal(res.json().code, 'validation_failed')
        assert.equal(res.json().errors[0].path, '/body/managerId')
        assert.match(res.json().errors[0].message, message)
      }
      assert.deepEqual(await fx.snapshot(), before)
    })

    test('matches %, _, \\ and quotes in a search literally', async () => {
      const percent = await create(newEmployee({ firstName: 'Per%cent', email: 'percent@example.com' }))
      const under = await create(newEmployee({ firstName: 'Under_score', email: 'under@example.com' }))
      const slash = await create(newEmployee({ firstName: 'Back\\slash', email: 'slash@example.com' }))
      const ids = async (url: string) => (await fx.inject(url)).json().map((e: EmployeeDetail) => e.id)
      assert.deepEqual(await ids('/api/employees/search/%25'), [percent.id])
      assert.deepEqual(await ids('/api/employees?q=_'), [under.id])
      assert.deepEqual(await ids('/api/employees/search/%5C'), [slash.id])
      assert.deepEqual(await ids('/api/employees/search/r%25c'), [percent.id])
      assert.deepEqual(await ids('/api/employees/search/r_s'), [under.id])
      assert.deepEqual(await ids(`/api/employees?q=${encodeURIComponent("' OR 1=1 --")}`), [])
      assert.deepEqual(await ids('/api/employees/search/!'), [])
    })
  })
}

describe('route guards', () => {
  const calls: string[] = []
  const guard =
    (name: string, deny: boolean): preValidationHookHandler =>
    (_request, _reply, done) => {
      calls.push(name)
      done(deny ? new ProblemError('forbidden') : undefined)
    }
  let fx: DirectoryFixture
  before(async () => {
    fx = await openDirectoryFixture('sqlite', {
      user: guard('user', false),
      admin: guard('admin', true),
      criticalAdmin: guard('criticalAdmin', true),
    })
  })
  after(() => fx.close())

  const cases: Array<[string, string, string | null]> = [
    ['GET', '/api/ping', null],
    ['GET', '/avatars/1.svg', 'user'],
    ['GET', '/api/employees', 'user'],
    ['GET', '/api/employees?q=an', 'user'],
    ['GET', '/api/employees/1', 'user'],
    ['GET', '/api/employees/search/an', 'user'],
    ['GET', '/api/employees/modifiedsince/0', 'user'],
    ['GET', '/api/employees/1/reports', 'admin'],
    ['POST', '/api/employees', 'admin'],
    ['PUT', '/api/employees/2', 'admin'],
    ['PATCH', '/api/employees/2', 'admin'],
    ['DELETE', '/api/employees/2', 'criticalAdmin'],
  ]
  for (const [method, url, expected] of cases) {
    test(`${method} ${url} runs ${expected ?? 'no'} guard`, async () => {
      calls.length = 0
      const payload = ['POST', 'PUT', 'PATCH'].includes(method) ? newEmployee() : undefined
      const res = await fx.inject({ method: method as 'GET', url, payload })
      assert.deepEqual(calls, expected === null ? [] : [expected])
      assert.equal(res.statusCode, ['admin', 'criticalAdmin'].includes(expected ?? '') ? 403 : 200, res.body)
    })
  }

  test('a denied write changes nothing', async () => {
    const before = await fx.snapshot()
    await fx.inject({ method: 'DELETE', url: '/api/employees/2' })
    await fx.inject({ method: 'PUT', url: '/api/employees/2', payload: newEmployee() })
    await fx.inject({ method: 'PATCH', url: '/api/employees/2', payload: { title: 'Denied' } })
    assert.deepEqual(await fx.snapshot(), before)
  })
})
