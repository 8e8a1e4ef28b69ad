import assert from 'node:assert/strict'
import { test } from 'node:test'
import { renderAvatarSvg } from './avatar-svg.ts'

test('draws the initials on a colour derived from the id', () => {
  const svg = renderAvatarSvg(7, 'lucia', 'Ferrante')
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
  assert.match(svg, />LF<\/text><\/svg>$/)
  assert.equal(
    renderAvatarSvg(7, 'A', 'B').match(/fill="hsl\([^"]+\)"/)?.[0],
    svg.match(/fill="hsl\([^"]+\)"/)?.[0],
  )
  assert.notEqual(renderAvatarSvg(8, 'A', 'B').match(/hsl\([^)]+\)/)?.[0], svg.match(/hsl\([^)]+\)/)?.[0])
})

test('escapes markup in names so the SVG cannot carry script', () => {
  const svg = renderAvatarSvg(1, '<script>alert(1)</script>', '"&\'')
  assert.doesNotMatch(svg, /<script/)
  assert.match(svg, />&lt;&quot;<\/text>/)
})

test('carries the initials only, never the name', () => {
  const svg = renderAvatarSvg(4, 'Lucia', 'Ferrante')
  assert.doesNotMatch(svg, /Lucia|Ferrante|<title/)
})

test('uses whole code points for initials and drops control characters', () => {
  assert.match(renderAvatarSvg(2, '𝒜da', 'Ørsted'), />𝒜Ø<\/text>/)
  assert.match(renderAvatarSvg(3, '\u0001Bo', 'Li'), />BL<\/text>/)
})
