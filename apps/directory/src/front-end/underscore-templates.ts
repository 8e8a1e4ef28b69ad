import _ from 'underscore'
import type { Plugin } from 'vite'

/** The one output name of a template module: `import { template } from './employee.jst'`. */
const EXPORT = 'template'

/**
 * Turns an Underscore template into an ES module at build time. Compiling in the browser
 * would need `new Function`, which the strict CSP (no 'unsafe-eval') forbids. `<%= %>`
 * does not escape, so a template that uses it fails the build: data reaches the page only
 * through `<%- %>`. `variable: 'data'` avoids `with`, which ES modules (strict mode) reject.
 */
export function compileTemplate(text: string, file: string): string {
  const line = text.split('\n').findIndex((l) => l.includes('<%='))
  if (line !== -1) throw new Error(`${file}:${line + 1}: <%= %> does not escape; use <%- %>`)
  const source = _.template(text, { variable: 'data' }).source
  return `import _ from 'underscore'\nexport const ${EXPORT} = ${source}\n`
}

/** The Vite plugin for `*.jst` files (Underscore templates). */
export function underscoreTemplates(): Plugin {
  return {
    name: 'tessera:underscore-templates',
    transform(code, id) {
      const file = id.split('?')[0] ?? id
      if (!file.endsWith('.jst')) return null
      return { code: compileTemplate(code, file), map: null, moduleType: 'js' }
    },
  }
}
