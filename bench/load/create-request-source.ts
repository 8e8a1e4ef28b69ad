import { createHmac, createPrivateKey, createSecretKey, type KeyObject, randomBytes } from 'node:crypto'
import { signRequest } from '@tessera/server'
import Hawk from 'hawk'
import type { BenchCredential } from './bench-credential.ts'

/** Where the load generator takes each request's bytes from. */
export interface RequestSource {
  take(): Buffer
  /** Requests prepared before the run. */
  readonly prepared: number
  /** Signed requests that had to be made during the run because the prepared ones ran out. */
  readonly signedLive: number
}

export interface RequestTarget {
  origin: string
  path: string
}

type Signer = () => Record<string, string>

/**
 * Fixed credentials (cookies, nothing, a login form) cycle through their few requests.
 * Signed credentials get `poolSize` requests signed up front, each with its own nonce and
 * never sent twice; should the pool run out, more are signed on the spot (counted, since
 * that costs the generator time) rather than replayed into 401s.
 */
export function createRequestSource(
  target: RequestTarget,
  credentials: BenchCredential[],
  poolSize: number,
): RequestSource {
  const host = new URL(target.origin).host
  if (credentials.every((c) => c.kind === 'fixed')) {
    const fixed = credentials.map((c) => rawRequest(host, target.path, c.headers, c.method, c.body))
    let next = 0
    return { take: () => fixed[next++ % fixed.length] as Buffer, prepared: fixed.length, signedLive: 0 }
  }
  const signers = credentials.map((c) => signerFor(c, `${target.origin}${target.path}`))
  let turn = 0
  const signOne = () => rawRequest(host, target.path, (signers[turn++ % signers.length] as Signer)())
  const pool = Array.from({ length: poolSize }, signOne)
  let next = 0
  let live = 0
  return {
    take() {
      if (next < pool.length) return pool[next++] as Buffer
      live++
      return signOne()
    },
    prepared: pool.length,
    get signedLive() {
      return live
    },
  }
}

function signerFor(credential: BenchCredential, url: string): Signer {
  if (credential.kind === 'hawk') {
    const { id, key, algorithm } = credential
    return () => ({
      authorization: Hawk.client.header(url, 'GET', { credentials: { id, key, algorithm } }).header,
    })
  }
  if (credential.kind === 'minimal-hmac') {
    const key = createSecretKey(Buffer.from(credential.key, 'base64url'))
    const path = new URL(url).pathname
    return () => {
      const created = Math.floor(Date.now() / 1000)
      const nonce = randomBytes(16).toString('base64url')
      const mac = createHmac('sha256', key).update(`GET ${path} ${created} ${nonce}`).digest('base64url')
      return { authorization: `HMAC ${credential.id}:${created}:${nonce}:${mac}` }
    }
  }
  if (credential.kind === 'tessera-signed') {
    const key = importKey(credential.jwk)
    const { keyId, algorithm } = credential
    return () => {
      const created = Math.floor(Date.now() / 1000)
      // Valid for two minutes: enough for the pool to be signed and spent, well inside ±300 s.
      return {
        ...signRequest({ method: 'GET', url, keyId, algorithm, key, created, expires: created + 120 }),
      }
    }
  }
  return () => credential.headers
}

function importKey(jwk: JsonWebKey): KeyObject {
  if (jwk.kty === 'oct') return createSecretKey(Buffer.from(jwk.k as string, 'base64url'))
  return createPrivateKey({ key: jwk as never, format: 'jwk' })
}

/** The exact bytes of one HTTP/1.1 request, as autocannon would have built them. */
export function rawRequest(
  host: string,
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: string,
): Buffer {
  let head = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n`
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`
  if (body === undefined) return Buffer.from(`${head}\r\n`)
  return Buffer.from(`${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
}
