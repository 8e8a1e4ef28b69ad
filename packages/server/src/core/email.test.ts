import assert from 'node:assert/strict'
import { test } from 'node:test'
import { LOOK_ALIKES } from '../../../../test/support/look-alike-emails.ts'
import { emailKey, emailProblem } from './email.ts'

const ADDRESS = 'ada@example.com'

test('refuses every invisible look-alike of an address and a trailing dot in the domain', () => {
  for (const [kind, email] of Object.entries(LOOK_ALIKES)) {
    assert.notEqual(emailProblem(email), undefined, kind)
  }
  assert.match(emailProblem('ada\u200b@example.com') ?? '', /invisible/)
})

test('gives each look-alike the lookup key of the address it imitates', () => {
  for (const [kind, email] of Object.entries(LOOK_ALIKES)) {
    assert.equal(emailKey(email), ADDRESS, kind)
  }
  assert.equal(emailKey('  ＡＤＡ@Example.COM '), ADDRESS)
})

test('accepts ordinary and international addresses', () => {
  for (const email of [
    ADDRESS,
    'Grace.Hopper+dir@mail.example.co.uk',
    'jürgen@müller.example',
    'شهرزاد@example.com',
  ]) {
    assert.equal(emailProblem(email), undefined, email)
  }
})

test('refuses an empty domain label and what is not an address', () => {
  for (const email of [
    'ada@example..com',
    'ada@.example.com',
    'ada@example',
    'ada example@x.com',
    'a@b@c.com',
  ]) {
    assert.equal(emailProblem(email), 'is not an email address', email)
  }
})
