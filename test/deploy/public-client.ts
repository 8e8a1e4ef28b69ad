import { createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import http from 'node:http'
import http2 from 'node:http2'
import https from 'node:https'
import { createConnection } from 'node:net'
import { connect } from 'node:tls'
import { type SignatureAlgorithm, signRequest } from '@tessera/server'
import type { HttpAnswer } from '../support/http-client.ts'
import { PUBLIC_NAME } from './deployment.ts'

/**
 * The test's "internet" client: it connects to nginx on 127.0.0.1 from its own loopback
 * address (so the client IP the instances see is told apart from nginx's), trusts the test CA
 * and says the public name in SNI and Host, as a browser resolving the name would.
 */
export const CLIENT_ADDRESS = '127.0.0.5'

export interface Target {
  httpsPort: number
  authority: string
  ca: string
}

export interface Request {
  method?: string
  path: string
  headers?: Array<[string, string]>
  body?: string
}

function collect(res: http.IncomingMessage, resolve: (answer: HttpAnswer) => void): void {
  const chunks: Buffer[] = []
  res.on('data', (c: Buffer) => chunks.push(c))
  res.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8')
    let json: unknown
    try {
      json = text ? JSON.parse(text) : undefined
    } catch {
      json = undefined // not JSON: nginx's own pages (the redirect)
    }
    resolve({
      status: res.statusCode ?? 0,
      headers: res.headers,
      text,
      json,
      setCookies: res.headers['set-cookie'] ?? [],
    })
  })
}

/** One request with raw header pairs, over TLS (`tls`) or plain http; 10 s at most. */
function exchange(
  options: http.RequestOptions,
  request: Request,
  tls?: https.RequestOptions,
): Promise<HttpAnswer> {
  const headers = [...(request.headers ?? [])]
  if (request.body !== undefined) headers.push(['content-length', String(Buffer.byteLength(request.body))])
  return new Promise((resolve, reject) => {
    const make = tls === undefined ? http.request : https.request
    const req = make(
      {
        ...options,
        ...tls,
        method: request.method ?? 'GET',
        path: request.path,
        headers: headers.flat(),
        timeout: 10_000,
        agent: false,
      },
      (res) => collect(res, resolve),
    )
    req.on('timeout', () => req.destroy(new Error('request timed out')))
    req.on('error', reject)
    req.end(request.body)
  })
}

/** HTTP/1.1 over TLS to nginx, with `Host: <authority>` unless the request names another. */
export function httpsSend(target: Target, request: Request): Promise<HttpAnswer> {
  const hasHost = request.headers?.some(([k]) => k.toLowerCase() === 'host') ?? false
  const headers: Array<[string, string]> = [
    ...(hasHost ? [] : [['host', target.authority] as [string, string]]),
    ...(request.headers ?? []),
  ]
  return exchange(
    { host: '127.0.0.1', port: target.httpsPort, localAddress: CLIENT_ADDRESS },
    { ...request, headers },
    { servername: PUBLIC_NAME, ca: target.ca },
  )
}

/** Plain http to nginx's port-80 server. */
export function httpSend(port: number, host: string, path: string): Promise<HttpAnswer> {
  return exchange(
    { host: '127.0.0.1', port, localAddress: CLIENT_ADDRESS },
    { path, headers: [['host', host]] },
  )
}

/** Straight to an instance's Unix socket, as a local process that found it open would. */
export function socketSend(socketPath: string, request: Request): Promise<HttpAnswer> {
  return exchange(
    { socketPath },
    { ...request, headers: [['host', 'localhost'], ...(request.headers ?? [])] },
  )
}

/** HTTP/2 over TLS to nginx (as browsers talk to it): `:authority` instead of `Host`. */
export function http2Send(target: Target, request: Request): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://${target.authority}`, {
      createConnection: () =>
        connect({
          socket: createConnection({
            host: '127.0.0.1',
            port: target.httpsPort,
            localAddress: CLIENT_ADDRESS,
          }),
          servername: PUBLIC_NAME,
          ca: target.ca,
          ALPNProtocols: ['h2'],
        }),
    })
    session.on('error', reject)
    session.setTimeout(10_000, () => session.destroy(new Error('http2 request timed out')))
    const stream = session.request({
      ':method': request.method ?? 'GET',
      ':path': request.path,
      ...Object.fromEntries(request.headers ?? []),
    })
    const chunks: Buffer[] = []
    let status = 0
    let headers: http.IncomingHttpHeaders = {}
    stream.on('response', (h) => {
      status = Number(h[':status'])
      headers = h as http.IncomingHttpHeaders
    })
    stream.on('data', (c: Buffer) => chunks.push(c))
    stream.on('end', () => {
      session.close()
      const text = Buffer.concat(chunks).toString('utf8')
      resolve({
        status,
        headers,
        text,
        json: text.startsWith('{') ? JSON.parse(text) : undefined,
        setCookies: [],
      })
    })
    stream.on('error', reject)
    stream.end(request.body)
  })
}

export interface ClientKey {
  id: string
  algorithm: SignatureAlgorithm
  key: KeyObject
}

/** Logs in through the proxy for an HMAC key, or for a device key (a P-256 pair made here). */
export async function loginForKey(
  target: Target,
  email: string,
  password: string,
  device = false,
): Promise<ClientKey> {
  const pair = device ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : undefined
  const body = JSON.stringify({
    email,
    password,
    credential: 'key',
    ...(pair && { publicKey: pair.publicKey.export({ format: 'jwk' }) }),
  })
  const answer = await httpsSend(target, {
    method: 'POST',
    path: '/auth/login',
    headers: [['content-type', 'application/json']],
    body,
  })
  if (answer.status !== 200) throw new Error(`key login: ${answer.status} ${answer.text}`)
  const { id, secret, algorithm } = answer.json.key
  return { id, algorithm, key: pair?.privateKey ?? createSecretKey(Buffer.from(secret, 'base64url')) }
}

/** Signature headers for a GET of `url` (whose authority is the one signed). */
export function signedGet(key: ClientKey, url: string): Array<[string, string]> {
  return Object.entries(
    signRequest({ method: 'GET', url, keyId: key.id, algorithm: key.algorithm, key: key.key }),
  ) as Array<[string, string]>
}
