import { dictionary } from '@zxcvbn-ts/language-common'

/**
 * NIST SP 800-63B-4 §3.1.1.2 / OWASP ASVS 5.0 V6.2: length is what matters, so
 * 15–256 code points for single-factor passwords, any characters, no composition
 * rules, never truncated; NFKC-normalised so the same password typed on two
 * keyboards verifies; refused when common or built from the account's own words.
 */
export const PASSWORD_MIN = 15
export const PASSWORD_MAX = 256

const COMMON = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()))

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
  return [lower, stripped].some((s) => COMMON.has(s) || isRepeatedCommon(s))
}

function isRepeatedCommon(s: string): boolean {
  for (let size = 1; size <= s.length / 2; size++) {
    if (s.length % size !== 0) continue
    const unit = s.slice(0, size)
    if (unit.repeat(s.length / size) === s) return size < 4 || COMMON.has(unit)
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
