import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import _ from 'underscore'
import { FRONT_ENDS } from './front-end-config.ts'
import { compileTemplate } from './underscore-templates.ts'

/** Runs a compiled template module's function with Underscore in scope, as the bundle does. */
function render(text: string, data: object): string {
  const code = compileTemplate(text, 'test.jst')
    .replace(/^import _ from 'underscore'\n/, '')
    .replace('export const template = ', 'return ')
  return new Function('_', code)(_)(data)
}

async function templateFiles(): Promise<string[]> {
  const files: string[] = []
  for (const { root } of Object.values(FRONT_ENDS)) {
    for (const entry of await readdir(join(root, 'src'), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.jst')) files.push(join(entry.parentPath, entry.name))
    }
  }
  return files
}

test('escapes data in text and attributes, so a hostile name stays text', () => {
  const hostile = '<img src=x onerror=alert(1)>" onmouseover="alert(2)'
  const html = render('<a title="<%- data.name %>"><%- data.name %></a>', { name: hostile })
  assert.equal(
    html,
    '<a title="&lt;img src=x onerror=alert(1)&gt;&quot; onmouseover=&quot;alert(2)">' +
      '&lt;img src=x onerror=alert(1)&gt;&quot; onmouseover=&quot;alert(2)</a>',
  )
})

test('runs loops and conditions, and prints nothing for null', () => {
  const text =
    '<% _.each(data.items, function (i) { %><%- i %>,<% }) %><% if (data.on) { %>on<% } %>[<%- data.none %>]'
  assert.equal(render(text, { items: [1, '<b>'], on: true, none: null }), '1,&lt;b&gt;,on[]')
})

test('compiles to a module without `with` or eval, which the strict CSP and strict mode forbid', () => {
  const code = compileTemplate('<p><%- data.x %></p>', 'p.jst')
  assert.match(code, /^import _ from 'underscore'\nexport const template = function\(data\)\{/)
  assert.doesNotMatch(code, /\bwith\s*\(|new Function|eval\(/)
})

test('refuses <%= %>, which does not escape, naming the file and line', () => {
  assert.throws(() => compileTemplate('<p>\n<%= data.html %></p>', 'web/src/x.jst'), {
    message: 'web/src/x.jst:2: <%= %> does not escape; use <%- %>',
  })
})

test('every template of the web app and the mobile client compiles (none uses <%= %>)', async () => {
  const files = await templateFiles()
  assert.ok(files.length >= 20, `found ${files.length} templates`)
  for (const file of files) compileTemplate(await readFile(file, 'utf8'), file)
})
