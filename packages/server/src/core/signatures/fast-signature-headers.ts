import type { BareItem, Item, Parameters } from 'structured-headers'
import { isPaddedBase64 } from './character-rules.ts'

/** One labelled signature, as read from `Signature-Input` and `Signature`. */
export interface FastSignatureEntry {
  label: string
  components: Item[]
  params: Parameters
  signatureParams: string
  signature: Uint8Array
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const SPACE = 0x20
const OPEN = 0x28
const CLOSE = 0x29
const SEMICOLON = 0x3b
const EQUALS = 0x3d
const MAX_INTEGER_DIGITS = 15

/**
 * The fast path for the common case (profile first): reads a `Signature-Input` of exactly
 * `label=("c1" "c2" …);name=value;…` (one member, single spaces, values that are non-negative
 * Integers or Strings without escapes) and a `Signature` of exactly `label=:base64:`, in one
 * pass each, giving what the full RFC 8941 parser would. Tessera's SDKs always send this
 * shape. Anything else (several members, other whitespace, escapes, tokens, decimals,
 * booleans, a duplicated parameter, another label) answers undefined, and the caller falls
 * back to the full parser, which decides.
 */
export function readPlainSignature(inputText: string, signatureText: string): FastSignatureEntry | undefined {
  const labelEnd = keyEnd(inputText, 0)
  if (labelEnd === 0 || inputText.charCodeAt(labelEnd) !== EQUALS) return undefined
  const label = inputText.slice(0, labelEnd)
  const signature = readSignature(signatureText, label)
  if (signature === undefined) return undefined
  let i = labelEnd + 1
  if (inputText.charCodeAt(i++) !== OPEN) return undefined
  const components: Item[] = []
  if (inputText.charCodeAt(i) !== CLOSE) {
    for (;;) {
      const end = stringEnd(inputText, i)
      if (end === -1) return undefined
      components.push([knownText(inputText, i + 1, end), new Map()])
      i = end + 1
      const next = inputText.charCodeAt(i)
      if (next === CLOSE) break
      if (next !== SPACE || inputText.charCodeAt(i + 1) !== QUOTE) return undefined
      i++
    }
  }
  i++
  const params: Parameters = new Map<string, BareItem>()
  while (i < inputText.length) {
    if (inputText.charCodeAt(i++) !== SEMICOLON) return undefined
    const nameEnd = keyEnd(inputText, i)
    if (nameEnd === i || inputText.charCodeAt(nameEnd) !== EQUALS) return undefined
    const name = knownText(inputText, i, nameEnd)
    if (params.has(name)) return undefined
    i = nameEnd + 1
    if (inputText.charCodeAt(i) === QUOTE) {
      const end = stringEnd(inputText, i)
      if (end === -1) return undefined
      params.set(name, inputText.slice(i + 1, end))
      i = end + 1
    } else {
      const end = digitsEnd(inputText, i)
      if (end === i || end - i > MAX_INTEGER_DIGITS) return undefined
      params.set(name, Number(inputText.slice(i, end)))
      i = end
    }
  }
  return { label, components, params, signatureParams: inputText.slice(labelEnd + 1), signature }
}

/** The names Tessera's SDKs send: answered as these constants, which V8 has already hashed and interned. */
const KNOWN_TEXTS = [
  'created',
  'expires',
  'keyid',
  'alg',
  'nonce',
  'tag',
  '@method',
  '@authority',
  '@path',
  '@query',
  'content-type',
  'content-digest',
]

/** `text.slice(from, end)`, but a known name comes back as its constant (Map keys and comparisons get cheaper). */
function knownText(text: string, from: number, end: number): string {
  const length = end - from
  for (const known of KNOWN_TEXTS) if (known.length === length && text.startsWith(known, from)) return known
  return text.slice(from, end)
}

/** `label=:base64:` and nothing else. */
function readSignature(text: string, label: string): Uint8Array | undefined {
  const start = label.length + 2
  if (!text.startsWith(label) || text.charCodeAt(label.length) !== EQUALS) return undefined
  if (text.charCodeAt(start - 1) !== 0x3a || text.charCodeAt(text.length - 1) !== 0x3a) return undefined
  const base64 = text.slice(start, -1)
  if (text.length < start + 1 || !isPaddedBase64(base64)) return undefined
  return new Uint8Array(Buffer.from(base64, 'base64'))
}

/** The end of an RFC 8941 key starting at `from` (lcalpha or `*`, then lcalpha, digits, `_-.*`); `from` when none. */
function keyEnd(text: string, from: number): number {
  const first = text.charCodeAt(from)
  if (!((first >= 0x61 && first <= 0x7a) || first === 0x2a)) return from
  let i = from + 1
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const ok =
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x5f ||
      c === 0x2d ||
      c === 0x2e ||
      c === 0x2a
    if (!ok) break
  }
  return i
}

/** The closing quote of a string opening at `open` with only printable ASCII and no escapes; -1 otherwise. */
function stringEnd(text: string, open: number): number {
  if (text.charCodeAt(open) !== QUOTE) return -1
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) return i
    if (c === BACKSLASH || c < 0x20 || c > 0x7e) return -1
  }
  return -1
}

function digitsEnd(text: string, from: number): number {
  let i = from
  while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++
  return i
}
