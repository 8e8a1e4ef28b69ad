import { toBase64 } from './base64.ts'
import { type SignatureAlgorithm, signBytes } from './signing-key.ts'

export interface SignMessageOptions {
  /** Covered components in order, each with its value in the signature base. */
  components: ReadonlyArray<readonly [name: string, value: string]>
  /** Signature parameters in order: integers or strings. */
  params: ReadonlyArray<readonly [name: string, value: string | number]>
  algorithm: SignatureAlgorithm
  key: CryptoKey
  label?: string
}

/** The `Signature-Input` and `Signature` field values (lowercase names). */
export interface MessageSignature {
  'signature-input': string
  signature: string
}

/** Visible ASCII, space and tab: what a signature base line may hold (RFC 9421 §2.5). */
const BASE_SAFE = /^[\t\x20-\x7e]*$/

/**
 * Signs an HTTP message per RFC 9421 §3.1 with WebCrypto: the signature base is built from
 * the given component values and the canonical RFC 8941 serialisation of the parameters.
 * The label and names are the caller's constants (valid RFC 8941 keys); values are checked,
 * and a TypeError is thrown for any that cannot be serialised exactly.
 */
export async function signMessage(options: SignMessageOptions): Promise<MessageSignature> {
  const label = options.label ?? 'sig'
  const names = options.components.map(([name]) => sfString(name))
  const params = options.params.map(([name, value]) => `;${name}=${sfItem(value)}`).join('')
  const signatureParams = `(${names.join(' ')})${params}`
  let base = ''
  for (const [name, value] of options.components) {
    if (!BASE_SAFE.test(value)) throw new TypeError(`unsigned: ${name}`)
    base += `"${name}": ${value}\n`
  }
  base += `"@signature-params": ${signatureParams}`
  const signature = await signBytes(options.algorithm, options.key, new TextEncoder().encode(base))
  return { 'signature-input': `${label}=${signatureParams}`, signature: `${label}=:${toBase64(signature)}:` }
}

function sfItem(value: string | number): string {
  if (typeof value === 'string') return sfString(value)
  if (!Number.isSafeInteger(value)) throw new TypeError('unsigned: not an integer')
  return String(value)
}

/** RFC 8941 §4.1.6: printable ASCII in quotes, `\\` and `"` escaped. */
function sfString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new TypeError('unsigned: not ASCII')
  return `"${value.replace(/[\\"]/g, '\\$&')}"`
}
