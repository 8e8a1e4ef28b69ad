import assert from 'node:assert/strict'
import { createSecretKey, type KeyObject } from 'node:crypto'
import { signRequest } from '@tessera/server'
import { cookiePair, type HttpAnswer, send } from '../support/http-client.ts'

/**
 * Instances sit behind one public origin (a load balancer): requests go to each instance's
 * own port but carry the public Host and Origin, as a proxy would pass them through.
 */
export class Cluster {
  readonly origin: string
  readonly host: string

  constructor(publicPort: number) {
    this.origin = `http://127.0.0.1:${publicPort}`
    this.host = `127.0.0.1:${publicPort}`
  }

  request(
    port: number,
    method: string,
    path: string,
    headers: Array<[string, string]> = [],
    body?: unknown,
  ): Promise<HttpAnswer> {
    return send(`http://127.0.0.1:${port}`, {
      method,
      path,
      headers: [['host', this.host], ...headers],
      ...(body !== undefined && { body }),
    })
  }

  async login(port: number, email: string, password: string): Promise<{ cookie: string; csrf: string }> {
    const answer = await this.request(port, 'POST', '/auth/login', [['origin', this.origin]], {
      email,
      password,
    })
    assert.equal(answer.status, 200, answer.text)
    return { cookie: cookiePair(answer.setCookies[0] as string), csrf: answer.json.csrfToken }
  }

  async loginForKey(port: number, email: string, password: string): Promise<{ id: string; key: KeyObject }> {
    const answer = await this.request(port, 'POST', '/auth/login', [], { email, password, credential: 'key' })
    assert.equal(answer.status, 200, answer.text)
    return { id: answer.json.key.id, key: createSecretKey(Buffer.from(answer.json.key.secret, 'base64url')) }
  }

  /** Signed for the public origin: the same headers can be sent to any instance (or replayed). */
  signed(key: { id: string; key: KeyObject }, method: string, path: string): Array<[string, string]> {
    const headers = signRequest({
      method,
      url: `${this.origin}${path}`,
      keyId: key.id,
      algorithm: 'hmac-sha256',
      key: key.key,
    })
    return Object.entries(headers) as Array<[string, string]>
  }
}
