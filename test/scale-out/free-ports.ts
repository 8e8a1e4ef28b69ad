import { createServer, type Server } from 'node:net'

/** `count` distinct free ports on 127.0.0.1 (held open together so none is handed out twice). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = []
  const ports: number[] = []
  for (let i = 0; i < count; i++) {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    servers.push(server)
    const address = server.address()
    ports.push(typeof address === 'object' && address ? address.port : 0)
  }
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  return ports
}
