import { readFileSync } from 'node:fs'
import { REPO_ROOT } from '../../../scripts/pack-packages.ts'

const README = readFileSync(`${REPO_ROOT}README.md`, 'utf8')

/**
 * The code block right after `<!-- consumer:<adapter>:<part> -->` in README.md, so the
 * consumer tests run exactly what a newcomer copies and the README cannot drift.
 */
export function readmeSnippet(adapter: string, part: 'install' | 'server'): string {
  const marker = `<!-- consumer:${adapter}:${part} -->`
  const at = README.indexOf(marker)
  if (at < 0) throw new Error(`README.md has no ${marker}`)
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(README.slice(at + marker.length))
  if (!block?.[1]) throw new Error(`README.md: no code block after ${marker}`)
  return block[1]
}

/** The packages the README's `npm i …` line installs for an adapter. */
export function readmeInstall(adapter: string): string[] {
  const line = readmeSnippet(adapter, 'install').trim()
  const words = line.split(/\s+/)
  if (words[0] !== 'npm' || words[1] !== 'i')
    throw new Error(`README.md: ${adapter} install is not "npm i …"`)
  return words.slice(2)
}

/** The README's example of a misconfiguration's one line, found by a fragment of it. */
export function readmeConfigError(fragment: string): string {
  const line = README.split('\n').find((l) => l.startsWith('TesseraConfigError: ') && l.includes(fragment))
  if (line === undefined) throw new Error(`README.md shows no TesseraConfigError line with ${fragment}`)
  return line
}
