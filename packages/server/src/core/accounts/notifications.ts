import { createHash } from 'node:crypto'
import { isIP } from 'node:net'
import { internals } from '../internals.ts'
import { singleHeader } from '../request-headers.ts'
import type { UserRecord } from '../stores.ts'
import type { Tessera } from '../tessera.ts'
import type { RequestView } from '../types.ts'
import { mailTo } from './account-mail.ts'

/** A notice to the account's owner that something changed: never holds a link that acts. */
export function notifyOwner(
  tessera: Tessera,
  user: Pick<UserRecord, 'id' | 'name' | 'email'>,
  kind: 'password_changed' | 'disabled' | 'role_changed',
  note?: string,
): void {
  mailTo(tessera, kind, user, note === undefined ? {} : { note })
}

/**
 * After a login: mails the owner when the device (user agent family + IP prefix) was not seen
 * before for this account. The first device of an account is remembered silently. Runs off the
 * request path; a failure is logged by the outbox.
 */
export function noticeDevice(tessera: Tessera, user: UserRecord, request: RequestView, now: number): void {
  const family = userAgentFamily(singleHeader(request.headers, 'user-agent') ?? '')
  const prefix = ipPrefix(request.ip)
  const fingerprint = createHash('sha256').update(`${family}|${prefix}`).digest('hex')
  internals(tessera).mail.later('new device notice', async () => {
    const seen = await internals(tessera).stores.knownDevices.remember(user.id, fingerprint, now)
    if (seen === 'new') mailTo(tessera, 'new_device', user, { note: `${family} from ${prefix}` })
  })
}

/** The browser or client family without versions: `Firefox on Linux`, `curl`. */
export function userAgentFamily(agent: string): string {
  const browser = /Edg\//.test(agent)
    ? 'Edge'
    : /Firefox\//.test(agent)
      ? 'Firefox'
      : /Chrome\//.test(agent)
        ? 'Chrome'
        : /Safari\//.test(agent)
          ? 'Safari'
          : (agent.match(/^[A-Za-z][\w.-]{0,30}/)?.[0] ?? 'unknown client')
  const os = /Windows/.test(agent)
    ? 'Windows'
    : /Android/.test(agent)
      ? 'Android'
      : /iPhone|iPad/.test(agent)
        ? 'iOS'
        : /Mac OS X/.test(agent)
          ? 'macOS'
          : /Linux/.test(agent)
            ? 'Linux'
            : undefined
  return os === undefined ? browser : `${browser} on ${os}`
}

/** IPv4 /24 or IPv6 /48: a network, not a host, so a DHCP lease change is not a new device. */
export function ipPrefix(ip: string): string {
  if (isIP(ip) === 4) return `${ip.split('.').slice(0, 3).join('.')}.0/24`
  if (isIP(ip) === 6) return `${ip.split(':').slice(0, 3).join(':')}::/48`
  return 'unknown network'
}
