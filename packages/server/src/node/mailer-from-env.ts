import { join } from 'node:path'
import type { Mailer } from '../core/mail/mailer.ts'
import { createFileMailer } from './file-mailer.ts'
import { createSmtpMailer } from './smtp-mailer.ts'

export interface MailerFromEnvOptions {
  /** SMTP_URL: the SMTP server; without it mails become `.eml` files (development only). */
  smtpUrl: string | undefined
  /** MAIL_FROM, e.g. `Directory <no-reply@example.com>`. */
  from: string | undefined
  /** NODE_ENV=production: SMTP_URL is then required (a link in a log file is no way to deliver mail). */
  production: boolean
  /** Where development mails go: `<dataDir>/mail/`. */
  dataDir: string
  log: (line: string) => void
}

/** The mailer the environment asks for: SMTP, or `.eml` files under `data/mail/` in development. */
export function mailerFromEnv(options: MailerFromEnvOptions): Mailer {
  const from = options.from ?? 'Tessera <no-reply@localhost>'
  if (options.smtpUrl !== undefined) return createSmtpMailer({ url: options.smtpUrl, from })
  if (options.production) {
    throw new Error(
      'SMTP_URL is required in production: invitations, verification and password reset send mail (e.g. SMTP_URL=smtps://user:pass@smtp.example.com MAIL_FROM="Directory <no-reply@example.com>")',
    )
  }
  return createFileMailer({ directory: join(options.dataDir, 'mail'), from, log: options.log })
}
