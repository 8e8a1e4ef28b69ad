// Copied into a scratch consumer app and run there (`node drive-app.mjs <baseUrl>`), so it uses the
// @tessera/client a user installs from the tarball. Drives one app the way a user's client
// would and prints what it saw as JSON; the consumer test asserts on it.
import { randomBytes } from 'node:crypto'
import { createClient, TesseraError } from '@tessera/client'
import { CookieJar } from '@tessera/client/cookie-jar'

const baseUrl = process.argv[2]
const account = {
  email: `ana-${randomBytes(4).toString('hex')}@example.com`,
  password: 'a long passphrase of yours',
  name: 'Ana',
}

/** A call's error as `{ status, code }`; a success is a failure of the expectation. */
async function refused(call) {
  try {
    return { unexpected: await call() }
  } catch (error) {
    if (!(error instanceof TesseraError)) throw error
    return { status: error.status, code: error.code }
  }
}

const jar = new CookieJar()
const session = createClient({ baseUrl, mode: 'session', cookieJar: jar })
await session.register(account)
await session.login(account.email, account.password)
const sessionMe = await session.request('/api/me')
const sessionPut = await session.request('/api/notes/1', {
  method: 'PUT',
  json: { text: 'from the session' },
})
const sessionAdmin = await refused(() => session.request('/api/admin'))

// The same cookie without the CSRF token the client adds: a forged cross-site PUT.
const forged = await fetch(new URL('/api/notes/1', baseUrl), {
  method: 'PUT',
  headers: { cookie: jar.header() ?? '', origin: baseUrl, 'content-type': 'application/json' },
  body: '{"text":"forged"}',
})
const csrfMissing = { status: forged.status, code: (await forged.json()).code }

const anonymousAnswer = await fetch(new URL('/api/me', baseUrl))
const anonymous = {
  status: anonymousAnswer.status,
  code: (await anonymousAnswer.json()).code,
  wwwAuthenticate: anonymousAnswer.headers.get('www-authenticate'),
}

const signed = createClient({ baseUrl, mode: 'signed', keyAlgorithm: 'hmac-sha256' })
await signed.login(account.email, account.password)
const signedMe = await signed.request('/api/me')
const signedPut = await signed.request('/api/notes/2', { method: 'PUT', json: { text: 'signed' } })
const signedAdmin = await refused(() => signed.request('/api/admin'))
const credentialType = (await signed.me()).credential.type

console.log(
  JSON.stringify({
    email: account.email,
    sessionMe,
    sessionPut,
    sessionAdmin,
    csrfMissing,
    anonymous,
    signedMe,
    signedPut,
    signedAdmin,
    credentialType,
  }),
)
