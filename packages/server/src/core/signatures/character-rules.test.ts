import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { test } from 'node:test'
import { isBaseSafe, isNonceText, isPaddedBase64 } from './character-rules.ts'

/** The regular expressions the loops replaced: each loop must answer exactly as its expression. */
const RULES = [
  {
    name: 'isPaddedBase64',
    loop: isPaddedBase64,
    expression: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  },
  { name: 'isNonceText', loop: isNonceText, expression: /^[A-Za-z0-9+/_=-]{22,128}$/ },
  { name: 'isBaseSafe', loop: isBaseSafe, expression: /^[\t\x20-\x7e]*$/ },
]
const ALPHABET = [
  'A',
  'z',
  '0',
  '9',
  '+',
  '/',
  '_',
  '-',
  '=',
  '==',
  ' ',
  '\t',
  '\n',
  '~',
  '\x7f',
  '\x1f',
  'é',
  '\u2003',
  '.',
]

for (const { name, loop, expression } of RULES) {
  test(`${name} agrees with its regular expression on 20,000 random strings and the edges`, () => {
    const edges = [
      '',
      '=',
      '==',
      '====',
      'A===',
      'AB==',
      'ABC=',
      'ABCD',
      'A'.repeat(21),
      'A'.repeat(22),
      'A'.repeat(128),
      'A'.repeat(129),
    ]
    for (const text of edges) assert.equal(loop(text), expression.test(text), JSON.stringify(text))
    for (let i = 0; i < 20_000; i++) {
      // Mostly long runs of the accepted alphabet, so the lengths near every bound come up.
      const length = randomInt(0, 140)
      let text = ''
      for (let j = 0; j < length; j++)
        text += randomInt(8) === 0 ? ALPHABET[randomInt(ALPHABET.length)] : ALPHABET[randomInt(6)]
      if (randomInt(3) === 0) text = text.slice(0, text.length - (text.length % 4))
      assert.equal(loop(text), expression.test(text), JSON.stringify(text))
    }
  })
}
