import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseTimestamp } from './parse-timestamp.ts'

test('reads Unix seconds as epoch milliseconds', () => {
  assert.equal(parseTimestamp('1764000000'), 1_764_000_000_000)
  assert.equal(parseTimestamp('0'), 0)
})

test('reads ISO-8601 dates and date-times, UTC when no zone is given', () => {
  assert.equal(parseTimestamp('2025-11-24'), Date.UTC(2025, 10, 24))
  assert.equal(parseTimestamp('2025-11-24T16:00:00Z'), Date.UTC(2025, 10, 24, 16))
  assert.equal(parseTimestamp('2025-11-24T16:00'), Date.UTC(2025, 10, 24, 16))
  assert.equal(parseTimestamp('2025-11-24T17:00:00.250+01:00'), Date.UTC(2025, 10, 24, 16, 0, 0, 250))
  assert.equal(parseTimestamp('2025-11-24T10:30:00-0530'), Date.UTC(2025, 10, 24, 16))
  assert.equal(parseTimestamp('2024-02-29t00:00:00z'), Date.UTC(2024, 1, 29))
})

test('refuses impossible dates and anything that is not a timestamp', () => {
  for (const text of [
    '',
    'yesterday',
    '-1',
    '1.5',
    '1e9',
    ' 1764000000',
    '123456789012',
    '2025-13-01',
    '2025-02-29',
    '2025-11-31',
    '2025-11-24T24:00:00Z',
    '2025-11-24T12:60:00Z',
    '2025-11-24T12:00:00+24:00',
    '2025-11-24T12:00:00Zjunk',
    "2025-11-24' OR 1=1 --",
    'NaN',
  ]) {
    assert.equal(parseTimestamp(text), undefined, text)
  }
})
