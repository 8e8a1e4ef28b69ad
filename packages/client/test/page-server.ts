import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

const ROOT = new URL('../../..', import.meta.url).pathname

/** The test page: loads the built bundles and the vendored Backbone, then says it is ready. */
const PAGE = `<!doctype html>
<meta charset="utf-8"><title>tessera client test</title>
<script src="/vendor/underscore.js"></script>
<script src="/vendor/backbone.js"></script>
<script type="module">
  import * as tessera from '/dist/index.js'
  import * as adapter from '/dist/backbone.js'
  window.tessera = tessera
  window.tesseraBackbone = adapter
  window.ready = true
</script>`

const FILES: Record<string, string> = {
  '/dist/index.js': 'packages/client/bundle/index.js',
  '/dist/backbone.js': 'packages/client/bundle/backbone.js',
  '/vendor/underscore.js': 'node_modules/underscore/underscore-min.js',
  '/vendor/backbone.js': 'node_modules/backbone/backbone.js',
}

export interface PageServer {
  origin: string
  /** Where `/auth/*` and `/api/*` are forwarded, making that API same-origin with the page. */
  proxyTo(baseUrl: string): void
  close(): Promise<void>
}

/** One origin on 127.0.0.1 serving the page and the built `bundle/` files (plain node:http). */
export async function startPageServer(): Promise<PageServer> {
  let upstream: URL | undefined
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://page').pathname
    if (upstream !== undefined && /^\/(auth|api)\//.test(path)) return forward(req, res, upstream)
    if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE)
    const file = FILES[path]
    if (file === undefined) return void res.writeHead(404).end()
    readFile(join(ROOT, file)).then(
      (body) => res.writeHead(200, { 'content-type': 'text/javascript' }).end(body),
      () => res.writeHead(500).end(),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    proxyTo(baseUrl) {
      upstream = new URL(baseUrl)
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A plain reverse proxy: every header passes as sent, except Host, which names the upstream. */
function forward(req: IncomingMessage, res: ServerResponse, upstream: URL): void {
  const { host: _host, ...headers } = req.headers
  const out = request(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers,
      timeout: 10_000,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    },
  )
  out.on('error', () => res.writeHead(502).end())
  req.pipe(out)
}
