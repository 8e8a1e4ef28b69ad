import { type Endpoint, objectSchema, STRING } from './endpoint.ts'

/** Rotation rules: see `Tessera.rotateKey`. */
export const rotateKey: Endpoint = {
  method: 'POST',
  path: '/auth/keys/rotate',
  access: 'key',
  summary: 'Replace the signing key used for this request with a new one',
  body: objectSchema({ publicKey: { type: 'object', maxProperties: 16 }, label: STRING(1, 100) }, []),
  errors: ['unauthenticated', 'forbidden', 'validation_failed'],
  async handle({ tessera, principal, body, request }) {
    const { publicKey, label } = (body ?? {}) as { publicKey?: Record<string, unknown>; label?: string }
    const key = await tessera.rotateKey(principal.credential.id, {
      ...(publicKey !== undefined && { publicKey }),
      ...(label !== undefined && { label }),
      ip: request.ip,
    })
    return { status: 200, body: { key } }
  },
}
