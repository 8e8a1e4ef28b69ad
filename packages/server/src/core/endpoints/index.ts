import { listAudit, listUsers, updateUser } from './admin.ts'
import { issueUserKey } from './admin-keys.ts'
import { resetSecondFactor } from './admin-mfa-reset.ts'
import { listCredentials, revokeCredential } from './credential-endpoints.ts'
import { dbscRefresh, dbscRegister } from './dbsc.ts'
import {
  changeEmailEndpoint,
  confirmEmailEndpoint,
  emailStatus,
  resendVerificationEndpoint,
  undoEmailEndpoint,
  verifyEmailEndpoint,
} from './email-endpoints.ts'
import type { Endpoint } from './endpoint.ts'
import {
  acceptInvitationEndpoint,
  createInvitation,
  inspectInvitation,
  listInvitationsEndpoint,
  revokeInvitationEndpoint,
} from './invitation-endpoints.ts'
import {
  acceptInvitationWithPasskeyEndpoint,
  invitationPasskeyOptionsEndpoint,
} from './invitation-passkey.ts'
import { rotateKey } from './keys.ts'
import { login } from './login.ts'
import { loginSecondStep } from './login-second-step.ts'
import {
  exchangeOidc,
  listOidcIdentities,
  listOidcProviders,
  logoutOidc,
  oidcCallback,
  startOidc,
} from './oidc.ts'
import { passkeyLogin, passkeyLoginOptions } from './passkey-login.ts'
import { listPasskeys, removePasskey, renamePasskey } from './passkey-management.ts'
import { passkeyRegistration, passkeyRegistrationOptions } from './passkey-registration.ts'
import { changePassword } from './password.ts'
import { forgotPassword, resetPasswordEndpoint } from './password-reset-endpoints.ts'
import { reauthenticate } from './reauth.ts'
import { register } from './register.ts'
import { csrf, logout, me } from './session-endpoints.ts'
import { beginTotp, confirmTotp, disableTotp, mfaStatus, newRecoveryCodeSet } from './totp-endpoints.ts'

/** The `/auth` API of DESIGN §5, in one list both adapters serve. */
export const AUTH_ENDPOINTS: readonly Endpoint[] = Object.freeze([
  register,
  login,
  logout,
  me,
  csrf,
  listCredentials,
  revokeCredential,
  changePassword,
  rotateKey,
  listUsers,
  updateUser,
  listAudit,
  dbscRegister,
  dbscRefresh,
  // Account mails (issue 13).
  forgotPassword,
  resetPasswordEndpoint,
  createInvitation,
  listInvitationsEndpoint,
  revokeInvitationEndpoint,
  inspectInvitation,
  acceptInvitationEndpoint,
  emailStatus,
  verifyEmailEndpoint,
  resendVerificationEndpoint,
  changeEmailEndpoint,
  confirmEmailEndpoint,
  undoEmailEndpoint,
  listOidcProviders,
  startOidc,
  oidcCallback,
  exchangeOidc,
  listOidcIdentities,
  logoutOidc,
  reauthenticate,
  loginSecondStep,
  mfaStatus,
  beginTotp,
  confirmTotp,
  disableTotp,
  newRecoveryCodeSet,
  resetSecondFactor,
  passkeyRegistrationOptions,
  passkeyRegistration,
  listPasskeys,
  renamePasskey,
  removePasskey,
  passkeyLoginOptions,
  passkeyLogin,
  issueUserKey,
  invitationPasskeyOptionsEndpoint,
  acceptInvitationWithPasskeyEndpoint,
])

export type { Endpoint, EndpointContext, EndpointResult } from './endpoint.ts'
