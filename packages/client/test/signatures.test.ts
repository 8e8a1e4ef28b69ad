import assert from 'node:assert/strict'
import { createHash, createPrivateKey, createPublicKey, createSecretKey } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { signRequest as serverSignRequest } from '@tessera/server'
import { createVerifier, httpbis } from 'http-message-signatures'
import { signMessage } from '../src/sign-message.ts'
import { signRequest } from '../src/sign-request.ts'
import { KEY_PARAMS, type SignatureAlgorithm } from '../src/signing-key.ts'
import { ALGORITHMS, type AuthServer, signedClient, startServer } from './client-fixtures.ts'

const COVERED = ['@method', '@authority', '@path', '@query', 'content-type', 'content-digest']

interface Captured {
  method: string
  url: string
  headers: Record<string, string>
  body: Uint8Array
}

/** Captures what the client really sends, and the key material exchanged at login. */
function capturingFetch() {
  const sent: Captured[] = []
  let loginAnswer: any
  const spy: typeof fetch = async (input, init) => {
    const headers = Object.fromEntries(new Headers(init?.headers))
    const body = init?.body ? new Uint8Array(init.body as Uint8Array) : new Uint8Array()
    sent.push({ method: init?.method ?? 'GET', url: String(input), headers, body })
    const response = await fetch(input, init)
    if (new URL(String(input)).pathname === '/auth/login') loginAnswer = await response.clone().json()
    return response
  }
  return { spy, sent, loginAnswer: () => loginAnswer }
}

function nodeVerifyKey(algorithm: SignatureAlgorithm, loginBody: any, loginAnswer: any) {
  if (algorithm === 'hmac-sha256') return createSecretKey(Buffer.from(loginAnswer.key.secret, 'base64url'))
  return createPublicKey({ key: loginBody.publicKey, format: 'jwk' })
}

describe('requests the client signs verify with http-message-signatures (npm)', () => {
  let server: AuthServer
  before(async () => {
    server = await startServer()
  })
  after(() => server.close())

  for (const algorithm of ALGORITHMS) {
    test(`${algorithm}: the PUT as sent verifies, its digest matches the bytes, and a changed method fails`, async () => {
      const user = await server.createUser()
      const capture = capturingFetch()
      const client = signedClient(server, algorithm, { fetch: capture.spy })
      await client.login(user.email, user.password)
      await client.request('/api/things/5?tag=x', { method: 'PUT', json: { name: 'five' } })
      const loginBody = JSON.parse(new TextDecoder().decode(capture.sent[0]!.body))
      const put = capture.sent[1]!
      const key = nodeVerifyKey(algorithm, loginBody, capture.loginAnswer())
      const keyid = capture.loginAnswer().key.id
      const verify = (message: { method: string; url: string; headers: Record<string, string> }) =>
        httpbis.verifyMessage(
          {
            keyLookup: async (params) =>
              params.keyid === keyid
                ? { id: keyid, algs: [algorithm], verify: createVerifier(key, algorithm) }
                : null,
            requiredFields: COVERED,
            requiredParams: ['created', 'expires', 'nonce', 'keyid', 'alg', 'tag'],
          },
          message,
        )
      assert.equal(await verify(put), true)
      assert.equal(await verify({ ...put, method: 'POST' }), false)
      const digest = createHash('sha256').update(put.body).digest('base64')
      assert.equal(put.headers['content-digest'], `sha-256=:${digest}:`)
      assert.match(put.headers['signature-input']!, /;nonce="[A-Za-z0-9_-]{22}";/)
    })
  }
})

describe('the client signer matches the server signer byte for byte (deterministic algorithms)', () => {
  const url = new URL('http://127.0.0.1:3000/api/employees?q=an')
  const body = new TextEncoder().encode('{"firstName":"Ada"}')
  for (const algorithm of ['hmac-sha256', 'ed25519'] as const) {
    test(algorithm, async () => {
      const { webKey, nodeKey } = await keyPair(algorithm)
      const common = { created: 1_764_000_000, nonce: 'Zm9yIGRvY3VtZW50YXRpb24' }
      const ours = await signRequest({
        method: 'POST',
        url,
        body,
        contentType: 'application/json',
        key: { id: 'key_1', algorithm, key: webKey },
        ...common,
      })
      const theirs = serverSignRequest({
        method: 'POST',
        url,
        body,
        headers: { 'content-type': 'application/json' },
        keyId: 'key_1',
        algorithm,
        key: nodeKey,
        ...common,
      })
      assert.deepEqual(ours, { ...theirs })
    })
  }
})

async function keyPair(algorithm: 'hmac-sha256' | 'ed25519') {
  if (algorithm === 'hmac-sha256') {
    const raw = crypto.getRandomValues(new Uint8Array(32))
    const webKey = await crypto.subtle.importKey('raw', raw, KEY_PARAMS[algorithm], false, ['sign'])
    return { webKey, nodeKey: createSecretKey(raw) }
  }
  const nodeKey = createPrivateKey(ED25519_PEM)
  const webKey = await crypto.subtle.importKey(
    'pkcs8',
    nodeKey.export({ format: 'der', type: 'pkcs8' }),
    'Ed25519',
    false,
    ['sign'],
  )
  return { webKey, nodeKey }
}

/** RFC 9421 Appendix B.1.4 test-key-ed25519 (published: for tests only). */
const ED25519_PEM =
  '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n'
/** RFC 9421 Appendix B.1.5 test-shared-secret. */
const SHARED_SECRET = Buffer.from(
  'uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ==',
  'base64',
)
const DATE = 'Tue, 20 Apr 2021 02:07:55 GMT'

describe('RFC 9421 Appendix B vectors, signed with the client’s WebCrypto code', () => {
  test('B.2.5 (hmac-sha256) reproduces the RFC signature', async () => {
    const key = await crypto.subtle.importKey('raw', SHARED_SECRET, KEY_PARAMS['hmac-sha256'], false, [
      'sign',
    ])
    const signed = await signMessage({
      label: 'sig-b25',
      algorithm: 'hmac-sha256',
      key,
      components: [
        ['date', DATE],
        ['@authority', 'example.com'],
        ['content-type', 'application/json'],
      ],
      params: [
        ['created', 1618884473],
        ['keyid', 'test-shared-secret'],
      ],
    })
    assert.deepEqual(signed, {
      'signature-input':
        'sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"',
      signature: 'sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:',
    })
  })

  test('B.2.6 (ed25519) reproduces the RFC signature', async () => {
    const { webKey } = await keyPair('ed25519')
    const signed = await signMessage({
      label: 'sig-b26',
      algorithm: 'ed25519',
      key: webKey,
      components: [
        ['date', DATE],
        ['@method', 'POST'],
        ['@path', '/foo'],
        ['@authority', 'example.com'],
        ['content-type', 'application/json'],
        ['content-length', '18'],
      ],
      params: [
        ['created', 1618884473],
        ['keyid', 'test-key-ed25519'],
      ],
    })
    assert.equal(
      signed.signature,
      'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:',
    )
  })
})

describe('docs/signatures.md §12 worked examples', () => {
  test('the HMAC POST gives the documented digest and signature', async () => {
    const secret = Buffer.from('SggqwKEywns0yhpsXxL1yI33467CWZ_XhNWZ0bc0tGQ', 'base64url')
    const key = await crypto.subtle.importKey('raw', secret, KEY_PARAMS['hmac-sha256'], false, ['sign'])
    const headers = await signRequest({
      method: 'POST',
      url: new URL('http://127.0.0.1:3000/api/employees'),
      contentType: 'application/json',
      body: new TextEncoder().encode('{"firstName":"Ada","lastName":"Lovelace","title":"Engineer"}'),
      key: { id: 'key_8mGzJ3vQ2cW5tY0aXrKpLg', algorithm: 'hmac-sha256', key },
      created: 1764000000,
      nonce: 'k3Zr0h7y5bA9pQ2xW1vNfA',
    })
    assert.equal(headers['content-digest'], 'sha-256=:ECk46Ppz08lh5SlhGyG/0zld5RinsN3xCgp8/tNOJdg=:')
    assert.equal(headers.signature, 'sig=:HamDR+co595oCp9e+3BX+b5RCsCA4NF3kozalsVhnFY=:')
  })

  test('the Ed25519 GET gives the documented signature', async () => {
    const { webKey } = await keyPair('ed25519')
    const headers = await signRequest({
      method: 'GET',
      url: new URL('http://127.0.0.1:3000/api/employees?q=lovelace'),
      key: { id: 'key_tR1nW4xq0V8bYc2ZlP6sEg', algorithm: 'ed25519', key: webKey },
      created: 1764000000,
      nonce: 'Zm9yIGRvY3VtZW50YXRpb24',
    })
    assert.equal(headers['content-digest'], undefined)
    assert.equal(
      headers.signature,
      'sig=:R3lRv6yu0wUaF4Lk3f88oFASh5rhJBMTNKlm869tcJtwZAq0uBiqN8NIYcFhD+k5L3MM4WYlX8yyDlhCdtgDBQ==:',
    )
  })
})
