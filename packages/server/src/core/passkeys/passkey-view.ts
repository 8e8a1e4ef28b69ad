import type { PasskeyRecord } from '../passkey-store.ts'

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
