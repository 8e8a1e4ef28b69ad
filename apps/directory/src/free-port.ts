import { createServer } from 'node:net'

/** A port free on `host` right now: picked before start when the origin must name it (CSRF, `@authority`, CORS). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject)
    probe.listen(0, host, () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}
