import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { RawHeaders, RequestView } from '../types.ts'
import { indexHeaders } from './header-index.ts'
import { buildSignatureBase } from './signature-base.ts'

const CONTEXT = { authority: 'example.com:8443', scheme: 'https' as const }

function base(target: string, components: string[], headers: RawHeaders = [], method = 'GET') {
  const request: RequestView = { method, target, headers, body: new Uint8Array(), ip: '' }
  return buildSignatureBase(request, indexHeaders(headers), components, '("x");created=1', CONTEXT)
}

function values(target: string, components: string[], headers: RawHeaders = []) {
  const result = base(target, components, headers)
  assert.ok(result.ok, JSON.stringify(result))
  return result.base.split('\n').slice(0, -1)
}

describe('derived components', () => {
  test('builds each derived component of the request', () => {
    const all = ['@method', '@authority', '@scheme', '@target-uri', '@request-target', '@path', '@query']
    assert.deepEqual(values('/a%20b/c?x=1&y=%2F', all), [
      '"@method": GET',
      '"@authority": example.com:8443',
      '"@scheme": https',
      '"@target-uri": https://example.com:8443/a%20b/c?x=1&y=%2F',
      '"@request-target": /a%20b/c?x=1&y=%2F',
      '"@path": /a%20b/c',
      '"@query": ?x=1&y=%2F',
    ])
  })

  test('gives @query as ? alone when the query is absent or empty (RFC 9421 §2.2.7)', () => {
    assert.deepEqual(values('/p', ['@query']), ['"@query": ?'])
    assert.deepEqual(values('/p?', ['@query']), ['"@query": ?'])
  })

  test('ends with the @signature-params line exactly as given, without a newline', () => {
    const result = base('/', ['@method'])
    assert.deepEqual(result, { ok: true, base: '"@method": GET\n"@signature-params": ("x");created=1' })
  })

  test('takes @path and @query from an absolute-form target; @request-target is the target as sent', () => {
    const all = ['@authority', '@target-uri', '@request-target', '@path', '@query']
    assert.deepEqual(values('https://example.com:8443/a/b?x=1', all), [
      '"@authority": example.com:8443',
      '"@target-uri": https://example.com:8443/a/b?x=1',
      '"@request-target": https://example.com:8443/a/b?x=1',
      '"@path": /a/b',
      '"@query": ?x=1',
    ])
  })

  test('fails with a clear reason for an asterisk-form or authority-form target', () => {
    const detail = 'request target is neither origin-form nor absolute-form'
    assert.deepEqual(base('*', ['@method']), { ok: false, detail })
    assert.deepEqual(base('example.com:443', ['@method']), { ok: false, detail })
  })
})

describe('header fields', () => {
  test('finds fields case-insensitively and joins several lines with a comma and space', () => {
    const headers: RawHeaders = [
      ['X-List', 'a'],
      ['x-list', 'b, c'],
      ['X-LIST', 'd'],
    ]
    assert.deepEqual(values('/', ['x-list'], headers), ['"x-list": a, b, c, d'])
  })

  test('trims surrounding spaces and tabs and unfolds obsolete line folding (RFC 9421 §2.1)', () => {
    const headers: RawHeaders = [['X-Folded', ' \tone\r\n   two \t']]
    assert.deepEqual(values('/', ['x-folded'], headers), ['"x-folded": one two'])
  })

  test('keeps an empty field value as an empty value', () => {
    assert.deepEqual(values('/', ['x-empty'], [['X-Empty', '']]), ['"x-empty": '])
  })

  test('fails for a covered field the request does not carry', () => {
    assert.deepEqual(base('/', ['x-absent']), { ok: false, detail: 'missing component x-absent' })
  })

  test('fails for a field value with characters the base cannot carry', () => {
    for (const value of ['caf\u00e9', 'a\u0000b', 'line\nbreak']) {
      const result = base('/', ['x-odd'], [['X-Odd', value]])
      assert.deepEqual(result, { ok: false, detail: 'invalid characters in component x-odd' })
    }
  })

  test('does not trim non-breaking spaces as JavaScript trim() would', () => {
    const result = base('/', ['x-nbsp'], [['X-Nbsp', 'a\u00a0']])
    assert.equal(result.ok, false)
  })
})
