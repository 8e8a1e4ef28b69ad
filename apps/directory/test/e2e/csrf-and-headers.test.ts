import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { type E2e, logIn, startE2e } from './browser-fixture.ts'

/** Another origin's page that posts a form to the API as soon as it loads (a classic CSRF). */
function attackPage(action: string, enctype: string): string {
  const field = `<input type="hidden" name='{"firstName":"Mallory","x":"' value='"}'>`
  return `<!doctype html><title>cute kittens</title>
<form method="post" action="${action}" enctype="${enctype}">${field}</form>
<script>document.forms[0].submit()</script>`
}

async function startAttacker(pages: Record<string, string>): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const page = pages[req.url ?? '']
    if (page === undefined) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

describe('cross-site request forgery and page headers', { timeout: 60_000 }, () => {
  let e2e: E2e
  let attacker: { origin: string; server: Server }
  before(async () => {
    e2e = await startE2e()
    const target = `${e2e.running.url}/api/employees`
    attacker = await startAttacker({
      '/text': attackPage(target, 'text/plain'),
      '/form': attackPage(target, 'application/x-www-form-urlencoded'),
    })
  })
  after(async () => {
    attacker?.server.closeAllConnections()
    attacker?.server.close()
    await e2e?.close()
  })

  const employees = () =>
    e2e.running.database.kysely.selectFrom('employee').selectAll().orderBy('id').execute()

  test('a form posted from another origin page, with the admin logged in, changes nothing', async () => {
    const before = await employees()
    const { page, problems } = await e2e.open(`${e2e.running.url}/#login`)
    await logIn(page, e2e.admin)
    await page.getByText('Everyone (24)').waitFor()
    const victim = await page.context().newPage()
    for (const path of ['/text', '/form']) {
      const posted = victim.waitForResponse((r) => r.request().method() === 'POST')
      await victim.goto(`${attacker.origin}${path}`)
      const answer = await posted
      assert.equal(answer.status(), 415, path)
      assert.equal((await answer.json()).code, 'unsupported_media_type')
      // Another port on 127.0.0.1 is the same site: SameSite does not stop the cookie, the server does.
      assert.match((await answer.request().allHeaders()).cookie ?? '', /tessera-session=/)
    }
    const forged = await page.evaluate(async () => {
      const res = await fetch('/api/employees/1', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
      return { status: res.status, code: (await res.json()).code }
    })
    assert.deepEqual(forged, { status: 403, code: 'csrf_failed' }, 'JSON without the CSRF token is refused')
    assert.deepEqual(await employees(), before)
    assert.deepEqual(problems, [])
  })

  test('a script on another origin cannot call the API with the cookie: the CORS preflight fails', async () => {
    const { page } = await e2e.open(`${attacker.origin}/text`)
    await page.waitForLoadState()
    const outcome = await page.evaluate(async (api) => {
      try {
        await fetch(`${api}/api/employees/1`, {
          method: 'PUT',
          credentials: 'include',
          headers: { 'content-type': 'application/json' },
          body: '{"firstName":"Mallory"}',
        })
        return 'sent'
      } catch (error) {
        return (error as Error).name
      }
    }, e2e.running.url)
    assert.equal(outcome, 'TypeError')
  })

  test('serves the web app and the mobile client under a strict CSP, with no inline script', async () => {
    const mobileUrl = e2e.running.mobileUrl as string
    const api = e2e.running.url
    for (const [url, connect] of [
      [`${api}/`, "'self'"],
      [mobileUrl, `'self' ${api}`],
    ] as const) {
      const res = await fetch(url)
      const csp = res.headers.get('content-security-policy') ?? ''
      assert.match(csp, /default-src 'self'; script-src 'self'; style-src 'self'; /, url)
      assert.ok(csp.includes(`connect-src ${connect};`), csp)
      assert.match(csp, /frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'/)
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer')
      const html = await res.text()
      assert.doesNotMatch(
        html,
        /<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=/i,
        'no inline script, style or handler',
      )
    }
  })
})
