// Logs in once for an HMAC key, then calls the API with RFC 9421 signed requests.
// Run against `npm start` (the npm script uses the project's Node 24, which runs TypeScript as is):
//   npm run example:signed -- user@directory.example '<password>' [base URL, default $API_URL or http://127.0.0.1:3000]
import { createSecretKey } from 'node:crypto'
import { signRequest } from '@tessera/server'

const [email, password, baseArgument] = process.argv.slice(2)
if (!email || !password) {
  console.error('usage: npm run example:signed -- <email> <password> [base URL]')
  process.exit(2)
}
const base = baseArgument ?? process.env.API_URL ?? 'http://127.0.0.1:3000'

// 1. Log in for a key: the secret is shown once; keep it like a password (Keychain/Keystore on a phone).
const login = await fetch(`${base}/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email, password, credential: 'key' }),
})
if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`)
const { key } = await login.json()
const secret = createSecretKey(Buffer.from(key.secret, 'base64url'))

// 2. Sign each request: method, authority, path, query (and body digest), a fresh nonce, the time.
async function signedFetch(method: string, path: string, body?: unknown) {
  const url = new URL(path, base)
  const text = body === undefined ? undefined : JSON.stringify(body)
  const headers: Record<string, string> = text === undefined ? {} : { 'content-type': 'application/json' }
  const signature = signRequest({
    method,
    url,
    headers,
    body: text,
    keyId: key.id,
    algorithm: 'hmac-sha256',
    key: secret,
  })
  return fetch(url, { method, headers: { ...headers, ...signature }, body: text })
}

const employees = await signedFetch('GET', '/api/employees?q=an')
console.log(
  employees.status,
  (await employees.json()).map(
    (e: { firstName: string; lastName: string }) => `${e.firstName} ${e.lastName}`,
  ),
)

// 3. Log out: the key is revoked on the server; the next signed request is 401 unknown_key.
await signedFetch('POST', '/auth/logout')
const after = await signedFetch('GET', '/api/employees')
console.log(after.status, (await after.json()).code)
