import type { RevocationEvent } from '../../core/stores.ts'

/** Far above any real event (`{"credentialId":"ses_…"}`); longer messages are not even parsed. */
const MAX_MESSAGE_LENGTH = 512
const MAX_ID_LENGTH = 200

/**
 * Reads one message from the revocation channel: exactly `{"credentialId": "<id>"}` or
 * `{"userId": <positive integer>}`. Anything else (not JSON, other members, wrong types,
 * oversized) answers undefined and is ignored: anyone who can publish on the channel can
 * only make caches drop entries, never more.
 */
export function parseRevocationEvent(message: string): RevocationEvent | undefined {
  if (message.length > MAX_MESSAGE_LENGTH) return undefined
  let value: unknown
  try {
    value = JSON.parse(message)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const keys = Object.keys(value)
  if (keys.length !== 1) return undefined
  const { credentialId, userId } = value as { credentialId?: unknown; userId?: unknown }
  if (keys[0] === 'credentialId' && isId(credentialId)) return { credentialId }
  if (keys[0] === 'userId' && Number.isSafeInteger(userId) && (userId as number) > 0)
    return { userId: userId as number }
  return undefined
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH
}

/** The one wire form of an event: only its known member, whatever else the object carries. */
export function serializeRevocationEvent(event: RevocationEvent): string {
  return JSON.stringify(
    'credentialId' in event ? { credentialId: event.credentialId } : { userId: event.userId },
  )
}
