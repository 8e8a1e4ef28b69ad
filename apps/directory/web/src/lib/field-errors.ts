import { TesseraError } from '@tessera/client'

/**
 * The field messages of a `validation_failed` problem, by input name: `/body/email` → `email`.
 * Other paths (`/params/id`) have no input and are left to the form's summary.
 */
export function fieldErrors(error: unknown): Map<string, string> {
  const found = new Map<string, string>()
  if (!(error instanceof TesseraError)) return found
  for (const item of error.problem?.errors ?? []) {
    const match = /^\/body\/([A-Za-z]+)/.exec(String(item.path))
    if (match?.[1] !== undefined && !found.has(match[1])) found.set(match[1], String(item.message))
  }
  if (error.code === 'email_taken') found.set('email', 'already has an account')
  return found
}

/** "is required" reads as "Email is required."; a server sentence ("Use at least…") stays as it is. */
function sentence(label: string, message: string): string {
  if (/^[A-Z]/.test(message)) return message
  return `${label} ${message}${message.endsWith('.') ? '' : '.'}`
}

/** Removes the marks left by `showFieldErrors`. */
export function clearFieldErrors(form: JQuery): void {
  form.find('.is-invalid').removeClass('is-invalid').removeAttr('aria-invalid')
  form.find('.invalid-feedback[data-for]').text('')
}

/**
 * Shows each message under its input (Bootstrap's `.invalid-feedback`, tied to the input by
 * `aria-describedby`) and focuses the first field in error. Answers the messages that matched
 * no input, for the form's summary.
 */
export function showFieldErrors(form: JQuery, errors: Map<string, string>): string[] {
  const unplaced: string[] = []
  for (const [name, message] of errors) {
    const input = form.find(`[name="${name}"]`)
    const feedback = form.find(`.invalid-feedback[data-for="${name}"]`)
    if (input.length === 0 || feedback.length === 0) {
      unplaced.push(sentence(name, message))
      continue
    }
    input.addClass('is-invalid').attr('aria-invalid', 'true')
    feedback.text(sentence(feedback.parent().find('label').first().text() || name, message))
  }
  form.find('.is-invalid').first().trigger('focus')
  return unplaced
}
