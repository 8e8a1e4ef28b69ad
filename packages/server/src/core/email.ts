/**
 * Characters that draw nothing or reorder what is drawn: zero-width space/joiner/non-joiner,
 * soft hyphen, BOM, bidi controls, variation selectors, tag characters (Default_Ignorable),
 * C0/C1 controls (Cc) and other format characters (Cf). In an address they only make
 * look-alikes of another account (Unicode UTS #39 §3.1 on look-alike identifiers).
 */
export const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}]/u
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu')

/**
 * The unique lookup key of an email: NFKC, invisible characters and a trailing dot of the
 * domain dropped, trimmed, lower-cased. The address as typed is kept for display. Registration
 * refuses those characters anyway; the key drops them too so no look-alike can ever get a key
 * of its own (an address stored before the rule, a CLI or library caller).
 */
export function emailKey(email: string): string {
  return email.normalize('NFKC').replace(INVISIBLE_ALL, '').trim().toLowerCase().replace(/\.+$/, '')
}

// Deliberately simple (OWASP Input Validation: local@domain, one @, a dot in the domain, no spaces),
// and the domain's labels are never empty (no "example.com." with the DNS root's trailing dot).
const EMAIL = /^[^\s@]{1,64}@(?:[^\s@.]+\.)+[^\s@.]{2,63}$/u

/** Why an address is refused (for `validation_failed` at `/body/email`), or undefined when it is accepted. */
export function emailProblem(email: string): string | undefined {
  const normalized = email.normalize('NFKC')
  if (INVISIBLE.test(normalized)) return 'must not contain invisible or formatting characters'
  if (email.length > 320 || !EMAIL.test(normalized.trim())) return 'is not an email address'
  return undefined
}
