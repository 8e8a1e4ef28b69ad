import { internals } from '../internals.ts'
import { type MailKind, renderMail } from '../mail/mail-templates.ts'
import type { Tessera } from '../tessera.ts'

export interface Recipient {
  id: number | null
  name: string
  email: string
}

export interface MailExtras {
  link?: string
  code?: string
  note?: string
  expiresInMs?: number
}

/** Renders the mail of `kind` for `to` with the app's name and origin, and queues it. */
export function mailTo(tessera: Tessera, kind: MailKind, to: Recipient, extras: MailExtras = {}): void {
  const { appName, publicOrigin } = internals(tessera).config
  const message = renderMail(kind, {
    appName,
    origin: publicOrigin,
    to: { name: to.name, address: to.email },
    ...(extras.link !== undefined && { link: extras.link }),
    ...(extras.code !== undefined && { code: extras.code }),
    ...(extras.note !== undefined && { note: extras.note }),
    ...(extras.expiresInMs !== undefined && { expiresIn: describeDuration(extras.expiresInMs) }),
  })
  internals(tessera).mail.post(message, { kind, userId: to.id })
}

function describeDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000)
  if (minutes < 120) return `${minutes} minutes`
  const hours = Math.round(minutes / 60)
  return hours <= 72 ? `${hours} hours` : `${Math.round(hours / 24)} days`
}
