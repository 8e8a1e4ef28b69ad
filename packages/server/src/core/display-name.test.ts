import assert from 'node:assert/strict'
import { test } from 'node:test'
import { displayNameProblem } from './display-name.ts'

test('refuses names with characters that change the display without being seen', () => {
  for (const name of [
    'Ada\u200bLovelace',
    'Ada Love\u00adlace',
    '\u202eecalevoL adA',
    'Ada\u2066 Lovelace',
    'Ada Lovelace\u{e0041}',
    'Ada\u0007 Lovelace',
    '\u200dAda',
    'Ada\u200d',
    'Ada\u200d\u200dLovelace',
  ]) {
    assert.match(displayNameProblem(name) ?? '', /invisible/, JSON.stringify(name))
  }
})

test('accepts joiners and variation selectors where a script or an emoji needs them', () => {
  for (const name of ['Ada Lovelace', 'می‌خواهم', 'Family 👨‍👩‍👧', 'Love 👨‍❤️‍👨', 'Star ⭐️', 'Zoë Ōkubo']) {
    assert.equal(displayNameProblem(name), undefined, name)
  }
})
