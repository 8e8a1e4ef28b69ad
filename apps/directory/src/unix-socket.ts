import { lstat, unlink } from 'node:fs/promises'
import { createConnection } from 'node:net'

/** Whether a process accepts connections on the socket file (refused: nobody listens any more). */
function refusesConnections(path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path, () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') resolve(true)
      else reject(error)
    })
  })
}

/**
 * Before listening on HOST as a Unix socket: a socket file left by an instance that was killed
 * (`kill -9`, a crash) would make the restart fail, so it is removed; a socket someone still
 * listens on is kept (listening then fails with EADDRINUSE), and any other file is an error.
 */
export async function removeStaleSocket(path: string): Promise<void> {
  const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (stats === undefined) return
  if (!stats.isSocket()) throw new Error(`HOST ${path} exists and is not a socket`)
  if (await refusesConnections(path)) await unlink(path)
}
