import type { AddressInfo } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface CapturedMail {
  to: string
  subject: string
  text: string
  html: string
  /** The raw message as it arrived (headers and all). */
  raw: string
  /** The first http(s) link of the text body. */
  link: string | undefined
  /** The token after the link's last `/`. */
  token: string | undefined
  /** A 6-digit code in the text, if any. */
  code: string | undefined
}

export interface SmtpCapture {
  url: string
  mails: CapturedMail[]
  /** Resolves with the next mail to `to` (already captured or still to come), or rejects after `timeoutMs`. */
  next(to: string, timeoutMs?: number): Promise<CapturedMail>
  /** Makes the server slow: it waits this long before answering each command (a stalled SMTP server). */
  stall(ms: number): void
  close(): Promise<void>
}

/** A real SMTP server on 127.0.0.1 (a free port) that keeps every message it receives. */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const mails: CapturedMail[] = []
  const waiting: Array<{ to: string; resolve: (m: CapturedMail) => void }> = []
  const taken = new Set<CapturedMail>()
  let delay = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Stalled test connections are cut after 1 s on close, not the default 30 s.
    closeTimeout: 1000,
    onConnect(_session, callback) {
      if (delay > 0) setTimeout(() => callback(), delay)
      else callback()
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const mail = toCaptured(await simpleParser(raw), raw)
        mails.push(mail)
        const i = waiting.findIndex((w) => w.to === mail.to)
        if (i >= 0) {
          taken.add(mail)
          waiting.splice(i, 1)[0]?.resolve(mail)
        }
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    next(to, timeoutMs = 10_000) {
      const ready = mails.find((m) => m.to === to.toLowerCase() && !taken.has(m))
      if (ready) {
        taken.add(ready)
        return Promise.resolve(ready)
      }
      return new Promise((resolve, reject) => {
        const entry = { to: to.toLowerCase(), resolve }
        waiting.push(entry)
        setTimeout(() => {
          const i = waiting.indexOf(entry)
          if (i >= 0) {
            waiting.splice(i, 1)
            reject(new Error(`no mail to ${to} within ${timeoutMs} ms`))
          }
        }, timeoutMs).unref()
      })
    },
    stall(ms) {
      delay = ms
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

function toCaptured(parsed: ParsedMail, raw: string): CapturedMail {
  const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to
  const text = parsed.text ?? ''
  const link = text.match(/https?:\/\/\S+/)?.[0]
  return {
    to: (to?.value[0]?.address ?? '').toLowerCase(),
    subject: parsed.subject ?? '',
    text,
    html: typeof parsed.html === 'string' ? parsed.html : '',
    raw,
    link,
    token: link?.split('/').pop(),
    code: text.match(/\b(\d{6})\b/)?.[1],
  }
}
