import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { MasterSecrets } from '../secrets.ts'
import { boundCookie, boundCookieValid } from './bound-cookie.ts'
import { chromeOnWindows, resolveDbsc } from './dbsc-config.ts'

const NOW = Date.UTC(2030, 0, 1)
const key = new MasterSecrets(randomBytes(32)).derive('dbsc-cookie')
const config = resolveDbsc({}, true)

test('the bound cookie is worth something for its own session until its 10 minutes are up', () => {
  const cookie = boundCookie(key, config, 'ses_a', NOW)
  assert.deepEqual(
    [cookie.name, cookie.maxAge, cookie.httpOnly, cookie.secure],
    ['__Host-tessera-bound', 600, true, true],
  )
  assert.equal(boundCookieValid(key, 'ses_a', cookie.value, NOW + 599_000), true)
  assert.equal(boundCookieValid(key, 'ses_a', cookie.value, NOW + 600_000), false)
  assert.equal(boundCookieValid(key, 'ses_b', cookie.value, NOW), false)
  const [expires, mac] = cookie.value.split('.') as [string, string]
  assert.equal(boundCookieValid(key, 'ses_a', `${Number(expires) + 60}.${mac}`, NOW), false)
  for (const junk of ['', '.', 'x.y', `${expires}.`, `${expires}`])
    assert.equal(boundCookieValid(key, 'ses_a', junk, NOW), false, junk)
})

test('options are checked at start-up', () => {
  assert.throws(() => resolveDbsc({ boundCookieMs: 10 }, true), /dbsc.boundCookieMs/)
  assert.throws(() => resolveDbsc({ challengeMs: Number.NaN }, true), /dbsc.challengeMs/)
  assert.equal(resolveDbsc({}, false).cookieName, 'tessera-bound')
  assert.deepEqual([config.boundCookieMs, config.challengeMs, config.enabled], [600_000, 300_000, true])
})

test('the default "can bind" test: Chrome or Edge 145+ on Windows, by client hints', () => {
  const hints = (brands: string, platform: string) =>
    [
      ['sec-ch-ua', brands],
      ['Sec-CH-UA-Platform', platform],
    ] as const
  assert.equal(chromeOnWindows(hints('"Not:A-Brand";v="8", "Google Chrome";v="145"', '"Windows"')), true)
  assert.equal(chromeOnWindows(hints('"Microsoft Edge";v="150", "Chromium";v="150"', '"Windows"')), true)
  assert.equal(chromeOnWindows(hints('"Google Chrome";v="144"', '"Windows"')), false)
  assert.equal(chromeOnWindows(hints('"Chromium";v="156"', '"Linux"')), false)
  assert.equal(chromeOnWindows([]), false)
})
