import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  parseAckMessage,
  parseRevocationEvent,
  parseRevocationMessage,
  publisherOf,
  serializeRevocationEvent,
} from './parse-revocation-event.ts'

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

test('reads the id to acknowledge by, and names its publisher', () => {
  const message = serializeRevocationEvent({ credentialId: 'ses_a' }, 'host-1-ab12cd.7')
  assert.equal(message, '{"credentialId":"ses_a","id":"host-1-ab12cd.7"}')
  assert.deepEqual(parseRevocationMessage(message), {
    event: { credentialId: 'ses_a' },
    id: 'host-1-ab12cd.7',
  })
  assert.deepEqual(parseRevocationMessage('{"userId":3}'), { event: { userId: 3 } })
  assert.equal(publisherOf('host-1-ab12cd.7'), 'host-1-ab12cd')
})

test('ignores an event whose id is not `<instance>.<number>`', () => {
  for (const id of ['', 'x', 'a b.1', 'a.b', 'a.1.2', 7, null, `${'a'.repeat(65)}.1`, 'tessera:acks.1']) {
    const message = JSON.stringify({ credentialId: 'ses_a', id })
    assert.equal(parseRevocationMessage(message), undefined, message)
  }
})

test('reads pings and acknowledgements on an acknowledgement channel, and nothing else', () => {
  assert.deepEqual(parseAckMessage('{"ping":4}'), { ping: 4 })
  assert.deepEqual(parseAckMessage('{"ack":"host-1.7","by":"host-2"}'), { ack: 'host-1.7', by: 'host-2' })
  for (const message of [
    'nope',
    '{}',
    '{"ping":"4"}',
    '{"ping":1.5}',
    '{"ping":4,"ack":"host-1.7"}',
    '{"ack":"host-1","by":"host-2"}',
    '{"ack":"host-1.7","by":"host 2"}',
    '{"ack":"host-1.7"}',
    '{"ack":"host-1.7","by":"host-2","extra":1}',
  ])
    assert.equal(parseAckMessage(message), undefined, message)
})
