import {
  type AdapterName,
  type AuthServer,
  type AuthServerOptions,
  startAuthServer,
} from '../../../../test/support/auth-server.ts'
import { type HttpAnswer, send } from '../../../../test/support/http-client.ts'
import { type SmtpCapture, startSmtpCapture } from '../../../../test/support/smtp-capture.ts'
import { internals } from '../../src/core/internals.ts'
import type { AuditEventName } from '../../src/core/stores.ts'
import { createSmtpMailer } from '../../src/node/smtp-mailer.ts'

export interface MailServer {
  server: AuthServer
  smtp: SmtpCapture
  /** POST from the app's own origin, no session. */
  post(path: string, body: unknown): Promise<HttpAnswer>
  /** Waits until every queued lookup and mail has been sent (or has failed). */
  settle(): Promise<void>
  /** Audit events of `event`, newest first. */
  audits(event: AuditEventName): Promise<Array<{ userId: number | null; detail: Record<string, unknown> }>>
  close(): Promise<void>
}

/** An auth server whose mails go over real SMTP to a capturing server on 127.0.0.1. */
export async function startMailServer(
  adapter: AdapterName,
  options: AuthServerOptions = {},
): Promise<MailServer> {
  const smtp = await startSmtpCapture()
  const server = await startAuthServer(adapter, {
    throttle: { ipAttempts: 10_000 },
    mailLimits: { perIp: 10_000 },
    appName: 'Directory',
    mailer: createSmtpMailer({ url: smtp.url, from: 'Directory <no-reply@example.test>', timeoutMs: 2000 }),
    ...options,
  })
  return {
    server,
    smtp,
    post: (path, body) =>
      send(server.baseUrl, { method: 'POST', path, headers: [['origin', server.origin]], body }),
    settle: () => internals(server.tessera).mail.drain(),
    async audits(event) {
      return server.stores.stores.audit.list({ limit: 200, event })
    },
    async close() {
      try {
        await server.close()
      } finally {
        await smtp.close()
      }
    },
  }
}

export const NEW_PASSWORD = 'Quartz-lantern 58 over the fjord'
