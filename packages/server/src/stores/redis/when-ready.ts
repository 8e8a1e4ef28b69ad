import type { Redis } from 'ioredis'

/** Statuses from which the client becomes ready by itself, soon: a connection attempt is under way. */
const CONNECTING = new Set(['connecting', 'connect'])
const waiting = new WeakMap<Redis, Promise<void>>()

/**
 * Resolves once the client is ready to take commands. Without an offline queue, a command sent
 * while the connection is still being made fails, so a call at start-up (or just after Redis
 * came back) waits for the attempt under way, at most `timeoutMs`. While Redis is down between
 * attempts it rejects at once: fail closed, fast.
 */
export function whenReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve()
  if (!CONNECTING.has(client.status)) return Promise.reject(new Error(`Redis is ${client.status}`))
  let ready = waiting.get(client)
  if (ready === undefined) {
    ready = waitForReady(client, timeoutMs).finally(() => waiting.delete(client))
    waiting.set(client, ready)
  }
  return ready
}

function waitForReady(client: Redis, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onReady = () => settle()
    const onClose = () => settle(new Error('Redis connection closed while connecting'))
    const timer = setTimeout(() => settle(new Error('Redis did not become ready in time')), timeoutMs)
    function settle(error?: Error): void {
      clearTimeout(timer)
      client.off('ready', onReady)
      client.off('close', onClose)
      if (error === undefined) resolve()
      else reject(error)
    }
    client.once('ready', onReady)
    client.once('close', onClose)
  })
}
