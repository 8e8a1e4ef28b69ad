import { connect, type Socket } from 'node:net'
import type { RequestSource } from '../load/create-request-source.ts'

/**
 * Sends `count` requests over `connections` keep-alive sockets, each waiting for its answer
 * (Content-Length framed), and fails on any status but 200. Slow on purpose: the server runs
 * under Valgrind, and only the number of requests matters.
 */
export async function sendRequests(
  port: number,
  source: RequestSource,
  count: number,
  connections = 8,
): Promise<void> {
  let left = count
  const refused: number[] = []
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const socket = connect(port, '127.0.0.1')
      await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject))
      try {
        while (left-- > 0) {
          const status = await exchange(socket, source.take())
          if (status !== 200) refused.push(status)
        }
      } finally {
        socket.destroy()
      }
    }),
  )
  if (refused.length > 0) throw new Error(`${refused.length} requests answered ${refused[0]}, not 200`)
}

function exchange(socket: Socket, request: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    let received = ''
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1')
      const headEnd = received.indexOf('\r\n\r\n')
      if (headEnd === -1) return
      const length = Number(/content-length: *(\d+)/i.exec(received)?.[1] ?? 0)
      if (received.length < headEnd + 4 + length) return
      socket.off('data', onData).off('error', reject)
      resolve(Number(received.slice(9, 12)))
    }
    socket.on('data', onData).once('error', reject)
    socket.write(request)
  })
}
