import { createHmac } from 'node:crypto'

/** RFC 4648 base32 (what authenticator apps are given) to bytes. */
function base32Bytes(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const value = alphabet.indexOf(char)
    if (value < 0) throw new Error(`not base32: ${char}`)
    bits += value.toString(2).padStart(5, '0')
  }
  const bytes = bits.match(/.{8}/g) ?? []
  return Buffer.from(bytes.map((b) => Number.parseInt(b, 2)))
}

/**
 * The RFC 6238 code (HMAC-SHA-1, 6 digits, 30 s) at `atMs`, computed independently of the
 * server's library with node:crypto (RFC 4226 §5.3 dynamic truncation).
 */
export function totpCode(secret: string, atMs: number): string {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / 30)))
  const mac = createHmac('sha1', base32Bytes(secret)).update(counter).digest()
  const offset = (mac.at(-1) as number) & 0x0f
  const value = mac.readUInt32BE(offset) & 0x7fffffff
  return String(value % 1_000_000).padStart(6, '0')
}
