import { describeError } from './describe-error.ts'
import { clearFieldErrors, fieldErrors, showFieldErrors } from './field-errors.ts'

/** The values of a form's named inputs, trimmed. */
export function formValues(form: JQuery): Record<string, string> {
  const values: Record<string, string> = {}
  for (const input of form.find('[name]').toArray() as HTMLInputElement[]) {
    values[input.name] = input.type === 'password' ? input.value : input.value.trim()
  }
  return values
}

/** Disables the submit button and shows the form's "working" line while a call runs. */
export function setBusy(form: JQuery, busy: boolean): void {
  form.find('[data-role="submit"]').prop('disabled', busy)
  form.find('[data-role="busy"], [data-role="saving"]').toggleClass('d-none', !busy)
}

/** Forgets the errors shown by `showFormError`. */
export function clearFormError(form: JQuery): void {
  clearFieldErrors(form)
  form.find('[data-role="form-error"]').addClass('d-none').text('')
}

/**
 * A failed submit, shown in the form: each field's message under its input (from the
 * problem's `errors[].path`), and one sentence at the top of the form, which is focused when
 * no field is.
 */
export function showFormError(form: JQuery, error: unknown): void {
  const unplaced = showFieldErrors(form, fieldErrors(error))
  const summary = [describeError(error), ...unplaced].join(' ')
  const alert = form.find('[data-role="form-error"]').text(summary).removeClass('d-none')
  if (form.find('.is-invalid').length === 0) alert.attr('tabindex', '-1').trigger('focus')
}
