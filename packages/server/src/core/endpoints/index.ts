import { listAudit, listUsers, updateUser } from './admin.ts'
import { listCredentials, revokeCredential } from './credential-endpoints.ts'
import type { Endpoint } from './endpoint.ts'
import { rotateKey } from './keys.ts'
import { login } from './login.ts'
import {
  exchangeOidc,
  listOidcIdentities,
  listOidcProviders,
  logoutOidc,
  oidcCallback,
  startOidc,
} from './oidc.ts'
import { changePassword } from './password.ts'
import { register } from './register.ts'
import { csrf, logout, me } from './session-endpoints.ts'

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
  listOidcProviders,
  startOidc,
  oidcCallback,
  exchangeOidc,
  listOidcIdentities,
  logoutOidc,
])

export type { Endpoint, EndpointContext, EndpointResult } from './endpoint.ts'
