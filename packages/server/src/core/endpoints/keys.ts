import { ProblemError } from '../errors.ts'
import { type Endpoint, objectSchema, STRING } from './endpoint.ts'
import { issueKey } from './issue-credential.ts'

/**
 * Rotation: a new key for the rest of the old one's absolute life (rotating never extends
 * it: after the absolute limit the user logs in again); the old one keeps working for the
 * configured overlap (default 60 s) so requests already in flight are not refused, then dies,
 * and it cannot be rotated a second time. A device key rotates to a new public key.
 */
export const rotateKey: Endpoint = {
  method: 'POST',
  path: '/auth/keys/rotate',
  access: 'key',
  summary: 'Replace the signing key used for this request with a new one',
  body: objectSchema({ publicKey: { type: 'object', maxProperties: 16 }, label: STRING(1, 100) }, []),
  errors: ['unauthenticated', 'forbidden', 'validation_failed'],
  async handle({ tessera, principal, body, request, now }) {
    const { publicKey, label } = (body ?? {}) as { publicKey?: Record<string, unknown>; label?: string }
    const current = await tessera.stores.credentials.findById(principal.credential.id)
    if (current === undefined) throw new ProblemError('unauthenticated')
    const wasDevice = current.credential.type === 'device'
    if (wasDevice !== (publicKey !== undefined)) {
      const message = wasDevice
        ? 'a device key rotates to a new public key'
        : 'an HMAC key rotates without a public key'
      throw new ProblemError('validation_failed', { errors: [{ path: '/body/publicKey', message }] })
    }
    // Claim the old key first: of two rotations racing, only one gets a successor.
    const retiresAt = now + tessera.config.keys.rotationOverlapMs
    if (!(await tessera.stores.credentials.retire(current.credential.id, retiresAt))) {
      throw new ProblemError('forbidden', { detail: 'this key was already rotated' })
    }
    const { label: oldLabel, absoluteExpiresAt, authenticatedAt } = current.credential
    // The successor inherits the old key's epoch: a key made stale by a password change stays dead.
    const owner = { ...current.user, credentialEpoch: current.credential.credentialEpoch }
    // …and its last proof of the user: rotating is not re-authenticating.
    const key = await issueKey(tessera, owner, label ?? oldLabel, publicKey, now, {
      absoluteExpiresAt,
      authenticatedAt,
    })
    await tessera.audit.record('authn_token_revoked', {
      userId: current.user.id,
      credentialId: current.credential.id,
      ip: request.ip,
      detail: { reason: 'rotated', successor: key.id },
    })
    return { status: 200, body: { key } }
  },
}
