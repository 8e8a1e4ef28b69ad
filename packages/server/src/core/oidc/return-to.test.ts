import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sameOriginPath } from './return-to.ts'

test('keeps a path of this site with its query and fragment', () => {
  assert.equal(sameOriginPath('/#employees/7'), '/#employees/7')
  assert.equal(sameOriginPath('/reports?q=a%20b#top'), '/reports?q=a%20b#top')
})

test('refuses every target that would leave the site (no open redirect)', () => {
  for (const target of [
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    'javascript:alert(1)',
    'evil.example',
    '/\u0000x',
    `/${'a'.repeat(2048)}`,
  ])
    assert.equal(sameOriginPath(target), undefined, target)
})
