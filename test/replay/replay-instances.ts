import assert from 'node:assert/strict'
import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { signRequest } from '@tessera/server'
import { type HttpAnswer, send } from '../support/http-client.ts'

export const PASSWORD = 'a perfectly long passphrase'

export interface HmacKey {
  id: string
  key: KeyObject
}

/** A port nothing listens on right now (the kernel's choice). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Requests for one public origin: headers signed for it can go to any instance, or be replayed. */
export class PublicOrigin {
  readonly origin: string
  readonly host: string

  constructor(port: number) {
    this.host = `127.0.0.1:${port}`
    this.origin = `http://${this.host}`
  }

  request(port: number, method: string, path: string, headers: Array<[string, string]> = [], body?: unknown) {
    return send(`http://127.0.0.1:${port}`, {
      method,
      path,
      headers: [['host', this.host], ...headers],
      ...(body !== undefined && { body }),
    })
  }

  /** Registers a fresh account and logs in for an HMAC key. */
  async newKey(port: number): Promise<HmacKey> {
    const email = `replay-${randomBytes(6).toString('hex')}@example.com`
    const headers: Array<[string, string]> = [['origin', this.origin]]
    const reg = await this.request(port, 'POST', '/auth/register', headers, {
      email,
      password: PASSWORD,
      name: 'Replay Test',
    })
    assert.equal(reg.status, 202, reg.text)
    const login = await this.request(port, 'POST', '/auth/login', [], {
      email,
      password: PASSWORD,
      credential: 'key',
    })
    assert.equal(login.status, 200, login.text)
    return { id: login.json.key.id, key: createSecretKey(Buffer.from(login.json.key.secret, 'base64url')) }
  }

  signed(key: HmacKey, path = '/auth/me'): Array<[string, string]> {
    const headers = signRequest({
      method: 'GET',
      url: `${this.origin}${path}`,
      keyId: key.id,
      algorithm: 'hmac-sha256',
      key: key.key,
    })
    return Object.entries(headers) as Array<[string, string]>
  }

  send(port: number, headers: Array<[string, string]>): Promise<HttpAnswer> {
    return this.request(port, 'GET', '/auth/me', headers)
  }
}

/** Asserts that every one of these already-accepted signed requests is refused as a replay on `port`. */
export async function assertAllReplaysRefused(
  origin: PublicOrigin,
  port: number,
  accepted: Array<Array<[string, string]>>,
): Promise<void> {
  assert.ok(accepted.length > 0, 'some signed requests were accepted')
  const answers = await Promise.all(accepted.map((headers) => origin.send(port, headers)))
  for (const answer of answers) {
    assert.equal(answer.status, 401, answer.text)
    assert.equal(answer.json.code, 'replayed_signature')
  }
}

/**
 * The directory's settings these tests register accounts under: open registration, no
 * verification tokens, and the welcome mails going nowhere (refused at once, audited as failed).
 */
export const OPEN_ACCOUNTS = {
  OPEN_REGISTRATION: 'true',
  EMAIL_VERIFICATION: 'off',
  SMTP_URL: 'smtp://127.0.0.1:1',
}
