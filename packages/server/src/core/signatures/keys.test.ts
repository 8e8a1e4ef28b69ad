import assert from 'node:assert/strict'
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { importVerifyKey, keyFitsAlgorithm, parsePublicJwk } from './keys.ts'

function p256Jwk(): Record<string, unknown> {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'jwk' })
}

function ed25519Jwk(): Record<string, unknown> {
  return generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' })
}

describe('parsePublicJwk', () => {
  test('accepts a P-256 public JWK as ecdsa-p256-sha256 and keeps only its key members', () => {
    const jwk = p256Jwk()
    const parsed = parsePublicJwk(
      JSON.stringify({ ...jwk, alg: 'ES256', use: 'sig', kid: 'phone', ext: true }),
    )
    assert.deepEqual(parsed, {
      ok: true,
      algorithm: 'ecdsa-p256-sha256',
      jwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
    })
  })

  test('accepts an Ed25519 public JWK as exported by WebCrypto', () => {
    const jwk = ed25519Jwk()
    const exported = { ...jwk, alg: 'Ed25519', key_ops: ['verify'], ext: true }
    assert.deepEqual(parsePublicJwk(exported), {
      ok: true,
      algorithm: 'ed25519',
      jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x },
    })
  })

  const refused: [string, () => unknown, string][] = [
    [
      'a private P-256 JWK',
      () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'jwk' }),
      'private key members are not accepted',
    ],
    [
      'a private Ed25519 JWK',
      () => generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }),
      'private key members are not accepted',
    ],
    ['a symmetric JWK', () => ({ kty: 'oct', k: 'AAAA' }), 'private key members are not accepted'],
    ['an RSA key', () => ({ kty: 'RSA', n: 'AQAB', e: 'AQAB' }), 'unexpected JWK member'],
    [
      'a P-384 key',
      () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ format: 'jwk' }),
      'unsupported curve',
    ],
    ['an X25519 key', () => ({ ...ed25519Jwk(), crv: 'X25519' }), 'unsupported curve'],
    ['a short coordinate', () => ({ ...p256Jwk(), x: 'AAAA' }), 'invalid coordinates'],
    ['padded base64url', () => ({ ...ed25519Jwk(), x: `${ed25519Jwk().x}=` }), 'invalid coordinates'],
    ['an Ed25519 key with a y', () => ({ ...ed25519Jwk(), y: ed25519Jwk().x }), 'invalid coordinates'],
    [
      'a point off the curve',
      () => ({ ...p256Jwk(), y: Buffer.alloc(32, 7).toString('base64url') }),
      'not a valid public key',
    ],
    ['a mismatched alg', () => ({ ...p256Jwk(), alg: 'EdDSA' }), 'alg does not match the key'],
    ['an encryption key', () => ({ ...p256Jwk(), use: 'enc' }), 'use must be sig'],
    ['signing key_ops', () => ({ ...p256Jwk(), key_ops: ['sign'] }), 'key_ops must be ["verify"]'],
    ['a certificate chain', () => ({ ...p256Jwk(), x5c: [] }), 'unexpected JWK member'],
    ['an array', () => [], 'not a JWK object'],
    ['invalid JSON', () => '{"kty":', 'not a JWK object'],
    ['oversized JSON', () => JSON.stringify({ ...p256Jwk(), kid: 'k'.repeat(5000) }), 'not a JWK object'],
    ['null', () => null, 'not a JWK object'],
  ]
  for (const [what, make, reason] of refused) {
    test(`refuses ${what}`, () => {
      assert.deepEqual(parsePublicJwk(make()), { ok: false, reason })
    })
  }
})

/** Ed25519 public keys as 32 little-endian bytes (hex), each a point of order 1, 2, 4 or 8. */
const SMALL_ORDER_ED25519: Record<string, string> = {
  'the identity point': '0100000000000000000000000000000000000000000000000000000000000000',
  'the point of order 2': 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'a point of order 4': '0000000000000000000000000000000000000000000000000000000000000000',
  'the other point of order 4': '0000000000000000000000000000000000000000000000000000000000000080',
  'a point of order 8': '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'a second point of order 8': '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'a third point of order 8': 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'a fourth point of order 8': 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  'the identity with the sign bit set': '0100000000000000000000000000000000000000000000000000000000000080',
}

function ed25519Hex(hex: string): Record<string, unknown> {
  return { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }
}

describe('parsePublicJwk: points a forger could use', () => {
  for (const [what, hex] of Object.entries(SMALL_ORDER_ED25519)) {
    test(`refuses an Ed25519 key that is ${what}`, () => {
      assert.deepEqual(parsePublicJwk(ed25519Hex(hex)), { ok: false, reason: 'small-order point' })
    })
  }

  test('refuses a non-canonical Ed25519 y (y ≥ p) and x = 0 with the sign bit set', () => {
    // p = 2^255 − 19 and p + 1 (≡ 1, the identity) encoded without reduction.
    for (const hex of [
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    ]) {
      assert.deepEqual(parsePublicJwk(ed25519Hex(hex)), { ok: false, reason: 'non-canonical point' })
    }
  })

  test('refuses an Ed25519 y with no point on the curve', () => {
    const y2 = '0200000000000000000000000000000000000000000000000000000000000000'
    assert.deepEqual(parsePublicJwk(ed25519Hex(y2)), { ok: false, reason: 'not a point on the curve' })
  })

  test('accepts 100 freshly generated Ed25519 keys', () => {
    for (let i = 0; i < 100; i++) assert.equal(parsePublicJwk(ed25519Jwk()).ok, true)
  })

  test('refuses P-256 points off the curve, at (0, 0) and with a coordinate ≥ p (checked by node:crypto)', () => {
    const p = Buffer.from('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff', 'hex')
    const zero = Buffer.alloc(32).toString('base64url')
    const jwk = p256Jwk()
    const offCurve = Buffer.from(jwk.y as string, 'base64url')
    offCurve[31] = (offCurve[31] ?? 0) ^ 1
    for (const bad of [
      { ...jwk, y: offCurve.toString('base64url') },
      { ...jwk, x: zero, y: zero },
      { ...jwk, x: p.toString('base64url') },
    ]) {
      assert.deepEqual(parsePublicJwk(bad), { ok: false, reason: 'not a valid public key' })
    }
  })
})

describe('importVerifyKey', () => {
  test('imports an HMAC secret from raw bytes', () => {
    const secret = randomBytes(32)
    const key = importVerifyKey('hmac-sha256', secret)
    assert.equal(key.type, 'secret')
    assert.deepEqual(key.export(), secret)
  })

  test('refuses an HMAC secret shorter than 256 bits', () => {
    assert.throws(() => importVerifyKey('hmac-sha256', randomBytes(31)), RangeError)
  })

  test('imports public JWKs into public keys that fit their algorithm', () => {
    const p256 = importVerifyKey('ecdsa-p256-sha256', p256Jwk() as never)
    const ed = importVerifyKey('ed25519', JSON.stringify(ed25519Jwk()))
    assert.equal(keyFitsAlgorithm('ecdsa-p256-sha256', p256), true)
    assert.equal(keyFitsAlgorithm('ed25519', ed), true)
  })

  test('refuses material of the wrong kind for the algorithm', () => {
    assert.throws(() => importVerifyKey('ed25519', p256Jwk() as never), /not a ed25519 key/)
    assert.throws(() => importVerifyKey('ed25519', randomBytes(32)), TypeError)
    assert.throws(() => importVerifyKey('hmac-sha256', ed25519Jwk() as never), TypeError)
  })
})

describe('keyFitsAlgorithm', () => {
  test('tells keys of one algorithm from those of another', () => {
    const ed = createPublicKey({ key: ed25519Jwk() as never, format: 'jwk' })
    assert.equal(keyFitsAlgorithm('ecdsa-p256-sha256', ed), false)
    assert.equal(keyFitsAlgorithm('hmac-sha256', ed), false)
    assert.equal(keyFitsAlgorithm('ed25519', generateKeyPairSync('ed25519').privateKey), false)
  })
})
