import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose'

export interface MintRequest {
  issuer: string
  clientId: string
}

/**
 * A minimal provider the test controls completely: discovery, JWKS, and a token endpoint that
 * answers whatever ID token `mint` makes, so the relying party's checks can be tested one by one
 * (wrong audience or issuer, expired, unsigned, nonce mismatch, unknown key).
 */
export async function startRogueProvider() {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(publicKey)), kid: 'rogue-1', alg: 'RS256', use: 'sig' }
  let mint: (request: MintRequest) => Promise<string> = () => Promise.reject(new Error('no token'))
  const server = createServer((req, res) => {
    const json = (body: unknown) =>
      res
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(body))
    if (req.url === '/.well-known/openid-configuration')
      return json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      })
    if (req.url === '/jwks') return json({ keys: [jwk] })
    if (req.url === '/token') {
      req.resume()
      req.on('end', async () => {
        const id_token = await mint({ issuer, clientId: 'tessera-test' })
        json({ access_token: 'at', token_type: 'Bearer', expires_in: 60, id_token })
      })
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    issuer,
    /** Signs claims with the published key (`kid` rogue-1), or with `key` when given. */
    async sign(claims: JWTPayload, options: { kid?: string; key?: CryptoKey } = {}) {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'rogue-1' })
        .sign(options.key ?? privateKey)
    },
    setMint(next: (request: MintRequest) => Promise<string>) {
      mint = next
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
