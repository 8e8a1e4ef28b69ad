import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DIALECTS } from '../../../../test/support/databases.ts'
import { BAD_INPUTS } from '../testing/bad-inputs.ts'
import { type DirectoryFixture, openDirectoryFixture, PROBLEM_JSON } from '../testing/directory-fixture.ts'

for (const dialect of DIALECTS) {
  describe(`bad input on ${dialect}`, () => {
    let fx: DirectoryFixture
    before(async () => {
      fx = await openDirectoryFixture(dialect)
    })
    after(() => fx.close())

    for (const bad of BAD_INPUTS) {
      test(`refuses ${bad.name} with ${bad.status} ${bad.code} and changes nothing`, async () => {
        const before = await fx.snapshot()
        const res = await fx.inject(bad.request)
        assert.equal(res.statusCode, bad.status, res.body.slice(0, 300))
        assert.equal(res.headers['content-type'], PROBLEM_JSON)
        const body = res.json()
        assert.equal(body.code, bad.code)
        assert.equal(body.status, bad.status)
        if (bad.path !== undefined) assert.equal(body.errors?.[0]?.path, bad.path, JSON.stringify(body))
        assert.ok(res.body.length < 1000, 'the problem does not echo the input')
        assert.deepEqual(await fx.snapshot(), before)
      })
    }

    test('answers SQL and LIKE metacharacters with no match instead of every row', async () => {
      for (const term of ["' OR 1=1 --", '%', '_', '%%', '\\', "'; DROP TABLE employee; --"]) {
        const encoded = encodeURIComponent(term)
        for (const url of [`/api/employees/search/${encoded}`, `/api/employees?q=${encoded}`]) {
          const res = await fx.inject(url)
          assert.equal(res.statusCode, 200, url)
          assert.deepEqual(res.json(), [], url)
        }
      }
      assert.ok((await fx.inject('/api/employees')).json().length > 0)
    })
  })
}
