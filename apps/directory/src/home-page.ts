import type { FastifyInstance } from 'fastify'

interface ListedRoute {
  method: string
  url: string
  summary: string
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)
}

/** Remembers the API routes as they are added, for the home page. Call before adding them. */
export function collectApiRoutes(app: FastifyInstance): ListedRoute[] {
  const routes: ListedRoute[] = []
  app.addHook('onRoute', (route) => {
    if (!/^\/(api|avatars)\//.test(route.url)) return
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue
      routes.push({ method, url: route.url, summary: String(route.schema?.summary ?? '') })
    }
  })
  return routes
}

function renderPage(routes: ListedRoute[]): string {
  const items = routes
    .map((r) => `<li><code>${escapeHtml(r.method)} ${escapeHtml(r.url)}</code> ${escapeHtml(r.summary)}</li>`)
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Employee Directory</title></head>
<body><h1>Employee Directory API</h1>
<p>This server runs without the web app (<code>npm start</code> builds and serves it at <code>/</code>). Try the API in <a href="/docs">the OpenAPI explorer</a> (<a href="/docs/json">JSON</a>).</p>
<ul>
${items}
</ul></body></html>
`
}

/** The page at `/` when the app runs without its web front-end (tests, API-only use). */
export function registerHomePage(app: FastifyInstance, routes: ListedRoute[]): void {
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(renderPage(routes)),
  )
}
