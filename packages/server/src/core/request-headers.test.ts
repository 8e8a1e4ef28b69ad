import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { test } from 'node:test'
import { cookieValues } from './request-headers.ts'

/** The plain reading cookieValues must agree with: split on `;`, trim, match the prefix. */
function byPlainSplit(headers: [string, string][], name: string): string[] {
  return headers
    .filter(([key]) => key.toLowerCase() === 'cookie')
    .flatMap(([, value]) => value.split(';').map((part) => part.trim()))
    .filter((part) => part.startsWith(`${name}=`))
    .map((part) => part.slice(name.length + 1))
}

test('finds a cookie at the start, in the middle and at the end of a header, across headers', () => {
  const headers: [string, string][] = [
    ['Cookie', 'tessera-session=a; theme=dark'],
    ['host', 'example.com'],
    ['cookie', 'theme=dark;tessera-session=b ;x=1'],
  ]
  assert.deepEqual(cookieValues(headers, 'tessera-session'), ['a', 'b'])
})

test('does not take a cookie whose name or value merely contains the name', () => {
  const headers: [string, string][] = [
    ['cookie', 'x-tessera-session=a; y=tessera-session=b; tessera-session=c'],
  ]
  assert.deepEqual(cookieValues(headers, 'tessera-session'), ['c'])
})

test('agrees with splitting on semicolons for 2,000 random cookie headers', () => {
  const pieces = [
    'tessera-session=',
    's=',
    ';',
    '; ',
    ' ',
    '\t',
    'a',
    '=',
    'tessera-session',
    'x',
    '\u00a0',
    '\u2003',
    '\v',
  ]
  for (let i = 0; i < 2000; i++) {
    const value = Array.from({ length: randomInt(0, 12) }, () => pieces[randomInt(pieces.length)]).join('')
    const headers: [string, string][] = [['cookie', value]]
    assert.deepEqual(
      cookieValues(headers, 'tessera-session'),
      byPlainSplit(headers, 'tessera-session'),
      value,
    )
  }
})
