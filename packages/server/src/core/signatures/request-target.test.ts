import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readRequestTarget } from './request-target.ts'

test('reads an origin-form target as its path and query, with no authority', () => {
  assert.deepEqual(readRequestTarget('/api/employees?q=an'), { pathAndQuery: '/api/employees?q=an' })
})

test('reads an absolute-form target as the same path and query plus the authority it names', () => {
  assert.deepEqual(readRequestTarget('http://127.0.0.1:3000/api/employees?q=an'), {
    pathAndQuery: '/api/employees?q=an',
    authority: '127.0.0.1:3000',
  })
  assert.deepEqual(readRequestTarget('HTTPS://Example.COM'), { pathAndQuery: '/', authority: 'Example.COM' })
  assert.deepEqual(readRequestTarget('http://example.com?q=1'), {
    pathAndQuery: '/?q=1',
    authority: 'example.com',
  })
})

test('has nothing to sign for asterisk-form, authority-form, other schemes, no authority or a fragment', () => {
  for (const target of ['*', 'example.com:443', 'ftp://example.com/x', 'http:///x', 'http://h/x#frag']) {
    assert.equal(readRequestTarget(target), undefined, target)
  }
})
