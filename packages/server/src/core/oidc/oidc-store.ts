/**
 * What OpenID Connect sign-in persists. Every row that proves something once (a flow's
 * `state`, a mobile exchange code) is taken by exactly one caller, whatever the instance:
 * the store deletes it and answers it only to the caller whose delete removed the row.
 */

/** One sign-in in progress, from the redirect to the provider until its callback. */
export interface OidcFlow {
  /** SHA-256 (hex) of the `state` sent to the provider: the state itself is never stored. */
  id: string
  provider: string
  nonce: string
  /** The PKCE verifier of the server's own exchange with the provider. */
  codeVerifier: string
  /** SHA-256 (hex) of the browser-binding cookie (web flows), so a callback from another browser fails. */
  browserHash: string | null
  mode: 'web' | 'mobile'
  /** Web: a same-origin path. Mobile: one of the configured app redirect URIs. */
  returnTo: string
  /** Mobile: the app's own PKCE challenge (S256), which its exchange must answer. */
  appChallenge: string | null
  /** Seconds, when the provider was asked for a fresh authentication (`max_age`). */
  maxAge: number | null
  expiresAt: number
}

/** What a provider sign-in proved, recorded with the credential it produced. */
export interface OidcProof {
  provider: string
  /** Epoch ms the user last authenticated at the provider (`auth_time`, else the sign-in time). */
  authenticatedAt: number
  amr: string[]
  acr: string | null
}

/** A single-use, short-lived code handed to a mobile app, redeemable only with its PKCE verifier. */
export interface OidcGrant extends OidcProof {
  /** SHA-256 (hex) of the code. */
  id: string
  userId: number
  appChallenge: string
  /** The user's credential epoch at sign-in: a role change before the exchange kills the grant. */
  credentialEpoch: number
  expiresAt: number
}

/** A provider account linked to a local user. */
export interface OidcIdentity {
  provider: string
  subject: string
  userId: number
  email: string
  linkedAt: number
}

export interface OidcSignIn extends OidcProof {
  credentialId: string
  userId: number
}

export interface OidcStore {
  saveFlow(flow: OidcFlow): Promise<void>
  /** Removes and answers the unexpired flow, to one caller only; undefined when unknown, used or expired. */
  takeFlow(id: string, now: number): Promise<OidcFlow | undefined>
  saveGrant(grant: OidcGrant): Promise<void>
  /** Removes and answers the unexpired grant, to one caller only. */
  takeGrant(id: string, now: number): Promise<OidcGrant | undefined>
  findIdentity(provider: string, subject: string): Promise<OidcIdentity | undefined>
  /** Links the provider account; `'taken'` when it is already linked (race-safe: primary key). */
  linkIdentity(identity: OidcIdentity): Promise<'linked' | 'taken'>
  listIdentities(userId: number): Promise<OidcIdentity[]>
  recordSignIn(signIn: OidcSignIn): Promise<void>
  findSignIn(credentialId: string): Promise<OidcSignIn | undefined>
  /** Deletes expired flows and grants; answers how many. */
  deleteExpired(now: number): Promise<number>
}
