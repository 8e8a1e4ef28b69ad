import assert from 'node:assert/strict'
import { generateKeyPairSync, sign, verify } from 'node:crypto'
import { test } from 'node:test'
import { p1363ToDer, verifySignatureBytes } from './signature-algorithms.ts'

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })

test('raw r‖s signatures convert to DER that OpenSSL verifies, whatever their leading bytes', () => {
  // 400 signatures: r or s with a high first bit (≈ 1 in 2) and with a leading zero byte (≈ 1 in 128) both occur.
  for (let i = 0; i < 400; i++) {
    const base = Buffer.from(`base ${i}`)
    const raw = sign('sha256', base, { key: privateKey, dsaEncoding: 'ieee-p1363' })
    const der = p1363ToDer(raw)
    assert.equal(verifySignatureBytes('ecdsa-p256-sha256', publicKey, base, raw), true)
    assert.equal(verifySignatureBytes('ecdsa-p256-sha256', publicKey, base.toString('latin1'), raw), true)
    assert.equal(verify('sha256', base, publicKey, der), true)
    assert.equal(der[0], 0x30)
    assert.equal(der[1], der.length - 2)
  }
})

test('a P-256 signature of zeros or with a flipped bit is false, not an exception', () => {
  const base = Buffer.from('base')
  const raw = sign('sha256', base, { key: privateKey, dsaEncoding: 'ieee-p1363' })
  assert.equal(verifySignatureBytes('ecdsa-p256-sha256', publicKey, base, new Uint8Array(64)), false)
  const flipped = Buffer.from(raw)
  flipped[10]! ^= 1
  assert.equal(verifySignatureBytes('ecdsa-p256-sha256', publicKey, base, flipped), false)
  assert.equal(verifySignatureBytes('ecdsa-p256-sha256', publicKey, 'other base', raw), false)
})
