import { generateRegistrationOptions } from '@simplewebauthn/server'
import { emailKey } from '../email.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { finishCeremony, startCeremony } from '../passkeys/ceremony.ts'
import { verifiedNewPasskey } from '../passkeys/new-passkey.ts'
import { invitationHandle } from '../passkeys/passkey-view.ts'
import { NO_PASSWORD_HASH } from '../password-hasher.ts'
import { sha256Hex } from '../secrets.ts'
import type { UserRecord } from '../stores.ts'
import type { Tessera } from '../tessera.ts'
import { peekInvitation } from './invitations.ts'

/**
 * Accepting an invitation with a passkey instead of a password, step 1: WebAuthn creation
 * options (discoverable, user verification required) for the invited address, and a ceremony
 * bound to the invitation token (by its SHA-256: the token itself is never stored). The token
 * is only looked at here, not spent: a dead one answers `token_used` / `token_expired`.
 */
export async function invitationPasskeyOptions(tessera: Tessera, token: string, ip: string, now: number) {
  const invitation = await peekInvitation(tessera, token, now, ip)
  const { rpId, rpName } = internals(tessera).config.passkeys
  const options = await generateRegistrationOptions({
    rpName,
    rpID: rpId,
    userName: invitation.email,
    userDisplayName: invitation.name,
    // The account does not exist yet, so it has no id to name: a random handle (passkey-view.ts).
    userID: invitationHandle(),
    attestationType: 'none',
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  })
  const bound = { tokenHash: sha256Hex(token) }
  const ceremony = await startCeremony(tessera, 'passkey-invite', null, options.challenge, now, bound)
  return { options, ceremony }
}

export interface PasskeyAcceptance {
  token: string
  ceremony: string
  response: unknown
  name?: string
}

/**
 * Step 2: the ceremony used up (a reused one answers `invalid_challenge`), the passkey
 * verified, and only then the token spent, atomically (of two acceptances racing, one wins,
 * the other gets `token_used`); the account is created with that passkey and no password
 * (`NO_PASSWORD_HASH`), its address proven by the link.
 */
export async function acceptInvitationWithPasskey(
  tessera: Tessera,
  input: PasskeyAcceptance,
  ip: string,
  now: number,
): Promise<UserRecord> {
  const { stores, tokens, audit } = internals(tessera)
  const { challenge, detail } = await finishCeremony(tessera, 'passkey-invite', input.ceremony, now)
  // A ceremony started for another invitation proves nothing about this one.
  if (detail.tokenHash !== sha256Hex(input.token)) throw new ProblemError('invalid_challenge')
  const invitation = await peekInvitation(tessera, input.token, now, ip)
  const passkey = await verifiedNewPasskey(tessera, input.response, challenge, input.name ?? 'Passkey', now)
  if (passkey.id.length > 255 || (await stores.passkeys.findById(passkey.id)) !== undefined)
    throw new ProblemError('passkey_taken')
  await tokens.consume(input.token, 'invite', now, ip)
  const created = await stores.users.create(
    {
      email: invitation.email,
      emailKey: emailKey(invitation.email),
      name: invitation.name,
      role: invitation.role,
      passwordHash: NO_PASSWORD_HASH,
      emailVerifiedAt: now,
    },
    now,
  )
  if (created === 'email_taken') throw new ProblemError('email_taken')
  // Random 16-byte credential ids do not collide: a refusal here is a race with the same
  // authenticator, and the account (no password, no passkey) can still reset its password.
  if (!(await stores.passkeys.create({ ...passkey, userId: created.id })))
    throw new ProblemError('passkey_taken')
  await audit.record('user_created', {
    userId: created.id,
    ip,
    detail: { via: 'invitation', role: created.role, with: 'passkey' },
  })
  await audit.record('mfa_enrolled', {
    userId: created.id,
    ip,
    detail: { factor: 'passkey', backedUp: passkey.backedUp, via: 'invitation' },
  })
  return created
}
