const UNIX_SECONDS = /^[0-9]{1,11}$/
const ISO_8601 =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?)?$/

/** Minutes east of UTC for `Z`, `+02:00` or `-0530`; undefined if out of range. */
function offsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0
  const digits = zone.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = Number(digits.slice(2))
  if (hours > 23 || minutes > 59) return undefined
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes)
}

/** Date.UTC rolls 2024-02-30 over to March; a real date survives the round trip unchanged. */
function utcMillis(parts: number[]): number | undefined {
  const [year, month, day, hour, minute, second] = parts as [number, number, number, number, number, number]
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined
  const ms = Date.UTC(year, month - 1, day, hour, minute, second)
  const date = new Date(ms)
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? ms
    : undefined
}

/**
 * Epoch milliseconds for Unix seconds (`1764000000`) or an ISO-8601 date or date-time
 * (`2025-11-24`, `2025-11-24T16:00:00Z`, `2025-11-24T17:00:00.5+01:00`; no zone means UTC),
 * or undefined for anything else, including impossible dates.
 */
export function parseTimestamp(text: string): number | undefined {
  if (UNIX_SECONDS.test(text)) return Number(text) * 1000
  const match = ISO_8601.exec(text)
  if (match === null) return undefined
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match
  const ms = utcMillis([year, month, day, hour, minute, second].map(Number))
  const offset = offsetMinutes(zone)
  if (ms === undefined || offset === undefined) return undefined
  return ms + Math.floor(Number(`0.${fraction}0`) * 1000) - offset * 60_000
}
