import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type SmtpCapture, startSmtpCapture } from '../../../../test/support/smtp-capture.ts'
import { addVerifiedUser } from './auth-tables.ts'
import { type E2e, logIn, PHONE, startE2e } from './browser-fixture.ts'

const NEW_PASSWORD = 'Quartz-lantern 58 over the fjord'

/** The link of a captured mail, opened in the browser at the running directory. */
function linkOf(mail: { link: string | undefined }): string {
  assert.ok(mail.link, 'the mail has a link')
  return mail.link
}

describe('account mails in the browser', { timeout: 120_000 }, () => {
  let e2e: E2e
  let smtp: SmtpCapture
  before(async () => {
    smtp = await startSmtpCapture()
    e2e = await startE2e({ auth: { openRegistration: true, smtpUrl: smtp.url } })
  })
  after(async () => {
    await e2e?.close()
    await smtp?.close()
  })

  test('an admin invites a colleague, who sets a password from the mail and logs in', async () => {
    const { page, problems } = await e2e.open(`${e2e.running.url}/#login`)
    await logIn(page, e2e.admin)
    await page.getByRole('link', { name: 'Invitations' }).click()
    await page.getByLabel('Name', { exact: true }).fill('Nina Newhire')
    await page.getByLabel('Email address').fill('nina@directory.example')
    await page.getByLabel('Role').selectOption('user')
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await page.getByText('Invitation sent to nina@directory.example.').waitFor()
    assert.equal(
      await page.locator('[data-role="invitations"] [data-role="status"]').first().textContent(),
      'pending',
    )
    const mail = await smtp.next('nina@directory.example')
    const invitee = await e2e.open(linkOf(mail))
    await invitee.page.getByText('Nina Newhire, choose a password for nina@directory.example.').waitFor()
    await invitee.page.getByLabel('New password').fill(NEW_PASSWORD)
    await invitee.page.getByRole('button', { name: 'Create my account' }).click()
    await invitee.page.locator('header [data-role="user-name"]').getByText('Nina Newhire').waitFor()
    const again = await e2e.open(linkOf(mail))
    await again.page.getByText('This link was already used').waitFor()
    const fresh = await e2e.open(`${e2e.running.url}/#login`)
    await logIn(fresh.page, { email: 'nina@directory.example', password: NEW_PASSWORD })
    await fresh.page.locator('header [data-role="user-name"]').getByText('Nina Newhire').waitFor()
    assert.deepEqual([...problems, ...invitee.problems, ...again.problems, ...fresh.problems], [])
  })

  test('forgot password: the mailed link sets a new password and the old sessions are gone', async () => {
    const who = { email: 'reset-me@directory.example', password: 'violet submarine under granite' }
    await addVerifiedUser(e2e.running, { ...who, name: 'Rhea Reset' })
    const before = await e2e.open(`${e2e.running.url}/#login`)
    await logIn(before.page, who)
    await before.page.locator('header [data-role="user-name"]').getByText('Rhea Reset').waitFor()
    const { page, problems } = await e2e.open(`${e2e.running.url}/#login`)
    await page.getByRole('link', { name: 'Forgot password?' }).click()
    await page.getByLabel('Email address').fill(who.email)
    await page.getByRole('button', { name: 'Send the link' }).click()
    await page.getByText('If the address has an account, a mail with a link is on its way.').waitFor()
    const mail = await smtp.next(who.email)
    await page.goto(linkOf(mail))
    await page.getByLabel('New password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Set the new password' }).click()
    await page.getByText('Your password was changed. Log in with the new one.').waitFor()
    await logIn(page, { email: who.email, password: NEW_PASSWORD })
    await page.locator('header [data-role="user-name"]').getByText('Rhea Reset').waitFor()
    await before.page.goto(`${e2e.running.url}/#account`)
    await before.page.getByRole('heading', { name: 'Log in' }).waitFor()
    const live = await e2e.running.tessera.listCredentials(
      (await e2e.running.tessera.findUser(who.email))?.id ?? 0,
    )
    assert.equal(live.length, 1, 'only the session made after the reset is live')
    const used = await e2e.open(linkOf(mail))
    await used.page.getByLabel('New password').fill(`${NEW_PASSWORD} again`)
    await used.page.getByRole('button', { name: 'Set the new password' }).click()
    await used.page.getByText('This link was already used').waitFor()
    assert.deepEqual([...problems, ...before.problems, ...used.problems], [])
  })

  test('registering an address that has an account answers like a new one, and mails its owner', async () => {
    const { page, problems } = await e2e.open(`${e2e.running.url}/#register`)
    await page.getByLabel('Your name').fill('Someone Else')
    await page.getByLabel('Email address').fill(e2e.user.email)
    await page.getByLabel('Password').fill('lantern meadow quietly fourteen')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByText('Check your inbox: we sent you a mail about your account.').waitFor()
    const mail = await smtp.next(e2e.user.email)
    assert.match(mail.subject, /Someone tried to register with your address/)
    assert.match(linkOf(mail), /#reset\//)
    assert.deepEqual(problems, [])
  })

  test('the mobile client resets a password with the mailed 6-digit code', async () => {
    const who = { email: 'mobile-reset@directory.example', password: 'violet submarine under granite' }
    await addVerifiedUser(e2e.running, { ...who, name: 'Mo Bile' })
    assert.ok(e2e.running.mobileUrl)
    const { page, problems } = await e2e.open(e2e.running.mobileUrl, PHONE)
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    await page.getByRole('link', { name: 'Forgot password?' }).click()
    await page.getByLabel('Email address').fill(who.email)
    await page.getByRole('button', { name: 'Send the code' }).click()
    const mail = await smtp.next(who.email)
    assert.ok(mail.code)
    await page.getByLabel('Code from the mail').fill(mail.code)
    await page.getByLabel('New password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Set the new password' }).click()
    await page.getByText('Your password was changed. Log in with the new one.').waitFor()
    await logIn(page, { email: who.email, password: NEW_PASSWORD })
    await page.getByRole('heading', { name: 'Find a colleague' }).waitFor()
    assert.deepEqual(problems, [])
  })

  test('the account page changes the email through the new address, and the old one can undo it', async () => {
    const who = { email: 'mover@directory.example', password: 'violet submarine under granite' }
    await addVerifiedUser(e2e.running, { ...who, name: 'Max Mover' })
    const { page, problems } = await e2e.open(`${e2e.running.url}/#login`)
    await logIn(page, who)
    await page.locator('header [data-role="user-name"]').getByText('Max Mover').waitFor()
    await page.goto(`${e2e.running.url}/#account`)
    await page.getByLabel('New email address').fill('moved@directory.example')
    await page.getByLabel('Your password, to confirm').fill(who.password)
    await page.getByRole('button', { name: 'Change email' }).click()
    await page.getByText('Check the inbox of moved@directory.example').waitFor()
    const confirm = await smtp.next('moved@directory.example')
    await page.goto(linkOf(confirm))
    await page.getByText('Your new email address is confirmed.').waitFor()
    const notice = await smtp.next(who.email)
    assert.match(notice.subject, /email address was changed/)
    const undo = await e2e.open(linkOf(notice))
    await undo.page.getByText('Your old address is back').waitFor()
    await undo.page.goto(`${e2e.running.url}/#login`)
    await logIn(undo.page, who)
    await undo.page.locator('header [data-role="user-name"]').getByText('Max Mover').waitFor()
    assert.deepEqual([...problems, ...undo.problems], [])
  })

  test('a self-registered account sees the verification banner until it follows the link', async () => {
    const who = { email: 'newbie@directory.example', password: 'lantern meadow quietly fourteen' }
    const { page, problems } = await e2e.open(`${e2e.running.url}/#register`)
    await page.getByLabel('Your name').fill('Nia Newbie')
    await page.getByLabel('Email address').fill(who.email)
    await page.getByLabel('Password').fill(who.password)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByText('Welcome, Nia Newbie! Your account is ready.').waitFor()
    await smtp.next(who.email)
    await page.goto(`${e2e.running.url}/#account`)
    await page.getByRole('button', { name: 'Send the link again' }).click()
    await page.getByText('A new link is on its way.').waitFor()
    const mail = await smtp.next(who.email)
    await page.goto(linkOf(mail))
    await page.getByText('Thank you: your email address is verified.').waitFor()
    await page.goto(`${e2e.running.url}/#account`)
    await page.getByRole('heading', { name: 'Change email address' }).waitFor()
    assert.equal(await page.locator('[data-role="verify-banner"]').count(), 0)
    assert.deepEqual(problems, [])
  })
})
