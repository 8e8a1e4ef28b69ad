import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import pg from 'pg'
import { logIn } from '../../apps/directory/test/e2e/browser-fixture.ts'
import { freePorts } from '../scale-out/free-ports.ts'
import { launchChromium } from '../support/chromium.ts'
import {
  addUser,
  type Backing,
  canListen,
  type Deployment,
  PUBLIC_NAME,
  startBacking,
  startInstances,
} from './deployment.ts'
import { nginxBlockFromDocs } from './docs-nginx-block.ts'
import { nginxInstalled } from './nginx-process.ts'
import {
  CLIENT_ADDRESS,
  http2Send,
  httpSend,
  httpsSend,
  loginForKey,
  signedGet,
  socketSend,
  type Target,
} from './public-client.ts'

const skip = nginxInstalled()
  ? false
  : 'nginx is not installed (/usr/sbin/nginx; .ci/run installs Debian nginx)'
const EMAIL = 'deploy@example.com'

/** Issue 19: docs/deploy.md's nginx block, as written, in front of two instances on PostgreSQL + Redis. */
describe('the nginx deployment of docs/deploy.md, on a public port other than 443', {
  skip,
  timeout: 120_000,
}, () => {
  let backing: Backing
  let deployment: Deployment
  let password: string
  let target: Target

  before(async () => {
    backing = await startBacking()
    const [httpsPort, httpPort] = (await freePorts(2)) as [number, number]
    deployment = await startInstances(backing, httpsPort, httpPort)
    password = await addUser(backing, EMAIL)
    await deployment.proxy(nginxBlockFromDocs())
    target = { httpsPort, authority: deployment.authority, ca: backing.tls.ca }
  })
  after(async () => {
    await deployment?.close()
    await backing?.close()
  })

  test('a browser logs in over https through the proxy: __Host- cookie, HSTS', async () => {
    const browser = await launchChromium([
      `--host-resolver-rules=MAP ${PUBLIC_NAME} 127.0.0.1`,
      `--ignore-certificate-errors-spki-list=${backing.tls.spki}`,
    ])
    try {
      const page = await browser.newPage()
      page.setDefaultTimeout(15_000)
      const answer = await page.goto(`${deployment.origin}/#login`)
      assert.equal(answer?.status(), 200)
      assert.match(answer?.headers()['strict-transport-security'] ?? '', /max-age=63072000/)
      await logIn(page, { email: EMAIL, password })
      await page.getByText('Everyone (24)').waitFor()
      const cookies = await page.context().cookies(deployment.origin)
      const session = cookies.find((c) => c.name === '__Host-tessera')
      assert.ok(session, `cookies: ${cookies.map((c) => c.name)}`)
      assert.deepEqual(
        [session.secure, session.httpOnly, session.sameSite, session.path],
        [true, true, 'Strict', '/'],
      )
    } finally {
      await browser.close()
    }
  })

  test('an HMAC-signed request (HTTP/1.1) and a device-signed request (HTTP/2) are accepted', async () => {
    const hmac = await loginForKey(target, EMAIL, password)
    const url = `${deployment.origin}/api/employees/7`
    // Twice each: nginx alternates between the instances.
    for (let i = 0; i < 2; i++) {
      const answer = await httpsSend(target, { path: '/api/employees/7', headers: signedGet(hmac, url) })
      assert.equal(answer.status, 200, answer.text)
    }
    const device = await loginForKey(target, EMAIL, password, true)
    assert.equal(device.algorithm, 'ecdsa-p256-sha256')
    for (let i = 0; i < 2; i++) {
      const answer = await http2Send(target, { path: '/api/employees/7', headers: signedGet(device, url) })
      assert.equal(answer.status, 200, answer.text)
    }
  })

  test("a request signed for an instance's own address is refused, through the proxy or on its socket", async () => {
    const key = await loginForKey(target, EMAIL, password)
    const direct = 'http://localhost/api/employees/7'
    const viaProxy = await httpsSend(target, { path: '/api/employees/7', headers: signedGet(key, direct) })
    assert.equal(viaProxy.status, 401)
    assert.equal(viaProxy.json.code, 'invalid_signature')
    const socket = `${deployment.socketDir}/a.sock`
    const onSocket = await socketSend(socket, { path: '/api/employees/7', headers: signedGet(key, direct) })
    assert.equal(onSocket.status, 401)
    assert.equal(onSocket.json.code, 'invalid_signature')
  })

  test("a forged X-Forwarded-For is replaced by the client's address", async () => {
    const forged = await httpsSend(target, {
      method: 'POST',
      path: '/auth/login',
      headers: [
        ['content-type', 'application/json'],
        ['x-forwarded-for', '203.0.113.9'],
      ],
      body: JSON.stringify({ email: EMAIL, password, credential: 'key' }),
    })
    assert.equal(forged.status, 200, forged.text)
    const client = new pg.Client({ connectionString: backing.db.url })
    await client.connect()
    try {
      const { rows } = await client.query(
        "SELECT ip FROM tessera_audit WHERE event LIKE 'authn_login_success%' ORDER BY id DESC LIMIT 1",
      )
      assert.equal(rows[0]?.ip, CLIENT_ADDRESS, 'the audited IP is the connection the proxy saw')
    } finally {
      await client.end()
    }
  })

  test("a body just over 64 KiB gets the instance's 413 problem, not an nginx page", async () => {
    const body = JSON.stringify({ email: EMAIL, password: 'x'.repeat(64 * 1024) })
    assert.ok(Buffer.byteLength(body) > 64 * 1024)
    const answer = await httpsSend(target, {
      method: 'POST',
      path: '/auth/login',
      headers: [['content-type', 'application/json']],
      body,
    })
    assert.equal(answer.status, 413)
    assert.match(String(answer.headers['content-type']), /^application\/problem\+json/)
    assert.equal(answer.json.code, 'payload_too_large')
  })

  test('plain http is redirected to https on the public port, path and query kept', async () => {
    const answer = await httpSend(
      deployment.httpPort,
      `${PUBLIC_NAME}:${deployment.httpPort}`,
      '/api/employees?q=rey',
    )
    assert.equal(answer.status, 301)
    assert.equal(answer.headers.location, `${deployment.origin}/api/employees?q=rey`)
  })

  // Last: it replaces the proxy. The bug, kept from coming back: the test fails with `$host`.
  test('the block with `$host` instead of `$http_host` refuses every signed request', async () => {
    const key = await loginForKey(target, EMAIL, password)
    const block = nginxBlockFromDocs()
    assert.match(block, /proxy_set_header Host \$http_host;/)
    await deployment.proxy(block.replace('proxy_set_header Host $http_host;', 'proxy_set_header Host $host;'))
    const answer = await httpsSend(target, {
      path: '/api/employees/7',
      headers: signedGet(key, `${deployment.origin}/api/employees/7`),
    })
    assert.equal(answer.status, 401)
    assert.equal(answer.json.code, 'invalid_signature')
  })
})

/**
 * The default port: `Host` then has no port, which is where `$host` happened to work. It needs
 * 127.0.0.1:443 and :80 (root, and free); without them this part is skipped and says why.
 */
describe('the nginx deployment of docs/deploy.md, on the default port 443', {
  skip,
  timeout: 120_000,
}, () => {
  test('a signed request with a port-less Host is accepted, and http goes to https://<name>/', async (t) => {
    if (!((await canListen(443)) && (await canListen(80)))) {
      return t.skip('127.0.0.1:443 or :80 cannot be bound here (not root, or taken)')
    }
    const backing = await startBacking()
    let deployment: Deployment | undefined
    try {
      deployment = await startInstances(backing, 443, 80)
      const password = await addUser(backing, EMAIL)
      await deployment.proxy(nginxBlockFromDocs())
      const target = { httpsPort: 443, authority: PUBLIC_NAME, ca: backing.tls.ca }
      const key = await loginForKey(target, EMAIL, password)
      const url = `https://${PUBLIC_NAME}/api/employees/7`
      const signed = await httpsSend(target, { path: '/api/employees/7', headers: signedGet(key, url) })
      assert.equal(signed.status, 200, signed.text)
      const redirect = await httpSend(80, PUBLIC_NAME, '/api/employees?q=rey')
      assert.equal(redirect.status, 301)
      assert.equal(redirect.headers.location, `https://${PUBLIC_NAME}/api/employees?q=rey`)
    } finally {
      await deployment?.close()
      await backing.close()
    }
  })
})
