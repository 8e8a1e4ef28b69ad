import { INVISIBLE } from './email.ts'

/** Joiners shape Persian, Indic and emoji sequences; variation selectors pick emoji or text style. */
const JOINER = /^[\u200c\u200d]$/u
const VARIATION = /^[\ufe0e\ufe0f]$/u

/**
 * Why a display name (already NFKC-normalised and trimmed) is refused, or undefined. Invisible
 * and formatting characters are refused where they change what the name looks like without
 * being seen (a zero-width space, a soft hyphen, a bidi override that reverses the text, tag
 * characters); a joiner between two visible characters and a variation selector after one are
 * part of how some names and emoji are written, so they stay.
 */
export function displayNameProblem(name: string): string | undefined {
  const chars = Array.from(name)
  const hidden = chars.some((c, i) => INVISIBLE.test(c) && !isShaping(c, chars[i - 1], chars[i + 1]))
  return hidden ? 'must not contain invisible or formatting characters' : undefined
}

function isShaping(c: string, before: string | undefined, after: string | undefined): boolean {
  const visible = (x: string | undefined) => x !== undefined && !INVISIBLE.test(x)
  const drawn = (x: string | undefined) => visible(x) || (x !== undefined && VARIATION.test(x))
  if (JOINER.test(c)) return drawn(before) && drawn(after)
  return VARIATION.test(c) && visible(before)
}
