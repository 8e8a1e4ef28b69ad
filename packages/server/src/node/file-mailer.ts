import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import type { Mailer, MailMessage } from '../core/mail/mailer.ts'
import { toNodemailer } from './smtp-mailer.ts'

export interface FileMailerOptions {
  /** Where `.eml` files go, e.g. `data/mail/`. */
  directory: string
  from: string
  /** Called with one line per mail: its file and its link, so a developer can follow it. */
  log: (line: string) => void
}

/**
 * Development without SMTP: each mail becomes an `.eml` file (open it in any mail program) and
 * one log line with the link. Never for production: the link in the log is a live credential.
 */
export function createFileMailer(options: FileMailerOptions): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  let sequence = 0
  return {
    async send(message: MailMessage) {
      const built = await transport.sendMail({ from: options.from, ...toNodemailer(message) })
      await mkdir(options.directory, { recursive: true })
      const file = join(
        options.directory,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${++sequence}.eml`,
      )
      await writeFile(file, built.message as Buffer, { mode: 0o600 })
      const link = message.text.match(/https?:\/\/\S+/)?.[0] ?? '(no link)'
      options.log(`mail to ${message.to.address}: ${message.subject} → ${file} ${link}`)
    },
  }
}
