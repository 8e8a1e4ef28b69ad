import type { AuthMode, CallFlags, LoginAnswer, LoginPlan } from './auth-mode.ts'
import type { ClientEvent, ClientEventHandler, ClientEvents } from './client-events.ts'
import type { CookieJar } from './cookie-jar.ts'
import type { ServerClock } from './server-clock.ts'
import { SignedMode } from './signed-mode.ts'
import type { SignatureAlgorithm } from './signing-key.ts'
import { TesseraError } from './tessera-error.ts'
import type { RequestOptions, Transport } from './transport.ts'

export interface User {
  id: number
  email: string
  name: string
  role: 'user' | 'admin'
}

export interface Me {
  user: User
  credential: { id: string; type: 'session' | 'hmac' | 'device'; expiresAt: string }
}

export interface CredentialInfo {
  id: string
  type: 'session' | 'hmac' | 'device'
  algorithm: string | null
  label: string
  createdAt: string
  lastUsedAt: string
  expiresAt: string
  /** The credential this very request used. */
  current: boolean
  /** A browser session bound to a key its browser cannot export (DBSC): "bound to this device". */
  bound?: boolean
}

export interface KeyInfo {
  id: string
  algorithm: SignatureAlgorithm
  expiresAt?: string
}

export interface ClientParts {
  mode: 'session' | 'signed'
  auth: AuthMode
  transport: Transport
  events: ClientEvents
  clock: ServerClock
  jar: CookieJar | undefined
  label: string | undefined
}

const ANONYMOUS: CallFlags = { anonymous: true }

/** A proof of the user for a second login step or a re-authentication: exactly one member. */
export type UserProof =
  | { password: string }
  | { code: string }
  | { recoveryCode: string }
  | { passkey: { ceremony: string; response: object } }

/** A second-step proof: a TOTP code or a recovery code. */
export type SecondFactorProof =
  | { code: string }
  | { recoveryCode: string }
  | { passkey: { ceremony: string; response: object } }

/** The Tessera API for one app: made by `createClient`. Every failure is a TesseraError. */
export class TesseraClient {
  readonly mode: 'session' | 'signed'
  readonly #p: ClientParts
  /** A login waiting for its second step: the plan keeps a device key pair made for it. */
  #pendingLogin: LoginPlan | undefined

  constructor(parts: ClientParts) {
    this.mode = parts.mode
    this.#p = parts
  }

  /** The learnt difference between the server's clock and this device's, in ms. */
  get clockOffsetMs(): number {
    return this.#p.clock.offsetMs
  }

  /** Listens to an event of this client; answers the function that stops listening. */
  on(event: ClientEvent, handler: ClientEventHandler): () => void {
    return this.#p.events.on(event, handler)
  }

  /** fetch() with the credential added; resolves with 2xx answers, rejects with a TesseraError otherwise. */
  fetch(path: string | URL, init?: RequestInit): Promise<Response> {
    return this.#p.transport.send(path, init)
  }

  /** Like `fetch`, sending `json` as JSON and answering the parsed JSON body. */
  request<T = unknown>(path: string | URL, options?: RequestOptions): Promise<T> {
    return this.#p.transport.json<T>(path, options)
  }

  /**
   * Logs in: a session (cookie + CSRF token), or a signing key kept in the key store. With a
   * second factor it rejects with `mfa_required` (`error.problem.challenge`): call
   * `completeLogin(challenge, proof)` next.
   */
  async login(email: string, password: string): Promise<User> {
    const plan = await this.#p.auth.planLogin()
    const label = this.#p.label === undefined ? {} : { label: this.#p.label }
    // Kept for `completeLogin`: a device key pair made for this login is bound by its second step.
    this.#pendingLogin = plan
    return this.#logIn('/auth/login', { email, password, ...plan.fields, ...label }, plan)
  }

  /** The second login step, after `login` rejected with `mfa_required`: its challenge and a TOTP or recovery code. */
  completeLogin(challenge: string, proof: SecondFactorProof): Promise<User> {
    const plan = this.#pendingLogin
    if (plan === undefined) throw new TypeError()
    return this.#logIn('/auth/login/mfa', { challenge, ...proof }, plan)
  }

  async #logIn(path: string, json: object, plan: LoginPlan): Promise<User> {
    const answer = await this.#p.transport.json<LoginAnswer>(path, { method: 'POST', json }, ANONYMOUS)
    await this.#p.transport.guard(() => plan.finish(answer))
    return answer.user
  }

  /**
   * Asks for an account. The answer is the same whether or not the address already has one
   * (no enumeration): the mail says what happened. Log in afterwards (once verified, if required).
   */
  register(input: { email: string; password: string; name: string }): Promise<unknown> {
    return this.accountLink('/auth/register', input)
  }

  /**
   * A public POST sent without a credential, even when logged out: `/auth/password/forgot`
   * `{email}`, `/auth/password/reset` `{token | code+email, newPassword}`, and spending an account mail's link (`/auth/invitations/inspect`,
   * `/auth/invitations/accept`, `/auth/email/verify`, `/auth/email/confirm`, `/auth/email/undo`).
   */
  accountLink<T = unknown>(path: string, json: object): Promise<T> {
    return this.#p.transport.json<T>(path, { method: 'POST', json }, ANONYMOUS)
  }

  /**
   * Logs in with a passkey: asks the server for a ceremony, lets `assert` get the browser's
   * answer to its options (e.g. `@simplewebauthn/browser`'s `startAuthentication`), and sends
   * it: a session, or in signed mode a device key made here: no password, no bearer secret.
   */
  async loginWithPasskey(assert: (options: object) => Promise<object>): Promise<User> {
    const start = { method: 'POST', json: {} }
    const { options, ceremony } = await this.#p.transport.json<{ options: object; ceremony: string }>(
      '/auth/passkeys/login/options',
      start,
      ANONYMOUS,
    )
    const plan = await this.#p.auth.planLogin()
    return this.#logIn(
      '/auth/passkeys/login',
      { ceremony, response: await assert(options), ...plan.fields },
      plan,
    )
  }

  /**
   * Accepts an invitation by creating a passkey instead of choosing a password: asks the server
   * for creation options bound to the invitation's `token`, lets `create` get the browser's answer
   * (e.g. `@simplewebauthn/browser`'s `startRegistration`), and sends it. The account is made with
   * that passkey and no password, and this client is logged in (a session, or a device key).
   */
  async acceptInvitationWithPasskey(
    token: string,
    create: (options: object) => Promise<object>,
    name?: string,
  ): Promise<User> {
    const { options, ceremony } = await this.accountLink<{ options: object; ceremony: string }>(
      '/auth/invitations/passkey/options',
      { token },
    )
    const plan = await this.#p.auth.planLogin()
    const json = { token, ceremony, response: await create(options), ...(name && { name }), ...plan.fields }
    return this.#logIn('/auth/invitations/passkey', json, plan)
  }

  /** Step-up: proves it is the user again, so actions guarded by `recentAuth` pass (then retry them). */
  async reauthenticate(proof: UserProof): Promise<void> {
    // Quiet: a wrong proof is this call's answer, not news for the app's listeners.
    await this.#p.transport.json('/auth/reauth', { method: 'POST', json: proof }, { quiet: true })
  }

  /**
   * Revokes the credential on the server and forgets it here. The local credential is dropped
   * even when the server cannot be reached (that error is still thrown); a 401 means it was
   * already dead and is not an error.
   */
  async logout(): Promise<void> {
    try {
      await this.#p.transport.send('/auth/logout', { method: 'POST' }, { quiet: true })
    } catch (error) {
      if (!(error instanceof TesseraError && error.status === 401)) throw error
    } finally {
      await this.#p.auth.forget()
      this.#p.jar?.clear()
    }
  }

  me(): Promise<Me> {
    return this.request<Me>('/auth/me')
  }

  /**
   * Changes the password; the server revokes every other session and key of the user. An
   * account with no password yet (made with a passkey) sets its first one with `currentPassword`
   * `undefined`. Needs a recent proof of the user (`reauth_required`, then `reauthenticate`).
   */
  async changePassword(currentPassword: string | undefined, newPassword: string): Promise<void> {
    const json = currentPassword === undefined ? { newPassword } : { currentPassword, newPassword }
    await this.request('/auth/password', { method: 'POST', json })
  }

  async credentials(): Promise<CredentialInfo[]> {
    return (await this.request<{ credentials: CredentialInfo[] }>('/auth/credentials')).credentials
  }

  /** Revokes one of the user's credentials (an admin: anyone's); revoking this client's own key logs it out. */
  async revoke(credentialId: string): Promise<void> {
    await this.request(`/auth/credentials/${encodeURIComponent(credentialId)}`, { method: 'DELETE' })
    if (await this.#p.auth.isCurrent(credentialId)) await this.#p.auth.forget()
  }

  /** Signed mode: replaces the key (HMAC: a new secret; device: a new key pair generated here). */
  rotateKey(): Promise<KeyInfo> {
    const signed = this.#signed()
    return this.#p.transport.guard(async () => {
      const post = (body: object | undefined) =>
        this.request('/auth/keys/rotate', { method: 'POST', ...(body && { json: body }) })
      const { id, algorithm, expiresAt } = await signed.rotate(post)
      return { id, algorithm, expiresAt }
    })
  }

  /** Signed mode: the key in use, if any (nothing secret). */
  async keyInfo(): Promise<KeyInfo | undefined> {
    const signed = this.#signed()
    const key = await this.#p.transport.guard(() => signed.current())
    return key && { id: key.id, algorithm: key.algorithm, expiresAt: key.expiresAt }
  }

  #signed(): SignedMode {
    if (this.#p.auth instanceof SignedMode) return this.#p.auth
    throw new TypeError('only a client in signed mode has a key')
  }
}
