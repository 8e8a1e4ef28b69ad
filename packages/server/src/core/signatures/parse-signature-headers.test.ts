import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  headerOf,
  makeFixture,
  makeKey,
  signedRequest,
  unsignedRequest,
  withHeader,
} from '../../../test/rfc9421/signature-fixtures.ts'
import type { RequestView } from '../types.ts'
import { indexHeaders } from './header-index.ts'
import { parseSignatureHeaders } from './parse-signature-headers.ts'
import { splitDictionaryMembers } from './split-dictionary-members.ts'

async function verdict(request: RequestView, key = makeKey('hmac-sha256')) {
  const fixture = makeFixture([key])
  const result = await fixture.verifier.verify(request)
  return { result, fixture }
}

function refused(detail: string) {
  return { ok: false, code: 'invalid_signature', detail }
}

describe('signature headers', () => {
  test('refuses a duplicated Signature header line, and records no nonce', async () => {
    const key = makeKey('hmac-sha256')
    const request = signedRequest(key)
    const doubled = {
      ...request,
      headers: [...request.headers, ['Signature', headerOf(request, 'signature')] as const],
    }
    const { result, fixture } = await verdict(doubled, key)
    assert.deepEqual(result, refused('duplicated signature header'))
    assert.equal(fixture.nonces.consumeCalls, 0)
  })

  test('refuses a duplicated Signature-Input header line, even when the second is another profile', async () => {
    const key = makeKey('hmac-sha256')
    const request = signedRequest(key)
    const other = ['Signature-Input', 'other=("@method");created=1;tag="x"'] as const
    const { result } = await verdict({ ...request, headers: [...request.headers, other] }, key)
    assert.deepEqual(result, refused('duplicated signature-input header'))
  })

  test('refuses a Signature-Input over 8 KiB before parsing it', async () => {
    const key = makeKey('hmac-sha256')
    const request = signedRequest(key)
    const padded = `${headerOf(request, 'signature-input')}, pad=("${'a'.repeat(8192)}")`
    const { result } = await verdict(withHeader(request, 'signature-input', padded), key)
    assert.deepEqual(result, refused('signature-input header too large'))
  })

  test('refuses a Signature over 8 KiB', async () => {
    const key = makeKey('hmac-sha256')
    const request = signedRequest(key)
    const padded = `${headerOf(request, 'signature')}, pad=:${'A'.repeat(8192)}:`
    const { result } = await verdict(withHeader(request, 'signature', padded), key)
    assert.deepEqual(result, refused('signature header too large'))
  })

  test('refuses two signatures tagged tessera', async () => {
    const key = makeKey('hmac-sha256')
    const first = signedRequest(key, {}, { label: 'one' })
    const second = signedRequest(key, {}, { label: 'two' })
    const input = `${headerOf(first, 'signature-input')}, ${headerOf(second, 'signature-input')}`
    const signature = `${headerOf(first, 'signature')}, ${headerOf(second, 'signature')}`
    const request = withHeader(withHeader(first, 'signature-input', input), 'signature', signature)
    assert.deepEqual((await verdict(request, key)).result, refused('multiple tessera signatures'))
  })

  test('verifies the tessera signature among signatures of other profiles', async () => {
    const key = makeKey('hmac-sha256')
    const request = signedRequest(key, {}, { label: 'mine' })
    const input = `proxy=("@method");created=1;tag="gateway", ${headerOf(request, 'signature-input')}`
    const signature = `proxy=:AAAA:, ${headerOf(request, 'signature')}`
    const both = withHeader(withHeader(request, 'signature-input', input), 'signature', signature)
    assert.equal((await verdict(both, key)).result.ok, true)
  })

  test('refuses a Signature header without the tessera label', async () => {
    const key = makeKey('hmac-sha256')
    const request = signedRequest(key, {}, { label: 'sig' })
    const renamed = withHeader(
      request,
      'signature',
      headerOf(request, 'signature').replace(/^sig=/, 'other='),
    )
    assert.deepEqual(
      (await verdict(renamed, key)).result,
      refused('no signature for the signature-input label'),
    )
  })

  test('refuses a Signature header missing while Signature-Input is present, and the reverse', async () => {
    const key = makeKey('hmac-sha256')
    const request = signedRequest(key)
    const without = (name: string) => ({ ...request, headers: request.headers.filter(([n]) => n !== name) })
    assert.deepEqual((await verdict(without('signature'), key)).result, refused('missing signature header'))
    assert.deepEqual(
      (await verdict(without('signature-input'), key)).result,
      refused('missing signature-input'),
    )
  })

  test('refuses a truncated signature', async () => {
    const key = makeKey('ed25519')
    const request = signedRequest(key)
    const truncated = headerOf(request, 'signature').replace(/^sig=:(.*)....:$/, 'sig=:$1:')
    assert.deepEqual(
      (await verdict(withHeader(request, 'signature', truncated), key)).result,
      refused('signature mismatch'),
    )
  })

  const notBytes: [string, string, string][] = [
    ['non-base64 characters', 'sig=:not*base64!:', 'malformed signature header'],
    ['a missing closing colon', 'sig=:AAAA', 'malformed signature header'],
    ['a string instead of bytes', 'sig="AAAA"', 'signature is not a byte sequence'],
    ['an inner list instead of bytes', 'sig=(:AAAA:)', 'signature is not a byte sequence'],
    ['base64url instead of base64', 'sig=:ab-_:', 'malformed signature header'],
  ]
  for (const [what, value, detail] of notBytes) {
    test(`refuses a signature with ${what}`, async () => {
      const key = makeKey('hmac-sha256')
      assert.deepEqual(
        (await verdict(withHeader(signedRequest(key), 'signature', value), key)).result,
        refused(detail),
      )
    })
  }

  test('signs over the Signature-Input text as sent: respacing it breaks the signature', async () => {
    const key = makeKey('hmac-sha256')
    const request = signedRequest(key)
    const spaced = headerOf(request, 'signature-input').replace('("@method" ', '( "@method"  ')
    const result = (await verdict(withHeader(request, 'signature-input', spaced), key)).result
    assert.deepEqual(result, refused('signature mismatch'))
  })

  const garbage = [
    'sig=',
    'sig=("@method"',
    'sig=("@method");created=',
    'sig=("@method");tag="tessera',
    'SIG=("@method");tag="tessera"',
    '=("@method");tag="tessera"',
    'sig=("@method"),,',
    'sig=("@method");tag="tes\\sera"',
    'sig=("@method");tag="tessera";created=99999999999999999999',
    'sig=("\u00e9");tag="tessera"',
    'sig=((nested));tag="tessera"',
    '\u0000',
    '(',
    ';',
  ]
  for (const value of garbage) {
    test(`refuses the malformed Signature-Input ${JSON.stringify(value)} without throwing`, async () => {
      const key = makeKey('hmac-sha256')
      const request = withHeader(signedRequest(key), 'signature-input', value)
      assert.deepEqual((await verdict(request, key)).result, refused('malformed signature-input'))
    })
  }

  test('never throws on random bytes in either header', async () => {
    const key = makeKey('hmac-sha256')
    const { verifier } = makeFixture([key])
    const alphabet = 'sig=();:"\\, tessera@-_*.0123456789abcdefAZ=/+\t'
    let seed = 42
    // A fixed-seed LCG: the same 500 strings on every run, so a failure can be reproduced.
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return alphabet[seed % alphabet.length]
    }
    for (let i = 0; i < 500; i++) {
      const value = Array.from({ length: 1 + (i % 60) }, next).join('')
      const request = withHeader(
        withHeader(signedRequest(key), i % 2 ? 'signature' : 'signature-input', value),
        'x',
        '',
      )
      const result = await verifier.verify(request)
      assert.equal(result.ok, false, value)
    }
  })
})

describe('parseSignatureHeaders', () => {
  test('finds a signature by label for plain RFC 9421 verification', () => {
    const headers = indexHeaders([
      ['Signature-Input', 'a=("@method");created=1, b=("@path");created=2'],
      ['Signature', 'a=:AAAA:, b=:AQID:'],
    ])
    const parsed = parseSignatureHeaders(headers, { label: 'b' })
    assert.equal(parsed.status, 'found')
    if (parsed.status !== 'found') return
    assert.equal(parsed.entry.signatureParams, '("@path");created=2')
    assert.deepEqual([...parsed.entry.signature], [1, 2, 3])
  })

  test('answers none when the label is absent, or there are no signature headers', () => {
    const headers = indexHeaders([
      ['Signature-Input', 'a=("@method")'],
      ['Signature', 'a=:AAAA:'],
    ])
    assert.deepEqual(parseSignatureHeaders(headers, { label: 'z' }), { status: 'none' })
    assert.deepEqual(parseSignatureHeaders(indexHeaders(unsignedRequest().headers), { tag: 'tessera' }), {
      status: 'none',
    })
  })

  test('splits dictionary members on commas outside strings and inner lists only', () => {
    const members = splitDictionaryMembers('a=("x, y" "z");n="q\\",r", b=:AAAA:,\tc=?1;p=2, a=(1)')
    assert.deepEqual(
      [...members],
      [
        ['a', '(1)'],
        ['b', ':AAAA:'],
        ['c', '?1;p=2'],
      ],
    )
  })
})
