import assert from 'node:assert/strict'
import { createSecretKey, randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { type InnerList, parseDictionary } from 'structured-headers'
import { readPlainSignature } from './fast-signature-headers.ts'
import { signRequest } from './sign-request.ts'

/** What the full RFC 8941 parser reads from the same pair: the reference for the fast path. */
function fullParse(input: string, signature: string) {
  const [label, member] = [...parseDictionary(input)][0] as [string, InnerList]
  const bytes = parseDictionary(signature).get(label)![0] as ArrayBuffer
  return {
    label,
    components: member[0],
    params: member[1],
    signatureParams: input.slice(label.length + 1),
    signature: new Uint8Array(bytes),
  }
}

const SIG = 'sig=:dGVzdA==:'
const key = createSecretKey(randomBytes(32))

describe('the fast path reads Tessera-shaped signatures exactly as the full parser does', () => {
  const sdkHeaders = [
    signRequest({
      method: 'GET',
      url: 'https://api.example.com/x?q=1',
      keyId: 'k1',
      algorithm: 'hmac-sha256',
      key,
    }),
    signRequest({
      method: 'PUT',
      url: 'https://api.example.com/employees/7',
      keyId: 'device-key-with-a-long-id_0123456789',
      algorithm: 'hmac-sha256',
      key,
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    }),
  ]
  for (const [i, headers] of sdkHeaders.entries()) {
    test(`what the SDK signs (${i + 1})`, () => {
      const fast = readPlainSignature(headers['signature-input'], headers.signature)
      assert.ok(fast !== undefined, 'the fast path takes it')
      assert.deepEqual(fast, fullParse(headers['signature-input'], headers.signature))
    })
  }
  const plain = [
    'sig=();created=1',
    'sig=("@method");created=0001764000000;nonce="a b";tag="tessera"',
    'x*.-_=("@method" "content-digest");alg="ed25519";keyid="!#$%&\'()*+,-./:;<=>?@[]^_`{|}~"',
  ]
  for (const input of plain) {
    test(`plain input ${input}`, () => {
      const signature = `${input.slice(0, input.indexOf('='))}=:AAEC:`
      assert.deepEqual(readPlainSignature(input, signature), fullParse(input, signature))
    })
  }
})

describe('anything unusual falls back to the full parser', () => {
  const cases: [string, string, string][] = [
    ['two members', 'sig=("@method");created=1, other=("@path")', SIG],
    ['whitespace after a semicolon', 'sig=("@method"); created=1', SIG],
    ['two spaces between components', 'sig=("@method"  "@path");created=1', SIG],
    ['an escaped string', 'sig=("@method");nonce="a\\"b"', SIG],
    ['a token value', 'sig=("@method");alg=hmac', SIG],
    ['a decimal', 'sig=("@method");created=1764000000.0', SIG],
    ['a negative integer', 'sig=("@method");created=-1', SIG],
    ['a boolean parameter', 'sig=("@method");flag', SIG],
    ['a component parameter', 'sig=("@method";req);created=1', SIG],
    ['a duplicated parameter', 'sig=("@method");created=1;created=2', SIG],
    ['an uppercase label', 'Sig=("@method");created=1', 'Sig=:dGVzdA==:'],
    ['another signature label', 'sig=("@method");created=1', 'other=:dGVzdA==:'],
    ['two signatures', 'sig=("@method");created=1', `${SIG}, other=:dGVzdA==:`],
    ['base64 without padding', 'sig=("@method");created=1', 'sig=:dGVzdA:'],
    ['a 16-digit integer', 'sig=("@method");created=1234567890123456', SIG],
    ['non-ASCII text', 'sig=("@method");nonce="é"', SIG],
    ['a space before the closing parenthesis', 'sig=("@method" );created=1', SIG],
    ['an unterminated inner list', 'sig=("@method"', SIG],
    ['an unterminated string', 'sig=("@method);created=1', SIG],
    ['a trailing semicolon', 'sig=("@method");', SIG],
    ['an empty parameter value', 'sig=("@method");created=', SIG],
    ['a signature with text after it', 'sig=("@method");created=1', `${SIG};x=1`],
    ['an empty byte sequence label only', 'sig=("@method");created=1', 'sig='],
  ]
  for (const [what, input, signature] of cases) {
    test(what, () => assert.equal(readPlainSignature(input, signature), undefined))
  }
})
