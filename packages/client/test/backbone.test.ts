import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import Backbone from 'backbone'
import { type BackboneLike, connectBackbone } from '../src/backbone.ts'
import type { TesseraClient } from '../src/tessera-client.ts'
import { type AuthServer, sessionClient, signedClient, startServer } from './client-fixtures.ts'

const unhandled: unknown[] = []
process.on('unhandledRejection', (reason) => unhandled.push(reason))

const Things = Backbone.Collection.extend({
  url: '/api/things',
  parse: (answer: { things: number[] }) => answer.things.map((id) => ({ id })),
})
const Thing = Backbone.Model.extend({
  urlRoot: '/api/things',
  parse: (answer: { saved?: object }) => answer.saved ?? answer,
})
const AdminPage = Backbone.Model.extend({ url: '/api/admin' })

/** A stand-in for Backbone.history: the current route and every navigation. */
function router(start: string) {
  const state = { route: start, visited: [] as string[] }
  const navigate = (route: string) => {
    state.route = route
    state.visited.push(route)
  }
  return { state, options: { navigate, currentRoute: () => state.route } }
}

/** Resolves with the arguments of the model's next `'error'` or `'sync'` event. */
function outcome(
  model: Backbone.Model | Backbone.Collection,
): Promise<{ event: string; status?: number; code?: string }> {
  return new Promise((resolve) => {
    model.once('sync', () => resolve({ event: 'sync' }))
    model.once('error', (_m: unknown, answer: { status: number; responseJSON?: { code: string } }) =>
      resolve({ event: 'error', status: answer.status, code: answer.responseJSON?.code }),
    )
  })
}

const MODES: Array<[string, (server: AuthServer) => TesseraClient]> = [
  ['session', (server) => sessionClient(server)],
  ['signed', (server) => signedClient(server, 'ed25519')],
]

for (const [mode, makeClient] of MODES) {
  describe(`Backbone through the client, ${mode} mode`, () => {
    let server: AuthServer
    before(async () => {
      server = await startServer()
    })
    after(() => server.close())

    function connect(client: TesseraClient, start = 'employees/5') {
      const nav = router(start)
      const connection = connectBackbone(Backbone as unknown as BackboneLike, client, nav.options)
      return { nav, connection }
    }

    test('collections fetch and models save, authenticated', async () => {
      const user = await server.createUser()
      const client = makeClient(server)
      await client.login(user.email, user.password)
      const { connection } = connect(client)
      try {
        const things = new Things()
        await things.fetch()
        assert.deepEqual(things.pluck('id'), [1, 2])
        const thing = new Thing({ id: 9, name: 'nine' })
        const saved = outcome(thing)
        thing.save({ colour: 'blue' })
        assert.deepEqual(await saved, { event: 'sync' })
        assert.deepEqual(thing.toJSON(), { id: 9, name: 'nine', colour: 'blue' })
      } finally {
        connection.disconnect()
      }
    })

    test('a 401 arrives as the model’s error event, and the fallback sends the user to login and back', async () => {
      const user = await server.createUser()
      const client = makeClient(server)
      const { nav, connection } = connect(client, 'employees/5/reports')
      try {
        const things = new Things()
        const failed = outcome(things)
        things.fetch()
        assert.deepEqual(await failed, { event: 'error', status: 401, code: 'unauthenticated' })
        assert.deepEqual(nav.state.visited, ['login'])
        assert.equal(connection.returnTo, 'employees/5/reports')
        await client.login(user.email, user.password)
        connection.resume('home')
        assert.deepEqual(nav.state.visited, ['login', 'employees/5/reports'])
        assert.equal(connection.returnTo, undefined)
        await things.fetch()
        assert.equal(things.length, 2)
      } finally {
        connection.disconnect()
      }
    })

    test('a 403 arrives as the error event with its status, and the fallback shows the denied route', async () => {
      const user = await server.createUser('user')
      const client = makeClient(server)
      await client.login(user.email, user.password)
      const { nav, connection } = connect(client, 'admin')
      try {
        const page = new AdminPage()
        const failed = outcome(page)
        let perCall: number | undefined
        page.fetch({
          error: (_model: unknown, answer: { status: number }) => {
            perCall = answer.status
          },
        })
        assert.deepEqual(await failed, { event: 'error', status: 403, code: 'forbidden' })
        assert.equal(perCall, 403, 'per-call error callbacks run too')
        assert.deepEqual(nav.state.visited, ['denied'])
      } finally {
        connection.disconnect()
      }
    })

    test('disconnect restores Backbone.ajax and stops the fallback', async () => {
      const original = Backbone.ajax
      const client = makeClient(server)
      const { nav, connection } = connect(client)
      assert.notEqual(Backbone.ajax, original)
      connection.disconnect()
      assert.equal(Backbone.ajax, original)
      await client.request('/api/things').catch(() => {})
      assert.deepEqual(nav.state.visited, [])
    })
  })
}

describe('Backbone GET data', () => {
  test('becomes the query string of the signed request', async () => {
    const server = await startServer()
    const seen: string[] = []
    const client = signedClient(server, 'hmac-sha256', {
      fetch: (input, init) => {
        seen.push(String(input))
        return fetch(input, init)
      },
    })
    const { connection } = {
      connection: connectBackbone(Backbone as unknown as BackboneLike, client, { navigate() {} }),
    }
    try {
      const user = await server.createUser()
      await client.login(user.email, user.password)
      await new Things().fetch({ data: { q: 'an', page: 2 } })
      assert.equal(seen.at(-1), `${server.baseUrl}/api/things?q=an&page=2`)
    } finally {
      connection.disconnect()
      await server.close()
    }
  })

  test('no failed Backbone call escaped as an unhandled rejection', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.deepEqual(unhandled, [])
  })
})
