import type { AuditLog } from '../audit-log.ts'
import type { TesseraLogger } from '../logger.ts'
import { sha256Hex } from '../secrets.ts'
import type { RateLimitStore } from '../stores.ts'
import type { Mailer, MailMessage } from './mailer.ts'

export interface MailLimits {
  /** Mails one address may receive per window (forgot, verify, invite, register): default 3 an hour. */
  perAddress: number
  /** Mails one client IP may cause per window: default 20 an hour. */
  perIp: number
  windowMs: number
  /** A send that has not finished by then counts as failed (SMTP down or slow): default 10 s. */
  sendTimeoutMs: number
}

export const DEFAULT_MAIL_LIMITS: MailLimits = Object.freeze({
  perAddress: 3,
  perIp: 20,
  windowMs: 3_600_000,
  sendTimeoutMs: 10_000,
})

/** What a mail is about, for the audit trail (never the token, never the body). */
export interface MailMeta {
  kind: string
  userId: number | null
}

/**
 * Account mails leave the request path here. `admit` counts the send limits (a store write,
 * the same for a known and an unknown address, so answers do not differ); `later` runs the
 * work that looks the account up and mails it after the answer has gone; `post` sends with a
 * bounded time. Failures are logged and audited, never thrown at a request.
 */
export class MailOutbox {
  readonly #mailer: Mailer
  readonly #rateLimits: RateLimitStore
  readonly #audit: AuditLog
  readonly #logger: TesseraLogger | undefined
  readonly #limits: MailLimits
  readonly #pending = new Set<Promise<void>>()

  constructor(
    mailer: Mailer,
    rateLimits: RateLimitStore,
    audit: AuditLog,
    logger: TesseraLogger | undefined,
    limits: MailLimits,
  ) {
    this.#mailer = mailer
    this.#rateLimits = rateLimits
    this.#audit = audit
    this.#logger = logger
    this.#limits = limits
  }

  /** Counts one mail to `emailKey` caused by `ip`; false (audited) when either limit holds it back. */
  async admit(kind: string, emailKey: string, ip: string, now: number): Promise<boolean> {
    const { windowMs, perAddress, perIp } = this.#limits
    // The address is hashed: counter keys live in Redis/SQL and should not list who asked.
    const [address, client] = await Promise.all([
      this.#rateLimits.hit(`mail:to:${sha256Hex(emailKey)}`, windowMs, now),
      this.#rateLimits.hit(`mail:ip:${ip}`, windowMs, now),
    ])
    const held = address.count > perAddress ? 'address' : client.count > perIp ? 'ip' : undefined
    if (held === undefined) return true
    await this.#audit.record('mail_held', { ip, detail: { kind, limit: held } })
    return false
  }

  /** Runs `work` after the current request has been answered; errors are logged, never thrown. */
  later(what: string, work: () => Promise<void>): void {
    this.#track(
      new Promise<void>((resolve) => setImmediate(resolve)).then(work).catch((error: unknown) => {
        this.#logger?.error({ err: error, what }, 'account mail work failed')
      }),
    )
  }

  /** Sends in the background with a bounded time; audits `mail_sent` or `mail_failed`. */
  post(message: MailMessage, meta: MailMeta): void {
    this.#track(this.#send(message, meta))
  }

  /** Waits until every queued piece of work and mail has finished (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending])
  }

  async close(): Promise<void> {
    await this.drain()
    await this.#mailer.close?.()
  }

  #track(work: Promise<void>): void {
    this.#pending.add(work)
    void work.finally(() => this.#pending.delete(work))
  }

  async #send(message: MailMessage, meta: MailMeta): Promise<void> {
    const detail = { kind: meta.kind }
    try {
      await withTimeout(this.#mailer.send(message), this.#limits.sendTimeoutMs)
      await this.#audit.record('mail_sent', { userId: meta.userId, detail })
    } catch (error) {
      const reason = error instanceof MailTimeout ? 'timeout' : 'transport'
      this.#logger?.warn({ err: error, kind: meta.kind }, 'mail send failed')
      await this.#audit.record('mail_failed', { userId: meta.userId, detail: { ...detail, reason } })
    }
  }
}

class MailTimeout extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MailTimeout(`mail not sent within ${ms} ms`)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
