/** The unique lookup key of an email: NFKC, trimmed, lower-cased. The address as typed is kept for display. */
export function emailKey(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase()
}

// Deliberately simple (OWASP Input Validation: local@domain, one @, a dot in the domain, no spaces).
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,63}$/u

export function isPlausibleEmail(email: string): boolean {
  return email.length <= 320 && EMAIL.test(email.normalize('NFKC').trim())
}
