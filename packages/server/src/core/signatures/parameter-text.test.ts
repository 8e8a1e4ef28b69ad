import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parameterTexts } from './parameter-text.ts'

test('reads each parameter value as sent, after the inner list', () => {
  const texts = parameterTexts(
    '("@method" "x;y=1");created=1764000000.0;expires=1764000060;nonce="a;b=\\"c";flag;tag="tessera"',
  )
  assert.deepEqual(Object.fromEntries(texts), {
    created: '1764000000.0',
    expires: '1764000060',
    nonce: '"a;b=\\"c"',
    flag: '?1',
    tag: '"tessera"',
  })
})

test('tolerates spaces after a semicolon and keeps the last of a duplicated parameter', () => {
  const texts = parameterTexts('("@method"); created=1;created=2.5')
  assert.equal(texts.get('created'), '2.5')
})
