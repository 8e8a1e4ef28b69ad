import { TesseraError, type UserProof } from '@tessera/client'
import $ from 'jquery'
import type { AppContext } from '../app-context.ts'
import { template } from '../templates/reauth-dialog.jst'
import { clearFormError, formValues, setBusy, showFormError } from './form-state.ts'
import { passkeyProof } from './passkey-proof.ts'

/**
 * The re-authentication dialog: password, authenticator code or passkey, sent to `/auth/reauth`.
 * Resolves true once the server accepted the proof, false when the user cancels.
 */
export function askForReauth(app: AppContext): Promise<boolean> {
  const dialog = $(template()).appendTo(document.body)
  const element = dialog.get(0) as HTMLDialogElement
  const form = dialog.find('form')
  return new Promise<boolean>((resolve) => {
    const finish = (passed: boolean) => {
      element.close()
      dialog.remove()
      resolve(passed)
    }
    dialog.find('[data-action="cancel"]').on('click', () => finish(false))
    dialog.on('cancel', (event) => {
      event.preventDefault()
      finish(false)
    })
    const send = (proof: Promise<UserProof>) => {
      clearFormError(form)
      setBusy(form, true)
      proof
        .then((given) => app.client.reauthenticate(given))
        .then(
          () => finish(true),
          (error: unknown) => {
            setBusy(form, false)
            showFormError(form, error)
          },
        )
    }
    dialog
      .find('[data-action="reauth-passkey"]')
      .on('click', () => send(passkeyProof(app).then((passkey) => ({ passkey }))))
    form.on('submit', (event) => {
      event.preventDefault()
      const { password = '', code = '' } = formValues(form)
      send(Promise.resolve(password !== '' ? { password } : { code }))
    })
    element.showModal()
    dialog.find('[name="password"]').trigger('focus')
  })
}

/**
 * Runs a critical action; when the server answers `reauth_required`, asks the user to confirm
 * it is them, then runs the same action again (once). A cancel rethrows the first refusal.
 */
export async function withReauth<T>(app: AppContext, action: () => Promise<T>): Promise<T> {
  try {
    return await action()
  } catch (error) {
    if (!(error instanceof TesseraError && error.code === 'reauth_required')) throw error
    if (!(await askForReauth(app))) throw error
    return action()
  }
}
