import type { BareItem, Parameters } from 'structured-headers'
import { type RawHeaders, SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from '../types.ts'
import { isNonceText } from './character-rules.ts'
import { readCoveredComponents } from './covered-components.ts'
import { indexHeaders } from './header-index.ts'
import { parameterTexts } from './parameter-text.ts'
import { parseSignatureHeaders, type SignatureEntry } from './parse-signature-headers.ts'

/** The `tag` that marks a signature as following the profile (DESIGN §4). */
export const TESSERA_TAG = 'tessera'

/** Always covered; a request with a body covers the content fields too. */
export const REQUIRED_COMPONENTS = ['@method', '@authority', '@path', '@query'] as const
export const REQUIRED_BODY_COMPONENTS = ['content-type', 'content-digest'] as const

const MAX_KEY_ID_LENGTH = 256

/** The profile's reading of one signature's parameters (Unix seconds for times). */
export interface TesseraParams {
  components: string[]
  created: number
  expires: number | undefined
  nonce: string
  keyId: string
  alg: SignatureAlgorithm
}

export type ProfileCheck = { ok: true; params: TesseraParams } | { ok: false; detail: string }

const fail = (detail: string): ProfileCheck => ({ ok: false, detail })

/** Checks what needs no clock, no key and no crypto: covered components, then parameters. */
export function checkTesseraProfile(
  entry: SignatureEntry,
  hasBody: boolean,
  maxLifetimeSeconds: number,
): ProfileCheck {
  const covered = readCoveredComponents(entry.components)
  if (!covered.ok) return covered
  const missing = missingComponent(covered.names, hasBody)
  if (missing !== undefined) return fail(`missing component ${missing}`)
  const params = readParams(entry.params, entry.plain === true ? undefined : entry.signatureParams)
  if (typeof params === 'string') return fail(params)
  const lifetime = checkLifetime(params.created, params.expires, maxLifetimeSeconds)
  if (lifetime !== undefined) return fail(lifetime)
  return { ok: true, params: { components: covered.names, ...params } }
}

/**
 * The required parameters, each checked for presence and then for its type and form. `member`
 * is the text to tell Integers from Decimals by; undefined when the fast path read it (it
 * takes digits only).
 */
function readParams(p: Parameters, member: string | undefined): Omit<TesseraParams, 'components'> | string {
  const created = p.get('created')
  const nonce = p.get('nonce')
  const keyId = p.get('keyid')
  const alg = p.get('alg')
  const expires = p.get('expires')
  if (p.get('tag') !== TESSERA_TAG) return 'missing parameter tag'
  if (created === undefined) return 'missing parameter created'
  const texts = member === undefined ? undefined : parameterTexts(member)
  const createdAt = readTime('created', created, texts)
  if (typeof createdAt === 'string') return createdAt
  if (nonce === undefined) return 'missing parameter nonce'
  if (typeof nonce !== 'string' || !isNonceText(nonce)) return 'nonce must be at least 128 bits'
  if (keyId === undefined) return 'missing parameter keyid'
  if (typeof keyId !== 'string' || keyId.length === 0 || keyId.length > MAX_KEY_ID_LENGTH) {
    return 'invalid parameter keyid'
  }
  if (alg === undefined) return 'missing parameter alg'
  if (!isAlgorithm(alg)) return 'unsupported alg'
  const expiresAt = expires === undefined ? undefined : readTime('expires', expires, texts)
  if (typeof expiresAt === 'string') return expiresAt
  return { created: createdAt, expires: expiresAt, nonce, keyId, alg }
}

function missingComponent(names: readonly string[], hasBody: boolean): string | undefined {
  for (const name of REQUIRED_COMPONENTS) if (!names.includes(name)) return name
  if (hasBody) for (const name of REQUIRED_BODY_COMPONENTS) if (!names.includes(name)) return name
  return undefined
}

function checkLifetime(
  created: number,
  expires: number | undefined,
  maxLifetime: number,
): string | undefined {
  if (expires === undefined) return undefined
  if (expires <= created) return 'expires must be after created'
  if (expires - created > maxLifetime) return 'signature lifetime too long'
  return undefined
}

/** RFC 8941 Integer text: digits only (a Decimal such as `1764000000.0` parses to the same number). */
const INTEGER_TEXT = /^[0-9]{1,15}$/

/**
 * RFC 9421 §2.3: `created` and `expires` are non-negative RFC 8941 Integers of Unix seconds.
 * The parsed value cannot tell a Decimal with a zero fraction from an Integer, so the text decides.
 */
function readTime(
  name: string,
  value: BareItem,
  texts: ReadonlyMap<string, string> | undefined,
): number | string {
  if (typeof value !== 'number' || value < 0) return `invalid parameter ${name}`
  if (texts !== undefined && !INTEGER_TEXT.test(texts.get(name) ?? ''))
    return `${name} must be an integer, not a decimal`
  return value
}

function isAlgorithm(value: BareItem): value is SignatureAlgorithm {
  return typeof value === 'string' && (SIGNATURE_ALGORITHMS as readonly string[]).includes(value)
}

/**
 * Whether the headers carry a `Signature-Input` member tagged `tessera` (or headers too broken
 * to tell, which the verifier then refuses). A gateway's own signature alone answers false.
 */
export function carriesTesseraSignature(headers: RawHeaders): boolean {
  return parseSignatureHeaders(indexHeaders(headers), { tag: TESSERA_TAG }).status !== 'none'
}
