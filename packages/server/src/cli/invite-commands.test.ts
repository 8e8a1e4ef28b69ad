import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { type SmtpCapture, startSmtpCapture } from '../../../../test/support/smtp-capture.ts'
import { acceptInvitation } from '../core/accounts/invitations.ts'
import { createTessera } from '../core/tessera.ts'
import { openDatabase } from '../db/index.ts'
import { createSqlStores } from '../stores/sql/index.ts'
import type { AuthTables } from '../stores/sql/schema.ts'
import { runCli } from './main.ts'

const file = join(tmpdir(), `cli-invite-${process.pid}-${Date.now()}.db`)
let smtp: SmtpCapture
let env: Record<string, string>

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = []
  const code = await runCli(args, env, (line) => lines.push(line))
  return { code, out: lines.join('\n') }
}

before(async () => {
  smtp = await startSmtpCapture()
  env = {
    DATABASE_URL: `sqlite:${file}`,
    TESSERA_SECRET: randomBytes(32).toString('hex'),
    PUBLIC_ORIGIN: 'http://127.0.0.1:3000',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Directory <no-reply@example.test>',
  }
})
after(async () => {
  await smtp.close()
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
})

test('tessera user invite mails a link that creates the account; the invitation is listed and can be revoked', async () => {
  const { code, out } = await cli(
    'user',
    'invite',
    'new.hire@example.com',
    '--name',
    'New Hire',
    '--role',
    'admin',
  )
  assert.equal(code, 0, out)
  assert.match(out, /invited new\.hire@example\.com as admin \(tok_/)
  const mail = await smtp.next('new.hire@example.com')
  assert.match(mail.link ?? '', /^http:\/\/127\.0\.0\.1:3000\/#invitation\//)
  const tessera = createTessera({
    stores: createSqlStores(openDatabase<AuthTables>(env.DATABASE_URL as string)),
    secret: env.TESSERA_SECRET as string,
    publicOrigin: 'http://127.0.0.1:3000',
  })
  try {
    const user = await acceptInvitation(
      tessera,
      mail.token as string,
      'violet submarine under granite',
      '127.0.0.1',
      Date.now(),
    )
    assert.deepEqual([user.role, user.name, user.emailVerifiedAt !== null], ['admin', 'New Hire', true])
  } finally {
    await tessera.close()
  }
  assert.match((await cli('user', 'invitations')).out, /accepted.*new\.hire@example\.com/)
  await cli('user', 'invite', 'later@example.com', '--name', 'Later')
  const listed = (await cli('user', 'invitations')).out.split('\n').find((l) => l.includes('later@')) ?? ''
  const tokenId = /^(tok_\S+)/.exec(listed)?.[1]
  assert.ok(tokenId, listed)
  assert.equal((await cli('user', 'uninvite', tokenId)).code, 0)
  assert.match((await cli('user', 'invitations')).out, /revoked.*later@example\.com/)
})

test('tessera user invite refuses a taken address and a bad name with exit code 2', async () => {
  await cli('user', 'add', 'taken@example.com', '--name', 'Taken')
  const taken = await cli('user', 'invite', 'taken@example.com', '--name', 'Again')
  assert.equal(taken.code, 2)
  assert.match(taken.out, /already exists/)
  const bad = await cli('user', 'invite', 'x@example.com', '--name', 'Eve\r\nBcc: y@example.com')
  assert.equal(bad.code, 2)
  assert.match(bad.out, /name/)
})

test('tessera user role and disable mail the owner a notice', async () => {
  await cli('user', 'add', 'noticed@example.com', '--name', 'Noticed')
  await cli('user', 'role', 'noticed@example.com', 'admin')
  assert.match((await smtp.next('noticed@example.com')).subject, /role was changed/)
  await cli('user', 'disable', 'noticed@example.com')
  assert.match((await smtp.next('noticed@example.com')).subject, /account was disabled/)
})
