/**
 * `@tessera/server`: the public API. A `Tessera` and its verbs, the options, the errors, the
 * request-signing primitives and the store interfaces; adapters, databases and stores have
 * their own entry points (`@tessera/server/fastify`, `/express`, `/hono`, `/db`, `/sql`,
 * `/redis`, `/node`). Everything else in the package is internal and may change.
 */

/**
 * Invitations: an admin invites an address, the invitee sets a password through the mailed
 * link (`acceptInvitation`); pending ones can be listed and revoked.
 * @example
 * ```ts
 * import { inviteUser } from '@tessera/server'
 * await inviteUser(tessera, { email: 'ana@example.com', name: 'Ana', role: 'user' }, null, Date.now())
 * ```
 */
export {
  acceptInvitation,
  inviteUser,
  listInvitations,
  revokeInvitation,
} from './core/accounts/invitations.ts'
/**
 * The forgotten-password flow: mail a single-use reset link, then set the new password with it.
 * @example
 * ```ts
 * import { requestPasswordReset } from '@tessera/server'
 * await requestPasswordReset(tessera, 'ana@example.com', request.ip, Date.now())
 * ```
 */
export { requestPasswordReset, resetPassword } from './core/accounts/password-reset.ts'
/**
 * What `authenticate` answers: a principal, or the refusal to answer.
 * @example
 * ```ts
 * import type { AuthOutcome } from '@tessera/server'
 * const outcome: AuthOutcome = await tessera.authenticate(view)
 * ```
 */
export type { AuthOutcome } from './core/authenticator.ts'
/**
 * The options of `createTessera`, and the one-line error a wrong one raises at start.
 * @example
 * ```ts
 * import { type TesseraOptions, TesseraConfigError } from '@tessera/server'
 * try { createTessera(options satisfies TesseraOptions) } catch (e) { if (e instanceof TesseraConfigError) console.error(e.message) }
 * ```
 */
export type { TesseraOptions } from './core/config.ts'
/**
 * @example
 * ```ts
 * import { TesseraConfigError } from '@tessera/server'
 * process.on('uncaughtException', (e) => console.error(e instanceof TesseraConfigError ? e.message : e))
 * ```
 */
export { TesseraConfigError } from './core/config-error.ts'
/**
 * The inputs and answers of the verbs.
 * @example
 * ```ts
 * import type { IssuedKey, NewUser } from '@tessera/server'
 * const input: NewUser = { email: 'ana@example.com', password, name: 'Ana' }
 * const key: IssuedKey = await tessera.issueKey(await tessera.register(input))
 * ```
 */
export type { IssuedKey, IssuedSession } from './core/endpoints/issue-credential.ts'
/**
 * The problem+json errors: throw `ProblemError` from your own routes for the same answers as
 * Tessera's; `StoreUnavailableError` is a store outage (answered 503).
 * @example
 * ```ts
 * import { ProblemError } from '@tessera/server'
 * throw new ProblemError('not_found')
 * ```
 */
export {
  ERROR_CODES,
  type ErrorCode,
  type FieldError,
  type Problem,
  type ProblemBody,
  ProblemError,
  StoreUnavailableError,
} from './core/errors.ts'
/**
 * The account mailer you pass as `mailer` (SMTP, an API, or a test outbox).
 * @example
 * ```ts
 * import type { Mailer } from '@tessera/server'
 * const mailer: Mailer = { send: (message) => smtp.sendMail(message) }
 * ```
 */
export type { Mailer, MailMessage } from './core/mail/mailer.ts'
/**
 * The second-factor (TOTP, recovery codes, login challenges) store interface.
 * @example
 * ```ts
 * import type { MfaStore } from '@tessera/server'
 * const mfa: MfaStore = stores.mfa
 * ```
 */
export type * from './core/mfa-store.ts'
/**
 * The `oidc` option: sign-in through OpenID Connect providers.
 * @example
 * ```ts
 * import type { OidcOptions } from '@tessera/server'
 * const oidc: OidcOptions = { providers: [{ id: 'google', issuer: 'https://accounts.google.com', clientId, clientSecret }] }
 * ```
 */
export type { OidcOptions, OidcProviderOptions } from './core/oidc/oidc-options.ts'
/**
 * The OIDC store interface (pending sign-ins, linked identities).
 * @example
 * ```ts
 * import type { OidcStore } from '@tessera/server'
 * const oidcStore: OidcStore = stores.oidc
 * ```
 */
export type { OidcIdentity, OidcSignIn, OidcStore } from './core/oidc/oidc-store.ts'
/**
 * The passkey store interface.
 * @example
 * ```ts
 * import type { PasskeyStore } from '@tessera/server'
 * const passkeys: PasskeyStore = stores.passkeys
 * ```
 */
export type * from './core/passkey-store.ts'
/**
 * The Argon2id hasher and its production parameters (to measure or tune `passwordHashing`).
 * @example
 * ```ts
 * import { ARGON2_PARAMS, PasswordHasher } from '@tessera/server'
 * const hash = await new PasswordHasher(ARGON2_PARAMS).hash('a long passphrase')
 * ```
 */
export { ARGON2_PARAMS, PasswordHasher } from './core/password-hasher.ts'
/**
 * The password policy, to check a password in your own form before sending it.
 * @example
 * ```ts
 * import { checkPassword } from '@tessera/server'
 * const verdict = checkPassword(input, { email, name })
 * if (!verdict.ok) show(verdict.reason)
 * ```
 */
export { checkPassword, PASSWORD_MAX, PASSWORD_MIN } from './core/password-policy.ts'
/**
 * A device key's public JWK, checked the way login and rotation check it.
 * @example
 * ```ts
 * import { parsePublicJwk } from '@tessera/server'
 * const parsed = parsePublicJwk(jwk)
 * if (parsed.ok) console.log(parsed.algorithm)
 * ```
 */
export { parsePublicJwk } from './core/signatures/keys.ts'
/**
 * Signs a request (RFC 9421) as Tessera's clients do: for scripts and services holding a key.
 * @example
 * ```ts
 * import { signRequest } from '@tessera/server'
 * const headers = signRequest({ method: 'GET', url, keyId, algorithm: 'hmac-sha256', key })
 * ```
 */
export {
  type SignatureHeaders,
  type SignRequestOptions,
  signRequest,
} from './core/signatures/sign-request.ts'
/**
 * The signature verifier alone, with your own key lookup and nonce store.
 * @example
 * ```ts
 * import { createSignatureVerifier } from '@tessera/server'
 * const verifier = createSignatureVerifier({ authorities: ['api.example'], scheme: 'https', nonces, resolveKey })
 * const result = await verifier.verify(view)
 * ```
 */
export {
  createSignatureVerifier,
  type SignatureVerifierOptions,
  type VerifyResult,
} from './core/signatures/verify-request-signature.ts'
/**
 * Route guard options (`recentAuth` step-up, `allowUnenrolled`) and the step-up window of
 * critical operations.
 * @example
 * ```ts
 * import { CRITICAL_RECENT_AUTH_SECONDS } from '@tessera/server'
 * app.post('/transfer', { preValidation: authorize('user', { recentAuth: CRITICAL_RECENT_AUTH_SECONDS }) }, handler)
 * ```
 */
export { CRITICAL_RECENT_AUTH_SECONDS, type GuardOptions } from './core/step-up.ts'
/**
 * The store interfaces (to write your own store) and the audit event names.
 * @example
 * ```ts
 * import { AUDIT_EVENTS, type Stores } from '@tessera/server'
 * const events = await tessera.auditTrail({ limit: 20, event: AUDIT_EVENTS[0] })
 * ```
 */
export type * from './core/stores.ts'
/**
 * @example
 * ```ts
 * import { AUDIT_EVENTS } from '@tessera/server'
 * console.log(AUDIT_EVENTS.includes('logout'))
 * ```
 */
export { AUDIT_EVENTS, TOKEN_PURPOSES } from './core/stores.ts'
/**
 * The instance users hold, its factory and what its verbs answer.
 * @example
 * ```ts
 * import { createTessera } from '@tessera/server'
 * const tessera = createTessera({ stores, secret: process.env.TESSERA_SECRET, publicOrigin: 'https://app.example' })
 * const user = await tessera.findUser('ana@example.com')
 * if (user) await tessera.revokeUser(user.id)
 * ```
 */
export { type AuditQuery, createTessera, type LoginResult, Tessera } from './core/tessera.ts'
/**
 * Users, principals, roles, algorithms and the framework-free request view.
 * @example
 * ```ts
 * import type { Principal, RequestView } from '@tessera/server'
 * const principal: Principal = tessera.authorize(await tessera.authenticate(view), 'user', view)
 * ```
 */
export * from './core/types.ts'
/**
 * @example
 * ```ts
 * import type { UserUpdate } from '@tessera/server'
 * const changes: UserUpdate = { role: 'admin' }
 * await tessera.updateUser(user.id, changes, { via: 'seed' })
 * ```
 */
export type { NewUser, UserUpdate } from './core/verbs/account-verbs.ts'
/**
 * @example
 * ```ts
 * import type { Actor } from '@tessera/server'
 * const actor: Actor = { by: admin.id, ip: request.ip }
 * await tessera.revoke(credentialId, actor)
 * ```
 */
export type { Actor, RevokeOptions, RotateKeyOptions } from './core/verbs/credential-verbs.ts'
/**
 * @example
 * ```ts
 * import type { PasswordCheck } from '@tessera/server'
 * const check: PasswordCheck = { email, password, ip: '203.0.113.7' }
 * const { user } = await tessera.login(check)
 * ```
 */
export type { PasswordCheck } from './core/verbs/login-verb.ts'
