import nodemailer from 'nodemailer'
import type { Mailer, MailMessage } from '../core/mail/mailer.ts'

export interface SmtpMailerOptions {
  /** SMTP_URL, e.g. `smtps://user:pass@smtp.example.com` or `smtp://127.0.0.1:2525`. */
  url: string
  /** MAIL_FROM, e.g. `Directory <no-reply@example.com>`. */
  from: string
  /** Connect, greeting and socket inactivity limit (ms): a down or slow server fails the send, default 10 s. */
  timeoutMs?: number
}

/** Sends through an SMTP server with nodemailer: one connection per mail, every wait bounded. */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const timeout = options.timeoutMs ?? 10_000
  const limits = { connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout }
  // Not `{ url }`: nodemailer then takes the URL's options alone and drops these limits.
  const transport = nodemailer.createTransport(
    { ...smtpServer(options.url), ...limits },
    { from: options.from },
  )
  return {
    async send(message: MailMessage) {
      await transport.sendMail(toNodemailer(message))
    },
    async close() {
      transport.close()
    },
  }
}

/** `smtp://` or `smtps://` (TLS from the start), with optional user and password, as transport options. */
export function smtpServer(url: string) {
  const parsed = new URL(url)
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')
    throw new Error('SMTP_URL must be smtp://host[:port] or smtps://user:password@host[:port]')
  const secure = parsed.protocol === 'smtps:'
  const auth = parsed.username
    ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) }
    : undefined
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
    secure,
    ...(auth && { auth }),
  }
}

/** Addresses as objects: nodemailer encodes the display name, so it can never add a header line. */
export function toNodemailer(message: MailMessage) {
  return {
    to: { name: message.to.name, address: message.to.address },
    subject: message.subject,
    text: message.text,
    html: message.html,
  }
}
