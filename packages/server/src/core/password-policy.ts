import { createRequire } from 'node:module'
import type { ZxcvbnFactory } from '@zxcvbn-ts/core'

/**
 * NIST SP 800-63B-4 §3.1.1.2 / OWASP ASVS 5.0 V6.2: length is what matters, so
 * 15–256 code points for single-factor passwords, any characters, no composition
 * rules, never truncated; NFKC-normalised so the same password typed on two
 * keyboards verifies; refused when common, built from the account's own words, or easy to
 * guess by zxcvbn's estimate (a common word plus a sequence or a date: `password1234567890`).
 */
export const PASSWORD_MIN = 15
export const PASSWORD_MAX = 256

/** zxcvbn's score 3 means at least 10^8 guesses: "safely unguessable" for an online attack it estimates. */
export const PASSWORD_MIN_SCORE = 3
/** zxcvbn's cost grows with length; 100 characters of a password are plenty to judge it (~20 ms). */
const SCORED_LENGTH = 100

interface Strength {
  common: Set<string>
  zxcvbn: ZxcvbnFactory
}

let strength: Strength | undefined

/**
 * The ~30k-word lists and zxcvbn load on the first password check, not at startup (cold start
 * of every process that only verifies requests). `require` keeps the check synchronous.
 */
function loadStrength(): Strength {
  if (strength !== undefined) return strength
  const require = createRequire(import.meta.url)
  const { ZxcvbnFactory } = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core')
  const common = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common')
  const passwords = common.dictionary['passwords-common'] as string[]
  strength = {
    common: new Set(passwords.map((p) => p.toLowerCase())),
    zxcvbn: new ZxcvbnFactory({
      dictionary: common.dictionary,
      graphs: common.adjacencyGraphs,
      maxLength: SCORED_LENGTH,
    }),
  }
  return strength
}

export type PasswordCheck = { ok: true; password: string } | { ok: false; reason: string }

export interface PasswordContext {
  email?: string
  name?: string
}

export function normalizePassword(password: string): string {
  return password.normalize('NFKC')
}

export function checkPassword(raw: string, context: PasswordContext = {}): PasswordCheck {
  const password = normalizePassword(raw)
  const length = codePoints(password)
  if (length < PASSWORD_MIN)
    return fail(`Use at least ${PASSWORD_MIN} characters; a few unrelated words work well.`)
  if (length > PASSWORD_MAX) return fail(`Use at most ${PASSWORD_MAX} characters.`)
  const lower = password.toLowerCase()
  if (isCommon(lower))
    return fail('This password is too common; choose one that is not on lists of leaked passwords.')
  if (/^(.)\1*$/u.test(password)) return fail('Do not repeat a single character.')
  if (isSequence(lower)) return fail('Do not use a simple sequence of characters.')
  if (usesOwnWords(lower, context)) return fail('Do not build your password from your name or email address.')
  if (isGuessable(password, context))
    return fail(
      'This password is easy to guess (common words, names, dates or sequences); add more unrelated words.',
    )
  return { ok: true, password }
}

function fail(reason: string): PasswordCheck {
  return { ok: false, reason }
}

function codePoints(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

/** Common passwords, also repeated or with a short suffix ("password123password123"). */
function isCommon(lower: string): boolean {
  const stripped = lower.replace(/[\d!@#$%^&*.?_-]{1,4}$/, '')
  const { common } = loadStrength()
  return [lower, stripped].some((s) => common.has(s) || isRepeatedCommon(s, common))
}

function isRepeatedCommon(s: string, common: Set<string>): boolean {
  for (let size = 1; size <= s.length / 2; size++) {
    if (s.length % size !== 0) continue
    const unit = s.slice(0, size)
    if (unit.repeat(s.length / size) === s) return size < 4 || common.has(unit)
  }
  return false
}

function isSequence(lower: string): boolean {
  const codes = [...lower].map((c) => c.codePointAt(0) ?? 0)
  const step = (codes[1] ?? 0) - (codes[0] ?? 0)
  if (Math.abs(step) !== 1) return false
  return codes.every((c, i) => i === 0 || c - (codes[i - 1] ?? 0) === step)
}

function usesOwnWords(lower: string, context: PasswordContext): boolean {
  const words = [
    context.email?.split('@')[0],
    context.email,
    context.name,
    ...(context.name?.split(/\s+/) ?? []),
  ]
  const rest = words
    .filter((w): w is string => w !== undefined && w.length >= 4)
    .sort((a, b) => b.length - a.length)
    .reduce((s, w) => s.split(w.toLowerCase()).join(''), lower)
  return codePoints(rest) < 8
}

function isGuessable(password: string, context: PasswordContext): boolean {
  const ownWords = [context.email, context.name].filter((w): w is string => w !== undefined)
  return loadStrength().zxcvbn.check(password, ownWords).score < PASSWORD_MIN_SCORE
}
