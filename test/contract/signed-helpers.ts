import assert from 'node:assert/strict'
import { createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { type SignatureAlgorithm, type SignRequestOptions, signRequest } from '@tessera/server'
import type { AuthServer } from '../support/auth-server.ts'
import { type HttpAnswer, send } from '../support/http-client.ts'

export interface ClientKey {
  id: string
  algorithm: SignatureAlgorithm
  key: KeyObject
}

/** Logs in for an HMAC key (no public key) or a device key (P-256 or Ed25519 pair made here). */
export async function loginForKey(
  server: AuthServer,
  email: string,
  password: string,
  device?: 'p256' | 'ed25519',
): Promise<ClientKey> {
  let privateKey: KeyObject | undefined
  let publicKey: object | undefined
  if (device !== undefined) {
    const pair =
      device === 'p256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519')
    privateKey = pair.privateKey
    publicKey = pair.publicKey.export({ format: 'jwk' })
  }
  const answer = await send(server.baseUrl, {
    method: 'POST',
    path: '/auth/login',
    body: { email, password, credential: 'key', ...(publicKey && { publicKey }) },
  })
  assert.equal(answer.status, 200, answer.text)
  assert.deepEqual(answer.setCookies, [], 'a key login sets no cookie')
  const { id, secret, algorithm } = answer.json.key
  const key = privateKey ?? createSecretKey(Buffer.from(secret, 'base64url'))
  return { id, algorithm, key }
}

export interface SignedRequest {
  method?: string
  path: string
  body?: unknown
  headers?: Array<[string, string]>
  sign?: Partial<SignRequestOptions>
}

/** Signs and sends; answers the response and the exact header pairs sent (for replays). */
export async function signedSend(
  server: AuthServer,
  key: ClientKey,
  request: SignedRequest,
): Promise<{ answer: HttpAnswer; sent: Array<[string, string]>; body?: string }> {
  const method = request.method ?? 'GET'
  const body =
    request.body === undefined
      ? undefined
      : typeof request.body === 'string'
        ? request.body
        : JSON.stringify(request.body)
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' }
  const signed = signRequest({
    method,
    url: new URL(request.path, server.baseUrl),
    headers,
    ...(body !== undefined && { body }),
    keyId: key.id,
    algorithm: key.algorithm,
    key: key.key,
    created: Math.floor(server.clock.now / 1000),
    ...request.sign,
  })
  const sent: Array<[string, string]> = [
    ...Object.entries(headers),
    ...(Object.entries(signed) as Array<[string, string]>),
    ...(request.headers ?? []),
  ]
  const answer = await send(server.baseUrl, {
    method,
    path: request.path,
    headers: sent,
    ...(body !== undefined && { body }),
  })
  return { answer, sent, ...(body !== undefined && { body }) }
}
