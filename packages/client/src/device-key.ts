import { KEY_PARAMS, type SignatureAlgorithm } from './signing-key.ts'

export type DeviceAlgorithm = Exclude<SignatureAlgorithm, 'hmac-sha256'>

export interface DeviceKeyPair {
  algorithm: DeviceAlgorithm
  privateKey: CryptoKey
  /** Only the members the server accepts; never a private one. */
  publicJwk: { kty: string; crv: string; x: string; y?: string }
}

/**
 * A new device key pair. The private key is non-extractable unless a serialising store
 * asks otherwise; only the public JWK leaves. Ed25519 falls back to P-256 where the
 * platform's WebCrypto lacks it (older webviews).
 */
export async function generateDeviceKey(
  algorithm: DeviceAlgorithm,
  extractable = false,
): Promise<DeviceKeyPair> {
  let pair: CryptoKeyPair
  try {
    pair = (await crypto.subtle.generateKey(KEY_PARAMS[algorithm], extractable, [
      'sign',
      'verify',
    ])) as CryptoKeyPair
  } catch (error) {
    if (algorithm !== 'ed25519') throw error
    return generateDeviceKey('ecdsa-p256-sha256', extractable)
  }
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey)
  const publicJwk = { kty: kty!, crv: crv!, x: x!, ...(y === undefined ? {} : { y }) }
  return { algorithm, privateKey: pair.privateKey, publicJwk }
}
