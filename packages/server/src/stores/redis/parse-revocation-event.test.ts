import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseRevocationEvent, serializeRevocationEvent } from './parse-revocation-event.ts'

test('reads a credential event and a user event', () => {
  assert.deepEqual(parseRevocationEvent('{"credentialId":"ses_abc"}'), { credentialId: 'ses_abc' })
  assert.deepEqual(parseRevocationEvent('{"userId":12}'), { userId: 12 })
})

test('round-trips what it serializes, dropping unknown members', () => {
  const event = { credentialId: 'key_1', note: 'x' } as unknown as { credentialId: string }
  assert.equal(serializeRevocationEvent(event), '{"credentialId":"key_1"}')
  assert.deepEqual(parseRevocationEvent(serializeRevocationEvent({ userId: 3 })), { userId: 3 })
})

test('ignores anything that is not exactly one valid member', () => {
  const malformed = [
    '',
    'nope',
    'null',
    '7',
    '[{"userId":1}]',
    '{}',
    '{"credentialId":""}',
    '{"credentialId":["ses_x"]}',
    '{"userId":"1"}',
    '{"userId":-1}',
    '{"userId":2.5}',
    '{"userId":1e300}',
    '{"userId":1,"credentialId":"ses_x"}',
    '{"__proto__":{"userId":1}}',
    `{"credentialId":"${'x'.repeat(201)}"}`,
    `{"credentialId":"ses_x"}${' '.repeat(600)}`,
  ]
  for (const message of malformed) assert.equal(parseRevocationEvent(message), undefined, message)
})
