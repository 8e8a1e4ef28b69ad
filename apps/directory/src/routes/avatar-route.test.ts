import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createClient } from '@tessera/client'
import { type RunningDirectory, startDirectory } from '../start-directory.ts'
import { testConfig } from '../testing/directory-fixture.ts'

describe('avatars are for signed-in users only', () => {
  const file = join(tmpdir(), `directory-avatars-${process.pid}-${Date.now()}.db`)
  let running: RunningDirectory
  before(async () => {
    running = await startDirectory(testConfig(`sqlite:${file}`), { logger: false })
  })
  after(async () => {
    await running?.close()
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
  })

  function account(role: 'user' | 'admin') {
    const found = running.demoAccounts.find((a) => a.role === role)
    assert.ok(found)
    return found
  }

  test('an anonymous caller walking the ids gets 401 problems and no picture or name', async () => {
    for (const id of [1, 2, 3, 99_999]) {
      const res = await fetch(`${running.url}/avatars/${id}.svg`, { signal: AbortSignal.timeout(5000) })
      assert.equal(res.status, 401)
      assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/)
      const body = await res.json()
      assert.equal(body.code, 'unauthenticated')
      assert.doesNotMatch(JSON.stringify(body), /svg|Amara|Okafor/)
    }
  })

  test('a user with the session cookie gets the picture, initials only', async () => {
    const user = account('user')
    const login = await fetch(`${running.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: running.url },
      body: JSON.stringify({ email: user.email, password: user.password }),
      signal: AbortSignal.timeout(5000),
    })
    assert.equal(login.status, 200)
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string
    const res = await fetch(`${running.url}/avatars/1.svg`, {
      headers: { cookie },
      signal: AbortSignal.timeout(5000),
    })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'image/svg+xml; charset=utf-8')
    assert.equal(res.headers.get('cache-control'), 'private, max-age=300')
    const svg = await res.text()
    assert.match(svg, />AO<\/text><\/svg>$/)
    assert.doesNotMatch(svg, /Amara|Okafor|<title/)
  })

  test('a signed request (the mobile client) gets the picture', async () => {
    const user = account('user')
    const client = createClient({ baseUrl: running.url, mode: 'signed' })
    await client.login(user.email, user.password)
    try {
      const res = await client.fetch('/avatars/1.svg')
      assert.equal(res.status, 200)
      assert.match(await res.text(), /^<svg /)
    } finally {
      await client.logout()
    }
  })
})
