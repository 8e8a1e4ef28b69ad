import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ADAPTERS, startAuthServer } from '../../../../test/support/auth-server.ts'
import { send } from '../../../../test/support/http-client.ts'
import { startSmtpCapture } from '../../../../test/support/smtp-capture.ts'
import { internals } from '../../src/core/internals.ts'
import { createSmtpMailer } from '../../src/node/smtp-mailer.ts'

for (const adapter of ADAPTERS) {
  describe(`mail delivery failures on ${adapter}`, () => {
    test('SMTP down or stalled: the same 202 at once, the failure audited without the token', async () => {
      const slow = await startSmtpCapture()
      slow.stall(20_000)
      try {
        for (const url of ['smtp://127.0.0.1:1', slow.url]) {
          const server = await startAuthServer(adapter, {
            mailer: createSmtpMailer({ url, from: 'x@example.test', timeoutMs: 5000 }),
            mailLimits: { sendTimeoutMs: 3000 },
          })
          try {
            const user = await server.createUser()
            const started = Date.now()
            const answer = await send(server.baseUrl, {
              method: 'POST',
              path: '/auth/password/forgot',
              headers: [['origin', server.origin]],
              body: { email: user.email },
            })
            assert.equal(answer.status, 202, answer.text)
            // A send takes up to 3 s before it fails: an answer well before that did not wait for it.
            assert.ok(Date.now() - started < 2000, 'the answer does not wait for SMTP')
            await internals(server.tessera).mail.drain()
            const failed = await server.stores.stores.audit.list({ limit: 10, event: 'mail_failed' })
            assert.equal(failed.length, 1)
            assert.equal(failed[0]?.userId, user.id)
            assert.ok(['timeout', 'transport'].includes(String(failed[0]?.detail.reason)))
            assert.equal(
              (await server.stores.stores.audit.list({ limit: 10, event: 'token_issued' })).length,
              1,
            )
          } finally {
            await server.close()
          }
        }
      } finally {
        await slow.close()
      }
    })
  })
}
