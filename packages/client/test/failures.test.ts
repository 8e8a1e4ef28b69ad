import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { openSqlStores } from '../../../test/support/sql-stores.ts'
import { createClient } from '../src/create-client.ts'
import { type KeyStore, memoryKeyStore } from '../src/key-store.ts'
import { localStorageKeyStore } from '../src/local-storage-key-store.ts'
import { TesseraError } from '../src/tessera-error.ts'
import {
  type AuthServer,
  failure,
  recordEvents,
  sessionClient,
  signedClient,
  startServer,
} from './client-fixtures.ts'

// Every failure must reach the caller as a rejection it handles: none may escape.
const unhandled: unknown[] = []
process.on('unhandledRejection', (reason) => unhandled.push(reason))

describe('answers that are not the API’s JSON (a proxy in the way)', () => {
  let proxy: Server
  let baseUrl: string
  before(async () => {
    proxy = createServer((req, res) => {
      const [status, type, body] =
        req.url === '/html-502'
          ? [502, 'text/html', '<h1>Bad gateway</h1>']
          : req.url === '/html-401'
            ? [401, 'text/html', '<h1>Login</h1>']
            : req.url === '/text-200'
              ? [200, 'text/plain', 'hello']
              : [418, 'application/json', '["not", "a", "problem"]']
      res.writeHead(status, { 'content-type': type }).end(body)
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    baseUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
  })
  after(() => new Promise<void>((resolve) => proxy.close(() => resolve())))

  test('an HTML 502 is a typed service_unavailable error without a problem', async () => {
    const client = createClient({ baseUrl, mode: 'signed' })
    const error = await failure(client.request('/html-502'))
    assert.ok(error instanceof TesseraError)
    assert.deepEqual([error.code, error.status, error.problem], ['service_unavailable', 502, undefined])
  })

  test('a 200 whose body is not JSON is invalid_response with the status', async () => {
    const client = createClient({ baseUrl, mode: 'session' })
    const error = await failure(client.request('/text-200'))
    assert.deepEqual([error.code, error.status], ['invalid_response', 200])
  })

  test('an HTML 401 still says unauthenticated, and emits it', async () => {
    const client = createClient({ baseUrl, mode: 'session' })
    const events = recordEvents(client)
    const error = await failure(client.request('/html-401'))
    assert.deepEqual([error.code, error.status], ['unauthenticated', 401])
    assert.deepEqual(events.names(), ['unauthenticated'])
  })

  test('JSON that is not a problem object, with an unknown status, is invalid_response', async () => {
    const client = createClient({ baseUrl, mode: 'session' })
    const error = await failure(client.request('/json-418'))
    assert.deepEqual([error.code, error.status, error.problem], ['invalid_response', 418, undefined])
  })
})

describe('failures of the real server and the network', () => {
  let server: AuthServer
  before(async () => {
    server = await startServer()
  })
  after(() => server.close())

  test('a network failure is network_error (status 0) and keeps the key for the next call', async () => {
    const user = await server.createUser()
    const closedPort = await closedPortUrl()
    let calls = 0
    const client = signedClient(server, 'hmac-sha256', {
      fetch: (input, init) => (++calls === 3 ? fetch(`${closedPort}/api/things`, init) : fetch(input, init)),
    })
    await client.login(user.email, user.password)
    await client.request('/api/things')
    const events = recordEvents(client)
    const error = await failure(client.request('/api/things'))
    assert.deepEqual([error.code, error.status, error.problem], ['network_error', 0, undefined])
    assert.ok(error.cause, 'the fetch failure is kept as the cause')
    assert.deepEqual(events.events, [])
    assert.ok(await client.keyInfo())
    assert.ok(await client.request('/api/things'))
  })

  test('a client whose server is down answers network_error on every call', async () => {
    const client = createClient({ baseUrl: await closedPortUrl(), mode: 'session' })
    assert.equal((await failure(client.login('a@example.com', 'x'))).code, 'network_error')
    assert.equal((await failure(client.logout())).code, 'network_error')
  })

  test('a 429 carries retryAfter from Retry-After and emits rate-limited', async () => {
    const strict = await startServer({ throttle: { ipAttempts: 2 } })
    try {
      const user = await strict.createUser()
      const client = sessionClient(strict)
      const events = recordEvents(client)
      await failure(client.login(user.email, 'wrong password number one'))
      await failure(client.login(user.email, 'wrong password number two'))
      const error = await failure(client.login(user.email, user.password))
      assert.deepEqual([error.code, error.status, error.problem?.code], ['rate_limited', 429, 'rate_limited'])
      assert.equal(typeof error.retryAfter, 'number')
      assert.ok(error.retryAfter! > 0 && error.retryAfter! <= 300, String(error.retryAfter))
      assert.deepEqual(events.events, [{ event: 'rate-limited', code: 'rate_limited', status: 429 }])
    } finally {
      await strict.close()
    }
  })

  test('a request cancelled by the caller or timed out is network_error', async () => {
    const client = createClient({ baseUrl: server.baseUrl, mode: 'session', timeoutMs: 1 })
    assert.equal((await failure(client.request('/api/public'))).code, 'network_error')
    const patient = createClient({ baseUrl: server.baseUrl, mode: 'session' })
    const error = await failure(patient.request('/api/public', { signal: AbortSignal.abort() }))
    assert.equal(error.code, 'network_error')
  })
})

describe('a store outage on the server (503)', () => {
  test('is service_unavailable with retryAfter, and the key survives it', async () => {
    const stores = await openSqlStores()
    const server = await startServer({ stores })
    try {
      const user = await server.createUser()
      const keyStore = memoryKeyStore()
      const client = signedClient(server, 'ed25519', { keyStore })
      await client.login(user.email, user.password)
      await stores.stores.close()
      const error = await failure(client.request('/api/things'))
      assert.deepEqual([error.code, error.status, error.retryAfter], ['service_unavailable', 503, 5])
      assert.equal(error.problem?.code, 'service_unavailable')
      assert.ok(await keyStore.load(), 'a 503 is no reason to drop the key')
    } finally {
      await server.close()
      await stores.close()
    }
  })
})

describe('a missing or corrupted key store logs the user out cleanly', () => {
  let server: AuthServer
  before(async () => {
    server = await startServer()
  })
  after(() => server.close())

  const corrupted: Array<[string, () => KeyStore]> = [
    [
      'a record that is not a key',
      () => storeLoading(() => ({ id: 'key_x', algorithm: 'hmac-sha256', key: 'A' })),
    ],
    ['a key of the wrong kind', () => storeLoading(() => ({ id: 'key_x', algorithm: 'ed25519', key: {} }))],
    ['a store that cannot be read', () => storeLoading(() => Promise.reject(new Error('disk gone')))],
    [
      'localStorage holding broken JSON',
      () => localStorageKeyStore({ storage: storageWith('{"id": broken') }),
    ],
    ['localStorage holding a bad JWK', () => localStorageKeyStore({ storage: storageWith(badJwk()) })],
  ]
  for (const [name, make] of corrupted) {
    test(`${name}: unauthenticated error and event, store cleared, login works again`, async () => {
      const store = observe(make())
      const client = signedClient(server, 'hmac-sha256', { keyStore: store })
      const events = recordEvents(client)
      const error = await failure(client.request('/api/things'))
      assert.deepEqual([error.code, error.status], ['unauthenticated', 401])
      assert.deepEqual(events.names(), ['unauthenticated'])
      assert.equal(store.cleared, true)
      assert.deepEqual(await client.request('/api/public'), { ok: true }, 'then unsigned, no error')
      const user = await server.createUser()
      await client.login(user.email, user.password)
      assert.ok(await client.request('/api/things'))
    })
  }

  test('a store that refuses to save keeps the new key in memory: still logged in, nothing stranded', async () => {
    const user = await server.createUser()
    const refusing: KeyStore = {
      ...memoryKeyStore(),
      save: () => Promise.reject(new Error('quota exceeded')),
    }
    const client = signedClient(server, 'ecdsa-p256-sha256', { keyStore: refusing })
    const warn = console.warn
    const warnings: unknown[] = []
    console.warn = (...args: unknown[]) => void warnings.push(args[0])
    try {
      await client.login(user.email, user.password)
    } finally {
      console.warn = warn
    }
    assert.equal(warnings.length, 1)
    assert.ok(await client.request('/api/things'))
    await client.logout()
    assert.equal(await client.keyInfo(), undefined)
  })

  test('no failure in this file escaped as an unhandled rejection', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.deepEqual(unhandled, [])
  })
})

/** A store whose first load answers what `first` gives; it then behaves like a memory store. */
function storeLoading(first: () => unknown): KeyStore {
  const inner = memoryKeyStore()
  let loaded = false
  return {
    load: async () => {
      if (loaded) return inner.load()
      loaded = true
      return first() as never
    },
    save: (key) => inner.save(key),
    clear: () => inner.clear(),
  }
}

/** The same store, noting whether it was cleared. */
function observe(store: KeyStore): KeyStore & { cleared: boolean } {
  const observed = {
    ...store,
    extractable: store.extractable,
    cleared: false,
    load: () => store.load(),
    save: (key: never) => store.save(key),
    clear: async () => {
      observed.cleared = true
      await store.clear()
    },
  }
  return observed
}

/** A Web Storage object in memory. */
function storageWith(text: string): Storage {
  const items = new Map([['tessera-key', text]])
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
    clear: () => items.clear(),
    key: () => null,
    get length() {
      return items.size
    },
  }
}

function badJwk(): string {
  return JSON.stringify({
    id: 'key_x',
    algorithm: 'ecdsa-p256-sha256',
    jwk: { kty: 'EC', crv: 'P-256', x: 'bad' },
  })
}

async function closedPortUrl(): Promise<string> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}
