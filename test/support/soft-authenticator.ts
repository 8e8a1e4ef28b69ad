import { createHash, createSign, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto'

/** Just enough CBOR (RFC 8949) for WebAuthn: unsigned/negative ints, byte and text strings, maps. */
type Cbor = number | string | Uint8Array | Map<number | string, Cbor>

function head(major: number, value: number): Buffer {
  if (value < 24) return Buffer.from([(major << 5) | value])
  if (value < 256) return Buffer.from([(major << 5) | 24, value])
  const b = Buffer.alloc(3)
  b[0] = (major << 5) | 25
  b.writeUInt16BE(value, 1)
  return b
}

function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value)
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)])
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value])
  const parts = [head(5, value.size)]
  for (const [k, v] of value) parts.push(cbor(k), cbor(v))
  return Buffer.concat(parts)
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url')
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest()

export interface CeremonyOptions {
  challenge: string
  rp?: { id?: string }
  rpId?: string
  user?: { id: string }
}

/**
 * A software passkey authenticator (ES256, attestation "none", discoverable) for contract tests:
 * answers WebAuthn registration and assertion JSON as a browser would send it, with knobs to
 * forge (user verification off, another origin or RP ID, a counter going back).
 */
export class SoftAuthenticator {
  readonly credentialId: Buffer
  readonly #key: KeyObject
  readonly #publicJwk: { x: string; y: string }
  userHandle = ''
  counter = 0

  /** With `twinOf`, the same key, id and counter as that one (see `clone`). */
  constructor(twinOf?: SoftAuthenticator) {
    if (twinOf !== undefined) {
      this.credentialId = twinOf.credentialId
      this.#key = twinOf.#key
      this.#publicJwk = twinOf.#publicJwk
      this.userHandle = twinOf.userHandle
      this.counter = twinOf.counter
      return
    }
    this.credentialId = randomBytes(16)
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    this.#key = pair.privateKey
    this.#publicJwk = pair.publicKey.export({ format: 'jwk' }) as { x: string; y: string }
  }

  get id(): string {
    return b64(this.credentialId)
  }

  /** A copy sharing the key and id, with its own counter: a cloned authenticator. */
  clone(): SoftAuthenticator {
    return new SoftAuthenticator(this)
  }

  register(options: CeremonyOptions, origin: string, knobs: { uv?: boolean; rpId?: string } = {}) {
    this.userHandle = options.user?.id ?? ''
    const rpId = knobs.rpId ?? options.rp?.id ?? ''
    const cose = new Map<number, Cbor>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(this.#publicJwk.x, 'base64url')],
      [-3, Buffer.from(this.#publicJwk.y, 'base64url')],
    ])
    const idLength = Buffer.alloc(2)
    idLength.writeUInt16BE(this.credentialId.length)
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, cbor(cose)])
    const authData = Buffer.concat([this.#authHead(rpId, 0x40, knobs.uv ?? true), attested])
    const attestationObject = cbor(
      new Map<string, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    )
    const clientData = JSON.stringify({
      type: 'webauthn.create',
      challenge: options.challenge,
      origin,
      crossOrigin: false,
    })
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64(Buffer.from(clientData)),
        attestationObject: b64(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
    }
  }

  assert(
    options: CeremonyOptions,
    origin: string,
    knobs: { uv?: boolean; rpId?: string; userHandle?: string } = {},
  ) {
    this.counter += 1
    const authData = this.#authHead(knobs.rpId ?? options.rpId ?? '', 0, knobs.uv ?? true)
    const clientData = Buffer.from(
      JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }),
    )
    const signature = createSign('sha256')
      .update(Buffer.concat([authData, sha256(clientData)]))
      .sign(this.#key)
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64(clientData),
        authenticatorData: b64(authData),
        signature: b64(signature),
        userHandle: knobs.userHandle ?? this.userHandle,
      },
      clientExtensionResults: {},
    }
  }

  /** rpIdHash ‖ flags (UP, UV if given, plus `extra`) ‖ signCount. */
  #authHead(rpId: string, extra: number, uv: boolean): Buffer {
    const count = Buffer.alloc(4)
    count.writeUInt32BE(this.counter)
    return Buffer.concat([sha256(rpId), Buffer.from([0x01 | (uv ? 0x04 : 0) | extra]), count])
  }
}
