import {
  type Dictionary,
  type InnerList,
  type Item,
  isInnerList,
  type Parameters,
  parseDictionary,
} from 'structured-headers'
import { readPlainSignature } from './fast-signature-headers.ts'
import type { HeaderIndex } from './header-index.ts'
import { splitDictionaryMembers } from './split-dictionary-members.ts'

/** A signature header value longer than this is refused before parsing (bounds parser work). */
export const MAX_SIGNATURE_HEADER_LENGTH = 8192

/** One labelled signature, as read from `Signature-Input` and `Signature`. */
export interface SignatureEntry {
  label: string
  components: Item[]
  params: Parameters
  /** The member's serialisation: the value of the `@signature-params` line (RFC 9421 §2.3). */
  signatureParams: string
  signature: Uint8Array
  /** Read by the fast path: every number in it was written as digits only (an RFC 8941 Integer). */
  plain?: true
}

/** Which member to take: the one tagged so (the profile) or the one labelled so (plain RFC 9421). */
export type SignatureSelector = { tag: string } | { label: string }

export type ParsedSignature =
  | { status: 'found'; entry: SignatureEntry }
  | { status: 'none' }
  | { status: 'invalid'; detail: string }

const invalid = (detail: string): ParsedSignature => ({ status: 'invalid', detail })

/**
 * Reads one signature from the `Signature-Input` and `Signature` fields. Duplicated header
 * lines are refused (DESIGN §6: a second line could smuggle a member past a proxy that
 * reads only the first), as are values over 8 KiB and anything that is not a valid SF dictionary.
 */
export function parseSignatureHeaders(headers: HeaderIndex, select: SignatureSelector): ParsedSignature {
  const inputs = headers.get('signature-input')
  const signatures = headers.get('signature')
  if (inputs === undefined)
    return signatures === undefined ? { status: 'none' } : invalid('missing signature-input')
  const problem = headerProblem(inputs, 'signature-input') ?? headerProblem(signatures, 'signature')
  if (problem !== undefined) return invalid(problem)
  const inputText = inputs[0]!
  const plain = signatures === undefined ? undefined : readPlainSignature(inputText, signatures[0]!)
  if (plain !== undefined && selects(plain, select))
    return { status: 'found', entry: { ...plain, plain: true } }
  const dictionary = parseSafely(inputText)
  if (dictionary === undefined) return invalid('malformed signature-input')
  const chosen = chooseMember(dictionary, select)
  if (typeof chosen === 'string') return chosen === 'none' ? { status: 'none' } : invalid(chosen)
  const [label, member] = chosen
  const signatureParams = signatureParamsText(inputText, label)
  if (signatureParams === undefined) return invalid('malformed signature-input')
  if (signatures === undefined) return invalid('missing signature header')
  const signature = readSignature(signatures[0]!, label)
  if (typeof signature === 'string') return invalid(signature)
  return {
    status: 'found',
    entry: { label, components: member[0], params: member[1], signatureParams, signature },
  }
}

/** Whether the one member the fast path read is the wanted one; if not, the full parser decides. */
function selects(entry: SignatureEntry, select: SignatureSelector): boolean {
  return 'label' in select ? entry.label === select.label : entry.params.get('tag') === select.tag
}

function headerProblem(values: readonly string[] | undefined, name: string): string | undefined {
  if (values === undefined) return undefined
  if (values.length > 1) return `duplicated ${name} header`
  if (values[0]!.length > MAX_SIGNATURE_HEADER_LENGTH) return `${name} header too large`
  return undefined
}

function parseSafely(text: string): Dictionary | undefined {
  try {
    return parseDictionary(text)
  } catch {
    return undefined
  }
}

function chooseMember(dictionary: Dictionary, select: SignatureSelector): [string, InnerList] | string {
  if ('label' in select) {
    const member = dictionary.get(select.label)
    if (member === undefined) return 'none'
    return isInnerList(member) ? [select.label, member] : 'malformed signature-input'
  }
  let found: [string, InnerList] | undefined
  for (const [label, member] of dictionary) {
    if (!isInnerList(member) || member[1].get('tag') !== select.tag) continue
    if (found !== undefined) return `multiple ${select.tag} signatures`
    found = [label, member]
  }
  return found ?? 'none'
}

/**
 * The `@signature-params` value is the member's text exactly as received (RFC 9421 §2.3 has
 * signers send the serialisation they signed). Parsing is deterministic, so the parameters
 * read from that text are exactly what the signature covers; re-serialising to compare would
 * only cost time on every request.
 */
function signatureParamsText(inputText: string, label: string): string | undefined {
  return splitDictionaryMembers(inputText).get(label)
}

function readSignature(text: string, label: string): Uint8Array | string {
  const dictionary = parseSafely(text)
  if (dictionary === undefined) return 'malformed signature header'
  const member = dictionary.get(label)
  if (member === undefined) return 'no signature for the signature-input label'
  if (isInnerList(member) || !(member[0] instanceof ArrayBuffer)) return 'signature is not a byte sequence'
  return new Uint8Array(member[0])
}
