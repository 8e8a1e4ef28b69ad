import { startAuthentication } from '@simplewebauthn/browser'
import type { AppContext } from '../app-context.ts'

type RequestOptions = Parameters<typeof startAuthentication>[0]['optionsJSON']

/** A passkey assertion for a fresh ceremony: the proof `/auth/reauth` and the second login step take. */
export async function passkeyProof(app: AppContext): Promise<{ ceremony: string; response: object }> {
  const { options, ceremony } = await app.client.request<{ options: RequestOptions; ceremony: string }>(
    '/auth/passkeys/login/options',
    { method: 'POST', json: {} },
  )
  return { ceremony, response: await startAuthentication({ optionsJSON: options }) }
}
