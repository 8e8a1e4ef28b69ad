/**
 * Checks an Ed25519 public key (RFC 8032 §5.1.3) beyond what `node:crypto` does: OpenSSL imports
 * any 32 bytes. Refused: a y that is not reduced (y ≥ p), x = 0 with the sign bit set, a y with
 * no point on the curve, and the 8 points of small order (identity, order 2, 4, 8), whose
 * signatures can be forged for every message.
 */
const P = 2n ** 255n - 19n
const D = mod(-121665n * power(121666n, P - 2n))

/** The y coordinates of the 8 small-order points (RFC 8032; libsodium's blocklist): x is 0 or ±√−1 or the order-8 ones. */
const SMALL_ORDER_Y = new Set(
  [
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0100000000000000000000000000000000000000000000000000000000000000',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  ].map((hex) => littleEndian(Buffer.from(hex, 'hex'))),
)

export type Ed25519PointProblem = 'non-canonical point' | 'not a point on the curve' | 'small-order point'

export function ed25519PointProblem(encoded: Uint8Array): Ed25519PointProblem | undefined {
  if (encoded.length !== 32) return 'not a point on the curve'
  const sign = (encoded[31] ?? 0) >> 7
  const yBytes = Uint8Array.from(encoded)
  yBytes[31] = (yBytes[31] ?? 0) & 0x7f
  const y = littleEndian(yBytes)
  if (y >= P) return 'non-canonical point'
  if (SMALL_ORDER_Y.has(y)) return 'small-order point'
  const y2 = mod(y * y)
  const x2 = mod((y2 - 1n) * power(mod(D * y2 + 1n), P - 2n))
  if (x2 === 0n) return sign === 1 ? 'non-canonical point' : undefined
  return power(x2, (P - 1n) / 2n) === 1n ? undefined : 'not a point on the curve'
}

function littleEndian(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).reverse().toString('hex')}`)
}

function mod(n: bigint): bigint {
  const r = n % P
  return r < 0n ? r + P : r
}

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n
  let b = mod(base)
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = mod(result * b)
    b = mod(b * b)
  }
  return result
}
