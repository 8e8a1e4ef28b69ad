import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { type SmtpCapture, startSmtpCapture } from '../../../../test/support/smtp-capture.ts'
import { renderMail } from '../core/mail/mail-templates.ts'
import { createFileMailer } from './file-mailer.ts'
import { createSmtpMailer } from './smtp-mailer.ts'

const FROM = 'Directory <no-reply@example.test>'

function mail(name: string, address = 'eve@example.test') {
  return renderMail('reset', {
    appName: 'Directory\r\nX-Injected: yes',
    origin: 'https://directory.example.test',
    to: { name, address },
    link: '/#reset/abc',
    code: '123456',
    expiresIn: '30 minutes',
  })
}

describe('SMTP mailer', () => {
  let smtp: SmtpCapture
  before(async () => {
    smtp = await startSmtpCapture()
  })
  after(() => smtp.close())

  test('a CR LF in a display name or the app name adds no mail header', async () => {
    const mailer = createSmtpMailer({ url: smtp.url, from: FROM })
    await mailer.send(mail('Eve\r\nBcc: victim@example.test\r\n'))
    const received = await smtp.next('eve@example.test')
    const [headers] = received.raw.split(/\r?\n\r?\n/)
    assert.doesNotMatch(headers ?? '', /^(Bcc|X-Injected):/im)
    assert.match(received.subject, /^Directory X-Injected: yes: Reset your password$/)
    assert.equal(smtp.mails.filter((m) => m.to === 'victim@example.test').length, 0)
    await mailer.close?.()
  })

  test('escapes markup of a display name in the HTML body', () => {
    const { html, text } = mail('<img src=x onerror=alert(1)>')
    assert.doesNotMatch(html, /<img/)
    assert.match(text, /<img src=x/)
  })

  test('a server that is down fails the send within the bound', async () => {
    const mailer = createSmtpMailer({ url: 'smtp://127.0.0.1:1', from: FROM, timeoutMs: 500 })
    const started = Date.now()
    await assert.rejects(mailer.send(mail('Eve')))
    assert.ok(Date.now() - started < 3000)
  })

  test('a server that stalls fails the send within the bound', async () => {
    const slow = await startSmtpCapture()
    slow.stall(5000)
    try {
      const mailer = createSmtpMailer({ url: slow.url, from: FROM, timeoutMs: 300 })
      const started = Date.now()
      await assert.rejects(mailer.send(mail('Eve')))
      assert.ok(Date.now() - started < 3000, `failed after ${Date.now() - started} ms`)
    } finally {
      await slow.close()
    }
  })
})

describe('file mailer (development)', () => {
  test('writes each mail as an .eml file and logs one line with its link', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tessera-mail-'))
    try {
      const lines: string[] = []
      const mailer = createFileMailer({ directory, from: FROM, log: (l) => lines.push(l) })
      await mailer.send(mail('Eve'))
      const files = await readdir(directory)
      assert.equal(files.length, 1)
      assert.match(files[0] ?? '', /\.eml$/)
      const eml = await readFile(join(directory, files[0] ?? ''), 'utf8')
      assert.match(eml, /^To: Eve <eve@example\.test>$/m)
      assert.match(eml, /^From: Directory <no-reply@example\.test>$/m)
      assert.equal(lines.length, 1)
      assert.match(
        lines[0] ?? '',
        /eve@example\.test.*\.eml https:\/\/directory\.example\.test\/#reset\/abc$/,
      )
    } finally {
      await rm(directory, { recursive: true, force: true })
    }
  })
})
