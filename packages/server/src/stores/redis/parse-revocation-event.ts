import type { RevocationEvent } from '../../core/stores.ts'

/** Far above any real message (`{"credentialId":"ses_…","id":"host-1-ab12cd.7"}`); longer ones are not even parsed. */
const MAX_MESSAGE_LENGTH = 512
const MAX_ID_LENGTH = 200
/** An instance id: what names its acknowledgement channel and its subscriber connection. */
const INSTANCE_ID = /^[A-Za-z0-9_-]{1,64}$/
/** A revocation id: the publishing instance's id, a dot, a sequence number. */
const REVOCATION_ID = /^([A-Za-z0-9_-]{1,64})\.\d{1,15}$/

/** One message on the revocation channel: the event, and the id to acknowledge it by (when asked). */
export interface RevocationMessage {
  event: RevocationEvent
  id?: string
}

/** One message on an instance's acknowledgement channel: another instance's ack, or its own ping coming back. */
export type AckChannelMessage = { ack: string; by: string } | { ping: number }

/** Reads one message from the revocation channel, or undefined: see `parseRevocationMessage`. */
export function parseRevocationEvent(message: string): RevocationEvent | undefined {
  return parseRevocationMessage(message)?.event
}

/**
 * Reads one message from the revocation channel: exactly one of `{"credentialId": "<id>"}` or
 * `{"userId": <positive integer>}`, optionally with `"id": "<instance>.<n>"` asking for an
 * acknowledgement. Anything else (not JSON, other members, wrong types, oversized) answers
 * undefined and is ignored: anyone who can publish on the channel can only make caches drop
 * entries, never more.
 */
export function parseRevocationMessage(message: string): RevocationMessage | undefined {
  const value = parseObject(message)
  if (value === undefined) return undefined
  const { id, credentialId, userId, ...rest } = value
  if (Object.keys(rest).length > 0) return undefined
  if (id !== undefined && !(typeof id === 'string' && REVOCATION_ID.test(id))) return undefined
  const withId = id === undefined ? {} : { id }
  if (credentialId !== undefined && userId === undefined && isId(credentialId))
    return { event: { credentialId }, ...withId }
  if (
    userId !== undefined &&
    credentialId === undefined &&
    Number.isSafeInteger(userId) &&
    (userId as number) > 0
  )
    return { event: { userId: userId as number }, ...withId }
  return undefined
}

/** The one wire form of an event: only its known member (and the id to acknowledge), whatever else the object carries. */
export function serializeRevocationEvent(event: RevocationEvent, id?: string): string {
  const member = 'credentialId' in event ? { credentialId: event.credentialId } : { userId: event.userId }
  return JSON.stringify(id === undefined ? member : { ...member, id })
}

/** The instance that published revocation `id`, whose acknowledgement channel hears the acks. */
export function publisherOf(id: string): string | undefined {
  return REVOCATION_ID.exec(id)?.[1]
}

export function isInstanceId(value: unknown): value is string {
  return typeof value === 'string' && INSTANCE_ID.test(value)
}

/** Reads an acknowledgement channel message; anything else answers undefined. */
export function parseAckMessage(message: string): AckChannelMessage | undefined {
  const value = parseObject(message)
  if (value === undefined) return undefined
  const keys = Object.keys(value).sort().join(',')
  if (keys === 'ping' && Number.isSafeInteger(value.ping)) return { ping: value.ping as number }
  if (
    keys === 'ack,by' &&
    typeof value.ack === 'string' &&
    REVOCATION_ID.test(value.ack) &&
    isInstanceId(value.by)
  )
    return { ack: value.ack, by: value.by }
  return undefined
}

function parseObject(message: string): Record<string, unknown> | undefined {
  if (message.length > MAX_MESSAGE_LENGTH) return undefined
  let value: unknown
  try {
    value = JSON.parse(message)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  return value as Record<string, unknown>
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH
}
