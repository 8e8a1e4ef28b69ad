import type { PasskeyRecord } from '../passkey-store.ts'
import { randomToken } from '../secrets.ts'

function iso(ms: number): string {
  return new Date(ms).toISOString()
}

/** A passkey as listings show it: nothing secret, the public key left out. */
export function passkeyView(p: PasskeyRecord) {
  return {
    id: p.id,
    name: p.name,
    backedUp: p.backedUp,
    deviceType: p.deviceType,
    createdAt: iso(p.createdAt),
    lastUsedAt: p.lastUsedAt === null ? null : iso(p.lastUsedAt),
  }
}

/** The WebAuthn user handle of a Tessera user: its id, no personal data (WebAuthn §14.6.1). */
export function userHandle(userId: number): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`tessera:${userId}`)
}

/**
 * The user handle of a passkey made while accepting an invitation, before the account (and so
 * its id) exists: random, no personal data. Such a handle names no account; the passkey's
 * owner is the one its credential id was stored for.
 */
export function invitationHandle(): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`tessera:invitation:${randomToken(16)}`)
}

const INVITATION_HANDLE = /^tessera:invitation:[A-Za-z0-9_-]{22}$/

/**
 * Whether a user handle (base64url, as an assertion carries it) fits the passkey's owner:
 * the owner's own handle, or an invitation handle (which names nobody). A handle naming
 * another account (`tessera:<other id>`) or anything else does not.
 */
export function handleFits(handle: string, userId: number): boolean {
  if (handle === Buffer.from(userHandle(userId)).toString('base64url')) return true
  return INVITATION_HANDLE.test(Buffer.from(handle, 'base64url').toString('utf8'))
}
