import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createClient } from '@tessera/client'
import { type BackboneLike, connectBackbone } from '@tessera/client/backbone'
import { CookieJar } from '@tessera/client/cookie-jar'
import Backbone from 'backbone'
import type { EmployeeDetail } from '../employees/employee-types.ts'
import { type RunningDirectory, startDirectory } from '../start-directory.ts'
import { testConfig } from '../testing/directory-fixture.ts'

const Employee = Backbone.Model.extend({ urlRoot: '/api/employees' })

/** Resolves with the status of the model's next `'sync'` (200) or `'error'` answer. */
function settle(model: Backbone.Model, start: () => void): Promise<number> {
  return new Promise((resolve) => {
    model.once('sync', () => resolve(200))
    model.once('error', (_m: unknown, answer: { status: number }) => resolve(answer.status))
    start()
  })
}

describe('a stock Backbone model saves a fetched employee through the client SDK', () => {
  const file = join(tmpdir(), `directory-backbone-${process.pid}-${Date.now()}.db`)
  let running: RunningDirectory
  let disconnect: () => void
  const jar = new CookieJar()
  before(async () => {
    running = await startDirectory(testConfig(`sqlite:${file}`), { logger: false })
    const admin = running.demoAccounts.find((a) => a.role === 'admin')
    assert.ok(admin)
    const client = createClient({ baseUrl: running.url, mode: 'session', cookieJar: jar })
    await client.login(admin.email, admin.password)
    disconnect = connectBackbone(Backbone as unknown as BackboneLike, client, {
      navigate: () => {},
      currentRoute: () => '',
    }).disconnect
  })
  after(async () => {
    disconnect?.()
    await running?.close()
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
  })

  test('save() PUTs the whole model, id and read-only fields included, and succeeds', async () => {
    const ada = new Employee({ id: 2 })
    assert.equal(await settle(ada, () => ada.fetch()), 200)
    ada.set('title', 'Chief Backbone Officer')
    assert.equal(await settle(ada, () => ada.save()), 200)
    const stored = (ada.toJSON() as EmployeeDetail).title
    assert.equal(stored, 'Chief Backbone Officer')
  })

  test('save(attrs, { patch: true }) PATCHes only those fields', async () => {
    const ada = new Employee({ id: 3 })
    assert.equal(await settle(ada, () => ada.fetch()), 200)
    const before = ada.toJSON() as EmployeeDetail
    assert.equal(await settle(ada, () => ada.save({ city: 'Lisbon' }, { patch: true })), 200)
    const after = ada.toJSON() as EmployeeDetail
    assert.deepEqual({ ...after, modifiedAt: before.modifiedAt }, { ...before, city: 'Lisbon' })
  })

  test('a save carrying a stale read-only field is refused with 400 and writes nothing', async () => {
    const ada = new Employee({ id: 4 })
    assert.equal(await settle(ada, () => ada.fetch()), 200)
    const before = ada.toJSON() as EmployeeDetail
    ada.set({ title: 'Never stored', reportCount: before.reportCount + 1 })
    assert.equal(await settle(ada, () => ada.save()), 400)
    const again = new Employee({ id: 4 })
    assert.equal(await settle(again, () => again.fetch()), 200)
    assert.equal((again.toJSON() as EmployeeDetail).title, before.title)
  })

  test('a PATCH with the session cookie but without the CSRF token is refused like a PUT', async () => {
    for (const method of ['PUT', 'PATCH']) {
      const answer = await fetch(`${running.url}/api/employees/5`, {
        method,
        headers: { cookie: jar.header() ?? '', 'content-type': 'application/json', origin: running.url },
        body: JSON.stringify({ title: 'Forged' }),
        signal: AbortSignal.timeout(5000),
      })
      assert.equal(answer.status, 403, method)
      assert.equal((await answer.json()).code, 'csrf_failed')
    }
  })
})
