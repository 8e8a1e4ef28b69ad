import type { BareItem, Item, Parameters } from 'structured-headers'

/** One labelled signature, as read from `Signature-Input` and `Signature`. */
export interface FastSignatureEntry {
  label: string
  components: Item[]
  params: Parameters
  signatureParams: string
  signature: Uint8Array
}

/** An RFC 8941 key. */
const KEY = '[a-z*][a-z0-9_.*-]*'
/** A string without escapes: printable ASCII but `"` and `\`. */
const PLAIN_STRING = '"[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*"'
/**
 * `label=("c1" "c2" …);name=value;…` with nothing else: one member, single spaces, values that
 * are non-negative Integers or plain Strings. A strict subset of RFC 8941's dictionary syntax
 * that Tessera's SDKs always send; anything else goes to the full parser.
 */
const INPUT = new RegExp(
  `^(${KEY})=(\\((?:${PLAIN_STRING}(?: ${PLAIN_STRING})*)?\\)((?:;${KEY}=(?:[0-9]{1,15}|${PLAIN_STRING}))*))$`,
)
const COMPONENT = new RegExp(PLAIN_STRING, 'g')
const PARAMETER = new RegExp(`;(${KEY})=([0-9]{1,15}|${PLAIN_STRING})`, 'g')
/** `label=:base64:`, one member, canonical padding. */
const SIGNATURE = new RegExp(`^(${KEY})=:((?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?):$`)

/**
 * The fast path for the common case (profile first): reads a one-member `Signature-Input` and
 * `Signature` pair of the plain shape above in one pass each, giving exactly what the full
 * parser would. Answers undefined whenever the input is anything else (several members,
 * whitespace, escapes, other item types, a duplicated parameter, another label), so the
 * caller falls back to the RFC 8941 parser, which decides.
 */
export function readPlainSignature(inputText: string, signatureText: string): FastSignatureEntry | undefined {
  const input = INPUT.exec(inputText)
  const signature = SIGNATURE.exec(signatureText)
  if (input === null || signature === null || input[1] !== signature[1]) return undefined
  const [, label, member, paramText] = input as unknown as [string, string, string, string]
  const components: Item[] = []
  const inner = member.slice(0, member.length - paramText.length)
  for (const [quoted] of inner.matchAll(COMPONENT)) components.push([quoted.slice(1, -1), new Map()])
  const params: Parameters = new Map<string, BareItem>()
  for (const [, name, value] of paramText.matchAll(PARAMETER) as IterableIterator<[string, string, string]>) {
    if (params.has(name)) return undefined
    params.set(name, value.charCodeAt(0) === 0x22 ? value.slice(1, -1) : Number(value))
  }
  return {
    label,
    components,
    params,
    signatureParams: member,
    signature: new Uint8Array(Buffer.from(signature[2]!, 'base64')),
  }
}
