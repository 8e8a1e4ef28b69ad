export {
  acceptInvitation,
  inviteUser,
  listInvitations,
  revokeInvitation,
} from './core/accounts/invitations.ts'
export { requestPasswordReset, resetPassword } from './core/accounts/password-reset.ts'
export type { AuthOutcome } from './core/authenticator.ts'
export { canonicalOrigin, type TesseraConfig, type TesseraOptions } from './core/config.ts'
export { TesseraConfigError } from './core/config-error.ts'
export { emailKey } from './core/email.ts'
export {
  AUTH_ENDPOINTS,
  type Endpoint,
  type EndpointContext,
  type EndpointResult,
} from './core/endpoints/index.ts'
export { runEndpoint } from './core/endpoints/run-endpoint.ts'
export {
  ERROR_CODES,
  ERRORS,
  type ErrorCode,
  type FieldError,
  type Problem,
  type ProblemBody,
  ProblemError,
  StoreUnavailableError,
  toProblem,
  WWW_AUTHENTICATE,
} from './core/errors.ts'
export type { Mailer, MailMessage } from './core/mail/mailer.ts'
export type * from './core/mfa-store.ts'
export type { OidcOptions, OidcProviderOptions } from './core/oidc/oidc-options.ts'
export type { OidcIdentity, OidcSignIn, OidcStore } from './core/oidc/oidc-store.ts'
export type * from './core/passkey-store.ts'
export { ARGON2_PARAMS, PasswordHasher } from './core/password-hasher.ts'
export { checkPassword, PASSWORD_MAX, PASSWORD_MIN } from './core/password-policy.ts'
export { MasterSecrets, parseSecret, randomToken } from './core/secrets.ts'
export { parsePublicJwk } from './core/signatures/keys.ts'
export {
  type SignatureHeaders,
  type SignRequestOptions,
  signRequest,
} from './core/signatures/sign-request.ts'
export {
  createSignatureVerifier,
  type SignatureVerifierOptions,
  type VerifyResult,
} from './core/signatures/verify-request-signature.ts'
export { CRITICAL_RECENT_AUTH_SECONDS, type GuardOptions } from './core/step-up.ts'
export type * from './core/stores.ts'
export { AUDIT_EVENTS, TOKEN_PURPOSES } from './core/stores.ts'
export { createTessera, Tessera } from './core/tessera.ts'
export * from './core/types.ts'
