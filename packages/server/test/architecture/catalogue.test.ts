import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { ERROR_CODES, ERRORS } from '../../src/core/errors.ts'

const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8')
const documented = new Map(
  [...doc.matchAll(/^\| `([a-z_]+)` *\| (\d{3}) *\|/gm)].map((m) => [m[1], Number(m[2])]),
)

test('every error code is documented in docs/errors.md with its status', () => {
  for (const code of ERROR_CODES)
    assert.equal(documented.get(code), ERRORS[code].status, `docs/errors.md: ${code}`)
})

test('docs/errors.md documents no code the catalogue lacks', () => {
  for (const code of documented.keys())
    assert.ok(code !== undefined && code in ERRORS, `catalogue lacks ${code}`)
})
