import assert from 'node:assert/strict'
import { test } from 'node:test'
import { cpuPinning } from '../http/cpu-pinning.ts'
import { spawnServer } from '../http/spawn-server.ts'
import { createRequestSource } from '../load/create-request-source.ts'
import { EMPLOYEE_PATH } from './employee-7.ts'

/** One raw request over a fresh socket: its status code. */
async function statusOf(origin: string, raw: Buffer): Promise<number> {
  const { connect } = await import('node:net')
  const url = new URL(origin)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(raw))
    socket.setTimeout(10_000, () => socket.destroy(new Error('timeout')))
    socket.once('data', (chunk: Buffer) => {
      resolve(Number(chunk.toString('latin1').split(' ')[1]))
      socket.destroy()
    })
    socket.once('error', reject)
  })
}

// The peers that check nonces must really refuse a replay, or the comparison would flatter them.
for (const peer of ['minimal-hmac', 'hawk-nonce']) {
  test(`${peer} accepts a signed request once and refuses its replay`, { timeout: 60_000 }, async () => {
    const server = await spawnServer(peer, { pinning: cpuPinning() })
    try {
      const source = createRequestSource(
        { origin: server.origin, path: EMPLOYEE_PATH },
        server.ready.credentials,
        1,
      )
      const request = source.take()
      assert.equal(await statusOf(server.origin, request), 200)
      assert.equal(await statusOf(server.origin, request), 401)
    } finally {
      await server.stop()
    }
  })
}
